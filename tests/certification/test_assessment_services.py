"""Saving a city's assessment one criterion at a time, on the real database: the status
the checklist gives, the count of criteria met and its snapshots, conflicts between two
members (in turn and in two threads at once), evidence, sharing and who may do it."""

import threading

import pytest
from sqlalchemy import func, select

from tests.factories import make_city, make_member
from tests.library.factories import make_practice
from wwc_community.accounts.models import Member
from wwc_community.certification import services
from wwc_community.certification.models import (
    Assessment,
    ChecklistItem,
    Criterion,
    CriterionProgress,
    Evidence,
    ProgressChange,
    ScoreSnapshot,
)
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.directory.models import CertificationLevel, City
from wwc_community.extensions import db
from wwc_community.library.attachments import FileRefused

pytestmark = pytest.mark.usefixtures("framework")


def item_ids(code: str) -> list[int]:
    """The checklist item ids of `code`, in checklist order."""
    return list(
        db.session.scalars(
            select(ChecklistItem.id)
            .join(Criterion, Criterion.id == ChecklistItem.criterion_id)
            .where(Criterion.code == code)
            .order_by(ChecklistItem.position)
        )
    )


def save(member, city, code, count, version, notes=""):
    """Tick the first `count` items of `code` and commit."""
    saved = services.save_progress(
        db.session, member, city, code, item_ids(code)[:count], notes, version
    )
    db.session.commit()
    return saved


def met_count(city) -> int:
    return db.session.scalar(select(Assessment.met_count).where(Assessment.city_id == city.id))


def snapshots(city) -> list[int]:
    return list(
        db.session.scalars(
            select(ScoreSnapshot.met_count)
            .join(Assessment, Assessment.id == ScoreSnapshot.assessment_id)
            .where(Assessment.city_id == city.id)
            .order_by(ScoreSnapshot.id)
        )
    )


def progress_row(city, code) -> CriterionProgress:
    return db.session.scalar(
        select(CriterionProgress)
        .join(Assessment, Assessment.id == CriterionProgress.assessment_id)
        .join(Criterion, Criterion.id == CriterionProgress.criterion_id)
        .where(Assessment.city_id == city.id, Criterion.code == code)
    )


@pytest.fixture
def member(members):
    return members["practitioner"]


def test_ticking_items_moves_a_criterion_to_in_progress_then_met(member, city):
    first = save(member, city, "DG1", 1, 0, notes="Policy drafted.")
    assert first.progress.status == "in_progress"
    assert first.progress.version == 1
    assert met_count(city) == 0
    assert snapshots(city) == []  # the count did not change

    second = save(member, city, "DG1", 2, 1, notes="Policy drafted.")
    assert second.progress.status == "met"
    assert second.progress.met_at is not None
    assert second.progress.version == 2
    assert met_count(city) == 1
    assert snapshots(city) == [1]
    assert (second.before.met, second.after.met) == (0, 1)

    # Saving again with the same items changes nothing in the count: no snapshot.
    save(member, city, "DG1", 3, 2, notes="Policy adopted.")
    assert met_count(city) == 1
    assert snapshots(city) == [1]

    summaries = list(db.session.scalars(select(ProgressChange.summary).order_by(ProgressChange.id)))
    assert summaries == [
        "Ticked 1, changed the notes; in progress",
        "Ticked 1; met",
        "Ticked 1, changed the notes; met",
    ]


def test_unticking_a_met_criterion_lowers_the_count(member, city):
    save(member, city, "DG1", 2, 0)
    save(member, city, "DG2", 2, 0)
    assert met_count(city) == 2
    saved = save(member, city, "DG1", 1, 1)
    assert saved.progress.status == "in_progress"
    assert saved.progress.met_at is None
    assert met_count(city) == 1
    assert snapshots(city) == [1, 2, 1]


def test_reaching_a_level_is_reported(member, city):
    # 10 criteria, silver from 51%: the sixth criterion met reaches silver.
    for code in ("DG1", "DG2", "DG3", "DG4", "DG5"):
        assert not save(member, city, code, 2, 0).level_changed
    saved = save(member, city, "OD1", 2, 0)
    assert saved.level_changed
    assert saved.after.level is CertificationLevel.SILVER
    assert saved.before.level is CertificationLevel.NONE


def test_a_stale_version_is_refused_naming_who_saved(members, city):
    colleague = make_member(city=city, display_name="Dana Colleague")
    save(colleague, city, "DG1", 2, 0, notes="Dana's notes")
    with pytest.raises(Conflict) as refused:
        services.save_progress(db.session, members["practitioner"], city, "DG1", [], "Mine", 0)
    assert refused.value.field == "conflict"
    assert "Dana Colleague saved DG1" in refused.value.message
    db.session.rollback()
    row = progress_row(city, "DG1")
    assert (row.status, row.notes, row.version) == ("met", "Dana's notes", 1)
    assert met_count(city) == 1


def test_two_members_saving_different_criteria_both_succeed(members, city):
    colleague = make_member(city=city)
    # Both forms drawn from the empty assessment (version 0), saved one after the other.
    save(members["practitioner"], city, "DG1", 2, 0)
    save(colleague, city, "DG2", 2, 0)
    assert met_count(city) == 2
    assert progress_row(city, "DG1").status == "met"
    assert progress_row(city, "DG2").status == "met"


