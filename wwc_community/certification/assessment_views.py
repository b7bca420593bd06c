"""A city's assessment: the overview, one criterion's checklist, notes and evidence,
and sharing."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/cities/<slug>/assessment")
