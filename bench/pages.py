"""Time the pages of the load benchmark inside one process, without HTTP or load: the
figure to compare before and after a change, and a profile of any one page.

    python bench/pages.py INSTANCE_FOLDER            # median ms and SQL count per page
    python bench/pages.py INSTANCE_FOLDER --profile thread   # where one page's time goes

INSTANCE_FOLDER holds a dataset made by `flask seed-demo --scale large` (SQLite), or
set DATABASE_URL for PostgreSQL. Pages are fetched signed in as a generated member.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

REPEATS = 30
MEMBER = "member7@bulk.demo.wwc.example"
PASSWORD = "demo-community-2026"


def targets(session) -> dict[str, str]:
    """One address per page, found in the data (the same choices as bench/load.py)."""
    from wwc_community.directory.models import Topic
    from wwc_community.discussions.models import Thread
    from wwc_community.events.models import Event
    from wwc_community.library.models import Practice

    thread = session.scalars(select(Thread).order_by(Thread.answer_count.desc())).first()
    topic = (
        session.scalars(select(Topic).order_by(Topic.id).where(Topic.slug == "evaluations")).first()
        or session.scalars(select(Topic).order_by(Topic.id)).first()
    )
    practice = session.scalars(
        select(Practice).where(Practice.status == "published").order_by(Practice.id.desc())
    ).first()
    event_ = session.scalars(
        select(Event)
        .where(Event.status == "published", Event.starts_at > func.now())
        .order_by(Event.starts_at)
    ).first()
    return {
        "home": "/",
        "discussions": f"/discussions?topic={topic.slug}&state=unanswered",
        "thread": f"/discussions/{thread.id}-{thread.slug}",
        "library": f"/library?topic={topic.slug}",
        "practice": f"/library/{practice.slug}",
        "search": "/search?q=survey+renters&topic=stakeholder-engagement",
        "event": f"/events/{event_.slug}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instance", help="the dataset's instance folder")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page instead")
    parser.add_argument("--sql", metavar="PAGE", help="time each SQL statement of one page")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--pages", nargs="*", help="only these pages (default: all)")
    options = parser.parse_args()
    os.environ["WWC_INSTANCE_PATH"] = str(Path(options.instance).resolve())

    from wwc_community import create_app
    from wwc_community.extensions import db

    app = create_app(
        "production",
        {
            "SECRET_KEY": "bench-pages",
            "REQUEST_LOG": False,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
        },
    )
    client = app.test_client()
    form = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)[1]
    signed_in = client.post(
        "/auth/login", data={"email": MEMBER, "password": PASSWORD, "csrf_token": token}
    )
    if signed_in.status_code != 302:
        sys.exit(f"Could not sign in as {MEMBER}: is this a --scale dataset?")
    with app.app_context():
        pages = targets(db.session)
        engine = db.engine
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(1))

    if options.sql:
        time_statements(engine, client, pages[options.sql], options.repeats)
        return

    if options.profile:
        path = pages[options.profile]
        for _ in range(3):
            client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(options.repeats):
            client.get(path)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return

    # CPU time of this process, not wall time: it hardly moves when other work shares
    # the machine, so before/after comparisons hold on a busy developer machine.
    print(f"{'page':<12} {'median CPU ms':>13} {'p90':>6} {'SQL':>4} {'KB':>5}  address")
    for name, path in pages.items():
        if options.pages and name not in options.pages:
            continue
        for _ in range(3):  # warm the templates and the caches
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(options.repeats):
            statements.clear()
            started = time.process_time()
            response = client.get(path)
            times.append((time.process_time() - started) * 1000)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(
            f"{name:<12} {statistics.median(times):13.1f} {p90:6.1f} {len(statements):4d} "
            f"{len(response.data) / 1024:5.0f}  {path}"
        )


def time_statements(engine, client, path: str, repeats: int) -> None:
    """Print one page's statements in order with their median wall milliseconds."""
    durations: dict[int, list[float]] = {}
    texts: dict[int, str] = {}
    position = [0]

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        elapsed = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
        durations.setdefault(position[0], []).append(elapsed)
        texts[position[0]] = " ".join(statement.split())
        position[0] += 1

    client.get(path)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    for _ in range(repeats):
        position[0] = 0
        client.get(path)
    for number, times in durations.items():
        print(f"{statistics.median(times):7.2f} ms  {texts[number][:160]}")


if __name__ == "__main__":
    main()
