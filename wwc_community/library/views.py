"""The library pages: publishing (new, edit, publish, unpublish, feature), the practice
page with its versions, and the organisation's entries. Other features add their routes
in their own sections at the end of this file."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from wtforms import SelectChoice

from wwc_community.accounts.access import member_required, role_required
from wwc_community.accounts.models import Role
from wwc_community.certification import tagging
from wwc_community.core.errors import Conflict, DomainError, Invalid, render_error
from wwc_community.core.mail import external_url
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.core.security import is_local_path
from wwc_community.directory import services as directory
from wwc_community.directory.models import PopulationBand
from wwc_community.extensions import db
from wwc_community.library import attachments, engagement, listing, services
from wwc_community.library.attachment_forms import AttachmentForm
from wwc_community.library.engagement_forms import AdaptationForm, EngagementButtonForm
from wwc_community.library.forms import PracticeForm
from wwc_community.library.models import EvaluationDesign, PracticeKind

bp = Blueprint("library", __name__, url_prefix="/library")


# Publishing and the practice page ---


@bp.app_template_global("practice_kind_label")
def practice_kind_label(kind: str | None) -> str:
    """ "Case study" for "case_study"; empty for an unknown kind."""
    try:
        return PracticeKind(kind).label
    except ValueError:
        return ""


@bp.app_template_global("evaluation_design_label")
def evaluation_design_label(design: str | None) -> str:
    """The evaluation design in words; empty when none is given."""
    try:
        return services.DESIGN_LABELS[EvaluationDesign(design)]
    except ValueError:
        return ""


@bp.app_template_global("evidence_tier_explanation")
def evidence_tier_explanation(tier: str | None) -> str:
    """What an evidence tier means, in plain words."""
    try:
        return services.TIER_EXPLANATIONS[services.EvidenceTier(tier)]
    except ValueError:
        return ""


@bp.app_template_global("result_change")
def _result_change(row: dict) -> str:
    return services.result_change(row)


def _practice_form(topics, organisations=None, practice=None) -> PracticeForm:
    """The entry form with its choices: the saved values on GET, what was sent on POST."""
    if request.method == "POST" or practice is None:
        form = PracticeForm()
    else:
        form = PracticeForm(
            title=practice.title,
            kind=practice.kind,
            summary=practice.summary,
            topics=[topic.slug for topic in practice.topics],
            criteria=tagging.codes_text(
                tagging.criteria_of(db.session, "practice", [practice.id]).get(practice.id, [])
            ),
            body=practice.body,
            problem=practice.problem,
            intervention=practice.intervention,
            outcome_measure=practice.outcome_measure,
            evaluation_design=practice.evaluation_design or "",
            cost=practice.cost,
            time_to_implement=practice.time_to_implement,
            results=[
                {
                    "measure": result.measure,
                    "unit": result.unit,
                    "baseline_value": result.baseline_value,
                    "baseline_date": _iso(result.baseline_date),
                    "result_value": result.result_value,
                    "result_date": _iso(result.result_date),
                }
                for result in practice.results
            ],
            links=[{"label": link.label, "url": link.url} for link in practice.links],
        )
    form.kind.choices = [SelectChoice(kind.value, kind.label) for kind in PracticeKind]
    form.evaluation_design.choices = [SelectChoice("", "Not evaluated, or not given")] + [
        SelectChoice(design.value, services.DESIGN_LABELS[design]) for design in EvaluationDesign
    ]
    form.topics.choices = [SelectChoice(topic.slug, topic.name) for topic in topics]
    if organisations is None:
        del form.organisation
    else:
        form.organisation.choices = [SelectChoice("", "Choose an organisation")] + [
            SelectChoice(organisation.slug, organisation.name) for organisation in organisations
        ]
    return form


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _fields_from(form: PracticeForm, topics) -> "services.PracticeFields":
    chosen = set(form.topics.data or [])
    return services.PracticeFields(
        title=form.title.data or "",
        kind=form.kind.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        topics=[topic for topic in topics if topic.slug in chosen],
        problem=form.problem.data or "",
        intervention=form.intervention.data or "",
        outcome_measure=form.outcome_measure.data or "",
        evaluation_design=form.evaluation_design.data or None,
        cost=form.cost.data or "",
        time_to_implement=form.time_to_implement.data or "",
        results=[services.ResultRow(**row) for row in form.results.data],
        links=[services.LinkRow(**row) for row in form.links.data],
    )


def _tag(practice, form: PracticeForm) -> None:
    """Tag the entry with the criteria typed (none clears them)."""
    tagging.tag_practice(
        db.session, current_user, practice, tagging.parse_codes(form.criteria.data)
    )


def _show_error(form: PracticeForm, problems: dict, error: DomainError) -> None:
    """Put a service's refusal on the field or section it concerns, or on the form."""
    if error.field in ("results", "links"):
        problems.setdefault(error.field, []).append(error.message)
    elif error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, error.message]
    else:
        form.form_errors.append(error.message)


