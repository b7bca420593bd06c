"""Signing in and out, sessions that end everywhere, throttling and safe redirects."""

from argon2 import PasswordHasher

from tests.conftest import csrf_token, post_form, sign_in
from tests.factories import PASSWORD, make_member
from wwc_community.accounts.models import MemberStatus
from wwc_community.extensions import db

WRONG = "That e-mail address and password do not match an account."


def copy_session(app, source):
    """A second client carrying a copy of `source`'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = source.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def test_member_signs_in_and_sees_their_name(client, city):
    member = make_member(city=city, display_name="Dana Analyst")
    response = sign_in(client, member.email)
    assert response.status_code == 302
    assert "Dana Analyst" in client.get("/").get_data(as_text=True)
    assert member.last_signed_in_at is not None


def test_wrong_password_and_unknown_address_get_the_same_answer(client, city):
    member = make_member(city=city)
    wrong_password = sign_in(client, member.email, "not the right password")
    unknown = sign_in(client, "nobody@example.gov")
    assert wrong_password.status_code == unknown.status_code == 400
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)


def test_suspended_and_declined_members_cannot_sign_in(client, city):
    for status in (MemberStatus.SUSPENDED, MemberStatus.DECLINED):
        member = make_member(status=status, city=city)
        response = sign_in(client, member.email)
        assert response.status_code == 400
        assert "/auth/login" not in response.headers.get("Location", "")
        assert client.get("/settings/password").status_code == 302


def test_sign_out_ends_every_session_of_the_member(app, client, city):
    member = make_member(city=city)
    sign_in(client, member.email)
    stolen = copy_session(app, client)
    assert stolen.get("/settings/password").status_code == 200
    post_form(client, "/auth/logout")
    assert stolen.get("/settings/password").status_code == 302
    assert client.get("/settings/password").status_code == 302


def test_password_change_keeps_this_session_and_ends_the_others(app, client, city):
    member = make_member(city=city)
    sign_in(client, member.email)
    other_device = copy_session(app, client)
    response = post_form(
        client,
        "/settings/password",
        {
            "current_password": PASSWORD,
            "password": "a brand new passphrase 7",
            "confirm": "a brand new passphrase 7",
        },
    )
    assert response.status_code == 302
    assert client.get("/settings/password").status_code == 200
    assert other_device.get("/settings/password").status_code == 302
    post_form(client, "/auth/logout")
    assert sign_in(client, member.email, "a brand new passphrase 7").status_code == 302


def test_password_change_with_wrong_current_password_changes_nothing(client, city):
    member = make_member(city=city)
    sign_in(client, member.email)
    before = member.password_hash
    response = post_form(
        client,
        "/settings/password",
        {
            "current_password": "wrong wrong wrong",
            "password": "a brand new passphrase 7",
            "confirm": "a brand new passphrase 7",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right." in response.get_data(as_text=True)
    assert member.password_hash == before


def test_next_is_followed_only_to_local_paths(client, city):
    member = make_member(city=city)
    token = csrf_token(client)
    data = {"csrf_token": token, "email": member.email, "password": PASSWORD}
    response = client.post("/auth/login?next=//evil.example/x", data=data)
    assert response.location == "/"
    post_form(client, "/auth/logout")
    data["csrf_token"] = csrf_token(client)
    response = client.post("/auth/login?next=/cities?state=TX", data=data)
    assert response.location == "/cities?state=TX"


def test_old_password_hashes_are_upgraded_at_sign_in(app, client, city):
    member = make_member(city=city)
    member.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(
        PASSWORD
    )
    db.session.commit()
    old_hash = member.password_hash
    assert sign_in(client, member.email).status_code == 302
    assert member.password_hash != old_hash
    assert "m=1024" in member.password_hash and "argon2id" in member.password_hash


def test_sign_in_is_throttled_per_account(app_with):
    app = app_with(
        RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
        LOGIN_LIMIT_PER_IP="100 per minute",
    )
    member = make_member()
    client = app.test_client()
    statuses = [sign_in(client, member.email, "wrong guess number").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    # The right password is refused too while the account is throttled...
    assert sign_in(client, member.email).status_code == 429
    # ...but another account from the same address is not.
    other = make_member()
    assert sign_in(client, other.email).status_code == 302


def test_sign_in_and_sign_up_are_throttled_per_address(app_with):
    app = app_with(
        RATELIMIT_ENABLED=True,
        LOGIN_LIMIT_PER_IP="2 per minute",
        REGISTER_LIMIT_PER_IP="2 per minute",
    )
    client = app.test_client()
    logins = [sign_in(client, f"someone{n}@example.gov").status_code for n in range(3)]
    assert logins == [400, 400, 429]
    signups = [post_form(client, "/auth/register", {}).status_code for _ in range(3)]
    assert signups == [400, 400, 429]
    page = post_form(client, "/auth/register", {}).get_data(as_text=True)
    assert "Too many attempts" in page
