"""Two processes (two gunicorn workers, say) write posts and apply the outbox at the
same moment, on real files: no LockError reaches either, and every post is indexed."""

import multiprocessing
import warnings

from whoosh.qparser import QueryParser

from tests.discussions.factories import make_thread
from tests.factories import make_member
from wwc_community import create_app
from wwc_community.accounts.models import Member, Role
from wwc_community.discussions.models import Thread
from wwc_community.discussions.services import post_answer
from wwc_community.extensions import db
from wwc_community.search.engine import get_searcher
from wwc_community.search.indexer import apply_pending
from wwc_community.search.schema import build_schema

POSTS_PER_PROCESS = 8


def write_and_index(database_url, instance_path, worker, member_id, thread_id):
    """A worker process: answer, commit, apply the outbox; again and again."""
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=instance_path
    )
    with app.app_context():
        for number in range(POSTS_PER_PROCESS):
            member = db.session.get(Member, member_id)
            thread = db.session.get(Thread, thread_id)
            post_answer(db.session, member, thread, f"Answer marker{worker}x{number} here.")
            db.session.commit()
            apply_pending(app)
        db.engine.dispose()


def test_two_processes_writing_and_indexing_at_once_lose_nothing(app, database_url, indexed):
    threads = [make_thread(make_member(Role.PRACTITIONER)) for _ in range(2)]
    answerer = make_member(Role.PRACTITIONER)
    indexed()  # the index exists before the workers start, as in production
    arguments = [
        (database_url, app.instance_path, worker, answerer.id, threads[worker].id)
        for worker in range(2)
    ]
    db.session.commit()
    # Forked, the workers start in milliseconds (spawned, each would import everything
    # again). The parent's pooled connections are closed first: none crosses the fork.
    db.engine.dispose()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=write_and_index, args=args) for args in arguments]
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process with threads (pytest-xdist's);
        # the children never touch what those threads hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        for process in processes:
            process.start()
    for process in processes:
        process.join(120)
    assert [process.exitcode for process in processes] == [0, 0]

    indexed()
    parser = QueryParser("body", build_schema())
    searcher = get_searcher(app)
    for worker in range(2):
        for number in range(POSTS_PER_PROCESS):
            hits = searcher.search(parser.parse(f"marker{worker}x{number}"))
            assert [hit["doc_id"] for hit in hits] == [f"thread:{threads[worker].id}"]
    assert searcher.doc_count() == len({hit["doc_id"] for hit in searcher.documents()})
