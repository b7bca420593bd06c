"""Calendar files for events (RFC 5545, written without a library) and the signed
addresses of members' personal calendar feeds.

Times are written in the event's own time zone (`DTSTART;TZID=America/New_York:...`)
with a VTIMEZONE that lists that zone's changes of offset from a year before the first
event to the end of the last, read from the system's time-zone database: a calendar
application then shows the right wall time even across a daylight-saving change. An
event whose time zone is unknown is written in UTC instead."""

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member, new_calendar_key
from wwc_community.core.database import utcnow
from wwc_community.core.errors import NotPermitted
from wwc_community.events.models import Event, EventStatus, Registration, RegistrationStatus
from wwc_community.events.visibility import may_see_event

PRODID = "-//WWC Community//Events//EN"
UID_DOMAIN = "wwc-community"
# Octets per physical line, CRLF not counted (RFC 5545, 3.1).
LINE_LIMIT = 75
# How far back the time-zone history reaches before the first event: far enough to hold
# the last change of offset before it (a year covers every daylight-saving rule).
ZONE_HISTORY = timedelta(days=400)
# A feed shows upcoming events and those that ended in the last 30 days.
FEED_PAST = timedelta(days=30)
FEED_LIMIT = 500
# A registration cancelled within this long of its event's cancellation ended with the
# event, not by the member's choice.
CANCELLED_WITH_EVENT = timedelta(minutes=5)

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ZONE_NAME = re.compile(r"[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+)*")
_FEED_TOKEN = re.compile(r"([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{1,64})")
_SIGNATURE_BYTES = 18  # 144 bits, 24 characters


@dataclass(frozen=True)
class FeedEntry:
    """One event in a member's feed, with what that member may see of it."""

    event: Event
    url: str
    join_url: str | None = None
    waitlisted: bool = False


