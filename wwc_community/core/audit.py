"""Record administrative actions in the audit trail."""

from sqlalchemy.orm import Session

from wwc_community.core.models import AuditEntry


def record_action(session: Session, actor, action: str, target, summary: str) -> AuditEntry:
    """Add an audit entry for `actor` doing `action` to `target` (any model with an id)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=getattr(target, "id", None),
        summary=summary,
    )
    session.add(entry)
    return entry
