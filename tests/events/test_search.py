"""Events in search: published ones are found by their words with their date and seats,
members-only ones only by members, drafts by nobody; a change reaches the index through
the outbox."""

from tests.events.factories import make_event
from tests.search.conftest import index_all
from wwc_community.events.models import EventStatus
from wwc_community.extensions import db
from wwc_community.search.engine import close_searchers


def html(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_events_are_found_by_whom_they_are_for(app, client, sign_in_as):
    make_event(title="Procurement clinic for everyone", is_public=True, capacity=12)
    make_event(title="Procurement circle for members", is_public=False)
    make_event(title="Procurement draft", is_public=True, status=EventStatus.DRAFT)
    index_all(app)
    try:
        page = html(client.get("/search?q=procurement&kind=event"))
        assert "Procurement clinic for everyone" in page and "12 seats left" in page
        assert "circle for members" not in page and "Procurement draft" not in page
        sign_in_as("practitioner")
        page = html(client.get("/search?q=procurement&kind=event"))
        assert "circle for members" in page and "Procurement draft" not in page
    finally:
        close_searchers(app)


def test_a_cancelled_event_is_still_found_and_says_so(app, client):
    event = make_event(title="Evaluation office hours", is_public=True)
    index_all(app)
    event.status = EventStatus.CANCELLED
    db.session.commit()
    index_all(app)
    try:
        page = html(client.get("/search?q=evaluation+office"))
        assert "Evaluation office hours" in page and "Cancelled" in page
    finally:
        close_searchers(app)
