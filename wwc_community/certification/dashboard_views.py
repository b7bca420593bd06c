"""A city's certification dashboard: progress by area and over time, and the gaps with
the practices, threads, events and peers that help close them."""

from flask import Blueprint

bp = Blueprint("certification_dashboard", __name__, url_prefix="/cities/<slug>/assessment")
