"""Load the demo library (demo_practices.py) through the publishing and engagement
services, so that versions and counters are what real use would leave, then date
everything over the last ten months. Entries already there (same slug) are skipped,
with everything done to them."""

import random
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from textwrap import dedent

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member
from wwc_community.core.database import utcnow
from wwc_community.core.demo_people import demo_people
from wwc_community.directory.models import Organisation, Topic
from wwc_community.discussions.demo import MODERATOR_NAME, ThreadSeeder
from wwc_community.discussions.models import Thread
from wwc_community.library import engagement
from wwc_community.library.demo_practices import (
    DEMO_PRACTICES,
    PRACTICE_QUESTIONS,
    PRACTITIONER_EMAIL,
    DemoPractice,
    DemoResult,
)
from wwc_community.library.models import (
    Adaptation,
    Bookmark,
    HelpfulMark,
    Practice,
    PracticeStatus,
    PracticeVersion,
)
from wwc_community.library.services import (
    LinkRow,
    PracticeFields,
    ResultRow,
    create_draft,
    publish,
    save_practice,
    set_featured,
    unpublish,
)

# The coordinator who features entries is the one who moderates the discussions.
FEATURED_BY = MODERATOR_NAME
_SECTION_START = re.compile(r"^## ", re.MULTILINE)


def seed_demo_library(session: Session, account_emails: Iterable[str] = ()) -> int:
    """Add the demo entries that are not there yet, with their adaptations, helpful
    marks, bookmarks and questions; return how many entries were added.

    An entry whose author or organisation is missing is skipped, and so is a mark,
    adaptation or question by a member who is missing."""
    slugs = [demo.slug for demo in DEMO_PRACTICES]
    existing = set(session.scalars(select(Practice.slug).where(Practice.slug.in_(slugs))))
    wanted = [demo for demo in DEMO_PRACTICES if demo.slug not in existing]
    if not wanted:
        return 0
    emails = [person.email for person in demo_people()] + list(account_emails)
    members = {
        member.display_name: member
        for member in session.scalars(select(Member).where(Member.email.in_(emails)))
        if member.is_member
    }
    organisations = {org.slug: org for org in session.scalars(select(Organisation))}
    topics = {topic.name: topic for topic in session.scalars(select(Topic))}
    seeder = _LibrarySeeder(session, members, utcnow())
    added = {}
    for demo in wanted:
        practice = seeder.add_practice(demo, organisations, topics)
        if practice is not None:
            added[demo.slug] = practice
    practitioner = next(
        (member for member in members.values() if member.email == PRACTITIONER_EMAIL), None
    )
    for demo in wanted:
        if demo.slug in added and demo.status == PracticeStatus.PUBLISHED:
            seeder.add_engagement(demo, added[demo.slug], practitioner)
    seeder.settle_timestamps()
    seeder.ask_questions(added, topics)
    return len(added)


def versions_of(demo: DemoPractice) -> list[tuple[float, str, str, tuple[DemoResult, ...]]]:
    """What each published version said, oldest first: (days ago, summary, body,
    results). The last is the entry as it is now; each earlier one lacks the section
    and results the next update brought, and has the summary from before it."""
    body = dedent(demo.body).strip()
    state = (demo.summary, body, demo.results)
    states = [state]
    for update_ in reversed(demo.updates):
        summary, body, results = state
        if update_.section:
            body = _without_section(body, update_.section)
        if update_.results_added:
            results = results[: -update_.results_added]
        state = (update_.summary_before or summary, body, results)
        states.insert(0, state)
    days = [demo.days_ago] + [update_.days_ago for update_ in demo.updates]
    return [(day, *state) for day, state in zip(days, states, strict=True)]


def _without_section(body: str, heading: str) -> str:
    """The Markdown body without the "## heading" section (up to the next one)."""
    starts = [match.start() for match in _SECTION_START.finditer(body)] + [len(body)]
    for start, end in zip(starts, starts[1:], strict=False):
        if body[start:].startswith(f"## {heading}\n"):
            return (body[:start] + body[end:]).strip()
    raise ValueError(f"No section {heading!r} in the body")


