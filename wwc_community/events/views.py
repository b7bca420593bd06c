"""The event pages: the list (upcoming or past, filtered), an event's page with the one
button that fits the viewer, registering with the coordinator's questions, and
cancelling one's own registration."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wwc_community.accounts.access import member_required
from wwc_community.core.errors import DomainError
from wwc_community.core.pagination import paginate, parse_page_number
from wwc_community.directory.models import Topic
from wwc_community.events import listing, messages
from wwc_community.events import registration as seats
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
