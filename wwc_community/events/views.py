"""The event pages: the list (upcoming or past, filtered), an event's page with the one
button that fits the viewer, registering with the coordinator's questions, and
cancelling one's own registration."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from wwc_community.accounts.access import member_required, role_required
from wwc_community.accounts.models import Role
from wwc_community.certification import tagging
from wwc_community.core.errors import DomainError
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.directory.models import Topic
from wwc_community.events import listing, messages, services
from wwc_community.events import registrants as registrant_lists
from wwc_community.events import registration as seats
from wwc_community.events.forms import CancelEventForm, EventForm, PostponeForm
from wwc_community.events.models import (
    Event,
    EventType,
    QuestionKind,
    RegistrationStatus,
)
from wwc_community.events.visibility import may_see_event
from wwc_community.extensions import db

bp = Blueprint("events", __name__, url_prefix="/events")


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.app_template_global("event_time")
def event_time(event: Event) -> str:
    """When the event happens, in its zone and in the signed-in member's."""
    viewer = _viewer()
    return messages.format_event_time(event, getattr(viewer, "time_zone", None) or None)


@bp.app_template_global("member_events_attended")
def member_events_attended(member) -> list[Event]:
    """The events `member` was checked in at, latest first, for their profile."""
    return listing.events_attended(db.session, member)


@bp.app_template_global("event_type_label")
def event_type_label(value: str) -> str:
    try:
        return EventType(value).label
    except ValueError:
        return ""


@bp.get("")
def events():
    """Upcoming events (this week, then later) or past ones, for everyone; members-only
    events for members."""
    viewer = _viewer()
    filters = listing.read_filters(db.session, request.args)
    page = paginate(
        db.session,
        listing.event_list_statement(viewer, filters),
        parse_page_number(request.args.get("page")),
        listing.PER_PAGE,
    )
    registered = listing.registrations_by_event(
        db.session, viewer, [event.id for event in page.items]
    )
    soon, later = ([], page.items) if filters.past else listing.this_week(page.items)
    return render_template(
        "events/list.html",
        page=page,
        soon=soon,
        later=later,
        filters=filters,
        registered=registered,
        topics=db.session.scalars(select(Topic).order_by(Topic.name)).all(),
        types=list(EventType),
        formats=listing.FORMATS,
    )


def _criteria_of(event: Event) -> list:
    return tagging.criteria_of(db.session, "event", [event.id]).get(event.id, [])


def _tag(event: Event, form: EventForm) -> None:
    """Tag the event with the criteria typed (none clears them)."""
    tagging.tag_event(db.session, current_user, event, tagging.parse_codes(form.criteria.data))


def _event_for_page(slug: str) -> Event:
    event = db.session.scalar(
        select(Event)
        .options(selectinload(Event.topics), selectinload(Event.hosts))
        .where(Event.slug == slug)
    )
    if event is None or not may_see_event(_viewer(), event):
        abort(404)
    return event


@bp.get("/<slug>")
def event(slug: str):
    """The event with the viewer's state and the one action that fits it."""
    event = _event_for_page(slug)
    viewer = _viewer()
    mine = None
    position = None
    if viewer is not None and getattr(viewer, "is_member", False):
        mine = seats.registration_of(db.session, event, viewer)
        if mine is not None and mine.status == RegistrationStatus.CANCELLED:
            mine = None
        if mine is not None and mine.status == RegistrationStatus.WAITLISTED:
            position = messages.waitlist_position(db.session, mine)
    return render_template(
        "events/event.html",
        event=event,
        mine=mine,
        position=position,
        closed=seats.why_closed(event),
        questions=seats.questions_of(db.session, event),
        kinds=QuestionKind,
        answers={},
        errors={},
        criteria=_criteria_of(event),
    )


def _answers_from(form, questions) -> dict:
    answers = {}
    for question in questions:
        key = str(question.id)
        if question.kind == QuestionKind.SEVERAL_CHOICES:
            answers[key] = form.getlist(f"answer-{key}")
        else:
            answers[key] = form.get(f"answer-{key}", "")
    return answers


@bp.post("/<slug>/register")
@member_required
def register(slug: str):
    """Register the signed-in member: a seat, or a place on the waitlist."""
    event = _event_for_page(slug)
    questions = seats.questions_of(db.session, event)
    answers = _answers_from(request.form, questions)
    try:
        change = seats.register(db.session, current_user, event, answers)
        messages.confirmation_mail(db.session, change.registration)
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        event = _event_for_page(slug)
        return render_template(
            "events/event.html",
            event=event,
            mine=None,
            position=None,
            closed=seats.why_closed(event),
            questions=seats.questions_of(db.session, event),
            kinds=QuestionKind,
            answers=answers,
            errors={error.field or "form": error.message},
            criteria=_criteria_of(event),
        ), 400
    status = change.registration.status
    db.session.commit()
    if status == RegistrationStatus.CONFIRMED:
        flash("You are registered. A confirmation is on its way to your inbox.", "success")
    else:
        flash(
            "The event is full, so you are on the waitlist. We will e-mail you if a seat opens.",
            "success",
        )
    return redirect(url_for("events.event", slug=slug), 303)


