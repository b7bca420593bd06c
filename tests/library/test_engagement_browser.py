"""A practitioner saves an entry, marks it helpful, records that their city adapted it
and asks about it, in a real browser; the practice page's members section and the
Saved page are checked with axe-core."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from wwc_community.extensions import db
from wwc_community.library import engagement

pytestmark = pytest.mark.browser


@pytest.fixture
def library(live_app):
    topic = make_topic("Open Data")
    practice = make_practice(
        make_organisation("Evidence Partners"),
        title="Open budget dashboards",
        topics=[topic],
        summary="Publish the budget as a dashboard residents can read.",
    )
    norman = make_city("Norman", "OK", 128_097)
    engagement.mark_helpful(db.session, make_member(city=norman), practice)
    engagement.record_adaptation(
        db.session,
        make_member(city=norman, display_name="Priya Raman"),
        practice,
        status="in_place",
        changes="We started with **capital** projects.",
        outcome="Fewer records requests.",
    )
    db.session.commit()
    jordan = make_member(city=make_city("Springfield", "IL", 114_394), display_name="Jordan Lee")
    return {"practice": practice, "jordan": jordan}


def test_a_member_saves_marks_adapts_and_asks(page, assert_accessible, library):
    practice = library["practice"]
    page.goto(f"/library/{practice.slug}")
    members = page.locator("#members")
    expect(members).to_contain_text("Useful to 1 member in 1 city.")
    expect(members).to_contain_text("Sign in")
    assert_accessible(page, "practice page, visitor")

    sign_in(page, library["jordan"].email)
    page.goto(f"/library/{practice.slug}")
    save = page.get_by_role("button", name="Save “Open budget dashboards” for later")
    expect(save).to_have_attribute("aria-pressed", "false")
    assert_accessible(page, "practice page, member")
    save.click()
    expect(page.locator(".flashes")).to_contain_text("Saved.")
    expect(save).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="Mark as helpful").click()
    expect(page.locator(".flashes")).to_contain_text("you marked this entry helpful")
    expect(members).to_contain_text("Useful to 2 members in 2 cities.")
    expect(members).to_contain_text("2 cities of 100,000 to 250,000 residents")

    page.get_by_role("link", name="Record that Springfield adapted this").click()
    assert_accessible(page, "adaptation form")
    page.get_by_role("button", name="Save Springfield's adaptation").click()
    expect(page.locator(".error-summary")).to_contain_text("Write what your city changed.")
    assert_accessible(page, "adaptation form with an error")
    page.get_by_label("Piloting").check()
    page.get_by_label("What your city changed").fill("Only the *parks* budget at first.")
    page.get_by_role("button", name="Save Springfield's adaptation").click()
    expect(page.locator(".flashes")).to_contain_text("Springfield's adaptation is recorded.")
    expect(members.get_by_role("link", name="Springfield, IL")).to_be_visible()
    expect(members.locator(".adaptation").first).to_contain_text("Only the parks budget")
    assert_accessible(page, "practice page with the member's adaptation")

    page.get_by_role("link", name="Ask a question about this practice").click()
    expect(page.locator(".asked-about")).to_contain_text("About: Open budget dashboards")

    page.get_by_role("link", name="Saved library entries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saved entries")
    expect(page.get_by_role("link", name="Open budget dashboards")).to_be_visible()
    assert_accessible(page, "Saved page")
    page.get_by_role("button", name="Remove “Open budget dashboards” from saved").click()
    expect(page.get_by_role("main")).to_contain_text("You have not saved any library entries yet.")
    assert_accessible(page, "Saved page, empty")
