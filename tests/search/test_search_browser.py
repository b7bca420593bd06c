"""Search in a real browser: a member searches from the header, narrows by a facet,
follows a "did you mean" and opens a result; axe-core on the search page with results
and with none."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from tests.search.conftest import index_all
from wwc_community.accounts.models import Role
from wwc_community.discussions.services import accept_answer
from wwc_community.extensions import db
from wwc_community.search.engine import close_searchers

pytestmark = pytest.mark.browser


@pytest.fixture
def searchable(live_app):
    """A thread with an accepted answer and two library entries, indexed."""
    city = make_city("Denver", "CO", 715_522)
    contracting = make_topic("Results-Driven Contracting")
    lab = make_organisation("Government Performance Lab")
    partner = make_member(Role.PARTNER, organisation=lab)
    asker = make_member(email="asker@example.gov", display_name="Ana Asker", city=city)
    thread = make_thread(
        asker,
        title="Results driven contracting for homeless services",
        body="How did you write the outcome measures into the contract?",
        topics=[contracting],
        city=city,
    )
    answer = make_answer(thread, partner, "We paid for housing placements kept after a year.")
    accept_answer(db.session, asker, thread, answer)
    db.session.commit()
    make_practice(
        lab,
        author=partner,
        title="A guide to results driven contracting",
        topics=[contracting],
        summary="Write outcomes into the contract and pay for results.",
        design="quasi_experimental",
    )
    make_practice(lab, author=partner, title="Contracting checklist", topics=[contracting])
    index_all(live_app)
    yield asker
    close_searchers(live_app)


def test_a_member_searches_narrows_and_opens_a_result(page, assert_accessible, searchable):
    sign_in(page, searchable.email)
    header_search = page.get_by_role("search", name="Site")
    header_search.get_by_label("Search the community").fill("reslts driven contracting")
    header_search.get_by_label("Search the community").press("Enter")

    expect(page.get_by_role("heading", level=1, name="Search")).to_be_visible()
    expect(page.locator(".result-count")).to_have_text("No results for “reslts driven contracting”")
    assert_accessible(page, "search without results")

    page.get_by_role("link", name="results driven contracting").click()
    expect(page.locator(".result-count")).to_contain_text("Showing 1–2 of 2 results")
    expect(page.locator(".search-result mark").first).to_be_visible()
    expect(page.locator(".search-result-thread")).to_contain_text("Accepted answer")
    assert_accessible(page, "search with results")

    facets = page.get_by_role("complementary", name="Narrow the results")
    facets.get_by_role("link", name="Library entries").click()
    expect(page.locator(".result-count")).to_contain_text("Showing 1–1 of 1 result")
    expect(page.get_by_label("Search for")).to_have_value("results driven contracting")
    assert "kind=practice" in page.url
    assert_accessible(page, "search narrowed by a facet")

    page.get_by_role("link", name="A guide to results driven contracting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A guide to results driven contracting"
    )


def test_a_visitor_searches_with_the_keyboard(page, assert_accessible, searchable):
    page.goto("/")
    page.get_by_label("Search the community").focus()
    page.keyboard.type("contracting")
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("of 2 results")
    expect(page.locator(".search-result-thread")).to_have_count(0)
    assert_accessible(page, "visitor's search")
