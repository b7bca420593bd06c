"""The large demo's events: past ones with attendance, upcoming ones open for
registration (most with room for hundreds more, some full with a waitlist), a few
cancelled and a few drafts; registrations in the order members made them.

The registrations are played out as the registration service would have taken them:
each member gets the next place in the queue, a seat while one is free, else the
waitlist; a cancelled seat goes to the first member waiting. So seats taken never
exceed the capacity, nobody waits while a seat is free, and the waitlist is in order."""

import bisect
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from wwc_community.core.large_demo_bulk import Bulk, Community
from wwc_community.core.large_demo_phrases import EVENT_LOCATIONS, EVENT_TITLES
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City
from wwc_community.events.models import (
    Event,
    EventStatus,
    EventType,
    Registration,
    RegistrationStatus,
    event_host,
    event_topic,
    new_event_uid,
)
from wwc_community.events.services import RESERVED_SLUGS, SLUG_MAX

UPCOMING_SHARE = 0.25
# Of the upcoming events: open for registration with room for many more (the load
# benchmark registers members for these); the rest are small and fill up.
OPEN_LARGE_SHARE = 0.8
TYPE_WEIGHTS = {
    EventType.WEBINAR: 45,
    EventType.WORKSHOP: 20,
    EventType.OFFICE_HOURS: 15,
    EventType.COHORT_SESSION: 10,
    EventType.CONVENING: 10,
}
# Seats, and hours from start to end, by type.
CAPACITY = {
    EventType.WEBINAR: (200, 1_000),
    EventType.WORKSHOP: (20, 40),
    EventType.OFFICE_HOURS: (10, 25),
    EventType.COHORT_SESSION: (25, 40),
    EventType.CONVENING: (80, 250),
}
LARGE_CAPACITY = (1_000, 3_000)
HOURS = {
    EventType.WEBINAR: 1,
    EventType.WORKSHOP: 3,
    EventType.OFFICE_HOURS: 1,
    EventType.COHORT_SESSION: 1.5,
    EventType.CONVENING: 7,
}
TIME_ZONES = {
    "America/New_York": 45,
    "America/Chicago": 28,
    "America/Los_Angeles": 18,
    "America/Denver": 9,
}
CANCELLED_SHARE = 0.03
DRAFT_SHARE = 0.1  # of the small upcoming ones
CANCEL_REGISTRATION_SHARE = 0.06
ATTENDED_SHARE = (0.5, 0.8)


def add_events(
    bulk: Bulk,
    community: Community,
    events: int,
    registrations: int,
    progress: Callable[[int], None],
) -> dict[str, int]:
    """Add `events` events and `registrations` registrations spread over them."""
    rng = community.rng
    session = bulk.session
    slugs = set(session.scalars(select(Event.slug))) | RESERVED_SLUGS
    places = [
        f"{name}, {state}"
        for name, state in session.execute(
            select(City.name, City.state).order_by(City.population.desc(), City.id).limit(60)
        )
    ]
    plans = [_plan(community, index < events * UPCOMING_SHARE) for index in range(events)]
    joined = sorted(person.joined_at for person in community.people)
    for plan in plans:
        closes = min(plan["starts"], community.now) - timedelta(hours=1)
        plan["eligible"] = bisect.bisect_right(joined, closes)
    _share_registrations(community, plans, registrations)
    totals = dict.fromkeys(("events", "upcoming_open", "registrations", "waitlisted"), 0)
    rows = {"event": [], "topic": [], "host": [], "registration": []}
    hosts = [person.id for person in community.people if person.organisation_id]
    for plan, event_id in zip(plans, bulk.ids(Event.__table__, len(plans)), strict=True):
        event = _event_row(community, plan, event_id, slugs, places)
        rows["event"].append(event)
        rows["topic"] += [
            {"event_id": event_id, "topic_id": community.topic_ids[name]}
            for name in [plan["topic"], *community.other_topics(plan["topic"])[:1]]
        ]
        rows["host"] += [
            {"event_id": event_id, "member_id": member_id}
            for member_id in rng.sample(hosts, min(len(hosts), rng.randint(1, 2)))
        ]
        registered = _registrations(community, plan, event)
        rows["registration"] += registered
        totals["waitlisted"] += sum(
            r["status"] == RegistrationStatus.WAITLISTED for r in registered
        )
        totals["upcoming_open"] += plan["open_large"]
        progress(1)
    bulk.insert(Event.__table__, rows["event"])
    bulk.insert(event_topic, rows["topic"])
    bulk.insert(event_host, rows["host"])
    bulk.insert(Registration.__table__, rows["registration"])
    totals["events"] = len(rows["event"])
    totals["registrations"] = len(rows["registration"])
    return totals


