"""The discussion list with filters, the ask page's similar questions (typed, and with
the button) and a city page with its discussions, in a real browser, checked with axe-core."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_city, make_member, make_topic
from wwc_community.core.database import utcnow
from wwc_community.discussions.models import Thread
from wwc_community.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def community(live_app):
    """Members of cities of two sizes, and questions from each, one closed as a duplicate."""
    springfield = make_city("Springfield", "IL", 114_394)
    norman = make_city("Norman", "OK", 128_097)
    tulsa = make_city("Tulsa", "OK", 411_867)
    open_data = make_topic("Open Data")
    procurement = make_topic("Procurement")
    jordan = make_member(city=springfield, display_name="Jordan Lee")
    priya = make_member(city=norman, display_name="Priya Raman")
    original = make_thread(
        priya,
        title="How do you publish budget data as open data?",
        topics=[open_data],
        city=norman,
    )
    make_answer(original, jordan)
    make_thread(priya, title="Who signs off an open data release?", topics=[open_data], city=norman)
    make_thread(
        priya,
        title="How do you write outcome-based contracts?",
        topics=[procurement],
        city=tulsa,
    )
    duplicate = make_thread(
        jordan,
        title="Publishing our budget as open data",
        topics=[open_data],
        city=springfield,
    )
    closed = db.session.get(Thread, duplicate.id)
    closed.closed_at = utcnow()
    closed.duplicate_of_id = original.id
    db.session.get(Thread, original.id).locked_at = utcnow()
    db.session.commit()
    return {"jordan": jordan, "springfield": springfield}


def test_the_list_with_filters(page, assert_accessible, community):
    sign_in(page, community["jordan"].email)
    page.goto("/discussions")
    assert_accessible(page, "discussion list with badges")
    page.get_by_label("Topic").select_option(label="Open Data")
    page.get_by_label("From cities like mine").check()
    page.get_by_label("Show").select_option(label="Unanswered")
    page.get_by_role("button", name="Show discussions").click()
    expect(page.locator(".filter-summary")).to_contain_text(
        "Showing unanswered questions on Open Data from cities of 100,000 to 250,000 residents"
    )
    expect(page.get_by_role("link", name="Who signs off an open data release?")).to_be_visible()
    expect(
        page.get_by_role("link", name="How do you write outcome-based contracts?")
    ).to_have_count(0)
    assert_accessible(page, "discussion list, filtered")
    # Jordan follows the question he asked (askers follow their questions).
    page.get_by_label("That I follow").check()
    page.get_by_role("button", name="Show discussions").click()
    expect(page.get_by_role("link", name="Publishing our budget as open data")).to_be_visible()
    expect(page.get_by_role("link", name="Who signs off an open data release?")).to_have_count(0)
    page.get_by_label("Show").select_option(label="With an accepted answer")
    page.get_by_role("button", name="Show discussions").click()
    expect(page.get_by_role("main")).to_contain_text("No discussion matches these filters")
    assert_accessible(page, "discussion list, nothing matches")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".filter-summary")).to_have_text(
        "Showing all questions, latest activity first."
    )


def test_the_ask_page_shows_similar_questions(page, assert_accessible, community):
    sign_in(page, community["jordan"].email)
    page.goto("/discussions/new")
    page.get_by_label("Your question").fill("Publishing budget data")
    # Typed: the script loads the list and announces it.
    expect(page.get_by_role("heading", name="Similar questions already asked")).to_be_visible()
    expect(page.locator("[data-similar-status]")).to_contain_text("similar questions found")
    similar = page.locator(".similar-list")
    expect(
        similar.get_by_role("link", name="How do you publish budget data as open data?").first
    ).to_be_visible()
    expect(similar).to_contain_text("Closed as a duplicate of")
    assert_accessible(page, "ask page with similar questions")

    # Without waiting for the script: the button shows the same list, keeping the details.
    page.get_by_label("Details").fill("We have **40** departments.")
    page.get_by_label("Your question").fill("Who signs off a data release?")
    page.get_by_role("button", name="Check for similar questions").click()
    expect(page.get_by_role("link", name="Who signs off an open data release?")).to_be_visible()
    expect(page.get_by_label("Details")).to_have_value("We have **40** departments.")
    assert_accessible(page, "ask page after checking for similar questions")


def test_a_city_page_with_discussions(page, assert_accessible, community):
    page.goto("/cities/norman-ok")
    expect(page.get_by_role("main")).to_contain_text("Discussions are for members only")
    assert_accessible(page, "city page, discussions hidden from a visitor")
    sign_in(page, community["jordan"].email)
    page.goto("/cities/norman-ok")
    expect(page.get_by_role("heading", name="Discussions about Norman")).to_be_visible()
    assert_accessible(page, "city page with discussions")
    page.get_by_role("link", name="See all 2 discussions about Norman, OK").click()
    expect(page.locator(".filter-summary")).to_contain_text("about Norman, OK")
