"""Site-wide pages: home, about, health check, and the audit trail for admins."""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select, text
from sqlalchemy.orm import joinedload

from wwc_community.accounts.access import role_required
from wwc_community.accounts.models import Role
from wwc_community.core.health import index_state
from wwc_community.core.models import AuditEntry
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.extensions import csrf, db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    """Say what the community is, invite visitors to join, and show the next events."""
    from flask_login import current_user

    from wwc_community.events.listing import upcoming_events

    viewer = current_user if current_user.is_authenticated else None
    return render_template(
        "core/home.html", next_events=upcoming_events(db.session, viewer, limit=3)
    )


@bp.get("/about")
def about():
    """What the platform is for, who runs it, and the data it credits."""
    return render_template("core/about.html")


@bp.get("/healthz")
@csrf.exempt
def healthz():
    """Report the database and index state as JSON for load balancers and operators."""
    database = {"status": "ok", "backend": db.engine.dialect.name}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "down", reported, not raised
        current_app.logger.exception("Health check: database unreachable")
        database = {
            "status": "error",
            "backend": db.engine.dialect.name,
            "error": type(error).__name__,
        }
    index = index_state(current_app)
    healthy = database["status"] == "ok"
    return {
        "status": "ok" if healthy else "error",
        "database": database,
        "index": index,
    }, 200 if healthy else 503


@bp.get("/admin/audit")
@role_required(Role.ADMIN)
def audit_trail():
    """Every administrative action, newest first."""
    page = paginate(
        db.session,
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()),
        parse_page_number(request.args.get("page")),
        50,
    )
    return render_template("core/audit.html", page=page)
