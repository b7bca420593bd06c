"""The security baseline: CSRF on every state change, headers, size limits, error pages."""

import pytest
from sqlalchemy import select

from tests.conftest import post_form
from wwc_community.core.database import Base
from wwc_community.core.markup import render_markdown
from wwc_community.core.security import is_local_path
from wwc_community.extensions import db

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# RFC 8058 one-click unsubscribe: mail clients POST without a form token; the signed
# token in the URL is the proof (tests/notifications/test_unsubscribe.py).
CSRF_EXEMPT = {"notifications.unsubscribe"}


def database_snapshot():
    """Every row of every table, to prove a request changed nothing."""
    return {
        table.name: sorted(map(repr, db.session.execute(select(table)).all()))
        for table in Base.metadata.sorted_tables
    }


def url_for_rule(rule, members, city):
    """A URL for the rule, with arguments that point at real objects where it matters."""
    values = {}
    for name, converter in rule._converters.items():
        if type(converter).__name__ == "IntegerConverter":
            values[name] = members["pending"].id
        elif name == "slug":
            values[name] = city.slug
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def test_every_state_change_without_a_csrf_token_is_refused(app, client, members, city, sign_in_as):
    sign_in_as("admin")  # the role that may do the most, so only CSRF can refuse
    before = database_snapshot()
    checked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in CSRF_EXEMPT:
            continue
        for method in sorted(rule.methods & UNSAFE_METHODS):
            url = url_for_rule(rule, members, city)
            response = client.open(
                url,
                method=method,
                data={"reason": "x", "role": "admin", "email": members["admin"].email},
            )
            assert response.status_code == 400, f"{method} {url}: {response.status_code}"
            assert "The form expired" in response.get_data(as_text=True)
            checked.append(f"{method} {url}")
    assert len(checked) >= 10
    assert database_snapshot() == before


def test_no_state_change_over_get(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            assert not rule.endpoint.endswith(
                ("approve_member", "decline_member", "logout", "suspend_member", "assign_role")
            ), rule


@pytest.mark.parametrize("path", ["/", "/auth/login", "/cities", "/no-such-page", "/healthz"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_is_httponly_and_samesite(client, members):
    response = post_form(
        client,
        "/auth/login",
        {"email": members["practitioner"].email, "password": "correct horse staples 42"},
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_a_secret_key_is_required(monkeypatch, tmp_path):
    from wwc_community import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"SECRET_KEY": None}, instance_path=str(tmp_path))
    app = create_app(
        "production",
        {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"},
        instance_path=str(tmp_path),
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_a_body_over_the_limit_gets_413_and_a_friendly_page(client):
    response = client.post("/auth/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than this site accepts" in response.get_data(as_text=True)


def test_friendly_error_pages(client):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404 and "Page not found" in missing.get_data(as_text=True)
    wrong_method = client.get("/auth/logout")
    assert wrong_method.status_code == 405
    assert "POST" in wrong_method.headers["Allow"]


def test_malformed_form_posts_get_a_clear_answer(client, city):
    response = post_form(client, "/auth/register", {"affiliation": "spaceship", "email": "\x01@@"})
    assert response.status_code == 400
    assert "There are problems with what you entered" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "local"),
    [
        ("/cities?state=TX", True),
        ("/", True),
        (None, False),
        ("", False),
        ("//evil.example", False),
        ("https://evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("/\tfoo", False),
        ("cities", False),
    ],
)
def test_next_targets_must_be_local_paths(target, local):
    assert is_local_path(target) is local


def test_markdown_is_sanitised():
    html = str(
        render_markdown(
            "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) "
            "<img src=x onerror=alert(1)> <svg><circle/></svg> <iframe src=//x></iframe> "
            "[ok](https://example.gov) <style>p{}</style> <textarea>t</textarea>"
        )
    )
    assert "<strong>Bold</strong>" in html
    for forbidden in (
        "<script",
        "javascript:",
        "onerror",
        "<img",
        "<svg",
        "<iframe",
        "<style",
        "<textarea",
    ):
        assert forbidden not in html
    assert '<a href="https://example.gov" rel="nofollow noopener">ok</a>' in html


def test_an_unexpected_error_shows_a_friendly_page_and_rolls_back(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    with app.app_context():
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/cities?q=a%00b", "/cities/x%00", "/auth/login?next=%00"])
def test_a_nul_character_in_the_address_gets_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "not allowed" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_changes_nothing(client, city):
    before = database_snapshot()
    response = post_form(
        client,
        "/auth/register",
        {
            "email": "dana@springfield.gov",
            "display_name": "Da\x00na",
            "password": "correct horse staples 42",
            "job_title": "Analyst",
            "affiliation": "city",
            "city": "Springfield, IL",
        },
    )
    assert response.status_code == 400
    assert "not allowed" in response.get_data(as_text=True)
    assert database_snapshot() == before


def test_a_constraint_race_gets_a_409_and_saves_nothing(app_with):
    from wwc_community.accounts.models import Member

    app = app_with()

    @app.post("/race")
    def race():
        # Two saves that both passed the service's uniqueness check.
        for _ in range(2):
            db.session.add(
                Member(
                    email="same@example.gov", handle=f"h{_}", display_name="x", password_hash="x"
                )
            )
        db.session.commit()

    response = post_form(app.test_client(), "/race")
    assert response.status_code == 409
    assert "at the same moment" in response.get_data(as_text=True)
    assert db.session.scalar(select(Member)) is None
