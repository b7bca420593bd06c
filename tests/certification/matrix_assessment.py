"""Authorization matrix rows: assessment pages (see tests/test_authorization_matrix.py).

A city's assessment is for its own members (the practitioner is in the `city` fixture)
and for coordinators and admins; a partner has no city. Another city's assessment is for
coordinators and admins only."""

from tests.certification.factories import make_framework
from tests.matrix_roles import MEMBERS, action

OWN_CITY = {**MEMBERS, "partner": "forbidden"}
OTHER_CITY = {**OWN_CITY, "practitioner": "forbidden"}
PRACTICE_TITLE = "Matrix open data policy"
PRACTICE_SLUG = "matrix-open-data-policy"


def _framework() -> None:
    """The active framework (DG1-DG5, OD1-OD5), made unless one is active."""
    from wwc_community.certification import frameworks
    from wwc_community.extensions import db

    if frameworks.active_framework(db.session) is None:
        make_framework()


def _city(fixtures, other: bool):
    if not other:
        return fixtures["city"]
    from tests.factories import make_city

    return make_city("Shelbyville", "IL", 65_000)


def assessment_path(suffix: str = "", *, other: bool = False):
    """An address under the city's assessment, with a framework active."""

    def address(fixtures):
        _framework()
        return f"/cities/{_city(fixtures, other).slug}/assessment{suffix}"

    return address


def with_practice(suffix: str, *, other: bool = False):
    """As assessment_path, with a published library entry to add as evidence."""

    def address(fixtures):
        from tests.library.factories import make_practice

        make_practice(fixtures["organisation"], title=PRACTICE_TITLE)
        return assessment_path(suffix, other=other)(fixtures)

    return address


def evidence_path(template: str, *, kind: str = "link", other: bool = False):
    """An address naming a piece of the city's evidence (a link or a CSV file on DG1),
    added by the coordinator through the services."""

    def address(fixtures):
        from wwc_community.certification import services
        from wwc_community.extensions import db

        _framework()
        city = _city(fixtures, other)
        actor = fixtures["members"]["coordinator"]
        if kind == "file":
            evidence = services.add_file_evidence(
                db.session, actor, city, "DG1", "counts.csv", b"year,datasets\n2025,12\n"
            )
        else:
            evidence = services.add_link_evidence(
                db.session, actor, city, "DG1", "https://example.org/policy", "Policy"
            )
        evidence_id = evidence.id
        db.session.commit()
        return f"/cities/{city.slug}/assessment" + template.format(id=evidence_id)

    return address


SAVE = {"items": [], "notes": "Checked by the matrix.", "version": "0"}
LINK = {"url": "https://example.org/open-data", "label": "Open data policy"}


def _rows(other: bool, allowed: dict) -> list:
    return [
        ("assessments.overview", "GET", assessment_path(other=other), None, allowed),
        (
            "assessments.sharing",
            "POST",
            assessment_path("/sharing", other=other),
            {"shares": "y"},
            action(allowed),
        ),
        ("assessments.criterion", "GET", assessment_path("/DG1", other=other), None, allowed),
        (
            "assessments.save_criterion",
            "POST",
            assessment_path("/DG1", other=other),
            SAVE,
            action(allowed),
        ),
        (
            "assessments.add_link",
            "POST",
            assessment_path("/DG1/evidence/link", other=other),
            LINK,
            action(allowed),
        ),
        (
            "assessments.add_practice",
            "POST",
            with_practice("/DG1/evidence/practice", other=other),
            {"practice": f"/library/{PRACTICE_SLUG}"},
            action(allowed),
        ),
        # No file sent: the permitted get the form again with its message (400).
        (
            "assessments.add_file",
            "POST",
            assessment_path("/DG1/evidence/file", other=other),
            {},
            action(allowed, 400),
        ),
        (
            "assessments.remove_evidence",
            "POST",
            evidence_path("/DG1/evidence/{id}/delete", other=other),
            {},
            action(allowed),
        ),
        (
            "assessments.evidence_download",
            "GET",
            evidence_path("/evidence/{id}", kind="file", other=other),
            None,
            allowed,
        ),
    ]


ROWS: list = [*_rows(False, OWN_CITY), *_rows(True, OTHER_CITY)]
