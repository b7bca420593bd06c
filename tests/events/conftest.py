"""Fixtures for the event tests: the browser ones of tests/browser."""

from tests.browser.conftest import (  # noqa: F401 - fixtures and the hook pytest looks up
    assert_accessible,
    browser,
    live_app,
    live_server,
    page,
    pytest_runtest_makereport,
)
