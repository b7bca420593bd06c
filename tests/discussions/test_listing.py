"""The discussion list's filters as a member uses them: from my city, from cities like
mine, following, one city, topic and state; the sentence that states them, the badges
on each row, and what an empty list says."""

import re
from datetime import timedelta

import pytest

from tests.conftest import sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.discussions.pages import text_of
from tests.factories import make_city, make_member, make_topic
from wwc_community.core.database import utcnow
from wwc_community.discussions import listing
from wwc_community.discussions.models import Thread, ThreadFollow, TopicFollow
from wwc_community.extensions import db

TITLE_LINK = re.compile(r'class="thread-title"><a href="/discussions/\d+-[^"]+">([^<]+)</a>')


def listed(response) -> list[str]:
    """The thread titles on a list page, in order."""
    assert response.status_code == 200
    return TITLE_LINK.findall(response.get_data(as_text=True))


@pytest.fixture
def procurement(app):
    return make_topic("Procurement")


@pytest.fixture
def practitioner(members):
    """The viewer: a practitioner of Springfield, IL (114,394: the 100k–250k band)."""
    return members["practitioner"]


@pytest.fixture
def places(app, city, open_data, procurement):
    """One question from each of four places: the viewer's own city, a city of the same
    band, a bigger city, and none."""
    norman = make_city("Norman", "OK", 128_097)
    tulsa = make_city("Tulsa", "OK", 411_867)
    asker = make_member(display_name="Asha Asker")
    return {
        "springfield": make_thread(
            asker,
            title="Springfield: how do you inventory datasets?",
            topics=[open_data],
            city=city,
        ),
        "norman": make_thread(
            asker, title="Norman: who signs off a data release?", topics=[open_data], city=norman
        ),
        "tulsa": make_thread(
            asker,
            title="Tulsa: how do you write outcome contracts?",
            topics=[procurement],
            city=tulsa,
        ),
        "nowhere": make_thread(
            asker, title="Anywhere: what goes in a data policy?", topics=[procurement]
        ),
    }


def titles(viewer, **args) -> set[str]:
    """The titles the list statement gives `viewer` for a query string of `args`."""
    city = listing.city_in_filters(db.session, args)
    filters = listing.read_thread_filters(args, [], city)
    return {
        thread.title
        for thread in db.session.scalars(listing.thread_list_statement(viewer, filters))
    }


# The filters, as the services read them ------------------------------------------------------


def test_cities_like_mine_are_those_of_the_viewers_population_band(practitioner, places):
    assert titles(practitioner, like_mine="1") == {
        places["springfield"].title,
        places["norman"].title,
    }
    assert titles(practitioner, my_city="1") == {places["springfield"].title}


def test_one_city_by_its_slug(practitioner, places):
    assert titles(practitioner, city="tulsa-ok") == {places["tulsa"].title}
    # A slug that names no city narrows nothing.
    assert len(titles(practitioner, city="atlantis-zz")) == 4


def test_following_shows_followed_threads_and_threads_on_followed_topics(
    practitioner, places, procurement
):
    assert titles(practitioner, following="1") == set()
    db.session.add(ThreadFollow(member_id=practitioner.id, thread_id=places["norman"].id))
    db.session.commit()
    assert titles(practitioner, following="1") == {places["norman"].title}
    db.session.add(TopicFollow(member_id=practitioner.id, topic_id=procurement.id))
    db.session.commit()
    assert titles(practitioner, following="1") == {
        places["norman"].title,
        places["tulsa"].title,
        places["nowhere"].title,
    }
    # Another member's follows are theirs alone.
    assert titles(make_member(), following="1") == set()


def test_filters_combine(practitioner, places, open_data):
    db.session.add(TopicFollow(member_id=practitioner.id, topic_id=open_data.id))
    db.session.commit()
    make_answer(places["norman"], make_member())
    assert titles(practitioner, following="1", like_mine="1", state="unanswered") == {
        places["springfield"].title
    }


def test_without_a_city_my_city_and_like_mine_do_not_narrow(members, places):
    coordinator = members["coordinator"]
    assert len(titles(coordinator, my_city="1", like_mine="1")) == 4


