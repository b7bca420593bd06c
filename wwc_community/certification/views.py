"""The benchmark's public face for members: the framework, a criterion's page with
everything tagged with it, and asking a peer who met it."""

from flask import Blueprint

bp = Blueprint("certification", __name__, url_prefix="/certification")
