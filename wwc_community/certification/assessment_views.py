"""A city's assessment: the overview, one criterion's checklist, notes and evidence,
and sharing."""

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from wwc_community.accounts.access import member_required
from wwc_community.certification import services
from wwc_community.certification.assessment_forms import (
    FileEvidenceForm,
    LinkEvidenceForm,
    PracticeEvidenceForm,
    ProgressForm,
    SharingForm,
)
from wwc_community.certification.models import ProgressStatus
from wwc_community.certification.scoring import Thresholds, score
from wwc_community.core.errors import DomainError, render_error
from wwc_community.directory.models import CertificationLevel
from wwc_community.extensions import db
from wwc_community.library import attachments

bp = Blueprint("assessments", __name__, url_prefix="/cities/<slug>/assessment")

# Which form each field a service may name belongs to, to show its message beside it.
FORM_OF_FIELD = {
    "notes": "progress",
    "items": "progress",
    "url": "link",
    "label": "link",
    "practice": "practice",
    "file": "file",
}


@bp.app_template_global("may_work_on_assessment")
def may_work_on_assessment(viewer, city) -> bool:
    """Whether `viewer` may open `city`'s assessment (for links to it)."""
    return services.may_work_on_assessment(viewer, city)


@bp.app_template_global("progress_status_label")
def progress_status_label(status: str | None) -> str:
    """ "Not started", "In progress", "Met"."""
    return ProgressStatus(status or ProgressStatus.NOT_STARTED).label


@bp.url_value_preprocessor
def _allow_file_uploads(endpoint: str | None, values: dict | None) -> None:
    """Let the evidence upload's body be as large as a library file may be (before the
    CSRF check reads it)."""
    if endpoint == "assessments.add_file":
        request.max_content_length = attachments.max_upload_request_bytes()


def _city(slug: str):
    """The city at `slug` (404), for someone who may work on its assessment (403)."""
    city = services.city_by_slug(db.session, slug)
    services.require_assessment_access(current_user, city)
    return city


def _criterion_address(city, code: str, anchor: str = "") -> str:
    return url_for("assessments.criterion", slug=city.slug, code=code) + anchor


# The overview ---------------------------------------------------------------------------


@bp.get("")
@member_required
def overview(slug: str):
    """The score, sharing, and every criterion's status area by area. Reading never
    starts an assessment: a city with nothing saved sees every criterion not started."""
    city = _city(slug)
    framework = services.require_active_framework(db.session)
    assessment = services.assessment_of(db.session, city, framework)
    sharing = SharingForm(
        formdata=None, shares=assessment.shares_met_criteria if assessment else False
    )
    return render_template(
        "certification/assessment.html",
        city=city,
        framework=framework,
        assessment=assessment,
        score=services.score_of(db.session, framework, assessment),
        areas=services.areas_with_criteria(db.session, framework),
        progress=services.progress_by_criterion(db.session, assessment),
        evidence_counts=services.evidence_counts(db.session, assessment),
        sharing=sharing,
    )


@bp.post("/sharing")
@member_required
def sharing(slug: str):
    """Let other members see which criteria the city met, or stop."""
    city = _city(slug)
    form = SharingForm()
    assessment = services.set_sharing(db.session, current_user, city, form.shares.data)
    shares = assessment.shares_met_criteria
    db.session.commit()
    if shares:
        flash(
            "Other members can now see which criteria your city met. Notes and evidence stay "
            "private.",
            "success",
        )
    else:
        flash("Only your city and program coordinators see your criteria now.", "success")
    return redirect(url_for("assessments.overview", slug=slug), 303)


# One criterion --------------------------------------------------------------------------


def _neighbours(areas, criterion):
    """The criteria before and after `criterion` in the framework's order."""
    ordered = [each for area in areas for each in area.criteria]
    index = next(i for i, each in enumerate(ordered) if each.id == criterion.id)
    previous = ordered[index - 1] if index > 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    return previous, following


