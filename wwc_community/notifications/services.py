"""Operations on notifications. Features call `notify` inside their unit of work."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.core.database import utcnow
from wwc_community.notifications.models import Notification

TEXT_MAX_LENGTH = 300


def notify(
    session: Session,
    recipient_ids: Iterable[int],
    *,
    kind: str,
    text: str,
    url: str,
    actor: Member | None = None,
) -> list[Notification]:
    """Tell each recipient, once, that something happened; never the member who did it,
    and never a member who can no longer sign in. One query, whatever the number."""
    wanted = set(recipient_ids)
    if actor is not None:
        wanted.discard(actor.id)
    if not wanted:
        return []
    active_ids = session.scalars(
        select(Member.id).where(Member.id.in_(wanted), Member.status == MemberStatus.ACTIVE)
    ).all()
    now = utcnow()
    if len(text) > TEXT_MAX_LENGTH:
        text = text[: TEXT_MAX_LENGTH - 1] + "…"
    notifications = [
        Notification(
            member_id=member_id,
            kind=kind,
            actor_id=actor.id if actor is not None else None,
            text=text,
            url=url,
            created_at=now,
        )
        for member_id in sorted(active_ids)
    ]
    session.add_all(notifications)
    return notifications