def _new_organisation(form: PracticeForm, organisations):
    """The organisation of a new entry: chosen by coordinators, else the partner's own."""
    if organisations is None:
        return current_user.organisation
    organisation = next((org for org in organisations if org.slug == form.organisation.data), None)
    if organisation is None:
        raise Invalid("Choose the organisation the entry belongs to.", field="organisation")
    return organisation


def _form_page(form: PracticeForm, problems: dict, preview, **args):
    status = 400 if form.errors or problems else 200
    return render_template(
        "library/edit.html", form=form, problems=problems, preview=preview, **args
    ), status


def _preview(form: PracticeForm, topics, problems: dict, organisation_id: int | None):
    """The page section as it would look, built from the form; nothing is saved."""
    try:
        return services.preview_snapshot(
            db.session, current_user, organisation_id, _fields_from(form, topics)
        )
    except DomainError as error:
        db.session.rollback()
        _show_error(form, problems, error)
        return None


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.PARTNER)
def new_practice():
    """Start a draft; coordinators choose its organisation, partners write for their own.
    "Preview" shows the page section and saves nothing."""
    is_coordinator = current_user.has_role(Role.COORDINATOR)
    if not is_coordinator and current_user.organisation_id is None:
        abort(403)
    topics = directory.list_topics(db.session)
    organisations = directory.list_organisations(db.session) if is_coordinator else None
    form = _practice_form(topics, organisations)
    problems: dict = {}
    preview = None
    if form.validate_on_submit():
        organisation = None
        try:
            organisation = _new_organisation(form, organisations)
        except DomainError as error:
            _show_error(form, problems, error)
        if "preview" in request.form:
            preview = _preview(form, topics, problems, organisation.id if organisation else None)
        elif organisation is not None:
            try:
                practice = services.create_draft(
                    db.session, current_user, organisation, _fields_from(form, topics)
                )
                _tag(practice, form)
            except DomainError as error:
                db.session.rollback()
                _show_error(form, problems, error)
            else:
                address = url_for("library.practice", slug=practice.slug)
                db.session.commit()
                flash(
                    "Your draft is saved. Only your organisation and coordinators see it.",
                    "success",
                )
                return redirect(address, 303)
    fixed = None if is_coordinator else current_user.organisation
    return _form_page(form, problems, preview, practice=None, organisation=fixed)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@member_required
