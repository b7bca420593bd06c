"""Discussions on the directory's pages: a city's and a topic's latest threads (members
only), following a topic from its page, and the member directory's "most helpful" sort."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from tests.conftest import post_form
from tests.directory.test_directory_query_counts import add_members_in_bulk
from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_city, make_member
from tests.query_counts import queries_for
from wwc_community.core.database import utcnow
from wwc_community.directory import services
from wwc_community.discussions.models import Post, Thread, TopicFollow, thread_topic
from wwc_community.discussions.services import accept_answer, vote_for_post
from wwc_community.extensions import db

THREAD_TITLE = re.compile(r'class="thread-title"><a href="/discussions/\d+-[^"]+">([^<]+)</a>')
NAME_LINK = re.compile(r'class="member-name"><a href="/people/[^"]+">([^<]+)</a>')


def text_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def springfield_threads(members, city, topics):
    """Seven questions about Springfield, the newest activity last; one about elsewhere."""
    asker = make_member(city=city, display_name="Asha Asker")
    threads = []
    for number in range(7):
        thread = make_thread(
            asker,
            title=f"Springfield question number {number} on open data",
            topics=[topics["open-data"]],
            city=city,
        )
        db.session.get(Thread, thread.id).last_activity_at = utcnow() - timedelta(days=7 - number)
        threads.append(thread)
    make_thread(
        asker,
        title="A question about Tulsa, on evaluations",
        topics=[topics["evaluations"]],
        city=make_city("Tulsa", "OK", 411_867),
    )
    db.session.commit()
    return threads


# The city page --------------------------------------------------------------------------------


def test_a_city_page_shows_members_its_five_latest_discussions(
    client, sign_in_as, springfield_threads
):
    sign_in_as("practitioner")
    html = text_of(client.get("/cities/springfield-il"))
    assert "Discussions about Springfield" in html
    assert THREAD_TITLE.findall(html) == [
        f"Springfield question number {number} on open data" for number in (6, 5, 4, 3, 2)
    ]
    assert "Tulsa" not in "".join(THREAD_TITLE.findall(html))
    assert (
        '<a href="/discussions?city=springfield-il">See all 7 discussions about '
        "Springfield, IL</a>" in html
    )


def test_see_all_opens_the_list_filtered_by_the_city(client, sign_in_as, springfield_threads):
    sign_in_as("practitioner")
    html = text_of(client.get("/discussions?city=springfield-il"))
    assert len(THREAD_TITLE.findall(html)) == 7
    assert "about Springfield, IL" in html


def test_visitors_get_a_sign_in_prompt_instead_of_discussions(client, springfield_threads):
    html = text_of(client.get("/cities/springfield-il"))
    assert "Discussions are for members only" in html
    assert "/auth/login?next=/cities/springfield-il" in html
    assert "Springfield question number" not in html


def test_a_pending_account_is_told_to_wait_for_approval(client, sign_in_as, springfield_threads):
    sign_in_as("pending")
    html = text_of(client.get("/cities/springfield-il"))
    assert "once your account is approved" in html
    assert "Springfield question number" not in html


def test_a_city_without_discussions_invites_a_question(client, sign_in_as, members):
    sign_in_as("practitioner")
    make_city("Norman", "OK", 128_097)
    html = text_of(client.get("/cities/norman-ok"))
    assert "No member has asked a question about Norman yet." in html
    assert '<a href="/discussions/new">Ask a question</a>' in html


# The topic page -------------------------------------------------------------------------------


def test_a_topic_page_shows_its_latest_discussions(client, sign_in_as, springfield_threads):
    sign_in_as("practitioner")
    html = text_of(client.get("/topics/open-data"))
    assert "Discussions on Open Data" in html
    assert len(THREAD_TITLE.findall(html)) == 5
    assert "A question about Tulsa" not in html
    assert '<a href="/discussions?topic=open-data">See all 7 discussions on Open Data</a>' in html
    assert "Discussions are for members only" in text_of(
        client.__class__(client.application).get("/topics/open-data")
    )


def test_a_member_follows_and_stops_following_a_topic_from_its_page(
    client, sign_in_as, members, topics
):
    sign_in_as("practitioner")
    html = text_of(client.get("/topics/evaluations"))
    assert 'action="/discussions/topics/evaluations/follow"' in html
    assert '<input type="hidden" name="next" value="/topics/evaluations">' in html
    assert "Follow Evaluations</button>" in html

    response = post_form(
        client, "/discussions/topics/evaluations/follow", {"next": "/topics/evaluations"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/topics/evaluations"
    html = text_of(client.get("/topics/evaluations"))
    assert "You follow Evaluations" in html
    assert 'action="/discussions/topics/evaluations/unfollow"' in html
    assert 'Stop following<span class="visually-hidden"> Evaluations</span>' in html

    post_form(client, "/discussions/topics/evaluations/unfollow", {"next": "/topics/evaluations"})
    assert "Follow Evaluations</button>" in text_of(client.get("/topics/evaluations"))


def test_a_followed_topics_threads_appear_under_following(client, sign_in_as, members, topics):
    sign_in_as("practitioner")
    thread = make_thread(
        make_member(), title="How do you pick what to evaluate?", topics=[topics["evaluations"]]
    )
    db.session.add(
        TopicFollow(member_id=members["practitioner"].id, topic_id=topics["evaluations"].id)
    )
    db.session.commit()
    html = text_of(client.get("/discussions?following=1"))
    assert THREAD_TITLE.findall(html) == [thread.title]


# The city and topic pages make as many queries with many threads as with few --------------------


def add_threads_about(city, topic, author, count: int, start: int) -> None:
    now = utcnow()
    rows = [
        {
            "title": f"Bulk question {number} about the city",
            "slug": f"bulk-question-{number}",
            "body": "Details",
            "body_html": "<p>Details</p>",
            "author_id": author.id,
            "city_id": city.id,
            "created_at": now,
            "last_activity_at": now,
            "answer_count": 0,
            "vote_count": 0,
            "pinned": False,
        }
        for number in range(start, start + count)
    ]
    ids = db.session.scalars(insert(Thread).returning(Thread.id), rows).all()
    db.session.execute(insert(thread_topic), [{"thread_id": i, "topic_id": topic.id} for i in ids])
    db.session.commit()


def test_city_and_topic_pages_make_the_same_queries_for_5_and_50_threads(
    client, sign_in_as, members, city, topics, capsys
):
    paths = ["/cities/springfield-il", "/topics/open-data"]
    author = make_member(city=city)
    add_threads_about(city, topics["open-data"], author, 5, 0)
    sign_in_as("practitioner")
    with_5 = {path: queries_for(client, path) for path in paths}
    add_threads_about(city, topics["open-data"], make_member(), 45, 5)
    with_50 = {path: queries_for(client, path) for path in paths}
    assert with_50 == with_5
    with capsys.disabled():
        print("\nSQL queries with the latest discussions (5 threads -> 50 threads):")
        for path in paths:
            print(f"  {with_5[path]:2} -> {with_50[path]:2}  {path}")


# The "most helpful" sort ----------------------------------------------------------------------


@pytest.fixture
def helpers(members, city, topics):
    """Members whose answers earned different amounts of help.

    Blair: one accepted answer (10) and 1 vote = 11. Avery: 3 votes = 3, plus a hidden
    answer's and a removed answer's votes that do not count. Casey and Dana: nothing,
    ordered by name. Ellis: 11 too, from 11 votes: a tie with Blair, by name.
    """
    people = {
        name: make_member(city=city, display_name=name)
        for name in ("Avery Ames", "Blair Brook", "Casey Cole", "Dana Dunn", "Ellis Eng")
    }
    asker = make_member(display_name="Quinn Asker")
    voters = [make_member(display_name=f"Voter {number:02}") for number in range(11)]
    thread = make_thread(asker, title="How do you start a data inventory?")

    def answer_with_votes(author, votes):
        post = make_answer(thread, author)
        for voter in voters[:votes]:
            vote_for_post(db.session, voter, post)
        db.session.commit()
        return post

    accepted = answer_with_votes(people["Blair Brook"], 1)
    accept_answer(db.session, asker, thread, accepted)
    answer_with_votes(people["Avery Ames"], 3)
    hidden = answer_with_votes(people["Avery Ames"], 9)
    db.session.get(Post, hidden.id).hidden_at = utcnow()
    removed = answer_with_votes(people["Avery Ames"], 9)
    db.session.get(Post, removed.id).deleted_at = utcnow()
    answer_with_votes(people["Ellis Eng"], 11)
    db.session.commit()
    return people


def test_helpfulness_counts_accepted_answers_and_votes_on_visible_answers(helpers):
    figures = services.helpfulness_of(db.session, list(helpers.values()))
    assert figures[helpers["Blair Brook"].id] == services.Helpfulness(accepted=1, votes=1)
    assert figures[helpers["Avery Ames"].id] == services.Helpfulness(accepted=0, votes=3)
    assert figures[helpers["Casey Cole"].id] == services.Helpfulness()


def test_most_helpful_ranks_by_accepted_answers_then_votes_then_name(client, sign_in_as, helpers):
    sign_in_as("practitioner")
    html = text_of(client.get("/people?sort=helpful&city=springfield-il"))
    names = NAME_LINK.findall(html)
    assert names[:5] == ["Blair Brook", "Ellis Eng", "Avery Ames", "Casey Cole", "Dana Dunn"]
    assert '<option value="helpful" selected>Most helpful</option>' in html
    blair = html.split(">Blair Brook</a>")[1].split("</li>")[0]
    assert "1 accepted answer, 1 vote on answers" in blair
    avery = html.split(">Avery Ames</a>")[1].split("</li>")[0]
    assert "0 accepted answers, 3 votes on answers" in avery
    assert "each accepted answer counts as 10 votes" in html


def test_other_sorts_do_not_show_the_figures(client, sign_in_as, helpers):
    sign_in_as("practitioner")
    assert "accepted answer" not in text_of(client.get("/people?sort=name"))


def test_most_helpful_makes_the_same_queries_for_10_and_200_members(
    client, sign_in_as, members, city, topics, helpers, capsys
):
    places = [(city, None)]
    topic_list = list(topics.values())
    add_members_in_bulk(10, 0, places, topic_list)
    sign_in_as("practitioner")
    path = "/people?sort=helpful"
    before = queries_for(client, path)
    add_members_in_bulk(190, 10, places, topic_list)
    assert queries_for(client, path) == before
    with capsys.disabled():
        print(f"\nSQL queries for {path} (10 -> 200 more members): {before}")


def test_votes_on_comments_do_not_count(helpers):
    answer = db.session.scalars(
        select(Post).where(Post.author_id == helpers["Blair Brook"].id)
    ).one()
    db.session.add(
        Post(
            thread_id=answer.thread_id,
            author_id=helpers["Casey Cole"].id,
            parent_id=answer.id,
            body="A comment",
            body_html="<p>A comment</p>",
            vote_count=5,
        )
    )
    db.session.commit()
    figures = services.helpfulness_of(db.session, [helpers["Casey Cole"]])
    assert figures[helpers["Casey Cole"].id] == services.Helpfulness()
