"""Program insights: new members per month, questions answered within 48 hours and event
attendance, checked against hand-made data, and the page's charts and tables."""

import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from tests.events.factories import make_event
from tests.factories import make_member
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.certification import insights
from wwc_community.certification.insights import Month, last_months, program_insights
from wwc_community.core.database import utcnow
from wwc_community.core.errors import NotPermitted
from wwc_community.discussions.models import Post, Thread
from wwc_community.events.models import EventStatus, Registration, RegistrationStatus
from wwc_community.extensions import db

PAGE = "/certification/insights"


def months_back(count: int, days: int = 2, hours: int = 0) -> datetime:
    """A moment `days` into the month `count` months before this one."""
    month = Month.of(utcnow())
    for _ in range(count):
        month = month.previous()
    return month.start + timedelta(days=days, hours=hours)


def by_month(rows, count: int):
    """The row for the month `count` months before this one."""
    return rows[-1 - count]


def test_the_twelve_months_end_with_this_one():
    months = last_months(datetime(2026, 2, 10, tzinfo=UTC))
    assert len(months) == 12
    assert (months[0].label, months[-1].label) == ("March 2025", "February 2026")
    assert months[10].label == "January 2026"


# New members ---


def signed_up(when: datetime, status=MemberStatus.ACTIVE):
    member = make_member(status=status)
    member.created_at = when
    db.session.commit()
    return member


def test_new_members_counts_active_accounts_by_the_month_they_signed_up(app):
    coordinator = make_member(Role.COORDINATOR)  # this month
    signed_up(months_back(1, days=0, hours=1))
    signed_up(months_back(1, days=20))
    signed_up(months_back(1), MemberStatus.PENDING)  # not approved: not counted
    signed_up(months_back(1), MemberStatus.SUSPENDED)
    signed_up(months_back(2))
    signed_up(months_back(12))  # 13 months ago counting this one: outside the year

    figures = program_insights(db.session, coordinator)

    assert [row.members for row in figures.signups] == [0] * 9 + [1, 2, 1]


# Questions answered ---


def ask(author, asked_at: datetime, *answers):
    """A thread asked at `asked_at` with posts given as (hours after, kind): kind is
    "answer", "comment", "hidden" or "deleted"."""
    thread = Thread(
        title="How do you run a data inventory?",
        slug="data-inventory",
        author_id=author.id,
        created_at=asked_at,
        last_activity_at=asked_at,
    )
    db.session.add(thread)
    db.session.flush()
    parent = None
    for hours, kind in answers:
        post = Post(
            thread_id=thread.id,
            author_id=author.id,
            body="We did this.",
            created_at=asked_at + timedelta(hours=hours),
        )
        if kind == "comment":
            if parent is None:
                parent = Post(
                    thread_id=thread.id,
                    author_id=author.id,
                    body="An answer much later.",
                    created_at=asked_at + timedelta(days=30),
                )
                db.session.add(parent)
                db.session.flush()
            post.parent_id = parent.id
        elif kind == "hidden":
            post.hidden_at = post.created_at
        elif kind == "deleted":
            post.deleted_at = post.created_at
        db.session.add(post)
    db.session.commit()
    return thread


def test_questions_answered_within_48_hours_by_the_month_they_were_asked(app):
    coordinator = make_member(Role.COORDINATOR)
    member = make_member()
    last_month = months_back(1)
    ask(member, last_month, (47, "answer"), (60, "answer"))  # in time
    ask(member, last_month, (48, "answer"))  # exactly 48 hours: in time
    ask(member, last_month, (49, "answer"))  # too late
    ask(member, last_month, (1, "comment"))  # a comment is not an answer
    ask(member, last_month, (1, "hidden"), (10, "answer"))  # the visible one is in time
    ask(member, last_month, (1, "deleted"), (50, "answer"))  # removed: the next is late
    ask(member, last_month)  # no answer at all
    ask(member, months_back(3), (2, "answer"))
    ask(member, months_back(3))
    ask(member, months_back(12), (1, "answer"))  # outside the year

    figures = program_insights(db.session, coordinator)

    assert (by_month(figures.answers, 1).asked, by_month(figures.answers, 1).answered) == (7, 3)
    assert by_month(figures.answers, 1).share == 42  # 3 of 7 = 42.9%, rounded down
    assert (by_month(figures.answers, 3).asked, by_month(figures.answers, 3).share) == (2, 50)
    assert by_month(figures.answers, 2).share is None
    assert sum(row.asked for row in figures.answers) == 9


# Event attendance ---


def register(event, members, attended=0, status=RegistrationStatus.CONFIRMED):
    for number, member in enumerate(members):
        db.session.add(
            Registration(
                event_id=event.id,
                member_id=member.id,
                status=status,
                queue_number=number + 1,
                attended_at=event.starts_at if number < attended else None,
            )
        )
    db.session.commit()


