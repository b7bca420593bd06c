"""Authorization matrix rows: dashboard pages (see tests/test_authorization_matrix.py)."""

from tests.matrix_roles import COORDINATORS, MEMBERS


def _active_framework():
    from tests.certification.factories import make_framework
    from wwc_community.certification import frameworks
    from wwc_community.extensions import db

    return frameworks.active_framework(db.session) or make_framework()


def own_city_dashboard(fixtures):
    """The dashboard of the test city (the practitioner's own)."""
    _active_framework()
    return f"/cities/{fixtures['city'].slug}/assessment/dashboard"


def other_city_dashboard(fixtures):
    """The dashboard of a city nobody among the role fixtures belongs to."""
    from tests.factories import make_city

    _active_framework()
    return f"/cities/{make_city('Shelbyville', 'IL', 70_000).slug}/assessment/dashboard"


# The city's own members, coordinators and admins; partners belong to no city.
OWN_CITY = {**MEMBERS, "partner": "forbidden"}

ROWS: list = [
    ("certification_dashboard.dashboard", "GET", own_city_dashboard, None, OWN_CITY),
    ("certification_dashboard.dashboard", "GET", other_city_dashboard, None, COORDINATORS),
]
