"""The Alembic revisions build the schema from nothing, and agree with the models."""

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.conftest import drop_postgres_database, empty_database_url
from wwc_community import create_app
from wwc_community.core.database import Base
from wwc_community.extensions import db


def test_upgrade_from_nothing_matches_the_models_and_downgrades_cleanly(tmp_path, worker_id):
    url = empty_database_url(f"migrations_{worker_id}", tmp_path)
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
    if os.environ.get("TEST_DATABASE_URL"):
        drop_postgres_database(url)
