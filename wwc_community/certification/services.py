"""A city's self-assessment: who may read and change it, saving one criterion at a time
without overwriting anyone, evidence, sharing, and what the pages read.

Saving is per criterion. The form carries the version of the criterion it was drawn
from; the save is one conditional UPDATE on that version, so of two members saving the
same criterion at once the second is told, and two members saving different criteria
never touch each other's rows. The count of criteria met changes by one relative UPDATE
of the assessment in the same transaction, which is atomic on SQLite and PostgreSQL
alike, and a score snapshot is added whenever it changes."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member, Role
from wwc_community.certification.frameworks import active_framework
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    CriterionProgress,
    Evidence,
    EvidenceKind,
    Framework,
    PracticeArea,
    ProgressChange,
    ProgressStatus,
    ScoreSnapshot,
)
from wwc_community.certification.scoring import Score, Thresholds, score, status_from_checklist
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.directory.models import City
from wwc_community.library.models import Practice, PracticeStatus

NOTES_MAX = 5000
LABEL_MAX = 200
URL_MAX = 500
HISTORY_SHOWN = 10
# Evidence files live beside library uploads, in their own folder: the library discards
# a file when no attachment uses it, which must never touch a city's evidence.
EVIDENCE_FOLDER = "evidence"


# Who may do what ------------------------------------------------------------------------


def may_work_on_assessment(viewer, city: City) -> bool:
    """The city's own members and coordinators read and change its assessment."""
    if viewer is None or not getattr(viewer, "is_member", False):
        return False
    return viewer.city_id == city.id or viewer.has_role(Role.COORDINATOR)


def require_assessment_access(viewer, city: City) -> None:
    if viewer is None or not getattr(viewer, "is_member", False):
        raise NotPermitted("Sign in as an approved member to see assessments.")
    if not may_work_on_assessment(viewer, city):
        raise NotPermitted(
            f"Only members from {city.name} and program coordinators can open its assessment."
        )


def may_see_met_criteria(viewer, assessment: Assessment | None) -> bool:
    """Which criteria a city met: its own people, coordinators, and every member when the
    city shares it. Notes and evidence never leave the first two."""
    if assessment is None or viewer is None or not getattr(viewer, "is_member", False):
        return False
    # By the city's id: Assessment.city is lazy="raise" and callers rarely load it.
    return (
        assessment.shares_met_criteria
        or viewer.city_id == assessment.city_id
        or viewer.has_role(Role.COORDINATOR)
    )


# Reading --------------------------------------------------------------------------------


def require_active_framework(session: Session) -> Framework:
    framework = active_framework(session)
    if framework is None:
        raise NotFound(
            "No certification framework is active yet. An admin loads one with "
            "“flask certification load”."
        )
    return framework


def city_by_slug(session: Session, slug: str) -> City:
    city = session.scalar(select(City).where(City.slug == slug))
    if city is None:
        raise NotFound("There is no such city in the directory.")
    return city


def assessment_of(session: Session, city: City, framework: Framework) -> Assessment | None:
    return session.scalar(
        select(Assessment).where(
            Assessment.city_id == city.id, Assessment.framework_id == framework.id
        )
    )


def criteria_count(session: Session, framework: Framework) -> int:
    return session.scalar(
        select(func.count()).select_from(Criterion).where(Criterion.framework_id == framework.id)
    )


def score_of(session: Session, framework: Framework, assessment: Assessment | None) -> Score:
    met = assessment.met_count if assessment is not None else 0
    return score(met, criteria_count(session, framework), Thresholds.of(framework))


def areas_with_criteria(session: Session, framework: Framework) -> list[PracticeArea]:
    """The framework's areas, each with its criteria and their checklists (3 queries)."""
    return list(
        session.scalars(
            select(PracticeArea)
            .where(PracticeArea.framework_id == framework.id)
            .options(
                selectinload(PracticeArea.topic),
                selectinload(PracticeArea.criteria).selectinload(Criterion.items),
            )
            .order_by(PracticeArea.position)
        )
    )


def progress_by_criterion(
    session: Session, assessment: Assessment | None
) -> dict[int, CriterionProgress]:
    if assessment is None:
        return {}
    return {
        progress.criterion_id: progress
        for progress in session.scalars(
            select(CriterionProgress)
            .where(CriterionProgress.assessment_id == assessment.id)
            .options(selectinload(CriterionProgress.updated_by))
        )
    }


