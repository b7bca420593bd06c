"""The library list as a visitor and members use it: published entries only, each
filter alone and together, the sentence that states them, sorts, paging, featured
entries first on page 1, and what an unknown value or an empty result says."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template_string
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.conftest import sign_in
from tests.discussions.factories import make_thread
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from tests.search.conftest import index_all
from wwc_community.accounts.models import Role
from wwc_community.extensions import db
from wwc_community.library.listing import FEATURED_LIMIT
from wwc_community.library.models import Adaptation, Practice
from wwc_community.search.engine import close_searchers

TITLE_LINK = re.compile(r'class="practice-title"><a href="/library/([^"]+)">([^<]+)</a>')
START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def listed(response) -> list[str]:
    """The entry titles on a list page, in order."""
    assert response.status_code == 200
    return [title for _, title in TITLE_LINK.findall(response.get_data(as_text=True))]


def text_of(response) -> str:
    return response.get_data(as_text=True)


def set_fields(practice: Practice, **values) -> Practice:
    """Change an entry's stored fields directly (dates and counters the services keep)."""
    practice = db.session.get(Practice, practice.id)
    for name, value in values.items():
        setattr(practice, name, value)
    db.session.commit()
    return practice


def adapt(practice: Practice, *cities) -> None:
    """Record that `cities` adapted `practice`, keeping its counter as the services do."""
    practice = db.session.get(Practice, practice.id)
    db.session.add_all(Adaptation(practice_id=practice.id, city_id=c.id) for c in cities)
    practice.adaptation_count += len(cities)
    db.session.commit()


@pytest.fixture
def topics(app):
    return {"open_data": make_topic("Open Data"), "procurement": make_topic("Procurement")}


@pytest.fixture
def library(members, city, organisation, topics):
    """Three published entries, a draft and an unpublished one, from two organisations;
    Springfield (114,394: the 100k-250k band), Tulsa and Omaha (250k-1m) adapted some."""
    partner = members["partner"]
    other = make_organisation("Open Procurement Lab")
    other_partner = make_member(Role.PARTNER, organisation=other)
    tulsa = make_city("Tulsa", "OK", 411_867)
    omaha = make_city("Omaha", "NE", 486_051)
    budget = make_practice(
        organisation,
        author=partner,
        title="Publishing the budget as open data",
        topics=[topics["open_data"]],
        design="descriptive",
    )
    contracts = make_practice(
        other,
        author=other_partner,
        title="Outcome-based contracts for job training",
        kind="case_study",
        topics=[topics["procurement"]],
        design="randomised_trial",
    )
    policy = make_practice(
        other,
        author=other_partner,
        title="An open data policy you can adopt",
        kind="policy_template",
        topics=[topics["open_data"], topics["procurement"]],
        design="quasi_experimental",
    )
    make_practice(organisation, author=partner, title="A draft nobody may list", status="draft")
    make_practice(organisation, author=partner, title="A withdrawn entry", status="unpublished")
    set_fields(budget, published_at=START)
    set_fields(contracts, published_at=START + timedelta(days=1), helpful_count=5)
    set_fields(policy, published_at=START + timedelta(days=2), helpful_count=2)
    adapt(budget, tulsa, omaha)
    adapt(contracts, city)
    adapt(policy, city, tulsa)
    return {"budget": budget, "contracts": contracts, "policy": policy, "other": other}


NEWEST = [
    "An open data policy you can adopt",
    "Outcome-based contracts for job training",
    "Publishing the budget as open data",
]


@pytest.mark.parametrize("role", ["visitor", "practitioner", "partner", "coordinator"])
def test_everyone_sees_the_published_entries_and_no_drafts(client, sign_in_as, library, role):
    sign_in_as(role)
    response = client.get("/library")
    assert listed(response) == NEWEST
    page = text_of(response)
    assert "A draft nobody may list" not in page
    assert "A withdrawn entry" not in page
    assert "Showing all entries, newest first." in page
    assert "Showing 1–3 of 3 entries" in page


def test_a_card_shows_type_organisation_topics_evidence_adaptations_and_date(client, library):
    page = text_of(client.get("/library"))
    card = page[page.index("An open data policy you can adopt") :]
    card = card[: card.index("</article>")]
    assert "Policy template" in card
    assert "Open Procurement Lab" in card
    assert "Evidence: Moderate" in card
    assert "Adapted by 2 cities" in card
    assert 'Published <time datetime="2026-03-04">Mar 4, 2026</time>' in card
    assert ">Open Data</a>" in card and ">Procurement</a>" in card
    assert 'href="/library?topic=open-data"' in card
    contracts = page[page.index("Outcome-based contracts for job training") :]
    assert "Adapted by 1 city" in contracts[: contracts.index("</article>")]