def test_the_sentence_states_every_active_filter(practitioner, city, open_data):
    filters = listing.read_thread_filters(
        {"state": "unanswered", "topic": "open-data", "like_mine": "1"}, [open_data]
    )
    assert listing.describe_filters(practitioner, filters) == (
        "Showing unanswered questions on Open Data from cities of 100,000 to 250,000 "
        "residents, like yours, latest activity first."
    )
    assert listing.describe_filters(practitioner, listing.ThreadFilters()) == (
        "Showing all questions, latest activity first."
    )
    filters = listing.read_thread_filters({"following": "1", "sort": "votes"}, [], city)
    assert listing.describe_filters(practitioner, filters) == (
        "Showing all questions you follow (or on topics you follow) about Springfield, IL, "
        "most votes first."
    )


# The page ------------------------------------------------------------------------------------


def test_the_page_states_the_filters_and_offers_to_clear_them(signed_in, places):
    page = text_of(signed_in.get("/discussions?state=unanswered&topic=open-data&like_mine=1"))
    assert (
        "Showing unanswered questions on Open Data from cities of 100,000 to 250,000 "
        "residents, like yours, latest activity first." in page
    )
    assert '<a href="/discussions">Clear filters</a>' in page
    assert 'id="discussions-like-mine" name="like_mine" value="1" checked' in page
    assert "Cities like yours have 100,000 to 250,000 residents, like Springfield, IL." in page
    assert "Clear filters" not in text_of(signed_in.get("/discussions"))


def test_the_city_filter_is_kept_by_the_form_and_named_on_the_page(signed_in, places):
    response = signed_in.get("/discussions?city=tulsa-ok")
    assert listed(response) == [places["tulsa"].title]
    page = text_of(response)
    assert "about Tulsa, OK" in page
    assert '<input type="hidden" name="city" value="tulsa-ok">' in page


def test_an_unknown_city_says_so_and_shows_every_city(signed_in, places):
    response = signed_in.get("/discussions?city=atlantis-zz")
    assert len(listed(response)) == 4
    assert "There is no city “atlantis-zz” in the directory" in text_of(response)


def test_a_viewer_without_a_city_cannot_tick_the_city_filters_and_is_told_why(
    client, members, places
):
    sign_in(client, members["coordinator"].email)
    page = text_of(client.get("/discussions"))
    assert 'id="discussions-my-city" name="my_city" value="1" disabled' in page
    assert 'id="discussions-like-mine" name="like_mine" value="1" disabled' in page
    assert "Your profile names no city, so these two cannot be used." in page
    response = client.get("/discussions?like_mine=1")
    assert len(listed(response)) == 4
    assert "do not narrow this list" in text_of(response)


def test_each_row_shows_its_badges_and_a_closed_duplicate_links_its_original(
    signed_in, places, practitioner
):
    original, duplicate = places["springfield"], places["norman"]
    answer = make_answer(original, practitioner)
    original = db.session.get(Thread, original.id)
    original.accepted_post_id = answer.id
    original.locked_at = utcnow()
    closed = db.session.get(Thread, duplicate.id)
    closed.closed_at = utcnow()
    closed.duplicate_of_id = original.id
    db.session.commit()
    page = text_of(signed_in.get("/discussions"))
    card = page.split(original.title + "</a></h2>")[1].split("</li>")[0]
    assert "Answered" in card and "Locked" in card and "1 answer," in card
    closed_card = page.split(closed.title + "</a></h2>")[1].split("</li>")[0]
    assert "Closed as duplicate" in closed_card
    assert (
        f'Closed as a duplicate of <a href="/discussions/{original.id}-{original.slug}">'
        f"{original.title}</a>" in closed_card
    )


def test_pinned_threads_come_first_under_every_filter(signed_in, places):
    pinned = db.session.get(Thread, places["nowhere"].id)
    pinned.pinned = True
    old = db.session.get(Thread, places["springfield"].id)
    old.last_activity_at = utcnow() - timedelta(days=30)
    db.session.commit()
    assert listed(signed_in.get("/discussions"))[0] == pinned.title
    assert listed(signed_in.get("/discussions?sort=newest&state=unanswered"))[0] == pinned.title
    assert listed(signed_in.get("/discussions"))[-1] == old.title


