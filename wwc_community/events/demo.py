"""Load the demo events (demo_events.py) through the events services: created and
published by the demo coordinator, with demo members registered until the seats run
out and the rest on the waitlist, then dated as if it had all happened over the past
weeks. Nothing is added when the site already has events."""

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.core.demo_people import demo_people
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City, Organisation, Topic
from wwc_community.discussions.demo import MODERATOR_NAME
from wwc_community.events.demo_events import DEMO_EVENTS, DemoEvent, DemoQuestion
from wwc_community.events.models import Event, EventQuestion, QuestionKind, RegistrationStatus
from wwc_community.events.registrants import mark_attendance
from wwc_community.events.registration import register
from wwc_community.events.services import (
    EventFields,
    QuestionFields,
    create_event,
    publish_event,
    time_zone_or_invalid,
)
from wwc_community.library.demo_practices import PRACTITIONER_EMAIL


def seed_demo_events(session: Session, account_emails: Iterable[str] = ()) -> int:
    """Add the demo events unless there are events already; return how many were added."""
    if session.scalar(select(Event.id).limit(1)) is not None:
        return 0
    emails = [person.email for person in demo_people()] + list(account_emails)
    members = [
        member
        for member in session.scalars(
            select(Member).where(Member.email.in_(emails)).order_by(Member.id)
        )
        if member.is_member
    ]
    seeder = EventSeeder(session, members, utcnow())
    if seeder.coordinator is None:
        return 0
    return sum(seeder.add_event(demo) is not None for demo in DEMO_EVENTS)


class EventSeeder:
    """One run of the demo events: creates, publishes and registers through the
    services, then writes when each thing should have happened."""

    def __init__(self, session: Session, members: list[Member], now: datetime):
        self.session = session
        self.now = now
        self.members = members
        by_name = {member.display_name: member for member in members}
        self.by_name = by_name
        self.coordinator = by_name.get(MODERATOR_NAME)
        self.practitioner = next((m for m in members if m.email == PRACTITIONER_EMAIL), None)
        # Registrants come from the community: practitioners and partners.
        self.pool = [
            member
            for member in members
            if member.role in (Role.PRACTITIONER, Role.PARTNER) and member is not self.practitioner
        ]
        self.topics = {topic.name: topic for topic in session.scalars(select(Topic))}
        self.cities = {city.id: city.slug for city in session.scalars(select(City))}
        self.organisations = {org.id: org.slug for org in session.scalars(select(Organisation))}

    def add_event(self, demo: DemoEvent) -> Event | None:
        rng = random.Random(demo.title)
        starts_local, ends_local = self._local_times(demo)
        hosts = self._hosts(demo)
        fields = EventFields(
            title=demo.title,
            starts_local=starts_local,
            ends_local=ends_local,
            time_zone=demo.time_zone,
            capacity=demo.capacity,
            event_type=demo.event_type,
            description=demo.description,
            is_public=demo.is_public,
            is_online=not demo.location,
            location=demo.location,
            join_url="" if demo.location else f"https://meet.example.org/{slugify(demo.title)}",
            topic_ids=[self.topics[name].id for name in demo.topics if name in self.topics],
            host_ids=[host.id for host in hosts],
            questions=[
                QuestionFields(
                    kind=q.kind, prompt=q.prompt, required=q.required, choices=list(q.choices)
                )
                for q in demo.questions
            ],
        )
        event = create_event(self.session, self.coordinator, fields)
        starts_at, ends_at = event.starts_at, event.ends_at
        is_past = starts_at <= self.now
        if is_past:
            # publish_event and register refuse an event that has started, as they
            # should. A past event is therefore published and filled a week ahead, then
            # put back at its real (past) time by writing the model directly.
            event.starts_at = self.now + timedelta(days=7)
            event.ends_at = event.starts_at + (ends_at - starts_at)
            self.session.flush()
        publish_event(self.session, self.coordinator, event)
        registrations = self._register(demo, event, hosts, rng)
        published_at = min(
            starts_at - timedelta(days=rng.randint(21, 42)),
            self.now - timedelta(days=rng.randint(5, 12)),
        )
        event.starts_at, event.ends_at = starts_at, ends_at
        event.created_at = published_at - timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        event.published_at = event.updated_at = published_at
        self._date_registrations(registrations, published_at, min(starts_at, self.now), rng)
        self.session.flush()
        if is_past:
            self._mark_attendance(demo, event, registrations, rng)
        return event

    def _local_times(self, demo: DemoEvent) -> tuple[datetime, datetime]:
        today = self.now.astimezone(time_zone_or_invalid(demo.time_zone)).date()
        # `weeks` from today, then forward to the weekday: 2 weeks is 14 to 20 days away.
        day = today + timedelta(weeks=demo.weeks)
        day += timedelta(days=(demo.weekday - day.weekday()) % 7)
        return datetime.combine(day, demo.starts), datetime.combine(day, demo.ends)

    def _hosts(self, demo: DemoEvent) -> list[Member]:
        hosts = []
        for spec in demo.hosts:
            kind, _, slug = spec.partition(":")
            if kind == "org":
                found = [
                    m for m in self.members if self.organisations.get(m.organisation_id) == slug
                ]
            elif kind == "city":
                found = [m for m in self.pool if self.cities.get(m.city_id) == slug]
            else:
                found = [self.by_name[spec]] if spec in self.by_name else []
            if found and found[0] not in hosts:
                hosts.append(found[0])
        return hosts

    def _register(self, demo: DemoEvent, event: Event, hosts: list[Member], rng: random.Random):
        candidates = [member for member in self.pool if member not in hosts]
        chosen = rng.sample(candidates, min(demo.registrants, len(candidates)))
        if self.practitioner is not None and demo.practitioner == "first":
            chosen.insert(0, self.practitioner)
        elif self.practitioner is not None and demo.practitioner == "last":
            chosen.append(self.practitioner)
        questions = list(event.questions)
        registrations = []
        for number, member in enumerate(chosen):
            answers = {
                str(question.id): _answer(
                    question, demo.questions[question.position - 1], number, rng
                )
                for question in questions
            }
            registrations.append(register(self.session, member, event, answers).registration)
        return registrations

    def _date_registrations(self, registrations, start: datetime, end: datetime, rng) -> None:
        """Spread the registrations, in their order, between publication and `end`."""
        span = max((end - start).total_seconds() - 86_400, 3_600)
        moments = sorted(start + timedelta(seconds=span * rng.random()) for _ in registrations)
        for registration, moment in zip(registrations, moments, strict=True):
            registration.created_at = registration.updated_at = moment
            if registration.status == RegistrationStatus.CONFIRMED:
                registration.confirmed_at = moment

    def _mark_attendance(self, demo: DemoEvent, event: Event, registrations, rng) -> None:
        confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
        for registration in rng.sample(confirmed, min(demo.attended, len(confirmed))):
            mark_attendance(self.session, self.coordinator, registration, True)
            registration.attended_at = event.starts_at + timedelta(minutes=rng.randint(-10, 15))
            registration.updated_at = event.ends_at
        self.session.flush()


def _answer(question: EventQuestion, demo: DemoQuestion, number: int, rng: random.Random):
    if question.kind == QuestionKind.ONE_CHOICE:
        return rng.choice(question.choices)
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return rng.sample(question.choices, rng.randint(1, 2))
    if question.kind == QuestionKind.YES_NO:
        return rng.choice(("yes", "yes", "no"))
    return demo.answers[number % len(demo.answers)] if demo.answers else ""