@pytest.mark.parametrize(
    ("query", "titles", "sentence"),
    [
        (
            "topic=open-data",
            [NEWEST[0], NEWEST[2]],
            "Showing all entries on Open Data, newest first.",
        ),
        ("type=case_study", [NEWEST[1]], "Showing case studies, newest first."),
        (
            "organisation=open-procurement-lab",
            [NEWEST[0], NEWEST[1]],
            "Showing all entries from Open Procurement Lab, newest first.",
        ),
        ("evidence=strong", [NEWEST[1]], "Showing all entries with strong evidence, newest first."),
        (
            "band=100k-250k",
            [NEWEST[0], NEWEST[1]],
            "Showing all entries, adapted by cities of 100,000 to 250,000 residents, newest first.",
        ),
        ("band=1m%2B", [], "adapted by cities of 1 million and more residents"),
        (
            "topic=open-data&organisation=open-procurement-lab&band=250k-1m&type=policy_template"
            "&evidence=moderate",
            [NEWEST[0]],
            "Showing policy templates on Open Data from Open Procurement Lab with moderate "
            "evidence, adapted by cities of 250,000 to 1 million residents, newest first.",
        ),
        (
            "topic=procurement&band=250k-1m",
            [NEWEST[0]],
            "Showing all entries on Procurement, adapted by cities of 250,000 to 1 million "
            "residents, newest first.",
        ),
    ],
)
def test_each_filter_and_filters_together(client, library, query, titles, sentence):
    response = client.get(f"/library?{query}")
    assert listed(response) == titles
    page = text_of(response)
    assert sentence in page
    assert '<a href="/library">Clear filters</a>' in page


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("newest", NEWEST),
        ("adapted", [NEWEST[0], NEWEST[2], NEWEST[1]]),
        ("helpful", [NEWEST[1], NEWEST[0], NEWEST[2]]),
    ],
)
def test_sorts(client, library, sort, titles):
    # Two entries adapted by two cities each: the newer goes first.
    assert listed(client.get(f"/library?sort={sort}")) == titles


def test_the_form_keeps_the_chosen_filters(client, library):
    page = text_of(client.get("/library?topic=procurement&sort=helpful&band=250k-1m"))
    assert '<option value="procurement" selected>Procurement</option>' in page
    assert '<option value="helpful" selected>Most helpful</option>' in page
    assert '<option value="250k-1m" selected>250,000 to 1 million residents</option>' in page
    assert '<label for="library-band">Adapted by cities of</label>' in page


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("topic=knitting", "There is no topic “knitting”, so the list shows every topic."),
        ("type=podcast", "There is no type of entry “podcast”, so the list shows every type."),
        ("organisation=nobody", "There is no organisation “nobody”"),
        ("evidence=anecdotal", "There is no evidence tier “anecdotal”"),
        ("band=huge", "There is no population band “huge”, so the list shows cities of every"),
        ("sort=random", "There is no sort order “random”, so the list shows the newest first."),
        ("page=banana", None),
        ("page=999999999999", None),
        ("topic=%3Cscript%3E", "There is no topic “&lt;script&gt;”"),
    ],
)
def test_unknown_values_fall_back_with_a_notice(client, library, query, notice):
    response = client.get(f"/library?{query}")
    assert listed(response) == NEWEST
    if notice:
        assert notice in text_of(response)
        assert "<script>" not in text_of(response).split("<main", 1)[1]


def test_an_empty_result_offers_to_widen_each_filter(client, library):
    response = client.get("/library?topic=procurement&type=guide&evidence=emerging&band=1m%2B")
    assert listed(response) == []
    page = text_of(response)
    assert "No published entry matches these filters." in page
    assert "Any topic, not only Procurement" in page
    assert "Every type, not only guides" in page
    assert "Every evidence tier, not only emerging" in page
    assert "Entries adapted by cities of every size, or by none yet" in page
    assert "Show every entry" in page


def test_an_empty_library_says_so(client, members):
    page = text_of(client.get("/library"))
    assert "The library has no published entries yet." in page
    assert "No entries" in page


@pytest.fixture
def many(members, organisation, topics):
    """Thirty published entries, one a day, the newest last made."""
    partner = members["partner"]
    made = []
    for number in range(30):
        practice = make_practice(
            organisation,
            author=partner,
            title=f"Practice number {number:02}",
            topics=[topics["open_data"]],
        )
        made.append(set_fields(practice, published_at=START + timedelta(days=number)))
    return made