def _plan(community: Community, upcoming: bool) -> dict:
    """What kind of event, when, how big, and how many members want a seat."""
    rng, now = community.rng, community.now
    open_large = upcoming and rng.random() < OPEN_LARGE_SHARE
    if open_large:
        event_type = rng.choice((EventType.WEBINAR, EventType.WEBINAR, EventType.CONVENING))
        capacity = rng.randint(*LARGE_CAPACITY)
        demand = capacity * rng.uniform(0.02, 0.15)
    else:
        event_type = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
        capacity = rng.randint(*CAPACITY[event_type])
        # Small events are often full; big past ones filled a part of their seats.
        share = rng.uniform(0.6, 1.6) if capacity < 100 else rng.uniform(0.1, 0.6)
        demand = capacity * share
    if upcoming:
        starts = now + timedelta(days=rng.uniform(2, 180))
        status = EventStatus.PUBLISHED
        if not open_large and rng.random() < DRAFT_SHARE:
            status = EventStatus.DRAFT
    else:
        starts = now - timedelta(days=rng.uniform(2, 700))
        status = EventStatus.PUBLISHED
    if status == EventStatus.PUBLISHED and not open_large and rng.random() < CANCELLED_SHARE:
        status = EventStatus.CANCELLED
    starts = starts.replace(minute=0, second=0, microsecond=0)
    return {
        "type": event_type,
        "topic": community.topic_choice(rng),
        "starts": starts,
        "capacity": capacity,
        "demand": 0 if status == EventStatus.DRAFT else demand,
        "status": status,
        "open_large": open_large,
        "upcoming": upcoming,
    }


def _share_registrations(community: Community, plans: list[dict], total: int) -> None:
    """Give each event its registrants so that they add up to `total`: small events get
    what they drew (many are full, with a waitlist), the big ones share the rest in
    proportion to their draw. An open large event keeps most of its seats free, and
    nobody registers twice for one event."""

    def ceiling(plan: dict) -> int:
        if plan["open_large"]:
            return min(plan["capacity"] // 2, plan["eligible"])
        return plan["eligible"]

    small = [plan for plan in plans if plan["demand"] and plan["capacity"] < 100]
    big = [plan for plan in plans if plan["demand"] and plan["capacity"] >= 100]
    for plan in plans:
        plan["registrants"] = 0
    wanted_by_small = sum(min(round(plan["demand"]), ceiling(plan)) for plan in small)
    shrink = min(1.0, total / wanted_by_small) if wanted_by_small else 1.0
    for plan in small:
        plan["registrants"] = min(round(plan["demand"] * shrink), ceiling(plan))
    left = total - sum(plan["registrants"] for plan in small)
    raw = sum(plan["demand"] for plan in big) or 1
    for plan in big:
        plan["registrants"] = min(ceiling(plan), int(plan["demand"] * left / raw))
    left = total - sum(plan["registrants"] for plan in plans)
    with_room = [plan for plan in big + small if plan["registrants"] < ceiling(plan)]
    while left > 0 and with_room:
        plan = community.rng.choice(with_room)
        plan["registrants"] += 1
        left -= 1
        if plan["registrants"] >= ceiling(plan):
            with_room.remove(plan)


def _event_row(
    community: Community, plan: dict, event_id: int, slugs: set[str], places: list[str]
) -> dict:
    rng, now = community.rng, community.now
    event_type, status = plan["type"], plan["status"]
    writer = community.writer
    title = writer.pick(EVENT_TITLES[event_type], plan["topic"])[:200]
    slug = _free_slug(slugs, title)
    starts = plan["starts"]
    published = None
    if status != EventStatus.DRAFT:
        published = min(
            starts - timedelta(days=rng.uniform(14, 60)), now - timedelta(days=rng.uniform(1, 5))
        )
    created = (published or now) - timedelta(days=rng.uniform(1, 10))
    is_online = event_type != EventType.CONVENING and (
        event_type != EventType.WORKSHOP or rng.random() < 0.5
    )
    description = community.text.event_description(plan["topic"])
    cancelled = None
    if status == EventStatus.CANCELLED:
        cancelled = community.between(published, min(starts, now))
    return {
        "id": event_id,
        "slug": slug,
        "uid": new_event_uid(),
        "title": title,
        "event_type": event_type,
        "description": description.source,
        "description_html": description.html,
        "status": status,
        "is_public": rng.random() < 0.6,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=HOURS[event_type]),
        "time_zone": rng.choices(list(TIME_ZONES), weights=list(TIME_ZONES.values()))[0],
        "is_online": is_online,
        "location": "" if is_online else f"{rng.choice(EVENT_LOCATIONS)}, {rng.choice(places)}",
        "join_url": f"https://meet.example.org/{slug}" if is_online else "",
        "capacity": plan["capacity"],
        "seats_taken": 0,
        "waitlist_enabled": True,
        "queue_counter": 0,
        "registration_opens_at": None,
        "registration_closes_at": None,
        "sequence": 1 if cancelled else 0,
        "created_by_id": community.coordinator_id,
        "created_at": created,
        "updated_at": cancelled or published or created,
        "published_at": published,
        "cancelled_at": cancelled,
        "cancel_reason": "The speakers could not make this date; we will announce a new one."
        if cancelled
        else "",
    }


