"""Members' journeys in a real browser: join, confirm, wait, get approved, reset a password.

Every page a journey reaches is checked with axe-core (WCAG 2.1 A and AA).
"""

import re

import pytest

from tests.browser.conftest import newest_mail_link
from tests.factories import PASSWORD, make_city, make_member
from wwc_community.accounts.models import Member, Role
from wwc_community.extensions import db

pytestmark = pytest.mark.browser

NEW_EMAIL = "jordan.lee@springfield-il.example.com"
NEW_NAME = "Jordan Lee"
NEW_PASSWORD = "budget season lasts forever 7"


def expect(page):
    from playwright.sync_api import expect

    return expect(page)


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def sign_in(page, check, email: str, password: str, *, label: str = "sign-in page"):
    """Open the sign-in page from the header and sign in with the keyboard."""
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check(page, label)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")


def sign_out(page, check):
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.locator(".flashes")).to_contain_text("You are signed out")
    check(page, "home page after signing out")


def test_join_confirm_wait_for_approval_and_sign_in(page, live_app, assert_accessible):
    check = assert_accessible
    illinois = make_city("Springfield", "IL", 114_394)
    make_city("Springfield", "MO", 169_176)
    make_member(Role.PRACTITIONER, city=illinois, display_name="Sam Peer")
    coordinator = make_member(Role.COORDINATOR, display_name="Casey Coordinator")

    # A visitor finds the community and joins.
    page.goto("/")
    check(page, "home page")
    page.get_by_role("banner").get_by_role("link", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join WWC Community")
    check(page, "sign-up form")

    # Sending it empty shows every problem, each tied to its field.
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("alert")).to_contain_text("There are problems")
    check(page, "sign-up form with errors")
    page.get_by_role("alert").get_by_role("link", name=re.compile("^Work e-mail address")).click()
    expect(page.get_by_label("Work e-mail address")).to_be_focused()

    page.get_by_label("Work e-mail address").fill(NEW_EMAIL)
    page.get_by_label("Your name").fill(NEW_NAME)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Job title").fill("Budget analyst")
    expect(page.get_by_label("A city government")).to_be_checked()
    city_field = page.get_by_role("combobox", name="City")
    city_field.click()
    city_field.press_sequentially("Springfield, IL", delay=20)
    # register.js fills the datalist from /cities/suggest as the member types.
    expect(page.locator('#city-options option[value="Springfield, IL"]')).to_have_count(1)
    expect(page.locator('#city-options option[value="Springfield, MO"]')).to_have_count(1)
    check(page, "sign-up form, filled in")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    expect(page.get_by_role("main")).to_contain_text(NEW_EMAIL)
    check(page, "check your e-mail page")

    # The link in the verification message confirms the address.
    page.goto(newest_mail_link(live_app, NEW_EMAIL, "/auth/verify/"))
    expect(page.locator(".flashes")).to_contain_text("Your e-mail address is confirmed")
    assert path_of(page) == "/auth/login"
    check(page, "sign-in page after confirming")

    page.get_by_label("E-mail address").fill(NEW_EMAIL)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Waiting for approval")).to_be_visible()
    assert path_of(page) == "/account/status"
    check(page, "account status, waiting for approval")

    # Members-only pages send a pending member back to the status page.
    page.goto("/admin/members")
    assert path_of(page).startswith("/account/status")
    expect(page.get_by_role("heading", name="Waiting for approval")).to_be_visible()
    page.get_by_role("link", name="city directory").click()
    illinois = page.get_by_role("row").filter(has=page.get_by_role("cell", name="IL", exact=True))
    illinois.get_by_role("link", name="Springfield").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Springfield, IL")
    expect(page.get_by_role("main")).to_contain_text("shown once your account is approved")
    expect(page.get_by_role("main")).not_to_contain_text("Sam Peer")
    check(page, "city page seen by a pending member")
    sign_out(page, check)

    # A coordinator approves the new member from the queue.
    sign_in(page, check, coordinator.email, PASSWORD)
    expect(page.locator(".flashes")).to_contain_text("Signed in as Casey Coordinator")
    check(page, "home page, signed in as coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    row = page.get_by_role("row").filter(has_text=NEW_EMAIL)
    expect(row).to_contain_text("Springfield, IL")
    check(page, "approval queue")
    row.get_by_role("button", name=f"Approve {NEW_NAME}").click()
    expect(page.locator(".flashes")).to_contain_text(f"{NEW_NAME} is approved")
    expect(page.get_by_role("main")).to_contain_text("Nobody is waiting for approval")
    check(page, "approval queue, empty")
    page.get_by_role("link", name="Active").click()
    page.get_by_role("link", name=NEW_NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_NAME)
    check(page, "one member's page")
    sign_out(page, check)

    # The member is told by mail, and signs in as an active member.
    page.goto(newest_mail_link(live_app, NEW_EMAIL, "/auth/login"))
    check(page, "sign-in page from the approval mail")
    page.get_by_label("E-mail address").fill(NEW_EMAIL)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text(f"Signed in as {NEW_NAME}")
    assert path_of(page) == "/"
    check(page, "home page, signed in as an active member")
    page.goto("/account/status")
    assert path_of(page) == "/"
    page.goto("/cities/springfield-il")
    expect(page.get_by_role("main")).to_contain_text("2 members work for Springfield")
    expect(page.get_by_role("main")).to_contain_text("Sam Peer, Analyst")
    expect(page.get_by_role("main")).to_contain_text(f"{NEW_NAME}, Budget analyst")
    check(page, "city page seen by a member")
    sign_out(page, check)

    db.session.commit()  # a fresh read: the server changed the member
    member = db.session.scalar(db.select(Member).filter_by(email=NEW_EMAIL))
    assert (member.status, member.city.slug) == ("active", "springfield-il")


def test_forgot_password_with_the_emailed_link(page, live_app, assert_accessible):
    check = assert_accessible
    member = make_member(Role.PRACTITIONER, display_name="Robin Reset")
    new_password = "a brand new passphrase 2026"

    page.goto("/auth/login")
    check(page, "sign-in page")
    # A wrong password: the form comes back with an error.
    page.get_by_label("E-mail address").fill(member.email)
    page.get_by_label("Password").fill("not my password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text("do not match an account")
    check(page, "sign-in page with an error")

    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check(page, "reset request form")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your e-mail address")
    check(page, "reset request form with an error")
    page.get_by_label("E-mail address").fill(member.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".flashes")).to_contain_text("a link to reset its password is on its way")
    check(page, "sign-in page after asking for a reset")

    link = newest_mail_link(live_app, member.email, "/auth/reset/")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check(page, "new password form")
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Repeat the new password").fill("something else entirely")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("alert")).to_contain_text("The two passwords are not the same")
    check(page, "new password form with an error")
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Repeat the new password").fill(new_password)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator(".flashes")).to_contain_text("Your password is changed")
    check(page, "sign-in page after the reset")

    # The link works once.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    check(page, "used reset link")

    sign_in(page, check, member.email, PASSWORD, label="sign-in page before the old password")
    expect(page.locator(".flashes")).to_contain_text("do not match an account")
    page.get_by_label("E-mail address").fill(member.email)
    page.get_by_label("Password").fill(new_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text("Signed in as Robin Reset")
    check(page, "home page after signing in with the new password")
