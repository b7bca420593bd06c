"""What a city's certification dashboard reads: progress by practice area, the score
over time, and the open gaps with what helps close them.

Each function is a fixed number of queries whatever the size of the framework, the
number of snapshots or the number of gaps: the areas' counts come from one grouped
query, the gaps from one join, and the related entries and peers of every gap from one
call each to `related` for all the gap codes together."""

from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import and_, case, false, func, select
from sqlalchemy.orm import Session

from wwc_community.certification import charts, related, services
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    CriterionProgress,
    Framework,
    PracticeArea,
    ProgressStatus,
    ScoreSnapshot,
)
from wwc_community.certification.related import Peer, Related
from wwc_community.certification.scoring import Score
from wwc_community.directory.models import CertificationLevel, City

RELATED_PER_GAP = 3


@dataclass(frozen=True)
class AreaProgress:
    """How many of an area's criteria the city met, has in progress or has not started."""

    area: PracticeArea
    met: int
    in_progress: int
    not_started: int
    total: int

    @property
    def percent_label(self) -> str:
        return f"{(self.met * 100) // self.total if self.total else 0}%"


@dataclass(frozen=True)
class Gap:
    """A criterion of the framework the city has not met (progress None: never touched)."""

    area: PracticeArea
    criterion: Criterion
    progress: CriterionProgress | None

    @property
    def status(self) -> ProgressStatus:
        return ProgressStatus(self.progress.status if self.progress else "not_started")


@dataclass
class GapGroup:
    """An area's open gaps, in framework order."""

    area: PracticeArea
    gaps: list[Gap] = field(default_factory=list)


def _progress_join(assessment: Assessment | None):
    """The ON clause joining a criterion to the city's progress on it (none without an
    assessment)."""
    if assessment is None:
        return and_(CriterionProgress.criterion_id == Criterion.id, false())
    return and_(
        CriterionProgress.criterion_id == Criterion.id,
        CriterionProgress.assessment_id == assessment.id,
    )


def area_progress(
    session: Session, framework: Framework, assessment: Assessment | None
) -> list[AreaProgress]:
    """Each practice area of `framework`, in order, with its criteria counted by the
    city's status on them: one grouped query."""
    counts = (
        select(
            Criterion.area_id.label("area_id"),
            func.count(Criterion.id).label("total"),
            func.coalesce(
                func.sum(case((CriterionProgress.status == ProgressStatus.MET, 1), else_=0)), 0
            ).label("met"),
            func.coalesce(
                func.sum(
                    case((CriterionProgress.status == ProgressStatus.IN_PROGRESS, 1), else_=0)
                ),
                0,
            ).label("in_progress"),
        )
        .outerjoin(CriterionProgress, _progress_join(assessment))
        .where(Criterion.framework_id == framework.id)
        .group_by(Criterion.area_id)
        .subquery()
    )
    rows = session.execute(
        select(
            PracticeArea,
            func.coalesce(counts.c.total, 0),
            func.coalesce(counts.c.met, 0),
            func.coalesce(counts.c.in_progress, 0),
        )
        .outerjoin(counts, counts.c.area_id == PracticeArea.id)
        .where(PracticeArea.framework_id == framework.id)
        .order_by(PracticeArea.position)
    ).all()
    return [
        AreaProgress(
            area=area,
            met=int(met),
            in_progress=int(in_progress),
            not_started=int(total) - int(met) - int(in_progress),
            total=int(total),
        )
        for area, total, met, in_progress in rows
    ]


def score_history(session: Session, assessment: Assessment | None) -> list[ScoreSnapshot]:
    """The score each time it changed, oldest first."""
    if assessment is None:
        return []
    return list(
        session.scalars(
            select(ScoreSnapshot)
            .where(ScoreSnapshot.assessment_id == assessment.id)
            .order_by(ScoreSnapshot.taken_at, ScoreSnapshot.id)
        )
    )


def open_gaps(session: Session, framework: Framework, assessment: Assessment | None) -> list[Gap]:
    """Every criterion of `framework` the city has not met, in framework order, with its
    area and the city's progress on it (None when never touched): one query."""
    rows = session.execute(
        select(Criterion, PracticeArea, CriterionProgress)
        .join(PracticeArea, PracticeArea.id == Criterion.area_id)
        .outerjoin(CriterionProgress, _progress_join(assessment))
        .where(
            Criterion.framework_id == framework.id,
            (CriterionProgress.id.is_(None)) | (CriterionProgress.status != ProgressStatus.MET),
        )
        .order_by(PracticeArea.position, Criterion.position)
    ).all()
    return [
        Gap(area=area, criterion=criterion, progress=progress) for criterion, area, progress in rows
    ]


