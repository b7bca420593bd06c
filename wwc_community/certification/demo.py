"""Demo self-assessments: ten demo cities at every level against the sample framework,
with checklists, notes, a little evidence, a history of snapshots over the past year and
a half, and their choice to share; and criteria tagged on demo threads, library entries
and events by their subject. The figures are invented for the demo, like the cities'
demo certification levels.

Rows are written directly rather than through save_progress, because the demo needs
saves dated in the past. Cities that already have an assessment are left alone."""

import random
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member
from wwc_community.certification.frameworks import ensure_starter_framework
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    CriterionProgress,
    Evidence,
    EvidenceKind,
    Framework,
    FrameworkStatus,
    PracticeArea,
    ProgressChange,
    ProgressStatus,
    ScoreSnapshot,
    event_criterion,
    practice_criterion,
    thread_criterion,
)
from wwc_community.certification.scoring import Thresholds, level_for
from wwc_community.core.database import utcnow
from wwc_community.directory.models import City
from wwc_community.discussions.models import Thread, thread_topic
from wwc_community.events.models import Event, event_topic
from wwc_community.library.models import Practice, PracticeStatus, practice_topic


@dataclass(frozen=True)
class DemoAssessment:
    city_slug: str
    # Criteria met, of the sample framework's 40.
    met: int
    # Criteria started but not met.
    in_progress: int
    shares: bool


# Austin (the demo practitioner's city) sits at gold with gaps that sharing cities have
# met, so its dashboard has peers to ask. Two cities keep their results to themselves.
DEMO_ASSESSMENTS = (
    DemoAssessment("san-antonio-tx", met=36, in_progress=3, shares=True),
    DemoAssessment("providence-ri", met=34, in_progress=2, shares=True),
    DemoAssessment("austin-tx", met=28, in_progress=5, shares=True),
    DemoAssessment("denver-co", met=27, in_progress=4, shares=True),
    DemoAssessment("syracuse-ny", met=23, in_progress=6, shares=True),
    DemoAssessment("tulsa-ok", met=22, in_progress=4, shares=False),
    DemoAssessment("boise-id", met=21, in_progress=5, shares=True),
    DemoAssessment("chattanooga-tn", met=17, in_progress=7, shares=True),
    DemoAssessment("lawrence-ks", met=12, in_progress=6, shares=False),
    DemoAssessment("racine-wi", met=8, in_progress=5, shares=True),
)

NOTES = (
    "Drafted with the department leads; waiting for the manager's sign-off.",
    "We do most of this informally. Writing it down is the missing step.",
    "Two departments are done; parks and public works are next.",
    "The policy exists but has not been reviewed since 2019.",
    "Started after the cohort workshop; see the shared drive folder for drafts.",
)
HISTORY_DAYS = 540
_WORD = re.compile(r"[a-z]{4,}")


def seed_demo_certification(session: Session) -> int:
    """The sample framework (when no version exists) and the demo assessments; returns
    how many assessments were added."""
    ensure_starter_framework(session)
    framework = session.scalar(select(Framework).where(Framework.status == FrameworkStatus.ACTIVE))
    if framework is None:
        return 0
    criteria = list(
        session.scalars(
            select(Criterion)
            .where(Criterion.framework_id == framework.id)
            .options(selectinload(Criterion.items))
            .order_by(Criterion.position)
        )
    )
    cities = {
        city.slug: city
        for city in session.scalars(
            select(City).where(City.slug.in_([demo.city_slug for demo in DEMO_ASSESSMENTS]))
        )
    }
    assessed = set(
        session.scalars(select(Assessment.city_id).where(Assessment.framework_id == framework.id))
    )
    practices = list(
        session.scalars(
            select(Practice)
            .where(Practice.status == PracticeStatus.PUBLISHED)
            .order_by(Practice.id)
        )
    )
    added = 0
    now = utcnow()
    for demo in DEMO_ASSESSMENTS:
        city = cities.get(demo.city_slug)
        if city is None or city.id in assessed:
            continue
        staff = [
            member
            for member in session.scalars(
                select(Member).where(Member.city_id == city.id).order_by(Member.id)
            )
            if member.is_member
        ]
        if not staff:
            continue
        _add_assessment(session, framework, criteria, city, staff, practices, demo, now)
        added += 1
    if added:
        _tag_demo_content(session, framework)
    session.flush()
    return added


