"""Events for tests. Until the coordinators' services exist, an event is inserted
directly, published, its registration open now and its start a week ahead."""

from datetime import timedelta
from itertools import count

from tests.factories import make_member
from wwc_community.accounts.models import Role
from wwc_community.core.database import utcnow
from wwc_community.events.models import Event, EventQuestion, EventStatus
from wwc_community.extensions import db

_sequence = count(1)


def make_event(*, capacity=10, title=None, questions=(), status=EventStatus.PUBLISHED, **fields):
    number = next(_sequence)
    starts_at = fields.pop("starts_at", utcnow() + timedelta(days=7))
    event = Event(
        slug=f"event-{number}",
        title=title or f"Office hours number {number}",
        status=status,
        capacity=capacity,
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + timedelta(hours=1)),
        time_zone=fields.pop("time_zone", "America/Chicago"),
        created_by=fields.pop("created_by", None) or make_member(Role.COORDINATOR),
        **fields,
    )
    for position, (kind, prompt, required, choices) in enumerate(questions, start=1):
        event.questions.append(
            EventQuestion(
                position=position, kind=kind, prompt=prompt, required=required, choices=choices
            )
        )
    db.session.add(event)
    db.session.commit()
    return event
