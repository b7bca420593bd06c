"""`flask seed-demo` loads the sample framework and ten demo self-assessments once, at
every level, each consistent with its own history, and tags demo content."""

from sqlalchemy import func, select

from wwc_community.certification.demo import DEMO_ASSESSMENTS
from wwc_community.certification.frameworks import active_framework
from wwc_community.certification.models import (
    Assessment,
    CriterionProgress,
    ProgressStatus,
    ScoreSnapshot,
    event_criterion,
    practice_criterion,
    thread_criterion,
)
from wwc_community.certification.services import score_of
from wwc_community.directory.models import CertificationLevel
from wwc_community.extensions import db


def test_seed_demo_adds_the_assessments_once_at_every_level(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"Demo certification: {len(DEMO_ASSESSMENTS)} city self-assessments added." in (
        first.output
    )
    again = runner.invoke(args=["seed-demo"])
    assert "Demo certification: 0 city self-assessments added." in again.output

    framework = active_framework(db.session)
    assert framework.is_sample
    assessments = db.session.scalars(select(Assessment)).all()
    assert len(assessments) == len(DEMO_ASSESSMENTS)
    levels = {score_of(db.session, framework, assessment).level for assessment in assessments}
    assert levels == set(CertificationLevel)
    assert {assessment.shares_met_criteria for assessment in assessments} == {True, False}

    for assessment in assessments:
        met = db.session.scalar(
            select(func.count()).where(
                CriterionProgress.assessment_id == assessment.id,
                CriterionProgress.status == ProgressStatus.MET,
            )
        )
        snapshots = db.session.scalars(
            select(ScoreSnapshot)
            .where(ScoreSnapshot.assessment_id == assessment.id)
            .order_by(ScoreSnapshot.taken_at)
        ).all()
        assert assessment.met_count == met
        assert [snapshot.met_count for snapshot in snapshots] == list(range(1, met + 1))


def test_demo_threads_entries_and_events_carry_criteria(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    for table in (thread_criterion, practice_criterion, event_criterion):
        assert db.session.scalar(select(func.count()).select_from(table)) >= 10
