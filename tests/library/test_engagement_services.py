"""Saving entries, marking them helpful and recording adaptations, through the services:
once-only marks, counters that stay right when two members act at the same moment,
and refusals for visitors, drafts and members without a city."""

import threading

import pytest
from sqlalchemy import func, select

from tests.factories import make_city, make_member, make_organisation
from tests.library.factories import make_practice
from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.errors import Conflict, Invalid, NotPermitted
from wwc_community.directory.models import PopulationBand
from wwc_community.extensions import db
from wwc_community.library import engagement
from wwc_community.library.models import Adaptation, Bookmark, HelpfulMark, Practice


@pytest.fixture
def entry(app):
    return make_practice(make_organisation("Evidence Partners"), title="Open budget dashboards")


@pytest.fixture
def springfield(app):
    return make_city("Springfield", "IL", 114_394)


def counts(practice) -> tuple[int, int]:
    """The entry's helpful and adaptation counters as stored."""
    db.session.expire_all()
    stored = db.session.get(Practice, practice.id)
    return stored.helpful_count, stored.adaptation_count


# Bookmarks --------------------------------------------------------------------------------


def test_saving_twice_keeps_one_bookmark_and_unsaving_removes_it(entry, springfield):
    member = make_member(city=springfield)
    assert engagement.save_practice(db.session, member, entry) is True
    assert engagement.save_practice(db.session, member, entry) is False
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 1
    assert engagement.unsave_practice(db.session, member, entry) is True
    assert engagement.unsave_practice(db.session, member, entry) is False
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 0


def test_saved_entries_are_only_those_the_member_may_still_see(app, springfield):
    organisation = make_organisation("Evidence Partners")
    member = make_member(city=springfield)
    kept = make_practice(organisation, title="Kept published entry")
    withdrawn = make_practice(organisation, title="Entry unpublished later")
    for practice in (kept, withdrawn):
        engagement.save_practice(db.session, member, practice)
    db.session.commit()
    from wwc_community.library.services import unpublish

    unpublish(db.session, make_member(Role.COORDINATOR), withdrawn)
    db.session.commit()
    saved = db.session.scalars(engagement.saved_practices(member)).all()
    assert [practice.title for practice in saved] == ["Kept published entry"]


# Helpful marks ----------------------------------------------------------------------------


def test_a_member_counts_once_as_helpful_and_may_take_it_back(entry, springfield):
    member = make_member(city=springfield)
    engagement.mark_helpful(db.session, member, entry)
    db.session.commit()
    with pytest.raises(Conflict, match="already marked this entry helpful"):
        engagement.mark_helpful(db.session, member, entry)
    db.session.rollback()
    assert counts(entry) == (1, 0)
    mark = db.session.scalar(select(HelpfulMark))
    assert mark.city_id == springfield.id

    engagement.unmark_helpful(db.session, member, entry)
    db.session.commit()
    assert counts(entry) == (0, 0)
    with pytest.raises(Conflict, match="had not marked"):
        engagement.unmark_helpful(db.session, member, entry)


def test_helpfulness_is_split_by_population_band_in_one_query(entry):
    from tests.query_counts import counted_queries

    small = [make_city(f"Smallton {n}", "OH", 40_000 + n) for n in range(2)]
    medium = make_city("Norman", "OK", 128_097)
    large = make_city("Tulsa", "OK", 411_867)
    for city in [*small, medium, medium, large]:
        engagement.mark_helpful(db.session, make_member(city=city), entry)
    partner = make_member(Role.PARTNER, organisation=make_organisation("Data Partners"))
    engagement.mark_helpful(db.session, partner, entry)
    db.session.commit()

    db.session.refresh(entry)
    with counted_queries() as statements:
        helpfulness = engagement.helpfulness_of(db.session, entry)
    assert [statement.split()[0] for statement in statements] == ["SELECT"]
    assert helpfulness.members == 6
    assert helpfulness.cities == 4
    assert [(count.band, count.cities, count.members) for count in helpfulness.bands] == [
        (PopulationBand.SMALL, 2, 2),
        (PopulationBand.MEDIUM, 1, 2),
        (PopulationBand.LARGE, 1, 1),
    ]
    assert counts(entry) == (6, 0)


# Adaptations ------------------------------------------------------------------------------


