"""Outgoing e-mail: queued by services, sent only after the transaction commits.

With MAIL_SERVER set, messages go over SMTP. Without it, each message is written
as an .eml file into instance/outbox/ and its subject and links are logged, so a
developer can follow a verification link without a mail server.
"""

import re
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from wwc_community.core.database import utcnow

PENDING_MAIL_KEY = "pending_mail"
LINK_PATTERN = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Mail:
    """One message ready to send."""

    to: str
    subject: str
    body: str
    # Extra headers, e.g. List-Unsubscribe on notification mail: (name, value) pairs.
    headers: tuple[tuple[str, str], ...] = ()


def queue_mail(
    session: Session,
    to: str,
    subject: str,
    template: str,
    *,
    headers: dict[str, str] | None = None,
    **context,
) -> None:
    """Render a message now and send it once `session` commits (never if it rolls back)."""
    # Straight from the environment: the page context processors (the header's counts)
    # would query the database once per message rendered inside a request.
    body = current_app.jinja_env.get_template(template).render(context)
    # A rollback fires its events only inside a transaction: make sure there is one,
    # so that the message is discarded if the unit of work fails.
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()
    mail = Mail(to=to, subject=subject, body=body, headers=tuple((headers or {}).items()))
    session.info.setdefault(PENDING_MAIL_KEY, []).append(mail)


def pending_mail(session: Session) -> list[Mail]:
    """The messages waiting for `session` to commit."""
    return list(session.info.get(PENDING_MAIL_KEY, []))


def send_mail(mail: Mail) -> None:
    """Send one message by SMTP, or write it to the outbox folder when no server is set."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="wwc-community.local")
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.body)
    if mail.headers:
        # Keep a long value (an unsubscribe URL) on one line: folding at 78 characters
        # would turn it into encoded words, which mail clients do not read as a URL.
        # Set after set_content, so the body is encoded exactly as before.
        message.policy = message.policy.clone(max_line_length=998)

    if config.get("MAIL_SERVER"):
        _send_over_smtp(message, config)
    else:
        _write_to_outbox(message, mail)


def _send_over_smtp(message: EmailMessage, config) -> None:
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def outbox_path() -> Path:
    """The folder where messages are written when no SMTP server is configured."""
    return Path(current_app.instance_path) / "outbox"


def _write_to_outbox(message: EmailMessage, mail: Mail) -> None:
    folder = outbox_path()
    folder.mkdir(parents=True, exist_ok=True)
    # A sortable, unique name: the newest message is last in a directory listing.
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    (folder / name).write_bytes(bytes(message))
    links = " ".join(LINK_PATTERN.findall(mail.body))
    current_app.logger.info("Mail to %s: %s %s (%s)", mail.to, mail.subject, links, folder / name)


def _send_pending_mail(session: Session) -> None:
    messages = session.info.pop(PENDING_MAIL_KEY, [])
    for mail in messages:
        try:
            send_mail(mail)
        except (OSError, smtplib.SMTPException):
            # The change is committed; a lost notice must not turn it into an error page.
            current_app.logger.exception("Could not send mail to %s: %s", mail.to, mail.subject)


def _discard_pending_mail(session: Session) -> None:
    session.info.pop(PENDING_MAIL_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _on_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        _discard_pending_mail(session)


event.listen(Session, "after_commit", _send_pending_mail)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message, built from SITE_URL so a forged Host header
    cannot point a password-reset link at another site."""
    from flask import has_request_context, request, url_for

    base = current_app.config.get("SITE_URL")
    if not base:
        base = request.host_url if has_request_context() else "http://127.0.0.1:5000/"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