# Writing iCalendar text ------------------------------------------------------------------


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newline escaped,
    other control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL_CHARACTERS.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into physical lines of at most 75 octets, never inside a
    UTF-8 character; each continuation line begins with a space."""
    encoded = line.encode()
    parts = []
    start, limit = 0, LINE_LIMIT
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a continuation byte: step back to its start
            end -= 1
        parts.append(encoded[start:end].decode())
        start, limit = end, LINE_LIMIT - 1
    parts.append(encoded[start:].decode())
    return "\r\n ".join(parts)


def _uri(value: str) -> str:
    """A URI value: no escaping applies, so characters that would break the line go."""
    return _CONTROL_CHARACTERS.sub("", value.replace("\r", "").replace("\n", ""))


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _utc_stamp(moment: datetime) -> str:
    return _as_utc(moment).strftime("%Y%m%dT%H%M%SZ")


def _local_stamp(moment: datetime, zone: ZoneInfo) -> str:
    return _as_utc(moment).astimezone(zone).strftime("%Y%m%dT%H%M%S")


def _zone(name: str) -> ZoneInfo | None:
    """The IANA time zone `name`, or None when it is not one."""
    if not name or len(name) > 64 or not _ZONE_NAME.fullmatch(name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _calendar(lines: list[str]) -> str:
    return "".join(fold(line) + "\r\n" for line in lines)


def _calendar_head() -> list[str]:
    return [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]


# Time zones ----------------------------------------------------------------------------


def _observance(zone: ZoneInfo, moment: datetime) -> tuple[timedelta, timedelta, str]:
    """The offset, daylight-saving share and name in force in `zone` at `moment`."""
    local = moment.astimezone(zone)
    return local.utcoffset(), local.dst() or timedelta(0), local.tzname() or ""


def zone_transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """The moments (UTC, to the second) between `start` and `end` at which `zone`
    changes its offset or name: found a day at a time, then to the second by halving."""
    moment = _as_utc(start).replace(microsecond=0)
    end = _as_utc(end)
    found = []
    state = _observance(zone, moment)
    while moment < end:
        following = min(moment + timedelta(days=1), end)
        following_state = _observance(zone, following)
        if following_state != state:
            low, high = int(moment.timestamp()), int(following.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if _observance(zone, datetime.fromtimestamp(middle, UTC)) == state:
                    low = middle
                else:
                    high = middle
            found.append(datetime.fromtimestamp(high, UTC))
        moment, state = following, following_state
    return found


def _offset_text(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds_left = divmod(rest, 60)
    text = f"{'-' if seconds < 0 else '+'}{hours:02}{minutes:02}"
    return text + (f"{seconds_left:02}" if seconds_left else "")


def _observance_lines(
    onset: datetime, offset_from: timedelta, offset_to: timedelta, dst: timedelta, name: str
) -> list[str]:
    """A STANDARD or DAYLIGHT block; `onset` is the UTC moment it begins, written as
    the wall time just before it (RFC 5545, 3.6.5)."""
    kind = "DAYLIGHT" if dst else "STANDARD"
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{(onset + offset_from).strftime('%Y%m%dT%H%M%S')}",
        f"TZOFFSETFROM:{_offset_text(offset_from)}",
        f"TZOFFSETTO:{_offset_text(offset_to)}",
    ]
    if name:
        lines.append(f"TZNAME:{escape_text(name)}")
    return [*lines, f"END:{kind}"]


def vtimezone_lines(name: str, zone: ZoneInfo, start: datetime, end: datetime) -> list[str]:
    """A VTIMEZONE for `zone` that is right for every moment from `start` to `end`."""
    history_start = (_as_utc(start) - ZONE_HISTORY).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    transitions = zone_transitions(zone, history_start, end)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    if not transitions or transitions[0] > _as_utc(start):
        # No change of offset before the first event: one block covers the time before.
        offset, dst, zone_name = _observance(zone, history_start)
        lines += _observance_lines(
            history_start.replace(tzinfo=None), offset, offset, dst, zone_name
        )
    for moment in transitions:
        before, _, _ = _observance(zone, moment - timedelta(seconds=1))
        after, dst, zone_name = _observance(zone, moment)
        lines += _observance_lines(moment.replace(tzinfo=None), before, after, dst, zone_name)
    return [*lines, "END:VTIMEZONE"]


def _vtimezones(events: Iterable[Event]) -> list[str]:
    """One VTIMEZONE per time zone the events use, covering all of that zone's events."""
    spans: dict[str, tuple[ZoneInfo, datetime, datetime]] = {}
    for event in events:
        zone = _zone(event.time_zone)
        if zone is None:
            continue
        start, end = _as_utc(event.starts_at), _as_utc(event.ends_at)
        if event.time_zone in spans:
            _, known_start, known_end = spans[event.time_zone]
            start, end = min(start, known_start), max(end, known_end)
        spans[event.time_zone] = (zone, start, end)
    lines = []
    for name, (zone, start, end) in sorted(spans.items()):
        lines += vtimezone_lines(name, zone, start, end)
    return lines


# Events --------------------------------------------------------------------------------


def _description(event: Event, url: str, join_url: str | None, waitlisted: bool) -> str:
    parts = []
    if event.is_cancelled:
        reason = (event.cancel_reason or "").strip()
        parts.append("This event was cancelled." + (f" {reason}" if reason else ""))
    elif waitlisted:
        parts.append("You are on the waitlist for this event: its page shows your place.")
    if (event.description or "").strip():
        parts.append(event.description.strip())
    if join_url and not event.is_cancelled:
        parts.append(f"Join online: {join_url}")
    parts.append(f"Event page: {url}")
    return "\n\n".join(parts)


