"""The demo library `flask seed-demo` loads: about thirty entries across every partner
organisation, kind, topic and evaluation design, with adaptations, helpful marks and
versions whose counters agree with their rows, loaded once."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from wwc_community.accounts.models import Member
from wwc_community.core.cli import DEMO_ACCOUNTS, DEMO_ORGANISATIONS
from wwc_community.core.database import utcnow
from wwc_community.core.demo_people import demo_people
from wwc_community.directory.city_import import slugify
from wwc_community.directory.services import STARTING_TOPICS
from wwc_community.discussions.models import Thread
from wwc_community.extensions import db
from wwc_community.library.demo import versions_of
from wwc_community.library.demo_practices import (
    DEMO_PRACTICES,
    PRACTICE_QUESTIONS,
    PRACTITIONER_EMAIL,
)
from wwc_community.library.models import (
    Adaptation,
    Attachment,
    Bookmark,
    EvaluationDesign,
    HelpfulMark,
    Practice,
    PracticeKind,
    PracticeLink,
    PracticeResult,
    PracticeStatus,
    PracticeVersion,
)
from wwc_community.library.services import RESERVED_SLUGS, SLUG_MAX_LENGTH, SUMMARY_MAX_LENGTH

LIBRARY_MODELS = (
    Practice,
    PracticeResult,
    PracticeLink,
    PracticeVersion,
    Attachment,
    Bookmark,
    HelpfulMark,
    Adaptation,
)
PUBLISHED = [demo for demo in DEMO_PRACTICES if demo.status == PracticeStatus.PUBLISHED]


def places() -> dict[str, tuple[str | None, str | None]]:
    """Every demo member's display name -> (city slug, organisation slug)."""
    named = {
        person.display_name: (person.city_slug, person.organisation_slug)
        for person in demo_people()
    }
    named.update({row[2]: (row[4], row[5]) for row in DEMO_ACCOUNTS})
    return named


# The data, before any database ------------------------------------------------------------


def test_the_entries_cover_every_organisation_kind_topic_and_design():
    assert 28 <= len(DEMO_PRACTICES) <= 32
    assert len({demo.slug for demo in DEMO_PRACTICES}) == len(DEMO_PRACTICES)
    assert len({demo.title for demo in DEMO_PRACTICES}) == len(DEMO_PRACTICES)
    assert {demo.organisation for demo in PUBLISHED} == {
        slugify(name) for name, *_ in DEMO_ORGANISATIONS
    }
    assert {demo.kind for demo in PUBLISHED} == set(PracticeKind)
    topics = {name for name, _ in STARTING_TOPICS}
    for topic in topics:
        assert sum(topic in demo.topics for demo in PUBLISHED) >= 3, topic
    designs = [demo.design for demo in PUBLISHED]
    assert set(designs) == set(EvaluationDesign) | {None}
    assert 2 <= designs.count(None) <= 5

    statuses = [demo.status for demo in DEMO_PRACTICES]
    assert statuses.count(PracticeStatus.DRAFT) == 2
    assert statuses.count(PracticeStatus.UNPUBLISHED) == 1
    assert sum(demo.featured for demo in PUBLISHED) == 3
    assert not any(demo.featured for demo in DEMO_PRACTICES if demo not in PUBLISHED)
    assert 3 <= sum(bool(demo.updates) for demo in PUBLISHED)
    assert all(len(demo.updates) <= 2 for demo in DEMO_PRACTICES)


def test_every_entry_has_its_evidence_block_body_and_links():
    topics = {name for name, _ in STARTING_TOPICS}
    for demo in DEMO_PRACTICES:
        where = demo.slug
        assert demo.slug == slugify(demo.slug) and len(demo.slug) <= SLUG_MAX_LENGTH, where
        assert demo.slug not in RESERVED_SLUGS
        assert 1 <= len(demo.topics) <= 3 and set(demo.topics) <= topics, where
        assert 0 < len(demo.summary) <= SUMMARY_MAX_LENGTH, where
        assert demo.problem and demo.intervention and demo.outcome_measure, where
        assert demo.cost and demo.time_to_implement, where
        assert "## " in demo.body and ("\n        - " in demo.body or "1. " in demo.body), where
        # Every figure is illustrative, and each entry says so in its own text.
        assert "illustrative" in demo.body.lower(), where
        assert 1 <= len(demo.results) <= 3, where
        for result in demo.results:
            baseline, outcome = (
                date.fromisoformat(result.baseline_date),
                date.fromisoformat(result.result_date),
            )
            assert baseline <= outcome < date(2026, 1, 1), (where, result.measure)
            assert result.unit and (result.baseline or result.result), (where, result.measure)
        assert 1 <= len(demo.links) <= 3, where
        for _, url in demo.links:
            assert url.startswith("https://") and ".example.org/" in url, (where, url)
        assert 0 < demo.days_ago <= 300, where


def test_versions_add_sections_and_results_in_order():
    for demo in DEMO_PRACTICES:
        versions = versions_of(demo)  # raises if an update's section is not in the body
        assert len(versions) == 1 + len(demo.updates)
        days = [day for day, *_ in versions]
        assert days == sorted(days, reverse=True) and days[-1] > 0, demo.slug
        bodies = [body for _, _, body, _ in versions]
        assert all(len(a) < len(b) for a, b in zip(bodies, bodies[1:], strict=False))
        assert versions[-1][1] == demo.summary and versions[-1][3] == demo.results
        assert all(results for *_, results in versions), demo.slug


