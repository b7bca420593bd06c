"""The coordinators' cohort view: every city assessing itself against the active
framework, with its score, level and progress in each practice area; the criteria most
cities have not met (to plan events around); the count of cities at each level; and the
same rows as CSV for a spreadsheet.

Every query is bounded: one for the areas with their criteria counted, two for a page
of assessments (count and rows, each with its city joined), ONE grouped query for the
progress of every city on the page in every area, one for the criteria most often
unmet, and one for the level distribution, whatever the number of cities."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, joinedload

from wwc_community.accounts.models import Member, Role
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    CriterionProgress,
    Framework,
    PracticeArea,
    ProgressStatus,
)
from wwc_community.certification.scoring import LEVELS, Score, Thresholds, score
from wwc_community.core.errors import NotPermitted
from wwc_community.core.pagination import Page, paginate
from wwc_community.core.security import spreadsheet_safe
from wwc_community.directory.models import CertificationLevel, City

PER_PAGE = 50
UNMET_SHOWN = 10
SORTS = {"score": "Score, highest first", "name": "City name"}
DEFAULT_SORT = "score"
# Excel reads a CSV as UTF-8 only when the file starts with this mark.
BYTE_ORDER_MARK = "\ufeff"


def require_coordinator(actor: Member | None) -> None:
    if actor is None or not getattr(actor, "is_member", False):
        raise NotPermitted("Only program coordinators see the cohort.")
    if not actor.has_role(Role.COORDINATOR):
        raise NotPermitted("Only program coordinators see the cohort.")


def read_sort(raw: str | None) -> str:
    return raw if raw in SORTS else DEFAULT_SORT


@dataclass(frozen=True)
class AreaColumn:
    """A practice area as a column of the cohort table."""

    id: int
    code: str
    name: str
    criteria: int


@dataclass
class CohortRow:
    assessment: Assessment
    city: City
    score: Score
    # Criteria met per area id.
    met_by_area: dict[int, int]
    last_updated: datetime

    def met_in(self, area: AreaColumn) -> int:
        return self.met_by_area.get(area.id, 0)


@dataclass
class UnmetCriterion:
    criterion: Criterion
    area_code: str
    # Cities in the cohort that have not met it.
    cities: int


@dataclass
class Cohort:
    framework: Framework
    areas: list[AreaColumn]
    criteria: int
    page: Page
    rows: list[CohortRow]
    sort: str
    unmet: list[UnmetCriterion] = field(default_factory=list)
    # (level, cities) from not certified to platinum.
    levels: list[tuple[CertificationLevel, int]] = field(default_factory=list)

    @property
    def cities(self) -> int:
        return self.page.total


def area_columns(session: Session, framework: Framework) -> list[AreaColumn]:
    """The framework's areas in order, each with its criteria counted (one query)."""
    return [
        AreaColumn(area.id, area.code, area.name, criteria)
        for area, criteria in session.execute(
            select(PracticeArea, func.count(Criterion.id))
            .outerjoin(Criterion, Criterion.area_id == PracticeArea.id)
            .where(PracticeArea.framework_id == framework.id)
            .group_by(PracticeArea.id)
            .order_by(PracticeArea.position)
        )
    ]


def cohort_statement(framework: Framework, sort: str) -> Select:
    """The assessments against `framework`, each with its city (joined), in `sort` order."""
    statement = (
        select(Assessment)
        .join(City, City.id == Assessment.city_id)
        .options(joinedload(Assessment.city))
        .where(Assessment.framework_id == framework.id)
    )
    if sort == "name":
        return statement.order_by(City.name, City.state, Assessment.id)
    return statement.order_by(Assessment.met_count.desc(), City.name, City.state, Assessment.id)


def progress_by_area(
    session: Session, assessment_ids: list[int]
) -> tuple[dict[int, dict[int, int]], dict[int, datetime]]:
    """For each assessment: the criteria met in each area, and the latest save of any of
    its criteria. ONE grouped query for all of them."""
    met: dict[int, dict[int, int]] = {assessment_id: {} for assessment_id in assessment_ids}
    latest: dict[int, datetime] = {}
    if not assessment_ids:
        return met, latest
    rows = session.execute(
        select(
            CriterionProgress.assessment_id,
            Criterion.area_id,
            func.sum(case((CriterionProgress.status == ProgressStatus.MET, 1), else_=0)),
            func.max(CriterionProgress.updated_at),
        )
        .join(Criterion, Criterion.id == CriterionProgress.criterion_id)
        .where(CriterionProgress.assessment_id.in_(assessment_ids))
        .group_by(CriterionProgress.assessment_id, Criterion.area_id)
    )
    for assessment_id, area_id, met_count, updated_at in rows:
        met[assessment_id][area_id] = int(met_count or 0)
        if updated_at is not None and (
            assessment_id not in latest or updated_at > latest[assessment_id]
        ):
            latest[assessment_id] = updated_at
    return met, latest


