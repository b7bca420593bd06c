"""The event list and page through the real routes: what visitors and members see,
registering (with questions), the waitlist with its position, cancelling that promotes,
the join link only for confirmed registrants, bad answers, and bounded queries."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.events.factories import make_event
from tests.query_counts import queries_for
from wwc_community.core.database import utcnow
from wwc_community.events.models import QuestionKind, Registration
from wwc_community.extensions import db


def html(response) -> str:
    return response.get_data(as_text=True)


def test_visitors_see_public_events_and_members_also_members_only_ones(client, sign_in_as):
    make_event(title="Open data clinic", is_public=True)
    make_event(title="Budget circle for members", is_public=False)
    make_event(title="A draft nobody sees", is_public=True, status="draft")
    shown = html(client.get("/events"))
    assert "Open data clinic" in shown and "Budget circle" not in shown
    assert "A draft nobody sees" not in shown
    sign_in_as("practitioner")
    shown = html(client.get("/events"))
    assert "Open data clinic" in shown and "Budget circle for members" in shown
    assert "A draft nobody sees" not in shown


def test_past_events_have_their_own_tab(client):
    make_event(
        title="Spring convening in Tulsa", is_public=True, starts_at=utcnow() - timedelta(days=60)
    )
    make_event(title="Webinar next week", is_public=True)
    upcoming = html(client.get("/events"))
    past = html(client.get("/events?when=past"))
    assert "Webinar next week" in upcoming and "Spring convening" not in upcoming
    assert "Spring convening in Tulsa" in past and "Webinar next week" not in past


def test_register_then_the_waitlist_with_a_position_then_a_promotion(app, members):
    event = make_event(capacity=1, is_public=True, join_url="https://meet.example.org/x")
    address = f"/events/{event.slug}"
    first, second = app.test_client(), app.test_client()
    sign_in(first, members["practitioner"].email)
    sign_in(second, members["partner"].email)

    assert post_form(first, f"{address}/register").status_code == 303
    page = html(first.get(address))
    assert "You are registered." in page and "https://meet.example.org/x" in page

    assert post_form(second, f"{address}/register").status_code == 303
    page = html(second.get(address))
    assert "You are number 1 on the waitlist." in page
    assert "https://meet.example.org/x" not in page

    assert post_form(first, f"{address}/cancel").status_code == 303
    assert "Join the waitlist" in html(first.get(address))  # the seat went to the next
    page = html(second.get(address))
    assert "You are registered." in page and "https://meet.example.org/x" in page


def test_bad_answers_are_shown_with_the_question_and_nothing_is_saved(client, sign_in_as):
    event = make_event(
        is_public=True,
        questions=[(QuestionKind.SHORT_TEXT, "Your department", True, [])],
    )
    sign_in_as("practitioner")
    response = post_form(client, f"/events/{event.slug}/register", {})
    assert response.status_code == 400
    assert "Please answer “Your department”" in html(response)
    assert db.session.scalar(select(Registration.id)) is None


def test_an_unknown_or_hidden_event_is_not_found(client):
    assert client.get("/events/no-such-event").status_code == 404
    members_only = make_event(is_public=False)
    assert client.get(f"/events/{members_only.slug}").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_and_the_page_make_a_bounded_number_of_queries(client, sign_in_as, count):
    events = [make_event(is_public=True) for _ in range(count)]
    sign_in_as("practitioner")
    assert queries_for(client, "/events") <= 8
    assert queries_for(client, f"/events/{events[0].slug}") <= 10
