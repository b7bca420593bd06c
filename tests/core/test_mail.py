"""E-mail over a real SMTP server (aiosmtpd), sent only after the commit."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.conftest import post_form
from tests.factories import PASSWORD, make_city
from wwc_community.accounts.models import Member
from wwc_community.core.mail import pending_mail, queue_mail
from wwc_community.extensions import db

SIGN_UP = {
    "email": "dana@springfield.gov",
    "display_name": "Dana",
    "password": PASSWORD,
    "job_title": "Analyst",
    "affiliation": "city",
    "city": "Springfield, IL",
}


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp_app(app_with, smtp_server):
    controller, _ = smtp_server
    return app_with(
        MAIL_SERVER=controller.hostname,
        MAIL_PORT=controller.port,
        MAIL_FROM="Community <community@example.org>",
    )


def test_sign_up_mail_arrives_over_smtp(smtp_app, smtp_server):
    _, inbox = smtp_server
    make_city("Springfield", "IL", 114_394)
    client = smtp_app.test_client()
    post_form(
        client,
        "/auth/register",
        SIGN_UP,
    )
    [message] = inbox.messages
    assert message["To"] == "dana@springfield.gov"
    assert message["From"] == "Community <community@example.org>"
    assert "/auth/verify/" in message.get_content()
    assert not (
        smtp_app.instance_path
        and (__import__("pathlib").Path(smtp_app.instance_path) / "outbox").exists()
    )


def test_mail_is_not_sent_when_the_transaction_rolls_back(smtp_app, smtp_server):
    _, inbox = smtp_server
    queue_mail(
        db.session,
        "x@example.gov",
        "Never sent",
        "mail/approved.txt",
        member=Member(display_name="X"),
        login_url="http://localhost/",
    )
    assert len(pending_mail(db.session)) == 1
    db.session.rollback()
    db.session.commit()
    assert inbox.messages == []


def test_a_failed_form_sends_no_mail(smtp_app, smtp_server):
    _, inbox = smtp_server
    client = smtp_app.test_client()
    post_form(
        client,
        "/auth/register",
        {**SIGN_UP, "city": "Nowhere, ZZ"},
    )
    assert inbox.messages == []
    assert db.session.scalar(select(Member)) is None


def test_an_unreachable_mail_server_does_not_undo_the_change(app_with):
    app = app_with(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    make_city("Springfield", "IL", 114_394)
    response = post_form(
        app.test_client(),
        "/auth/register",
        SIGN_UP,
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Member.email)) == "dana@springfield.gov"


def test_without_a_server_mail_is_written_to_the_outbox_and_logged(app, client, city, caplog):
    caplog.set_level("INFO")
    post_form(
        client,
        "/auth/register",
        SIGN_UP,
    )
    files = list((__import__("pathlib").Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(files) == 1
    assert any("/auth/verify/" in record.getMessage() for record in caplog.records)
