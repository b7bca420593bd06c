"""Moderation in a real browser: a member flags an answer, a coordinator hides it from
the flag queue, closes a thread as a duplicate and reads the log. Every page is checked
with axe-core (WCAG 2.1 A and AA)."""

import re

import pytest

from tests.browser.steps import expect, sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_member, make_topic
from wwc_community.accounts.models import Role
from wwc_community.extensions import db

pytestmark = pytest.mark.browser


def test_flag_hide_close_and_the_log(page, assert_accessible, live_app):
    check = assert_accessible
    open_data = make_topic("Open Data")
    asker = make_member(display_name="Jordan Lee")
    spammer = make_member(display_name="Sam Seller")
    reader = make_member(display_name="Priya Raman")
    coordinator = make_member(Role.COORDINATOR, display_name="Cora Coordinator")
    thread = make_thread(asker, title="How do you publish budget data?", topics=[open_data])
    original = make_thread(asker, title="Publishing budget data: what worked", topics=[open_data])
    make_answer(thread, spammer, "Buy my consulting services at spam.example")
    db.session.commit()

    sign_in(page, reader.email)
    page.goto(f"/discussions/{thread.id}-{thread.slug}")
    page.get_by_role("link", name="Flag the answer by Sam Seller").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flag this answer")
    check(page, "flag form")
    page.get_by_label("Something else").check()
    page.get_by_role("button", name="Send the flag to coordinators").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "flag form with errors")
    page.get_by_label("Spam or advertising").check()
    page.get_by_role("button", name="Send the flag to coordinators").click()
    expect(page.locator(".flashes")).to_contain_text("A coordinator will look at it")
    expect(page.get_by_text("You flagged this answer.")).to_be_visible()
    check(page, "thread page after flagging")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, coordinator.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Flags").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flags")
    expect(page.get_by_role("main")).to_contain_text("consulting services")
    check(page, "flag queue")
    page.get_by_role("link", name=re.compile("^Hide the answer by Sam Seller")).click()
    page.get_by_role("button", name="Hide the answer").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "hide form with errors")
    page.get_by_label("Why are you hiding it?").fill("Advertising is not allowed here.")
    page.get_by_role("button", name="Hide the answer").click()
    expect(page.get_by_role("main")).to_contain_text("No flags are waiting")
    check(page, "empty flag queue")
    page.get_by_role("link", name="Resolved").click()
    expect(page.get_by_role("main")).to_contain_text("Post hidden by Cora Coordinator")
    check(page, "resolved flags")

    page.goto(f"/discussions/{thread.id}-{thread.slug}")
    check(page, "thread page with the moderation panel")
    page.get_by_role("link", name="Close as a duplicate…").click()
    page.get_by_label("The original discussion").fill(f"/discussions/{thread.id}")
    page.get_by_role("button", name="Close as a duplicate").click()
    expect(page.get_by_role("main")).to_contain_text("cannot be a duplicate of itself")
    check(page, "close form with errors")
    page.get_by_label("The original discussion").fill(
        f"http://localhost/discussions/{original.id}-{original.slug}"
    )
    page.get_by_role("button", name="Close as a duplicate").click()
    expect(page.get_by_role("link", name="Publishing budget data: what worked")).to_be_visible()
    check(page, "thread closed as a duplicate, seen by a coordinator")

    page.get_by_role("link", name="Move topics…").click()
    check(page, "move topics form")
    page.goto("/discussions/moderation-log")
    expect(page.get_by_role("main")).to_contain_text("Closed as a duplicate")
    expect(page.get_by_role("main")).to_contain_text("Advertising is not allowed here.")
    check(page, "moderation log")
    page.get_by_label("Action").select_option("hide_post")
    page.get_by_role("button", name="Show entries").click()
    expect(page.get_by_role("main")).to_contain_text("Showing 1–1 of 1 entry")
    check(page, "moderation log filtered")
