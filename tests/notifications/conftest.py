"""Notifications for tests, and the browser fixtures for this folder's page checks."""

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures and the hook pytest looks up
    assert_accessible,
    browser,
    live_app,
    live_server,
    page,
    pytest_runtest_makereport,
)
from tests.factories import make_member
from wwc_community.accounts.models import EmailFrequency
from wwc_community.extensions import db
from wwc_community.notifications.services import notify


def make_notifications(recipient, count: int = 1, *, actor=None, kind="answer", url=None):
    """`count` notifications for `recipient`, committed, oldest first."""
    made = []
    for number in range(1, count + 1):
        made += notify(
            db.session,
            [recipient.id],
            kind=kind,
            text=f"{actor.display_name if actor else 'Someone'} answered question {number}",
            url=url or f"/discussions/{number}-question-{number}#post-{number}",
            actor=actor,
        )
    db.session.commit()
    return made


@pytest.fixture
def make_reader(app):
    """A member who wants e-mail as given (daily unless said otherwise)."""

    def build(frequency=EmailFrequency.DAILY, **fields):
        member = make_member(**fields)
        member.email_notifications = frequency
        db.session.commit()
        return member

    return build