def test_every_name_in_the_data_is_a_demo_member_in_the_right_place():
    named = places()
    for demo in DEMO_PRACTICES:
        # The author is a partner of the entry's organisation.
        assert named[demo.author][1] == demo.organisation, (demo.slug, demo.author)
        cities = [named[adaptation.member][0] for adaptation in demo.adaptations]
        assert all(cities), demo.slug  # adaptations come from members with a city
        assert len(set(cities)) == len(cities), demo.slug  # one per city
        for adaptation in demo.adaptations:
            assert 0 < adaptation.days_ago < demo.days_ago, (demo.slug, adaptation.member)
            assert adaptation.changes and adaptation.status
        assert all(name in named for name in demo.helpful), demo.slug
        assert len(set(demo.helpful)) == len(demo.helpful), demo.slug
        # Nobody marks their own organisation's entries helpful.
        assert all(named[name][1] != demo.organisation for name in demo.helpful), demo.slug
        if demo.status != PracticeStatus.PUBLISHED:
            assert not (demo.adaptations or demo.helpful or demo.bookmarked_by_practitioner)
    by_slug = {demo.slug: demo for demo in DEMO_PRACTICES}
    for slug, thread in PRACTICE_QUESTIONS:
        assert by_slug[slug].status == PracticeStatus.PUBLISHED
        assert 0 < thread.days_ago < by_slug[slug].days_ago
        people = [thread.asker] + [answer.author for answer in thread.answers]
        people += [c.author for answer in thread.answers for c in answer.comments]
        assert all(name in named for name in people), thread.title
    assert PRACTITIONER_EMAIL in [row[0] for row in DEMO_ACCOUNTS]


# Seeding ------------------------------------------------------------------------------------


@pytest.fixture
def seeded(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_loads_the_library_with_counters_that_agree_and_only_once(seeded, runner):
    assert f"Demo library: {len(DEMO_PRACTICES)} entries added." in seeded.output
    practices = {p.slug: p for p in db.session.scalars(select(Practice))}
    assert set(practices) == {demo.slug for demo in DEMO_PRACTICES}
    adaptations = db.session.scalars(select(Adaptation)).all()
    marks = db.session.scalars(select(HelpfulMark)).all()
    versions = db.session.scalars(select(PracticeVersion)).all()
    now = utcnow()

    for demo in DEMO_PRACTICES:
        practice = practices[demo.slug]
        assert practice.status == demo.status, demo.slug
        assert practice.is_featured == demo.featured, demo.slug
        own_adaptations = [a for a in adaptations if a.practice_id == practice.id]
        assert practice.adaptation_count == len({a.city_id for a in own_adaptations})
        assert practice.adaptation_count == len(demo.adaptations), demo.slug
        assert practice.helpful_count == sum(m.practice_id == practice.id for m in marks)
        assert practice.helpful_count == len(demo.helpful), demo.slug
        own_versions = sorted(
            (v for v in versions if v.practice_id == practice.id), key=lambda v: v.number
        )
        assert practice.version_count == len(own_versions), demo.slug
        assert practice.evidence_tier is None if demo.design is None else practice.evidence_tier
        if demo.status == PracticeStatus.DRAFT:
            assert not own_versions and practice.published_at is None
            continue
        assert len(own_versions) == 1 + len(demo.updates), demo.slug
        assert [v.number for v in own_versions] == list(range(1, len(own_versions) + 1))
        moments = [v.published_at for v in own_versions]
        assert moments == sorted(moments) and moments[-1] < now, demo.slug
        assert practice.published_at == moments[0] and practice.updated_at == moments[-1]
        assert practice.created_at < practice.published_at
        assert abs(now - practice.published_at - timedelta(days=demo.days_ago)) < timedelta(1)
        assert own_versions[-1].snapshot["summary"] == practice.summary
        for adaptation in own_adaptations:
            assert practice.published_at < adaptation.created_at < now
            assert adaptation.changes_html.startswith("<p>")
        for mark in marks:
            if mark.practice_id == practice.id:
                assert practice.published_at <= mark.created_at <= now

    published = sorted(p.published_at for p in practices.values() if p.published_at)
    assert now - published[0] > timedelta(days=280) and now - published[-1] < timedelta(days=30)
    pat = db.session.scalar(select(Member).where(Member.email == PRACTITIONER_EMAIL))
    saved = set(
        db.session.scalars(select(Bookmark.practice_id).where(Bookmark.member_id == pat.id))
    )
    assert {practices[d.slug].id for d in DEMO_PRACTICES if d.bookmarked_by_practitioner} == saved
    linked = db.session.scalars(select(Thread).where(Thread.practice_id.is_not(None))).all()
    assert {thread.title for thread in linked} == {demo.title for _, demo in PRACTICE_QUESTIONS}
    for thread in linked:
        practice = next(p for p in practices.values() if p.id == thread.practice_id)
        assert practice.published_at < thread.created_at < now

    models = (Practice, PracticeVersion, Adaptation, HelpfulMark, Bookmark, Thread)
    before = {model: count(model) for model in models}
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "Demo library: 0 entries added." in again.output
    assert {model: count(model) for model in models} == before


def test_every_published_entry_renders_for_a_visitor_and_the_others_are_not_found(seeded, client):
    listing = client.get("/library")
    assert listing.status_code == 200
    for demo in DEMO_PRACTICES:
        response = client.get(f"/library/{demo.slug}")
        if demo.status == PracticeStatus.PUBLISHED:
            assert response.status_code == 200, demo.slug
            assert demo.title.replace("'", "&#39;") in response.get_data(as_text=True)
            if demo.updates:
                versions = client.get(f"/library/{demo.slug}/versions")
                assert versions.status_code == 200, demo.slug
        else:
            assert response.status_code == 404, demo.slug
