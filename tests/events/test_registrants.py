"""What coordinators do with an event's registrants, through the real routes: the lists
with answers and waitlist positions, the CSV export (BOM, non-ASCII names, formulas
neutralised), e-mail to registrants, check-in on a phone, and bounded queries."""

import csv
import io

import pytest
from sqlalchemy import select

from tests.conftest import outbox, post_form, sign_in
from tests.events.factories import make_event
from tests.factories import make_member
from tests.query_counts import queries_for
from wwc_community.accounts.models import Role
from wwc_community.events import registration as seats
from wwc_community.events.models import QuestionKind, Registration
from wwc_community.extensions import db


def html(response) -> str:
    return response.get_data(as_text=True)


def register(event, member, answers=None) -> Registration:
    registration = seats.register(db.session, member, event, answers or {}).registration
    db.session.commit()
    return registration


@pytest.fixture
def full_event(app):
    """Two seats taken by Zoë and Łukasz, two members waiting, one cancelled."""
    event = make_event(
        capacity=2,
        title="Evaluation clinic",
        questions=[
            (QuestionKind.SHORT_TEXT, "Your department", False, []),
            (QuestionKind.SEVERAL_CHOICES, "Topics", False, ["Budgets", "Open data", "Hiring"]),
        ],
    )
    department, topics = (str(q.id) for q in seats.questions_of(db.session, event))
    people = {
        "zoe": make_member(display_name="Zoë Ménard", email="zoe@example.gov"),
        "lukasz": make_member(display_name="Łukasz z Łódź", email="lukasz@example.gov"),
        "wait1": make_member(display_name="Wanda First", email="wanda@example.gov"),
        "wait2": make_member(display_name="Walt Second", email="walt@example.gov"),
        "gone": make_member(display_name="Gina Gone", email="gina@example.gov"),
    }
    register(event, people["zoe"], {department: "Finance", topics: ["Budgets", "Hiring"]})
    register(event, people["lukasz"], {department: '=HYPERLINK("x")'})
    register(event, people["wait1"])
    register(event, people["gone"])
    register(event, people["wait2"])
    gone = seats.registration_of(db.session, event, people["gone"])
    seats.cancel(db.session, people["gone"], gone)
    db.session.commit()
    return event


def test_the_lists_show_each_status_with_answers_and_waitlist_positions(
    client, sign_in_as, full_event
):
    sign_in_as("coordinator")
    page = html(client.get(f"/events/{full_event.slug}/registrants"))
    assert "2 confirmed of 2 seats, 2 on the waitlist, 1 cancelled." in page
    confirmed, rest = page.split('id="waitlisted-heading"')
    waitlist, cancelled = rest.split('id="cancelled-heading"')
    assert "Zoë Ménard" in confirmed and "Łukasz z Łódź" in confirmed
    assert "Finance" in confirmed and "Budgets; Hiring" in confirmed
    assert waitlist.index("Wanda First") < waitlist.index("Walt Second")
    assert "<td>1</td>" in waitlist and "<td>2</td>" in waitlist
    assert "Gina Gone" in cancelled and "Gina Gone" not in confirmed + waitlist


def test_the_csv_opens_right_in_a_spreadsheet(client, sign_in_as, full_event):
    sign_in_as("coordinator")
    response = client.get(f"/events/{full_event.slug}/registrants.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="{full_event.slug}-registrants.csv"'
    )
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, *people = rows
    assert header[:7] == [
        "Name",
        "E-mail",
        "City or organisation",
        "Status",
        "Waitlist position",
        "Registered at (America/Chicago)",
        "Attended",
    ]
    assert header[7:] == ["Your department", "Topics"]
    by_name = {row[0]: row for row in people}
    assert by_name["Zoë Ménard"][3] == "confirmed"
    assert by_name["Zoë Ménard"][7:] == ["Finance", "Budgets; Hiring"]
    assert by_name["Łukasz z Łódź"][7] == '\'=HYPERLINK("x")'
    assert by_name["Wanda First"][3:5] == ["waitlisted", "1"]
    assert by_name["Walt Second"][3:5] == ["waitlisted", "2"]
    assert by_name["Gina Gone"][3] == "cancelled"
    assert by_name["Zoë Ménard"][5].endswith(("CST", "CDT"))


def test_every_formula_looking_cell_is_neutralised():
    from wwc_community.core.security import spreadsheet_safe

    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("Łódź") == "Łódź"
    assert spreadsheet_safe(None) == ""


