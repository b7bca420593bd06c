"""Authorization matrix rows: admin pages (see tests/test_authorization_matrix.py).

Admins only: coordinators are refused too. Each button's path function loads the
version it acts on (every row runs in a fresh database)."""

from tests.matrix_roles import ADMINS, action


def framework_address(suffix: str, *, activate: bool = False):
    """`/certification/frameworks/<version><suffix>` for a version loaded for this row
    (a draft unless `activate`)."""

    def build(fixtures) -> str:
        from tests.certification.factories import make_framework

        framework = make_framework(activate=activate)
        return f"/certification/frameworks/{framework.version}{suffix}"

    return build


ROWS: list = [
    ("certification_admin.frameworks", "GET", lambda f: "/certification/frameworks", None, ADMINS),
    # A form without a file is shown again with its error (400); nothing is saved.
    (
        "certification_admin.load_framework",
        "POST",
        lambda f: "/certification/frameworks/load",
        {},
        action(ADMINS, 400),
    ),
    (
        "certification_admin.activate_framework",
        "POST",
        framework_address("/activate"),
        {},
        action(ADMINS),
    ),
    (
        "certification_admin.retire_framework",
        "POST",
        framework_address("/retire", activate=True),
        {},
        action(ADMINS),
    ),
    (
        "certification_admin.download_framework",
        "GET",
        framework_address(".yaml"),
        None,
        ADMINS,
    ),
]
