"""Admins' pages for framework versions: load a file, activate, retire, export."""

from flask import Blueprint

bp = Blueprint("certification_admin", __name__, url_prefix="/certification/frameworks")
