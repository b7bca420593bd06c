"""Build the index's documents from the database, many at a time with a fixed number of
queries per batch. A kind's builder returns {object id: fields}, and None for an object
that must leave the index (gone, suspended, hidden from everyone).

Each kind is a `DocumentKind` in KINDS_INDEXED: a builder and the statement that lists
every id a rebuild indexes. An outbox row of a kind with no builder is skipped and
logged by the indexer.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.directory.models import City
from wwc_community.discussions.models import Post, Thread
from wwc_community.events.models import Event, EventStatus, EventType
from wwc_community.library.models import Attachment, Practice, PracticeResult, PracticeStatus
from wwc_community.search.schema import MEMBERS, PUBLIC, organisation_token

# What an accepted answer adds to a thread's popularity (the votes count one each).
ACCEPTED_BONUS = 10

Document = dict
Builder = Callable[[Session, list[int]], dict[int, Document | None]]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: how to build it, and every id a rebuild indexes."""

    name: str
    build: Builder
    all_ids: Callable[[], Select]


def doc_id(kind: str, object_id: int) -> str:
    """The unique key of a document: "thread:12"."""
    return f"{kind}:{object_id}"


def _naive_utc(moment: datetime | None) -> datetime | None:
    """Whoosh's DATETIME takes naive datetimes: the index holds UTC without a zone."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None)


def _join(parts: Iterable[str | None]) -> str:
    return "\n\n".join(part for part in parts if part)


def _place(city: City | None) -> dict:
    if city is None:
        return {}
    band = city.population_band
    return {"city": city.slug, "state": city.state, "band": band.value if band else None}


def _document(kind: str, object_id: int, **fields) -> Document:
    """Whoosh refuses None values: leave the field out instead."""
    fields = {name: value for name, value in fields.items() if value is not None}
    title = fields.get("title", "")
    body = fields.get("body", "")
    return {
        "doc_id": doc_id(kind, object_id),
        "kind": kind,
        "object_id": object_id,
        "spelling": f"{title}\n{body}",
        **fields,
    }


# Threads ---------------------------------------------------------------------------------


def visible_post_bodies(session: Session, thread_ids: list[int]) -> dict[int, list[str]]:
    """The bodies of each thread's answers and comments that readers see (not hidden or
    removed, nor under a hidden or removed answer), oldest first, in one query."""
    parent = aliased(Post)
    bodies: dict[int, list[str]] = defaultdict(list)
    for thread_id, body in session.execute(
        select(Post.thread_id, Post.body)
        .outerjoin(parent, parent.id == Post.parent_id)
        .where(
            Post.thread_id.in_(thread_ids),
            Post.hidden_at.is_(None),
            Post.deleted_at.is_(None),
            or_(
                Post.parent_id.is_(None),
                and_(parent.hidden_at.is_(None), parent.deleted_at.is_(None)),
            ),
        )
        .order_by(Post.thread_id, Post.created_at, Post.id)
    ):
        bodies[thread_id].append(body)
    return bodies


def build_threads(session: Session, ids: list[int]) -> dict[int, Document | None]:
    """A thread: its question, and the answers and comments members can read (not
    hidden by a moderator, not removed by the author, not under such an answer)."""
    threads = session.scalars(
        select(Thread)
        .where(Thread.id.in_(ids))
        .options(selectinload(Thread.topics), joinedload(Thread.city))
    ).all()
    bodies = visible_post_bodies(session, ids)
    documents: dict[int, Document | None] = dict.fromkeys(ids)
    for thread in threads:
        accepted = thread.accepted_post_id is not None
        documents[thread.id] = _document(
            "thread",
            thread.id,
            title=thread.title,
            body=_join([thread.body, *bodies[thread.id]]),
            topics=",".join(topic.slug for topic in thread.topics),
            **_place(thread.city),
            accepted=accepted,
            date=_naive_utc(thread.last_activity_at),
            popularity=thread.vote_count + (ACCEPTED_BONUS if accepted else 0),
            visibility=MEMBERS,
        )
    return documents


# Practices -------------------------------------------------------------------------------


def build_practices(session: Session, ids: list[int]) -> dict[int, Document | None]:
    """A library entry: its summary, evidence, results, body and the text of its
    attachments. Published entries are public; drafts and unpublished entries only for
    their organisation's staff (and coordinators)."""
    practices = session.scalars(
        select(Practice)
        .where(Practice.id.in_(ids))
        .options(selectinload(Practice.topics), joinedload(Practice.organisation))
    ).all()
    extra = defaultdict(list)
    for practice_id, measure in session.execute(
        select(PracticeResult.practice_id, PracticeResult.measure)
        .where(PracticeResult.practice_id.in_(ids))
        .order_by(PracticeResult.practice_id, PracticeResult.position)
    ):
        extra[practice_id].append(measure)
    for practice_id, text in session.execute(
        select(Attachment.practice_id, Attachment.extracted_text)
        .where(Attachment.practice_id.in_(ids))
        .order_by(Attachment.practice_id, Attachment.id)
    ):
        extra[practice_id].append(text)
    documents: dict[int, Document | None] = dict.fromkeys(ids)
    for practice in practices:
        published = practice.status == PracticeStatus.PUBLISHED
        documents[practice.id] = _document(
            "practice",
            practice.id,
            title=practice.title,
            body=_join(
                [
                    practice.summary,
                    practice.problem,
                    practice.intervention,
                    practice.outcome_measure,
                    practice.body,
                    *extra[practice.id],
                ]
            ),
            topics=",".join(topic.slug for topic in practice.topics),
            organisation=practice.organisation.slug,
            tier=practice.evidence_tier,
            date=_naive_utc(practice.updated_at or practice.published_at or practice.edited_at),
            popularity=practice.helpful_count + practice.adaptation_count,
            visibility=PUBLIC if published else organisation_token(practice.organisation_id),
        )
    return documents