@bp.post("/<slug>/cancel")
@member_required
def cancel(slug: str):
    """Cancel the signed-in member's own registration or leave the waitlist."""
    event = _event_for_page(slug)
    mine = seats.registration_of(db.session, event, current_user)
    if mine is None:
        flash("You have no registration for this event to cancel.", "error")
        return redirect(url_for("events.event", slug=slug), 303)
    was = mine.status
    try:
        change = seats.cancel(db.session, current_user, mine)
        messages.tell_promoted(db.session, change.promoted)
    except DomainError as error:
        db.session.rollback()
        if error.status_code in (403, 404):
            raise
        flash(error.message, "error")
        return redirect(url_for("events.event", slug=slug), 303)
    db.session.commit()
    if was == RegistrationStatus.WAITLISTED:
        flash("You have left the waitlist.", "success")
    elif change.promoted:
        flash(
            "Your registration is cancelled; your seat went to the next member in line.",
            "success",
        )
    else:
        flash("Your registration is cancelled.", "success")
    return redirect(url_for("events.event", slug=slug), 303)


# Registrants ---------------------------------------------------------------------------


@bp.get("/<slug>/registrants")
@role_required(Role.COORDINATOR)
def registrants(slug: str):
    """Confirmed, waitlisted and cancelled registrants with their answers."""
    event = registrant_lists.event_to_manage(db.session, current_user, slug)
    listed = registrant_lists.registrants(db.session, current_user, event)
    return render_template(
        "events/registrants.html", event=event, answer_text=registrant_lists.answer_text, **listed
    )


@bp.get("/<slug>/registrants.csv")
@role_required(Role.COORDINATOR)
def registrants_csv(slug: str):
    """The registrants as a CSV file for a spreadsheet."""
    event = registrant_lists.event_to_manage(db.session, current_user, slug)
    text = registrant_lists.registrants_csv(db.session, current_user, event)
    return Response(
        text.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrants.csv"'},
    )