def _preview(framework, criterion, current, is_met: bool) -> str:
    """What the score and level would be if this criterion changed state."""
    thresholds = Thresholds.of(framework)
    if is_met:
        then = score(current.met - 1, current.criteria, thresholds)
        condition = f"If {criterion.code} stopped being met"
    else:
        then = score(min(current.met + 1, current.criteria), current.criteria, thresholds)
        condition = f"If {criterion.code} is met"
    if then.level is CertificationLevel.NONE:
        level = "no level reached"
    else:
        level = then.level.label
    return f"{condition}: {then.percent_label} of criteria, {level}."


def _criterion_page(
    city,
    code: str,
    *,
    forms: dict | None = None,
    ticked: set[int] | None = None,
    errors: dict | None = None,
    status: int = 200,
):
    """Render a criterion's page; after a refused save, with the forms as sent (or, after
    a conflict, as the other member saved them) and the messages."""
    framework = services.require_active_framework(db.session)
    criterion = services.criterion_in(db.session, framework, code)
    assessment = services.assessment_of(db.session, city, framework)
    progress = services.progress_of(db.session, assessment, criterion)
    evidence = services.evidence_of(db.session, progress)
    areas = services.areas_with_criteria(db.session, framework)
    current = services.score_of(db.session, framework, assessment)
    forms = dict(forms or {})
    forms.setdefault(
        "progress",
        ProgressForm(
            formdata=None,
            notes=progress.notes if progress else "",
            version=str(progress.version if progress else 0),
        ),
    )
    forms.setdefault("link", LinkEvidenceForm(formdata=None))
    forms.setdefault("practice", PracticeEvidenceForm(formdata=None))
    forms.setdefault("file", FileEvidenceForm(formdata=None))
    if ticked is None:
        ticked = set(progress.checked_item_ids or []) if progress else set()
    is_met = progress is not None and progress.status == ProgressStatus.MET
    previous, following = _neighbours(areas, criterion)
    return render_template(
        "certification/assessment_criterion.html",
        city=city,
        framework=framework,
        criterion=criterion,
        progress=progress,
        score=current,
        preview=_preview(framework, criterion, current, is_met),
        evidence=evidence,
        practices=services.practices_by_id(db.session, evidence),
        history=services.history_of(db.session, progress),
        forms=forms,
        ticked=ticked,
        errors=errors or {},
        previous=previous,
        following=following,
    ), status


def _refused(city, code: str, error: DomainError, forms: dict, ticked=None):
    """Roll back a refused change and show the page again with the message beside the
    field it is about (403 and 404 become their pages)."""
    db.session.rollback()
    if error.status_code in (403, 404):
        raise error
    field = error.field or "form"
    form = forms.get(FORM_OF_FIELD.get(field, ""))
    if form is not None and field in form:
        form[field].errors = [error.message]
    return _criterion_page(
        city,
        code,
        forms=forms,
        ticked=ticked,
        errors={field: error.message},
        status=error.status_code,
    )


@bp.get("/<code>")
@member_required
def criterion(slug: str, code: str):
    """One criterion: its checklist and notes to save, the level preview, evidence and
    the history of saves."""
    return _criterion_page(_city(slug), code)


def _ticked_as_sent(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.strip().isdigit()}


@bp.post("/<code>")
@member_required
def save_criterion(slug: str, code: str):
    """Save the ticked items and the notes, unless someone saved since the form was
    drawn: then show their version (409) so that saving again works."""
    city = _city(slug)
    form = ProgressForm()
    items = request.form.getlist("items")
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        return render_error(
            400,
            "The form arrived without the version it was drawn from, so it cannot be saved "
            "safely. Reload the page and make your changes again.",
            back_url=_criterion_address(city, code),
        )
    try:
        saved = services.save_progress(
            db.session, current_user, city, code, items, form.notes.data or "", version
        )
    except DomainError as error:
        if error.field == "conflict":
            db.session.rollback()
            # Fresh from the database: the other member's ticks, notes and version.
            return _criterion_page(city, code, errors={"conflict": error.message}, status=409)
        return _refused(city, code, error, {"progress": form}, _ticked_as_sent(items))
    criterion_code = code.strip().upper()
    status = ProgressStatus(saved.progress.status).label.lower()
    before, after = saved.before, saved.after
    db.session.commit()
    flash(f"Saved {criterion_code}: {status}.", "success")
    if saved.level_changed:
        if after.level is CertificationLevel.NONE:
            flash(f"Your score no longer reaches {before.level.label}.", "warning")
        else:
            flash(f"Your score now reaches {after.level.label}.", "success")
    return redirect(_criterion_address(city, criterion_code), 303)


