"""What the load benchmark asks the database, in the benchmark's own process: the pages
to load (found by query, never by fixed ids), the members who sign in, the sizes of the
dataset, and after the run the loss check of every accepted POST."""

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import and_, exists, func, not_, or_, select

from wwc_community import create_app
from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.database import utcnow
from wwc_community.directory.models import Topic
from wwc_community.discussions.models import Post, Thread, thread_topic
from wwc_community.events.models import (
    Event,
    EventQuestion,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from wwc_community.extensions import db
from wwc_community.library.models import Adaptation, Practice, PracticeStatus, practice_topic
from wwc_community.search.indexer import current_index_dir, read_mark
from wwc_community.search.models import SearchOutbox

# Every generated member has this password (the large data generator's contract), and so
# has every demo account.
MEMBER_PASSWORD = "demo-community-2026"
BULK_EMAIL_PATTERN = "member%@bulk.demo.wwc.example"

# Title words that say nothing about a thread: left out of the search words.
COMMON_WORDS = frozenset(
    "about after again also another any anyone before being best city cities could does "
    "doing from have help here into just know like make more most much other others over "
    "should some such than that their them then there these they this those through using "
    "want were what when where which while with would your how who why our you are for "
    "the and can get has had did".split()
)


def open_app(sqlalchemy_url: str, instance_path: Path, secret_key: str) -> Flask:
    """The site's app in production configuration, on the benchmark's dataset."""
    return create_app(
        "production",
        overrides={
            "SECRET_KEY": secret_key,
            "SQLALCHEMY_DATABASE_URI": sqlalchemy_url,
            "SEARCH_INDEX_PATH": None,
            "REQUEST_LOG": False,
        },
        instance_path=str(instance_path),
    )


@dataclass
class Targets:
    """The addresses each scenario loads and the members who load them."""

    home: str = "/"
    discussions: str = ""
    thread: str = ""
    thread_answers: int = 0
    library: str = ""
    practice: str = ""
    search: str = ""
    event: str = ""
    members: list[str] = field(default_factory=list)
    # Per member e-mail: the events (id, slug) they are not registered for and may join.
    open_events: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # Open threads (id, slug) that take the benchmark's answers.
    answer_threads: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def dataset_sizes(app: Flask) -> dict[str, int]:
    """Rows of the tables that grow with the community."""
    tables = {
        "members": Member,
        "threads": Thread,
        "posts": Post,
        "practices": Practice,
        "adaptations": Adaptation,
        "events": Event,
        "registrations": Registration,
    }
    with app.app_context():
        return {
            name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in tables.items()
        }


def find_targets(app: Flask, members_wanted: int, answer_threads_wanted: int = 200) -> Targets:
    """Query the dataset for every page the scenarios load and the members who sign in."""
    targets = Targets()
    now = utcnow()
    with app.app_context():
        session = db.session
        # Discussions filtered: the topic with the most unanswered threads, unanswered only.
        topic = session.execute(
            select(Topic.slug, Topic.id, func.count(Thread.id).label("threads"))
            .join(thread_topic, thread_topic.c.topic_id == Topic.id)
            .join(Thread, Thread.id == thread_topic.c.thread_id)
            .where(Thread.answer_count == 0)
            .group_by(Topic.id, Topic.slug)
            .order_by(func.count(Thread.id).desc(), Topic.id)
            .limit(1)
        ).first()
        if topic is None:
            topic = session.execute(select(Topic.slug, Topic.id).order_by(Topic.id).limit(1)).one()
        targets.discussions = f"/discussions?topic={topic.slug}&state=unanswered"

        # The thread page: the thread with the most answers.
        thread = session.execute(
            select(Thread.id, Thread.slug, Thread.answer_count)
            .order_by(Thread.answer_count.desc(), Thread.id)
            .limit(1)
        ).one()
        targets.thread = f"/discussions/{thread.id}-{thread.slug}"
        targets.thread_answers = thread.answer_count
        if thread.answer_count < 100:
            targets.notes.append(
                f"The thread with the most answers has {thread.answer_count} (fewer than 100)."
            )

        # Library filtered: the topic and type of entry with the most published entries.
        library = session.execute(
            select(Topic.slug, Practice.kind, func.count(Practice.id))
            .join(practice_topic, practice_topic.c.topic_id == Topic.id)
            .join(Practice, Practice.id == practice_topic.c.practice_id)
            .where(Practice.status == PracticeStatus.PUBLISHED)
            .group_by(Topic.slug, Practice.kind)
            .order_by(func.count(Practice.id).desc(), Topic.slug, Practice.kind)
            .limit(1)
        ).first()
        targets.library = (
            f"/library?topic={library[0]}&type={library[1]}" if library else "/library"
        )

        # A practice page: the published entry most cities adapted.
        practice = session.scalar(
            select(Practice.slug)
            .where(Practice.status == PracticeStatus.PUBLISHED)
            .order_by(Practice.adaptation_count.desc(), Practice.helpful_count.desc(), Practice.id)
            .limit(1)
        )
        targets.practice = f"/library/{practice}"

        # An event page: the upcoming published event with the most seats taken.
        event = session.scalar(
            select(Event.slug)
            .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
            .order_by(Event.seats_taken.desc(), Event.id)
            .limit(1)
        )
        targets.event = f"/events/{event}"

        # Search: the two words most often found together in that topic's thread titles,
        # with the topic as the facet.
        titles = session.scalars(
            select(Thread.title)
            .join(thread_topic, thread_topic.c.thread_id == Thread.id)
            .where(thread_topic.c.topic_id == topic.id)
            .limit(5000)
        ).all()
        first, second = _two_search_words(titles)
        targets.search = f"/search?q={first}+{second}&topic={topic.slug}"

        targets.members = _members_to_sign_in(session, members_wanted, now, targets.notes)
        targets.open_events = _open_events_by_member(session, targets.members, now)
        targets.answer_threads = [
            (row.id, row.slug)
            for row in session.execute(
                select(Thread.id, Thread.slug)
                .where(
                    Thread.locked_at.is_(None),
                    Thread.closed_at.is_(None),
                    Thread.answer_count > 0,  # the unanswered list stays as it was
                    Thread.id != thread.id,  # the thread page stays the same size
                )
                # The threads with the fewest answers: run after run, the benchmark's answers
                # spread out instead of growing a few threads past the one the page loads.
                .order_by(Thread.answer_count, Thread.last_activity_at.desc(), Thread.id)
                .limit(answer_threads_wanted)
            )
        ]
        session.rollback()
    return targets


def _two_search_words(titles: list[str]) -> tuple[str, str]:
    def words(title: str) -> set[str]:
        return {
            word
            for word in re.findall(r"[a-z]+", title.lower())
            if len(word) >= 4 and word not in COMMON_WORDS
        }

    counts = Counter(word for title in titles for word in words(title))
    if not counts:
        return "data", "city"
    first = counts.most_common(1)[0][0]
    together = Counter(
        word for title in titles if first in words(title) for word in words(title) - {first}
    )
    if together:
        return first, together.most_common(1)[0][0]
    others = [word for word, _ in counts.most_common(2) if word != first]
    return first, others[0] if others else "data"


def _open_event_filter(now):
    """Published events that have not started, open for registration for at least the
    next hour, without questions to answer, with seats or a waitlist."""
    soon = now + timedelta(hours=1)
    return and_(
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at > soon,
        or_(Event.registration_opens_at.is_(None), Event.registration_opens_at <= now),
        or_(Event.registration_closes_at.is_(None), Event.registration_closes_at > soon),
        not_(exists().where(EventQuestion.event_id == Event.id)),
    )


def _members_to_sign_in(session, wanted: int, now, notes: list[str]) -> list[str]:
    """Generated members (active, verified) with the fewest registrations for open
    events, so that each run finds new member/event pairs; demo partners and members
    after them when the dataset has too few (plain demo data)."""
    taken = (
        select(Registration.member_id, func.count(Registration.id).label("taken"))
        .join(Event, Event.id == Registration.event_id)
        .where(_open_event_filter(now))
        .group_by(Registration.member_id)
        .subquery()
    )
    usable = and_(
        Member.status == MemberStatus.ACTIVE,
        Member.email_verified_at.is_not(None),
        Member.deleted_at.is_(None),
        Member.role.in_([Role.PRACTITIONER, Role.PARTNER]),
    )
    bulk = session.scalars(
        select(Member.email)
        .outerjoin(taken, taken.c.member_id == Member.id)
        .where(usable, Member.email.like(BULK_EMAIL_PATTERN))
        .order_by(func.coalesce(taken.c.taken, 0), Member.id)
        .limit(wanted)
    ).all()
    if len(bulk) >= wanted:
        return list(bulk)
    notes.append(
        f"Only {len(bulk)} generated members: demo members sign in too (new members' "
        "posting limits may refuse their answers)."
    )
    others = session.scalars(
        select(Member.email)
        .where(usable, Member.email.not_in(bulk))
        # Partners first: the posting limit for new members never applies to them.
        .order_by((Member.role == Role.PARTNER).desc(), Member.id)
        .limit(wanted - len(bulk))
    ).all()
    return [*bulk, *others]


def _open_events_by_member(session, emails: list[str], now) -> dict[str, list[tuple[int, str]]]:
    """For each member, the open events they may still register for, emptiest first; an
    event without a waitlist only while it has a seat for each of the members."""
    room = or_(Event.waitlist_enabled, Event.capacity - Event.seats_taken >= len(emails))
    events = session.execute(
        select(Event.id, Event.slug)
        .where(_open_event_filter(now), room)
        .order_by((Event.capacity - Event.seats_taken).desc(), Event.id)
    ).all()
    members = dict(
        session.execute(select(Member.email, Member.id).where(Member.email.in_(emails))).all()
    )
    registered = {
        tuple(row)
        for row in session.execute(
            select(Registration.member_id, Registration.event_id).where(
                Registration.member_id.in_(list(members.values()))
            )
        ).all()
    }
    return {
        email: [
            (event.id, event.slug)
            for event in events
            if (members[email], event.id) not in registered
        ]
        for email in emails
    }


# After the run ---------------------------------------------------------------------------


@dataclass
class LossCheck:
    """What the database and the index hold of what the server accepted."""

    answers_accepted: int = 0
    registrations_accepted: int = 0
    failed_requests: int = 0
    problems: list[str] = field(default_factory=list)
    index_wait_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems


def wait_for_index(app: Flask, timeout: float) -> tuple[bool, float, int]:
    """Wait until the search worker has applied every outbox row: (caught up, seconds
    waited, rows still pending)."""
    started = time.monotonic()
    pending = -1
    while True:
        with app.app_context():
            index_dir = current_index_dir(app)
            if index_dir is not None:
                mark = read_mark(index_dir)
                waiting = SearchOutbox.id > mark.last_applied_id
                if mark.gaps:
                    waiting = or_(waiting, SearchOutbox.id.in_(list(mark.gaps)))
                pending = db.session.scalar(select(func.count(SearchOutbox.id)).where(waiting))
            db.session.rollback()
        waited = time.monotonic() - started
        if pending == 0:
            return True, waited, 0
        if waited >= timeout:
            return False, waited, pending
        time.sleep(0.25)


def check_answers(app: Flask, accepted: dict[str, int], marker_prefix: str, check: LossCheck):
    """Every accepted answer (marker -> thread id) is in the database exactly once, in its
    thread, and its marker is found in that thread's search document."""
    check.answers_accepted = len(accepted)
    if not accepted:
        return
    from whoosh import index as whoosh_index
    from whoosh.query import Term

    with app.app_context():
        found: dict[str, list[int]] = {}
        for thread_id, body in db.session.execute(
            select(Post.thread_id, Post.body).where(Post.body.contains(marker_prefix))
        ):
            for marker in re.findall(rf"\b{marker_prefix}[a-z]+\b", body):
                found.setdefault(marker, []).append(thread_id)
        db.session.rollback()
        index_dir = current_index_dir(app)
    missing = [marker for marker in accepted if marker not in found]
    doubled = [marker for marker, threads in found.items() if len(threads) > 1]
    misplaced = [m for m, t in accepted.items() if m in found and found[m] != [t]]
    if missing:
        check.problems.append(f"{len(missing)} accepted answers are not in the database")
    if doubled:
        check.problems.append(f"{len(doubled)} answers are in the database more than once")
    if misplaced:
        check.problems.append(f"{len(misplaced)} answers are in another thread")
    if index_dir is None:
        check.problems.append("there is no search index")
        return
    ix = whoosh_index.open_dir(str(index_dir))
    analyzer = ix.schema["body"].analyzer
    not_indexed = 0
    with ix.searcher() as searcher:
        for marker, thread_id in accepted.items():
            term = next((token.text for token in analyzer(marker)), marker)
            doc_ids = {
                searcher.stored_fields(number)["doc_id"]
                for number in searcher.docs_for_query(Term("body", term))
            }
            if f"thread:{thread_id}" not in doc_ids:
                not_indexed += 1
    if not_indexed:
        check.problems.append(f"{not_indexed} accepted answers are not found by search")


def check_registrations(app: Flask, accepted: list[tuple[str, int]], check: LossCheck) -> None:
    """Every accepted registration (member e-mail, event id) is one active row; no event
    has more seats taken than its capacity, nor another count than its confirmed rows."""
    check.registrations_accepted = len(accepted)
    if not accepted:
        return
    doubled_requests = [pair for pair, times in Counter(accepted).items() if times > 1]
    if doubled_requests:
        check.problems.append(f"{len(doubled_requests)} member/event pairs were accepted twice")
    event_ids = sorted({event_id for _, event_id in accepted})
    with app.app_context():
        members = dict(
            db.session.execute(
                select(Member.email, Member.id).where(
                    Member.email.in_(sorted({email for email, _ in accepted}))
                )
            ).all()
        )
        rows = Counter(
            (member_id, event_id)
            for member_id, event_id, status in db.session.execute(
                select(Registration.member_id, Registration.event_id, Registration.status).where(
                    Registration.event_id.in_(event_ids),
                    Registration.member_id.in_(list(members.values())),
                    Registration.status != RegistrationStatus.CANCELLED,
                )
            )
        )
        confirmed = dict(
            db.session.execute(
                select(Registration.event_id, func.count(Registration.id))
                .where(
                    Registration.event_id.in_(event_ids),
                    Registration.status == RegistrationStatus.CONFIRMED,
                )
                .group_by(Registration.event_id)
            ).all()
        )
        seats = db.session.execute(
            select(Event.id, Event.seats_taken, Event.capacity).where(Event.id.in_(event_ids))
        ).all()
        db.session.rollback()
    lost = [pair for pair in set(accepted) if rows[(members.get(pair[0]), pair[1])] == 0]
    doubled = [pair for pair, times in rows.items() if times > 1]
    if lost:
        check.problems.append(f"{len(lost)} accepted registrations are not in the database")
    if doubled:
        check.problems.append(f"{len(doubled)} registrations are in the database twice")
    over = [event_id for event_id, taken, capacity in seats if taken > capacity]
    if over:
        check.problems.append(f"{len(over)} events have more seats taken than their capacity")
    miscounted = [event_id for event_id, taken, _ in seats if taken != confirmed.get(event_id, 0)]
    if miscounted:
        check.problems.append(
            f"{len(miscounted)} events count other seats taken than their confirmed registrations"
        )
