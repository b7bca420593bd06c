"""The /search page against the real index, built from the database by the indexer:
what each role finds, the snippets, facets, "did you mean", paging, the empty states,
a corpus of hostile queries that never cost a 500, and a bounded number of queries."""

import re

import pytest

from tests.conftest import sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from tests.query_counts import counted_queries
from tests.search.test_queries import HOSTILE
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.discussions.moderation import hide_post
from wwc_community.discussions.services import accept_answer
from wwc_community.extensions import db
from wwc_community.search import queries


def html_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def result_titles(html: str) -> list[str]:
    return re.findall(r'class="result-title"><a href="[^"]*">([^<]*)</a>', html)


@pytest.fixture
def content(app, members, city, organisation):
    """A thread with an accepted answer, a published entry, a draft, and a member."""
    open_data = make_topic("Open Data")
    author = members["practitioner"]
    thread = make_thread(
        author,
        title="Choosing an open data portal",
        body="Which vendors did your city evaluate?",
        topics=[open_data],
        city=city,
    )
    answer = make_answer(thread, members["coordinator"], "We ran a procurement evaluation.")
    accept_answer(db.session, author, thread, answer)
    db.session.commit()
    partner = members["partner"]
    make_practice(
        organisation,
        author=partner,
        title="Open data evaluation guide",
        topics=[open_data],
        body="Start with the evaluations other cities published.",
        design="randomised_trial",
    )
    make_practice(organisation, author=partner, title="Open data draft plan", status="draft")
    dana = make_member(email="analyst@example.gov", display_name="Dana Open", city=city)
    dana.job_title = "Open data analyst"
    db.session.commit()
    return {"thread": thread, "answer": answer}


def test_the_header_has_a_search_box_on_every_page(client):
    html = html_of(client.get("/library"))
    assert 'role="search"' in html
    assert '<label for="site-search-q" class="visually-hidden">Search the community</label>' in html
    assert 'action="/search"' in html


def test_without_words_the_page_explains_the_syntax(client):
    html = html_of(client.get("/search"))
    assert "How to search" in html
    assert '"open data"' in html


def test_before_the_index_is_built_the_page_says_so(client, content):
    html = html_of(client.get("/search?q=open+data"))
    assert "Search is not ready yet" in html


def test_a_visitor_finds_public_entries_only(client, content, indexed):
    indexed()
    html = html_of(client.get("/search?q=open+data"))
    assert result_titles(html) == ["Open data evaluation guide"]
    assert "Showing 1–1 of 1 result" in html
    assert "Library entry" in html
    assert "Evidence: Strong" in html


def test_a_member_finds_threads_and_members_with_their_facts(client, members, content, indexed):
    indexed()
    sign_in(client, members["practitioner"].email)
    html = html_of(client.get("/search?q=open+data"))
    assert set(result_titles(html)) == {
        "Choosing an open data portal",
        "Open data evaluation guide",
        "Dana Open",
    }
    assert "Accepted answer" in html
    assert "1 answer" in html
    assert "Springfield, IL" in html
    assert "Open data analyst" in html
    assert "Open data draft plan" not in html


def test_partners_find_their_organisations_drafts(client, members, content, indexed):
    indexed()
    sign_in(client, members["partner"].email)
    html = html_of(client.get("/search?q=draft+plan"))
    assert result_titles(html) == ["Open data draft plan"]
    assert "Not published" in html


def test_stemming_and_highlighted_snippets(client, members, content, indexed):
    indexed()
    sign_in(client, members["practitioner"].email)
    html = html_of(client.get("/search?q=evaluations"))
    assert "<mark>evaluations</mark>" in html
    assert "<mark>evaluation</mark>" in html
    assert "Choosing an open data portal" in result_titles(html)


def test_snippets_escape_the_text(client, members, app, indexed):
    lab = make_organisation("Escaping Lab")
    make_practice(lab, title="Escaping guide", body="Budget <script>alert(1)</script> & more")
    indexed()
    html = html_of(client.get("/search?q=budget"))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Budget</mark>" in html


def test_a_hidden_answer_is_not_found(client, members, content, indexed):
    hide_post(db.session, members["coordinator"], content["answer"], "Off topic")
    db.session.commit()
    indexed()
    sign_in(client, members["practitioner"].email)
    assert result_titles(html_of(client.get("/search?q=procurement"))) == []


def test_a_suspended_member_disappears_even_before_the_index_catches_up(
    client, members, content, indexed
):
    indexed()
    from wwc_community.accounts.models import Member

    dana = db.session.query(Member).filter_by(email="analyst@example.gov").one()
    dana.status = MemberStatus.SUSPENDED
    db.session.commit()
    sign_in(client, members["practitioner"].email)
    assert "Dana Open" not in result_titles(html_of(client.get("/search?q=analyst")))