def test_event_attendance_counts_confirmed_registrations_of_past_published_events(app):
    coordinator = make_member(Role.COORDINATOR)
    people = [make_member() for _ in range(6)]
    workshop = make_event(starts_at=months_back(1, days=3), created_by=coordinator)
    register(workshop, people[:4], attended=3)
    register(workshop, people[4:5], status=RegistrationStatus.WAITLISTED)
    register(workshop, people[5:6], status=RegistrationStatus.CANCELLED)
    webinar = make_event(starts_at=months_back(1, days=10), created_by=coordinator)
    register(webinar, people[:2])
    draft = make_event(
        starts_at=months_back(1, days=12), status=EventStatus.DRAFT, created_by=coordinator
    )
    register(draft, people[:3], attended=3)
    cancelled = make_event(
        starts_at=months_back(2), status=EventStatus.CANCELLED, created_by=coordinator
    )
    register(cancelled, people[:3])
    make_event(starts_at=months_back(3), created_by=coordinator)  # nobody registered
    upcoming = make_event(starts_at=utcnow() + timedelta(hours=1), created_by=coordinator)
    register(upcoming, people[:2])

    figures = program_insights(db.session, coordinator)

    last = by_month(figures.attendance, 1)
    assert (last.events, last.confirmed, last.attended, last.rate) == (2, 6, 3, 50)
    assert by_month(figures.attendance, 2).events == 0
    assert (by_month(figures.attendance, 3).events, by_month(figures.attendance, 3).rate) == (
        1,
        None,
    )
    assert by_month(figures.attendance, 0).confirmed == 0


def test_only_coordinators_see_the_insights(app):
    with pytest.raises(NotPermitted):
        program_insights(db.session, make_member(Role.PARTNER))
    with pytest.raises(NotPermitted):
        program_insights(db.session, None)


def test_each_figure_is_one_query(app):
    from tests.query_counts import counted_queries

    coordinator = make_member(Role.COORDINATOR)
    coordinator.has_role(Role.COORDINATOR)  # loaded again after its commit
    with counted_queries() as statements:
        program_insights(db.session, coordinator)
    selects = [statement for statement in statements if statement.startswith("SELECT")]
    assert len(selects) == 3


# The page ---


def test_the_page_shows_each_chart_with_a_table_of_the_same_numbers(client, members, sign_in_as):
    coordinator = members["coordinator"]
    member = members["practitioner"]
    ask(member, months_back(1), (5, "answer"))
    ask(member, months_back(1))
    ask(member, months_back(1), (3, "answer"))
    event = make_event(starts_at=months_back(1, days=4), created_by=coordinator)
    people = [make_member() for _ in range(4)]
    register(event, people, attended=3)
    signed_up(months_back(1))
    signed_up(months_back(1))
    sign_in_as("coordinator")

    response = client.get(PAGE)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Program insights</h1>" in page
    last_month = Month.of(months_back(1)).label
    # Three charts, each an image named by its title and description.
    charts = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    assert len(charts) == 3
    for chart, name in zip(
        charts, ["new-members", "answered-in-48-hours", "event-attendance"], strict=True
    ):
        assert 'role="img"' in chart
        ElementTree.fromstring(chart)  # well-formed SVG
        assert f'aria-labelledby="{name}-title {name}-desc"' in chart
        assert f'<title id="{name}-title">' in chart
        assert f'<desc id="{name}-desc">' in chart
        assert "style=" not in chart and "<script" not in chart
        assert chart.count("<g>") == 12
    # Answers: 2 of 3 questions in time last month (66%); the same in chart and table.
    assert ">66%</text>" in charts[1]
    answers = page.split('id="answered-in-48-hours-heading"')[1].split("</section>")[0]
    row = answers.split(f'<th scope="row">{last_month}</th>')[1].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", row) == ["3", "2", "66%"]
    assert "Of 3 questions asked" in charts[1]
    # Attendance: 3 of 4 checked in (75%).
    assert ">75%</text>" in charts[2]
    attendance = page.split('id="event-attendance-heading"')[1].split("</section>")[0]
    row = attendance.split(f'<th scope="row">{last_month}</th>')[1].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", row) == ["1", "4", "3", "75%"]
    # New members: the two who signed up last month; this month, the role fixtures and
    # the four registrants that are active (the pending and suspended ones are not).
    signups = page.split('id="new-members-heading"')[1].split("</section>")[0]
    row = signups.split(f'<th scope="row">{last_month}</th>')[1].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", row) == ["2"]
    this_month = Month.of(utcnow()).label
    row = signups.split(f'<th scope="row">{this_month}</th>')[1].split("</tr>")[0]
    assert re.findall(r">([^<]+)</td>", row) == ["8"]
    assert ">8</text>" in charts[0] and ">2</text>" in charts[0]
    assert "whose account is active now" in signups


def test_the_page_with_no_activity_shows_zeros_and_none(client, members, sign_in_as):
    sign_in_as("admin")
    page = client.get(PAGE).get_data(as_text=True)
    assert page.count(">none</text>") == 24
    assert "Of 0 questions asked" in page


@pytest.mark.parametrize("role", ["practitioner", "partner"])
def test_members_who_are_not_coordinators_are_refused(client, members, sign_in_as, role):
    sign_in_as(role)
    assert client.get(PAGE).status_code == 403


def test_insights_module_buckets_in_python_on_both_databases():
    # The reason is written down where the queries are.
    assert "buckets them by month in Python" in insights.__doc__