def _registrations(community: Community, plan: dict, event: dict) -> list[dict]:
    """Play out registrations and cancellations in time order; write the event's
    counters from what they left."""
    rng = community.rng
    count = plan.get("registrants", 0)
    if not count:
        return []
    capacity = event["capacity"]
    closes = min(event["starts_at"], community.now) - timedelta(hours=1)
    eligible = community.joined_by(closes)
    registrants = rng.sample(eligible, min(count, len(eligible)))
    # Each registers some time after publication (and after joining); places in line
    # follow the order of registering.
    timed = sorted(
        (
            (community.since_joining(person, event["published_at"], closes), person)
            for person in registrants
        ),
        key=lambda pair: pair[0],
    )
    rows = [
        {
            "event_id": event["id"],
            "member_id": person.id,
            "status": None,
            "queue_number": place,
            "answers": {},
            "created_at": moment,
            "updated_at": moment,
            "confirmed_at": None,
            "promoted_at": None,
            "cancelled_at": None,
            "attended_at": None,
        }
        for place, (moment, person) in enumerate(timed, start=1)
    ]
    # (moment, 0 = registers / 1 = cancels, row): a member registers before cancelling.
    happenings = [(row["created_at"], 0, row) for row in rows]
    for row in rng.sample(rows, int(len(rows) * CANCEL_REGISTRATION_SHARE)):
        happenings.append((community.between(row["created_at"], closes), 1, row))
    happenings.sort(
        key=lambda happening: (happening[0], happening[1], happening[2]["queue_number"])
    )
    seats, waiting = 0, []
    for moment, cancels, row in happenings:
        if not cancels:
            if seats < capacity:
                seats += 1
                row.update(status=RegistrationStatus.CONFIRMED, confirmed_at=moment)
            else:
                row["status"] = RegistrationStatus.WAITLISTED
                waiting.append(row)
            continue
        if row["status"] == RegistrationStatus.WAITLISTED:
            waiting.remove(row)
        else:
            seats -= 1
            if waiting:
                first = waiting.pop(0)
                seats += 1
                first.update(
                    status=RegistrationStatus.CONFIRMED,
                    confirmed_at=moment,
                    promoted_at=moment,
                    updated_at=moment,
                )
        row.update(status=RegistrationStatus.CANCELLED, cancelled_at=moment, updated_at=moment)
    if not plan["upcoming"]:
        confirmed = [row for row in rows if row["status"] == RegistrationStatus.CONFIRMED]
        for row in rng.sample(confirmed, int(len(confirmed) * rng.uniform(*ATTENDED_SHARE))):
            row["attended_at"] = event["starts_at"] + timedelta(minutes=rng.randint(-10, 15))
    event["seats_taken"] = seats
    event["queue_counter"] = len(rows)
    return rows


def _free_slug(slugs: set[str], title: str) -> str:
    base = slugify(title)[:SLUG_MAX].strip("-") or "event"
    slug, number = base, 2
    while slug in slugs:
        slug, number = f"{base}-{number}", number + 1
    slugs.add(slug)
    return slug
