"""The moderation pages as members and coordinators use them: flagging, the flag queue,
hiding, locking, pinning, moving, closing as a duplicate, the log, and the controls on
the thread page."""

import re

import pytest
from flask import render_template_string
from flask_login import login_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tests.conftest import post_form, sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.discussions.pages import address, text_of
from tests.factories import make_member, make_topic
from tests.query_counts import counted_queries
from wwc_community.accounts.models import Role
from wwc_community.discussions import moderation
from wwc_community.discussions.models import Flag, ModerationEntry, Post, Thread
from wwc_community.extensions import db


@pytest.fixture
def asker(app):
    return make_member(display_name="Asha Asker")


@pytest.fixture
def answerer(app):
    return make_member(display_name="Ana Answerer")


@pytest.fixture
def thread(asker):
    return make_thread(asker, title="How do you publish budget data?")


@pytest.fixture
def answer(thread, answerer):
    return make_answer(thread, answerer, "Buy my consulting services at spam.example")


@pytest.fixture
def coordinator(members):
    return members["coordinator"]


def count(model) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(model))


# Flagging ---------------------------------------------------------------------------------


def test_a_member_flags_an_answer_and_cannot_flag_it_twice(client, practitioner, thread, answer):
    sign_in(client, practitioner.email)
    page = text_of(client.get(f"/discussions/posts/{answer.id}/flag"))
    assert "Flag this answer" in page and "Spam or advertising" in page
    assert "consulting services" in page

    response = post_form(
        client, f"/discussions/posts/{answer.id}/flag", {"reason": "spam", "details": "An ad."}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{address(thread)}#post-{answer.id}")
    flag = db.session.scalar(select(Flag))
    assert (flag.reporter_id, flag.reason, flag.details) == (practitioner.id, "spam", "An ad.")

    again = client.get(f"/discussions/posts/{answer.id}/flag", follow_redirects=True)
    assert "You have already flagged this answer" in text_of(again)
    assert count(Flag) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "other", "details": ""}, "Say what is wrong"),
        ({"reason": "spam", "details": "x" * 1001}, "Use at most 1,000 characters."),
        ({}, "Choose why you are flagging this."),
    ],
)
def test_a_flag_with_bad_input_is_shown_again_and_nothing_saved(
    client, practitioner, thread, answer, data, message
):
    sign_in(client, practitioner.email)
    response = post_form(client, f"/discussions/posts/{answer.id}/flag", data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert count(Flag) == 0


def test_a_member_flags_a_question(client, practitioner, thread):
    sign_in(client, practitioner.email)
    assert "Flag this question" in text_of(client.get(f"/discussions/{thread.id}/flag"))
    response = post_form(client, f"/discussions/{thread.id}/flag", {"reason": "off_topic"})
    assert response.status_code == 303
    assert db.session.scalar(select(Flag.post_id)) is None and count(Flag) == 1


def test_nobody_flags_their_own_answer(client, answerer, answer):
    sign_in(client, answerer.email)
    assert client.get(f"/discussions/posts/{answer.id}/flag").status_code == 403
    response = post_form(client, f"/discussions/posts/{answer.id}/flag", {"reason": "spam"})
    assert response.status_code == 403
    assert count(Flag) == 0


def test_flagging_something_that_does_not_exist_is_a_404(client, practitioner):
    sign_in(client, practitioner.email)
    assert client.get("/discussions/posts/999999/flag").status_code == 404
    assert client.get("/discussions/999999/flag").status_code == 404


# The flag queue -----------------------------------------------------------------------------


def test_an_empty_queue_says_so(client, coordinator):
    sign_in(client, coordinator.email)
    page = text_of(client.get("/discussions/flags"))
    assert "No flags are waiting" in page
    assert 'aria-current="page">Flags</a>' in page


def test_the_queue_groups_flags_and_hiding_from_it_resolves_them(
    client, coordinator, thread, answer, answerer
):
    for details in ("An advert.", "Selling things."):
        moderation.flag_item(db.session, make_member(), thread, answer, "spam", details)
    moderation.flag_item(db.session, make_member(), thread, None, "off_topic")
    db.session.commit()
    sign_in(client, coordinator.email)
    page = text_of(client.get("/discussions/flags"))
    assert "2 items are waiting" in page
    assert "Spam or advertising (2)" in page and "Off-topic for this discussion" in page
    assert "consulting services" in page and "“Selling things.”" in page
    assert f'href="{address(thread)}#post-{answer.id}"' in page

    hide_link = f"/discussions/posts/{answer.id}/hide?back=/discussions/flags?"
    assert "Why are you hiding it?" in text_of(client.get(hide_link))
    response = post_form(
        client,
        f"/discussions/posts/{answer.id}/hide",
        {"reason": "Advertising.", "back": "/discussions/flags?"},
    )
    assert response.status_code == 303 and response.headers["Location"].startswith(
        "/discussions/flags"
    )
    assert db.session.get(Post, answer.id).is_hidden
    page = text_of(client.get("/discussions/flags"))
    assert "1 item is waiting" in page and "consulting services" not in page

    resolved = text_of(client.get("/discussions/flags?show=resolved"))
    assert resolved.count("Post hidden by") == 2


def test_dismissing_from_the_queue(client, coordinator, thread, answer):
    moderation.flag_item(db.session, make_member(), thread, answer, "spam")
    db.session.commit()
    sign_in(client, coordinator.email)
    response = post_form(
        client,
        f"/discussions/{thread.id}/flags/dismiss",
        {"post_id": str(answer.id), "back": "/discussions/flags"},
    )
    assert response.status_code == 303
    assert "1 flag is dismissed" in text_of(client.get("/discussions/flags"))
    assert db.session.scalar(select(Flag.resolution)) == "dismissed"
    assert not db.session.get(Post, answer.id).is_hidden


def test_the_queue_refuses_an_unknown_tab(client, coordinator):
    sign_in(client, coordinator.email)
    response = client.get("/discussions/flags?show=everything")
    assert response.status_code == 400 and "open" in text_of(response)


def test_the_queue_pages(app_with):
    app = app_with(PER_PAGE=2)
    client = app.test_client()
    coordinator = make_member(Role.COORDINATOR)
    thread = make_thread(make_member())
    for n in range(5):
        post = make_answer(thread, make_member(), f"Answer number {n}")
        moderation.flag_item(db.session, make_member(), thread, post, "spam")
    db.session.commit()
    sign_in(client, coordinator.email)
    assert "Page 1 of 3" in text_of(client.get("/discussions/flags"))
    last = text_of(client.get("/discussions/flags?page=3"))
    assert "Page 3 of 3" in last and last.count('class="card"') == 1


# Hiding, locking, pinning, moving and closing --------------------------------------------------


def test_hiding_without_a_reason_is_refused_and_nothing_changes(client, coordinator, answer):
    sign_in(client, coordinator.email)
    response = post_form(client, f"/discussions/posts/{answer.id}/hide", {"reason": " "})
    assert response.status_code == 400
    assert "Say why you are hiding this answer." in text_of(response)
    assert not db.session.get(Post, answer.id).is_hidden and count(ModerationEntry) == 0


def test_restoring_a_hidden_answer(client, coordinator, answer):
    moderation.hide_post(db.session, coordinator, answer, "Spam.")
    db.session.commit()
    sign_in(client, coordinator.email)
    response = post_form(
        client, f"/discussions/posts/{answer.id}/restore", {"reason": "A real answer."}
    )
    assert response.status_code == 303
    assert not db.session.get(Post, answer.id).is_hidden


def test_lock_needs_a_reason_then_unlock(client, coordinator, thread):
    sign_in(client, coordinator.email)
    response = post_form(client, f"/discussions/{thread.id}/lock", {"reason": ""})
    assert response.status_code == 400 and "Say why you are locking" in text_of(response)
    assert not db.session.get(Thread, thread.id).is_locked
    response = post_form(client, f"/discussions/{thread.id}/lock", {"reason": "Settled."})
    assert response.status_code == 303 and db.session.get(Thread, thread.id).is_locked
    assert post_form(client, f"/discussions/{thread.id}/unlock").status_code == 303
    assert not db.session.get(Thread, thread.id).is_locked


def test_pin_twice_says_it_is_already_pinned(client, coordinator, thread):
    sign_in(client, coordinator.email)
    post_form(client, f"/discussions/{thread.id}/pin")
    response = post_form(client, f"/discussions/{thread.id}/pin")
    assert response.status_code == 303
    assert db.session.get(Thread, thread.id).pinned
    assert "already pinned" in text_of(client.get(response.headers["Location"]))
    assert count(ModerationEntry) == 1


def test_move_topics_page(client, coordinator, asker):
    open_data, evaluations = make_topic("Open Data"), make_topic("Evaluations")
    thread = make_thread(asker, topics=[open_data])
    sign_in(client, coordinator.email)
    page = text_of(client.get(f"/discussions/{thread.id}/topics"))
    checked = re.findall(r'<input checked [^>]*value="([^"]+)"', page)
    assert checked == [open_data.slug]

    response = post_form(client, f"/discussions/{thread.id}/topics", {"topics": "no-such-topic"})
    assert response.status_code == 400
    assert "There is no topic called “no-such-topic”." in text_of(response)
    response = post_form(client, f"/discussions/{thread.id}/topics", {})
    assert response.status_code == 400 and "Choose at least one topic" in text_of(response)
    assert count(ModerationEntry) == 0

    response = post_form(client, f"/discussions/{thread.id}/topics", {"topics": evaluations.slug})
    assert response.status_code == 303
    assert db.session.scalar(select(ModerationEntry.details)) == "topics Open Data → Evaluations"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "cannot be a duplicate of itself"),
        ("999999", "There is no discussion number 999999."),
        ("a question about budgets", "neither a discussion"),
        ("", "Give the address or number of the original discussion."),
    ],
)
def test_closing_with_a_bad_target_is_refused(client, coordinator, thread, target, message):
    sign_in(client, coordinator.email)
    if target == "self":
        target = f"http://localhost{address(thread)}"
    response = post_form(client, f"/discussions/{thread.id}/close", {"target": target})
    assert response.status_code == 400
    assert message in text_of(response)
    assert not db.session.get(Thread, thread.id).is_closed and count(ModerationEntry) == 0


