"""Forgot password: an e-mailed link, single use, one hour."""

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import links_in, outbox, post_form, sign_in
from tests.factories import make_member
from wwc_community.accounts.models import AccountToken
from wwc_community.extensions import db

NEW_PASSWORD = "a fresh and long passphrase"
SAME_ANSWER = "If that address has an account"


def reset_path(app) -> str:
    link = next(link for link in links_in(outbox(app)[-1]) if "/auth/reset/" in link)
    return "/auth/reset/" + link.rsplit("/auth/reset/", 1)[1]


def test_known_and_unknown_addresses_get_the_same_answer(app, client, city):
    member = make_member(city=city)
    known = post_form(client, "/auth/reset", {"email": member.email}, follow_redirects=True)
    unknown = post_form(
        client, "/auth/reset", {"email": "nobody@example.gov"}, follow_redirects=True
    )
    assert SAME_ANSWER in known.get_data(as_text=True)
    assert SAME_ANSWER in unknown.get_data(as_text=True)
    [message] = outbox(app)
    assert message["To"] == member.email


def test_reset_link_sets_a_new_password_once_and_ends_sessions(app, client, city):
    member = make_member(city=city)
    other_device = app.test_client()
    sign_in(other_device, member.email)
    post_form(client, "/auth/reset", {"email": member.email})
    path = reset_path(app)
    assert client.get(path).status_code == 200
    response = post_form(client, path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert sign_in(client, member.email, NEW_PASSWORD).status_code == 302
    assert other_device.get("/settings/password").status_code == 302
    used = client.get(path)
    assert used.status_code == 400 and "already been used" in used.get_data(as_text=True)


def test_a_weak_new_password_is_refused_and_the_link_still_works(app, client, city):
    member = make_member(city=city)
    post_form(client, "/auth/reset", {"email": member.email})
    path = reset_path(app)
    response = post_form(client, path, {"password": "tooshort", "confirm": "tooshort"})
    assert response.status_code == 400
    assert "Use at least 12 characters" in response.get_data(as_text=True)
    mismatch = post_form(client, path, {"password": NEW_PASSWORD, "confirm": "something else"})
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_reset_link_expires_after_an_hour(app, client, city):
    member = make_member(city=city)
    post_form(client, "/auth/reset", {"email": member.email})
    token = db.session.scalar(select(AccountToken))
    assert timedelta(minutes=59) < token.expires_at - token.created_at <= timedelta(hours=1)
    token.expires_at -= timedelta(hours=1)
    db.session.commit()
    response = client.get(reset_path(app))
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_links_use_the_configured_site_address_not_the_request_host(app_with):
    app = app_with(SITE_URL="https://community.example.org/")
    member = make_member()
    client = app.test_client()
    client.environ_base["HTTP_HOST"] = "attacker.example"  # a forged Host header
    post_form(client, "/auth/reset", {"email": member.email})
    [link] = [link for link in links_in(outbox(app)[-1]) if "/auth/reset/" in link]
    assert link.startswith("https://community.example.org/auth/reset/")
