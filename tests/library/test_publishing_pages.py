"""The publishing pages: new entry, edit, preview, publish, unpublish, feature, and the
organisation's entries."""

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.factories import make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from wwc_community.accounts.models import Role
from wwc_community.extensions import db
from wwc_community.library.models import Practice, PracticeVersion


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def topic(app):
    return make_topic("Open Data")


@pytest.fixture
def partner_client(client, members):
    sign_in(client, members["partner"].email)
    return client


def entry_form(topic, **changes):
    return {
        "title": "Publishing 311 data every night",
        "kind": "guide",
        "summary": "Cities publish their 311 requests as open data.",
        "topics": [topic.slug],
        "body": "## Steps\n\nExport, then publish.",
        "evaluation_design": "pre_post",
        "results-0-measure": "Days to close a request",
        "results-0-unit": "days",
        "results-0-baseline_value": "12",
        "results-0-baseline_date": "2021-01-31",
        "results-0-result_value": "7",
        "results-0-result_date": "2022-01-31",
        "links-0-label": "The city's report",
        "links-0-url": "https://example.org/report",
        **changes,
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_partner_writes_a_draft_then_publishes_it(partner_client, topic, organisation):
    form = text_of(partner_client.get("/library/new"))
    assert "New library entry" in form
    assert organisation.name in form
    response = post_form(partner_client, "/library/new", entry_form(topic, save="1"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/library/publishing-311-data-every-night")
    page = text_of(partner_client.get("/library/publishing-311-data-every-night"))
    assert "This is a draft" in page
    response = post_form(partner_client, "/library/publishing-311-data-every-night/publish")
    assert response.status_code == 303
    page = text_of(partner_client.get("/library/publishing-311-data-every-night"))
    assert "This is a draft" not in page
    assert "Published" in page
    assert count(PracticeVersion) == 1


def test_bad_input_is_shown_again_with_messages_and_nothing_saved(partner_client, topic):
    response = post_form(
        partner_client,
        "/library/new",
        entry_form(topic, title="Short", **{"results-0-result_date": "Jan 2022"}),
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "at least 10 characters" in page
    assert count(Practice) == 0


def test_a_bad_result_date_gets_a_clear_message(partner_client, topic):
    response = post_form(
        partner_client, "/library/new", entry_form(topic, **{"results-0-result_date": "1/31/22"})
    )
    assert response.status_code == 400
    assert "Write the result date of result 1 as YYYY-MM-DD" in text_of(response)
    assert count(Practice) == 0


def test_a_link_must_be_a_web_address(partner_client, topic):
    response = post_form(
        partner_client, "/library/new", entry_form(topic, **{"links-0-url": "javascript:alert(1)"})
    )
    assert response.status_code == 400
    assert "Link 1 needs a full web address" in text_of(response)
    assert count(Practice) == 0


def test_preview_shows_the_page_section_and_saves_nothing(partner_client, topic):
    response = post_form(partner_client, "/library/new", entry_form(topic, preview="1"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Preview of the entry’s page" in page
    assert '<h2 id="preview-body-heading">The practice</h2>' in page
    assert "Promising" in page
    assert "Days to close a request" in page
    assert count(Practice) == 0


def test_preview_of_an_edit_changes_nothing(partner_client, members, organisation, topic):
    practice = make_practice(organisation, title="The original title here", topics=[topic])
    response = post_form(
        partner_client,
        f"/library/{practice.slug}/edit",
        entry_form(topic, title="A changed title for preview", preview="1"),
    )
    assert response.status_code == 200
    assert "A changed title for preview" in text_of(response)
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).title == "The original title here"
    assert count(PracticeVersion) == 1


def test_editing_a_published_entry_publishes_the_changes(partner_client, organisation, topic):
    practice = make_practice(organisation, title="The original title here", topics=[topic])
    edit = text_of(partner_client.get(f"/library/{practice.slug}/edit"))
    assert "Publish changes" in edit
    assert 'value="The original title here"' in edit
    response = post_form(
        partner_client,
        f"/library/{practice.slug}/edit",
        entry_form(topic, title="A better title for the entry", save="1"),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/library/{practice.slug}")
    page = text_of(partner_client.get(f"/library/{practice.slug}"))
    assert "A better title for the entry" in page
    assert "2 versions" in page
    old = text_of(partner_client.get(f"/library/{practice.slug}/versions/1"))
    assert "This is version 1 from" in old
    assert "The original title here" in old


def test_editing_another_organisations_entry_is_forbidden(client, organisation, topic):
    other = make_organisation()
    practice = make_practice(other, topics=[topic])
    draft = make_practice(other, status="draft")
    partner = make_member(Role.PARTNER, organisation=organisation)
    sign_in(client, partner.email)
    assert client.get(f"/library/{practice.slug}/edit").status_code == 403
    assert post_form(client, f"/library/{practice.slug}/unpublish").status_code == 403
    assert client.get(f"/library/{draft.slug}").status_code == 404
    assert client.get(f"/library/{draft.slug}/edit").status_code == 404
    assert post_form(client, f"/library/{draft.slug}/publish").status_code == 404


def test_unpublishing_hides_the_entry_from_the_public(partner_client, organisation):
    practice = make_practice(organisation)
    response = post_form(partner_client, f"/library/{practice.slug}/unpublish")
    assert response.status_code == 303
    page = text_of(partner_client.get(f"/library/{practice.slug}"))
    assert "This entry is unpublished" in page
    assert post_form(partner_client, "/auth/logout").status_code in (302, 303)
    assert partner_client.get(f"/library/{practice.slug}").status_code == 404


def test_visitors_get_404_for_unpublished_entries_and_their_versions(client, organisation):
    practice = make_practice(organisation, status="unpublished")
    for path in ("", "/versions", "/versions/1"):
        assert client.get(f"/library/{practice.slug}{path}").status_code == 404


def test_coordinators_feature_and_unfeature(client, members, organisation):
    practice = make_practice(organisation)
    sign_in(client, members["coordinator"].email)
    assert "Feature<span" in text_of(client.get(f"/library/{practice.slug}"))
    assert post_form(client, f"/library/{practice.slug}/feature").status_code == 303
    page = text_of(client.get(f"/library/{practice.slug}"))
    assert "Featured" in page and "Stop featuring" in page
    assert post_form(client, f"/library/{practice.slug}/unfeature").status_code == 303
    assert "Stop featuring" not in text_of(client.get(f"/library/{practice.slug}"))


def test_coordinators_choose_the_organisation_of_a_new_entry(client, members, topic):
    other = make_organisation("Procurement Lab")
    sign_in(client, members["coordinator"].email)
    response = post_form(client, "/library/new", entry_form(topic, organisation="", save="1"))
    assert response.status_code == 400
    assert "Choose the organisation the entry belongs to" in text_of(response)
    assert count(Practice) == 0
    response = post_form(
        client, "/library/new", entry_form(topic, organisation=other.slug, save="1")
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Practice.organisation_id)) == other.id


def test_the_manage_page_lists_the_organisations_entries(partner_client, organisation):
    make_practice(organisation, title="Our published guide here")
    make_practice(organisation, title="Our draft guide in progress", status="draft")
    make_practice(make_organisation(), title="Someone else's guide here")
    page = text_of(partner_client.get("/library/manage"))
    assert "Our published guide here" in page
    assert "Our draft guide in progress" in page
    assert "Draft" in page
    assert "Someone else" not in page


def test_coordinators_filter_the_manage_page_by_organisation(client, members, organisation):
    other = make_organisation("Procurement Lab")
    make_practice(organisation, title="Our published guide here")
    make_practice(other, title="Procurement guide for cities")
    sign_in(client, members["coordinator"].email)
    page = text_of(client.get("/library/manage"))
    assert "Our published guide here" in page and "Procurement guide for cities" in page
    page = text_of(client.get(f"/library/manage?organisation={other.slug}"))
    assert "Our published guide here" not in page
    assert "Procurement guide for cities" in page
    assert re.search(r'<option value="procurement-lab" selected>', page)


def test_the_edit_form_names_each_element_once(partner_client, organisation, topic):
    from collections import Counter

    practice = make_practice(organisation, topics=[topic])
    page = text_of(
        post_form(partner_client, f"/library/{practice.slug}/edit", entry_form(topic, preview="1"))
    )
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if n > 1]
    assert repeated == []


def test_odd_version_numbers_are_not_found(client, organisation):
    practice = make_practice(organisation)
    for number in ("0", "2", "99999999999999999999999"):
        assert client.get(f"/library/{practice.slug}/versions/{number}").status_code == 404


def test_the_manage_page_is_paged(app, partner_client, members, organisation):
    app.config["PER_PAGE"] = 2
    for number in range(3):
        make_practice(
            organisation,
            author=members["partner"],
            title=f"Entry number {number} of ours",
            status="draft",
        )
    first = text_of(partner_client.get("/library/manage"))
    assert "Showing 1–2 of 3 entries" in first
    assert "Entry number 2 of ours" in first and "Entry number 0 of ours" not in first
    second = text_of(partner_client.get("/library/manage?page=2"))
    assert "Entry number 0 of ours" in second
