"""Steps the browser tests share: Playwright's `expect`, and signing in through the form."""

from tests.factories import PASSWORD


def expect(locator_or_page):
    """Playwright's retrying assertions (imported late: Playwright is a test-only extra)."""
    from playwright.sync_api import expect

    return expect(locator_or_page)


def sign_in(page, email: str, password: str = PASSWORD):
    """Sign in through the sign-in page and wait for the confirmation."""
    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text("Signed in as")
