"""Fixtures for the discussion tests: the browser ones of tests/browser, and a signed-in
practitioner."""

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures and the hook pytest looks up
    assert_accessible,
    browser,
    live_app,
    live_server,
    page,
    pytest_runtest_makereport,
)
from tests.conftest import sign_in
from tests.factories import make_topic


@pytest.fixture
def practitioner(members):
    return members["practitioner"]


@pytest.fixture
def signed_in(client, practitioner):
    """The test client, signed in as the practitioner."""
    sign_in(client, practitioner.email)
    return client


@pytest.fixture
def open_data(app):
    return make_topic("Open Data")
