"""Events from end to end in a real browser: a coordinator creates a two-seat online
event through the form and publishes it; three members register (two seats, one on the
waitlist); one cancels and the waitlisted member gets the seat and the join link; the
coordinator downloads the registrants as CSV and checks people in. axe-core checks every
events page reached along the way."""

import csv
import io
from datetime import date, timedelta

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import make_member
from wwc_community.accounts.models import Role

pytestmark = pytest.mark.browser

TITLE = "Open data office hours"
JOIN_URL = "https://meet.example.org/wwc-open-data"


@pytest.fixture
def people(live_app):
    return {
        "coordinator": make_member(Role.COORDINATOR, display_name="Casey Coordinator"),
        "first": make_member(display_name="Ana Ruiz"),
        "second": make_member(display_name="Jordan Lee"),
        "third": make_member(display_name="Sam Okafor"),
    }


@pytest.fixture
def open_page(browser, live_server):
    """Pages in browser contexts of their own: one member each, signed in side by side."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server, locale="en-US")
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_a_coordinator_s_event_fills_up_and_the_waitlist_moves(
    page, open_page, assert_accessible, people
):
    coordinator = page
    day = (date.today() + timedelta(days=14)).isoformat()

    # The coordinator creates a two-seat online event through the form...
    sign_in(coordinator, people["coordinator"].email)
    coordinator.goto("/events")
    expect(coordinator.get_by_role("heading", level=1, name="Events")).to_be_visible()
    assert_accessible(coordinator, "event list, coordinator, empty")
    coordinator.get_by_role("link", name="Create an event").click()
    expect(coordinator.get_by_role("heading", level=1, name="New event")).to_be_visible()
    assert_accessible(coordinator, "new event form")
    coordinator.get_by_label("Title", exact=True).fill(TITLE)
    coordinator.get_by_label("Type of event").select_option(label="Office hours")
    coordinator.get_by_label("Description").fill("Bring your **open data** questions.")
    coordinator.get_by_label("Visitors can see it (public)").check()
    coordinator.get_by_label("Time zone").select_option(label="Central (Chicago)")
    coordinator.get_by_label("Start date").fill(day)
    coordinator.get_by_label("Start time").fill("14:00")
    coordinator.get_by_label("End date").fill(day)
    coordinator.get_by_label("End time").fill("15:00")
    expect(coordinator.get_by_label("Online event")).to_be_checked()
    coordinator.get_by_label("Link to join").fill(JOIN_URL)
    coordinator.get_by_label("Capacity").fill("2")
    expect(coordinator.get_by_label("Keep a waitlist when the event is full")).to_be_checked()
    assert_accessible(coordinator, "new event form, filled in")
    coordinator.get_by_role("button", name="Save the draft").click()
    expect(coordinator.locator(".flashes")).to_contain_text("The draft is saved.")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(coordinator.get_by_role("note")).to_contain_text("This is a draft")
    assert_accessible(coordinator, "event page, draft")
    event_path = coordinator.url.removeprefix(coordinator.url.split("/events/")[0])

    # ...checks the edit form, and publishes it.
    coordinator.get_by_role("link", name="Edit", exact=True).click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"Edit “{TITLE}”")
    expect(coordinator.get_by_label("Capacity")).to_have_value("2")
    assert_accessible(coordinator, "edit form of the draft")
    coordinator.get_by_role("link", name="Back to the event").click()
    coordinator.get_by_role("button", name="Publish").click()
    expect(coordinator.locator(".flashes")).to_contain_text("The event is published.")
    expect(coordinator.get_by_text("This is a draft")).to_have_count(0)
    assert_accessible(coordinator, "event page, published, coordinator")

    # Two members take the two seats.
    members = {}
    for key in ("first", "second"):
        member = members[key] = open_page()
        sign_in(member, people[key].email)
        member.goto("/events")
        expect(member.locator(".event-card")).to_have_count(1)
        if key == "first":
            expect(member.locator(".event-card")).to_contain_text("2 seats left of 2")
            assert_accessible(member, "event list, member")
        member.get_by_role("link", name=TITLE).click()
        expect(member.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(member.get_by_text(JOIN_URL)).to_have_count(0)
        if key == "first":
            assert_accessible(member, "event page, register form")
        member.get_by_role("button", name="Register").click()
        expect(member.locator(".flashes")).to_contain_text("You are registered.")
        expect(member.get_by_role("link", name=JOIN_URL)).to_be_visible()
    assert_accessible(members["second"], "event page, registered")

    # The third joins the waitlist.
    third = members["third"] = open_page()
    sign_in(third, people["third"].email)
    third.goto(event_path)
    expect(third.locator(".event-facts")).to_contain_text("Full: you can join the waitlist")
    assert_accessible(third, "event page, full, waitlist form")
    third.get_by_role("button", name="Join the waitlist").click()
    expect(third.locator(".flashes")).to_contain_text("you are on the waitlist")
    expect(third.get_by_text("You are number 1 on the waitlist.")).to_be_visible()
    expect(third.get_by_text(JOIN_URL)).to_have_count(0)
    assert_accessible(third, "event page, on the waitlist")

    # One confirmed member cancels; the seat goes to the waitlisted member.
    first = members["first"]
    first.reload()
    first.get_by_role("button", name="Cancel my registration").click()
    expect(first.locator(".flashes")).to_contain_text("your seat went to the next member in line")
    expect(first.get_by_role("button", name="Join the waitlist")).to_be_visible()

    third.reload()
    expect(third.get_by_text("You are registered.")).to_be_visible()
    expect(third.get_by_role("link", name=JOIN_URL)).to_have_attribute("href", JOIN_URL)
    expect(third.get_by_text("on the waitlist")).to_have_count(0)
    assert_accessible(third, "event page, promoted from the waitlist")

    # The coordinator opens the registrants and downloads them as CSV...
    coordinator.reload()
    coordinator.get_by_role("link", name="Registrants", exact=True).click()
    expect(coordinator.get_by_role("heading", level=1, name="Registrants")).to_be_visible()
    expect(coordinator.get_by_role("main")).to_contain_text(
        "2 confirmed of 2 seats, 0 on the waitlist, 1 cancelled."
    )
    confirmed = coordinator.locator("section[aria-labelledby='confirmed-heading']")
    expect(confirmed.get_by_role("rowheader", name="Sam Okafor")).to_be_visible()
    assert_accessible(coordinator, "registrants page")
    with coordinator.expect_download() as started:
        coordinator.get_by_role("link", name="Download the registrants as CSV").click()
    download = started.value
    assert download.suggested_filename.endswith("-registrants.csv")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Sam Okafor" in row for row in rows), rows
    assert any("Jordan Lee" in row for row in rows), rows

    # ...and checks the promoted member in.
    coordinator.get_by_role("link", name="Check people in").click()
    expect(coordinator.get_by_role("heading", level=1, name="Check-in")).to_be_visible()
    expect(coordinator.get_by_role("main")).to_contain_text(
        "0 of 2 confirmed registrants checked in."
    )
    assert_accessible(coordinator, "check-in page")
    coordinator.get_by_role("button", name="Mark Sam Okafor as attended").click()
    expect(coordinator.locator(".flashes")).to_contain_text("Sam Okafor is checked in.")
    expect(coordinator.get_by_role("main")).to_contain_text(
        "1 of 2 confirmed registrants checked in."
    )
    expect(
        coordinator.get_by_role("button", name="Undo the check-in of Sam Okafor")
    ).to_be_visible()
    assert_accessible(coordinator, "check-in page, one checked in")

    # The coordinator's other forms: e-mail, postpone and cancel (opened, not sent).
    coordinator.get_by_role("link", name=f"Registrants of {TITLE}").click()
    coordinator.get_by_role("link", name="E-mail the registrants").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("E-mail the registrants")
    expect(coordinator.get_by_label("Subject")).to_be_visible()
    assert_accessible(coordinator, "e-mail form")
    coordinator.goto(event_path)
    coordinator.get_by_role("link", name="Postpone").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"Postpone “{TITLE}”")
    expect(coordinator.get_by_label("New start date")).to_have_value(day)
    assert_accessible(coordinator, "postpone form")
    coordinator.get_by_role("link", name="Back to the event").click()
    coordinator.get_by_role("link", name="Cancel event").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"Cancel “{TITLE}”")
    expect(coordinator.get_by_label("Reason")).to_be_visible()
    assert_accessible(coordinator, "cancel form")
