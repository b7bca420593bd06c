"""A member asks, a peer answers, the asker accepts the answer, in a real browser.

Every discussion page the journey reaches is checked with axe-core (WCAG 2.1 A and AA).
"""

import pytest

from tests.factories import PASSWORD, make_city, make_member, make_topic
from wwc_community.extensions import db

pytestmark = pytest.mark.browser


def expect(locator_or_page):
    from playwright.sync_api import expect

    return expect(locator_or_page)


def sign_in(page, email: str):
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text("Signed in as")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_ask_answer_vote_and_accept(page, assert_accessible, live_app):
    springfield = make_city("Springfield", "IL", 114_394)
    make_topic("Open Data")
    make_topic("Procurement")
    jordan = make_member(city=springfield, display_name="Jordan Lee")
    priya = make_member(city=make_city("Norman", "OK", 128_097), display_name="Priya Raman")
    tom = make_member(display_name="Tom Alvarez")
    db.session.commit()

    sign_in(page, jordan.email)
    page.get_by_role("link", name="Discussions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussions")
    assert_accessible(page, "empty discussion list")
    page.get_by_role("link", name="Ask a question").first.click()
    expect(page.get_by_label("City this is about")).to_have_value("Springfield, IL")
    assert_accessible(page, "ask form")

    page.get_by_role("button", name="Post your question").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page, "ask form with errors")

    page.get_by_label("Your question").fill("How did you write your first open-data policy?")
    page.get_by_label("Details").fill("We have **40** departments and no inventory.")
    page.get_by_label("Open Data").check()
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How did you write your first open-data policy?"
    )
    address = page.url
    assert_accessible(page, "thread without answers")
    sign_out(page)

    for member, text in ((priya, "Start with an inventory."), (tom, "Copy a peer's policy.")):
        sign_in(page, member.email)
        page.goto(address)
        page.get_by_label("Your answer").fill(text)
        page.get_by_role("button", name="Post your answer").click()
        expect(page.locator(".flashes")).to_contain_text("Your answer is posted.")
        sign_out(page)

    sign_in(page, jordan.email)
    page.goto(address)
    page.get_by_role("button", name="Vote up for the answer by Tom Alvarez").click()
    expect(page.get_by_role("button", name="Take back your vote for the answer by Tom Alvarez"))
    page.get_by_role("button", name="Accept the answer by Priya Raman").click()
    answers = page.locator(".post-list > li")
    expect(answers.first).to_contain_text("Accepted answer")
    expect(answers.first).to_contain_text("Start with an inventory.")
    assert_accessible(page, "thread with an accepted answer")

    page.get_by_role("link", name="Discussions").first.click()
    expect(page.locator(".thread-card")).to_contain_text("2 answers")
    assert_accessible(page, "discussion list")
