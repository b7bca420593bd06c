"""The thread page as members use it: comments, edits and their history, permalinks that
land on the right page, the first-unread link, follow buttons, and what locked, closed
and hidden posts look like."""

import re

from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.discussions.factories import make_answer, make_thread
from tests.discussions.pages import address, no_repeated_ids, text_of
from tests.factories import make_member, make_topic
from tests.query_counts import counted_queries
from wwc_community.core.database import utcnow
from wwc_community.discussions import services
from wwc_community.discussions.models import Post, Thread, TopicFollow
from wwc_community.extensions import db


def add_comment(thread, answer, author, body="Which tool did you use?"):
    posted = services.post_comment(
        db.session, author, db.session.get(Thread, thread.id), db.session.get(Post, answer.id), body
    )
    db.session.commit()
    return posted


# Comments -----------------------------------------------------------------------------------


def test_comments_show_under_their_answer_oldest_first(signed_in, practitioner):
    thread = make_thread(make_member())
    answer = make_answer(thread, make_member(display_name="Ana Ruiz"))
    add_comment(thread, answer, make_member(), "First comment")
    add_comment(thread, answer, practitioner, "Second comment")
    page = text_of(signed_in.get(address(thread)))
    assert page.index("First comment") < page.index("Second comment")
    assert 'aria-label="Comments on the answer by Ana Ruiz (2)"' in page
    assert "Edit your comment" in page and "Remove your comment" in page
    assert "Add a comment" in page and 'maxlength="2000"' in page
    assert "1 answer" in page
    no_repeated_ids(page)


def test_a_comment_is_posted_and_lands_at_its_place(signed_in, practitioner):
    thread = make_thread(make_member())
    answer = make_answer(thread, make_member())
    response = post_form(signed_in, f"/discussions/posts/{answer.id}/comments", {"body": "Thanks!"})
    comment = db.session.scalar(select(Post).where(Post.parent_id == answer.id))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{address(thread)}#post-{comment.id}")
    assert "Your comment is posted." in text_of(signed_in.get(address(thread)))


def test_a_refused_comment_comes_back_with_its_text_and_the_reason(signed_in):
    thread = make_thread(make_member())
    answer = make_answer(thread, make_member())
    too_long = "Really " * 400
    response = post_form(signed_in, f"/discussions/posts/{answer.id}/comments", {"body": too_long})
    page = text_of(response)
    assert response.status_code == 400
    assert "Keep your comment to 2,000 characters" in page and too_long.strip() in page
    assert db.session.scalar(select(Post.id).where(Post.parent_id == answer.id)) is None
    reply_to_comment = add_comment(thread, answer, make_member())
    response = post_form(
        signed_in, f"/discussions/posts/{reply_to_comment.id}/comments", {"body": "Hi"}
    )
    assert response.status_code == 400 and "one level deep" in text_of(response)


def test_removing_a_comment_leaves_a_marker(signed_in, practitioner):
    thread = make_thread(make_member())
    answer = make_answer(thread, make_member())
    comment = add_comment(thread, answer, practitioner, "Oops, wrong thread")
    response = post_form(signed_in, f"/discussions/posts/{comment.id}/delete")
    assert response.status_code == 303
    page = text_of(signed_in.get(address(thread)))
    assert "Your comment is removed." in page and "Comment removed by its author." in page
    assert "Oops, wrong thread" not in page


# Editing and history --------------------------------------------------------------------


