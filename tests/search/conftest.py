"""Fixtures for the search tests: the browser ones of tests/browser, and `index_all`,
which brings the app's search index up to date with the database (building it the
first time), as the background indexer or `flask search sync` would."""

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures and the hook pytest looks up
    assert_accessible,
    browser,
    live_app,
    live_server,
    page,
    pytest_runtest_makereport,
)
from wwc_community.extensions import db
from wwc_community.search.engine import close_searchers
from wwc_community.search.indexer import apply_pending


def index_all(app) -> int:
    """Apply every pending outbox row to `app`'s index (in its tmp instance folder);
    return how many rows were applied. The test's own transaction ends first, so the
    indexer sees what the test committed and no SQLite lock is held against it."""
    db.session.commit()
    return apply_pending(app)


@pytest.fixture
def indexed(app):
    """`index_all` for the test's app; the searchers it opened are closed afterwards."""
    yield lambda: index_all(app)
    close_searchers(app)