def group_gaps(gaps: list[Gap]) -> list[GapGroup]:
    """The gaps by area, areas in framework order (the gaps come sorted)."""
    groups: list[GapGroup] = []
    for gap in gaps:
        if not groups or groups[-1].area.id != gap.area.id:
            groups.append(GapGroup(area=gap.area))
        groups[-1].gaps.append(gap)
    return groups


@dataclass
class Dashboard:
    city: City
    framework: Framework
    assessment: Assessment | None
    score: Score
    areas: list[AreaProgress]
    history: list[ScoreSnapshot]
    gap_groups: list[GapGroup]
    gap_count: int
    related: dict[str, Related]
    peers: dict[str, list[Peer]]

    def snapshot_percent(self, snapshot: ScoreSnapshot) -> float:
        return 100 * snapshot.met_count / snapshot.criteria_count if snapshot.criteria_count else 0

    def snapshot_share(self, snapshot: ScoreSnapshot) -> str:
        return charts.share_label(snapshot.met_count, snapshot.criteria_count)

    def snapshot_level(self, snapshot: ScoreSnapshot) -> str:
        try:
            return CertificationLevel(snapshot.level).label
        except ValueError:
            return snapshot.level


def dashboard_of(session: Session, viewer, slug: str) -> Dashboard:
    """Everything the dashboard page shows, for the city's own members and coordinators.
    NotFound for an unknown city or without an active framework; NotPermitted otherwise."""
    city = services.city_by_slug(session, slug)
    services.require_assessment_access(viewer, city)
    framework = services.require_active_framework(session)
    assessment = services.assessment_of(session, city, framework)
    gaps = open_gaps(session, framework, assessment)
    codes = list(dict.fromkeys(gap.criterion.code for gap in gaps))
    return Dashboard(
        city=city,
        framework=framework,
        assessment=assessment,
        score=services.score_of(session, framework, assessment),
        areas=area_progress(session, framework, assessment),
        history=score_history(session, assessment),
        gap_groups=group_gaps(gaps),
        gap_count=len(gaps),
        related=related.related_by_code(session, viewer, codes, per_code=RELATED_PER_GAP)
        if codes
        else {},
        peers=related.peers_by_code(
            session, viewer, codes, exclude_city_id=city.id, per_code=RELATED_PER_GAP
        )
        if codes
        else {},
    )


def level_thresholds(framework: Framework) -> list[tuple[str, float]]:
    """Each level and the share (in percent) that reaches it."""
    return [
        (CertificationLevel.SILVER.label, framework.silver_per_mille / 10),
        (CertificationLevel.GOLD.label, framework.gold_per_mille / 10),
        (CertificationLevel.PLATINUM.label, framework.platinum_per_mille / 10),
    ]


def area_chart(board: Dashboard) -> Markup:
    """The bar chart of criteria met by practice area, described in words."""
    city = board.city.label
    return charts.bar_chart(
        [(row.area.name, row.met, row.total) for row in board.areas],
        title=f"Criteria met by practice area, {city}",
        description=(
            f"One bar per practice area: the criteria {city} met of the criteria in the area. "
            + "; ".join(
                f"{row.area.name}: {charts.bar_label(row.met, row.total)}" for row in board.areas
            )
            + "."
        ),
        id_prefix="area-chart",
    )


def history_chart(board: Dashboard) -> Markup | None:
    """The share met at each score change, with the level thresholds; None before the
    first change."""
    if not board.history:
        return None
    thresholds = level_thresholds(board.framework)
    first, latest = board.history[0], board.history[-1]
    changes = len(board.history)
    return charts.line_chart(
        [(snapshot.taken_at, board.snapshot_percent(snapshot)) for snapshot in board.history],
        title=f"Share of criteria met over time, {board.city.label}",
        description=(
            f"{changes} score change{'' if changes == 1 else 's'} from "
            f"{charts.date_text(first.taken_at)} to {charts.date_text(latest.taken_at)}; "
            f"latest {charts.bar_label(latest.met_count, latest.criteria_count)}. "
            "Dashed lines mark the levels: "
            + ", ".join(f"{name} from {charts.percent_text(value)}" for name, value in thresholds)
            + "."
        ),
        thresholds=thresholds,
        id_prefix="history-chart",
    )
