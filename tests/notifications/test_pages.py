"""The notification list, opening an item, marking all read, and the header's count."""

import re

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.factories import make_member
from tests.notifications.conftest import make_notifications
from tests.query_counts import counted_queries, queries_for
from wwc_community.accounts.models import MemberStatus
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification
from wwc_community.notifications.services import notify

HEADER_LINK = re.compile(r'<a class="notifications-link"[^>]*>(.*?)</a>', re.S)


def header_link(client, path="/") -> str | None:
    """The header's notifications link as a screen reader reads it, or None."""
    match = HEADER_LINK.search(client.get(path).get_data(as_text=True))
    if match is None:
        return None
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def unread_of(member) -> int:
    return len(
        db.session.scalars(
            select(Notification.id).where(
                Notification.member_id == member.id, Notification.read_at.is_(None)
            )
        ).all()
    )


def test_the_list_shows_newest_first_with_unread_items_marked(client, make_reader):
    reader = make_reader()
    actor = make_member(display_name="Dana Analyst")
    first, second = make_notifications(reader, 2, actor=actor)
    db.session.get(Notification, first.id).read_at = first.created_at
    db.session.commit()
    sign_in(client, reader.email)

    page = client.get("/notifications").get_data(as_text=True)

    assert page.index(second.text) < page.index(first.text)
    assert f'href="/notifications/{second.id}"' in page
    assert "Dana Analyst" in page
    # Unread is said in words, not by colour alone: one "New", and the read item says so.
    assert page.count('<span class="badge notification-new">New</span>') == 1
    assert "1 unread." in page
    assert '<span class="visually-hidden"> · read</span>' in page
    assert "Mark all as read" in page


def test_the_list_pages(client, make_reader, app):
    reader = make_reader()
    items = make_notifications(reader, app.config["PER_PAGE"] + 3)
    sign_in(client, reader.email)

    first_page = client.get("/notifications").get_data(as_text=True)
    second_page = client.get("/notifications?page=2").get_data(as_text=True)

    assert f"Showing 1–25 of {len(items)} notifications" in first_page
    assert 'rel="next"' in first_page
    assert f"Showing 26–28 of {len(items)} notifications" in second_page
    assert f'href="/notifications/{items[0].id}"' in second_page
    assert f'href="/notifications/{items[0].id}"' not in first_page


def test_an_empty_list_says_what_will_appear(client, make_reader):
    sign_in(client, make_reader().email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "No notifications yet." in page
    assert "Mark all as read" not in page


def test_opening_the_list_does_not_mark_anything_read(client, make_reader):
    reader = make_reader()
    make_notifications(reader, 3)
    sign_in(client, reader.email)
    client.get("/notifications")
    assert unread_of(reader) == 3


def test_opening_an_item_marks_it_read_and_goes_where_it_leads(client, make_reader):
    reader = make_reader()
    first, second = make_notifications(reader, 2, url="/discussions/4-open-data#post-7")
    sign_in(client, reader.email)
    assert header_link(client) == "Notifications 2 unread"

    response = client.get(f"/notifications/{first.id}")

    assert response.status_code == 303
    assert response.headers["Location"] == "/discussions/4-open-data#post-7"
    assert header_link(client) == "Notifications 1 unread"
    # Opening it again changes nothing.
    assert client.get(f"/notifications/{first.id}").status_code == 303
    assert unread_of(reader) == 1


def test_someone_elses_notification_is_not_found(client, make_reader):
    owner, other = make_reader(), make_reader()
    [item] = make_notifications(owner, 1)
    sign_in(client, other.email)

    assert client.get(f"/notifications/{item.id}").status_code == 404
    assert client.get("/notifications/999999").status_code == 404
    assert unread_of(owner) == 1


def test_an_item_leading_off_the_site_goes_to_the_list_instead(client, make_reader):
    reader = make_reader()
    [item] = notify(db.session, [reader.id], kind="answer", text="Odd", url="//evil.example/")
    db.session.commit()
    sign_in(client, reader.email)
    response = client.get(f"/notifications/{item.id}")
    assert response.headers["Location"] == "/notifications"
    assert unread_of(reader) == 0


def test_mark_all_as_read(client, make_reader):
    reader, other = make_reader(), make_reader()
    make_notifications(reader, 3)
    make_notifications(other, 2)
    sign_in(client, reader.email)

    response = post_form(client, "/notifications/read", follow_redirects=True)

    assert "Every notification is marked as read." in response.get_data(as_text=True)
    assert unread_of(reader) == 0
    assert unread_of(other) == 2
    assert header_link(client) == "Notifications"
    again = post_form(client, "/notifications/read", follow_redirects=True)
    assert "There was nothing unread." in again.get_data(as_text=True)


def test_mark_all_needs_the_forms_token(client, make_reader):
    reader = make_reader()
    make_notifications(reader, 1)
    sign_in(client, reader.email)
    assert client.post("/notifications/read").status_code == 400
    assert unread_of(reader) == 1


def test_the_header_shows_the_link_to_members_only(client, make_reader):
    assert header_link(client) is None
    pending = make_reader(status=MemberStatus.PENDING)
    sign_in(client, pending.email)
    assert header_link(client, "/about") is None


def test_the_header_count_is_one_query_whatever_the_number(client, make_reader):
    reader = make_reader()
    sign_in(client, reader.email)
    without = queries_for(client, "/about")
    make_notifications(reader, 40)
    assert queries_for(client, "/about") == without
    with counted_queries() as statements:
        assert header_link(client, "/about") == "Notifications 40 unread"
    assert len([s for s in statements if "FROM notification" in s]) == 1


def test_the_list_makes_as_many_queries_for_many_items_as_for_few(client, make_reader):
    reader = make_reader()
    actors = [make_member() for _ in range(3)]
    sign_in(client, reader.email)
    for actor in actors:
        make_notifications(reader, 1, actor=actor)
    few = queries_for(client, "/notifications")
    for actor in actors * 8:
        make_notifications(reader, 1, actor=actor)
    assert queries_for(client, "/notifications") == few
