"""The notification pages in Chromium: keyboard and screen-reader use, axe-checked."""

import re

import pytest

from tests.browser.steps import expect
from tests.browser.test_pages import sign_in
from tests.factories import make_member
from tests.notifications.conftest import make_notifications
from wwc_community.accounts.models import EmailFrequency
from wwc_community.extensions import db
from wwc_community.notifications.services import unsubscribe_token

pytestmark = pytest.mark.browser


def test_notification_pages(page, assert_accessible, live_app):
    check = assert_accessible
    reader = make_member(display_name="Riley Reader")
    actor = make_member(display_name="Dana Analyst")
    make_notifications(reader, 3, actor=actor, url="/about")
    sign_in(page, reader.email)

    header_link = page.get_by_role("banner").get_by_role("link", name=re.compile("^Notifications"))
    expect(header_link).to_have_accessible_name("Notifications 3 unread")
    header_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    check(page, "notification list with unread items")

    page.get_by_role("link", name="Dana Analyst answered question 2").click()
    expect(page).to_have_url(re.compile("/about$"))
    expect(header_link).to_have_accessible_name("Notifications 2 unread")
    header_link.click()
    check(page, "notification list with read and unread items")

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".flashes")).to_contain_text("Every notification is marked as read.")
    expect(header_link).to_have_accessible_name("Notifications")
    check(page, "notification list, all read")


def test_empty_notification_list(page, assert_accessible, live_app):
    sign_in(page, make_member().email)
    page.goto("/notifications")
    expect(page.get_by_role("main")).to_contain_text("No notifications yet.")
    assert_accessible(page, "empty notification list")


def test_unsubscribe_pages(page, assert_accessible, live_app):
    member = make_member(display_name="Ivy Immediate")
    member.email_notifications = EmailFrequency.IMMEDIATELY
    db.session.commit()
    path = f"/notifications/unsubscribe/{unsubscribe_token(member.id, member.email)}"

    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop notification e-mails")
    assert_accessible(page, "unsubscribe page")
    page.get_by_role("button", name="Stop these e-mails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notification e-mails stopped")
    assert_accessible(page, "unsubscribed page")
    db.session.commit()
    db.session.refresh(member)
    assert member.email_notifications == EmailFrequency.NEVER

    response = page.goto("/notifications/unsubscribe/forged-token")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page, "broken unsubscribe link")
