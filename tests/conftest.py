"""Fixtures: a fresh database per test (SQLite, or PostgreSQL from TEST_DATABASE_URL),
the app and its client, members in every role, and helpers for forms and mail."""

import os
import re
from contextlib import ExitStack
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, make_url, text

from tests.factories import PASSWORD, make_city, make_member, make_organisation
from wwc_community import create_app, load_models
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.core.database import Base
from wwc_community.extensions import db

ROLES = ("visitor", "pending", "practitioner", "partner", "coordinator", "admin", "suspended")
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """One database per test worker, with the schema built once."""
    load_models()
    url = empty_database_url(f"test_{worker_id}", tmp_path_factory.mktemp("database"))
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    if os.environ.get("TEST_DATABASE_URL"):
        drop_postgres_database(url)


def _postgres_maintenance(url):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def empty_database_url(suffix: str, folder) -> str:
    """A new, empty database: on the TEST_DATABASE_URL server if set, else a SQLite file."""
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        return f"sqlite:///{folder / (suffix + '.db')}"
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    url = url.set(database=f"{url.database}_{suffix}")
    drop_postgres_database(url)
    admin = _postgres_maintenance(url)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def drop_postgres_database(url) -> None:
    admin = _postgres_maintenance(url)
    with admin.connect() as connection:
        name = make_url(url).database
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_all_tables() -> None:
    """Start a test from empty tables (faster than rebuilding the schema)."""
    tables = list(reversed(Base.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


class RequestInOwnContextClient(FlaskClient):
    """A test client whose every request runs in an app context of its own.

    The test itself holds an app context for factories and assertions; without
    this, requests would share its `g` and database session and see cached state
    (the signed-in member, the CSRF token) that a real request never would.
    """

    def open(self, *args, **kwargs):
        # End the test's transaction first: its changes become visible to the request,
        # it holds no SQLite lock the request would wait for, and every object it
        # loaded is expired, so it re-reads what the request changed.
        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the whole test run. Every test builds a new app, and
    each app's Jinja environment would otherwise parse and compile every template it
    renders again; the key holds the template's checksum, so an edited one recompiles."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _SharedBytecodeCache()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the test database; extra settings may be passed."""
    apps = []

    def build(**overrides):
        settings = {"SQLALCHEMY_DATABASE_URI": database_url}
        settings.update(overrides)
        instance = tmp_path / f"instance{len(apps)}"
        app = create_app("testing", settings, instance_path=str(instance))
        app.jinja_env.bytecode_cache = TEMPLATE_CACHE
        app.test_client_class = RequestInOwnContextClient
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app_with(make_app):
    """Build an app with extra settings, push its context and empty its tables."""
    with ExitStack() as contexts:

        def build(**overrides):
            app = make_app(**overrides)
            contexts.enter_context(app.app_context())
            empty_all_tables()
            return app

        yield build
        db.session.remove()


@pytest.fixture
def app(app_with):
    return app_with()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def city(app):
    return make_city("Springfield", "IL", 114_394)


@pytest.fixture
def organisation(app):
    return make_organisation("Civic Evidence Lab")


@pytest.fixture
def members(app, city, organisation):
    """One member in each signed-in role the authorization matrix knows."""
    return {
        "pending": make_member(
            Role.PRACTITIONER, MemberStatus.PENDING, city=city, email="pending@example.gov"
        ),
        "practitioner": make_member(Role.PRACTITIONER, city=city, email="practitioner@example.gov"),
        "partner": make_member(
            Role.PARTNER, organisation=organisation, email="partner@example.org"
        ),
        "coordinator": make_member(Role.COORDINATOR, email="coordinator@example.org"),
        "admin": make_member(Role.ADMIN, email="admin@example.org"),
        "suspended": make_member(
            Role.PRACTITIONER, MemberStatus.SUSPENDED, city=city, email="suspended@example.gov"
        ),
    }


# Helpers for forms, sign-in and mail ----------------------------------------------------


def csrf_token(client) -> str:
    """A valid CSRF token for this client's session, read from a page's form."""
    for path in ("/auth/login", "/auth/reset"):
        response = client.get(path)
        match = CSRF_PATTERN.search(response.get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no page offered a CSRF token")


def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST a form the way a browser does: with the session's CSRF token."""
    payload = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(path, data=payload, **kwargs)


def sign_in(client, email: str, password: str = PASSWORD):
    """Sign in through the real form; return the response."""
    return post_form(client, "/auth/login", {"email": email, "password": password})


@pytest.fixture
def sign_in_as(client, members):
    """Sign the test client in as one of the role fixtures (visitor: stay signed out)."""

    def sign_in_role(role: str):
        if role == "visitor":
            return client
        if role == "suspended":
            # Suspended members cannot sign in: sign in first, then suspend, as happens
            # to a member who is signed in when a coordinator acts.
            member = members[role]
            member.status = MemberStatus.ACTIVE
            db.session.commit()
            sign_in(client, member.email)
            member.status = MemberStatus.SUSPENDED
            db.session.commit()
            return client
        response = sign_in(client, members[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in_role


def outbox(app) -> list[EmailMessage]:
    """Messages written to the instance outbox, oldest first."""
    folder = Path(app.instance_path) / "outbox"
    if not folder.is_dir():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def links_in(message: EmailMessage) -> list[str]:
    """Every link in a message's text."""
    return re.findall(r"https?://\S+", message.get_content())


__all__ = ["PASSWORD", "ROLES", "csrf_token", "links_in", "outbox", "post_form", "sign_in"]
