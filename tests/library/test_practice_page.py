"""The practice page and its versions: what a reader sees, and the queries it takes."""

import re
from itertools import count

import pytest

from tests.conftest import post_form, sign_in
from tests.factories import make_topic
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.library.services import TIER_EXPLANATIONS, LinkRow, ResultRow

_topic_numbers = count()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def full_practice(organisation, *, rows=1, links=1, topics=1, **fields):
    return make_practice(
        organisation,
        title=fields.pop("title", "Publishing 311 data every night"),
        kind="case_study",
        design="randomised_trial",
        problem="Requests went unanswered for weeks.",
        intervention="A nightly export to the open data portal.",
        outcome_measure="Median days to close a request",
        cost="$40,000 a year",
        time_to_implement="6 months",
        body="## How we did it\n\nWe *started* small.",
        topics=[make_topic(f"Page Topic {next(_topic_numbers)}") for _ in range(topics)],
        results=[
            ResultRow(f"Days to close {n}", "days", "12", "2021-01-31", "7", "2022-01-31")
            for n in range(rows)
        ],
        links=[LinkRow(f"Report {n}", f"https://example.org/report/{n}") for n in range(links)],
        **fields,
    )


def test_the_page_shows_the_entry_and_its_evidence(client, organisation):
    practice = full_practice(organisation)
    page = text_of(client.get(f"/library/{practice.slug}"))
    assert '<h1 id="practice-title">Publishing 311 data every night</h1>' in page
    assert "Case study" in page
    assert f'href="/orgs/{organisation.slug}"' in page
    assert "Page Topic" in page
    assert "Requests went unanswered for weeks." in page
    assert "A nightly export to the open data portal." in page
    assert "Median days to close a request" in page
    assert "Randomised trial" in page
    assert TIER_EXPLANATIONS["strong"] in page
    assert "$40,000 a year" in page and "6 months" in page
    assert '<h2 id="practice-body-heading">The practice</h2>' in page
    assert "<em>started</em>" in page
    assert re.search(r"Published \w{3} \d+, \d{4}", page)
    assert f'href="/library/{practice.slug}/versions"' in page
    assert '<a href="https://example.org/report/0" rel="nofollow noopener">Report 0</a>' in page
    assert 'target="_blank"' not in page


def test_the_results_are_a_table_with_headers_and_the_change(client, organisation):
    practice = full_practice(organisation)
    page = text_of(client.get(f"/library/{practice.slug}"))
    table = page[page.index("<table") : page.index("</table>")]
    assert "<caption>" in table
    for header in ("Measure", "Baseline", "Result", "Change"):
        assert f'<th scope="col">{header}</th>' in table
    assert '<th scope="row">Days to close 0</th>' in table
    assert "12 days" in table and "on 2021-01-31" in table
    assert "7 days" in table and "on 2022-01-31" in table
    assert "−5 days (−42%)" in table


def test_an_entry_without_evidence_says_so(client, organisation):
    practice = make_practice(organisation)
    page = text_of(client.get(f"/library/{practice.slug}"))
    assert "No evidence is recorded for this entry." in page
    assert "<table" not in page


def test_the_page_says_updated_once_changed(client, members, organisation):
    from wwc_community.extensions import db
    from wwc_community.library import services

    practice = full_practice(organisation, author=members["partner"])
    editable = services.get_editable_practice(db.session, members["partner"], practice.slug)
    services.publish(db.session, members["partner"], editable)
    db.session.commit()
    page = text_of(client.get(f"/library/{practice.slug}"))
    assert re.search(r"Updated \w{3} \d+, \d{4}", page)
    assert "2 versions" in page
    versions = text_of(client.get(f"/library/{practice.slug}/versions"))
    assert "Version 2</a>" in versions and "Version 1</a>" in versions
    assert "(current)" in versions


def test_an_old_version_is_shown_read_only_with_a_notice(client, organisation):
    practice = full_practice(organisation)
    page = text_of(client.get(f"/library/{practice.slug}/versions/1"))
    assert "This is version 1 from" in page
    assert f'href="/library/{practice.slug}">see the current version</a>' in page
    assert "Requests went unanswered for weeks." in page
    assert "Edit<span" not in page
    assert client.get(f"/library/{practice.slug}/versions/2").status_code == 404


def test_staff_see_buttons_and_readers_do_not(client, members, organisation):
    practice = full_practice(organisation)
    assert "Unpublish" not in text_of(client.get(f"/library/{practice.slug}"))
    sign_in(client, members["practitioner"].email)
    assert "Unpublish" not in text_of(client.get(f"/library/{practice.slug}"))
    post_form(client, "/auth/logout")
    sign_in(client, members["partner"].email)
    page = text_of(client.get(f"/library/{practice.slug}"))
    assert "Unpublish" in page and "Edit<span" in page
    assert "Feature<span" not in page


def test_a_draft_shows_its_notice_and_a_publish_button_to_staff(client, members, organisation):
    draft = make_practice(organisation, status="draft")
    sign_in(client, members["partner"].email)
    page = text_of(client.get(f"/library/{draft.slug}"))
    assert "This is a draft" in page
    assert "Publish<span" in page
    assert "versions" not in page.split("<main", 1)[1].split("This is a draft")[0]


@pytest.mark.parametrize("role", ["visitor", "partner"])
def test_the_page_makes_a_bounded_number_of_queries(client, members, organisation, role):
    if role != "visitor":
        sign_in(client, members[role].email)
    few = full_practice(organisation, title="A practice with few rows", rows=1, links=1, topics=1)
    many = full_practice(organisation, title="A practice with many rows", rows=6, links=8, topics=3)
    assert queries_for(client, f"/library/{many.slug}") == queries_for(
        client, f"/library/{few.slug}"
    )
    assert queries_for(client, f"/library/{many.slug}/versions/1") == queries_for(
        client, f"/library/{few.slug}/versions/1"
    )
