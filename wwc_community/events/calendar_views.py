"""Calendar files: an event's .ics, a member's subscribable feed, and resetting its
secret address."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from wwc_community.accounts.access import member_required
from wwc_community.accounts.models import Member
from wwc_community.core.errors import DomainError
from wwc_community.core.mail import external_url
from wwc_community.events import calendar
from wwc_community.events.models import Event, Registration, RegistrationStatus
from wwc_community.events.registration import registration_of
from wwc_community.events.visibility import may_see_event
from wwc_community.extensions import db

bp = Blueprint("event_calendars", __name__)

CALENDAR_TYPE = "text/calendar; charset=utf-8"
RESET_MESSAGE = (
    "Your calendar address has changed: calendar apps using the old one will stop updating."
)


def _event_url(event: Event) -> str:
    return external_url("events.event", slug=event.slug)


def _join_url(event: Event, registration: Registration | None) -> str | None:
    """The online link, for a confirmed registrant of an online event only."""
    if (
        registration is not None
        and registration.status == RegistrationStatus.CONFIRMED
        and event.is_online
        and event.join_url
        and not event.is_cancelled
    ):
        return event.join_url
    return None


def feed_address(member: Member) -> str:
    """The absolute address of `member`'s calendar feed, to show them (and only them)."""
    token = calendar.feed_token(member, current_app.config["SECRET_KEY"])
    return external_url("event_calendars.feed", token=token)


@bp.app_template_global()
def calendar_feed_url(member: Member) -> str:
    return feed_address(member)


@bp.get("/events/<slug>.ics")
def event_ics(slug: str):
    """The calendar file of an event its viewer may see; cancelled ones say so."""
    event = db.session.scalar(select(Event).where(Event.slug == slug))
    if event is None or not may_see_event(current_user, event):
        abort(404)
    registration = None
    if current_user.is_authenticated and current_user.is_member:
        registration = registration_of(db.session, event, current_user)
    body = calendar.event_ics(event, url=_event_url(event), join_url=_join_url(event, registration))
    response = Response(body, content_type=CALENDAR_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    # It may hold the viewer's join link: never for a shared cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """A member's feed of the events they are registered for; the token is the proof."""
    member = calendar.member_for_feed(db.session, token, current_app.config["SECRET_KEY"])
    if member is None:
        abort(404)
    entries = [
        calendar.FeedEntry(
            event=event,
            url=_event_url(event),
            join_url=_join_url(event, registration),
            waitlisted=registration.status == RegistrationStatus.WAITLISTED,
        )
        for event, registration in calendar.feed_registrations(db.session, member)
    ]
    site_name = current_app.config.get("SITE_NAME", "WWC Community")
    body = calendar.feed_ics(entries, name=f"{site_name} events")
    response = Response(body, content_type=CALENDAR_TYPE)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/account/calendar/reset")
@member_required
def reset_calendar_address():
    """Give the member a new feed address; the old one stops working."""
    try:
        calendar.reset_calendar_key(db.session, db.session.get(Member, current_user.id))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(RESET_MESSAGE, "success")
    return redirect(url_for("accounts.account_settings"), 303)
