"""Authorization matrix rows: cohort pages (see tests/test_authorization_matrix.py).

Coordinators and admins only; practitioners and partners are refused (403)."""

from tests.matrix_roles import COORDINATORS


def cohort_address(suffix: str = ""):
    """The cohort page (or its CSV) once the test city assesses itself against an
    active framework, so the page has a row to show."""

    def build(fixtures) -> str:
        from tests.certification.factories import make_framework
        from wwc_community.certification.models import Assessment
        from wwc_community.extensions import db

        framework = make_framework()
        db.session.add(
            Assessment(city_id=fixtures["city"].id, framework_id=framework.id, met_count=0)
        )
        db.session.commit()
        return f"/certification/cohort{suffix}"

    return build


ROWS: list = [
    ("certification_cohort.cohort", "GET", cohort_address(), None, COORDINATORS),
    (
        "certification_cohort.cohort",
        "GET",
        cohort_address("?sort=name&page=2"),
        None,
        COORDINATORS,
    ),
    ("certification_cohort.cohort_csv", "GET", cohort_address(".csv"), None, COORDINATORS),
    (
        "certification_cohort.insights",
        "GET",
        lambda f: "/certification/insights",
        None,
        COORDINATORS,
    ),
]
