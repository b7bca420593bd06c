"""WWC Community: a peer-learning platform for the staff of US cities."""

import logging
import os
from pathlib import Path

from flask import Flask

from config import CONFIGS


def create_app(
    config_name: str | None = None, overrides: dict | None = None, instance_path: str | None = None
) -> Flask:
    """Build the application: config, extensions, blueprints, CLI, error pages, hooks."""
    app = Flask(
        __name__,
        instance_path=instance_path or _instance_path(),
        instance_relative_config=True,
        template_folder=str(Path(__file__).parent.parent / "templates"),
        static_folder=str(Path(__file__).parent.parent / "static"),
    )
    configure(app, config_name, overrides)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_error_pages(app)
    register_hooks(app)
    return app


def _instance_path() -> str:
    configured = os.environ.get("WWC_INSTANCE_PATH")
    if configured:
        return str(Path(configured).resolve())
    return str(Path(__file__).parent.parent / "instance")


def configure(app: Flask, config_name: str | None, overrides: dict | None) -> None:
    """Load the config class named by `config_name` (or WWC_CONFIG), then `overrides`."""
    name = config_name or os.environ.get("WWC_CONFIG", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown configuration {name!r}; use one of {', '.join(CONFIGS)}.")
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides or {})
    app.config["WWC_CONFIG_NAME"] = name
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: refusing to start without it.")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'wwc_community.db'}"
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql://"):
        # psycopg 3 is the driver; a plain postgresql:// URL would ask for psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _size_connection_pool(app)
    if not app.debug and not app.testing:
        app.logger.setLevel(logging.INFO)


def _size_connection_pool(app: Flask) -> None:
    """Give each process as many PostgreSQL connections as it has request threads.

    SQLAlchemy's default (5, plus 10 overflow) is too many for 2 threads and too few for
    16; with several workers on several hosts, the total must stay under the server's
    max_connections.
    """
    size = app.config["DATABASE_POOL_SIZE"] or int(os.environ.get("WWC_DB_POOL_SIZE", "5"))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        "pool_size": size,
        "max_overflow": app.config["DATABASE_POOL_OVERFLOW"],
        "pool_timeout": app.config["DATABASE_POOL_TIMEOUT"],
    }


def load_models() -> None:
    """Import every feature's models, so that the metadata (what Alembic compares and
    what the tests build) holds every table, and start writing the search outbox."""
    import wwc_community.accounts.models
    import wwc_community.certification.models
    import wwc_community.core.models
    import wwc_community.directory.models
    import wwc_community.discussions.models
    import wwc_community.events.models
    import wwc_community.library.models
    import wwc_community.notifications.models
    import wwc_community.search.models  # noqa: F401
    from wwc_community.search.outbox import register_outbox_listeners

    register_outbox_listeners()


def register_extensions(app: Flask) -> None:
    """Bind the extensions of extensions.py to this application."""
    from wwc_community.accounts.services import load_member_from_session
    from wwc_community.extensions import csrf, db, limiter, login_manager, migrate

    load_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_member_from_session)


def register_blueprints(app: Flask) -> None:
    """Mount every feature's blueprint."""
    from wwc_community.accounts.views import bp as accounts_bp
    from wwc_community.certification.admin_views import bp as certification_admin_bp
    from wwc_community.certification.assessment_views import bp as assessments_bp
    from wwc_community.certification.cohort_views import bp as certification_cohort_bp
    from wwc_community.certification.dashboard_views import bp as certification_dashboard_bp
    from wwc_community.certification.views import bp as certification_bp
    from wwc_community.core.views import bp as core_bp
    from wwc_community.directory.views import bp as directory_bp
    from wwc_community.discussions.views import bp as discussions_bp
    from wwc_community.events.calendar_views import bp as event_calendars_bp
    from wwc_community.events.views import bp as events_bp
    from wwc_community.library.views import bp as library_bp
    from wwc_community.notifications.views import bp as notifications_bp
    from wwc_community.search.views import bp as search_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(event_calendars_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(discussions_bp)
    app.register_blueprint(library_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(certification_bp)
    app.register_blueprint(certification_admin_bp)
    app.register_blueprint(certification_cohort_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(certification_dashboard_bp)


def register_cli(app: Flask) -> None:
    """Add the `flask` commands of each feature."""
    from wwc_community.accounts.cli import users_cli
    from wwc_community.certification.cli import certification_cli
    from wwc_community.core.cli import seed_demo_command
    from wwc_community.directory.cli import cities_cli
    from wwc_community.events.cli import events_cli
    from wwc_community.notifications.cli import notifications_cli
    from wwc_community.search.cli import search_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(cities_cli)
    app.cli.add_command(events_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(search_cli)
    app.cli.add_command(certification_cli)


def register_error_pages(app: Flask) -> None:
    """Friendly pages for 400 to 500, and domain errors no view caught."""
    from wwc_community.core.errors import register_error_handlers

    register_error_handlers(app)


def register_hooks(app: Flask) -> None:
    """The request log, security headers and the helpers every template uses."""
    from wwc_community.core.request_log import register_request_log
    from wwc_community.core.security import register_input_guard, register_security_headers
    from wwc_community.core.templating import register_template_helpers

    register_request_log(app)
    register_input_guard(app)
    register_security_headers(app)
    register_template_helpers(app)
    if app.config.get("SEARCH_BACKGROUND_INDEXER"):
        from wwc_community.search.indexer import start_background_indexer

        start_background_indexer(app)
