"""The library list in a real browser, signed out: filters chosen with the keyboard and
the mouse, the sentence that states them, an empty result and clearing them, checked
with axe-core at each step."""

from datetime import timedelta

import pytest

from tests.browser.steps import expect
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from wwc_community.accounts.models import Role
from wwc_community.core.database import utcnow
from wwc_community.extensions import db
from wwc_community.library.models import Adaptation, Practice

pytestmark = pytest.mark.browser


@pytest.fixture
def library(live_app):
    """Entries of two organisations, one featured, one adapted by a mid-sized city."""
    lab = make_organisation("Civic Evidence Lab")
    procurement_lab = make_organisation("Open Procurement Lab")
    open_data = make_topic("Open Data")
    contracting = make_topic("Results-Driven Contracting")
    norman = make_city("Norman", "OK", 128_097)
    lab_partner = make_member(Role.PARTNER, organisation=lab)
    other_partner = make_member(Role.PARTNER, organisation=procurement_lab)
    budget = make_practice(
        lab,
        author=lab_partner,
        title="Publishing the budget as open data",
        topics=[open_data],
        design="pre_post",
    )
    make_practice(
        procurement_lab,
        author=other_partner,
        title="Outcome-based contracts for job training",
        kind="case_study",
        topics=[contracting],
        design="randomised_trial",
    )
    make_practice(lab, author=lab_partner, title="An unfinished draft guide", status="draft")
    budget = db.session.get(Practice, budget.id)
    budget.featured_at = utcnow() - timedelta(days=1)
    db.session.add(Adaptation(practice_id=budget.id, city_id=norman.id))
    budget.adaptation_count = 1
    db.session.commit()


def test_a_visitor_filters_the_library(page, assert_accessible, library):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1, name="Library")).to_be_visible()
    expect(page.locator(".filter-summary")).to_have_text("Showing all entries, newest first.")
    expect(page.get_by_role("link", name="Publishing the budget as open data")).to_be_visible()
    expect(page.get_by_role("link", name="An unfinished draft guide")).to_have_count(0)
    expect(page.locator(".practice-card").first).to_contain_text("Featured")
    expect(page.locator(".practice-card").first).to_contain_text("Evidence: Promising")
    assert_accessible(page, "library list")

    # Two filters, the second chosen and submitted with the keyboard alone.
    page.get_by_label("Topic").select_option(label="Open Data")
    page.get_by_label("Adapted by cities of").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show entries")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".filter-summary")).to_contain_text(
        "Showing all entries on Open Data, adapted by cities of 100,000 to 250,000 residents"
    )
    expect(page.get_by_role("link", name="Publishing the budget as open data")).to_be_visible()
    expect(page.get_by_role("link", name="Outcome-based contracts for job training")).to_have_count(
        0
    )
    assert_accessible(page, "library list, filtered")

    page.get_by_label("Evidence").select_option(label="Strong")
    page.get_by_role("button", name="Show entries").click()
    expect(page.get_by_role("main")).to_contain_text("No published entry matches these filters")
    assert_accessible(page, "library list, nothing matches")
    page.get_by_role("link", name="Every evidence tier, not only strong").click()
    expect(page.get_by_role("link", name="Publishing the budget as open data")).to_be_visible()

    page.goto("/library?type=podcast")
    expect(page.get_by_role("main")).to_contain_text("There is no type of entry “podcast”")
    assert_accessible(page, "library list with an unknown filter")
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator(".filter-summary")).to_have_text("Showing all entries, newest first.")