# Evidence -------------------------------------------------------------------------------


def _evidence_added(city, code: str, what: str):
    db.session.commit()
    flash(f"Added {what} to {code.strip().upper()}.", "success")
    return redirect(_criterion_address(city, code.strip().upper(), "#evidence-heading"), 303)


@bp.post("/<code>/evidence/link")
@member_required
def add_link(slug: str, code: str):
    """A web page as evidence."""
    city = _city(slug)
    form = LinkEvidenceForm()
    if not form.validate():
        return _criterion_page(
            city, code, forms={"link": form}, errors=_form_errors(form), status=400
        )
    try:
        services.add_link_evidence(
            db.session, current_user, city, code, form.url.data, form.label.data
        )
    except DomainError as error:
        return _refused(city, code, error, {"link": form})
    return _evidence_added(city, code, "the link")


@bp.post("/<code>/evidence/practice")
@member_required
def add_practice(slug: str, code: str):
    """A published library entry as evidence."""
    city = _city(slug)
    form = PracticeEvidenceForm()
    if not form.validate():
        return _criterion_page(
            city, code, forms={"practice": form}, errors=_form_errors(form), status=400
        )
    try:
        evidence = services.add_practice_evidence(
            db.session, current_user, city, code, form.practice.data
        )
    except DomainError as error:
        return _refused(city, code, error, {"practice": form})
    return _evidence_added(city, code, f"“{evidence.label}”")


@bp.post("/<code>/evidence/file")
@member_required
def add_file(slug: str, code: str):
    """A file as evidence, checked by its content like a library attachment."""
    city = _city(slug)
    form = FileEvidenceForm()
    if not form.validate():
        return _criterion_page(
            city, code, forms={"file": form}, errors=_form_errors(form), status=400
        )
    upload = form.file.data
    try:
        data = attachments.read_upload(upload.stream)
        evidence = services.add_file_evidence(
            db.session, current_user, city, code, upload.filename or "", data
        )
    except DomainError as error:
        return _refused(city, code, error, {"file": form})
    return _evidence_added(city, code, f"“{evidence.filename}”")


@bp.post("/<code>/evidence/<int:evidence_id>/delete")
@member_required
def remove_evidence(slug: str, code: str, evidence_id: int):
    """Remove a piece of evidence (a stored file stays: the same bytes may back another)."""
    city = _city(slug)
    removed = services.remove_evidence(db.session, current_user, city, evidence_id)
    label = removed.label or removed.url
    db.session.commit()
    flash(f"Removed “{label}” from {code.strip().upper()}.", "success")
    return redirect(_criterion_address(city, code.strip().upper(), "#evidence-heading"), 303)


@bp.get("/evidence/<int:evidence_id>")
@member_required
def evidence_download(slug: str, evidence_id: int):
    """Download a file of evidence: always as an attachment, with the type found in its
    content, for those who may read the assessment."""
    city = _city(slug)
    evidence = services.evidence_in(db.session, current_user, city, evidence_id)
    path = services.evidence_file(evidence)
    response = send_file(path, mimetype=evidence.content_type, etag=evidence.sha256, max_age=0)
    response.headers["Content-Type"] = evidence.content_type
    response.headers["Content-Disposition"] = attachments.content_disposition(evidence.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _form_errors(form) -> dict:
    """A form's field errors as {field: message}, for the page's error summary."""
    return {
        name: " ".join(messages) for name, messages in form.errors.items() if name != "csrf_token"
    }