def test_closing_names_the_original_of_a_chained_duplicate(client, coordinator, thread, answerer):
    original = make_thread(answerer, title="The original budget question")
    copy = make_thread(answerer, title="A second budget question")
    moderation.close_as_duplicate(db.session, coordinator, copy, str(original.id))
    db.session.commit()
    sign_in(client, coordinator.email)
    response = post_form(client, f"/discussions/{thread.id}/close", {"target": str(copy.id)})
    assert response.status_code == 400
    assert "The original budget question" in text_of(response)


def test_closing_as_a_duplicate_then_reopening(client, coordinator, thread, answerer):
    original = make_thread(answerer, title="The original budget question")
    sign_in(client, coordinator.email)
    response = post_form(
        client, f"/discussions/{thread.id}/close", {"target": address(original), "reason": ""}
    )
    assert response.status_code == 303
    closed = db.session.get(Thread, thread.id)
    assert closed.duplicate_of_id == original.id and closed.is_closed
    assert post_form(client, f"/discussions/{thread.id}/reopen").status_code == 303
    assert db.session.get(Thread, thread.id).duplicate_of_id is None


# The log ------------------------------------------------------------------------------------


def test_the_log_lists_actions_in_words_and_filters(client, coordinator, thread, answer):
    moderation.lock_thread(db.session, coordinator, thread, "The question is settled.")
    moderation.hide_post(db.session, coordinator, answer, "Advertising.")
    db.session.commit()
    sign_in(client, coordinator.email)
    page = text_of(client.get("/discussions/moderation-log"))
    assert "Locked the thread" in page and "Hid a post" in page
    assert "The question is settled." in page and coordinator.display_name in page
    assert page.index("Hid a post</td>") < page.index("Locked the thread</td>")
    assert f'href="{address(thread)}#post-{answer.id}"' in page

    filtered = text_of(client.get("/discussions/moderation-log?action=lock"))
    assert "Locked the thread</td>" in filtered and "Hid a post</td>" not in filtered
    nothing = text_of(client.get("/discussions/moderation-log?action=pin"))
    assert "No “Pinned the thread” actions yet" in nothing

    response = client.get("/discussions/moderation-log?action=explode")
    assert response.status_code == 400 and "no moderation action called" in text_of(response)