def test_paging(client, app, many):
    per_page = app.config["PER_PAGE"]
    first = listed(client.get("/library"))
    second = listed(client.get("/library?page=2"))
    assert len(first) == per_page
    assert first[0] == "Practice number 29"
    assert len(first) + len(second) == 30
    assert set(first).isdisjoint(second)
    page = text_of(client.get("/library?page=2&topic=open-data"))
    assert f"Showing {per_page + 1}–30 of 30 entries" in page
    assert 'rel="prev"' in page


def test_featured_entries_come_first_on_page_one_only(client, app, many, topics):
    per_page = app.config["PER_PAGE"]
    # Older entries, featured at different times; one more than the page promotes.
    featured = [many[i] for i in (0, 1, 2, 3)]
    for hours, practice in enumerate(featured):
        set_fields(practice, featured_at=START + timedelta(days=60, hours=hours))
    first = listed(client.get("/library"))
    promoted = ["Practice number 03", "Practice number 02", "Practice number 01"]
    assert FEATURED_LIMIT == 3
    assert first[:3] == promoted
    assert first[3] == "Practice number 29"
    assert "Featured entries come first on this page." in text_of(client.get("/library"))
    second = listed(client.get("/library?page=2"))
    assert set(promoted).isdisjoint(second)
    # The fourth featured entry is older: it keeps its place in the sort, on page 2.
    assert second[-1] == "Practice number 00"
    assert len(first) == per_page and len(first) + len(second) == 30
    # Under another sort, and with a filter, the featured ones that match still lead.
    set_fields(many[20], helpful_count=9)
    assert listed(client.get("/library?sort=helpful"))[:4] == [*promoted, "Practice number 20"]
    assert listed(client.get("/library?topic=procurement")) == []


def test_a_featured_entry_outside_the_filters_is_not_promoted(client, library):
    set_fields(library["budget"], featured_at=START + timedelta(days=9))
    assert listed(client.get("/library"))[0] == "Publishing the budget as open data"
    assert listed(client.get("/library?type=case_study")) == [NEWEST[1]]
    page = text_of(client.get("/library"))
    assert page.count("Publishing the budget as open data") == 1


def test_the_list_links_the_feed_and_the_menu_links_the_list(client, library):
    page = text_of(client.get("/library"))
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+ library: new and '
        r'updated entries" href="/library/feed.atom">',
        page,
    )
    assert 'href="/library" aria-current="page">Library</a>' in page
    assert ">Library</a>" in text_of(client.get("/"))


def test_other_pages_can_include_the_card(app, library):
    practice = db.session.scalar(
        select(Practice)
        .where(Practice.id == library["contracts"].id)
        .options(selectinload(Practice.organisation), selectinload(Practice.topics))
    )
    with app.test_request_context("/cities/springfield-il"):
        html = render_template_string(
            '{% set heading = "h3" %}{% include "library/_card.html" %}', practice=practice
        )
    assert '<h3 class="practice-title"><a href="/library/' in html
    assert "Outcome-based contracts for job training" in html
    assert "Evidence: Strong" in html


@pytest.mark.parametrize(
    ("role", "sees_publishing_links"),
    [("visitor", False), ("practitioner", False), ("partner", True), ("coordinator", True)],
)
def test_those_who_publish_find_their_way_to_new_and_draft_entries(
    client, sign_in_as, library, role, sees_publishing_links
):
    if role != "visitor":
        sign_in_as(role)
    page = text_of(client.get("/library"))
    assert ('href="/library/new"' in page) is sees_publishing_links
    assert ('href="/library/manage"' in page) is sees_publishing_links


def test_the_list_offers_a_search_of_the_library_text(client, library):
    page = text_of(client.get("/library"))
    form = re.search(r'<form method="get" action="/search"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None and 'aria-label="Search the library"' in form.group(0)
    assert (
        '<label for="library-search-q">Search the library\'s text, including attachments</label>'
        in form.group(1)
    )
    assert '<input type="search" id="library-search-q" name="q">' in form.group(1)
    assert '<input type="hidden" name="kind" value="practice">' in form.group(1)
    assert re.search(r'<button type="submit">[^<]+</button>', form.group(1))
    assert page.count('id="library-search-q"') == 1


def test_searching_from_the_library_finds_library_entries_only(app, client, members, library):
    make_thread(members["practitioner"], title="Where is the open data policy kept?")
    index_all(app)
    try:
        sign_in(client, members["coordinator"].email)
        everything = text_of(client.get("/search?q=open"))
        assert re.search(r'class="result-title"><a href="/discussions/', everything)
        entries = text_of(client.get("/search?kind=practice&q=open"))
    finally:
        close_searchers(app)
    links = re.findall(r'class="result-title"><a href="([^"]*)">([^<]*)</a>', entries)
    assert sorted(title for _, title in links) == [
        "An open data policy you can adopt",
        "Publishing the budget as open data",
    ]
    assert all(href.startswith("/library/") for href, _ in links)
