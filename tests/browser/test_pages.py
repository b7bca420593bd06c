"""Keyboard use and accessibility of the public, error and administration pages."""

import re

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import PASSWORD, make_city, make_member, make_organisation
from wwc_community.accounts.models import MemberStatus, Role

pytestmark = pytest.mark.browser


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id, text: e.textContent.trim().slice(0, 60),"
        " top: e.getBoundingClientRect().top, height: e.getBoundingClientRect().height}; }"
    )


@pytest.mark.parametrize("path", ["/", "/cities", "/auth/register"])
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, path):
    page.goto(path)
    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["tag"], first["text"]) == ("A", "Skip to main content"), first
    # It shows itself when focused, inside the viewport.
    assert first["top"] >= 0 and first["height"] > 0, first
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()

    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # The next Tab stop is inside main, not back in the header.
    page.keyboard.press("Tab")
    in_main = page.evaluate(
        "() => document.getElementById('main').contains(document.activeElement)"
    )
    assert in_main, focused(page)


def test_public_pages(page, assert_accessible, live_app):
    check = assert_accessible
    make_city("Springfield", "IL", 114_394)
    make_city("Austin", "TX", 974_447)
    make_member(Role.PRACTITIONER, city=make_city("Tulsa", "OK", 413_066))

    page.goto("/")
    check(page, "home page")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cities").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cities")
    check(page, "city list")
    page.get_by_label("City name").fill("spring")
    page.get_by_role("button", name="Show cities").click()
    expect(page.get_by_role("status").filter(has_text="Showing")).to_contain_text("1 city")
    check(page, "city list, filtered")
    page.get_by_label("City name").fill("nowhere at all")
    page.get_by_label("State").select_option("TX")
    page.get_by_role("button", name="Show cities").click()
    expect(page.get_by_role("main")).to_contain_text("No city matches these filters")
    check(page, "city list, no match")
    page.get_by_role("link", name="Clear filters").first.click()
    page.get_by_role("link", name="Springfield").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Springfield, IL")
    check(page, "city page without members")
    page.goto("/cities/tulsa-ok")
    expect(page.get_by_role("main")).to_contain_text("Sign in as a member to see who")
    check(page, "city page with members, seen by a visitor")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="About").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^About"))
    check(page, "about page")

    response = page.goto("/no/such/page")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check(page, "404 page")
    page.goto("/cities/atlantis-zz")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check(page, "404 page for an unknown city")

    page.goto("/auth/verify/not-a-real-token")
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    check(page, "broken verification link")
    page.goto("/auth/check-email")
    check(page, "check your e-mail page without an address")


def test_administration_pages(page, assert_accessible, live_app):
    check = assert_accessible
    city = make_city("Springfield", "IL", 114_394)
    make_organisation("Civic Evidence Lab")
    admin = make_member(Role.ADMIN, display_name="Alex Admin")
    make_member(Role.PRACTITIONER, MemberStatus.PENDING, city=city, display_name="Noor Newcomer")
    make_member(
        Role.PRACTITIONER,
        MemberStatus.PENDING,
        city=city,
        verified=False,
        display_name="Una Unconfirmed",
    )

    sign_in(page, admin.email)
    check(page, "home page, signed in as admin")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name=re.compile("^Members")).click()
    expect(page.get_by_role("row").filter(has_text="Noor Newcomer")).to_be_visible()
    check(page, "approval queue with a member waiting")
    page.get_by_role("link", name="Not yet confirmed").click()
    expect(page.get_by_role("row").filter(has_text="Una Unconfirmed")).to_be_visible()
    check(page, "members not yet confirmed")
    page.get_by_role("link", name="Una Unconfirmed").click()
    expect(page.get_by_role("main")).to_contain_text("cannot be approved")
    check(page, "unconfirmed member's page")
    page.goto("/admin/members?status=all&q=zzz")
    expect(page.get_by_role("main")).to_contain_text("No members match")
    check(page, "member search without results")

    page.goto("/admin/members")
    page.get_by_role("link", name=re.compile("^Decline Noor Newcomer")).click()
    page.get_by_label("Reason").fill("Not a city employee.")
    page.get_by_role("button", name="Decline").click()
    expect(page.locator(".flashes")).to_contain_text("application is declined")
    check(page, "declined member's page")

    nav.get_by_role("link", name="Manage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partner organisations")
    check(page, "organisations page")
    page.get_by_role("link", name="Civic Evidence Lab").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Civic Evidence Lab")
    check(page, "one organisation's page")
    admin_nav = page.get_by_role("navigation", name="Directory administration")
    admin_nav.get_by_role("link", name="Topics").click()
    check(page, "topics page")
    admin_nav.get_by_role("link", name="E-mail domains").click()
    check(page, "e-mail domains page")

    nav.get_by_role("link", name="Audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.get_by_role("main")).to_contain_text("member.decline")
    check(page, "audit trail")

    page.get_by_role("banner").get_by_role("link", name="Alex Admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    check(page, "account settings")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    check(page, "change password form")
    page.get_by_label("Current password").fill("not the password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Repeat the new password").fill("shorter")
    page.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "change password form with errors")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("a long new admin passphrase")
    page.get_by_label("Repeat the new password").fill("a long new admin passphrase")
    page.get_by_role("button", name="Change the password").click()
    expect(page.locator(".flashes")).to_contain_text("Your password is changed")
    check(page, "change password form after a change")


def test_forbidden_page(page, assert_accessible, live_app):
    practitioner = make_member(Role.PRACTITIONER)
    sign_in(page, practitioner.email)
    response = page.goto("/admin/members")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    assert_accessible(page, "403 page")
