"""The outcomes each role gets, shared by the authorization matrix and the rows that
features keep beside their tests (see test_authorization_matrix.py for their meaning)."""

from tests.conftest import ROLES


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


PUBLIC = everyone("ok")
MEMBERS = {**everyone("ok"), "visitor": "login", "pending": "status", "suspended": "login"}
SIGNED_IN = {**everyone("ok"), "visitor": "login", "suspended": "login"}
VISITORS_ONLY = {**everyone("home"), "visitor": "ok", "suspended": "ok"}
COORDINATORS = {**MEMBERS, "practitioner": "forbidden", "partner": "forbidden"}
ADMINS = {**COORDINATORS, "coordinator": "forbidden"}


def action(allowed_from: dict, outcome="done"):
    """A POST whose permitted roles end in `outcome`."""
    return {role: (outcome if result == "ok" else result) for role, result in allowed_from.items()}
