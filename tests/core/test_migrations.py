"""The Alembic revisions build the schema from nothing, and agree with the models."""

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from wwc_community import create_app
from wwc_community.core.database import Base
from wwc_community.extensions import db


def fresh_database_url(tmp_path, worker_id) -> str:
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    url = url.set(database=f"{url.database}_migrations_{worker_id}")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return url.render_as_string(hide_password=False)


def test_upgrade_from_nothing_matches_the_models_and_downgrades_cleanly(tmp_path, worker_id):
    url = fresh_database_url(tmp_path, worker_id)
    app = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path / "instance")
    )
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()
