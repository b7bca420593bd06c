"""What members do with library entries: save them for later, mark them helpful, record
that their city adapted them; and the queries the practice page and the directory pages
read about that.

Only approved members act, and only on published entries. The counters on Practice
(helpful_count, adaptation_count) change with one UPDATE ... SET n = n + 1 in the same
transaction as the row they count, and only when that row was really inserted or
deleted, so two requests at the same moment never count twice.
"""

from dataclasses import dataclass

from sqlalchemy import case, delete, distinct, func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.accounts.models import Member
from wwc_community.core.database import insert_unless_present, utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import clean_text, render_markdown
from wwc_community.directory.models import City, Organisation, PopulationBand, Topic
from wwc_community.discussions.models import Thread
from wwc_community.library.models import (
    Adaptation,
    AdaptationStatus,
    Bookmark,
    HelpfulMark,
    Practice,
    PracticeStatus,
    practice_topic,
)
from wwc_community.library.services import visible_practices

CHANGES_MAX_LENGTH = 5_000
OUTCOME_MAX_LENGTH = 5_000
# How many adaptations, cities and questions the practice page shows before "see all".
ADAPTATION_LOG_LIMIT = 5
IMPLEMENTED_LIMIT = 30
RELATED_THREADS_LIMIT = 5
# How many entries the organisation, city, topic and profile pages list.
SECTION_LIMIT = 6

ADAPTATION_STATUS_LABELS = {
    AdaptationStatus.PLANNING: "Planning",
    AdaptationStatus.PILOTING: "Piloting",
    AdaptationStatus.IN_PLACE: "In place",
}


def status_label(status: str) -> str:
    """ "In place" for "in_place"; an unknown value as it is."""
    try:
        return ADAPTATION_STATUS_LABELS[AdaptationStatus(status)]
    except ValueError:
        return status


# Who may act ------------------------------------------------------------------------------


def require_member(actor: Member | None, doing: str) -> None:
    """Refuse visitors and accounts that are not approved members."""
    if actor is None or not getattr(actor, "is_member", False):
        raise NotPermitted(f"Only approved members can {doing}.")


def require_published(practice: Practice, doing: str) -> None:
    """Drafts and unpublished entries cannot be saved, marked or adapted."""
    if practice.status != PracticeStatus.PUBLISHED:
        raise Conflict(f"Only published entries can be {doing}. This one is not published.")


def _add_to_counter(session: Session, practice: Practice, column, amount: int) -> None:
    """Change a counter in the database itself (never read, add, write back); the
    loaded object reads the new value when next asked."""
    session.execute(
        update(Practice)
        .where(Practice.id == practice.id)
        .values({column: getattr(Practice, column) + amount})
        .execution_options(synchronize_session=False)
    )
    session.expire(practice, [column])


# Bookmarks --------------------------------------------------------------------------------


def save_practice(session: Session, actor: Member | None, practice: Practice) -> bool:
    """Put an entry on the member's Saved page; False when it already was."""
    require_member(actor, "save entries")
    require_published(practice, "saved")
    return insert_unless_present(
        session, Bookmark, member_id=actor.id, practice_id=practice.id, created_at=utcnow()
    )


def unsave_practice(session: Session, actor: Member | None, practice: Practice) -> bool:
    """Take an entry off the member's Saved page (any entry, even one unpublished since);
    False when it was not there."""
    require_member(actor, "save entries")
    result = session.execute(
        delete(Bookmark).where(Bookmark.member_id == actor.id, Bookmark.practice_id == practice.id)
    )
    return result.rowcount == 1


def saved_practices(viewer: Member):
    """The member's saved entries they may still see, most recently saved first, with
    what a card shows loaded."""
    require_member(viewer, "save entries")
    return (
        visible_practices(viewer)
        .join(Bookmark, Bookmark.practice_id == Practice.id)
        .where(Bookmark.member_id == viewer.id)
        .options(joinedload(Practice.organisation), selectinload(Practice.topics))
        .order_by(Bookmark.created_at.desc(), Practice.id.desc())
    )


# Helpful marks ----------------------------------------------------------------------------