def evidence_counts(session: Session, assessment: Assessment | None) -> dict[int, int]:
    """Pieces of evidence per criterion id."""
    if assessment is None:
        return {}
    return dict(
        session.execute(
            select(CriterionProgress.criterion_id, func.count(Evidence.id))
            .join(Evidence, Evidence.progress_id == CriterionProgress.id)
            .where(CriterionProgress.assessment_id == assessment.id)
            .group_by(CriterionProgress.criterion_id)
        ).all()
    )


def criterion_in(session: Session, framework: Framework, code: str) -> Criterion:
    """The criterion with this code in `framework` (codes are compared in capitals)."""
    criterion = session.scalar(
        select(Criterion)
        .where(Criterion.framework_id == framework.id, Criterion.code == code.strip().upper())
        .options(selectinload(Criterion.items), selectinload(Criterion.area))
    )
    if criterion is None:
        raise NotFound(f"There is no criterion {code.strip().upper()[:16]} in {framework.name}.")
    return criterion


def progress_of(
    session: Session, assessment: Assessment | None, criterion: Criterion
) -> CriterionProgress | None:
    if assessment is None:
        return None
    return session.scalar(
        select(CriterionProgress)
        .where(
            CriterionProgress.assessment_id == assessment.id,
            CriterionProgress.criterion_id == criterion.id,
        )
        .options(selectinload(CriterionProgress.updated_by))
    )


def evidence_of(session: Session, progress: CriterionProgress | None) -> list[Evidence]:
    if progress is None:
        return []
    return list(
        session.scalars(
            select(Evidence).where(Evidence.progress_id == progress.id).order_by(Evidence.id)
        )
    )


def practices_by_id(session: Session, evidence: list[Evidence]) -> dict[int, Practice]:
    ids = {item.practice_id for item in evidence if item.practice_id}
    if not ids:
        return {}
    return {
        practice.id: practice
        for practice in session.scalars(select(Practice).where(Practice.id.in_(ids)))
    }


def history_of(session: Session, progress: CriterionProgress | None) -> list[ProgressChange]:
    """The latest saves of a criterion, newest first."""
    if progress is None:
        return []
    return list(
        session.scalars(
            select(ProgressChange)
            .where(ProgressChange.progress_id == progress.id)
            .options(selectinload(ProgressChange.member))
            .order_by(ProgressChange.id.desc())
            .limit(HISTORY_SHOWN)
        )
    )


# Changing -------------------------------------------------------------------------------


def assessment_for_editing(
    session: Session, actor, city: City, framework: Framework | None = None
) -> Assessment:
    """The city's assessment against the active framework, started on first use. Two
    members starting it at once both end up with the one row (UNIQUE(city, framework))."""
    require_assessment_access(actor, city)
    framework = framework or require_active_framework(session)
    existing = assessment_of(session, city, framework)
    if existing is not None:
        return existing
    try:
        with session.begin_nested():
            assessment = Assessment(city_id=city.id, framework_id=framework.id)
            session.add(assessment)
    except IntegrityError:
        assessment = assessment_of(session, city, framework)
    return assessment


@dataclass
class SavedProgress:
    progress: CriterionProgress
    before: Score
    after: Score

    @property
    def level_changed(self) -> bool:
        return self.before.level != self.after.level


def _describe(before: set[int], after: set[int], notes_changed: bool, status: str) -> str:
    parts = []
    if after - before:
        parts.append(f"ticked {len(after - before)}")
    if before - after:
        parts.append(f"unticked {len(before - after)}")
    if notes_changed:
        parts.append("changed the notes")
    summary = ", ".join(parts) or "saved without changes"
    return f"{summary[0].upper()}{summary[1:]}; {ProgressStatus(status).label.lower()}"


