"""The discussion pages as a member uses them: list, ask, read, answer, vote, accept and
remove."""

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.discussions.pages import address, no_repeated_ids, text_of
from tests.factories import make_member
from wwc_community.discussions.models import Post, Thread, Vote
from wwc_community.extensions import db

# The list -----------------------------------------------------------------------------------


def test_an_empty_list_invites_the_first_question(signed_in):
    page = text_of(signed_in.get("/discussions"))
    assert "Nobody has asked a question yet" in page
    assert 'href="/discussions/new"' in page


def test_the_list_shows_each_thread_with_its_asker_city_topics_and_counts(
    signed_in, practitioner, city, open_data
):
    asker = make_member(city=city, display_name="Asha Asker")
    thread = make_thread(
        asker, title="How do you publish budget data?", topics=[open_data], city=city
    )
    make_answer(thread, practitioner)
    page = text_of(signed_in.get("/discussions"))
    assert "How do you publish budget data?" in page
    assert f'href="{address(thread)}"' in page
    assert "Asha Asker" in page and "Springfield, IL" in page and "Open Data" in page
    assert "1 answer," in page and "0 votes" in page
    assert "badge-success" not in page  # no accepted answer yet
    assert 'aria-current="page">Discussions' in page


def test_filters_that_match_nothing_say_so(signed_in, practitioner, open_data):
    make_thread(practitioner, topics=[open_data])
    page = text_of(signed_in.get("/discussions?state=answered"))
    assert "No discussion matches these filters" in page


def test_from_my_city_without_a_city_explains_itself(client, members):
    sign_in(client, members["coordinator"].email)
    page = text_of(client.get("/discussions?my_city=1"))
    assert "Your profile names no city" in page


def test_the_list_pages(app, signed_in, practitioner, open_data):
    for number in range(app.config["PER_PAGE"] + 1):
        make_thread(practitioner, title=f"Paging question number {number:03}", topics=[open_data])
    first = text_of(signed_in.get("/discussions"))
    second = text_of(signed_in.get("/discussions?page=2"))
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "Paging question number 000" in second


# Asking -------------------------------------------------------------------------------------


def test_the_ask_form_starts_from_the_askers_city(signed_in, open_data):
    page = text_of(signed_in.get("/discussions/new"))
    assert 'value="Springfield, IL"' in page
    assert 'type="checkbox"' in page and "Open Data" in page
    no_repeated_ids(page)


def test_asking_posts_the_question_and_shows_it(signed_in, practitioner, open_data, city):
    response = post_form(
        signed_in,
        "/discussions/new",
        {
            "title": "How do you run a data inventory?",
            "body": "We have **40** departments.",
            "topics": ["open-data"],
            "city": "Springfield, IL",
        },
    )
    thread = db.session.scalar(select(Thread))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(address(thread))
    assert thread.author_id == practitioner.id and thread.city_id == city.id
    page = text_of(signed_in.get(address(thread)))
    assert "Your question is posted." in page
    assert "<strong>40</strong>" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Short", "body": "x", "topics": ["open-data"]}, "at least 10 characters"),
        ({"title": "A long enough title", "body": "", "topics": ["open-data"]}, "Write your"),
        ({"title": "A long enough title", "body": "x"}, "Choose at least one topic"),
        ({"title": "A long enough title", "body": "x", "topics": ["nope"]}, "Choose topics from"),
        (
            {
                "title": "A long enough title",
                "body": "x",
                "topics": ["open-data"],
                "city": "Nowhere",
            },
            "could not find",
        ),
    ],
)
def test_a_refused_question_shows_the_form_again_and_saves_nothing(
    signed_in, open_data, data, message
):
    response = post_form(signed_in, "/discussions/new", data)
    page = text_of(response)
    assert response.status_code == 400
    assert message in page
    assert "There is a problem" in page or "There are problems" in page
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    no_repeated_ids(page)


# Reading a thread ---------------------------------------------------------------------------


def test_a_wrong_slug_redirects_to_the_right_one(signed_in, practitioner):
    thread = make_thread(practitioner)
    response = signed_in.get(f"/discussions/{thread.id}-old-title")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(address(thread))


def test_a_thread_that_does_not_exist_is_a_404(signed_in):
    response = signed_in.get("/discussions/999999-nothing")
    assert response.status_code == 404
    assert "no discussion at this address" in text_of(response)


def test_the_thread_shows_the_accepted_answer_first_and_the_right_buttons(signed_in, practitioner):
    other = make_member(display_name="Olga Other")
    thread = make_thread(practitioner, title="What should a first open-data policy say?")
    mine_elsewhere = make_thread(other)
    first = make_answer(thread, other, body="Start with an inventory.")
    accepted = make_answer(thread, make_member(display_name="Cara Chosen"), body="Publish a list.")
    post_form(signed_in, f"/discussions/posts/{accepted.id}/accept")
    page = text_of(signed_in.get(address(thread)))
    assert page.index("Publish a list.") < page.index("Start with an inventory.")
    assert "Accepted answer" in page
    # Buttons name the answer they act on.
    assert 'Vote up<span class="visually-hidden"> for the answer by Olga Other' in page
    assert 'Accept<span class="visually-hidden"> the answer by Olga Other' in page
    assert f'action="/discussions/posts/{first.id}/delete"' not in page
    no_repeated_ids(page)
    # On someone else's question there is no accept button.
    make_answer(mine_elsewhere, make_member())
    assert "Accept<span" not in text_of(signed_in.get(address(mine_elsewhere)))


