"""What helps a city close a gap: the library entries, threads and events tagged with a
criterion, and peers (members of cities that met it and share that).

Both functions answer for many codes at once with a bounded number of queries, whatever
the number of codes, and show each viewer only what they may see. Each kind is one query
that ranks its rows per code with row_number() (a window function: SQLite and PostgreSQL
alike), so at most `per_code` rows per code ever leave the database; the relationships a
page shows are then loaded with one selectin query each.

Tags are matched by criterion code, not by criterion row: DG1 of a retired version and
DG1 of the active one are the same subject to a reader."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.certification.frameworks import active_framework
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    CriterionProgress,
    ProgressStatus,
    event_criterion,
    practice_criterion,
    thread_criterion,
)
from wwc_community.core.database import utcnow
from wwc_community.directory.models import City
from wwc_community.discussions.models import Thread
from wwc_community.events.listing import visible_condition
from wwc_community.events.models import Event, EventStatus
from wwc_community.library.models import Practice, PracticeStatus


@dataclass
class Related:
    """Published library entries, visible threads and upcoming published events tagged
    with one criterion code (any framework version), newest or soonest first."""

    practices: list = field(default_factory=list)
    threads: list = field(default_factory=list)
    events: list = field(default_factory=list)


@dataclass
class Peer:
    """An active member of a city that met the criterion and shares its met criteria."""

    member: object
    city: object
    met_at: datetime | None


@dataclass
class CityThatMet:
    """A city that met a criterion, for the criterion's page. `shared` is False for a
    city that keeps its met criteria to itself (only its own members and coordinators
    see it listed)."""

    city: City
    met_at: datetime | None
    shared: bool


def _clean_codes(codes) -> list[str]:
    """The codes in capitals, each once, in the order given."""
    return list(dict.fromkeys((code or "").strip().upper() for code in codes if code))


def _is_member(viewer) -> bool:
    return viewer is not None and bool(getattr(viewer, "is_member", False))


def _tagged(
    session: Session,
    entity,
    tag_table,
    owner_column,
    codes: list[str],
    conditions: list,
    order_by: list,
    per_code: int,
    options: list,
) -> dict[str, list]:
    """Code -> up to `per_code` rows of `entity` tagged with that code (any framework
    version) that meet `conditions`, in `order_by` order: one query, plus one per loader
    option."""
    # Each (code, owner) once, even when the owner carries DG1 of two versions.
    pairs = (
        select(Criterion.code.label("code"), owner_column.label("owner_id"))
        .join(Criterion, Criterion.id == tag_table.c.criterion_id)
        .where(Criterion.code.in_(codes))
        .distinct()
        .subquery()
    )
    ranked = (
        select(
            pairs.c.code,
            pairs.c.owner_id,
            func.row_number().over(partition_by=pairs.c.code, order_by=order_by).label("rank"),
        )
        .join(entity, entity.id == pairs.c.owner_id)
        .where(*conditions)
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.code, entity)
        .join(entity, entity.id == ranked.c.owner_id)
        .where(ranked.c.rank <= per_code)
        .order_by(ranked.c.code, ranked.c.rank)
        .options(*options)
    ).all()
    found: dict[str, list] = {}
    for code, item in rows:
        found.setdefault(code, []).append(item)
    return found


def related_by_code(
    session: Session, viewer, codes: list[str], per_code: int = 3
) -> dict[str, Related]:
    """Code -> Related, at most `per_code` of each kind per code.

    Practices: published ones, newest publication first. Threads: members only (a
    thread has no hidden state of its own: its hidden posts stay hidden on its page),
    newest first. Events: published, not started yet, and visible to the viewer
    (members-only events for members), soonest first. Three queries and their loaders,
    whatever the number of codes."""
    codes = _clean_codes(codes)
    result = {code: Related() for code in codes}
    if not codes or per_code <= 0:
        return result

    practices = _tagged(
        session,
        Practice,
        practice_criterion,
        practice_criterion.c.practice_id,
        codes,
        [Practice.status == PracticeStatus.PUBLISHED],
        [Practice.published_at.desc(), Practice.id.desc()],
        per_code,
        [selectinload(Practice.organisation)],
    )
    threads = {}
    if _is_member(viewer):
        threads = _tagged(
            session,
            Thread,
            thread_criterion,
            thread_criterion.c.thread_id,
            codes,
            [],
            [Thread.created_at.desc(), Thread.id.desc()],
            per_code,
            [selectinload(Thread.author), selectinload(Thread.city)],
        )
    events = _tagged(
        session,
        Event,
        event_criterion,
        event_criterion.c.event_id,
        codes,
        [
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > utcnow(),
            visible_condition(viewer if _is_member(viewer) else None),
        ],
        [Event.starts_at, Event.id],
        per_code,
        [],
    )
    for code in codes:
        result[code] = Related(
            practices=practices.get(code, []),
            threads=threads.get(code, []),
            events=events.get(code, []),
        )
    return result


# Peers ----------------------------------------------------------------------------------


def _peer_candidates(viewer, framework_id: int, codes: list[str], exclude_city_id: int | None):
    """The rows (code, member id, city id, met_at, saver first) of every member who may be
    asked about one of `codes`: active and verified members of cities whose assessment of
    the active framework has the criterion met and shares its met criteria; never the
    viewer, never members of `exclude_city_id`."""
    saver_first = case((Member.id == CriterionProgress.updated_by_id, 0), else_=1)
    statement = (
        select(
            Criterion.code.label("code"),
            Member.id.label("member_id"),
            City.id.label("city_id"),
            CriterionProgress.met_at.label("met_at"),
            saver_first.label("saver_first"),
        )
        .select_from(CriterionProgress)
        .join(Criterion, Criterion.id == CriterionProgress.criterion_id)
        .join(Assessment, Assessment.id == CriterionProgress.assessment_id)
        .join(City, City.id == Assessment.city_id)
        .join(Member, Member.city_id == City.id)
        .where(
            Criterion.framework_id == framework_id,
            Criterion.code.in_(codes),
            Assessment.framework_id == framework_id,
            Assessment.shares_met_criteria.is_(True),
            CriterionProgress.status == ProgressStatus.MET,
            Member.status == MemberStatus.ACTIVE,
            Member.email_verified_at.is_not(None),
            Member.id != viewer.id,
        )
    )
    if exclude_city_id is not None:
        statement = statement.where(City.id != exclude_city_id)
    return statement


def peers_by_code(
    session: Session,
    viewer,
    codes: list[str],
    exclude_city_id: int | None = None,
    per_code: int = 3,
) -> dict[str, list[Peer]]:
    """Code -> up to `per_code` peers (never the viewer, never members of
    `exclude_city_id`), the member who last saved the criterion as met first.

    Cities come by the most recent met_at first; within a city, the member who saved the
    criterion as met, then the others by name. Two queries (the active framework and the
    ranked peers with their cities), whatever the number of codes. Only approved members
    are shown peers."""
    codes = _clean_codes(codes)
    result: dict[str, list[Peer]] = {code: [] for code in codes}
    if not codes or per_code <= 0 or not _is_member(viewer):
        return result
    framework = active_framework(session)
    if framework is None:
        return result
    candidates = _peer_candidates(viewer, framework.id, codes, exclude_city_id).subquery()
    ranked = select(
        candidates,
        func.row_number()
        .over(
            partition_by=candidates.c.code,
            order_by=[
                candidates.c.met_at.desc().nulls_last(),
                candidates.c.city_id,
                candidates.c.saver_first,
                candidates.c.member_id,
            ],
        )
        .label("rank"),
    ).subquery()
    rows = session.execute(
        select(ranked.c.code, ranked.c.met_at, Member, City)
        .join(Member, Member.id == ranked.c.member_id)
        .join(City, City.id == ranked.c.city_id)
        .where(ranked.c.rank <= per_code)
        .order_by(ranked.c.code, ranked.c.rank)
    ).all()
    for code, met_at, member, city in rows:
        result[code].append(Peer(member=member, city=city, met_at=met_at))
    return result


def peer_for(session: Session, viewer, code: str, handle: str) -> Peer | None:
    """The member with `handle` if the viewer may ask them about `code` (in the sense of
    peers_by_code, without its limit), else None. One query."""
    code = (code or "").strip().upper()
    if not _is_member(viewer) or not code or not handle:
        return None
    framework = active_framework(session)
    if framework is None:
        return None
    candidates = (
        _peer_candidates(viewer, framework.id, [code], None)
        .where(Member.handle == handle.strip().lower()[:40])
        .subquery()
    )
    row = session.execute(
        select(candidates.c.met_at, Member, City)
        .join(Member, Member.id == candidates.c.member_id)
        .join(City, City.id == candidates.c.city_id)
        .limit(1)
    ).first()
    if row is None:
        return None
    met_at, member, city = row
    return Peer(member=member, city=city, met_at=met_at)


# Cities that met a criterion --------------------------------------------------------------


def cities_that_met(session: Session, viewer, criterion: Criterion) -> list[CityThatMet]:
    """The cities whose assessment has `criterion` met, by name: those that share it for
    every member; coordinators see every one, and a member sees their own city too (both
    marked when it is not shared). One query; nothing for non-members."""
    if not _is_member(viewer):
        return []
    statement = (
        select(City, CriterionProgress.met_at, Assessment.shares_met_criteria)
        .select_from(CriterionProgress)
        .join(Assessment, Assessment.id == CriterionProgress.assessment_id)
        .join(City, City.id == Assessment.city_id)
        .where(
            CriterionProgress.criterion_id == criterion.id,
            CriterionProgress.status == ProgressStatus.MET,
        )
        .order_by(City.name, City.state, City.id)
    )
    if not viewer.has_role(Role.COORDINATOR):
        shown = [Assessment.shares_met_criteria.is_(True)]
        if viewer.city_id is not None:
            shown.append(City.id == viewer.city_id)
        statement = statement.where(or_(*shown))
    return [
        CityThatMet(city=city, met_at=met_at, shared=bool(shared))
        for city, met_at, shared in session.execute(statement)
    ]
