"""One log line per request, with its timing and SQL query count, and a Server-Timing
header so that a browser's network panel or a load generator sees the server's share."""

import logging
import time

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from wwc_community.extensions import db

logger = logging.getLogger("wwc_community.requests")


def register_request_log(app: Flask) -> None:
    """Time every request from its first hook to its response. Registered before the
    other hooks so that its after_request runs last (Flask runs them in reverse)."""

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()
        g.sql_queries = 0

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        if started is None:  # a response made before our before_request (a 413, say)
            return response
        milliseconds = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={milliseconds:.1f}"
        if app.config.get("REQUEST_LOG"):
            logger.info(
                "%s %s %s %.1fms sql=%d member=%s",
                request.method,
                request.full_path.rstrip("?"),
                response.status_code,
                milliseconds,
                g.get("sql_queries", 0),
                current_user.id if current_user.is_authenticated else "-",
            )
        return response

    with app.app_context():
        _count_queries(db.engine)
    if app.config.get("REQUEST_LOG") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _count_queries(engine: Engine) -> None:
    """Count the statements each request runs: the log line shows an N+1 at once."""
    if event.contains(engine, "before_cursor_execute", _count_one):
        return
    event.listen(engine, "before_cursor_execute", _count_one)


def _count_one(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_request_context() and "sql_queries" in g:
        g.sql_queries += 1
