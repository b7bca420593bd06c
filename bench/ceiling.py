"""The ceiling of the stack: a bare Flask app whose one view reads one row from SQLite
and renders a Jinja template of a given size. bench/load.py serves it under gunicorn
with the site's settings and loads it like the site's pages, so that each page's
throughput can be read as a share of the most this machine could serve.

    CEILING_DATABASE=/tmp/ceiling.db CEILING_PAGE_BYTES=30000 \
        gunicorn --pythonpath bench 'ceiling:create_app()'

CEILING_DATABASE is created with its one row when it does not exist.
"""

import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask, g, render_template

# The row the view reads: a title and a paragraph, about what a list item of the site holds.
ROW_TITLE = "How did your city set up its first open data inventory?"
ROW_TEXT = (
    "We started with the departments that already published spreadsheets, asked each one "
    "for a list of the systems it runs, and met every two weeks until the inventory had an "
    "owner, a refresh date and a public page. The budget office joined later and brought "
    "the most useful tables."
)


def create_database(path: Path) -> None:
    """Write the one-row table the view reads."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS page (id INTEGER PRIMARY KEY, title TEXT, body TEXT)"
        )
        connection.execute(
            "INSERT OR REPLACE INTO page (id, title, body) VALUES (1, ?, ?)", (ROW_TITLE, ROW_TEXT)
        )
    connection.close()


def create_app() -> Flask:
    """The ceiling app: GET / renders the row, repeated to CEILING_PAGE_BYTES bytes."""
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    database = Path(
        os.environ.get("CEILING_DATABASE") or Path(tempfile.gettempdir()) / "wwc-ceiling.db"
    )
    if not database.exists():
        create_database(database)
    wanted_bytes = int(os.environ.get("CEILING_PAGE_BYTES", "30000"))
    connections = threading.local()

    def read_row() -> sqlite3.Row:
        # One connection per request thread, opened once: what a pool gives the site.
        connection = getattr(connections, "sqlite", None)
        if connection is None:
            connection = sqlite3.connect(database, check_same_thread=False)
            connection.row_factory = sqlite3.Row
            connections.sqlite = connection
        return connection.execute("SELECT id, title, body FROM page WHERE id = 1").fetchone()

    def render(row, repeat: int) -> str:
        return render_template("ceiling.html", row=row, repeat=repeat)

    with app.test_request_context():
        # The template repeats one block: size it from two renders so the page comes out
        # within one block of the size asked for.
        row = read_row()
        one, two = len(render(row, 1).encode()), len(render(row, 2).encode())
        per_block = max(two - one, 1)
        repeat = max(1, round((wanted_bytes - (one - per_block)) / per_block))
    app.config["CEILING_REPEAT"] = repeat

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def add_server_timing(response):
        milliseconds = (time.perf_counter() - g.started) * 1000
        response.headers["Server-Timing"] = f"app;dur={milliseconds:.1f}"
        return response

    @app.get("/")
    def page():
        """One row, one template."""
        return render(read_row(), app.config["CEILING_REPEAT"])

    @app.get("/healthz")
    def healthz():
        """Ready when this answers."""
        return {"status": "ok"}

    return app
