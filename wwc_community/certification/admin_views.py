"""Admins' pages for framework versions: the list, loading a file (all of it or
nothing), activating, retiring, and downloading a version as YAML."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from wwc_community.accounts.access import role_required
from wwc_community.accounts.models import Role
from wwc_community.certification import frameworks
from wwc_community.certification.admin_forms import FrameworkUploadForm
from wwc_community.certification.frameworks import FrameworkFileInvalid
from wwc_community.core.errors import DomainError
from wwc_community.extensions import db

bp = Blueprint("certification_admin", __name__, url_prefix="/certification/frameworks")

# Room for the multipart envelope and the CSRF token around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024


@bp.url_value_preprocessor
def _allow_framework_files(endpoint: str | None, values: dict | None) -> None:
    """Let the upload's request body hold a file of up to FILE_MAX_BYTES (the app's
    MAX_CONTENT_LENGTH is for forms). URL value preprocessors run before the CSRF check
    reads the body."""
    if endpoint == "certification_admin.load_framework":
        request.max_content_length = frameworks.FILE_MAX_BYTES + FORM_OVERHEAD_BYTES


def _size_in_words() -> str:
    return f"{frameworks.FILE_MAX_BYTES // (1024 * 1024)} MB"


def _page(form: FrameworkUploadForm, problems: list[str] | None = None, status: int = 200):
    frameworks.require_admin(current_user)
    return render_template(
        "certification/frameworks.html",
        versions=frameworks.frameworks(db.session),
        form=form,
        problems=problems or [],
        size_limit=_size_in_words(),
    ), status


@bp.get("", endpoint="frameworks")
@role_required(Role.ADMIN)
def framework_versions():
    """Every framework version with its buttons, and the form that loads a new one."""
    return _page(FrameworkUploadForm())


def _read_upload(upload) -> str:
    """The uploaded file's text, refused when too large or not UTF-8."""
    data = upload.stream.read(frameworks.FILE_MAX_BYTES + 1)
    if len(data) > frameworks.FILE_MAX_BYTES:
        raise FrameworkFileInvalid([f"the file is larger than {_size_in_words()}"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkFileInvalid(
            ["the file is not UTF-8 text (save it as UTF-8 and try again)"]
        ) from None


@bp.post("/load")
@role_required(Role.ADMIN)
def load_framework():
    """Load a framework file as a draft version; a bad file is listed with every
    problem (400) and nothing is saved."""
    form = FrameworkUploadForm()
    if not form.validate_on_submit():
        db.session.rollback()
        return _page(form, status=400)
    upload = form.file.data
    filename = upload.filename or ""
    try:
        text = _read_upload(upload)
        framework = frameworks.load_framework_text(db.session, current_user, text, filename)
    except FrameworkFileInvalid as error:
        db.session.rollback()
        return _page(form, error.problems, 400)
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        return _page(form, [error.message], error.status_code)
    version = framework.version
    db.session.commit()
    flash(f"Version {version} is loaded as a draft. Check it, then activate it.", "success")
    return redirect(url_for("certification_admin.frameworks"), 303)


def _change(version: str, change, message: str):
    """Run an admin's button on a version, commit once, and go back to the list."""
    framework = frameworks.framework_by_version(db.session, version)
    try:
        change(framework)
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("certification_admin.frameworks"), 303)


@bp.post("/<version>/activate")
@role_required(Role.ADMIN)
def activate_framework(version: str):
    """Make a draft the version cities assess against; the active one is retired."""

    def activate(framework):
        retired = frameworks.activate_framework(db.session, current_user, framework)
        if retired is not None:
            flash(f"Version {retired.version} is retired; its assessments are kept.", "success")

    return _change(version, activate, f"Version {version} is now the active one.")


@bp.post("/<version>/retire")
@role_required(Role.ADMIN)
def retire_framework(version: str):
    """Retire a version: its assessments stay, nobody starts a new one against it."""
    return _change(
        version,
        lambda framework: frameworks.retire_framework(db.session, current_user, framework),
        f"Version {version} is retired; its assessments are kept.",
    )


@bp.get("/<version>.yaml")
@role_required(Role.ADMIN)
def download_framework(version: str):
    """A version in the file format `load` reads, as a download."""
    frameworks.require_admin(current_user)
    framework = frameworks.framework_by_version(db.session, version)
    text = frameworks.framework_text(db.session, framework)
    return Response(
        text,
        content_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{framework.version}.yaml"'},
    )
