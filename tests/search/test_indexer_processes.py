"""Real processes on real files: two (two gunicorn workers, say) write posts and apply
the outbox at the same moment, and no LockError reaches either and every post is
indexed; one is killed right after its commit, and the next sync indexes its post."""

import multiprocessing
import os
import signal
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


def answer_then_die(database_url, instance_path, member_id, thread_id):
    """A web worker that commits an answer and is killed before any indexing runs."""
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": database_url}, instance_path=instance_path
    )
    with app.app_context():
        member = db.session.get(Member, member_id)
        thread = db.session.get(Thread, thread_id)
        post_answer(db.session, member, thread, "Answer crashmarker before indexing.")
        db.session.commit()
        os.kill(os.getpid(), signal.SIGKILL)


def test_a_process_killed_after_its_commit_loses_nothing_once_sync_runs(app, database_url, indexed):
    thread = make_thread(make_member(Role.PRACTITIONER))
    answerer = make_member(Role.PRACTITIONER)
    indexed()
    before = {hit["doc_id"] for hit in get_searcher(app).documents()}
    thread_key = f"thread:{thread.id}"
    arguments = (database_url, app.instance_path, answerer.id, thread.id)
    db.session.commit()  # no transaction of the test may hold the database
    db.engine.dispose()
    context = multiprocessing.get_context("fork")
    process = context.Process(target=answer_then_die, args=arguments)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL

    searcher = get_searcher(app)
    assert not list(searcher.search(QueryParser("body", build_schema()).parse("crashmarker")))
    result = app.test_cli_runner().invoke(args=["search", "sync"])
    assert result.output.strip() == "Applied 1 pending change."
    searcher = get_searcher(app)
    hits = searcher.search(QueryParser("body", build_schema()).parse("crashmarker"))
    assert [hit["doc_id"] for hit in hits] == [thread_key]
    documents = [hit["doc_id"] for hit in searcher.documents()]
    assert len(documents) == len(set(documents)) == len(before)
    again = app.test_cli_runner().invoke(args=["search", "sync"])
    assert again.output.strip() == "Applied 0 pending changes.", again.exception
