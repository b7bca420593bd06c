"""A member asks, a peer answers, the asker accepts the answer, in a real browser.

Every discussion page the journey reaches is checked with axe-core (WCAG 2.1 A and AA).
"""

import re

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import make_city, make_member, make_topic
from wwc_community.extensions import db

pytestmark = pytest.mark.browser


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


def test_mention_notification_comment_edit_history_and_accept(page, assert_accessible, live_app):
    springfield = make_city("Springfield", "IL", 114_394)
    make_topic("Performance and Analytics")
    jordan = make_member(city=springfield, display_name="Jordan Lee")
    priya = make_member(city=make_city("Norman", "OK", 128_097), display_name="Priya Raman")
    tom = make_member(display_name="Tom Alvarez")
    early = make_member(display_name="Early Answerer")
    db.session.commit()
    title = "How do you set targets for 311 response times?"

    sign_in(page, jordan.email)
    page.goto("/discussions/new")
    page.get_by_label("Your question").fill(title)
    page.get_by_label("Details").fill("We publish averages but nobody trusts them.")
    page.get_by_label("Performance and Analytics").check()
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    address = page.url
    expect(page.get_by_role("button", name="Stop following this discussion")).to_be_visible()
    sign_out(page)

    sign_in(page, early.email)
    page.goto(address)
    page.get_by_label("Your answer").fill("Start from last year's median.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".flashes")).to_contain_text("Your answer is posted.")
    sign_out(page)

    # A second member answers and names a third; the asker follows the thread.
    sign_in(page, priya.email)
    page.goto(address)
    page.get_by_label("Your answer").fill(f"Use percentiles, as @{tom.handle} did in Tulsa.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".flashes")).to_contain_text("Your answer is posted.")
    mention = page.get_by_role("link", name=f"@{tom.handle}")
    expect(mention).to_have_attribute("href", f"/people/{tom.handle}")
    sign_out(page)

    sign_in(page, tom.email)
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    page.get_by_role("link", name="Notifications 1 unread").click()
    expect(page.locator("main")).to_contain_text("Priya Raman (Norman, OK) mentioned you in")
    # He replies under Priya's answer with a comment.
    page.goto(address)
    page.locator("summary", has_text="Add a comment").nth(1).click()
    page.get_by_label("Your comment on the answer by Priya Raman").fill("The 90th, to be exact.")
    page.get_by_role("button", name="Post your comment on the answer by Priya Raman").click()
    expect(page.locator(".flashes")).to_contain_text("Your comment is posted.")
    expect(page.locator(".comment-list")).to_contain_text("The 90th, to be exact.")
    assert_accessible(page, "thread with a mention and a comment")
    sign_out(page)

    # The asker sees the notification in the header and opens the answer from it.
    sign_in(page, jordan.email)
    notifications = page.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(notifications).to_contain_text("unread")
    notifications.click()
    page.get_by_role("link", name=re.compile("Priya Raman \\(Norman, OK\\) answered")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="Jump to the first unread post")).to_be_visible()
    page.get_by_role("button", name="Accept the answer by Priya Raman").click()
    answers = page.locator(".post-list > li")
    expect(answers.first).to_contain_text("Accepted answer")
    expect(answers.first).to_contain_text("Use percentiles")
    expect(answers.first).to_contain_text("The 90th, to be exact.")
    assert_accessible(page, "thread with an accepted answer and a comment")

    # The asker edits the question; the page says "edited" and the history shows both.
    page.get_by_role("link", name="Edit your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your question")
    assert_accessible(page, "edit question form")
    page.get_by_label("Details").fill("We publish averages; residents want percentiles.")
    page.get_by_role("button", name="Save your changes").click()
    expect(page.locator(".flashes")).to_contain_text("Your changes are saved.")
    page.get_by_role("link", name=re.compile("^edited")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Every version of the question")
    expect(page.locator(".version-list > li")).to_have_count(2)
    expect(page.locator(".version-list > li").first).to_contain_text("residents want percentiles")
    assert_accessible(page, "question history")
