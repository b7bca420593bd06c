"""Coordinators' cohort view, its CSV export, and the program insights page."""

from flask import Blueprint

bp = Blueprint("certification_cohort", __name__, url_prefix="/certification")
