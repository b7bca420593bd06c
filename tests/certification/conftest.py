import pytest

from tests.certification.factories import make_framework


@pytest.fixture
def framework(app):
    """An active framework of 10 criteria (DG1-DG5, OD1-OD5), each met by 2 of 3 items."""
    return make_framework()
