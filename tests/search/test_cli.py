"""`flask search sync|rebuild|status|worker`, as an operator runs them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_member
from wwc_community.accounts.models import Role
from wwc_community.extensions import db
from wwc_community.search.indexer import current_index_dir, read_mark


def run(runner, *args):
    db.session.commit()  # the command's own session must not wait for the test's
    result = runner.invoke(args=["search", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_sync_builds_then_applies_what_is_pending(app, runner):
    thread = make_thread(make_member(Role.PRACTITIONER))
    helper = make_member(Role.PRACTITIONER)
    assert "Applied" in run(runner, "sync")
    make_answer(thread, helper)
    assert run(runner, "sync").strip() == "Applied 1 pending change."
    assert run(runner, "sync").strip() == "Applied 0 pending changes."


def test_status_before_and_after_the_first_sync(app, runner):
    thread = make_thread(make_member(Role.PRACTITIONER))
    helper = make_member(Role.PRACTITIONER)
    output = run(runner, "status")
    assert "No index yet" in output and "Pending changes: 3" in output
    run(runner, "sync")
    make_answer(thread, helper)
    output = run(runner, "status")
    assert "threads:          1" in output
    assert "members:          2" in output
    assert "Pending changes: 1" in output
    assert "Lag: " in output
    mark = read_mark(current_index_dir(app)).last_applied_id
    assert f"Last applied outbox id: {mark}" in output


def test_rebuild_with_two_processes_swaps_in_a_new_index(app, runner):
    for _ in range(3):
        make_thread(make_member(Role.PRACTITIONER))
    run(runner, "sync")
    old = current_index_dir(app)
    output = run(runner, "rebuild", "--procs", "2")
    assert "Indexed 6 documents" in output
    assert current_index_dir(app) != old
    assert "threads:          3" in run(runner, "status")


def test_rebuild_refuses_zero_processes(app, runner):
    db.session.commit()
    result = runner.invoke(args=["search", "rebuild", "--procs", "0"])
    assert result.exit_code == 2 and "give 1 or more" in result.output


def test_the_worker_applies_changes_and_stops_on_sigterm(app, database_url, tmp_path):
    thread = make_thread(make_member(Role.PRACTITIONER))
    db.session.commit()
    environment = {
        **os.environ,
        "WWC_CONFIG": "testing",
        "TEST_DATABASE_URL": database_url,
        "WWC_INSTANCE_PATH": app.instance_path,
        "FLASK_APP": "wwc_community",
    }
    flask = Path(sys.executable).with_name("flask")
    worker = subprocess.Popen(
        [str(flask), "search", "worker", "--interval", "0.1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while current_index_dir(app) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        make_answer(thread, make_member(Role.PRACTITIONER))
        db.session.commit()
        while read_mark(current_index_dir(app)).last_applied_id < 4:
            assert time.monotonic() < deadline, "the worker never applied the answer"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "Search worker stopped." in output
