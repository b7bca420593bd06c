"""Publishing library entries through the services: drafts, publication, versions, who
may do what, and what is refused with which message."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from wwc_community.accounts.models import Role
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.extensions import db
from wwc_community.library import services
from wwc_community.library.models import Practice, PracticeResult, PracticeVersion
from wwc_community.library.services import LinkRow, PracticeFields, ResultRow


@pytest.fixture
def partner(members):
    return members["partner"]


@pytest.fixture
def topic(app):
    return make_topic("Open Data")


def fields(topic, **changes):
    return PracticeFields(
        **{
            "title": "Publishing 311 data every night",
            "summary": "Cities publish their 311 requests as open data.",
            "body": "## Steps\n\n1. Export\n2. Publish",
            "topics": [topic],
            **changes,
        }
    )


def test_a_partner_writes_a_draft_for_their_organisation(partner, organisation, topic):
    practice = services.create_draft(db.session, partner, organisation, fields(topic))
    db.session.commit()
    assert practice.status == "draft"
    assert practice.slug == "publishing-311-data-every-night"
    assert practice.published_at is None
    assert practice.version_count == 0
    assert "<h2>Steps</h2>" in practice.body_html


def test_drafts_are_not_found_for_visitors_practitioners_and_other_partners(members, organisation):
    draft = make_practice(organisation, status="draft")
    other_partner = make_member(Role.PARTNER, organisation=make_organisation())
    for viewer in (None, members["practitioner"], members["pending"], other_partner):
        with pytest.raises(NotFound):
            services.get_practice_for_page(db.session, viewer, draft.slug)
        with pytest.raises(NotFound):
            services.get_editable_practice(db.session, viewer, draft.slug)
    for viewer in (members["partner"], members["coordinator"], members["admin"]):
        assert services.get_practice_for_page(db.session, viewer, draft.slug) == draft


def test_a_partner_of_another_organisation_may_not_change_a_published_entry(
    members, organisation, topic
):
    practice = make_practice(organisation)
    other_partner = make_member(Role.PARTNER, organisation=make_organisation())
    assert services.get_practice_for_page(db.session, other_partner, practice.slug)
    with pytest.raises(NotPermitted):
        services.get_editable_practice(db.session, other_partner, practice.slug)
    with pytest.raises(NotPermitted):
        services.save_practice(db.session, other_partner, practice, fields(topic))
    with pytest.raises(NotPermitted):
        services.unpublish(db.session, other_partner, practice)
    with pytest.raises(NotPermitted):
        services.create_draft(db.session, other_partner, organisation, fields(topic))
    with pytest.raises(NotPermitted):
        services.create_draft(db.session, members["practitioner"], organisation, fields(topic))


def test_publishing_keeps_a_version_with_everything_shown(partner, organisation, topic):
    practice = services.create_draft(
        db.session,
        partner,
        organisation,
        fields(
            topic,
            kind="case_study",
            problem="Requests went unanswered.",
            evaluation_design="quasi_experimental",
            cost="$10,000",
            time_to_implement="3 months",
            results=[ResultRow("Days to close", "days", "12", "2021-01-31", "7", "2022-01-31")],
            links=[LinkRow("The report", "https://example.org/report.pdf")],
        ),
    )
    version = services.publish(db.session, partner, practice)
    db.session.commit()
    assert practice.status == "published"
    assert practice.published_at == practice.updated_at
    assert practice.version_count == 1
    assert practice.evidence_tier == "moderate"
    assert version.number == 1
    snapshot = version.snapshot
    assert snapshot["kind"] == "case_study"
    assert snapshot["evidence_tier"] == "moderate"
    assert snapshot["problem"] == "Requests went unanswered."
    assert snapshot["topics"] == ["Open Data"]
    assert snapshot["results"][0]["baseline_date"] == "2021-01-31"
    assert snapshot["links"] == [{"label": "The report", "url": "https://example.org/report.pdf"}]
    assert "<h2>Steps</h2>" in snapshot["body_html"]


def test_editing_a_published_entry_publishes_a_new_version_and_keeps_the_slug(
    partner, organisation, topic
):
    made = make_practice(organisation, author=partner, title="Publishing 311 data weekly")
    practice = services.get_editable_practice(db.session, partner, made.slug)
    first_published = practice.published_at
    version = services.save_practice(
        db.session, partner, practice, fields(topic, title="A wholly different title now")
    )
    db.session.commit()
    assert version.number == 2
    assert practice.slug == "publishing-311-data-weekly"
    assert practice.title == "A wholly different title now"
    assert practice.published_at == first_published
    assert practice.updated_at >= first_published
    numbers = [v.number for v in services.versions_of(db.session, practice)]
    assert numbers == [2, 1]
    assert services.get_version(db.session, practice, 1).title == "Publishing 311 data weekly"


def test_a_draft_follows_its_title_until_first_published(partner, organisation, topic):
    practice = services.create_draft(db.session, partner, organisation, fields(topic))
    assert (
        services.save_practice(
            db.session, partner, practice, fields(topic, title="Nightly open data for 311")
        )
        is None
    )
    db.session.commit()
    assert practice.slug == "nightly-open-data-for-311"
    assert practice.version_count == 0


def test_slugs_are_unique(partner, organisation, topic):
    slugs = [
        services.create_draft(db.session, partner, organisation, fields(topic)).slug
        for _ in range(3)
    ]
    assert slugs == [
        "publishing-311-data-every-night",
        "publishing-311-data-every-night-2",
        "publishing-311-data-every-night-3",
    ]


def test_reserved_addresses_are_not_taken_by_a_slug(partner, organisation, topic):
    practice = services.create_draft(
        db.session, partner, organisation, fields(topic, title="Manage!!!!!!!!")
    )
    assert practice.slug == "manage-2"


def test_unpublished_entries_disappear_for_the_public_but_keep_their_versions(
    members, organisation
):
    practice = make_practice(organisation, status="unpublished")
    assert practice.status == "unpublished"
    with pytest.raises(NotFound):
        services.get_practice_for_page(db.session, None, practice.slug)
    with pytest.raises(NotFound):
        services.get_practice_for_page(db.session, members["practitioner"], practice.slug)
    assert services.get_practice_for_page(db.session, members["partner"], practice.slug)
    assert db.session.scalar(select(func.count()).select_from(PracticeVersion)) == 1
    with pytest.raises(Conflict):
        services.unpublish(db.session, members["partner"], practice)


def test_only_coordinators_feature_published_entries(members, organisation):
    practice = make_practice(organisation)
    with pytest.raises(NotPermitted):
        services.set_featured(db.session, members["partner"], practice, True)
    services.set_featured(db.session, members["coordinator"], practice, True)
    assert practice.is_featured
    services.set_featured(db.session, members["coordinator"], practice, False)
    assert not practice.is_featured
    draft = make_practice(organisation, status="draft")
    with pytest.raises(Conflict):
        services.set_featured(db.session, members["coordinator"], draft, True)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"title": "Too short"}, "title", "at least 10 characters"),
        ({"title": "x" * 201}, "title", "200 characters"),
        ({"summary": "x" * 501}, "summary", "500 characters"),
        ({"topics": []}, "topics", "one to 3 topics"),
        ({"kind": "brochure"}, "kind", "kind of entry"),
        ({"evaluation_design": "vibes"}, "evaluation_design", "evaluation design"),
        ({"results": [ResultRow(unit="days", result_value="3")]}, "results", "measures"),
        ({"results": [ResultRow("Days to close")]}, "results", "baseline value or a result"),
        (
            {"results": [ResultRow("Days", result_value="3", result_date="31/01/2022")]},
            "results",
            "YYYY-MM-DD",
        ),
        (
            {"results": [ResultRow("Days", result_value="3", baseline_date="2022-02-30")]},
            "results",
            "baseline date of result 1",
        ),
        ({"results": [ResultRow(f"M{n}", result_value="1") for n in range(7)]}, "results", "6"),
        ({"links": [LinkRow("Bad", "javascript:alert(1)")]}, "links", "https://"),
        ({"links": [LinkRow("", "https://example.org")]}, "links", "label"),
        ({"links": [LinkRow(f"L{n}", "https://example.org") for n in range(9)]}, "links", "8"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    partner, organisation, topic, changes, field, words
):
    with pytest.raises(Invalid) as refusal:
        services.create_draft(db.session, partner, organisation, fields(topic, **changes))
    assert refusal.value.field == field
    assert words in refusal.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Practice)) == 0


def test_four_topics_are_too_many(partner, organisation):
    topics = [make_topic(f"Topic {n}") for n in range(4)]
    with pytest.raises(Invalid, match="one to 3 topics"):
        services.create_draft(db.session, partner, organisation, fields(topics[0], topics=topics))


def test_empty_result_and_link_rows_are_ignored(partner, organisation, topic):
    practice = services.create_draft(
        db.session,
        partner,
        organisation,
        fields(
            topic,
            results=[
                ResultRow(),
                ResultRow("Trips", "", "", None, "40", date(2023, 5, 1)),
                ResultRow(),
            ],
            links=[LinkRow(), LinkRow("Data", "http://example.org/data.csv"), LinkRow("", " ")],
        ),
    )
    db.session.commit()
    practice = services.get_practice_for_page(db.session, partner, practice.slug)
    assert [(r.measure, r.result_date) for r in practice.results] == [("Trips", date(2023, 5, 1))]
    assert [link.label for link in practice.links] == ["Data"]
    assert db.session.scalar(select(func.count()).select_from(PracticeResult)) == 1


def test_preview_checks_the_fields_and_saves_nothing(partner, organisation, topic):
    snapshot = services.preview_snapshot(
        db.session, partner, organisation.id, fields(topic, evaluation_design="pre_post")
    )
    db.session.commit()
    assert snapshot["evidence_tier"] == "promising"
    assert "<h2>Steps</h2>" in snapshot["body_html"]
    assert db.session.scalar(select(func.count()).select_from(Practice)) == 0
    with pytest.raises(Invalid):
        services.preview_snapshot(db.session, partner, organisation.id, fields(topic, title="x"))


def test_the_change_is_shown_when_both_values_are_numbers():
    assert services.result_change(
        {"baseline_value": "12", "result_value": "7", "unit": "days"}
    ) == ("−5 days (−42%)")
    assert services.result_change({"baseline_value": "1,000", "result_value": "1,250"}) == (
        "+250 (+25%)"
    )
    assert services.result_change({"baseline_value": "n/a", "result_value": "7"}) == ""
    assert services.result_change({"baseline_value": "", "result_value": "7"}) == ""


def test_managed_entries_are_the_organisations_or_all_for_coordinators(members, organisation):
    own = make_practice(organisation, status="draft")
    other_organisation = make_organisation()
    other = make_practice(other_organisation)
    partner_sees = db.session.scalars(services.managed_practices(members["partner"])).all()
    assert partner_sees == [own]
    coordinator_sees = db.session.scalars(services.managed_practices(members["coordinator"])).all()
    assert set(coordinator_sees) == {own, other}
    assert db.session.scalars(
        services.managed_practices(members["coordinator"], other_organisation.id)
    ).all() == [other]
    with pytest.raises(NotPermitted):
        services.managed_practices(members["practitioner"])
