"""Account settings in a real browser: change the address by its link, choose the
notification e-mail, delete the account; axe-core on every state of the page."""

import pytest

from tests.browser.conftest import newest_mail_link
from tests.browser.test_pages import expect, sign_in
from tests.factories import PASSWORD, make_city, make_member

pytestmark = pytest.mark.browser


def test_account_settings_journey(page, assert_accessible, live_app):
    check = assert_accessible
    member = make_member(
        city=make_city("Tulsa", "OK", 413_066),
        email="dana@tulsa.example.gov",
        display_name="Dana Analyst",
    )
    sign_in(page, member.email)
    page.get_by_role("link", name="Settings for Dana Analyst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    check(page, "account settings")

    page.get_by_role("button", name="Change my address").click()
    expect(page.get_by_role("alert")).to_contain_text("There are problems")
    check(page, "account settings, e-mail form with errors")

    page.get_by_label("New e-mail address").fill("dana.analyst@tulsa.example.gov")
    page.get_by_label("Your password").first.fill(PASSWORD)
    page.get_by_role("button", name="Change my address").click()
    expect(page.locator(".notice")).to_contain_text("Waiting for confirmation")
    check(page, "account settings, change waiting")
    link = newest_mail_link(live_app, "dana.analyst@tulsa.example.gov", "/auth/email/")
    page.goto(link)
    expect(page.locator(".flashes")).to_contain_text("now dana.analyst@tulsa.example.gov")

    page.get_by_label("Never").check()
    page.get_by_role("button", name="Save my preference").click()
    expect(page.locator(".flashes")).to_contain_text("preference is saved")
    expect(page.get_by_label("Never")).to_be_checked()

    page.get_by_label("Your password").last.fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick the box")
    check(page, "account settings, deletion refused")
    page.get_by_label("Your password").last.fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".flashes")).to_contain_text("Your account is deleted")
    check(page, "home page after deletion")
