"""Settings a deployment depends on: trusted proxies and the PostgreSQL pool's size."""

from tests.conftest import sign_in
from wwc_community import create_app
from wwc_community.extensions import db


def _sign_in_from(app, address: str, attempt: int) -> int:
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return sign_in(client, f"someone{attempt}@example.gov").status_code


def test_behind_a_trusted_proxy_each_client_address_has_its_own_sign_in_limit(app_with):
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_IP="2 per minute", PROXY_COUNT=1)
    first = [_sign_in_from(app, "203.0.113.5", n) for n in range(3)]
    assert first == [400, 400, 429]
    # Another resident's address behind the same balancer is not throttled with them.
    assert _sign_in_from(app, "198.51.100.7", 9) == 400


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(app_with):
    app = app_with(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_IP="2 per minute", PROXY_COUNT=0)
    statuses = [_sign_in_from(app, f"203.0.113.{n}", n) for n in range(3)]
    # A client cannot dodge the limit by making up a new X-Forwarded-For each time.
    assert statuses == [400, 400, 429]


def test_each_process_keeps_as_many_postgresql_connections_as_gunicorn_gives_it_threads(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("WWC_DB_POOL_SIZE", "3")
    app = create_app(
        "production",
        {
            "SECRET_KEY": "pool-test",
            "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none",
        },
        instance_path=str(tmp_path),
    )
    with app.app_context():  # no connection is opened: the pool is only configured
        assert db.engine.pool.size() == 3
        assert db.engine.pool._max_overflow == app.config["DATABASE_POOL_OVERFLOW"] == 2