def test_an_empty_log_says_so(client, coordinator):
    sign_in(client, coordinator.email)
    assert "No moderation actions yet" in text_of(client.get("/discussions/moderation-log"))


# The controls on the thread page ---------------------------------------------------------------


@pytest.fixture
def partials(app):
    """Render the two partials as the thread page uses them, for one member, in a
    request of its own; return the HTML and how many queries the partials made."""

    def render(member, thread, posts):
        with app.app_context(), app.test_request_context("/"):
            login_user(member)
            thread = db.session.get(Thread, thread.id)
            posts = db.session.scalars(
                select(Post)
                .where(Post.id.in_([p.id for p in posts]))
                .options(selectinload(Post.author))
                .order_by(Post.id)
            ).all()
            with counted_queries() as statements:
                html = render_template_string(
                    '{% from "discussions/_post_moderation.html" import post_moderation %}'
                    '{% include "discussions/_thread_moderation.html" %}'
                    "{% set mod = moderation_view(thread) %}"
                    "{% for post in posts %}"
                    "{{ post_moderation(post, mod, current_user.id) }}"
                    "{% endfor %}",
                    thread=thread,
                    posts=posts,
                )
            return html, len(statements)

    return render


def test_members_see_flag_buttons_except_on_their_own_posts(partials, practitioner, thread, answer):
    own = make_answer(thread, practitioner, "My own answer.")
    html, _ = partials(practitioner, thread, [answer, own])
    assert f'href="/discussions/posts/{answer.id}/flag"' in html
    assert f'href="/discussions/posts/{own.id}/flag"' not in html
    assert f'href="/discussions/{thread.id}/flag"' in html
    assert "/hide" not in html and "Moderation" not in html