def test_the_author_edits_a_question_and_the_page_links_its_history(signed_in, practitioner):
    thread = make_thread(practitioner, title="How do you publish budget data?", body="First")
    form = text_of(signed_in.get(f"/discussions/{thread.id}/edit"))
    assert 'value="How do you publish budget data?"' in form and "First</textarea>" in form
    no_repeated_ids(form)
    response = post_form(
        signed_in,
        f"/discussions/{thread.id}/edit",
        {"title": "How do you publish open budget data?", "body": "Second"},
    )
    thread = db.session.get(Thread, thread.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(address(thread))
    page = text_of(signed_in.get(address(thread)))
    assert "Your changes are saved." in page and "Second" in page
    assert f'href="/discussions/{thread.id}/history">edited' in page
    history = text_of(signed_in.get(f"/discussions/{thread.id}/history"))
    assert history.index("Second") < history.index("First")
    assert "2 versions" in history and "How do you publish budget data?" in history


def test_a_bad_edit_is_shown_again_with_the_reason(signed_in, practitioner):
    thread = make_thread(practitioner, title="How do you publish budget data?")
    response = post_form(
        signed_in, f"/discussions/{thread.id}/edit", {"title": "Short", "body": "Still here"}
    )
    assert response.status_code == 400
    assert "at least 10 characters" in text_of(response) and "Still here" in text_of(response)
    assert db.session.get(Thread, thread.id).edited_at is None


def test_an_answer_and_a_comment_are_edited_on_their_own_pages(signed_in, practitioner):
    thread = make_thread(make_member())
    answer = make_answer(thread, practitioner, body="We used a spreadsheet.")
    comment = add_comment(thread, answer, practitioner, "Short note")
    assert "Edit your answer" in text_of(signed_in.get(f"/discussions/posts/{answer.id}/edit"))
    response = post_form(
        signed_in, f"/discussions/posts/{answer.id}/edit", {"body": "We used a database."}
    )
    assert response.headers["Location"].endswith(f"#post-{answer.id}")
    response = post_form(signed_in, f"/discussions/posts/{comment.id}/edit", {"body": "x" * 2001})
    assert response.status_code == 400 and "2,000 characters" in text_of(response)
    page = text_of(signed_in.get(address(thread)))
    assert "We used a database." in page and f"/discussions/posts/{answer.id}/history" in page
    history = text_of(signed_in.get(f"/discussions/posts/{answer.id}/history"))
    assert "We used a spreadsheet." in history and "We used a database." in history


def test_nobody_edits_another_members_words(signed_in, client, members):
    thread = make_thread(make_member())
    answer = make_answer(thread, make_member())
    assert signed_in.get(f"/discussions/{thread.id}/edit").status_code == 403
    assert signed_in.get(f"/discussions/posts/{answer.id}/edit").status_code == 403
    page = text_of(signed_in.get(address(thread)))
    assert "Edit your" not in page


# Paging, permalinks and the first unread post --------------------------------------------


def test_answers_page_and_a_permalink_lands_on_the_right_page(app_with):
    app = app_with(DISCUSSION_ANSWERS_PER_PAGE=2)
    client = app.test_client()
    reader = make_member()
    thread = make_thread(make_member())
    answers = [make_answer(thread, make_member(), body=f"Answer number {n}") for n in range(5)]
    comment = add_comment(thread, answers[3], make_member(), "A comment on answer 3")
    sign_in(client, reader.email)
    first = text_of(client.get(address(thread)))
    assert 'aria-label="Pages of answers"' in first and "Page 1 of 3" in first
    assert "Answer number 0" in first and "Answer number 2" not in first
    response = client.get(f"/discussions/posts/{comment.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{address(thread)}?page=2#post-{comment.id}")
    second = text_of(client.get(f"{address(thread)}?page=2"))
    assert "Answer number 3" in second and "A comment on answer 3" in second
    assert client.get("/discussions/posts/999999").status_code == 404


def test_the_first_unread_link_appears_after_new_posts(signed_in, practitioner):
    thread = make_thread(make_member())
    make_answer(thread, make_member())
    assert "Jump to the first unread post" not in text_of(signed_in.get(address(thread)))
    assert "Jump to the first unread post" not in text_of(signed_in.get(address(thread)))
    newer = make_answer(thread, make_member())
    page = text_of(signed_in.get(address(thread)))
    assert f'<a href="/discussions/posts/{newer.id}">Jump to the first unread post</a>' in page
    assert "Jump to the first unread post" not in text_of(signed_in.get(address(thread)))


def test_a_reread_with_nothing_new_writes_nothing_and_news_moves_the_mark(signed_in, practitioner):
    thread = make_thread(make_member())
    make_answer(thread, make_member())
    signed_in.get(address(thread))
    first_mark = services.last_read_at(db.session, practitioner, thread.id)
    assert first_mark is not None
    with counted_queries() as statements:
        signed_in.get(address(thread))
    assert not [s for s in statements if "thread_reading" in s and "INSERT" in s.upper()]
    assert services.last_read_at(db.session, practitioner, thread.id) == first_mark
    make_answer(thread, make_member())
    signed_in.get(address(thread))
    assert services.last_read_at(db.session, practitioner, thread.id) > first_mark


# Follows ------------------------------------------------------------------------------------


def test_follow_and_stop_following_a_thread(signed_in, practitioner):
    thread = make_thread(make_member())
    page = text_of(signed_in.get(address(thread)))
    assert f'action="/discussions/{thread.id}/follow"' in page
    response = post_form(signed_in, f"/discussions/{thread.id}/follow")
    assert response.status_code == 303 and response.headers["Location"].endswith(address(thread))
    page = text_of(signed_in.get(address(thread)))
    assert "You follow this discussion" in page and "Stop following" in page
    post_form(signed_in, f"/discussions/{thread.id}/unfollow")
    assert not services.is_following(db.session, practitioner, thread)


def test_follow_a_topic_and_go_back_to_a_local_page_only(signed_in, practitioner):
    topic = make_topic("Open Data")
    response = post_form(
        signed_in, "/discussions/topics/open-data/follow", {"next": "/discussions?topic=open-data"}
    )
    assert response.headers["Location"].endswith("/discussions?topic=open-data")
    assert db.session.scalar(select(TopicFollow.topic_id)) == topic.id
    response = post_form(
        signed_in, "/discussions/topics/open-data/unfollow", {"next": "https://evil.example"}
    )
    assert response.headers["Location"].endswith("/topics/open-data")
    assert db.session.scalar(select(TopicFollow.topic_id)) is None
    assert post_form(signed_in, "/discussions/topics/no-such-topic/follow").status_code == 404


# Locked, closed and hidden ----------------------------------------------------------------


def test_a_closed_duplicate_links_its_original_and_takes_no_answers(signed_in, practitioner):
    original = make_thread(make_member(), title="How do you run a data inventory?")
    thread = make_thread(practitioner, title="Data inventory: where to start?")
    thread = db.session.get(Thread, thread.id)
    thread.closed_at, thread.duplicate_of_id = utcnow(), original.id
    db.session.commit()
    page = text_of(signed_in.get(address(thread)))
    assert (
        f'This question was closed as a duplicate of <a href="{address(original)}">'
        "How do you run a data inventory?</a>" in page
    )
    assert "Answer this question" not in page and "Edit your question" not in page
    response = post_form(signed_in, f"/discussions/{thread.id}/answers", {"body": "Late"})
    assert response.status_code == 400 and "closed as a duplicate" in text_of(response)
    assert signed_in.get(f"/discussions/{thread.id}/edit").status_code == 409


def test_a_locked_thread_says_so(signed_in):
    thread = make_thread(make_member())
    make_answer(thread, make_member())
    thread = db.session.get(Thread, thread.id)
    thread.locked_at = utcnow()
    db.session.commit()
    page = text_of(signed_in.get(address(thread)))
    assert "A moderator locked this discussion" in page
    assert "Add a comment" not in page and "Answer this question" not in page


def test_a_hidden_answer_shows_only_to_its_author_and_coordinators(client, members):
    thread = make_thread(make_member())
    author = make_member()
    post = make_answer(thread, author, body="Contested claim")
    post = db.session.get(Post, post.id)
    post.hidden_at = utcnow()
    db.session.commit()
    for email, sees in (
        (members["practitioner"].email, False),
        (author.email, True),
        (members["coordinator"].email, True),
    ):
        sign_in(client, email)
        page = text_of(client.get(address(thread)))
        assert ("Contested claim" in page) is sees
        assert "Hidden by a moderator" in page
        assert "Vote up" not in page
        client.post("/auth/logout", data={"csrf_token": _token(page)})


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


# The new-member limit -------------------------------------------------------------------


def test_a_new_member_over_the_limit_is_told_when_to_come_back(app_with):
    app = app_with(DISCUSSION_NEW_MEMBER_POSTS_PER_HOUR=1)
    client = app.test_client()
    newcomer = make_member()
    thread = make_thread(make_member())
    sign_in(client, newcomer.email)
    assert (
        post_form(client, f"/discussions/{thread.id}/answers", {"body": "One"}).status_code == 303
    )
    response = post_form(client, f"/discussions/{thread.id}/answers", {"body": "Two"})
    assert response.status_code == 400
    assert "You can post again in about 60 minutes" in text_of(response)
    assert "Two</textarea>" in text_of(response)


def test_reading_marks_never_fail_while_others_post(app, members):
    """Each view writes a read mark; members answering at the same moment must not make
    a page view fail with "database is locked" (SQLite) or a conflict (PostgreSQL)."""
    import threading

    from wwc_community.accounts.models import Member

    thread = make_thread(make_member())
    readers = [make_member() for _ in range(3)]
    writers = [make_member() for _ in range(3)]
    clients = []
    for reader in readers:
        reader_client = app.test_client()
        sign_in(reader_client, reader.email)
        clients.append(reader_client)
    path, thread_id = address(thread), thread.id
    writer_ids = [writer.id for writer in writers]
    db.session.commit()
    barrier = threading.Barrier(len(clients) + len(writer_ids))
    statuses, errors = [], []

    def read(reader_client):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                for _ in range(3):
                    statuses.append(reader_client.get(path).status_code)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    def write(member_id):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                for _ in range(3):
                    services.post_answer(
                        db.session,
                        db.session.get(Member, member_id),
                        db.session.get(Thread, thread_id),
                        "Same moment",
                    )
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=read, args=(c,)) for c in clients]
    workers += [threading.Thread(target=write, args=(m,)) for m in writer_ids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert errors == [] and statuses == [200] * 9
    assert db.session.get(Thread, thread_id).answer_count == 9