# Answering, voting, accepting, removing -----------------------------------------------------


def test_answering_adds_the_answer_and_goes_to_it(signed_in, practitioner):
    thread = make_thread(make_member())
    response = post_form(
        signed_in, f"/discussions/{thread.id}/answers", {"body": "We used *CKAN*."}
    )
    post = db.session.scalar(select(Post))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{address(thread)}#post-{post.id}")
    page = text_of(signed_in.get(address(thread)))
    assert "<em>CKAN</em>" in page and "1 answer<" in page
    assert f'action="/discussions/posts/{post.id}/delete"' in page


def test_an_empty_answer_shows_the_thread_again_with_the_message(signed_in):
    thread = make_thread(make_member(), title="A question to answer badly")
    response = post_form(signed_in, f"/discussions/{thread.id}/answers", {"body": "  "})
    assert response.status_code == 400
    page = text_of(response)
    assert "Write your answer." in page and "A question to answer badly" in page
    assert db.session.scalar(select(Post.id)) is None


def test_answering_a_missing_thread_is_a_404(signed_in):
    response = post_form(signed_in, "/discussions/999999/answers", {"body": "Hi"})
    assert response.status_code == 404


def test_a_vote_button_toggles(signed_in, practitioner):
    thread = make_thread(make_member())
    post = make_answer(thread, make_member())
    response = post_form(signed_in, f"/discussions/posts/{post.id}/vote")
    assert response.status_code == 303
    page = text_of(signed_in.get(address(thread)))
    assert "Your vote is counted." in page and "1 vote<" in page
    assert 'aria-pressed="true"' in page and "Take back your vote" in page
    post_form(signed_in, f"/discussions/posts/{post.id}/vote")
    assert db.session.scalar(select(Vote.id)) is None
    assert "Your vote is taken back." in text_of(signed_in.get(address(thread)))


def test_voting_for_ones_own_answer_is_refused(signed_in, practitioner):
    post = make_answer(make_thread(make_member()), practitioner)
    response = post_form(signed_in, f"/discussions/posts/{post.id}/vote")
    assert response.status_code == 403
    assert "your own answer" in text_of(response)


def test_accepting_on_someone_elses_question_is_refused(signed_in):
    post = make_answer(make_thread(make_member()), make_member())
    response = post_form(signed_in, f"/discussions/posts/{post.id}/accept")
    assert response.status_code == 403
    assert db.session.get(Thread, post.thread_id).accepted_post_id is None


def test_removing_ones_answer_leaves_a_note_in_the_thread(signed_in, practitioner):
    thread = make_thread(make_member(), title="A thread that stays readable")
    post = make_answer(thread, practitioner, body="Something I regret")
    response = post_form(signed_in, f"/discussions/posts/{post.id}/delete")
    assert response.status_code == 303
    page = text_of(signed_in.get(address(thread)))
    assert "Removed by its author." in page and "Something I regret" not in page
    assert "A thread that stays readable" in page and "0 answers" in page


def test_acting_on_a_missing_post_is_a_404(signed_in):
    for verb in ("vote", "accept", "delete"):
        assert post_form(signed_in, f"/discussions/posts/999999/{verb}").status_code == 404


def test_a_deleted_members_posts_show_without_a_profile_link(signed_in, practitioner):
    from wwc_community.accounts.services import anonymise_member

    gone = make_member(display_name="Gone Member")
    thread = make_thread(gone, title="A question from a member who left")
    make_answer(thread, gone, body="My own follow-up")
    anonymise_member(db.session, gone)
    db.session.commit()
    page = text_of(signed_in.get(address(thread)))
    assert "Former member" in page and "former-member" not in page


# The profile ----------------------------------------------------------------------------------


def test_a_profile_lists_the_members_questions_and_answers(signed_in, practitioner):
    asker = make_member(display_name="Asha Asker")
    thread = make_thread(asker, title="Which survey tool do cities like?")
    post = make_answer(thread, practitioner)
    page = text_of(signed_in.get(f"/people/{asker.handle}"))
    assert "Questions asked (1)" in page and "Which survey tool do cities like?" in page
    assert "Asha Asker has not answered a question yet." in page
    own = text_of(signed_in.get(f"/people/{practitioner.handle}"))
    assert "Answers given (1)" in own
    assert f'href="{address(thread)}#post-{post.id}"' in own
    assert "You have not asked a question yet." in own
    no_repeated_ids(own)


def test_a_profile_makes_the_same_queries_however_many_posts(signed_in, practitioner):
    from tests.query_counts import counted_queries

    def queries() -> int:
        with counted_queries() as statements:
            assert signed_in.get(f"/people/{practitioner.handle}").status_code == 200
        return len(statements)

    empty = queries()
    for number in range(8):
        thread = make_thread(practitioner, title=f"Profile question number {number}")
        make_answer(thread, practitioner)
    assert queries() == empty
