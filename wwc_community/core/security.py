"""Security headers on every response, and the rule for `next=` redirects."""

from urllib.parse import urlsplit

from flask import Flask, request

from wwc_community.core.errors import render_error

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def is_local_path(target: str | None) -> bool:
    """True when `target` is a path on this site, so redirecting there cannot leave it."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def register_input_guard(app: Flask) -> None:
    """Refuse a NUL character anywhere in a request with a clear 400.

    No one types one; PostgreSQL rejects it in text and would turn it into a 500.
    """

    @app.before_request
    def refuse_nul_characters():
        if (
            "\x00" in request.path
            or _has_nul(request.args.values())
            or (request.method not in ("GET", "HEAD") and _has_nul(request.form.values()))
        ):
            return render_error(
                400,
                "What you sent contains a character that is not allowed "
                "(a NUL). Remove it and try again.",
            )


def register_security_headers(app: Flask) -> None:
    """Add the baseline headers of DESIGN.md to every response."""

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A CSV cell's text, with a leading apostrophe when a spreadsheet would run it as a
    formula (what a member typed is never executed by whoever opens the export)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