def test_a_second_member_of_the_same_city_updates_the_citys_record(entry, springfield):
    first, second = make_member(city=springfield), make_member(city=springfield)
    record, created = engagement.record_adaptation(
        db.session, first, entry, status="planning", changes="We started with *two* wards."
    )
    db.session.commit()
    assert created is True
    first_update = record.updated_at
    record, created = engagement.record_adaptation(
        db.session,
        second,
        entry,
        status="in_place",
        changes="Every ward now.",
        outcome="Complaints fell by **a third**.",
    )
    db.session.commit()
    assert created is False
    assert counts(entry) == (0, 1)
    [stored] = db.session.scalars(select(Adaptation)).all()
    assert stored.member_id == second.id
    assert stored.status == "in_place"
    assert stored.changes_html == "<p>Every ward now.</p>"
    assert stored.outcome_html == "<p>Complaints fell by <strong>a third</strong>.</p>"
    assert stored.updated_at >= first_update


def test_each_city_counts_once(entry, springfield):
    norman = make_city("Norman", "OK", 128_097)
    for city in (springfield, springfield, norman):
        engagement.record_adaptation(
            db.session, make_member(city=city), entry, status="piloting", changes="A pilot."
        )
    db.session.commit()
    assert counts(entry) == (0, 2)


def test_two_members_of_one_city_at_the_same_moment_count_once(app, entry, springfield):
    """Two requests, each in its own session and transaction, start together: the unique
    key lets one insert and turns the other into an update; the count grows once."""
    member_ids = [make_member(city=springfield).id, make_member(city=springfield).id]
    practice_id = entry.id
    start = threading.Barrier(2)
    errors = []

    def adapt(member_id: int) -> None:
        start.wait(timeout=10)
        with app.app_context():
            try:
                member = db.session.get(Member, member_id)
                practice = db.session.get(Practice, practice_id)
                engagement.record_adaptation(
                    db.session, member, practice, status="piloting", changes=f"By {member_id}."
                )
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    db.session.commit()
    threads = [threading.Thread(target=adapt, args=(member_id,)) for member_id in member_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert counts(entry) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(Adaptation)) == 1


def test_a_member_without_a_city_is_told_why_they_cannot_adapt(entry):
    partner = make_member(Role.PARTNER, organisation=make_organisation("Data Partners"))
    with pytest.raises(Invalid, match="does not name the city you work for"):
        engagement.record_adaptation(db.session, partner, entry, status="planning", changes="x")
    assert counts(entry) == (0, 0)


@pytest.mark.parametrize(
    ("changes", "outcome", "status", "message"),
    [
        ("", "", "planning", "Write what your city changed"),
        ("   \n  ", "", "planning", "Write what your city changed"),
        ("x" * 5_001, "", "planning", "5,000 characters"),
        ("Fine.", "y" * 5_001, "planning", "5,000 characters"),
        ("Fine.", "", "finished", "planning, piloting or in place"),
        ("Fine.", "", None, "planning, piloting or in place"),
    ],
)
def test_bad_adaptations_are_refused_and_nothing_is_saved(
    entry, springfield, changes, outcome, status, message
):
    member = make_member(city=springfield)
    with pytest.raises(Invalid, match=message):
        engagement.record_adaptation(
            db.session, member, entry, status=status, changes=changes, outcome=outcome
        )
    db.session.rollback()
    assert counts(entry) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(Adaptation)) == 0


# Refusals ---------------------------------------------------------------------------------


def _every_action(session, actor, practice):
    yield lambda: engagement.save_practice(session, actor, practice)
    yield lambda: engagement.mark_helpful(session, actor, practice)
    yield lambda: engagement.record_adaptation(
        session, actor, practice, status="planning", changes="We tried it."
    )


@pytest.mark.parametrize("who", ["visitor", "pending", "suspended"])
def test_visitors_and_accounts_not_approved_are_refused(entry, springfield, who):
    actor = None
    if who == "pending":
        actor = make_member(status=MemberStatus.PENDING, city=springfield)
    elif who == "suspended":
        actor = make_member(status=MemberStatus.SUSPENDED, city=springfield)
    for act in _every_action(db.session, actor, entry):
        with pytest.raises(NotPermitted, match="Only approved members"):
            act()
    assert counts(entry) == (0, 0)


@pytest.mark.parametrize("status", ["draft", "unpublished"])
def test_entries_not_published_cannot_be_saved_marked_or_adapted(app, springfield, status):
    practice = make_practice(make_organisation("Evidence Partners"), status=status)
    coordinator = make_member(Role.COORDINATOR, city=springfield)
    for act in _every_action(db.session, coordinator, practice):
        with pytest.raises(Conflict, match="Only published entries"):
            act()
        db.session.rollback()
    assert counts(practice) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 0