def edit_practice(slug: str):
    """Change an entry: a draft is saved; a published entry's changes go live at once as
    a new version. "Preview" shows the page section and saves nothing."""
    practice = services.get_editable_practice(db.session, current_user, slug)
    topics = directory.list_topics(db.session)
    form = _practice_form(topics, None, practice)
    problems: dict = {}
    preview = None
    if form.validate_on_submit():
        if "preview" in request.form:
            preview = _preview(form, topics, problems, practice.organisation_id)
        else:
            try:
                version = services.save_practice(
                    db.session, current_user, practice, _fields_from(form, topics)
                )
                _tag(practice, form)
            except DomainError as error:
                db.session.rollback()
                _show_error(form, problems, error)
            else:
                address = url_for("library.practice", slug=practice.slug)
                db.session.commit()
                if version is None:
                    flash("Your draft is saved.", "success")
                else:
                    flash(f"Your changes are published as version {version.number}.", "success")
                return redirect(address, 303)
    if problems or form.errors:
        # The rollback expired the entry; load it again for the page's heading.
        practice = services.get_editable_practice(db.session, current_user, slug)
    return _form_page(
        form, problems, preview, practice=practice, organisation=practice.organisation
    )


def _act(slug: str, change, message: str):
    """Run a publishing button's service on the entry, commit once, and go back to it."""
    practice = services.get_practice_for_page(db.session, _viewer(), slug)
    address = url_for("library.practice", slug=practice.slug)
    try:
        change(practice)
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(address, 303)


@bp.post("/<slug>/publish")
@member_required
def publish_practice(slug: str):
    """Publish the entry as it is now, kept as a new version."""
    return _act(
        slug,
        lambda practice: services.publish(db.session, current_user, practice),
        "The entry is published.",
    )


@bp.post("/<slug>/unpublish")
@member_required
def unpublish_practice(slug: str):
    """Take the entry off the public library."""
    return _act(
        slug,
        lambda practice: services.unpublish(db.session, current_user, practice),
        "The entry is unpublished: only its organisation and coordinators see it now.",
    )


@bp.post("/<slug>/feature")
@member_required
def feature_practice(slug: str):
    """Show the entry first in the library (coordinators)."""
    return _act(
        slug,
        lambda practice: services.set_featured(db.session, current_user, practice, True),
        "The entry is featured.",
    )


