"""The approval queue, suspension and roles, and the audit trail they leave."""

from sqlalchemy import select

from tests.conftest import outbox, post_form, sign_in
from tests.factories import make_member
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.core.models import AuditEntry
from wwc_community.extensions import db


def audit_actions():
    return [
        entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def test_queue_lists_verified_pending_members_only(client, members, sign_in_as, city):
    unverified = make_member(
        status=MemberStatus.PENDING, verified=False, city=city, display_name="Not Yet Confirmed"
    )
    sign_in_as("coordinator")
    page = client.get("/admin/members").get_data(as_text=True)
    assert members["pending"].display_name in page
    assert unverified.display_name not in page
    assert members["practitioner"].display_name not in page
    unconfirmed = client.get("/admin/members?status=unverified").get_data(as_text=True)
    assert unverified.display_name in unconfirmed


def test_coordinator_approves_and_the_member_is_told(app, client, members, sign_in_as):
    sign_in_as("coordinator")
    pending = members["pending"]
    response = post_form(client, f"/admin/members/{pending.id}/approve")
    assert response.status_code == 303
    assert pending.status == MemberStatus.ACTIVE
    assert pending.decided_by_id == members["coordinator"].id
    message = outbox(app)[-1]
    assert message["To"] == pending.email and message["Subject"] == "Welcome to WWC Community"
    assert "member.approve" in audit_actions()


def test_approving_twice_says_so_and_sends_nothing_more(app, client, members, sign_in_as):
    sign_in_as("coordinator")
    pending = members["pending"]
    post_form(client, f"/admin/members/{pending.id}/approve")
    again = post_form(client, f"/admin/members/{pending.id}/approve", follow_redirects=True)
    assert "is not waiting for approval" in again.get_data(as_text=True)
    assert len(outbox(app)) == 1


def test_unconfirmed_address_cannot_be_approved(client, members, sign_in_as, city):
    unverified = make_member(status=MemberStatus.PENDING, verified=False, city=city)
    sign_in_as("coordinator")
    response = post_form(client, f"/admin/members/{unverified.id}/approve", follow_redirects=True)
    assert "has not confirmed their e-mail address" in response.get_data(as_text=True)
    assert unverified.status == MemberStatus.PENDING


def test_decline_sends_the_reason(app, client, members, sign_in_as):
    sign_in_as("coordinator")
    pending = members["pending"]
    post_form(
        client,
        f"/admin/members/{pending.id}/decline",
        {"reason": "Please sign up with your city address."},
    )
    assert pending.status == MemberStatus.DECLINED
    message = outbox(app)[-1]
    assert "Please sign up with your city address." in message.get_content()


def test_overlong_decline_reason_is_refused_and_nothing_changes(app, client, members, sign_in_as):
    sign_in_as("coordinator")
    pending = members["pending"]
    response = post_form(
        client,
        f"/admin/members/{pending.id}/decline",
        {"reason": "x" * 1001},
        follow_redirects=True,
    )
    assert "Use at most 1,000 characters." in response.get_data(as_text=True)
    assert pending.status == MemberStatus.PENDING
    assert outbox(app) == []


def test_suspension_signs_the_member_out_at_once(app, client, members, sign_in_as):
    practitioner = members["practitioner"]
    their_browser = app.test_client()
    sign_in(their_browser, practitioner.email)
    assert their_browser.get("/settings/password").status_code == 200
    sign_in_as("coordinator")
    post_form(client, f"/admin/members/{practitioner.id}/suspend", {"reason": "Spam"})
    assert practitioner.status == MemberStatus.SUSPENDED
    assert their_browser.get("/settings/password").status_code == 302
    post_form(client, f"/admin/members/{practitioner.id}/reinstate")
    assert practitioner.status == MemberStatus.ACTIVE
    assert audit_actions()[-2:] == ["member.suspend", "member.reinstate"]


def test_coordinator_cannot_suspend_an_admin_but_an_admin_can_suspend_a_coordinator(
    client, members, sign_in_as
):
    sign_in_as("coordinator")
    response = post_form(
        client, f"/admin/members/{members['admin'].id}/suspend", follow_redirects=True
    )
    assert "Only an admin can do this" in response.get_data(as_text=True)
    assert members["admin"].status == MemberStatus.ACTIVE
    post_form(client, "/auth/logout")
    sign_in_as("admin")
    post_form(client, f"/admin/members/{members['coordinator'].id}/suspend")
    assert members["coordinator"].status == MemberStatus.SUSPENDED


def test_only_admins_assign_roles_and_never_their_own(client, members, sign_in_as):
    sign_in_as("admin")
    practitioner = members["practitioner"]
    post_form(client, f"/admin/members/{practitioner.id}/role", {"role": "coordinator"})
    assert practitioner.role == Role.COORDINATOR
    own = post_form(
        client,
        f"/admin/members/{members['admin'].id}/role",
        {"role": "practitioner"},
        follow_redirects=True,
    )
    assert "You cannot change your own role." in own.get_data(as_text=True)
    bogus = post_form(
        client, f"/admin/members/{practitioner.id}/role", {"role": "emperor"}, follow_redirects=True
    )
    assert bogus.status_code == 200 and "Not a valid choice" in bogus.get_data(as_text=True)
    assert practitioner.role == Role.COORDINATOR


def test_admin_sees_every_action_in_the_audit_trail(client, members, sign_in_as):
    sign_in_as("admin")
    post_form(client, f"/admin/members/{members['pending'].id}/approve")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f"Approved {members['pending'].email}" in page
    assert members["admin"].display_name in page


def test_search_finds_members_by_name_or_address(client, members, sign_in_as):
    sign_in_as("coordinator")
    page = client.get("/admin/members?status=all&q=partner@").get_data(as_text=True)
    assert members["partner"].email in page
    assert members["practitioner"].email not in page
    empty = client.get("/admin/members?status=all&q=zzzz").get_data(as_text=True)
    assert "No members match" in empty
    unknown_member = client.get("/admin/members/999999")
    assert unknown_member.status_code == 404


def test_member_list_filters_by_role_city_and_organisation(
    client, members, sign_in_as, city, organisation
):
    from tests.factories import make_city

    other_city = make_city("Tulsa", "OK", 413_066)
    elsewhere = make_member(city=other_city, display_name="Tulsa Analyst")
    sign_in_as("coordinator")
    by_city = client.get("/admin/members?status=active&city=Tulsa, OK").get_data(as_text=True)
    assert "Tulsa Analyst" in by_city and members["practitioner"].display_name not in by_city
    by_org = client.get(f"/admin/members?status=all&organisation={organisation.slug}")
    assert members["partner"].display_name in by_org.get_data(as_text=True)
    assert elsewhere.display_name not in by_org.get_data(as_text=True)
    by_role = client.get("/admin/members?status=all&role=coordinator").get_data(as_text=True)
    assert members["coordinator"].display_name in by_role
    assert members["practitioner"].display_name not in by_role


def test_unknown_filters_get_a_clear_400(client, members, sign_in_as):
    sign_in_as("coordinator")
    for path, message in [
        ("/admin/members?status=bogus", "no member status"),
        ("/admin/members?role=emperor", "no role"),
        ("/admin/members?city=Atlantis, ZZ", "could not find"),
        ("/admin/members?organisation=nowhere", "no partner organisation"),
    ]:
        response = client.get(path)
        assert response.status_code == 400, path
        assert message in response.get_data(as_text=True), path


def test_csv_export_of_the_directory(client, members, sign_in_as, city):
    import csv
    import io

    tricky = make_member(city=city, display_name="=HYPERLINK(1)")
    sign_in_as("coordinator")
    response = client.get(f"/admin/members/export.csv?status=active&city={city.label}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Name", "Handle", "E-mail"]
    names = {row[0] for row in rows[1:]}
    assert members["practitioner"].display_name in names
    assert "'=HYPERLINK(1)" in names and tricky.display_name not in names
    assert members["partner"].display_name not in names  # not in this city
    assert members["pending"].display_name not in names  # not active