@bp.route("/<slug>/email", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def email_registrants(slug: str):
    """Write one message to every confirmed registrant (and the waitlist if asked)."""
    event = registrant_lists.event_to_manage(db.session, current_user, slug)
    values = {"subject": "", "body": "", "include_waitlist": False}
    if request.method == "GET":
        return render_template("events/email.html", event=event, values=values, errors={})
    values = {
        "subject": request.form.get("subject", ""),
        "body": request.form.get("body", ""),
        "include_waitlist": request.form.get("include_waitlist") == "1",
    }
    try:
        sent = registrant_lists.email_registrants(db.session, current_user, event, **values)
    except DomainError as error:
        db.session.rollback()
        if error.status_code != 400:
            raise
        event = registrant_lists.event_to_manage(db.session, current_user, slug)
        errors = {error.field or "form": error.message}
        return render_template("events/email.html", event=event, values=values, errors=errors), 400
    db.session.commit()
    flash(f"Sent to {sent} registrant{'' if sent == 1 else 's'}.", "success")
    return redirect(url_for("events.registrants", slug=slug), 303)


@bp.get("/<slug>/check-in")
@role_required(Role.COORDINATOR)
def check_in(slug: str):
    """The confirmed registrants by name, each with one button to check them in."""
    event = registrant_lists.event_to_manage(db.session, current_user, slug)
    confirmed = registrant_lists.check_in_list(db.session, current_user, event)
    return render_template("events/check_in.html", event=event, confirmed=confirmed)


@bp.post("/<slug>/check-in/<int:registration_id>")
@role_required(Role.COORDINATOR)
def mark_attendance(slug: str, registration_id: int):
    """Check one registrant in (attended=1) or undo it (attended=0)."""
    event = registrant_lists.event_to_manage(db.session, current_user, slug)
    registration = registrant_lists.registration_at(
        db.session, current_user, event, registration_id
    )
    attended = request.form.get("attended") == "1"
    registrant_lists.mark_attendance(db.session, current_user, registration, attended)
    name = registration.member.display_name
    db.session.commit()
    flash(f"{name} {'is checked in' if attended else 'is no longer checked in'}.", "success")
    return redirect(
        url_for("events.check_in", slug=slug, _anchor=f"registrant-{registration_id}"), 303
    )


# Coordinators ---------------------------------------------------------------------------

# Where a service's field names show on the form: a time on its date's input.
_FORM_FIELD = {
    "starts_local": "starts_date",
    "ends_local": "ends_date",
    "registration_opens_local": "registration_opens_date",
    "registration_closes_local": "registration_closes_date",
    "topic_ids": "topics",
}


@bp.app_template_global("may_manage_events")
def may_manage_events() -> bool:
    """Whether the viewer sees the coordinators' buttons (the services decide again)."""
    viewer = _viewer()
    return viewer is not None and viewer.has_role(Role.COORDINATOR)


def _event_form(topics, event: Event | None = None) -> EventForm:
    """The event form with its choices: the saved values (local times) on GET, what was
    sent on POST."""
    if request.method == "POST" or event is None:
        form = EventForm()
    else:

        def local(moment):
            return services.local_time(moment, event.time_zone) if moment else None

        starts, ends = local(event.starts_at), local(event.ends_at)
        opens, closes = local(event.registration_opens_at), local(event.registration_closes_at)
        form = EventForm(
            title=event.title,
            event_type=event.event_type,
            description=event.description,
            is_public=event.is_public,
            time_zone=event.time_zone,
            starts_date=starts.date(),
            starts_time=starts.time(),
            ends_date=ends.date(),
            ends_time=ends.time(),
            is_online=event.is_online,
            location=event.location,
            join_url=event.join_url,
            capacity=event.capacity,
            waitlist_enabled=event.waitlist_enabled,
            registration_opens_date=opens.date() if opens else None,
            registration_opens_time=opens.time() if opens else None,
            registration_closes_date=closes.date() if closes else None,
            registration_closes_time=closes.time() if closes else None,
            topics=[topic.id for topic in event.topics],
            criteria=tagging.codes_text(_criteria_of(event)),
            questions=[
                {
                    "prompt": question.prompt,
                    "kind": question.kind,
                    "required": question.required,
                    "choices": "\n".join(question.choices),
                }
                for question in event.questions
            ],
        )
    form.topics.choices = [SelectChoice(topic.id, topic.name) for topic in topics]
    if event is not None and event.time_zone not in {c.value for c in form.time_zone.choices}:
        form.time_zone.choices = [*form.time_zone.choices, SelectChoice(event.time_zone)]
    return form


def _fields_from(form: EventForm, event: Event | None = None) -> services.EventFields:
    return services.EventFields(
        title=form.title.data or "",
        event_type=form.event_type.data or "",
        description=form.description.data or "",
        is_public=form.is_public.data,
        time_zone=form.time_zone.data or "",
        starts_local=form.local("starts"),
        ends_local=form.local("ends"),
        is_online=form.is_online.data,
        location=form.location.data or "",
        join_url=form.join_url.data or "",
        capacity=form.capacity.data,
        waitlist_enabled=form.waitlist_enabled.data,
        registration_opens_local=form.local("registration_opens"),
        registration_closes_local=form.local("registration_closes"),
        topic_ids=list(form.topics.data or []),
        # The form does not change the hosts: an edit keeps them.
        host_ids=[host.id for host in event.hosts] if event is not None else [],
        questions=[
            services.QuestionFields(
                kind=row["kind"],
                prompt=row["prompt"] or "",
                required=row["required"],
                choices=(row["choices"] or "").split("\n"),
            )
            for row in form.questions.data
        ],
    )


def _show_error(form, error: DomainError) -> None:
    """Put a service's refusal on the field it concerns, or on the form."""
    name = _FORM_FIELD.get(error.field, error.field)
    if name and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)


