"""Account settings: changing the e-mail address, notification e-mail, deleting the account."""

import re

from sqlalchemy import select

from tests.conftest import links_in, outbox, post_form, sign_in
from tests.factories import PASSWORD, make_member, make_topic
from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.models import AuditEntry
from wwc_community.directory.models import member_expertise
from wwc_community.extensions import db


def link_path(message, fragment):
    link = next(link for link in links_in(message) if fragment in link)
    return fragment + link.rsplit(fragment, 1)[1]


def test_new_address_takes_effect_only_after_its_link(app, client, city):
    member = make_member(city=city, email="old@springfield.gov")
    sign_in(client, member.email)
    response = post_form(
        client, "/settings/account/email", {"email": "New@Springfield.gov", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert member.email == "old@springfield.gov"
    assert member.pending_email == "new@springfield.gov"
    confirm, notice = outbox(app)[-2:]
    assert confirm["To"] == "new@springfield.gov"
    assert notice["To"] == "old@springfield.gov" and "new@springfield.gov" in notice.get_content()
    path = link_path(confirm, "/auth/email/")
    assert client.get(path).status_code == 302
    assert member.email == "new@springfield.gov" and member.pending_email is None
    assert client.get(path).status_code == 400  # single use
    post_form(client, "/auth/logout")
    assert sign_in(client, "new@springfield.gov").status_code == 302


def test_email_change_needs_the_password_and_a_free_address(app, client, city):
    member = make_member(city=city)
    taken = make_member(city=city)
    sign_in(client, member.email)
    wrong = post_form(
        client,
        "/settings/account/email",
        {"email": "fresh@springfield.gov", "password": "not my password"},
    )
    assert wrong.status_code == 400 and "Your password is not right." in wrong.get_data(
        as_text=True
    )
    clash = post_form(
        client, "/settings/account/email", {"email": taken.email, "password": PASSWORD}
    )
    assert "already belongs to another account" in clash.get_data(as_text=True)
    invalid = post_form(client, "/settings/account/email", {"email": "nope", "password": PASSWORD})
    assert "Enter an e-mail address" in invalid.get_data(as_text=True)
    assert member.pending_email is None and outbox(app) == []


def test_cancelled_change_makes_its_link_useless(app, client, city):
    member = make_member(city=city)
    sign_in(client, member.email)
    post_form(
        client, "/settings/account/email", {"email": "fresh@springfield.gov", "password": PASSWORD}
    )
    path = link_path(outbox(app)[-2], "/auth/email/")
    post_form(client, "/settings/account/email/cancel")
    assert member.pending_email is None
    response = client.get(path)
    assert response.status_code == 400 and "cancelled" in response.get_data(as_text=True)
    assert member.email != "fresh@springfield.gov"


def test_address_taken_meanwhile_is_not_given_away(app, client, city):
    member = make_member(city=city)
    sign_in(client, member.email)
    post_form(
        client, "/settings/account/email", {"email": "fresh@springfield.gov", "password": PASSWORD}
    )
    path = link_path(outbox(app)[-2], "/auth/email/")
    make_member(email="fresh@springfield.gov")
    response = client.get(path)
    assert response.status_code == 400
    assert member.email != "fresh@springfield.gov"


def test_notification_preference_is_saved_and_bad_values_refused(client, city):
    member = make_member(city=city)
    sign_in(client, member.email)
    assert member.email_notifications == "daily"
    post_form(client, "/settings/account/notifications", {"email_notifications": "never"})
    assert member.email_notifications == "never"
    bad = post_form(client, "/settings/account/notifications", {"email_notifications": "hourly"})
    assert bad.status_code == 400 and member.email_notifications == "never"
    page = client.get("/settings/account").get_data(as_text=True)
    assert re.search(r'<input[^>]* checked [^>]*value="never"', page)


def test_deleting_the_account_removes_personal_data_and_keeps_others_intact(app, client, city):
    topic = make_topic("Open Data")
    member = make_member(city=city, email="leaving@springfield.gov", display_name="Lee Leaving")
    member.bio = "I ran the open data program."
    colleague = make_member(city=city, display_name="Cam Colleague")
    db.session.execute(
        member_expertise.insert(),
        [
            {"member_id": member.id, "topic_id": topic.id},
            {"member_id": colleague.id, "topic_id": topic.id},
        ],
    )
    db.session.commit()
    sign_in(client, member.email)
    refused = post_form(client, "/settings/account/delete", {"password": PASSWORD})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    response = post_form(client, "/settings/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 303
    deleted = db.session.get(Member, member.id)
    assert deleted.status == MemberStatus.DELETED
    assert deleted.display_name == "Former member"
    assert "leaving" not in deleted.email and deleted.bio == "" and deleted.city_id is None
    assert (
        db.session.execute(select(Member.id).where(Member.display_name == "Cam Colleague")).scalar()
        == colleague.id
    )
    assert db.session.execute(select(member_expertise.c.member_id)).scalars().all() == [
        colleague.id
    ]
    assert client.get("/settings/account").status_code == 302  # signed out
    assert sign_in(client, "leaving@springfield.gov").status_code == 400
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
        "member.delete"
    )


def test_wrong_password_deletes_nothing_and_the_last_admin_must_stay(client):
    admin = make_member(Role.ADMIN)
    sign_in(client, admin.email)
    wrong = post_form(
        client, "/settings/account/delete", {"password": "not my password", "confirm": "y"}
    )
    assert "Your password is not right." in wrong.get_data(as_text=True)
    last = post_form(client, "/settings/account/delete", {"password": PASSWORD, "confirm": "y"})
    assert "only admin" in last.get_data(as_text=True)
    assert admin.status == MemberStatus.ACTIVE
