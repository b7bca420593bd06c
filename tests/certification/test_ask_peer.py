"""Asking a peer about a criterion: a thread tagged with it that tells the peer."""

import pytest
from sqlalchemy import func, select

from tests.certification.matrix_benchmark import city_that_met
from tests.conftest import post_form
from tests.factories import make_topic
from wwc_community.certification import ask, tagging
from wwc_community.core.errors import Invalid, NotFound
from wwc_community.discussions.models import Thread
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification

QUESTION = {
    "title": "How did you write your data governance policy?",
    "body": "We are starting ours this spring. What did you do first?",
    "topic": "",
}


def threads_count():
    return db.session.scalar(select(func.count()).select_from(Thread))


def notifications_of(member):
    return list(db.session.scalars(select(Notification).where(Notification.member_id == member.id)))


@pytest.fixture
def peer(members):
    """A member of Peerville, which met DG1 and OD1 and shares that."""
    _, (member,) = city_that_met(["DG1", "OD1"])
    return member


def test_the_form_shows_who_is_asked_about_what(peer, sign_in_as):
    response = sign_in_as("practitioner").get(f"/certification/DG1/ask/{peer.handle}")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1>Ask Peerville Peer 1 about DG1</h1>" in html
    assert "Peerville, OR" in html
    assert "DG1: Criterion DG1" in html
    # The topic defaults to the practice area's topic.
    assert '<option selected value="area-dg">Area DG</option>' in html


def test_asking_posts_a_tagged_thread_and_tells_the_peer(peer, sign_in_as, members):
    client = sign_in_as("practitioner")

    response = post_form(client, f"/certification/dg1/ask/{peer.handle}", QUESTION)

    assert response.status_code == 303
    thread = db.session.scalar(select(Thread))
    assert response.headers["Location"] == f"/discussions/{thread.id}-{thread.slug}"
    assert thread.title == QUESTION["title"]
    assert thread.author_id == members["practitioner"].id
    assert f"@{peer.handle}" in thread.body and "What did you do first?" in thread.body
    assert [c.code for c in tagging.criteria_of(db.session, "thread", [thread.id])[thread.id]] == [
        "DG1"
    ]
    told = notifications_of(peer)
    assert len(told) == 1
    assert told[0].url == f"/discussions/{thread.id}-{thread.slug}"
    assert QUESTION["title"] in told[0].text
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your question is posted and Peerville Peer 1 is told." in page


def test_the_peer_is_told_once_when_the_question_already_names_them(peer, sign_in_as):
    body = f"@{peer.handle} how long did the policy take you?"

    post_form(
        sign_in_as("partner"),
        f"/certification/DG1/ask/{peer.handle}",
        {**QUESTION, "body": body},
    )

    thread = db.session.scalar(select(Thread))
    assert thread.body == body
    assert len(notifications_of(peer)) == 1


def test_someone_who_is_not_a_peer_cannot_be_asked(sign_in_as, members):
    _, (quiet,) = city_that_met(["DG1"], name="Quiettown", shares=False)
    client = sign_in_as("practitioner")

    for handle in (quiet.handle, members["partner"].handle, "nobody-here"):
        response = post_form(client, f"/certification/DG1/ask/{handle}", QUESTION)
        html = response.get_data(as_text=True)
        assert response.status_code == 404
        assert f"{handle} is not someone you can ask about DG1" in html
    assert client.get(f"/certification/DG1/ask/{quiet.handle}").status_code == 404
    assert threads_count() == 0
    assert notifications_of(quiet) == []


def test_a_peer_cannot_be_asked_about_a_criterion_their_city_has_not_met(peer, sign_in_as):
    response = post_form(
        sign_in_as("practitioner"), f"/certification/DG2/ask/{peer.handle}", QUESTION
    )

    assert response.status_code == 404
    assert "is not someone you can ask about DG2" in response.get_data(as_text=True)
    assert threads_count() == 0


def test_nobody_asks_themselves(peer, client):
    from tests.conftest import sign_in

    sign_in(client, peer.email)

    response = post_form(client, f"/certification/DG1/ask/{peer.handle}", QUESTION)

    assert response.status_code == 404
    assert threads_count() == 0


def test_an_unknown_criterion_is_not_found(peer, sign_in_as):
    response = sign_in_as("practitioner").get(f"/certification/ZZ1/ask/{peer.handle}")

    assert response.status_code == 404
    assert "There is no criterion ZZ1" in response.get_data(as_text=True)


def test_bad_input_is_shown_and_nothing_is_saved(peer, sign_in_as):
    response = post_form(
        sign_in_as("practitioner"),
        f"/certification/DG1/ask/{peer.handle}",
        {**QUESTION, "title": "Policy?", "body": ""},
    )
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "Write a title of at least 10 characters" in html
    assert threads_count() == 0
    assert notifications_of(peer) == []


def test_an_area_without_a_topic_needs_one_chosen(peer, sign_in_as):
    client = sign_in_as("practitioner")

    refused = post_form(client, f"/certification/OD1/ask/{peer.handle}", QUESTION)

    assert refused.status_code == 400
    assert "Choose the topic your question belongs to." in refused.get_data(as_text=True)
    assert threads_count() == 0

    topic = make_topic("Open Data")
    posted = post_form(
        client, f"/certification/OD1/ask/{peer.handle}", {**QUESTION, "topic": topic.slug}
    )

    assert posted.status_code == 303
    thread = db.session.scalar(select(Thread))
    assert [c.code for c in tagging.criteria_of(db.session, "thread", [thread.id])[thread.id]] == [
        "OD1"
    ]


def test_the_service_refuses_a_non_peer_and_bad_topics(peer, members):
    with pytest.raises(NotFound, match="not someone you can ask about DG1"):
        ask.ask_peer(
            db.session,
            members["practitioner"],
            "DG1",
            members["admin"].handle,
            "A good title here",
            "Body",
        )
    with pytest.raises(Invalid, match="Choose the topic"):
        ask.ask_peer(
            db.session, members["practitioner"], "OD1", peer.handle, "A good title here", "Body"
        )
    db.session.rollback()
    assert threads_count() == 0