def test_facets_narrow_and_keep_the_query(client, members, content, indexed):
    indexed()
    sign_in(client, members["practitioner"].email)
    html = html_of(client.get("/search?q=open+data"))
    assert 'href="/search?q=open+data&amp;kind=practice">Library entries' in html
    narrowed = html_of(client.get("/search?q=open+data&kind=practice"))
    assert result_titles(narrowed) == ["Open data evaluation guide"]
    assert 'class="facet-selected" href="/search?q=open+data"' in narrowed
    assert 'value="practice"' in narrowed  # the search form keeps the filter
    topic = html_of(client.get("/search?q=open+data&topic=open-data"))
    assert set(result_titles(topic)) == {
        "Choosing an open data portal",
        "Open data evaluation guide",
    }
    assert ">Open Data <span" in topic


def test_did_you_mean_links_the_corrected_query(client, app, indexed):
    make_practice(make_organisation("Contracts Lab"), title="Results driven contracting")
    indexed()
    html = html_of(client.get("/search?q=reslts+driven+contracting"))
    assert "No results" in html
    assert (
        'Did you mean <a href="/search?q=results+driven+contracting">'
        "results driven contracting</a>?" in html
    )


def test_paging_and_sorting_keep_the_state(client, app, indexed):
    lab = make_organisation("Paging Lab")
    topic = make_topic("Paging")
    author = make_member(Role.PARTNER, organisation=lab)
    for number in range(12):
        make_practice(lab, author=author, title=f"Budget guide {number}", topics=[topic])
    indexed()
    html = html_of(client.get("/search?q=budget&sort=newest"))
    assert "Showing 1–10 of 12 results" in html
    assert result_titles(html)[0] == "Budget guide 11"
    assert 'href="/search?q=budget&amp;sort=newest&amp;page=2" rel="next"' in html
    second = html_of(client.get("/search?q=budget&sort=newest&page=2"))
    assert "Showing 11–12 of 12 results" in second


def test_an_estimated_total_says_about(client, app, indexed, monkeypatch):
    """A phrase with more candidates than are checked word by word is counted roughly,
    and the page says so."""
    lab = make_organisation("Phrase Lab")
    author = make_member(Role.PARTNER, organisation=lab)
    for number in range(12):
        title = f"Budget guide {number}" if number % 2 else f"Guide to budget {number}"
        make_practice(lab, author=author, title=title)
    indexed()
    exact = html_of(client.get('/search?q="budget guide"'))
    assert "Showing 1–6 of 6 results" in exact
    monkeypatch.setattr(queries, "PHRASE_CHECK_LIMIT", 4)
    estimated = html_of(client.get('/search?q="budget guide"&sort=newest'))
    assert re.search(r"Showing 1–\d+ of about \d+ results", estimated)
    assert all(title.startswith("Budget guide") for title in result_titles(estimated))


def test_no_results_suggests_what_to_try(client, content, indexed):
    indexed()
    html = html_of(client.get("/search?q=zeppelin&kind=thread"))
    assert "Nothing matched with these filters" in html
    assert 'href="/search?q=zeppelin">search without the kind filter' in html
    assert "sign in</a> to search discussions" in html


def test_repaired_queries_carry_a_notice(client, content, indexed):
    indexed()
    html = html_of(client.get('/search?q="open+data'))
    assert "A quotation mark had no partner" in html
    assert result_titles(html) == ["Open data evaluation guide"]
    long = html_of(client.get("/search", query_string={"q": "open data " + "x" * 5000}))
    assert "longer than 300 characters" in long


def test_no_query_costs_a_500(client, members, content, indexed):
    indexed()
    sign_in(client, members["coordinator"].email)
    for q in HOSTILE:
        response = client.get("/search", query_string={"q": q, "kind": q[:20], "page": q[:5]})
        assert response.status_code == 200, q[:80]
        for facet in ("topic", "sort"):
            response = client.get("/search", query_string={"q": "open", facet: q})
            assert response.status_code == 200, (facet, q[:80])


def test_a_nul_in_the_query_is_refused_before_search(client):
    assert client.get("/search?q=a%00b").status_code == 400


def test_queries_stay_bounded(client, members, app, indexed):
    sign_in(client, members["coordinator"].email)
    city = make_city("Boulder", "CO", 105_000)
    lab = make_organisation("Counting Lab")
    author = make_member(Role.PARTNER, organisation=lab)

    def add(count):
        for _ in range(count):
            thread = make_thread(author, title="Budget question", city=city)
            make_answer(thread, members["practitioner"], "Budget answer")
            make_practice(lab, author=author, title="Budget guide")
            make_member(display_name="Budget person", city=city)
        indexed()
        with counted_queries() as statements:
            assert client.get("/search?q=budget").status_code == 200
        return len(statements)

    assert add(1) == add(5)
