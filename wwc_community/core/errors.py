"""Domain errors that services raise, and the friendly pages for HTTP errors."""

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A refusal by a service; the message is written for the member who sees it."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """The input breaks a rule of the domain (a taken e-mail, an unknown city)."""

    status_code = 400


class NotPermitted(DomainError):
    """The acting member may not do this."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist, or the acting member may not know it does."""

    status_code = 404


class Conflict(DomainError):
    """The object changed state and the action no longer applies."""

    status_code = 409


ERROR_PAGES = {
    400: (
        "Bad request",
        "The request could not be understood. Go back, check the form and try again.",
    ),
    403: ("Not allowed", "Your account does not give you access to this page."),
    404: ("Page not found", "There is no page at this address. It may have moved or been removed."),
    405: ("Method not allowed", "This page cannot be used that way."),
    409: (
        "Already changed",
        "Someone changed this in the meantime. Reload the page and try again.",
    ),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many attempts", "You have tried this too often. Wait a few minutes and try again."),
    500: ("Something went wrong", "The error has been logged. Try again in a moment."),
}


def render_error(status: int, message: str | None = None, back_url: str | None = None):
    """Render the friendly page for an HTTP status (with a link back to `back_url`, a
    local path, when given)."""
    title, default_message = ERROR_PAGES.get(status, ERROR_PAGES[500])
    if request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json":
        return {"error": title, "message": message or default_message}, status
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=title,
            message=message or default_message,
            back_url=back_url,
        ),
        status,
    )


def _too_large_message(app: Flask) -> str:
    """Say what the limit is when the request was an upload (a multipart form)."""
    if request.mimetype != "multipart/form-data":
        return ERROR_PAGES[413][1]
    limit = app.config.get("LIBRARY_MAX_UPLOAD_BYTES", 0)
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"
    return (
        f"What you sent is larger than this site accepts: files up to {size} can be "
        "attached. Go back and choose a smaller file, or link to it instead."
    )


def _referring_page() -> str | None:
    """The page on this site the request came from, for a "go back" link."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def register_error_handlers(app: Flask) -> None:
    """Show a friendly page for every HTTP error and for domain errors a view did not catch."""

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error):
        return render_error(
            400, "The form expired or was not sent from this site. Reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def handle_http_error(error):
        if error.code is None or error.code < 400:
            return error
        if error.code == 413:
            return render_error(413, _too_large_message(app), _referring_page())
        response = render_error(error.code if error.code in ERROR_PAGES else 500)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            body, status = response
            return body, status, {"Allow": ", ".join(error.valid_methods)}
        if error.code == 429:
            body, status = response
            headers = {}
            retry_after = getattr(error, "retry_after", None)
            if retry_after:
                headers["Retry-After"] = str(retry_after)
            return body, status, headers
        return response

    @app.errorhandler(DomainError)
    def handle_domain_error(error):
        return render_error(error.status_code, error.message)

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(error):
        # Services check uniqueness first; this is the race where two requests passed
        # that check at the same moment and the schema refused the second.
        from wwc_community.extensions import db

        db.session.rollback()
        app.logger.warning("Refused by a database constraint: %s", error.orig)
        return render_error(
            409,
            "Someone else saved the same thing at the same moment. "
            "Nothing of yours was saved: reload the page and try again.",
        )

    @app.errorhandler(500)
    def handle_server_error(error):
        from wwc_community.extensions import db

        db.session.rollback()
        return render_error(500)