@bp.post("/<slug>/unfeature")
@member_required
def unfeature_practice(slug: str):
    """Stop featuring the entry (coordinators)."""
    return _act(
        slug,
        lambda practice: services.set_featured(db.session, current_user, practice, False),
        "The entry is no longer featured.",
    )


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.get("/manage")
@role_required(Role.PARTNER)
def manage():
    """The entries of the partner's organisation (every entry for coordinators, with an
    organisation filter): drafts, published and unpublished, last changed first."""
    is_coordinator = current_user.has_role(Role.COORDINATOR)
    if not is_coordinator and current_user.organisation_id is None:
        abort(403)
    organisations = directory.list_organisations(db.session) if is_coordinator else []
    wanted = request.args.get("organisation", "")
    chosen = next((org for org in organisations if org.slug == wanted), None)
    page = paginate(
        db.session,
        services.managed_practices(current_user, chosen.id if chosen else None),
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template(
        "library/manage.html",
        page=page,
        organisations=organisations,
        chosen=chosen,
        is_coordinator=is_coordinator,
    )


@bp.get("/<slug>")
def practice(slug: str):
    """An entry's page: public once published, else only for those who manage it."""
    viewer = _viewer()
    practice = services.get_practice_for_page(db.session, viewer, slug)
    return render_template(
        "library/practice.html",
        practice=practice,
        shown=services.snapshot_of(practice),
        may_manage=services.may_manage(viewer, practice.organisation_id),
        may_feature=services.may_feature(viewer),
        criteria=tagging.criteria_of(db.session, "practice", [practice.id]).get(practice.id, []),
    )


@bp.get("/<slug>/versions")
def versions(slug: str):
    """Every published version of an entry, newest first."""
    practice = services.get_practice_for_page(db.session, _viewer(), slug)
    return render_template(
        "library/versions.html",
        practice=practice,
        versions=services.versions_of(db.session, practice),
    )


@bp.get("/<slug>/versions/<int:number>")
def version(slug: str, number: int):
    """One published version as it was, read-only."""
    practice = services.get_practice_for_page(db.session, _viewer(), slug)
    return render_template(
        "library/version.html",
        practice=practice,
        version=services.get_version(db.session, practice, number),
    )


# List and feed ---


@bp.get("")
def practices():
    """Published entries as cards, featured first on page 1, with filters and sorts in
    the query string. The same for everyone: drafts stay on the organisation's pages."""
    topics = directory.list_topics(db.session)
    organisations = directory.list_organisations(db.session)
    filters = listing.read_practice_filters(request.args, topics, organisations)
    # The page's ids first (a narrow sort), then those entries.
    page = paginate(
        db.session,
        listing.practice_list_statement(filters),
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    page.items = listing.practices_by_id(db.session, page.items, topics, organisations)
    return render_template(
        "library/list.html",
        page=page,
        filters=filters,
        summary=listing.describe_filters(filters),
        topics=topics,
        organisations=organisations,
        kinds=listing.KIND_PLURALS,
        tiers=listing.TIER_LABELS,
        bands=list(PopulationBand),
        sorts=listing.PRACTICE_SORTS,
    )


@bp.get("/feed.atom")
def feed():
    """An Atom feed of the entries most recently published or updated."""
    practices = db.session.scalars(listing.feed_statement()).unique().all()
    addresses = listing.FeedAddresses(
        feed=external_url("library.feed"),
        library=external_url("library.practices"),
        practice=lambda practice: external_url("library.practice", slug=practice.slug),
        organisation=lambda organisation: external_url(
            "directory.organisation", slug=organisation.slug
        ),
    )
    title = f"{current_app.config['SITE_NAME']} library"
    body = listing.build_atom_feed(practices, addresses, title=title)
    return Response(body, content_type="application/atom+xml; charset=utf-8")


# Members ---


@bp.app_template_global("adaptation_status_label")
def adaptation_status_label(status: str) -> str:
    """ "In place" for "in_place"."""
    return engagement.status_label(status)


def _cached(kind: str, key: int, compute):
    """Compute a page section's data once per request, however often a template asks."""
    cache = g.setdefault("library_sections", {})
    if (kind, key) not in cache:
        cache[kind, key] = compute()
    return cache[kind, key]


@bp.app_template_global("practice_engagement")
def practice_engagement(practice):
    """What the practice page's members section shows (see library/_engagement.html)."""
    return _cached(
        "engagement",
        practice.id,
        lambda: engagement.engagement_of(db.session, _viewer(), practice),
    )


class Section:
    """A capped list for a directory page: the first items and how many there are."""

    def __init__(self, items: list, total: int):
        self.items = items
        self.total = total

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


@bp.app_template_global("organisation_practices")
def organisation_practices(organisation) -> Section:
    """The organisation page's published entries."""
    return _cached(
        "organisation",
        organisation.id,
        lambda: Section(*engagement.practices_of_organisation(db.session, organisation)),
    )


@bp.app_template_global("topic_practices")
def topic_practices(topic) -> Section:
    """The topic page's published entries."""
    return _cached(
        "topic", topic.id, lambda: Section(*engagement.practices_on_topic(db.session, topic))
    )


@bp.app_template_global("city_adaptations")
def city_adaptations(city) -> Section:
    """The city page's adapted and implemented entries, with their status."""
    return _cached(
        "city", city.id, lambda: Section(*engagement.adaptations_of_city(db.session, city))
    )


@bp.app_template_global("member_library_activity")
def member_library_activity(member) -> dict:
    """A profile's published entries and recorded adaptations."""
    return _cached(
        "member",
        member.id,
        lambda: {
            "published": Section(*engagement.practices_published_by(db.session, member)),
            "adapted": Section(*engagement.adaptations_recorded_by(db.session, member)),
        },
    )


@bp.get("/saved")
@member_required
def saved_entries():
    """The member's saved entries, most recently saved first (those they may still see)."""
    page = paginate(
        db.session,
        engagement.saved_practices(current_user),
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template("library/saved.html", page=page)


def _member_action(slug: str, act, success: str):
    """Run a member's button on an entry they may see, commit, and go back to the
    entry's members section (or a local `next`). Refusals are flashed; an entry they may
    not see is not found."""
    practice = services.get_practice(db.session, current_user, slug)
    form = EngagementButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        act(practice)
    except Conflict as error:
        db.session.rollback()
        flash(error.message, "info")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    next_url = form.next.data
    if is_local_path(next_url):
        return redirect(next_url, 303)
    return redirect(url_for("library.practice", slug=slug, _anchor="members"), 303)


@bp.post("/<slug>/save")
@member_required
def save_entry(slug: str):
    """Put the entry on the member's Saved page."""
    return _member_action(
        slug,
        lambda practice: engagement.save_practice(db.session, current_user, practice),
        "Saved. You will find this entry on your Saved page.",
    )


@bp.post("/<slug>/unsave")
@member_required
def unsave_entry(slug: str):
    """Take the entry off the member's Saved page."""
    return _member_action(
        slug,
        lambda practice: engagement.unsave_practice(db.session, current_user, practice),
        "Removed from your Saved page.",
    )


@bp.post("/<slug>/helpful")
@member_required
def mark_helpful(slug: str):
    """Count the member among those who found the entry helpful (once)."""
    return _member_action(
        slug,
        lambda practice: engagement.mark_helpful(db.session, current_user, practice),
        "Thank you: you marked this entry helpful.",
    )


@bp.post("/<slug>/helpful/remove")
@member_required
def take_back_helpful(slug: str):
    """Take back the member's helpful mark."""
    return _member_action(
        slug,
        lambda practice: engagement.unmark_helpful(db.session, current_user, practice),
        "Your helpful mark is taken back.",
    )


@bp.route("/<slug>/adapt", methods=["GET", "POST"])
@member_required
def record_adaptation(slug: str):
    """Record, or update, that the member's city adapted the entry."""
    practice = services.get_practice(db.session, current_user, slug)
    engagement.require_published(practice, "adapted")
    city = current_user.city
    existing = engagement.adaptation_of_city(db.session, practice, current_user.city_id)
    if request.method == "POST":
        form = AdaptationForm()
    elif existing is not None:
        form = AdaptationForm(obj=existing)
    else:
        form = AdaptationForm(status="planning")
    if city is not None and form.validate_on_submit():
        try:
            _, created = engagement.record_adaptation(
                db.session,
                current_user,
                practice,
                status=form.status.data,
                changes=form.changes.data,
                outcome=form.outcome.data,
            )
        except DomainError as error:
            db.session.rollback()
            if error.field and error.field in form:
                form[error.field].errors = [*form[error.field].errors, error.message]
            else:
                form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(
                f"{city.name}'s adaptation is {'recorded' if created else 'updated'}.",
                "success",
            )
            address = url_for("library.practice", slug=slug, _anchor="adaptations-heading")
            return redirect(address, 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "library/adaptation_form.html",
        practice=practice,
        form=form,
        city=city,
        existing=existing,
    ), status


@bp.get("/<slug>/adaptations")
def adaptation_log(slug: str):
    """Every city's adaptation record for the entry, latest first."""
    practice = services.get_practice(db.session, _viewer(), slug)
    page = paginate(
        db.session,
        engagement.adaptation_log(practice),
        parse_page_number(request.args.get("page")),
        current_app.config["PER_PAGE"],
    )
    return render_template("library/adaptations.html", practice=practice, page=page)


# Attachments ---


class AttachmentSection:
    """What library/_attachments.html shows: the files, whether the viewer may change
    them, and the size limit in words."""

    def __init__(self, files: list, may_manage: bool, limit: str):
        self.files = files
        self.may_manage = may_manage
        self.limit = limit


@bp.app_template_global("attachment_section")
def attachment_section(practice) -> AttachmentSection:
    """The attachments of the practice page (one query, without their extracted text)."""
    return AttachmentSection(
        attachments.attachments_of(db.session, practice),
        services.may_manage(_attachment_viewer(), practice.organisation_id),
        attachments.limit_in_words(),
    )


@bp.app_template_global("attachment_kind")
def attachment_kind(attachment) -> str:
    """ "PDF document", "Excel spreadsheet"..."""
    return attachments.kind_of(attachment).label


@bp.app_template_global("attachment_size")
def attachment_size(size: int) -> str:
    return attachments.size_in_words(size)


@bp.url_value_preprocessor
def _allow_large_uploads(endpoint: str | None, values: dict | None) -> None:
    """Let the upload route's request body be as large as a file may be (the app's
    MAX_CONTENT_LENGTH is for forms). URL value preprocessors run before every
    before_request hook, so this is in place before the CSRF check reads the body."""
    if endpoint == "library.upload_attachment":
        request.max_content_length = attachments.max_upload_request_bytes()


def _attachment_viewer():
    return current_user if current_user.is_authenticated else None


def _attachments_address(practice) -> str:
    return url_for("library.practice", slug=practice.slug, _anchor="attachments")


@bp.post("/<slug>/attachments")
@member_required
def upload_attachment(slug: str):
    """Attach a file to an entry (its organisation's partners and coordinators). A file
    over the size limit gets a 413 page; any other refusal, a message on the entry."""
    practice = services.get_practice(db.session, current_user, slug)
    services.check_may_manage(current_user, practice.organisation_id)
    address = _attachments_address(practice)
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(" ".join(form.file.errors) or "Choose a file to attach.", "error")
        return redirect(address, 303)
    upload = form.file.data
    try:
        data = attachments.read_upload(upload.stream)
        attachment = attachments.attach_file(
            db.session, current_user, practice, upload.filename or "", data
        )
    except attachments.FileTooLarge as error:
        db.session.rollback()
        return render_error(413, error.message, back_url=address)
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
        return redirect(address, 303)
    name = attachment.filename
    db.session.commit()
    flash(f"“{name}” is attached.", "success")
    return redirect(address, 303)


@bp.post("/<slug>/attachments/<int:attachment_id>/delete")
@member_required
def remove_attachment(slug: str, attachment_id: int):
    """Remove a file from an entry; its bytes go too once no entry uses them."""
    practice = services.get_practice(db.session, current_user, slug)
    address = _attachments_address(practice)
    removed = attachments.remove_attachment(db.session, current_user, practice, attachment_id)
    name, digest = removed.filename, removed.sha256
    db.session.commit()
    attachments.discard_unused_file(db.session, digest)
    flash(f"“{name}” is removed.", "success")
    return redirect(address, 303)


@bp.get("/<slug>/attachments/<int:attachment_id>/<filename>")
def download_attachment(slug: str, attachment_id: int, filename: str):
    """Download a file, for whoever may see the entry. It is always a download (never
    shown in the page), with the type found in its content; an address with another
    name redirects to the file's own."""
    practice = services.get_practice(db.session, _attachment_viewer(), slug)
    attachment = attachments.get_attachment(db.session, practice, attachment_id)
    if filename != attachment.filename:
        return redirect(
            url_for(
                "library.download_attachment",
                slug=practice.slug,
                attachment_id=attachment.id,
                filename=attachment.filename,
            )
        )
    response = send_file(
        attachments.open_attachment(attachment),
        mimetype=attachments.kind_of(attachment).mime_type,
        etag=attachment.sha256,
        max_age=0,
    )
    response.headers["Content-Type"] = attachment.content_type
    response.headers["Content-Disposition"] = attachments.content_disposition(attachment.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response