def test_email_reaches_the_confirmed_and_the_waitlist_only_when_asked(
    app, client, sign_in_as, full_event
):
    sign_in_as("coordinator")
    address = f"/events/{full_event.slug}/email"
    response = post_form(client, address, {"subject": "Room change", "body": "Room 4 now."})
    assert response.status_code == 303
    assert "Sent to 2 registrants." in html(client.get(response.headers["Location"]))
    sent = outbox(app)
    assert sorted(message["To"] for message in sent) == ["lukasz@example.gov", "zoe@example.gov"]
    body = sent[0].get_content()
    assert "Room 4 now." in body and "Evaluation clinic" in body
    assert f"/events/{full_event.slug}" in body

    response = post_form(
        client,
        address,
        {"subject": "Bring a laptop", "body": "Please.", "include_waitlist": "1"},
    )
    assert response.status_code == 303
    second = [m["To"] for m in outbox(app) if m["Subject"] == "Bring a laptop"]
    assert sorted(second) == [
        "lukasz@example.gov",
        "walt@example.gov",
        "wanda@example.gov",
        "zoe@example.gov",
    ]
    assert "gina@example.gov" not in second


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": "", "body": "Hello"}, "Give the message a subject."),
        ({"subject": "x" * 151, "body": "Hello"}, "Keep the subject under 150 characters."),
        ({"subject": "Hello", "body": "  "}, "Write the message."),
    ],
)
def test_a_bad_message_shows_the_field_error_and_sends_nothing(
    app, client, sign_in_as, full_event, data, message
):
    sign_in_as("coordinator")
    response = post_form(client, f"/events/{full_event.slug}/email", data)
    assert response.status_code == 400
    page = html(response)
    assert message in page and 'aria-invalid="true"' in page
    assert outbox(app) == []


def test_check_in_marks_and_undoes(client, sign_in_as, full_event):
    sign_in_as("coordinator")
    zoe = db.session.scalar(select(Registration).where(Registration.queue_number == 1))
    address = f"/events/{full_event.slug}/check-in"
    page = html(client.get(address))
    assert "Mark Zoë Ménard as attended" in page
    assert "Wanda First" not in page and "Gina Gone" not in page  # confirmed only

    response = post_form(client, f"{address}/{zoe.id}", {"attended": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{address}#registrant-{zoe.id}")
    db.session.expire_all()
    assert db.session.get(Registration, zoe.id).attended_at is not None
    page = html(client.get(address))
    assert "1 of 2 confirmed registrants checked in." in page
    assert 'Undo<span class="visually-hidden"> the check-in of Zoë Ménard' in page

    assert post_form(client, f"{address}/{zoe.id}", {"attended": "0"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Registration, zoe.id).attended_at is None


def test_a_waitlisted_registration_cannot_be_checked_in(client, sign_in_as, full_event):
    sign_in_as("coordinator")
    waiting = db.session.scalar(select(Registration).where(Registration.status == "waitlisted"))
    response = post_form(
        client, f"/events/{full_event.slug}/check-in/{waiting.id}", {"attended": "1"}
    )
    assert response.status_code == 409


def test_another_events_registration_is_not_found(client, sign_in_as, full_event):
    other = make_event()
    theirs = register(other, make_member())
    sign_in_as("coordinator")
    response = post_form(
        client, f"/events/{full_event.slug}/check-in/{theirs.id}", {"attended": "1"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, theirs.id).attended_at is None


def test_a_practitioner_is_refused_everywhere(client, sign_in_as, full_event):
    sign_in_as("practitioner")
    for suffix in ("/registrants", "/registrants.csv", "/email", "/check-in"):
        assert client.get(f"/events/{full_event.slug}{suffix}").status_code == 403
    zoe = db.session.scalar(select(Registration).where(Registration.queue_number == 1))
    response = post_form(client, f"/events/{full_event.slug}/check-in/{zoe.id}", {"attended": "1"})
    assert response.status_code == 403


def test_the_event_page_links_coordinators_to_the_registrants(app, members, full_event):
    practitioner, coordinator = app.test_client(), app.test_client()
    sign_in(practitioner, members["practitioner"].email)
    sign_in(coordinator, members["coordinator"].email)
    assert "E-mail registrants" not in html(practitioner.get(f"/events/{full_event.slug}"))
    page = html(coordinator.get(f"/events/{full_event.slug}"))
    assert f"/events/{full_event.slug}/registrants" in page and "E-mail registrants" in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_registrants_pages_make_a_bounded_number_of_queries(client, sign_in_as, count):
    event = make_event(
        capacity=count // 2, questions=[(QuestionKind.SHORT_TEXT, "Your department", False, [])]
    )
    for number in range(count):
        register(event, make_member(Role.PRACTITIONER, display_name=f"Person {number}"))
    sign_in_as("coordinator")
    assert queries_for(client, f"/events/{event.slug}/registrants") <= 8
    assert queries_for(client, f"/events/{event.slug}/registrants.csv") <= 8
    assert queries_for(client, f"/events/{event.slug}/check-in") <= 8