def mark_helpful(session: Session, actor: Member | None, practice: Practice) -> None:
    """Count the member once among those who found the entry helpful, with their city
    as it is now. A second mark is refused with a Conflict that says so."""
    require_member(actor, "mark entries helpful")
    require_published(practice, "marked helpful")
    inserted = insert_unless_present(
        session,
        HelpfulMark,
        member_id=actor.id,
        practice_id=practice.id,
        city_id=actor.city_id,
        created_at=utcnow(),
    )
    if not inserted:
        raise Conflict("You have already marked this entry helpful. Each member counts once.")
    _add_to_counter(session, practice, "helpful_count", 1)


def unmark_helpful(session: Session, actor: Member | None, practice: Practice) -> None:
    """Take back one's helpful mark."""
    require_member(actor, "mark entries helpful")
    result = session.execute(
        delete(HelpfulMark).where(
            HelpfulMark.member_id == actor.id, HelpfulMark.practice_id == practice.id
        )
    )
    if result.rowcount != 1:
        raise Conflict("You had not marked this entry helpful.")
    _add_to_counter(session, practice, "helpful_count", -1)


@dataclass(frozen=True)
class BandCount:
    band: PopulationBand
    cities: int
    members: int


@dataclass(frozen=True)
class Helpfulness:
    """Who found an entry helpful: members, their cities, and the cities by size."""

    members: int = 0
    cities: int = 0
    bands: tuple[BandCount, ...] = ()


def _band_of(population_column):
    """The population band of a city as an SQL expression (None below the smallest)."""
    whens = []
    for band in reversed(list(PopulationBand)):
        low, _ = band.bounds
        whens.append((population_column >= low, band.value))
    return case(*whens, else_=None)


def helpfulness_of(session: Session, practice: Practice) -> Helpfulness:
    """The helpful marks of an entry counted by population band, in one grouped query."""
    band = _band_of(City.population).label("band")
    rows = session.execute(
        select(
            band,
            func.count().label("members"),
            func.count(distinct(HelpfulMark.city_id)).label("cities"),
        )
        .select_from(HelpfulMark)
        .outerjoin(City, City.id == HelpfulMark.city_id)
        .where(HelpfulMark.practice_id == practice.id)
        .group_by(band)
    ).all()
    by_band = {row.band: row for row in rows}
    bands = tuple(
        BandCount(band=band, cities=by_band[band.value].cities, members=by_band[band.value].members)
        for band in PopulationBand
        if band.value in by_band
    )
    return Helpfulness(
        members=sum(row.members for row in rows),
        cities=sum(row.cities for row in rows),
        bands=bands,
    )


# Adaptations ------------------------------------------------------------------------------


def _clean_markdown(
    text: str | None, what: str, field_name: str, *, required: bool, max_length: int
) -> str:
    text = clean_text(text)
    if required and not text:
        raise Invalid(f"Write {what}.", field=field_name)
    if len(text) > max_length:
        raise Invalid(
            f"Keep {what} to {max_length:,} characters (this has {len(text):,}).",
            field=field_name,
        )
    return text


def _clean_status(status: str | None) -> str:
    try:
        return AdaptationStatus(status or "").value
    except ValueError:
        raise Invalid(
            "Choose where your city is with it: planning, piloting or in place.", field="status"
        ) from None


def require_city(actor: Member) -> None:
    """Adaptations belong to a city: a member without one is told why they cannot."""
    if actor.city_id is None:
        raise Invalid(
            "Adaptations are recorded for a city, and your profile does not name the city "
            "you work for. Members from partner organisations and program staff cannot "
            "record one; if you work for a city, add it to your profile first."
        )