def save_progress(
    session: Session,
    actor: Member,
    city: City,
    code: str,
    ticked_item_ids: list,
    notes: str,
    expected_version: int,
) -> SavedProgress:
    """Save one criterion: the ticked checklist items and the notes. `expected_version`
    is the version the member's form was drawn from (0 when the criterion had no row);
    if someone saved it since, Conflict says who and when, and nothing changes."""
    framework = require_active_framework(session)
    assessment = assessment_for_editing(session, actor, city, framework)
    criterion = criterion_in(session, framework, code)
    notes = (notes or "").replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX:
        raise Invalid(f"Keep the notes under {NOTES_MAX:,} characters.", field="notes")
    own_items = {item.id for item in criterion.items}
    try:
        ticked = {int(value) for value in ticked_item_ids}
    except (TypeError, ValueError):
        raise Invalid("Tick items from the checklist shown.", field="items") from None
    if not ticked <= own_items:
        raise Invalid(
            f"A ticked item is not on the checklist of {criterion.code}. Reload the page and "
            "tick the items again.",
            field="items",
        )
    ticked_in_order = [item.id for item in criterion.items if item.id in ticked]

    before = score_of(session, framework, assessment)
    progress = progress_of(session, assessment, criterion)
    if progress is None and expected_version != 0:
        raise Conflict(
            "This criterion changed meanwhile. Reload the page and try again.", field="conflict"
        )
    had_evidence = progress is not None and bool(
        session.scalar(select(func.count()).where(Evidence.progress_id == progress.id))
    )
    status = status_from_checklist(
        len(ticked), criterion.items_required, bool(notes) or had_evidence
    )
    now = utcnow()
    if progress is None:
        try:
            with session.begin_nested():
                progress = CriterionProgress(
                    assessment_id=assessment.id,
                    criterion_id=criterion.id,
                    status=status,
                    checked_item_ids=ticked_in_order,
                    notes=notes,
                    version=1,
                    updated_by_id=actor.id,
                    updated_at=now,
                    met_at=now if status == ProgressStatus.MET else None,
                )
                session.add(progress)
        except IntegrityError:
            raise _conflict(session, assessment, criterion) from None
        was_met, previous_items, previous_notes = False, set(), ""
    else:
        was_met = progress.status == ProgressStatus.MET
        previous_items, previous_notes = set(progress.checked_item_ids or []), progress.notes
        values = {
            "status": status,
            "checked_item_ids": ticked_in_order,
            "notes": notes,
            "version": CriterionProgress.version + 1,
            "updated_by_id": actor.id,
            "updated_at": now,
        }
        if status == ProgressStatus.MET and not was_met:
            values["met_at"] = now
        elif status != ProgressStatus.MET:
            values["met_at"] = None
        saved = session.execute(
            update(CriterionProgress)
            .where(
                CriterionProgress.id == progress.id,
                CriterionProgress.version == expected_version,
            )
            .values(values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if saved != 1:
            raise _conflict(session, assessment, criterion)
        session.expire(progress)

    is_met = status == ProgressStatus.MET
    change = (1 if is_met else 0) - (1 if was_met else 0)
    after = before
    if change:
        met = session.execute(
            update(Assessment)
            .where(Assessment.id == assessment.id)
            .values(met_count=Assessment.met_count + change, updated_at=now)
            .returning(Assessment.met_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()
        session.expire(assessment, ["met_count", "updated_at"])
        # The count just before this save: `before` was read earlier and may predate
        # another criterion's save committed meanwhile (PostgreSQL reads committed data).
        before = score(met - change, before.criteria, Thresholds.of(framework))
        after = score(met, before.criteria, Thresholds.of(framework))
        session.add(
            ScoreSnapshot(
                assessment_id=assessment.id,
                taken_at=now,
                met_count=met,
                criteria_count=before.criteria,
                level=after.level,
            )
        )
    session.add(
        ProgressChange(
            progress_id=progress.id,
            member_id=actor.id,
            changed_at=now,
            status=status,
            summary=_describe(
                previous_items, set(ticked_in_order), notes != previous_notes, status
            ),
        )
    )
    session.flush()
    return SavedProgress(progress=progress, before=before, after=after)


def _conflict(session: Session, assessment: Assessment, criterion: Criterion) -> Conflict:
    """The refusal for a save drawn from an older version: who saved since, and when."""
    session.expire_all()
    latest = progress_of(session, assessment, criterion)
    who = latest.updated_by.display_name if latest and latest.updated_by else "Someone"
    when = latest.updated_at.strftime("%H:%M UTC") if latest else "just now"
    return Conflict(
        f"{who} saved {criterion.code} at {when}, after you opened it. Their version is "
        "shown now: check it, then make your changes again.",
        field="conflict",
    )


def _progress_for_evidence(
    session: Session, actor, city: City, code: str
) -> tuple[Criterion, CriterionProgress]:
    """The criterion's progress row, made when the first evidence arrives (in progress)."""
    framework = require_active_framework(session)
    assessment = assessment_for_editing(session, actor, city, framework)
    criterion = criterion_in(session, framework, code)
    progress = progress_of(session, assessment, criterion)
    if progress is None:
        try:
            with session.begin_nested():
                progress = CriterionProgress(
                    assessment_id=assessment.id,
                    criterion_id=criterion.id,
                    status=ProgressStatus.IN_PROGRESS,
                    checked_item_ids=[],
                    version=1,
                    updated_by_id=actor.id,
                    updated_at=utcnow(),
                )
                session.add(progress)
        except IntegrityError:
            progress = progress_of(session, assessment, criterion)
    else:
        # Evidence starts a criterion, without touching the version a checklist form holds.
        session.execute(
            update(CriterionProgress)
            .where(
                CriterionProgress.id == progress.id,
                CriterionProgress.status == ProgressStatus.NOT_STARTED,
            )
            .values(status=ProgressStatus.IN_PROGRESS)
            .execution_options(synchronize_session=False)
        )
        session.expire(progress, ["status"])
    return criterion, progress


def add_link_evidence(
    session: Session, actor, city: City, code: str, url: str, label: str
) -> Evidence:
    require_assessment_access(actor, city)
    url, label = (url or "").strip(), " ".join((label or "").split())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("Give a web address starting with https:// or http://.", field="url")
    if len(url) > URL_MAX:
        raise Invalid(f"Keep the address under {URL_MAX} characters.", field="url")
    if len(label) > LABEL_MAX:
        raise Invalid(f"Keep the description under {LABEL_MAX} characters.", field="label")
    criterion, progress = _progress_for_evidence(session, actor, city, code)
    evidence = Evidence(
        progress_id=progress.id,
        kind=EvidenceKind.LINK,
        url=url,
        label=label or parts.netloc,
        added_by_id=actor.id,
    )
    session.add(evidence)
    session.flush()
    return evidence


def add_practice_evidence(
    session: Session, actor, city: City, code: str, practice_slug: str
) -> Evidence:
    """A published library entry as evidence (given by its address or slug)."""
    require_assessment_access(actor, city)
    slug = (practice_slug or "").strip().rstrip("/").rsplit("/", 1)[-1]
    practice = session.scalar(
        select(Practice).where(Practice.slug == slug, Practice.status == PracticeStatus.PUBLISHED)
    )
    if practice is None:
        raise Invalid(
            "Choose a published library entry: paste its address from the library.",
            field="practice",
        )
    criterion, progress = _progress_for_evidence(session, actor, city, code)
    evidence = Evidence(
        progress_id=progress.id,
        kind=EvidenceKind.PRACTICE,
        practice_id=practice.id,
        label=practice.title[:LABEL_MAX],
        added_by_id=actor.id,
    )
    session.add(evidence)
    session.flush()
    return evidence


def add_file_evidence(
    session: Session, actor, city: City, code: str, filename: str, data: bytes
) -> Evidence:
    """A file checked by its content, like a library attachment, and stored by hash in
    the instance folder's evidence/ (never in a path the member names)."""
    from wwc_community.library import attachments

    require_assessment_access(actor, city)
    checked = attachments.check_file(data, filename)
    name = attachments.name_for_kind(attachments.clean_filename(filename), checked.kind)
    criterion, progress = _progress_for_evidence(session, actor, city, code)
    digest = attachments.store_bytes(data, folder=EVIDENCE_FOLDER)
    evidence = Evidence(
        progress_id=progress.id,
        kind=EvidenceKind.FILE,
        label=name,
        filename=name,
        content_type=checked.content_type,
        size=len(data),
        sha256=digest,
        added_by_id=actor.id,
    )
    session.add(evidence)
    session.flush()
    return evidence


def evidence_in(session: Session, actor, city: City, evidence_id: int) -> Evidence:
    """One piece of the city's evidence, for the people who may read the assessment."""
    require_assessment_access(actor, city)
    evidence = session.scalar(
        select(Evidence)
        .join(CriterionProgress, CriterionProgress.id == Evidence.progress_id)
        .join(Assessment, Assessment.id == CriterionProgress.assessment_id)
        .where(Evidence.id == evidence_id, Assessment.city_id == city.id)
    )
    if evidence is None:
        raise NotFound("That evidence is not part of this assessment.")
    return evidence


def remove_evidence(session: Session, actor, city: City, evidence_id: int) -> Evidence:
    evidence = evidence_in(session, actor, city, evidence_id)
    session.delete(evidence)
    session.flush()
    return evidence


def set_sharing(session: Session, actor, city: City, shares: bool) -> Assessment:
    """Whether other members may see which criteria the city met."""
    assessment = assessment_for_editing(session, actor, city)
    assessment.shares_met_criteria = bool(shares)
    assessment.updated_at = utcnow()
    session.flush()
    return assessment


def evidence_file(evidence: Evidence):
    """The stored bytes of a file evidence, or NotFound when they are missing."""
    from wwc_community.library import attachments

    path = attachments.stored_path(evidence.sha256, folder=EVIDENCE_FOLDER)
    if evidence.kind != EvidenceKind.FILE or not path.is_file():
        raise NotFound("This file is missing.")
    return path
