"""Criteria as tags on threads, library entries and events.

A tag points at one criterion row, but pages match tags by code (DG1 of any framework
version), so that tags made under a retired version still show on the active version's
criterion page. Codes are typed as text ("DG1, OD3"); every code must name a criterion
of the active framework, or nothing is saved and the message names the unknown ones."""

import re

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Role
from wwc_community.certification.frameworks import active_framework
from wwc_community.certification.models import (
    Criterion,
    event_criterion,
    practice_criterion,
    thread_criterion,
)
from wwc_community.core.errors import Invalid, NotPermitted

TAGS_MAX = 5
_SEPARATORS = re.compile(r"[\s,;]+")

TABLES = {
    "thread": (thread_criterion, thread_criterion.c.thread_id),
    "practice": (practice_criterion, practice_criterion.c.practice_id),
    "event": (event_criterion, event_criterion.c.event_id),
}


def parse_codes(text: str) -> list[str]:
    """The codes in what a member typed, in capitals, each once, in the order typed."""
    # A dict keeps the order and finds repeats at once, however long the text.
    return list(dict.fromkeys(code for code in _SEPARATORS.split((text or "").upper()) if code))


def criteria_for_codes(session: Session, codes: list[str], field: str = "criteria") -> list:
    """The active framework's criteria for `codes`; Invalid names any unknown code."""
    if not codes:
        return []
    if len(codes) > TAGS_MAX:
        raise Invalid(f"Tag at most {TAGS_MAX} criteria.", field=field)
    framework = active_framework(session)
    if framework is None:
        raise Invalid(
            "Criteria cannot be tagged until an admin activates a certification framework.",
            field=field,
        )
    found = {
        criterion.code: criterion
        for criterion in session.scalars(
            select(Criterion).where(
                Criterion.framework_id == framework.id, Criterion.code.in_(codes)
            )
        )
    }
    unknown = [code[:16] for code in codes if code not in found]
    if unknown:
        raise Invalid(
            f"There is no criterion {', '.join(unknown)} in {framework.name}. Use codes "
            "from the benchmark, such as DG1.",
            field=field,
        )
    return [found[code] for code in codes]


def _set(session: Session, kind: str, owner_id: int, criteria: list) -> None:
    table, owner_column = TABLES[kind]
    session.execute(delete(table).where(owner_column == owner_id))
    if criteria:
        session.execute(
            insert(table),
            [{owner_column.key: owner_id, "criterion_id": criterion.id} for criterion in criteria],
        )


def tag_thread(session: Session, actor, thread, codes: list[str]) -> list:
    """Set a thread's criteria: its asker or a coordinator."""
    if actor is None or not getattr(actor, "is_member", False):
        raise NotPermitted("Sign in as an approved member to tag threads.")
    if thread.author_id != actor.id and not actor.has_role(Role.COORDINATOR):
        raise NotPermitted("Only the asker and coordinators tag a thread with criteria.")
    criteria = criteria_for_codes(session, codes)
    _set(session, "thread", thread.id, criteria)
    return criteria


def tag_practice(session: Session, actor, practice, codes: list[str]) -> list:
    """Set a library entry's criteria: whoever may manage the entry."""
    from wwc_community.library.services import may_manage

    if not may_manage(actor, practice.organisation_id):
        raise NotPermitted("Only the entry's organisation and coordinators tag it.")
    criteria = criteria_for_codes(session, codes)
    _set(session, "practice", practice.id, criteria)
    return criteria


def tag_event(session: Session, actor, event, codes: list[str]) -> list:
    """Set an event's criteria: coordinators."""
    if actor is None or not actor.has_role(Role.COORDINATOR):
        raise NotPermitted("Only coordinators tag events with criteria.")
    criteria = criteria_for_codes(session, codes)
    _set(session, "event", event.id, criteria)
    return criteria


def criteria_of(session: Session, kind: str, owner_ids: list[int]) -> dict[int, list]:
    """The criteria tagged on each of `owner_ids` (one query), in the framework's order."""
    if not owner_ids:
        return {}
    table, owner_column = TABLES[kind]
    tagged: dict[int, list] = {}
    for owner_id, criterion in session.execute(
        select(owner_column, Criterion)
        .join(Criterion, Criterion.id == table.c.criterion_id)
        .where(owner_column.in_(owner_ids))
        .order_by(Criterion.position, Criterion.code)
    ):
        tagged.setdefault(owner_id, []).append(criterion)
    return tagged


def codes_text(criteria: list) -> str:
    """Criteria as the text a form field holds: "DG1, OD3"."""
    return ", ".join(criterion.code for criterion in criteria)
