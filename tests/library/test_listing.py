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
from tests.query_counts import counted_queries
from tests.search.conftest import index_all
from wwc_community.accounts.models import Role
from wwc_community.directory.models import Organisation, Topic
from wwc_community.extensions import db
from wwc_community.library.listing import (
    FEATURED_LIMIT,
    PracticeFilters,
    practice_list_statement,
    practices_by_id,
)
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


@pytest.fixture
def assorted(members, organisation, topics):
    """Twelve published entries with ties in every sort key (two a day, repeated
    counters), six of them featured, two at each moment, and a featured draft and
    unpublished entry; every third entry on Procurement, the others on Open Data."""
    partner = members["partner"]
    for number in range(12):
        topic = topics["procurement"] if number % 3 == 0 else topics["open_data"]
        practice = make_practice(
            organisation, author=partner, title=f"Assorted {number:02}", topics=[topic]
        )
        set_fields(
            practice,
            published_at=START + timedelta(days=number // 2),
            adaptation_count=number % 3,
            helpful_count=(number * 5) % 4,
            featured_at=START + timedelta(days=30, hours=number % 6) if number % 2 else None,
        )
    for status in ("draft", "unpublished"):
        hidden = make_practice(
            organisation, author=partner, status=status, topics=[topics["open_data"]]
        )
        set_fields(hidden, featured_at=START + timedelta(days=40))


def expected_order(sort: str, topic=None) -> list[str]:
    """The list as the module's docstring states it, worked out in Python: the three
    latest featured of the matching entries first, each part in the chosen sort."""
    matching = [
        p
        for p in db.session.scalars(select(Practice).options(selectinload(Practice.topics)))
        if p.status == "published" and (topic is None or topic in p.topics)
    ]
    featured = sorted(
        (p for p in matching if p.featured_at is not None),
        key=lambda p: (p.featured_at, p.id),
        reverse=True,
    )[:FEATURED_LIMIT]
    counter = {
        "newest": lambda p: 0,
        "adapted": lambda p: p.adaptation_count,
        "helpful": lambda p: p.helpful_count,
    }[sort]
    ranked = sorted(
        matching,
        key=lambda p: (p not in featured, -counter(p), -p.published_at.timestamp(), -p.id),
    )
    return [p.title for p in ranked]


@pytest.mark.parametrize("sort", ["newest", "adapted", "helpful"])
@pytest.mark.parametrize("topic", [None, "open_data"])
def test_every_page_follows_the_featured_rule_and_the_sort(
    app, client, assorted, topics, sort, topic
):
    app.config["PER_PAGE"] = 5
    query = f"sort={sort}" + (f"&topic={topics[topic].slug}" if topic else "")
    sizes = [5, 5, 2] if topic is None else [5, 3]
    pages = [listed(client.get(f"/library?{query}&page={n}")) for n in range(1, len(sizes) + 1)]
    assert [len(titles) for titles in pages] == sizes
    assert sum(pages, []) == expected_order(sort, topics[topic] if topic else None)
    assert "Featured" in text_of(client.get(f"/library?{query}"))


def test_the_list_sorts_ids_and_loads_only_the_page(app, library, topics):
    """The sort runs on ids alone, not on whole entries; the page's entries are then
    loaded in that order, leaving out one unpublished since, each with its organisation
    and topics by name, taken from those the page has loaded or else loaded."""
    contracts, policy, budget = (library[name].id for name in ("contracts", "policy", "budget"))
    statement = practice_list_statement(PracticeFilters(sort="helpful"))
    assert [column.name for column in statement.selected_columns] == ["id"]
    ids = list(db.session.scalars(statement))
    assert ids == [contracts, policy, budget]
    set_fields(library["policy"], status="unpublished")
    db.session.expunge_all()
    every_topic = list(db.session.scalars(select(Topic).order_by(Topic.name)))
    every_organisation = list(db.session.scalars(select(Organisation)))
    with counted_queries() as statements:
        practices = practices_by_id(db.session, [*ids, 10_000], every_topic, every_organisation)
    assert len(statements) == 2
    assert [p.id for p in practices] == [contracts, budget]
    assert practices[0].organisation in every_organisation
    assert practices[0].organisation.name == "Open Procurement Lab"
    assert [t.name for t in practices[0].topics] == ["Procurement"]
    assert practices[0].topics[0] in every_topic
    db.session.expunge_all()
    policy_page = practices_by_id(db.session, [policy, contracts], [], [])
    assert [p.id for p in policy_page] == [contracts]
    assert policy_page[0].organisation.name == "Open Procurement Lab"
    db.session.get(Practice, policy).status = "published"
    db.session.commit()
    db.session.expunge_all()
    both = practices_by_id(db.session, [policy], [], [])
    assert [t.name for t in both[0].topics] == ["Open Data", "Procurement"]
    with counted_queries() as statements:
        assert practices_by_id(db.session, [], [], []) == []
    assert statements == []
