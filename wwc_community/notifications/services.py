"""Operations on notifications. Features call `notify` inside their unit of work.

E-mail follows each member's choice (Member.email_notifications): as it happens (one
message per notification, queued by `notify`), a daily digest (`send_digest`, run by
`flask notifications send-digests`), or never. `Notification.emailed_at` is set as soon
as an item is queued for e-mail, so no item is ever sent twice.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import Row, Select, func, insert, select, update
from sqlalchemy.orm import Session, joinedload

from wwc_community.accounts.models import EmailFrequency, Member, MemberStatus
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, NotFound
from wwc_community.core.mail import external_url, queue_mail
from wwc_community.notifications.models import Notification

TEXT_MAX_LENGTH = 300
SUBJECT_MAX_LENGTH = 100
# A digest lists this many items; the rest are counted and linked, never dropped silently.
DIGEST_MAX_ITEMS = 50
UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_PURPOSE = "email-notifications"

# The headings of a digest, in the order they appear; other kinds go last.
DIGEST_SECTIONS = {
    "mention": "Mentions of you",
    "answer": "New answers",
    "comment": "New comments",
    "accepted": "Accepted answers",
    "new_question": "New questions in topics you follow",
    "moderation": "From the moderators",
}
OTHER_SECTION = "Other activity"


def notify(
    session: Session,
    recipient_ids: Iterable[int],
    *,
    kind: str,
    text: str,
    url: str,
    actor: Member | None = None,
    mailed_separately: bool = False,
) -> list[Row]:
    """Tell each recipient, once, that something happened; never the member who did it,
    and never a member who can no longer sign in.

    Members who want e-mail as it happens get one message each, sent after the unit of
    work commits; with `mailed_separately` the caller e-mails everyone its own fuller
    message, so none is sent here and the digest leaves these items out. Two queries,
    whatever the number: the recipients, then one insert. Returns the notification rows
    made (read-only, with the table's columns as attributes), by recipient id.
    """
    wanted = set(recipient_ids)
    if actor is not None:
        wanted.discard(actor.id)
    if not wanted:
        return []
    recipients = session.execute(
        select(Member.id, Member.email, Member.display_name, Member.email_notifications)
        .where(Member.id.in_(wanted), Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)
    ).all()
    now = utcnow()
    if len(text) > TEXT_MAX_LENGTH:
        text = text[: TEXT_MAX_LENGTH - 1] + "…"
    immediate = {
        row.id for row in recipients if row.email_notifications == EmailFrequency.IMMEDIATELY
    }
    mailed = {row.id for row in recipients} if mailed_separately else immediate
    if not recipients:
        return []
    rows = [
        {
            "member_id": row.id,
            "kind": kind,
            "actor_id": actor.id if actor is not None else None,
            "text": text,
            "url": url,
            "created_at": now,
            "read_at": None,
            "emailed_at": now if row.id in mailed else None,
        }
        for row in recipients
    ]
    # One bulk INSERT ... RETURNING, not one per row (the ORM's flush on SQLite); the ids
    # are needed at once, since a message links to its item (opening it marks it read).
    # Plain rows, not ORM objects: an answer to a thread with 160 followers spent more
    # time building and tracking 160 objects than inserting them.
    table = Notification.__table__
    inserted = session.execute(
        insert(table).returning(*table.columns).execution_options(render_nulls=True), rows
    ).all()
    notifications = sorted(inserted, key=lambda notification: notification.member_id)
    by_member = {row.id: row for row in recipients}
    for notification in notifications:
        if notification.member_id in immediate and not mailed_separately:
            _queue_immediate_mail(session, by_member[notification.member_id], notification)
    return notifications


def _queue_immediate_mail(session: Session, recipient, notification: Row) -> None:
    subject = notification.text
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1] + "…"
    unsubscribe_url = _unsubscribe_url(recipient.id, recipient.email)
    queue_mail(
        session,
        recipient.email,
        subject,
        "mail/notification.txt",
        headers=unsubscribe_headers(unsubscribe_url),
        display_name=recipient.display_name,
        notification=notification,
        link=external_url("notifications.open_notification", notification_id=notification.id),
        settings_url=external_url("accounts.account_settings"),
        unsubscribe_url=unsubscribe_url,
    )


# The in-app list -------------------------------------------------------------------------


def notification_list_statement(member: Member) -> Select:
    """A member's notifications, newest first, with who did each thing."""
    return (
        select(Notification)
        .where(Notification.member_id == member.id)
        .options(joinedload(Notification.actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def count_unread(session: Session, member: Member) -> int:
    """How many of a member's notifications are not read yet (one indexed count)."""
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
    )


def open_notification(session: Session, member: Member, notification_id: int) -> Notification:
    """Mark one of the member's own notifications read and return it.

    Someone else's notification is as unknown as one that does not exist.
    """
    notification = session.get(Notification, notification_id)
    if notification is None or notification.member_id != member.id:
        raise NotFound("There is no such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def mark_all_read(session: Session, member: Member) -> int:
    """Mark every unread notification of the member read; return how many there were."""
    result = session.execute(
        update(Notification)
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


# Daily digests ---------------------------------------------------------------------------


@dataclass
class DigestSection:
    """One heading of a digest and its items."""

    heading: str
    items: list[Notification]


def members_due_a_digest(session: Session) -> list[int]:
    """Active members who want e-mail and have items that have not gone out yet.

    Members who chose "as it happens" are included: their only waiting items are those
    from before they switched, which would otherwise never be sent.
    """
    return list(
        session.scalars(
            select(Member.id)
            .where(
                Member.status == MemberStatus.ACTIVE,
                Member.email_notifications.in_([EmailFrequency.DAILY, EmailFrequency.IMMEDIATELY]),
                select(Notification.id)
                .where(Notification.member_id == Member.id, Notification.emailed_at.is_(None))
                .exists(),
            )
            .order_by(Member.id)
        )
    )


def settle_unwanted_email(session: Session) -> int:
    """Mark the waiting items of members who want no e-mail as dealt with.

    They are never sent; a member who later asks for e-mail again starts from what
    happens next, not from a backlog of old news. Returns how many items.
    """
    result = session.execute(
        update(Notification)
        .where(
            Notification.emailed_at.is_(None),
            Notification.member_id.in_(
                select(Member.id).where(Member.email_notifications == EmailFrequency.NEVER)
            ),
        )
        .values(emailed_at=utcnow())
    )
    return result.rowcount


def send_digest(session: Session, member_id: int) -> int:
    """Queue one e-mail listing the member's items that have not gone out; return how many.

    The items are claimed with one conditional update; if another run claimed any of
    them meanwhile, Conflict is raised and the caller rolls this unit of work back, so
    nothing goes twice. Sends nothing to a member who is not active or wants no e-mail.
    """
    member = session.get(Member, member_id)
    if (
        member is None
        or member.status != MemberStatus.ACTIVE
        or member.email_notifications == EmailFrequency.NEVER
    ):
        return 0
    items = list(
        session.scalars(
            select(Notification)
            .where(Notification.member_id == member.id, Notification.emailed_at.is_(None))
            .order_by(Notification.created_at, Notification.id)
        )
    )
    if not items:
        return 0
    claimed = session.execute(
        update(Notification)
        .where(
            Notification.id.in_([item.id for item in items]),
            Notification.emailed_at.is_(None),
        )
        .values(emailed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != len(items):
        raise Conflict("Another run is sending this member's digest.")
    shown = items[-DIGEST_MAX_ITEMS:]
    unsubscribe_url = _unsubscribe_url(member.id, member.email)
    count = len(items)
    queue_mail(
        session,
        member.email,
        f"Your WWC Community digest: {count} update{'' if count == 1 else 's'}",
        "mail/notification_digest.txt",
        headers=unsubscribe_headers(unsubscribe_url),
        member=member,
        sections=digest_sections(shown),
        links={
            item.id: external_url("notifications.open_notification", notification_id=item.id)
            for item in shown
        },
        count=count,
        not_shown=count - len(shown),
        list_url=external_url("notifications.index"),
        settings_url=external_url("accounts.account_settings"),
        unsubscribe_url=unsubscribe_url,
    )
    return count


def digest_sections(items: list[Notification]) -> list[DigestSection]:
    """Group a digest's items under their headings, oldest first within each."""
    groups: dict[str, list[Notification]] = {}
    for item in items:
        groups.setdefault(DIGEST_SECTIONS.get(item.kind, OTHER_SECTION), []).append(item)
    order = [*DIGEST_SECTIONS.values(), OTHER_SECTION]
    return [DigestSection(heading, groups[heading]) for heading in order if heading in groups]


# One-click unsubscribe -------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def _address_digest(email: str) -> str:
    # Ties the link to the address it was sent to, without putting the address in a URL.
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def unsubscribe_token(member_id: int, email: str) -> str:
    """A signed token that stops a member's notification e-mail; it never expires, and
    stops working when the member's address changes."""
    return _serializer().dumps([UNSUBSCRIBE_PURPOSE, member_id, _address_digest(email)])


def _unsubscribe_url(member_id: int, email: str) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(member_id, email))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """The RFC 8058 headers that let a mail client offer one-click unsubscribe."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def member_for_unsubscribe(session: Session, token: str) -> Member:
    """The member an unsubscribe token was made for; NotFound for a bad or stale token."""
    refused = NotFound(
        "This unsubscribe link does not work: it may be incomplete, or the account's "
        "e-mail address has changed since it was sent."
    )
    try:
        purpose, member_id, address = _serializer().loads(token)
    except (BadSignature, TypeError, ValueError) as error:
        raise refused from error
    if purpose != UNSUBSCRIBE_PURPOSE or not isinstance(member_id, int):
        raise refused
    member = session.get(Member, member_id)
    if member is None or member.is_deleted or _address_digest(member.email) != address:
        raise refused
    return member


def unsubscribe(session: Session, token: str) -> Member:
    """Stop all notification e-mail for the member the token names."""
    member = member_for_unsubscribe(session, token)
    member.email_notifications = EmailFrequency.NEVER
    return member