def _form_status(form, error: DomainError | None) -> int:
    return error.status_code if error is not None else (400 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_event():
    """Create a draft event; coordinators publish it from its page."""
    topics = db.session.scalars(select(Topic).order_by(Topic.name)).all()
    form = _event_form(topics)
    refusal = None
    if form.validate_on_submit():
        try:
            event = services.create_event(db.session, current_user, _fields_from(form))
            _tag(event, form)
        except DomainError as error:
            db.session.rollback()
            if error.status_code in (403, 404):
                raise
            refusal = error
            _show_error(form, error)
        else:
            address = url_for("events.event", slug=event.slug)
            db.session.commit()
            flash("The draft is saved. Only coordinators see it until you publish it.", "success")
            return redirect(address, 303)
    return render_template("events/edit.html", form=form, event=None), _form_status(form, refusal)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_event(slug: str):
    """Change an event; a higher capacity gives waiting members their seats at once."""
    event = services.event_for_editing(db.session, current_user, slug)
    topics = db.session.scalars(select(Topic).order_by(Topic.name)).all()
    form = _event_form(topics, event)
    refusal = None
    if form.validate_on_submit():
        try:
            change = services.update_event(
                db.session, current_user, event, _fields_from(form, event)
            )
            _tag(event, form)
            messages.tell_promoted(db.session, change.promoted)
        except DomainError as error:
            db.session.rollback()
            if error.status_code in (403, 404):
                raise
            refusal = error
            _show_error(form, error)
            # The rollback expired the event; load it again for the page.
            event = services.event_for_editing(db.session, current_user, slug)
        else:
            promoted = len(change.promoted)
            db.session.commit()
            flash("Your changes are saved.", "success")
            if promoted:
                flash(
                    f"{promoted} member{'s' if promoted != 1 else ''} moved up from the "
                    "waitlist and were told.",
                    "success",
                )
            return redirect(url_for("events.event", slug=slug), 303)
    return render_template("events/edit.html", form=form, event=event), _form_status(form, refusal)


def _manage(slug: str, change, message: str):
    """Run a coordinator's button on the event, commit once, and go back to its page."""
    event = services.event_for_editing(db.session, current_user, slug)
    address = url_for("events.event", slug=event.slug)
    try:
        change(event)
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
@role_required(Role.COORDINATOR)
def publish_event(slug: str):
    """Publish a draft: it is listed and members can register."""
    return _manage(
        slug,
        lambda event: services.publish_event(db.session, current_user, event),
        "The event is published.",
    )


@bp.post("/<slug>/duplicate")
@role_required(Role.COORDINATOR)
def duplicate_event(slug: str):
    """Copy the event as a draft and open the copy for editing."""
    event = services.event_for_editing(db.session, current_user, slug)
    copy = services.duplicate_event(db.session, current_user, event)
    address = url_for("events.edit_event", slug=copy.slug)
    db.session.commit()
    flash("This is a draft copy: change its title and dates, then publish it.", "success")
    return redirect(address, 303)


@bp.route("/<slug>/postpone", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def postpone_event(slug: str):
    """Move the event to a new date and time; registrations stay, and registrants are
    told."""
    event = services.event_for_editing(db.session, current_user, slug)
    if request.method == "POST":
        form = PostponeForm()
    else:
        starts = services.local_time(event.starts_at, event.time_zone)
        ends = services.local_time(event.ends_at, event.time_zone)
        form = PostponeForm(
            starts_date=starts.date(),
            starts_time=starts.time(),
            ends_date=ends.date(),
            ends_time=ends.time(),
        )
    refusal = None
    if form.validate_on_submit():
        try:
            registrations = services.postpone_event(
                db.session, current_user, event, form.local("starts"), form.local("ends")
            )
            messages.tell_registrants(
                db.session,
                event,
                registrations,
                actor=current_user,
                kind="event_changed",
                text=f"“{event.title}” moved to {messages.format_event_time(event, None)}.",
                subject=f"New date: {event.title}",
                template="mail/event_postponed.txt",
            )
        except DomainError as error:
            db.session.rollback()
            if error.status_code in (403, 404):
                raise
            refusal = error
            _show_error(form, error)
            event = services.event_for_editing(db.session, current_user, slug)
        else:
            told = len(registrations)
            db.session.commit()
            flash(
                f"The event is moved. {told} registrant{'s' if told != 1 else ''} told.",
                "success",
            )
            return redirect(url_for("events.event", slug=slug), 303)
    return render_template("events/postpone.html", form=form, event=event), _form_status(
        form, refusal
    )


@bp.route("/<slug>/cancel-event", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def cancel_event(slug: str):
    """Cancel the event with a reason every registrant is told."""
    event = services.event_for_editing(db.session, current_user, slug)
    form = CancelEventForm()
    refusal = None
    if form.validate_on_submit():
        try:
            registrations = services.cancel_event(
                db.session, current_user, event, form.reason.data or ""
            )
            messages.tell_registrants(
                db.session,
                event,
                registrations,
                actor=current_user,
                kind="event_cancelled",
                text=f"“{event.title}” is cancelled.",
                subject=f"Cancelled: {event.title}",
                template="mail/event_cancelled.txt",
            )
        except DomainError as error:
            db.session.rollback()
            if error.status_code in (403, 404):
                raise
            refusal = error
            _show_error(form, error)
            event = services.event_for_editing(db.session, current_user, slug)
        else:
            told = len(registrations)
            db.session.commit()
            flash(
                f"The event is cancelled. {told} registrant{'s' if told != 1 else ''} told.",
                "success",
            )
            return redirect(url_for("events.event", slug=slug), 303)
    return render_template("events/cancel.html", form=form, event=event), _form_status(
        form, refusal
    )