def test_an_item_of_another_criterion_is_refused(member, city):
    with pytest.raises(Invalid) as refused:
        services.save_progress(db.session, member, city, "DG1", item_ids("DG2")[:1], "", 0)
    assert refused.value.field == "items"
    assert "not on the checklist of DG1" in refused.value.message
    db.session.rollback()
    assert progress_row(city, "DG1") is None


def test_notes_too_long_are_refused(member, city):
    with pytest.raises(Invalid) as refused:
        services.save_progress(db.session, member, city, "DG1", [], "x" * 5001, 0)
    assert refused.value.field == "notes"


def test_an_unknown_criterion_is_not_found(member, city):
    with pytest.raises(NotFound, match="There is no criterion ZZ9"):
        services.save_progress(db.session, member, city, "zz9", [], "", 0)


def test_who_may_save(members, city):
    other_city = make_city("Shelbyville", "IL", 65_000)
    outsider = make_member(city=other_city)
    for actor in (outsider, members["partner"], members["pending"]):
        with pytest.raises(NotPermitted):
            services.save_progress(db.session, actor, city, "DG1", [], "", 0)
        db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0
    saved = services.save_progress(
        db.session, members["coordinator"], city, "DG1", item_ids("DG1")[:2], "", 0
    )
    db.session.commit()
    assert saved.progress.status == "met"
    assert services.may_work_on_assessment(members["admin"], city)
    assert not services.may_work_on_assessment(members["practitioner"], other_city)


def test_evidence_starts_a_criterion_and_can_be_removed(member, city, organisation):
    link = services.add_link_evidence(
        db.session, member, city, "DG3", "https://data.example.gov/policy", ""
    )
    db.session.commit()
    assert link.label == "data.example.gov"
    assert progress_row(city, "DG3").status == "in_progress"

    practice = make_practice(organisation, title="Open data policy template")
    entry = services.add_practice_evidence(
        db.session, member, city, "DG3", f"https://wwc.example/library/{practice.slug}/"
    )
    file = services.add_file_evidence(
        db.session, member, city, "DG3", "counts.csv", b"year,count\n2025,3\n"
    )
    db.session.commit()
    assert entry.label == "Open data policy template"
    assert (file.filename, file.content_type.split(";")[0]) == ("counts.csv", "text/csv")
    assert services.evidence_file(file).read_bytes() == b"year,count\n2025,3\n"
    assert services.evidence_counts(
        db.session,
        services.assessment_of(db.session, city, services.require_active_framework(db.session)),
    ) == {progress_row(city, "DG3").criterion_id: 3}

    services.remove_evidence(db.session, member, city, link.id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 2


def test_bad_evidence_is_refused(member, city):
    with pytest.raises(Invalid, match="https://"):
        services.add_link_evidence(db.session, member, city, "DG1", "javascript:alert(1)", "")
    with pytest.raises(Invalid, match="published library entry"):
        services.add_practice_evidence(db.session, member, city, "DG1", "no-such-entry")
    with pytest.raises(FileRefused, match="PNG image"):
        services.add_file_evidence(
            db.session, member, city, "DG1", "chart.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0


def test_evidence_of_another_city_is_not_found(members, city):
    other_city = make_city("Shelbyville", "IL", 65_000)
    theirs = services.add_link_evidence(
        db.session, members["coordinator"], other_city, "DG1", "https://example.org/", ""
    )
    db.session.commit()
    with pytest.raises(NotFound):
        services.remove_evidence(db.session, members["practitioner"], city, theirs.id)
    with pytest.raises(NotPermitted):
        services.remove_evidence(db.session, members["practitioner"], other_city, theirs.id)


def test_sharing(members, city):
    assessment = services.set_sharing(db.session, members["practitioner"], city, True)
    db.session.commit()
    assert assessment.shares_met_criteria
    assert services.may_see_met_criteria(members["partner"], assessment)
    services.set_sharing(db.session, members["coordinator"], city, False)
    db.session.commit()
    assert not services.may_see_met_criteria(members["partner"], assessment)
    assert services.may_see_met_criteria(members["coordinator"], assessment)
    with pytest.raises(NotPermitted):
        services.set_sharing(db.session, members["partner"], city, True)


def test_two_members_saving_the_same_criterion_at_once(app, members, city):
    """Each in a thread with its own session and connection, from the same version:
    exactly one save wins, the other is told, and the count is right."""
    colleague = make_member(city=city)
    save(members["practitioner"], city, "DG1", 1, 0)  # version 1, in progress
    city_id = city.id
    ids = item_ids("DG1")
    actor_ids = [members["practitioner"].id, colleague.id]
    db.session.commit()  # the test's own transaction must not hold the database
    start = threading.Barrier(2)
    outcomes = []

    def take_part(actor_id, notes):
        start.wait(timeout=30)
        with app.app_context():
            try:
                services.save_progress(
                    db.session,
                    db.session.get(Member, actor_id),
                    db.session.get(City, city_id),
                    "DG1",
                    ids[:2],
                    notes,
                    1,
                )
                db.session.commit()
                outcomes.append("saved")
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=take_part, args=(actor_id, f"By {actor_id}"))
        for actor_id in actor_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["conflict", "saved"]
    db.session.expire_all()
    row = progress_row(city, "DG1")
    assert (row.status, row.version) == ("met", 2)
    assert met_count(city) == 1
    assert snapshots(city) == [1]


def test_reading_never_starts_an_assessment(members, city):
    framework = services.require_active_framework(db.session)
    assert services.assessment_of(db.session, city, framework) is None
    assert services.score_of(db.session, framework, None).met == 0
    assert services.progress_by_criterion(db.session, None) == {}
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0
