"""Sign-up, e-mail verification and automatic approval by domain."""

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import links_in, outbox, post_form, sign_in
from tests.factories import PASSWORD, make_city, make_member
from wwc_community.accounts.models import AccountToken, Member, MemberStatus
from wwc_community.directory.services import link_domain
from wwc_community.extensions import db


def register(client, **fields):
    data = {
        "email": "dana@springfield.gov",
        "display_name": "Dana Analyst",
        "password": PASSWORD,
        "job_title": "Data analyst",
        "affiliation": "city",
        "city": "Springfield, IL",
        "organisation": "",
    }
    data.update(fields)
    return post_form(client, "/auth/register", data)


def members_named(email):
    return db.session.scalars(select(Member).where(Member.email == email)).all()


def verification_link(app):
    return next(link for link in links_in(outbox(app)[-1]) if "/auth/verify/" in link)


def test_sign_up_creates_a_pending_account_and_mails_a_link(app, client, city):
    response = register(client)
    assert response.status_code == 302
    assert "Check your e-mail" in client.get(response.location).get_data(as_text=True)
    [member] = members_named("dana@springfield.gov")
    assert member.status == MemberStatus.PENDING and not member.is_verified
    assert member.city_id == city.id
    [message] = outbox(app)
    assert message["To"] == "dana@springfield.gov"
    assert "/auth/verify/" in verification_link(app)


def test_verification_link_works_once(app, client, city):
    register(client)
    link = verification_link(app)
    path = link.split("localhost", 1)[-1]
    first = client.get(path)
    assert first.status_code == 302
    [member] = members_named("dana@springfield.gov")
    assert member.is_verified and member.status == MemberStatus.PENDING
    second = client.get(path)
    assert second.status_code == 400
    assert "already been used" in second.get_data(as_text=True)


def test_expired_or_tampered_link_is_refused_with_a_clear_message(app, client, city):
    register(client)
    path = verification_link(app).split("localhost", 1)[-1]
    token = db.session.scalar(select(AccountToken))
    token.expires_at = token.expires_at - timedelta(hours=49)
    db.session.commit()
    expired = client.get(path)
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)
    tampered = client.get(path[:-3] + "xyz")
    assert tampered.status_code == 400 and "not valid" in tampered.get_data(as_text=True)
    assert not members_named("dana@springfield.gov")[0].is_verified


def test_linked_domain_approves_at_once_after_verification(app, client, city):
    link_domain(db.session, None, "springfield.gov", city=city)
    db.session.commit()
    register(client)
    client.get(verification_link(app).split("localhost", 1)[-1])
    [member] = members_named("dana@springfield.gov")
    assert member.status == MemberStatus.ACTIVE
    assert outbox(app)[-1]["Subject"] == "Welcome to WWC Community"


def test_domain_of_another_city_does_not_approve(app, client, city):
    other = make_city("Shelbyville", "IN", 40_000)
    link_domain(db.session, None, "springfield.gov", city=other)
    db.session.commit()
    register(client)
    client.get(verification_link(app).split("localhost", 1)[-1])
    assert members_named("dana@springfield.gov")[0].status == MemberStatus.PENDING


def test_taken_address_gets_the_same_answer_and_a_notice_to_its_owner(app, client, city):
    make_member(email="dana@springfield.gov")
    response = register(client, display_name="Somebody Else")
    assert response.status_code == 302 and response.location.endswith("/auth/check-email")
    assert len(members_named("dana@springfield.gov")) == 1
    assert outbox(app)[-1]["Subject"] == "Someone tried to join with your address"


def test_each_problem_gets_its_own_message_and_nothing_is_saved(app, client, city):
    response = register(
        client, email="not-an-address", password="short", display_name="x" * 81, city="Atlantis, ZZ"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an e-mail address like name@city.gov." in page
    assert "Use at most 80 characters." in page
    assert db.session.scalar(select(Member)) is None
    assert outbox(app) == []


def test_weak_and_common_passwords_are_refused(app, client, city):
    short = register(client, password="elevenchars")
    assert "Use at least 12 characters (this one has 11)." in short.get_data(as_text=True)
    common = register(client, password="Password1234")
    assert "attackers try first" in common.get_data(as_text=True)
    assert db.session.scalar(select(Member)) is None


def test_unknown_and_ambiguous_cities_are_explained(app, client, city):
    make_city("Springfield", "MA", 155_929)
    unknown = register(client, city="Atlantis")
    assert "could not find" in unknown.get_data(as_text=True)
    ambiguous = register(client, city="Springfield")
    page = ambiguous.get_data(as_text=True)
    assert "More than one city is called Springfield" in page
    assert "Springfield, MA" in page and "Springfield, IL" in page
    assert db.session.scalar(select(Member)) is None


def test_partner_signs_up_with_an_organisation(app, client, organisation):
    register(
        client,
        email="sam@lab.org",
        affiliation="organisation",
        organisation=organisation.slug,
        city="",
    )
    [member] = members_named("sam@lab.org")
    assert member.organisation_id == organisation.id and member.role == "partner"


def test_pending_member_signs_in_and_sees_only_the_waiting_page(app, client, city):
    make_member(email="wait@springfield.gov", status=MemberStatus.PENDING, city=city)
    response = sign_in(client, "wait@springfield.gov")
    assert response.location.endswith("/account/status")
    assert "Waiting for approval" in client.get("/account/status").get_data(as_text=True)
    blocked = client.get("/admin/members")
    assert blocked.status_code == 302 and "/account/status" in blocked.location


def test_handles_never_take_the_prefix_of_deleted_accounts(app):
    from wwc_community.accounts.services import new_handle

    assert new_handle(db.session, "Former Member") == "member"
    assert new_handle(db.session, "Dana Analyst") == "dana-analyst"
    make_member(display_name="Dana Analyst")
    assert new_handle(db.session, "Dana Analyst") == "dana-analyst-2"
