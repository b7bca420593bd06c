"""Who may see an event: its page, its calendar file, its place in lists."""

from wwc_community.accounts.models import Role
from wwc_community.events.models import Event, EventStatus

VISIBLE_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def may_see_event(viewer, event: Event) -> bool:
    """Coordinators see every event; everyone else sees published and cancelled events,
    members-only ones only when they are an approved member. `viewer` may be signed out
    (Flask-Login's anonymous user) or None."""
    if viewer is not None and getattr(viewer, "is_authenticated", False):
        if viewer.has_role(Role.COORDINATOR):
            return True
    if event.status not in VISIBLE_STATUSES:
        return False
    return event.is_public or bool(getattr(viewer, "is_member", False))