@pytest.mark.parametrize(
    ("query", "widen"),
    [
        ("following=1", "Questions I do not follow too"),
        ("like_mine=1&topic=procurement", "Cities of every size, not only ones like mine"),
        ("city=norman-ok&topic=procurement", "Every city, not only Norman, OK"),
        ("state=answered", "All questions, not only answered ones"),
        ("my_city=1&topic=procurement", "Every city, not only mine"),
    ],
)
def test_an_empty_filtered_list_says_how_to_widen_it(signed_in, places, query, widen):
    response = signed_in.get(f"/discussions?{query}")
    assert listed(response) == []
    page = text_of(response)
    assert "No discussion matches these filters" in page
    assert widen in page
    assert "Show every discussion" in page


def test_following_nothing_explains_how_to_follow(signed_in, places):
    page = text_of(signed_in.get("/discussions?following=1"))
    assert "Follow a question or a topic to see it here." in page


def test_odd_filter_values_never_break_the_list(signed_in, places):
    for query in (
        "city=%E2%80%8B",
        "city=" + "x" * 500,
        "following=maybe&like_mine=",
        "topic=&sort=up",
    ):
        assert len(listed(signed_in.get(f"/discussions?{query}"))) == 4, query


def test_a_topic_lists_the_same_threads_in_the_same_order_whichever_plan_is_used(
    app, client, practitioner, open_data, procurement, monkeypatch
):
    """Past TOPIC_WALK_FROM matching threads the topic filter is written as EXISTS (the
    list walks threads in display order); below it, as IN. The page must not change."""
    asker = make_member(display_name="Asha Asker")
    for number in range(30):
        thread = make_thread(
            asker,
            title=f"Open data question {number:02}",
            topics=[open_data] if number % 3 else [procurement],
        )
        thread.last_activity_at = utcnow() - timedelta(minutes=number * 7 % 30)
        thread.vote_count = number % 4
    db.session.commit()
    app.config["PER_PAGE"] = 8
    sign_in(client, practitioner.email)
    pages = {}
    for walk_from in (0, 10_000):
        monkeypatch.setattr(listing, "TOPIC_WALK_FROM", walk_from)
        pages[walk_from] = [
            listed(
                client.get(
                    f"/discussions?topic={open_data.slug}&sort={sort}&page={page}&state={state}"
                )
            )
            for state in ("", "unanswered")  # the walk keeps SQLite off the count's index
            for sort in ("activity", "newest", "votes")
            for page in (1, 2, 3)
        ]
    assert pages[0] == pages[10_000]
    assert pages[0][:9] == pages[0][9:]  # none of these threads has an answer yet
    by_activity = pages[0][0] + pages[0][1] + pages[0][2]
    assert [len(page) for page in pages[0][:3]] == [8, 8, 4]  # 20 of the 30 on open data
    assert len(set(by_activity)) == 20


def test_a_topic_alone_is_counted_from_its_index_and_the_count_is_the_lists(
    practitioner, places, procurement, open_data
):
    """The cheap count (thread_topic rows) must give the number of threads the list
    shows; any other filter falls back to counting the list's own statement."""
    topics = [procurement, open_data]
    counted, shown = {}, {}
    for topic in topics:
        filters = listing.read_thread_filters({"topic": topic.slug}, topics)
        counted[topic.slug] = db.session.scalar(
            listing.thread_count_statement(practitioner, filters)
        )
        shown[topic.slug] = len(
            db.session.scalars(listing.thread_list_statement(practitioner, filters)).all()
        )
    assert counted == shown
    assert sum(shown.values()) == len(places)  # each of the four threads has one topic
    for narrower in ({"state": "unanswered"}, {"my_city": "1"}, {"city": "tulsa-ok"}):
        args = {"topic": procurement.slug, **narrower}
        city = listing.city_in_filters(db.session, args)
        filters = listing.read_thread_filters(args, topics, city)
        assert listing.thread_count_statement(practitioner, filters) is None
