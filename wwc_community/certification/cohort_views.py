"""Coordinators' cohort view, its CSV export, and the program insights page."""

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from wwc_community.accounts.access import role_required
from wwc_community.accounts.models import Role
from wwc_community.certification import cohort as cohorts
from wwc_community.certification import insights as program
from wwc_community.certification.frameworks import active_framework
from wwc_community.core.errors import NotFound
from wwc_community.core.pagination import parse_page_number
from wwc_community.extensions import db

bp = Blueprint("certification_cohort", __name__, url_prefix="/certification")


@bp.get("/cohort")
@role_required(Role.COORDINATOR)
def cohort():
    """Every city assessing itself against the active framework: score, level and
    progress per practice area; the criteria most often unmet; the levels reached."""
    cohorts.require_coordinator(current_user)
    framework = active_framework(db.session)
    listed = None
    if framework is not None:
        listed = cohorts.cohort(
            db.session,
            current_user,
            framework,
            request.args.get("sort"),
            parse_page_number(request.args.get("page")),
        )
    return render_template(
        "certification/cohort.html",
        framework=framework,
        cohort=listed,
        sorts=cohorts.SORTS,
    )


@bp.get("/cohort.csv")
@role_required(Role.COORDINATOR)
def cohort_csv():
    """The whole cohort as a CSV file for a spreadsheet."""
    cohorts.require_coordinator(current_user)
    framework = active_framework(db.session)
    if framework is None:
        raise NotFound("No certification framework is active, so there is no cohort yet.")
    text = cohorts.cohort_csv(db.session, current_user, framework)
    return Response(
        text,
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="certification-cohort-{framework.version}.csv"'
            )
        },
    )


@bp.get("/insights")
@role_required(Role.COORDINATOR)
def insights():
    """Program insights: new members, questions answered within 48 hours, and event
    attendance, month by month over the last year, each as a chart and a table."""
    return render_template(
        "certification/insights.html",
        insights=program.program_insights(db.session, current_user),
    )