def _rows(
    session: Session, framework: Framework, assessments: list[Assessment], criteria: int
) -> list[CohortRow]:
    thresholds = Thresholds.of(framework)
    met, latest = progress_by_area(session, [assessment.id for assessment in assessments])
    return [
        CohortRow(
            assessment=assessment,
            city=assessment.city,
            score=score(min(assessment.met_count, criteria), criteria, thresholds),
            met_by_area=met[assessment.id],
            last_updated=max(
                filter(None, (assessment.updated_at, latest.get(assessment.id))),
            ),
        )
        for assessment in assessments
    ]


def most_often_unmet(
    session: Session, framework: Framework, cities: int, limit: int = UNMET_SHOWN
) -> list[UnmetCriterion]:
    """The criteria the fewest cities in the cohort have met, with how many have not
    (one grouped query; criteria nobody has met first, then in framework order)."""
    if not cities:
        return []
    met = func.count(CriterionProgress.id)
    rows = session.execute(
        select(Criterion, PracticeArea.code, met)
        .join(PracticeArea, PracticeArea.id == Criterion.area_id)
        .outerjoin(
            CriterionProgress,
            and_(
                CriterionProgress.criterion_id == Criterion.id,
                CriterionProgress.status == ProgressStatus.MET,
            ),
        )
        .where(Criterion.framework_id == framework.id)
        .group_by(Criterion.id, PracticeArea.code)
        .having(met < cities)
        .order_by(met, Criterion.position)
        .limit(limit)
    )
    return [
        UnmetCriterion(criterion=criterion, area_code=area_code, cities=cities - met_count)
        for criterion, area_code, met_count in rows
    ]


def level_distribution(
    session: Session, framework: Framework, criteria: int
) -> list[tuple[CertificationLevel, int]]:
    """How many cities of the cohort are at each level (one grouped query)."""
    thresholds = Thresholds.of(framework)
    counts = dict.fromkeys([CertificationLevel.NONE, *LEVELS], 0)
    for met, cities in session.execute(
        select(Assessment.met_count, func.count())
        .where(Assessment.framework_id == framework.id)
        .group_by(Assessment.met_count)
    ):
        counts[score(min(met, criteria), criteria, thresholds).level] += cities
    return list(counts.items())


def cohort(
    session: Session, actor: Member | None, framework: Framework, sort: str, page: int
) -> Cohort:
    """One page of the cohort with the gaps and the level distribution."""
    require_coordinator(actor)
    sort = read_sort(sort)
    areas = area_columns(session, framework)
    criteria = sum(area.criteria for area in areas)
    listed = paginate(session, cohort_statement(framework, sort), page, PER_PAGE)
    return Cohort(
        framework=framework,
        areas=areas,
        criteria=criteria,
        page=listed,
        rows=_rows(session, framework, listed.items, criteria),
        sort=sort,
        unmet=most_often_unmet(session, framework, listed.total),
        levels=level_distribution(session, framework, criteria) if listed.total else [],
    )


def _last_updated(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def cohort_csv(session: Session, actor: Member | None, framework: Framework) -> str:
    """Every city of the cohort as CSV text (by score), starting with a byte order mark
    so that spreadsheets read non-ASCII names right; cells that look like formulas are
    neutralised. One column per practice area: the criteria met in it."""
    require_coordinator(actor)
    areas = area_columns(session, framework)
    criteria = sum(area.criteria for area in areas)
    assessments = list(session.scalars(cohort_statement(framework, DEFAULT_SORT)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "City",
            "State",
            "Population band",
            "Score (%)",
            "Criteria met",
            "Criteria",
            "Level",
            *(f"{area.code}: {area.name} (of {area.criteria})" for area in areas),
            "Last updated",
        ]
    )
    for row in _rows(session, framework, assessments, criteria):
        band = row.city.population_band
        cells = [
            row.city.name,
            row.city.state,
            band.label if band else "",
            f"{row.score.percent:.1f}",
            row.score.met,
            row.score.criteria,
            row.score.level.label,
            *(row.met_in(area) for area in areas),
            _last_updated(row.last_updated),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return BYTE_ORDER_MARK + buffer.getvalue()
