"""Publishing in a real browser: a partner writes a draft, previews it, saves and
publishes it, edits it into a second version; axe-core checks the edit form, the
practice page and the versions pages."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import make_member, make_organisation, make_topic
from wwc_community.accounts.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def partner(live_app):
    organisation = make_organisation("Civic Evidence Lab")
    make_topic("Open Data")
    make_topic("Procurement")
    return make_member(Role.PARTNER, organisation=organisation, display_name="Ana Ruiz")


def test_a_partner_writes_previews_publishes_and_updates_an_entry(page, assert_accessible, partner):
    sign_in(page, partner.email)
    page.goto("/library/new")
    expect(page.get_by_role("heading", name="New library entry")).to_be_visible()
    assert_accessible(page, "new entry form")

    page.get_by_label("Title").fill("Publishing 311 data every night")
    page.get_by_label("Kind of entry").select_option(label="Case study")
    page.get_by_label("Summary").fill("Cities publish their 311 requests as open data.")
    page.get_by_label("Open Data").check()
    page.get_by_label("The practice in full").fill("## Steps\n\nExport, then publish.")
    page.get_by_label("Problem").fill("Requests went unanswered for weeks.")
    page.get_by_label("Evaluation design").select_option(label="Before and after (pre/post)")
    page.get_by_label("Measure of result 1").fill("Days to close a request")
    page.get_by_label("Unit of result 1").fill("days")
    page.get_by_label("Baseline value of result 1").fill("12")
    page.get_by_label("Baseline date of result 1 (YYYY-MM-DD)").fill("31/01/2021")
    page.get_by_label("Result value of result 1").fill("7")
    page.get_by_label("Label of link 1").fill("The city's report")
    page.get_by_label("Web address of link 1").fill("https://example.org/report")

    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("YYYY-MM-DD")
    assert_accessible(page, "new entry form with an error")

    page.get_by_label("Baseline date of result 1 (YYYY-MM-DD)").fill("2021-01-31")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview of the entry’s page")).to_be_visible()
    expect(page.locator(".preview table")).to_contain_text("−5 days")
    assert_accessible(page, "new entry form with a preview")

    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publishing 311 data every night")
    expect(page.get_by_role("note")).to_contain_text("This is a draft")
    assert_accessible(page, "draft entry page")

    page.get_by_role("button", name="Publish this entry").click()
    expect(page.locator(".flashes")).to_contain_text("The entry is published.")
    expect(page.get_by_text("This is a draft")).to_have_count(0)
    expect(page.get_by_role("table")).to_contain_text("Days to close a request")
    expect(page.get_by_role("main")).to_contain_text("Promising")
    assert_accessible(page, "published entry page")

    page.get_by_role("link", name="Edit this entry").click()
    assert_accessible(page, "edit form of a published entry")
    page.get_by_label("Title").fill("Publishing 311 requests every night")
    page.get_by_role("button", name="Publish changes").click()
    expect(page.locator(".flashes")).to_contain_text("published as version 2")
    page.get_by_role("link", name="2 versions of this entry").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Versions of")
    assert_accessible(page, "versions list")
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("note")).to_contain_text("This is version 1 from")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publishing 311 data every night")
    assert_accessible(page, "an old version")
