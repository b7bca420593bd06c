"""A city's certification dashboard: progress by area and over time, and the gaps with
the practices, threads, events and peers that help close them."""

from flask import Blueprint, render_template
from flask_login import current_user

from wwc_community.accounts.access import member_required
from wwc_community.certification import dashboard as dashboards
from wwc_community.extensions import db

bp = Blueprint("certification_dashboard", __name__, url_prefix="/cities/<slug>/assessment")


@bp.get("/dashboard")
@member_required
def dashboard(slug: str):
    """The city's progress by practice area and over time, and its open gaps."""
    board = dashboards.dashboard_of(db.session, current_user, slug)
    return render_template(
        "certification/dashboard.html",
        board=board,
        city=board.city,
        framework=board.framework,
        score=board.score,
        area_chart=dashboards.area_chart(board),
        history_chart=dashboards.history_chart(board),
    )
