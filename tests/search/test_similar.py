"""Similar questions from the index: threads sharing any word of a text in title or
body, stemmed, ranked with the title first, limited to what the viewer may see; and the
ask page's box using them, with the SQL title match when the index cannot answer."""

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_topic
from tests.library.factories import make_practice
from tests.query_counts import counted_queries
from wwc_community.core.database import utcnow
from wwc_community.discussions import listing
from wwc_community.discussions.models import Thread
from wwc_community.discussions.moderation import hide_post
from wwc_community.extensions import db
from wwc_community.search import similar
from wwc_community.search.engine import get_searcher
from wwc_community.search.queries import viewer_tokens
from wwc_community.search.schema import PUBLIC


@pytest.fixture
def threads(app, members):
    """Questions whose words sit in their titles, their bodies or an answer."""
    topic = make_topic("Open Data")
    author = members["practitioner"]
    made = {
        "portal": make_thread(
            author,
            title="Choosing a portal vendor",
            body="We compared the licensing terms of three vendors.",
            topics=[topic],
        ),
        "evaluation": make_thread(
            author,
            title="Designing a program evaluation",
            body="Where do we start?",
            topics=[topic],
        ),
        "dashboard": make_thread(
            author,
            title="Budget transparency dashboard",
            body="Which charts do residents read?",
            topics=[topic],
        ),
        "staffing": make_thread(
            author,
            title="Staffing a data team",
            body="Hiring went slowly; budget transparency came later, after the analysts.",
            topics=[topic],
        ),
    }
    return made


def practice_titled(organisation, author, title: str):
    """A published entry whose id is no thread's id, so an id in a result names one kind."""
    last_thread_id = db.session.scalar(select(func.max(Thread.id)))
    while (
        make_practice(organisation, author=author, title="An unrelated entry").id < last_thread_id
    ):
        pass
    return make_practice(organisation, author=author, title=title)


def found(app, members, text: str, role: str = "practitioner", limit: int = 5) -> list[int]:
    searcher = get_searcher(app)
    return similar.similar_thread_ids(searcher, viewer_tokens(members[role]), text, limit)


def test_a_word_only_in_the_body_finds_the_thread(app, members, threads, indexed):
    indexed()
    assert found(app, members, "licensing") == [threads["portal"].id]


def test_stemming_finds_other_forms_of_a_word(app, members, threads, indexed):
    indexed()
    assert found(app, members, "evaluations") == [threads["evaluation"].id]


def test_any_word_is_enough_and_the_title_match_comes_first(app, members, threads, indexed):
    indexed()
    ids = found(app, members, "budget transparency")
    assert ids == [threads["dashboard"].id, threads["staffing"].id]
    # One shared word of several is enough.
    assert threads["portal"].id in found(app, members, "snowplough vendor")


def test_a_visitor_token_set_is_offered_no_member_thread(app, members, threads, indexed):
    indexed()
    searcher = get_searcher(app)
    assert similar.similar_thread_ids(searcher, frozenset({PUBLIC}), "licensing") == []


def test_a_hidden_answer_does_not_make_its_thread_similar(app, members, threads, indexed):
    answer = make_answer(threads["evaluation"], members["coordinator"], "Try a stepped wedge.")
    indexed()
    assert found(app, members, "wedge") == [threads["evaluation"].id]
    hide_post(db.session, members["coordinator"], answer, "Off topic")
    db.session.commit()
    indexed()
    assert found(app, members, "wedge") == []


def test_only_threads_are_offered(app, members, organisation, threads, indexed):
    practice_titled(organisation, members["partner"], "Portal licensing guide")
    indexed()
    assert found(app, members, "licensing", role="coordinator") == [threads["portal"].id]


def test_empty_text_and_stop_words_find_nothing(app, members, threads, indexed):
    indexed()
    assert found(app, members, "") == []
    assert found(app, members, "the and of to") == []
    assert found(app, members, "licensing", limit=0) == []


def test_at_most_limit_threads(app, members, indexed):
    for number in range(8):
        make_thread(members["practitioner"], title=f"Open data inventory, attempt {number}")
    indexed()
    assert len(found(app, members, "inventory")) == 5
    assert len(found(app, members, "inventory", limit=3)) == 3


def test_a_long_text_full_of_punctuation_does_not_fail(app, members, threads, indexed):
    indexed()
    noise = 'licensing "open AND (zebra -- *? :: OR NOT ~2 ^3 [a TO z] {} \\ / @#%&! '
    text = (noise * 100)[:5000]
    assert len(text) == 5000
    assert found(app, members, text) == [threads["portal"].id]
    # Only the first words are searched for, however many the text holds.
    many = " ".join(f"word{number}" for number in range(2000)) + " licensing"
    assert found(app, members, many) == []


# The ask page's box ------------------------------------------------------------------------


def test_the_box_uses_the_index_when_it_exists(client, members, threads, indexed):
    sign_in(client, members["practitioner"].email)
    # Before the index is built, the SQL title match answers: no title says "licensing".
    before = client.get("/discussions/similar?title=licensing+terms").get_data(as_text=True)
    assert 'data-similar-count="0"' in before
    indexed()
    after = client.get("/discussions/similar?title=licensing+terms").get_data(as_text=True)
    assert 'data-similar-count="1"' in after
    assert "Choosing a portal vendor" in after


def test_the_box_falls_back_to_titles_when_the_search_fails(
    client, members, threads, indexed, monkeypatch
):
    indexed()

    def broken(*args, **kwargs):
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(similar, "similar_thread_ids", broken)
    sign_in(client, members["practitioner"].email)
    response = client.get("/discussions/similar?title=portal+vendor")
    assert response.status_code == 200
    assert "Choosing a portal vendor" in response.get_data(as_text=True)


def test_index_order_is_kept_and_a_duplicate_comes_with_its_original_in_one_query(
    app, members, threads
):
    duplicate = db.session.get(Thread, threads["staffing"].id)
    duplicate.closed_at = utcnow()
    duplicate.duplicate_of_id = threads["dashboard"].id
    db.session.commit()
    viewer = members["practitioner"]
    db.session.refresh(viewer)  # begin the transaction and load the viewer first
    ranked = [threads["staffing"].id, 999_999, threads["portal"].id]
    with counted_queries() as statements:
        shown = listing.similar_threads(db.session, viewer, "budget", ranked_ids=ranked)
        assert [thread.id for thread in shown] == [threads["staffing"].id, threads["portal"].id]
        assert shown[0].duplicate_of.title == "Budget transparency dashboard"
        assert shown[1].duplicate_of is None
    assert len(statements) == 1
    assert listing.similar_threads(db.session, viewer, "budget", ranked_ids=[]) == []