# Members ---------------------------------------------------------------------------------


def build_members(session: Session, ids: list[int]) -> dict[int, Document | None]:
    """A member's profile, for members only; pending, suspended, declined and deleted
    members are not in the index."""
    members = session.scalars(
        select(Member)
        .where(Member.id.in_(ids), Member.status == MemberStatus.ACTIVE)
        .options(selectinload(Member.expertise))
    ).unique()
    documents: dict[int, Document | None] = dict.fromkeys(ids)
    for member in members:
        documents[member.id] = _document(
            "member",
            member.id,
            title=member.display_name,
            body=_join([member.job_title, member.department, member.bio]),
            topics=",".join(topic.slug for topic in member.expertise),
            **_place(member.city),
            organisation=member.organisation.slug if member.organisation else None,
            date=_naive_utc(member.created_at),
            popularity=0,
            visibility=MEMBERS,
        )
    return documents


# Events ------------------------------------------------------------------------------------


def build_events(session: Session, ids: list[int]) -> dict[int, Document | None]:
    """A published or cancelled event: public ones for everyone, the rest for members.
    Drafts are not in the index (coordinators find them in the event list)."""
    events = session.scalars(
        select(Event)
        .where(
            Event.id.in_(ids),
            Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
        )
        .options(selectinload(Event.topics), selectinload(Event.hosts))
    ).all()
    documents: dict[int, Document | None] = dict.fromkeys(ids)
    for event in events:
        documents[event.id] = _document(
            "event",
            event.id,
            title=event.title,
            body=_join(
                [
                    EventType(event.event_type).label,
                    event.description,
                    "Online" if event.is_online else event.location,
                    *(host.display_name for host in event.hosts),
                ]
            ),
            topics=",".join(topic.slug for topic in event.topics),
            date=_naive_utc(event.starts_at),
            popularity=event.seats_taken,
            visibility=PUBLIC if event.is_public else MEMBERS,
        )
    return documents


KINDS_INDEXED: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("thread", build_threads, lambda: select(Thread.id).order_by(Thread.id)),
        DocumentKind(
            "practice", build_practices, lambda: select(Practice.id).order_by(Practice.id)
        ),
        DocumentKind(
            "event",
            build_events,
            lambda: (
                select(Event.id)
                .where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
                .order_by(Event.id)
            ),
        ),
        DocumentKind(
            "member",
            build_members,
            lambda: (
                select(Member.id).where(Member.status == MemberStatus.ACTIVE).order_by(Member.id)
            ),
        ),
    )
}


def build_documents(session: Session, kind: str, ids: Iterable[int]) -> dict[int, Document | None]:
    """The documents of `kind` for `ids` (None: remove it); KeyError for an unknown kind."""
    return KINDS_INDEXED[kind].build(session, sorted(set(ids)))