def _vevent_lines(
    event: Event, *, url: str, join_url: str | None = None, waitlisted: bool = False
) -> list[str]:
    zone = _zone(event.time_zone)
    if zone is None:
        times = [f"DTSTART:{_utc_stamp(event.starts_at)}", f"DTEND:{_utc_stamp(event.ends_at)}"]
    else:
        times = [
            f"DTSTART;TZID={event.time_zone}:{_local_stamp(event.starts_at, zone)}",
            f"DTEND;TZID={event.time_zone}:{_local_stamp(event.ends_at, zone)}",
        ]
    if event.is_cancelled:
        status, summary = "CANCELLED", f"Cancelled: {event.title}"
    else:
        status, summary = ("TENTATIVE" if waitlisted else "CONFIRMED"), event.title
    location = "Online" if event.is_online else (event.location or "").strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}@{UID_DOMAIN}",
        f"DTSTAMP:{_utc_stamp(event.updated_at)}",
        f"CREATED:{_utc_stamp(event.created_at)}",
        f"LAST-MODIFIED:{_utc_stamp(event.updated_at)}",
        *times,
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(_description(event, url, join_url, waitlisted))}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines += [
        f"URL:{_uri(url)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def event_ics(event: Event, *, url: str, join_url: str | None = None) -> str:
    """The calendar file of one event; `url` is its page, `join_url` the online link
    for a confirmed registrant (left out when None)."""
    return _calendar(
        [
            *_calendar_head(),
            *_vtimezones([event]),
            *_vevent_lines(event, url=url, join_url=join_url),
            "END:VCALENDAR",
        ]
    )


def feed_ics(entries: Iterable[FeedEntry], *, name: str) -> str:
    """A calendar of several events, for calendar applications to subscribe to."""
    entries = list(entries)
    lines = [
        *_calendar_head(),
        f"X-WR-CALNAME:{escape_text(name)}",
        # Ask subscribed applications to look for changes every hour (RFC 7986).
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        *_vtimezones(entry.event for entry in entries),
    ]
    for entry in entries:
        lines += _vevent_lines(
            entry.event, url=entry.url, join_url=entry.join_url, waitlisted=entry.waitlisted
        )
    return _calendar([*lines, "END:VCALENDAR"])


# Personal feeds ------------------------------------------------------------------------


def _signature(member_id: int, calendar_key: str, secret_key: str | bytes) -> str:
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    digest = hmac.new(key, f"{member_id}:{calendar_key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_SIGNATURE_BYTES]).decode()


def feed_token(member: Member, secret_key: str | bytes) -> str:
    """The secret part of a member's feed address: their id and a signature of their
    calendar key, so a new key makes every old address stop working."""
    return f"{member.id}.{_signature(member.id, member.calendar_key, secret_key)}"


def member_for_feed(session: Session, token: str, secret_key: str | bytes) -> Member | None:
    """The approved member whose feed address carries `token`, or None."""
    match = _FEED_TOKEN.fullmatch(token or "")
    if match is None:
        return None
    member = session.get(Member, int(match[1]))
    if member is None:
        return None
    expected = _signature(member.id, member.calendar_key, secret_key)
    if not hmac.compare_digest(expected, match[2]) or not member.is_member:
        return None
    return member


def reset_calendar_key(session: Session, member: Member) -> None:
    """Give `member` a new calendar key: their old feed address stops working."""
    if member is None or not member.is_member:
        raise NotPermitted("Only approved members have a calendar address.")
    member.calendar_key = new_calendar_key()
    session.flush()


def feed_registrations(
    session: Session, member: Member, now: datetime | None = None
) -> list[tuple[Event, Registration]]:
    """The events in `member`'s feed with their registration, by start: those they are
    confirmed or waitlisted for, and cancelled events they were registered for when the
    event was cancelled (so calendars learn of it), from 30 days ago on."""
    since = (now or utcnow()) - FEED_PAST
    rows = session.execute(
        select(Event, Registration)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.member_id == member.id,
            Event.ends_at >= since,
            or_(
                Registration.status.in_(
                    [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]
                ),
                Event.status == EventStatus.CANCELLED,
            ),
        )
        .order_by(Event.starts_at, Event.id)
        .limit(FEED_LIMIT)
    ).all()
    return [
        (event, registration)
        for event, registration in rows
        if may_see_event(member, event) and _still_registered(event, registration)
    ]


def _still_registered(event: Event, registration: Registration) -> bool:
    """False for a registration the member cancelled themselves, before the event was."""
    if registration.status != RegistrationStatus.CANCELLED:
        return True
    if registration.cancelled_at is None or event.cancelled_at is None:
        return False
    return _as_utc(registration.cancelled_at) >= _as_utc(event.cancelled_at) - CANCELLED_WITH_EVENT
