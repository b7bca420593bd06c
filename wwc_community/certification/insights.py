"""Program insights for coordinators: new members per month, questions answered within
48 hours, and event attendance, each over the last 12 months.

Month bucketing differs between SQLite (strftime) and PostgreSQL (date_trunc). Rather
than keep two dialects, each figure selects the timestamps of the last 12 months with
one query (grouped per thread or per event where there is something to aggregate) and
buckets them by month in Python. That is one bounded result per chart: at this
community's scale (thousands of members, threads and events a year) it is small and
fast, and the arithmetic is the same on both databases."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.certification.cohort import require_coordinator
from wwc_community.core.database import utcnow
from wwc_community.discussions.models import Post, Thread
from wwc_community.events.models import Event, EventStatus, Registration, RegistrationStatus

MONTHS = 12
ANSWER_WITHIN = timedelta(hours=48)


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def short(self) -> str:
        return self.start.strftime("%b")

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")

    @property
    def abbreviated(self) -> str:
        return self.start.strftime("%b %Y")

    @classmethod
    def of(cls, moment: datetime) -> "Month":
        return cls(moment.year, moment.month)

    def previous(self) -> "Month":
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)


def last_months(now: datetime, count: int = MONTHS) -> list[Month]:
    """The `count` months up to and including the one `now` is in, oldest first."""
    months = [Month.of(now)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months[::-1]


def _share(part: int, whole: int) -> int | None:
    """A whole percentage, rounded down (None when there is nothing to divide)."""
    return (100 * part) // whole if whole else None


@dataclass
class SignupMonth:
    month: Month
    members: int


@dataclass
class AnswerMonth:
    month: Month
    asked: int
    answered: int

    @property
    def share(self) -> int | None:
        return _share(self.answered, self.asked)


@dataclass
class AttendanceMonth:
    month: Month
    events: int
    confirmed: int
    attended: int

    @property
    def rate(self) -> int | None:
        return _share(self.attended, self.confirmed)


def new_members(session: Session, months: list[Month]) -> list[SignupMonth]:
    """Members whose account is active now (approved, neither suspended nor deleted), by
    the month they signed up. One query for the sign-up times of the window."""
    counts = dict.fromkeys(months, 0)
    for created_at in session.scalars(
        select(Member.created_at).where(
            Member.status == MemberStatus.ACTIVE, Member.created_at >= months[0].start
        )
    ):
        month = Month.of(created_at)
        if month in counts:
            counts[month] += 1
    return [SignupMonth(month, members) for month, members in counts.items()]


def questions_answered(session: Session, months: list[Month]) -> list[AnswerMonth]:
    """Questions asked each month and how many got their first visible answer (not a
    comment, not removed, not hidden) within 48 hours of being asked. One query grouped
    per thread: when it was asked, and its first visible answer."""
    first_answer = func.min(Post.created_at)
    rows = session.execute(
        select(Thread.created_at, first_answer)
        .outerjoin(
            Post,
            and_(
                Post.thread_id == Thread.id,
                Post.parent_id.is_(None),
                Post.deleted_at.is_(None),
                Post.hidden_at.is_(None),
            ),
        )
        .where(Thread.created_at >= months[0].start)
        .group_by(Thread.id, Thread.created_at)
    )
    asked = dict.fromkeys(months, 0)
    answered = dict.fromkeys(months, 0)
    for created_at, answered_at in rows:
        month = Month.of(created_at)
        if month not in asked:
            continue
        asked[month] += 1
        if answered_at is not None and answered_at - created_at <= ANSWER_WITHIN:
            answered[month] += 1
    return [AnswerMonth(month, asked[month], answered[month]) for month in months]


def event_attendance(session: Session, months: list[Month], now: datetime) -> list[AttendanceMonth]:
    """Past published events by the month they started: confirmed registrations and how
    many of them were checked in. One query grouped per event."""
    rows = session.execute(
        select(
            Event.starts_at,
            func.count(Registration.id),
            func.count(Registration.attended_at),
        )
        .outerjoin(
            Registration,
            and_(
                Registration.event_id == Event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            ),
        )
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at < now,
            Event.starts_at >= months[0].start,
        )
        .group_by(Event.id, Event.starts_at)
    )
    events = dict.fromkeys(months, 0)
    confirmed = dict.fromkeys(months, 0)
    attended = dict.fromkeys(months, 0)
    for starts_at, registrations, checked_in in rows:
        month = Month.of(starts_at)
        if month not in events:
            continue
        events[month] += 1
        confirmed[month] += registrations
        attended[month] += checked_in
    return [
        AttendanceMonth(month, events[month], confirmed[month], attended[month]) for month in months
    ]


# Charts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: the month, its value (None: nothing to show) and its label."""

    month: Month
    value: int | None
    text: str


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    # The top of the scale: the largest value, or 100 for percentages.
    scale: int


def _count_chart(id_: str, title: str, description: str, values: list[tuple[Month, int]]):
    scale = max([value for _, value in values] + [1])
    return Chart(
        id_, title, description, [Bar(month, value, f"{value:,}") for month, value in values], scale
    )


def _percent_chart(
    id_: str, title: str, description: str, values: list[tuple[Month, int | None]]
) -> Chart:
    bars = [Bar(month, value, "none" if value is None else f"{value}%") for month, value in values]
    return Chart(id_, title, description, bars, 100)


@dataclass
class Insights:
    months: list[Month]
    signups: list[SignupMonth]
    answers: list[AnswerMonth]
    attendance: list[AttendanceMonth]

    @property
    def period(self) -> str:
        return f"{self.months[0].label} to {self.months[-1].label}"

    @property
    def signup_chart(self) -> Chart:
        total = sum(row.members for row in self.signups)
        return _count_chart(
            "new-members",
            "New members per month",
            f"{total:,} members who signed up from {self.period} have an active account "
            "now. Each bar is one month; the number above it is the count.",
            [(row.month, row.members) for row in self.signups],
        )

    @property
    def answer_chart(self) -> Chart:
        asked = sum(row.asked for row in self.answers)
        answered = sum(row.answered for row in self.answers)
        return _percent_chart(
            "answered-in-48-hours",
            "Questions answered within 48 hours",
            f"Of {asked:,} questions asked from {self.period}, {answered:,} had an answer "
            "within 48 hours. Each bar is the share for the month the questions were asked; "
            "months without questions show none.",
            [(row.month, row.share) for row in self.answers],
        )

    @property
    def attendance_chart(self) -> Chart:
        confirmed = sum(row.confirmed for row in self.attendance)
        attended = sum(row.attended for row in self.attendance)
        return _percent_chart(
            "event-attendance",
            "Event attendance rate",
            f"Of {confirmed:,} confirmed registrations for past events from {self.period}, "
            f"{attended:,} were checked in. Each bar is the rate for the month the events "
            "started; months without past events or registrations show none.",
            [(row.month, row.rate) for row in self.attendance],
        )


def program_insights(session: Session, actor, now: datetime | None = None) -> Insights:
    """The three figures over the last 12 months (this month included)."""
    require_coordinator(actor)
    now = now or utcnow()
    months = last_months(now)
    return Insights(
        months=months,
        signups=new_members(session, months),
        answers=questions_answered(session, months),
        attendance=event_attendance(session, months, now),
    )
