import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures and the hook pytest looks up
    assert_accessible,
    browser,
    live_app,
    live_server,
    page,
    pytest_runtest_makereport,
)
from tests.certification.factories import make_framework


@pytest.fixture
def framework(app):
    """An active framework of 10 criteria (DG1-DG5, OD1-OD5), each met by 2 of 3 items."""
    return make_framework()
