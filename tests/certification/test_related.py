"""What helps close a gap: the entries, threads and events tagged with a criterion code,
and the peers to ask, each seen only by whoever may see it, in bounded queries."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.certification.factories import make_framework
from tests.certification.matrix_benchmark import city_that_met, meet
from tests.discussions.factories import make_thread
from tests.events.factories import make_event
from tests.factories import make_city, make_member
from tests.library.factories import make_practice
from tests.query_counts import counted_queries
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.certification import tagging
from wwc_community.certification.frameworks import active_framework
from wwc_community.certification.models import CriterionProgress
from wwc_community.certification.related import (
    cities_that_met,
    peers_by_code,
    related_by_code,
)
from wwc_community.certification.services import assessment_of, criterion_in
from wwc_community.core.database import utcnow
from wwc_community.events.models import EventStatus
from wwc_community.extensions import db


def tag(kind, item, *codes, actor):
    getattr(tagging, f"tag_{kind}")(db.session, actor, item, list(codes))
    db.session.commit()


@pytest.fixture
def coordinator(members):
    return members["coordinator"]


def titles(items):
    return [item.title for item in items]


# Related entries, threads and events ------------------------------------------------------


def test_only_published_entries_are_related(framework, organisation, coordinator):
    published = make_practice(organisation, title="A published data policy guide")
    draft = make_practice(organisation, title="A draft data policy guide", status="draft")
    withdrawn = make_practice(organisation, title="A withdrawn guide", status="unpublished")
    for practice in (published, draft, withdrawn):
        tag("practice", practice, "DG1", actor=coordinator)

    related = related_by_code(db.session, None, ["DG1"])

    assert titles(related["DG1"].practices) == ["A published data policy guide"]


def test_threads_are_for_members_only(framework, members, coordinator):
    thread = make_thread(members["practitioner"], title="How did you adopt a data policy?")
    tag("thread", thread, "DG1", actor=coordinator)

    assert titles(related_by_code(db.session, members["partner"], ["DG1"])["DG1"].threads) == [
        "How did you adopt a data policy?"
    ]
    assert related_by_code(db.session, None, ["DG1"])["DG1"].threads == []
    assert related_by_code(db.session, members["pending"], ["DG1"])["DG1"].threads == []
    assert related_by_code(db.session, members["suspended"], ["DG1"])["DG1"].threads == []


def test_events_are_published_upcoming_and_visible_to_the_viewer(framework, members, coordinator):
    now = utcnow()
    events = {
        "public": make_event(title="Public clinic", is_public=True),
        "members": make_event(title="Members clinic", is_public=False),
        "past": make_event(
            title="Past clinic",
            is_public=True,
            starts_at=now - timedelta(days=2),
            ends_at=now - timedelta(days=2) + timedelta(hours=1),
        ),
        "draft": make_event(title="Draft clinic", is_public=True, status=EventStatus.DRAFT),
        "cancelled": make_event(
            title="Cancelled clinic", is_public=True, status=EventStatus.CANCELLED
        ),
    }
    for event in events.values():
        tag("event", event, "DG1", actor=coordinator)

    def seen_by(viewer):
        return titles(related_by_code(db.session, viewer, ["DG1"])["DG1"].events)

    assert seen_by(None) == ["Public clinic"]
    assert seen_by(members["pending"]) == ["Public clinic"]
    assert sorted(seen_by(members["practitioner"])) == ["Members clinic", "Public clinic"]
    # Coordinators see drafts elsewhere; here only what members can sign up for.
    assert sorted(seen_by(coordinator)) == ["Members clinic", "Public clinic"]


def test_events_come_soonest_first(framework, coordinator):
    now = utcnow()
    for days, title in ((9, "In nine days"), (2, "In two days"), (5, "In five days")):
        event = make_event(title=title, is_public=True, starts_at=now + timedelta(days=days))
        tag("event", event, "DG1", actor=coordinator)

    assert titles(related_by_code(db.session, None, ["DG1"])["DG1"].events) == [
        "In two days",
        "In five days",
        "In nine days",
    ]


def test_at_most_per_code_of_each_kind_newest_first(framework, organisation, coordinator):
    practices = [make_practice(organisation, title=f"Guide number {n}") for n in range(1, 6)]
    base = utcnow() - timedelta(days=10)
    for number, practice in enumerate(practices, 1):
        practice.published_at = base + timedelta(days=number)
        tag("practice", practice, "DG1", "DG2", actor=coordinator)
    tag("practice", make_practice(organisation, title="Only on OD1"), "OD1", actor=coordinator)

    related = related_by_code(db.session, None, ["DG1", "DG2", "OD1"], per_code=3)

    assert titles(related["DG1"].practices) == [
        "Guide number 5",
        "Guide number 4",
        "Guide number 3",
    ]
    assert titles(related["DG2"].practices) == [
        "Guide number 5",
        "Guide number 4",
        "Guide number 3",
    ]
    assert titles(related["OD1"].practices) == ["Only on OD1"]


def test_every_code_asked_gets_an_answer_in_capitals(framework, organisation, coordinator):
    tag("practice", make_practice(organisation, title="A guide on DG3"), "DG3", actor=coordinator)

    related = related_by_code(db.session, None, ["dg3", "OD5"])

    assert set(related) == {"DG3", "OD5"}
    assert titles(related["DG3"].practices) == ["A guide on DG3"]
    assert related["OD5"].practices == [] and related["OD5"].events == []


def test_tags_match_by_code_across_framework_versions(organisation, coordinator):
    make_framework(version="v-2025")
    old = make_practice(organisation, title="Tagged under the old version")
    both = make_practice(organisation, title="Tagged under both versions")
    tag("practice", old, "DG1", actor=coordinator)
    tag("practice", both, "DG1", actor=coordinator)
    make_framework(version="v-2026")  # activating it retires v-2025
    tag("practice", both, "DG1", actor=coordinator)
    new = make_practice(organisation, title="Tagged under the new version")
    tag("practice", new, "DG1", actor=coordinator)

    shown = titles(related_by_code(db.session, None, ["DG1"], per_code=10)["DG1"].practices)

    assert sorted(shown) == [
        "Tagged under both versions",
        "Tagged under the new version",
        "Tagged under the old version",
    ]


def test_related_queries_do_not_grow_with_codes_or_items(framework, organisation, members):
    coordinator = members["coordinator"]

    def count(codes):
        db.session.expire_all()
        with counted_queries() as statements:
            related_by_code(db.session, members["practitioner"], codes)
        return len(statements)

    tag("practice", make_practice(organisation), "DG1", actor=coordinator)
    tag("thread", make_thread(members["practitioner"]), "DG1", actor=coordinator)
    tag("event", make_event(is_public=True), "DG1", actor=coordinator)
    few = count(["DG1"])

    for code in ("DG1", "DG2", "OD1", "OD2"):
        for _ in range(3):
            tag("practice", make_practice(organisation), code, actor=coordinator)
            tag("thread", make_thread(members["practitioner"]), code, actor=coordinator)
            tag("event", make_event(is_public=True), code, actor=coordinator)
    many = count(["DG1", "DG2", "OD1", "OD2", "OD3"])

    assert many == few


# Peers --------------------------------------------------------------------------------------


def set_progress(city, code, **values):
    framework = active_framework(db.session)
    criterion = criterion_in(db.session, framework, code)
    assessment = assessment_of(db.session, city, framework)
    db.session.execute(
        update(CriterionProgress)
        .where(
            CriterionProgress.assessment_id == assessment.id,
            CriterionProgress.criterion_id == criterion.id,
        )
        .values(**values)
    )
    db.session.commit()


def names(peers):
    return [peer.member.display_name for peer in peers]


def test_the_saver_comes_first_then_their_city_then_cities_by_latest_met(members):
    earlier, (first, saver, third) = city_that_met(["DG1"], name="Earlytown", peers=3)
    # The second member saved it met last.
    set_progress(earlier, "DG1", updated_by_id=saver.id)
    later, (later_peer,) = city_that_met(["DG1"], name="Latetown", peers=1)
    set_progress(earlier, "DG1", met_at=utcnow() - timedelta(days=30))
    set_progress(later, "DG1", met_at=utcnow() - timedelta(days=1))

    peers = peers_by_code(db.session, members["practitioner"], ["DG1"], per_code=10)["DG1"]

    assert names(peers) == [
        "Latetown Peer 1",
        "Earlytown Peer 2",
        "Earlytown Peer 1",
        "Earlytown Peer 3",
    ]
    assert [peer.city.name for peer in peers] == ["Latetown"] + ["Earlytown"] * 3
    assert peers[0].met_at is not None


def test_peers_share_and_are_active_and_never_the_viewer(members):
    city, (saver, viewer) = city_that_met(["DG1", "OD1"], name="Sharetown", peers=2)
    make_member(city=city, status=MemberStatus.PENDING, display_name="Sharetown Pending")
    make_member(city=city, status=MemberStatus.SUSPENDED, display_name="Sharetown Suspended")
    make_member(city=city, verified=False, display_name="Sharetown Unverified")
    city_that_met(["DG1"], name="Quiettown", shares=False)
    # Started but not met:
    working = make_city("Workingtown", "WA", 50_000)
    worker = make_member(city=working, display_name="Workingtown Peer")
    from wwc_community.certification import services

    services.add_link_evidence(
        db.session, worker, working, "DG1", "https://example.gov/policy", "Draft policy"
    )
    services.set_sharing(db.session, worker, working, True)
    db.session.commit()

    peers = peers_by_code(db.session, viewer, ["DG1", "OD1", "OD2"], per_code=10)

    assert names(peers["DG1"]) == ["Sharetown Peer 1"]
    assert names(peers["OD1"]) == ["Sharetown Peer 1"]
    assert peers["OD2"] == []
    assert names(peers_by_code(db.session, saver, ["DG1"])["DG1"]) == ["Sharetown Peer 2"]


def test_peers_leave_out_the_excluded_city_and_limit_per_code(members):
    city, _ = city_that_met(["DG1"], name="Bigtown", peers=5)

    assert len(peers_by_code(db.session, members["partner"], ["DG1"])["DG1"]) == 3
    assert (
        peers_by_code(db.session, members["partner"], ["DG1"], exclude_city_id=city.id)["DG1"] == []
    )


def test_peers_are_for_approved_members_only(members):
    city_that_met(["DG1"])

    assert peers_by_code(db.session, None, ["DG1"])["DG1"] == []
    assert peers_by_code(db.session, members["pending"], ["DG1"])["DG1"] == []


def test_only_the_active_framework_counts_for_peers(members):
    city_that_met(["DG1"], name="Oldtown")
    make_framework(version="next")  # retires the version Oldtown met DG1 under

    assert peers_by_code(db.session, members["practitioner"], ["DG1"])["DG1"] == []


def test_peer_queries_do_not_grow_with_codes_or_cities(members):
    viewer = members["practitioner"]

    def count(codes):
        db.session.expire_all()
        with counted_queries() as statements:
            peers_by_code(db.session, viewer, codes)
        return len(statements)

    city_that_met(["DG1"], name="Onetown")
    few = count(["DG1"])
    for number in range(4):
        city_that_met(["DG1", "DG2", "OD1"], name=f"Town{number}", peers=3)
    many = count(["DG1", "DG2", "OD1", "OD2"])

    assert many == few


# Cities that met a criterion ------------------------------------------------------------------


def test_cities_that_met_shows_shared_ones_and_coordinators_see_all(members, city):
    city_that_met(["DG1"], name="Sharetown")
    city_that_met(["DG1"], name="Quiettown", shares=False)
    meet(city, members["practitioner"], ["DG1"], shares=False)

    criterion = criterion_in(db.session, active_framework(db.session), "DG1")

    def seen_by(viewer):
        return [
            (row.city.name, row.shared) for row in cities_that_met(db.session, viewer, criterion)
        ]

    assert seen_by(members["partner"]) == [("Sharetown", True)]
    # A member sees their own city, marked not shared.
    assert seen_by(members["practitioner"]) == [("Sharetown", True), ("Springfield", False)]
    assert seen_by(members["coordinator"]) == [
        ("Quiettown", False),
        ("Sharetown", True),
        ("Springfield", False),
    ]
    assert seen_by(None) == []
    assert members["coordinator"].has_role(Role.COORDINATOR)