def _add_assessment(session, framework, criteria, city, staff, practices, demo, now) -> None:
    rng = random.Random(f"certification-{demo.city_slug}")
    # Foundational criteria (the first of each area) are met first, as cities tend to.
    weighted = sorted(
        criteria,
        key=lambda criterion: (criterion.code[-1:] > "2") + rng.random() * 1.6,
    )
    met, started = weighted[: demo.met], weighted[demo.met : demo.met + demo.in_progress]
    started_at = now - timedelta(days=HISTORY_DAYS - rng.randint(0, 60))
    assessment = Assessment(
        city_id=city.id,
        framework_id=framework.id,
        met_count=len(met),
        shares_met_criteria=demo.shares,
        created_at=started_at,
        updated_at=now - timedelta(days=rng.randint(1, 20)),
    )
    session.add(assessment)
    session.flush()
    thresholds = Thresholds.of(framework)
    span = (now - timedelta(days=3) - started_at) / max(1, len(met))
    for count, criterion in enumerate(met, 1):
        when = started_at + span * count - timedelta(hours=rng.randint(0, 40))
        author = rng.choice(staff)
        progress = _progress(
            session, assessment, criterion, [item.id for item in criterion.items], author, when
        )
        progress.met_at = when
        if rng.random() < 0.35 and practices:
            practice = rng.choice(practices)
            _evidence(session, progress, author, when, practice=practice)
        elif rng.random() < 0.5:
            _evidence(session, progress, author, when)
        session.add(
            ScoreSnapshot(
                assessment_id=assessment.id,
                taken_at=when,
                met_count=count,
                criteria_count=len(criteria),
                level=level_for(count, len(criteria), thresholds),
            )
        )
    for criterion in started:
        when = now - timedelta(days=rng.randint(2, 90))
        ticked = [item.id for item in criterion.items][: max(0, criterion.items_required - 1)]
        progress = _progress(session, assessment, criterion, ticked, rng.choice(staff), when)
        progress.notes = rng.choice(NOTES)


def _progress(session, assessment, criterion, ticked, author, when) -> CriterionProgress:
    status = (
        ProgressStatus.MET
        if len(ticked) >= criterion.items_required
        else ProgressStatus.IN_PROGRESS
    )
    progress = CriterionProgress(
        assessment_id=assessment.id,
        criterion_id=criterion.id,
        status=status,
        checked_item_ids=ticked,
        version=1,
        updated_by_id=author.id,
        updated_at=when,
    )
    session.add(progress)
    session.flush()
    session.add(
        ProgressChange(
            progress_id=progress.id,
            member_id=author.id,
            changed_at=when,
            status=status,
            summary=f"Ticked {len(ticked)}; {ProgressStatus(status).label.lower()}",
        )
    )
    return progress


def _evidence(session, progress, author, when, practice=None) -> None:
    if practice is not None:
        session.add(
            Evidence(
                progress_id=progress.id,
                kind=EvidenceKind.PRACTICE,
                practice_id=practice.id,
                label=practice.title[:200],
                added_by_id=author.id,
                created_at=when,
            )
        )
        return
    session.add(
        Evidence(
            progress_id=progress.id,
            kind=EvidenceKind.LINK,
            url="https://www.example.gov/city-data/policies",
            label="Council resolution and policy text (demo link)",
            added_by_id=author.id,
            created_at=when,
        )
    )


def _tag_demo_content(session: Session, framework: Framework) -> None:
    """Tag each demo thread, entry and event that has none with the criterion of its
    first topic's area whose title shares the most words with its own title."""
    areas = {
        area.topic_id: area
        for area in session.scalars(
            select(PracticeArea)
            .where(PracticeArea.framework_id == framework.id, PracticeArea.topic_id.is_not(None))
            .options(selectinload(PracticeArea.criteria))
        )
    }
    if not areas:
        return
    for model, link_table, owner, tags in (
        (Thread, thread_topic, "thread_id", thread_criterion),
        (Practice, practice_topic, "practice_id", practice_criterion),
        (Event, event_topic, "event_id", event_criterion),
    ):
        tagged = set(session.scalars(select(tags.c[owner]).distinct()))
        first_topics = session.execute(
            select(link_table.c[owner], func.min(link_table.c.topic_id)).group_by(
                link_table.c[owner]
            )
        ).all()
        titles = dict(session.execute(select(model.id, model.title)).all())
        rows = []
        for owner_id, topic_id in first_topics:
            area = areas.get(topic_id)
            if owner_id in tagged or area is None or owner_id not in titles:
                continue
            rows.append({owner: owner_id, "criterion_id": _closest(area, titles[owner_id]).id})
        if rows:
            session.execute(tags.insert(), rows)


def _closest(area: PracticeArea, title: str) -> Criterion:
    words = set(_WORD.findall(title.lower()))
    return max(
        area.criteria,
        key=lambda criterion: (
            len(words & set(_WORD.findall(criterion.title.lower()))),
            -criterion.position,
        ),
    )
