"""Similar questions while a member asks: the words a title is matched by, the ranking,
the fragment the ask page's script loads, and the button that works without it."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form
from tests.discussions.factories import make_thread
from tests.factories import make_member
from tests.query_counts import counted_queries
from wwc_community.core.database import utcnow
from wwc_community.discussions import listing
from wwc_community.discussions.models import Thread
from wwc_community.extensions import db


@pytest.fixture
def asked(app, open_data):
    """Questions already asked, with their activity spread over the last days."""
    asker = make_member(display_name="Asha Asker")
    titles = [
        "How do you publish budget data as open data?",
        "Which open data portal did your city choose?",
        "How do you write a results-driven procurement contract?",
        "Publishing police data: what did you leave out?",
        "How do you train staff in performance analytics?",
    ]
    threads = {}
    for days, title in enumerate(titles):
        thread = make_thread(asker, title=title, topics=[open_data])
        db.session.get(Thread, thread.id).last_activity_at = utcnow() - timedelta(days=days)
        threads[title] = thread
    db.session.commit()
    return threads


def similar(viewer, title: str) -> list[str]:
    return [thread.title for thread in listing.similar_threads(db.session, viewer, title)]


# The words ------------------------------------------------------------------------------------


def test_a_title_is_reduced_to_its_meaningful_words():
    assert listing.title_words("How do we publish our budgets as open data in 2024?") == [
        "publish",
        "budget",
        "open",
        "data",
    ]
    assert listing.title_words("How do you do it?") == []
    assert listing.title_words("") == []
    # Repeats count once; case does not matter; "process" keeps its double s.
    assert listing.title_words("Data DATA data process") == ["data", "process"]


# The ranking ----------------------------------------------------------------------------------


def test_threads_sharing_more_words_come_first_then_the_latest(practitioner, asked):
    found = similar(practitioner, "Publishing open data about the budget")
    assert found[0] == "How do you publish budget data as open data?"
    # Two shared words each ("open", "data"; "publish", "data"): the later activity first.
    assert found[1:3] == [
        "Which open data portal did your city choose?",
        "Publishing police data: what did you leave out?",
    ]
    assert "How do you train staff in performance analytics?" not in found


def test_at_most_five_are_shown(practitioner, open_data):
    for number in range(8):
        make_thread(
            practitioner, title=f"Open data inventory, attempt {number}", topics=[open_data]
        )
    assert len(similar(practitioner, "open data inventory")) == 5


def test_the_lookup_is_one_query_and_no_words_make_none(practitioner, asked):
    db.session.refresh(practitioner)  # begin the transaction and load the viewer first
    with counted_queries() as statements:
        similar(practitioner, "open data budget procurement analytics police portal")
    assert len(statements) == 1
    with counted_queries() as statements:
        assert similar(practitioner, "How do we do it?") == []
    assert statements == []


def test_percent_and_underscore_match_only_themselves(practitioner, open_data):
    make_thread(practitioner, title="What is a good 100% uptime target?", topics=[open_data])
    make_thread(practitioner, title="What is a good snake_case column rule?", topics=[open_data])
    assert similar(practitioner, "100%") == []  # digits alone are not a word
    assert similar(practitioner, "snake_case naming") == ["What is a good snake_case column rule?"]


def test_a_closed_duplicate_comes_with_its_original(practitioner, asked):
    original = asked["How do you publish budget data as open data?"]
    duplicate = make_thread(practitioner, title="Publishing the budget as open data?")
    closed = db.session.get(Thread, duplicate.id)
    closed.closed_at = utcnow()
    closed.duplicate_of_id = original.id
    db.session.commit()
    found = listing.similar_threads(db.session, practitioner, "budget open data")
    by_title = {thread.title: thread for thread in found}
    assert by_title["Publishing the budget as open data?"].duplicate_of.id == original.id
    assert by_title["How do you publish budget data as open data?"].duplicate_of is None


# The fragment and the ask page ---------------------------------------------------------------


def test_the_fragment_lists_similar_questions_as_links(signed_in, asked):
    response = signed_in.get("/discussions/similar?title=open+data+portal")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith("{#") is False and "<html" not in html
    assert 'data-similar-count="3"' in html
    portal = asked["Which open data portal did your city choose?"]
    assert f'<a href="/discussions/{portal.id}-{portal.slug}">{portal.title}</a>' in html


def test_the_fragment_for_a_title_without_matches_says_so(signed_in, asked):
    html = signed_in.get("/discussions/similar?title=snowplough+routing").get_data(as_text=True)
    assert 'data-similar-count="0"' in html
    assert "No earlier question has a title like yours" in html
    # A title too short to match anything says nothing yet.
    quiet = signed_in.get("/discussions/similar?title=how").get_data(as_text=True)
    assert "No earlier question" not in quiet


def test_the_fragment_is_for_members_only(client, asked):
    response = client.get("/discussions/similar?title=open+data")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_the_fragment_links_a_closed_duplicate_to_its_original(signed_in, practitioner, asked):
    original = asked["Which open data portal did your city choose?"]
    duplicate = make_thread(practitioner, title="Choosing an open data portal vendor")
    closed = db.session.get(Thread, duplicate.id)
    closed.closed_at = utcnow()
    closed.duplicate_of_id = original.id
    db.session.commit()
    html = signed_in.get("/discussions/similar?title=portal+vendor").get_data(as_text=True)
    assert (
        f'Closed as a duplicate of <a href="/discussions/{original.id}-{original.slug}">'
        f"{original.title}</a>" in html
    )


def test_the_ask_page_loads_the_script_and_offers_the_check_button(signed_in):
    html = signed_in.get("/discussions/new").get_data(as_text=True)
    assert 'src="/static/js/similar.js"' in html
    assert 'data-similar-url="/discussions/similar"' in html
    assert 'name="check_similar"' in html and "Check for similar questions" in html
    assert 'role="status"' in html
    # The check button comes first, so Enter in the title checks rather than posts.
    assert html.index("Check for similar questions") < html.index("Post your question")
    assert "Similar questions already asked" not in html


def test_the_ask_page_with_a_title_in_the_address_shows_similar_questions(signed_in, asked):
    html = signed_in.get("/discussions/new?title=open+data+portal").get_data(as_text=True)
    assert 'value="open data portal"' in html
    assert "Similar questions already asked" in html
    assert "Which open data portal did your city choose?" in html
    # Above the details field.
    assert html.index("Similar questions already asked") < html.index('id="body"')


def test_checking_without_javascript_keeps_what_was_typed_and_saves_nothing(
    signed_in, asked, open_data
):
    before = db.session.scalar(select(func.count(Thread.id)))
    response = post_form(
        signed_in,
        "/discussions/new",
        {
            "title": "Open data portal choices?",
            "body": "We have a **small** team.",
            "topics": ["open-data"],
            "city": "Springfield, IL",
            "check_similar": "1",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Similar questions already asked" in html
    assert "Which open data portal did your city choose?" in html
    assert "We have a **small** team." in html
    assert re.search(r'<input checked[^>]*value="open-data"', html)
    assert "error-summary" not in html
    assert db.session.scalar(select(func.count(Thread.id))) == before


def test_checking_a_title_that_matches_nothing_says_so(signed_in, asked):
    response = post_form(
        signed_in, "/discussions/new", {"title": "Snowplough routing", "check_similar": "1"}
    )
    assert "No earlier question has a title like yours" in response.get_data(as_text=True)


def test_checking_a_title_without_subject_words_asks_for_some(signed_in, asked):
    response = post_form(
        signed_in, "/discussions/new", {"title": "How do we do it?", "check_similar": "1"}
    )
    html = response.get_data(as_text=True)
    assert "Type a few words about your subject" in html
    assert "No earlier question" not in html
