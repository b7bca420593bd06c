"""Coordinators' services: creating and editing events with times in the event's own
time zone, validation that changes nothing, capacity changes, publish, postpone,
cancel and duplicate, and who may do them."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.events.factories import make_event
from tests.factories import make_member
from wwc_community.accounts.models import Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotPermitted
from wwc_community.events import registration as seats
from wwc_community.events import services
from wwc_community.events.models import Event, EventStatus, QuestionKind
from wwc_community.events.services import EventFields, QuestionFields
from wwc_community.extensions import db

pytestmark = pytest.mark.usefixtures("app")

NEXT_YEAR = utcnow().year + 1


def fields(**changes) -> EventFields:
    values = dict(
        title="Budgeting for outcomes: office hours",
        starts_local=datetime(NEXT_YEAR, 7, 14, 10, 0),
        ends_local=datetime(NEXT_YEAR, 7, 14, 11, 30),
        time_zone="America/New_York",
        capacity=20,
        join_url="https://meet.example.org/budgeting",
    )
    values.update(changes)
    return EventFields(**values)


@pytest.fixture
def coordinator():
    return make_member(Role.COORDINATOR)


def test_times_are_typed_in_the_events_zone_and_stored_in_utc(coordinator):
    summer = services.create_event(db.session, coordinator, fields())
    winter = services.create_event(
        db.session,
        coordinator,
        fields(
            starts_local=datetime(NEXT_YEAR, 1, 14, 10, 0),
            ends_local=datetime(NEXT_YEAR, 1, 14, 11, 0),
        ),
    )
    db.session.commit()
    # New York is 4 hours behind UTC in July (daylight saving) and 5 in January.
    assert summer.starts_at == datetime(NEXT_YEAR, 7, 14, 14, 0, tzinfo=UTC)
    assert winter.starts_at == datetime(NEXT_YEAR, 1, 14, 15, 0, tzinfo=UTC)
    assert services.local_time(summer.starts_at, summer.time_zone) == datetime(
        NEXT_YEAR, 7, 14, 10, 0
    )
    assert summer.status == EventStatus.DRAFT
    assert summer.slug != winter.slug


def test_an_event_may_cross_midnight(coordinator):
    late = services.create_event(
        db.session,
        coordinator,
        fields(
            starts_local=datetime(NEXT_YEAR, 3, 20, 22, 0),
            ends_local=datetime(NEXT_YEAR, 3, 21, 1, 0),
            time_zone="America/Los_Angeles",
        ),
    )
    assert late.ends_at - late.starts_at == timedelta(hours=3)


@pytest.mark.parametrize(
    ("changes", "field_name", "message"),
    [
        ({"ends_local": datetime(NEXT_YEAR, 7, 14, 9, 0)}, "ends_local", "end after it starts"),
        ({"capacity": -1}, "capacity", "number of seats"),
        ({"capacity": None}, "capacity", "number of seats"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "time zone"),
        ({"title": "  "}, "title", "title"),
        ({"is_online": False, "location": ""}, "location", "where the event takes place"),
        ({"join_url": "javascript:alert(1)"}, "join_url", "https://"),
        (
            {"registration_closes_local": datetime(NEXT_YEAR, 7, 15, 9, 0)},
            "registration_closes_local",
            "before the event starts",
        ),
        (
            # 02:30 on the second Sunday of March does not exist in New York.
            {
                "starts_local": datetime(NEXT_YEAR, 3, 8, 2, 30)
                + timedelta(days=(6 - datetime(NEXT_YEAR, 3, 8).weekday()) % 7),
                "ends_local": datetime(NEXT_YEAR, 3, 20, 4, 0),
            },
            "starts_local",
            "clocks",
        ),
        (
            {"questions": [QuestionFields(QuestionKind.ONE_CHOICE, "Track", choices=["Only"])]},
            "questions",
            "two options",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(coordinator, changes, field_name, message):
    with pytest.raises(Invalid, match=message) as raised:
        services.create_event(db.session, coordinator, fields(**changes))
    assert raised.value.field == field_name
    db.session.rollback()
    assert db.session.query(Event).count() == 0


def test_only_coordinators_manage_events():
    for role in (Role.PRACTITIONER, Role.PARTNER):
        with pytest.raises(NotPermitted):
            services.create_event(db.session, make_member(role), fields())


def test_raising_the_capacity_promotes_and_lowering_below_the_seats_taken_is_refused(coordinator):
    event = make_event(capacity=1)
    first, second, third = (make_member() for _ in range(3))
    for member in (first, second, third):
        seats.register(db.session, member, event)
        db.session.commit()
    editing = services.event_for_editing(db.session, coordinator, event.slug)
    wanted = fields(
        title=editing.title,
        starts_local=services.local_time(editing.starts_at, editing.time_zone),
        ends_local=services.local_time(editing.ends_at, editing.time_zone),
        time_zone=editing.time_zone,
        capacity=2,
    )
    change = services.update_event(db.session, coordinator, editing, wanted)
    db.session.commit()
    assert [r.member_id for r in change.promoted] == [second.id]
    wanted.capacity = 1
    with pytest.raises(Invalid, match="2 members already have a seat"):
        services.update_event(db.session, coordinator, editing, wanted)


def test_publish_postpone_and_cancel_raise_the_calendar_sequence(coordinator):
    event = services.create_event(db.session, coordinator, fields())
    services.publish_event(db.session, coordinator, event)
    member = make_member()
    seats.register(db.session, member, event)
    db.session.commit()
    told = services.postpone_event(
        db.session,
        coordinator,
        event,
        datetime(NEXT_YEAR, 8, 4, 10, 0),
        datetime(NEXT_YEAR, 8, 4, 11, 0),
    )
    assert [r.member_id for r in told] == [member.id]
    assert event.sequence == 1
    with pytest.raises(Invalid, match="why"):
        services.cancel_event(db.session, coordinator, event, "  ")
    told = services.cancel_event(db.session, coordinator, event, "The speaker is ill.")
    db.session.commit()
    assert event.status == EventStatus.CANCELLED and event.sequence == 2
    assert [r.member_id for r in told] == [member.id]
    with pytest.raises(Conflict):
        seats.register(db.session, make_member(), event)


def test_questions_are_fixed_once_someone_registered(coordinator):
    asked = [QuestionFields(QuestionKind.SHORT_TEXT, "Your department", required=True)]
    event = services.create_event(db.session, coordinator, fields(questions=asked))
    services.publish_event(db.session, coordinator, event)
    db.session.commit()
    question_id = str(seats.questions_of(db.session, event)[0].id)
    seats.register(db.session, make_member(), event, {question_id: "Finance"})
    db.session.commit()
    editing = services.event_for_editing(db.session, coordinator, event.slug)
    changed = fields(questions=[QuestionFields(QuestionKind.SHORT_TEXT, "Your team")])
    with pytest.raises(Conflict, match="can no longer change"):
        services.update_event(db.session, coordinator, editing, changed)


def test_duplicating_makes_a_draft_with_the_same_questions_and_no_registrants(coordinator):
    asked = [QuestionFields(QuestionKind.YES_NO, "Need captions?")]
    event = services.create_event(db.session, coordinator, fields(questions=asked))
    services.publish_event(db.session, coordinator, event)
    seats.register(db.session, make_member(), event)
    db.session.commit()
    original = services.event_for_editing(db.session, coordinator, event.slug)
    copy = services.duplicate_event(db.session, coordinator, original)
    db.session.commit()
    assert copy.status == EventStatus.DRAFT and copy.seats_taken == 0
    assert copy.title.endswith("(copy)") and copy.slug != event.slug
    assert [q.prompt for q in seats.questions_of(db.session, copy)] == ["Need captions?"]