def test_the_flagger_sees_they_flagged_and_nobody_else_does(
    partials, practitioner, members, thread, answer
):
    moderation.flag_item(db.session, practitioner, thread, answer, "spam")
    db.session.commit()
    html, _ = partials(practitioner, thread, [answer])
    assert "You flagged this answer." in html
    assert f'href="/discussions/posts/{answer.id}/flag"' not in html
    other, _ = partials(members["partner"], thread, [answer])
    assert "You flagged" not in other and "open flag" not in other


def test_coordinators_see_controls_counts_and_history(partials, coordinator, thread, answer):
    moderation.flag_item(db.session, make_member(), thread, answer, "spam")
    moderation.pin_thread(db.session, coordinator, thread, "Asked often.")
    db.session.commit()
    html, _ = partials(coordinator, thread, [answer])
    assert "1 open flag<span" in html
    assert f'href="/discussions/posts/{answer.id}/hide"' in html
    assert "Unpin" in html and "Lock…" in html and "Close as a duplicate…" in html
    assert "pinned the thread" in html and "Asked often." in html
    assert '/flag"' not in html


def test_a_closed_thread_links_its_original(client, practitioner, coordinator, thread, answerer):
    original = make_thread(answerer, title="The original budget question")
    sign_in(client, coordinator.email)
    post_form(client, f"/discussions/{thread.id}/close", {"target": str(original.id)})
    post_form(client, "/auth/logout")
    sign_in(client, practitioner.email)
    page = text_of(client.get(address(thread)))
    assert f'href="{address(original)}">The original budget question</a>' in page


def test_the_partials_make_the_same_queries_for_5_and_50_posts(partials, coordinator, thread):
    posts = [make_answer(thread, make_member(), f"Answer {n}") for n in range(50)]
    for post in posts[:10]:
        moderation.flag_item(db.session, make_member(), thread, post, "spam")
    db.session.commit()
    for member in (coordinator, make_member()):
        _, few = partials(member, thread, posts[:5])
        _, many = partials(member, thread, posts)
        assert few == many <= 3


def test_the_thread_page_includes_the_partials(client, practitioner, thread, answer):
    sign_in(client, practitioner.email)
    page = text_of(client.get(address(thread)))
    assert f'href="/discussions/posts/{answer.id}/flag"' in page
    assert f'href="/discussions/{thread.id}/flag"' in page