def record_adaptation(
    session: Session,
    actor: Member | None,
    practice: Practice,
    *,
    status: str | None,
    changes: str | None,
    outcome: str | None = "",
) -> tuple[Adaptation, bool]:
    """Record that the member's city adapted an entry, or update the city's record (one
    per city and entry, whichever of its members writes it). Return the record and
    whether it is new; the entry's count of cities grows only for a new one."""
    require_member(actor, "record what their city adapted")
    require_published(practice, "adapted")
    require_city(actor)
    status = _clean_status(status)
    changes = _clean_markdown(
        changes, "what your city changed", "changes", required=True, max_length=CHANGES_MAX_LENGTH
    )
    outcome = _clean_markdown(
        outcome, "the outcome", "outcome", required=False, max_length=OUTCOME_MAX_LENGTH
    )
    now = utcnow()
    values = {
        "member_id": actor.id,
        "status": status,
        "changes": changes,
        "changes_html": str(render_markdown(changes)),
        "outcome": outcome,
        "outcome_html": str(render_markdown(outcome)) if outcome else "",
        "updated_at": now,
    }
    # The unique key (practice, city) decides who is first when two members of one city
    # send the form at the same moment: the other one's insert does nothing and updates.
    created = insert_unless_present(
        session,
        Adaptation,
        practice_id=practice.id,
        city_id=actor.city_id,
        created_at=now,
        **values,
    )
    if created:
        _add_to_counter(session, practice, "adaptation_count", 1)
    else:
        session.execute(
            update(Adaptation)
            .where(Adaptation.practice_id == practice.id, Adaptation.city_id == actor.city_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    adaptation = session.scalar(
        select(Adaptation)
        .where(Adaptation.practice_id == practice.id, Adaptation.city_id == actor.city_id)
        .execution_options(populate_existing=True)
    )
    return adaptation, created


def adaptation_of_city(session: Session, practice: Practice, city_id: int | None):
    """The city's record for an entry (with who wrote it last), or None."""
    if city_id is None:
        return None
    return session.scalar(
        select(Adaptation)
        .where(Adaptation.practice_id == practice.id, Adaptation.city_id == city_id)
        .options(joinedload(Adaptation.member))
    )


def adaptation_log(practice: Practice):
    """Every city's record for an entry, most recently updated first, with the city and
    the member who wrote it loaded."""
    return (
        select(Adaptation)
        .where(Adaptation.practice_id == practice.id)
        .options(joinedload(Adaptation.city), joinedload(Adaptation.member))
        .order_by(Adaptation.updated_at.desc(), Adaptation.id.desc())
    )


# The practice page's section --------------------------------------------------------------


@dataclass
class Engagement:
    """What the practice page shows of members' use of an entry."""

    helpfulness: Helpfulness
    adaptations: list[Adaptation]
    adaptation_total: int
    implemented_by: list[City]
    implemented_total: int
    # None when the viewer may not read discussions (visitors, pending accounts).
    threads: list[Thread] | None
    thread_total: int
    # The viewer's own state; all False/None for visitors.
    saved: bool = False
    marked_helpful: bool = False
    own_city_status: str | None = None
    may_act: bool = False


def _viewer_state(session: Session, viewer: Member, practice: Practice) -> tuple:
    """Whether the viewer saved and marked the entry, and their city's status, in one
    query."""
    saved = (
        select(Bookmark.member_id)
        .where(Bookmark.member_id == viewer.id, Bookmark.practice_id == practice.id)
        .exists()
    )
    marked = (
        select(HelpfulMark.member_id)
        .where(HelpfulMark.member_id == viewer.id, HelpfulMark.practice_id == practice.id)
        .exists()
    )
    own = (
        select(Adaptation.status)
        .where(Adaptation.practice_id == practice.id, Adaptation.city_id == viewer.city_id)
        .scalar_subquery()
    )
    row = session.execute(select(saved.label("saved"), marked.label("marked"), own.label("own")))
    return tuple(row.one())


def _capped(session: Session, statement, limit: int) -> tuple[list, int]:
    """The first `limit` rows of a statement and how many there are, in one query."""
    rows = session.execute(statement.add_columns(func.count().over()).limit(limit)).all()
    return [row[0] for row in rows], (rows[0][-1] if rows else 0)


def related_threads(session: Session, practice: Practice, limit: int = RELATED_THREADS_LIMIT):
    """The questions asked about an entry, latest activity first, and how many."""
    statement = (
        select(Thread)
        .where(Thread.practice_id == practice.id)
        .options(joinedload(Thread.author), joinedload(Thread.city))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )
    return _capped(session, statement, limit)


def engagement_of(session: Session, viewer: Member | None, practice: Practice) -> Engagement:
    """Everything the practice page's members section shows, in a fixed number of
    queries whatever the number of marks, adaptations and questions."""
    is_member = viewer is not None and getattr(viewer, "is_member", False)
    adaptations = list(
        session.scalars(adaptation_log(practice).limit(ADAPTATION_LOG_LIMIT)).unique()
    )
    implemented_by, implemented_total = _capped(
        session,
        select(City)
        .join(Adaptation, Adaptation.city_id == City.id)
        .where(
            Adaptation.practice_id == practice.id,
            Adaptation.status == AdaptationStatus.IN_PLACE,
        )
        .order_by(City.name, City.state),
        IMPLEMENTED_LIMIT,
    )
    threads, thread_total = (None, 0)
    if is_member:
        threads, thread_total = related_threads(session, practice)
    engagement = Engagement(
        helpfulness=helpfulness_of(session, practice),
        adaptations=adaptations,
        adaptation_total=practice.adaptation_count,
        implemented_by=implemented_by,
        implemented_total=implemented_total,
        threads=threads,
        thread_total=thread_total,
    )
    if is_member:
        saved, marked, own = _viewer_state(session, viewer, practice)
        engagement.saved = bool(saved)
        engagement.marked_helpful = bool(marked)
        engagement.own_city_status = own
        engagement.may_act = practice.status == PracticeStatus.PUBLISHED
    return engagement


# Sections of the directory pages ----------------------------------------------------------


def _published_cards():
    return (
        select(Practice)
        .where(Practice.status == PracticeStatus.PUBLISHED)
        .options(joinedload(Practice.organisation))
    )


def practices_of_organisation(
    session: Session, organisation: Organisation, limit: int = SECTION_LIMIT
) -> tuple[list[Practice], int]:
    """An organisation's published entries, newest first, and how many."""
    return _capped(
        session,
        _published_cards()
        .where(Practice.organisation_id == organisation.id)
        .order_by(Practice.published_at.desc(), Practice.id.desc()),
        limit,
    )


def practices_on_topic(
    session: Session, topic: Topic, limit: int = SECTION_LIMIT
) -> tuple[list[Practice], int]:
    """A topic's published entries, newest first, and how many."""
    return _capped(
        session,
        _published_cards()
        .join(practice_topic, practice_topic.c.practice_id == Practice.id)
        .where(practice_topic.c.topic_id == topic.id)
        .order_by(Practice.published_at.desc(), Practice.id.desc()),
        limit,
    )


def adaptations_of_city(
    session: Session, city: City, limit: int = SECTION_LIMIT
) -> tuple[list[Adaptation], int]:
    """What a city adapted or implemented (published entries), latest first, and how
    many."""
    return _capped(
        session,
        select(Adaptation)
        .join(Practice, Practice.id == Adaptation.practice_id)
        .where(Adaptation.city_id == city.id, Practice.status == PracticeStatus.PUBLISHED)
        .options(joinedload(Adaptation.practice))
        .order_by(Adaptation.updated_at.desc(), Adaptation.id.desc()),
        limit,
    )


def practices_published_by(
    session: Session, member: Member, limit: int = SECTION_LIMIT
) -> tuple[list[Practice], int]:
    """The published entries a member wrote, newest first, and how many."""
    return _capped(
        session,
        _published_cards()
        .where(Practice.created_by_id == member.id)
        .order_by(Practice.published_at.desc(), Practice.id.desc()),
        limit,
    )


def adaptations_recorded_by(
    session: Session, member: Member, limit: int = SECTION_LIMIT
) -> tuple[list[Adaptation], int]:
    """The adaptations a member recorded last (published entries), latest first."""
    return _capped(
        session,
        select(Adaptation)
        .join(Practice, Practice.id == Adaptation.practice_id)
        .where(Adaptation.member_id == member.id, Practice.status == PracticeStatus.PUBLISHED)
        .options(joinedload(Adaptation.practice), joinedload(Adaptation.city))
        .order_by(Adaptation.updated_at.desc(), Adaptation.id.desc()),
        limit,
    )


# Questions about an entry -------------------------------------------------------------------


def practice_to_ask_about(session: Session, slug: str | None) -> Practice | None:
    """The published entry a question is about, with its topics; None when no slug is
    given, NotFound when it names no published entry."""
    if not slug:
        return None
    practice = session.scalar(
        select(Practice)
        .where(Practice.slug == slug, Practice.status == PracticeStatus.PUBLISHED)
        .options(selectinload(Practice.topics))
    )
    if practice is None:
        raise NotFound("There is no published library entry at this address to ask about.")
    return practice