class _LibrarySeeder:
    """One run of the demo library: creates through the services, remembers when each
    thing should have happened, and writes those times at the end."""

    def __init__(self, session: Session, members: dict[str, Member], now: datetime):
        self.session = session
        self.members = members
        self.now = now
        self.coordinator = members.get(FEATURED_BY)
        # practice id -> created_at, edited_at, published_at, updated_at, featured_at
        self.practice_times: dict[int, dict[str, datetime | None]] = {}
        self.version_times: dict[tuple[int, int], datetime] = {}
        self.mark_times: dict[tuple[int, int], datetime] = {}
        self.bookmark_times: dict[tuple[int, int], datetime] = {}
        self.adaptation_times: dict[int, datetime] = {}

    def _ago(self, days: float, rng: random.Random) -> datetime:
        return self.now - timedelta(days=days, minutes=rng.randint(0, 480))

    def add_practice(
        self, demo: DemoPractice, organisations: dict[str, Organisation], topics: dict
    ) -> Practice | None:
        author = self.members.get(demo.author)
        organisation = organisations.get(demo.organisation)
        if author is None or organisation is None:
            return None
        rng = random.Random(demo.slug)
        versions = versions_of(demo)
        _, summary, body, results = versions[0]
        fields = self._fields(demo, summary, body, results, topics)
        practice = create_draft(self.session, author, organisation, fields)
        practice.slug = demo.slug
        times = [self._ago(days, rng) for days, *_ in versions]
        self.practice_times[practice.id] = {
            "created_at": times[0] - timedelta(days=rng.uniform(2, 12)),
            "edited_at": times[-1],
            "published_at": None,
            "updated_at": None,
            "featured_at": None,
        }
        if demo.status == PracticeStatus.DRAFT:
            return practice
        publish(self.session, author, practice)
        self.version_times[(practice.id, 1)] = times[0]
        for number, (_, summary, body, results) in enumerate(versions[1:], start=2):
            save_practice(
                self.session,
                author,
                practice,
                self._fields(demo, summary, body, results, topics),
            )
            self.version_times[(practice.id, number)] = times[number - 1]
        self.practice_times[practice.id].update(published_at=times[0], updated_at=times[-1])
        if demo.status == PracticeStatus.UNPUBLISHED:
            unpublish(self.session, author, practice)
            self.practice_times[practice.id]["edited_at"] = times[-1] + timedelta(days=40)
        elif demo.featured and self.coordinator is not None:
            set_featured(self.session, self.coordinator, practice, True)
            self.practice_times[practice.id]["featured_at"] = times[0] + timedelta(days=2)
        return practice

    def _fields(
        self,
        demo: DemoPractice,
        summary: str,
        body: str,
        results: tuple[DemoResult, ...],
        topics: dict[str, Topic],
    ) -> PracticeFields:
        return PracticeFields(
            title=demo.title,
            kind=demo.kind,
            summary=summary,
            body=body,
            topics=[topics[name] for name in demo.topics if name in topics],
            problem=demo.problem,
            intervention=demo.intervention,
            outcome_measure=demo.outcome_measure,
            evaluation_design=demo.design,
            cost=demo.cost,
            time_to_implement=demo.time_to_implement,
            results=[
                ResultRow(
                    measure=result.measure,
                    unit=result.unit,
                    baseline_value=result.baseline,
                    baseline_date=date.fromisoformat(result.baseline_date),
                    result_value=result.result,
                    result_date=date.fromisoformat(result.result_date),
                )
                for result in results
            ],
            links=[LinkRow(label=label, url=url) for label, url in demo.links],
        )

    def add_engagement(
        self, demo: DemoPractice, practice: Practice, practitioner: Member | None
    ) -> None:
        """The adaptations, helpful marks and the practitioner's bookmark of an entry."""
        rng = random.Random(f"{demo.slug} engagement")
        published_at = self.practice_times[practice.id]["published_at"]
        for adaptation in demo.adaptations:
            member = self.members.get(adaptation.member)
            if member is None or member.city_id is None:
                continue
            record, _ = engagement.record_adaptation(
                self.session,
                member,
                practice,
                status=adaptation.status,
                changes=adaptation.changes,
                outcome=adaptation.outcome,
            )
            self.adaptation_times[record.id] = self._ago(adaptation.days_ago, rng)
        for name in demo.helpful:
            member = self.members.get(name)
            if member is None:
                continue
            engagement.mark_helpful(self.session, member, practice)
            self.mark_times[(member.id, practice.id)] = self._after(published_at, rng)
        if demo.bookmarked_by_practitioner and practitioner is not None:
            engagement.save_practice(self.session, practitioner, practice)
            self.bookmark_times[(practitioner.id, practice.id)] = self._after(published_at, rng)

    def _after(self, moment: datetime, rng: random.Random) -> datetime:
        """A moment between `moment` and now, more often early than late."""
        span = (self.now - moment).total_seconds()
        return moment + timedelta(seconds=span * rng.random() ** 2)

    def settle_timestamps(self) -> None:
        """Write when everything happened instead of the moment of seeding."""
        session = self.session
        session.flush()
        if self.practice_times:
            session.execute(
                update(Practice),
                [{"id": id_, **times} for id_, times in self.practice_times.items()],
            )
        if self.version_times:
            ids = {
                (version.practice_id, version.number): version.id
                for version in session.scalars(
                    select(PracticeVersion).where(
                        PracticeVersion.practice_id.in_(list(self.practice_times))
                    )
                )
            }
            session.execute(
                update(PracticeVersion),
                [{"id": ids[key], "published_at": at} for key, at in self.version_times.items()],
            )
        if self.adaptation_times:
            session.execute(
                update(Adaptation),
                [
                    {"id": id_, "created_at": at, "updated_at": at}
                    for id_, at in self.adaptation_times.items()
                ],
            )
        for model, times in ((HelpfulMark, self.mark_times), (Bookmark, self.bookmark_times)):
            if times:
                session.execute(
                    update(model),
                    [
                        {"member_id": member_id, "practice_id": practice_id, "created_at": at}
                        for (member_id, practice_id), at in times.items()
                    ],
                )
        session.expire_all()

    def ask_questions(self, added: dict[str, Practice], topics: dict[str, Topic]) -> None:
        """The questions members asked about entries, linked to them, through the
        discussion seeder (so answers, votes and notifications are dated the same way)."""
        wanted = [
            (added[slug], demo)
            for slug, demo in PRACTICE_QUESTIONS
            if slug in added and added[slug].status == PracticeStatus.PUBLISHED
        ]
        existing = set(
            self.session.scalars(
                select(Thread.title).where(Thread.title.in_([demo.title for _, demo in wanted]))
            )
        )
        seeder = ThreadSeeder(self.session, self.members, self.now)
        for practice, demo in wanted:
            if demo.title in existing:
                continue
            thread = seeder.add_thread(demo, topics)
            if thread is not None:
                thread.practice_id = practice.id
        seeder.settle_timestamps()
