"""The thread's rules beyond asking and answering: edits and their history, mentions,
comments, follows, notifications, the new-member limit, and what locked, closed and
hidden posts refuse."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_city, make_member, make_topic
from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.discussions import services
from wwc_community.discussions.models import Post, PostRevision, Thread, ThreadReading
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification


@pytest.fixture
def asker(app, city):
    return make_member(city=city, display_name="Asha Asker")


@pytest.fixture
def answerer(app):
    return make_member(city=make_city("Austin", "TX", 961_855), display_name="Ana Ruiz")


@pytest.fixture
def other(app):
    return make_member(display_name="Omar Other")


def reloaded(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def notifications(member=None, kind=None):
    statement = select(Notification).order_by(Notification.id)
    if member is not None:
        statement = statement.where(Notification.member_id == member.id)
    if kind is not None:
        statement = statement.where(Notification.kind == kind)
    return db.session.scalars(statement).all()


def comment(thread, answer, author, body="Which tool did you use?"):
    posted = services.post_comment(db.session, author, reloaded(thread), reloaded(answer), body)
    db.session.commit()
    return posted


# Editing ------------------------------------------------------------------------------------


def test_editing_a_question_keeps_the_earlier_version(asker):
    thread = make_thread(asker, title="How do you publish budget data?", body="First **draft**")
    changed = services.edit_question(
        db.session, asker, thread, "How do you publish open budget data?", "Second draft"
    )
    db.session.commit()
    thread = reloaded(thread)
    assert changed and thread.edited_at is not None
    assert thread.title == "How do you publish open budget data?"
    assert thread.slug == "how-do-you-publish-open-budget-data"
    revision = db.session.scalar(select(PostRevision))
    assert revision.post_id is None and revision.title == "How do you publish budget data?"
    assert "<strong>draft</strong>" in revision.body_html and revision.editor_id == asker.id
    versions = services.history_of(db.session, asker, get(thread))
    assert [v.title for v in versions] == [thread.title, "How do you publish budget data?"]
    assert versions[0].is_current and not versions[1].is_current


def get(thread):
    return services.get_thread(db.session, db.session.get(Member, thread.author_id), thread.id)


def test_an_unchanged_edit_saves_no_version(asker):
    thread = make_thread(asker, title="How do you publish budget data?", body="Same")
    assert not services.edit_question(db.session, asker, thread, thread.title, "Same")
    assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0


def test_only_the_author_edits_not_even_a_coordinator(asker, answerer):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    for outsider in (answerer, make_member(Role.COORDINATOR)):
        with pytest.raises(NotPermitted, match="your own questions"):
            services.edit_question(db.session, outsider, thread, thread.title, "Mine now")
    for outsider in (asker, make_member(Role.ADMIN)):
        with pytest.raises(NotPermitted, match="your own answers"):
            services.edit_post(db.session, outsider, thread, post, "Mine now")


def test_an_edit_is_checked_like_a_new_post(asker, answerer):
    thread = make_thread(asker)
    post = make_answer(thread, answerer, body="Original")
    with pytest.raises(Invalid, match="at least 10 characters"):
        services.edit_question(db.session, asker, thread, "Short", "Body")
    with pytest.raises(Invalid, match="20,000 characters"):
        services.edit_post(db.session, answerer, thread, post, "x" * 20_001)
    db.session.rollback()
    assert reloaded(post).body == "Original" and reloaded(post).edited_at is None
    assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0


def test_each_edit_of_an_answer_is_kept_newest_first(asker, answerer):
    thread = make_thread(asker)
    post = make_answer(thread, answerer, body="one")
    for body in ("two", "three"):
        services.edit_post(db.session, answerer, reloaded(thread), reloaded(post), body)
        db.session.commit()
    versions = services.history_of(
        db.session, asker, get(thread), services.get_post(db.session, asker, post.id)
    )
    assert [v.body_html for v in versions] == ["<p>three</p>", "<p>two</p>", "<p>one</p>"]
    assert all(v.editor.id == answerer.id for v in versions)


def test_removed_and_hidden_posts_cannot_be_edited(asker, answerer):
    thread = make_thread(asker)
    removed, hidden = make_answer(thread, answerer), make_answer(thread, answerer)
    services.delete_own_post(db.session, answerer, removed)
    hidden.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(Conflict, match="removed"):
        services.edit_post(db.session, answerer, reloaded(thread), reloaded(removed), "Back")
    with pytest.raises(Conflict, match="hid"):
        services.edit_post(db.session, answerer, reloaded(thread), reloaded(hidden), "Back")
    removed, hidden = (services.get_post(db.session, asker, p.id) for p in (removed, hidden))
    with pytest.raises(NotFound):
        services.history_of(db.session, asker, get(thread), removed)
    with pytest.raises(NotPermitted):
        services.history_of(db.session, asker, get(thread), hidden)
    assert services.history_of(db.session, answerer, get(thread), hidden)


# Locked, closed and hidden ------------------------------------------------------------------


@pytest.mark.parametrize("state", ["locked", "closed"])
def test_a_locked_or_closed_thread_refuses_answers_comments_and_edits(asker, answerer, state):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    thread = reloaded(thread)
    if state == "locked":
        thread.locked_at = utcnow()
    else:
        thread.closed_at, thread.duplicate_of_id = utcnow(), make_thread(asker).id
    db.session.commit()
    message = "locked" if state == "locked" else "duplicate"
    thread, post = reloaded(thread), reloaded(post)
    with pytest.raises(Conflict, match=message):
        services.post_answer(db.session, answerer, thread, "More")
    with pytest.raises(Conflict, match=message):
        services.post_comment(db.session, asker, thread, post, "More")
    with pytest.raises(Conflict, match=message):
        services.edit_post(db.session, answerer, thread, post, "Changed")
    with pytest.raises(Conflict, match=message):
        services.edit_question(db.session, asker, thread, thread.title, "Changed")


def test_a_hidden_answer_takes_no_votes_and_cannot_be_accepted(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    post.hidden_at = utcnow()
    db.session.commit()
    with pytest.raises(Conflict, match="hid"):
        services.toggle_vote(db.session, other, reloaded(post))
    with pytest.raises(Conflict, match="hid"):
        services.accept_answer(db.session, asker, reloaded(thread), reloaded(post))
    assert services.may_see_hidden(answerer, post) and not services.may_see_hidden(other, post)
    assert services.may_see_hidden(make_member(Role.COORDINATOR), post)


# Comments -----------------------------------------------------------------------------------


def test_comments_sit_under_an_answer_and_do_not_count_as_answers(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    before = reloaded(thread).last_activity_at
    first = comment(thread, post, other, "Which tool?")
    second = comment(thread, post, asker, "Same question.")
    thread = reloaded(thread)
    assert thread.answer_count == 1 and thread.last_activity_at >= before
    assert reloaded(first).parent_id == post.id
    assert [p.id for p in services.answers_of(db.session, thread)] == [post.id]
    under = services.comments_under(db.session, [reloaded(post)])
    assert [c.id for c in under[post.id]] == [first.id, second.id]


def test_a_comment_is_short_one_level_deep_and_takes_no_votes(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    with pytest.raises(Invalid, match="2,000 characters"):
        services.post_comment(db.session, other, thread, post, "x" * 2_001)
    db.session.rollback()
    reply = comment(thread, post, other)
    with pytest.raises(Invalid, match="one level"):
        services.post_comment(db.session, asker, reloaded(thread), reloaded(reply), "A reply")
    with pytest.raises(Conflict, match="no votes"):
        services.toggle_vote(db.session, asker, reloaded(reply))
    with pytest.raises(Conflict, match="cannot be accepted"):
        services.accept_answer(db.session, asker, reloaded(thread), reloaded(reply))


def test_authors_remove_their_comments_and_the_answer_count_stays(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    reply = comment(thread, post, other)
    with pytest.raises(NotPermitted, match="your own comments"):
        services.delete_own_post(db.session, answerer, reloaded(reply))
    services.delete_own_post(db.session, other, reloaded(reply))
    db.session.commit()
    assert reloaded(reply).is_deleted and reloaded(thread).answer_count == 1


def test_a_removed_answer_takes_no_comments(asker, answerer):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    services.delete_own_post(db.session, answerer, post)
    db.session.commit()
    with pytest.raises(Conflict, match="removed"):
        services.post_comment(db.session, asker, reloaded(thread), reloaded(post), "Hello")


# Follows and notifications ------------------------------------------------------------------


def test_the_asker_and_everyone_who_answers_or_comments_follow(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    comment(thread, post, other)
    for member in (asker, answerer, other):
        assert services.followed_thread_ids(db.session, member) == {thread.id}
    services.unfollow_thread(db.session, other, thread)
    services.unfollow_thread(db.session, other, thread)
    services.follow_thread(db.session, answerer, thread)
    db.session.commit()
    assert not services.is_following(db.session, other, thread)
    assert services.is_following(db.session, answerer, thread)
    assert db.session.scalar(
        select(Thread.id).where(Thread.id.in_(services.followed_threads_subquery(asker)))
    )


def test_a_new_answer_tells_the_followers_but_not_the_answerer(asker, answerer, other):
    thread = make_thread(asker, title="How do you run a data inventory?")
    make_answer(thread, other)
    post = make_answer(thread, answerer)
    told = notifications(kind="answer")
    assert {n.member_id for n in told if n.url == f"/discussions/posts/{post.id}"} == {
        asker.id,
        other.id,
    }
    assert told[-1].text == "Ana Ruiz (Austin, TX) answered “How do you run a data inventory?”"
    assert notifications(answerer) == []


def test_a_comment_tells_the_answers_author_and_the_other_commenters(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    comment(thread, post, other)
    third = make_member()
    reply = comment(thread, post, third)
    told = {n.member_id for n in notifications(kind="comment") if n.url.endswith(str(reply.id))}
    assert told == {answerer.id, other.id}


def test_accepting_tells_the_answers_author_once(asker, answerer):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    for _ in range(2):
        services.accept_answer(db.session, asker, reloaded(thread), reloaded(post))
        db.session.commit()
    told = notifications(answerer, "accepted")
    assert len(told) == 1 and told[0].url == f"/discussions/posts/{post.id}"
    assert "accepted your answer" in told[0].text


def test_a_new_question_tells_the_followers_of_its_topics(asker, answerer, other):
    data, budgets = make_topic("Open Data"), make_topic("Budgeting")
    services.follow_topic(db.session, answerer, data)
    services.follow_topic(db.session, other, budgets)
    services.follow_topic(db.session, other, data)
    services.follow_topic(db.session, other, data)
    db.session.commit()
    thread = make_thread(asker, title="Who publishes budgets as data?", topics=[data, budgets])
    told = notifications(kind="new_question")
    assert sorted(n.member_id for n in told) == sorted([answerer.id, other.id])
    assert told[0].url == f"/discussions/{thread.id}-{thread.slug}"
    services.unfollow_topic(db.session, other, data)
    db.session.commit()
    assert services.followed_topic_ids(db.session, other) == {budgets.id}
    assert services.is_following_topic(db.session, answerer, data)


# Mentions -----------------------------------------------------------------------------------


def test_a_mention_links_the_member_and_tells_them_once(asker, answerer, other):
    thread = make_thread(asker)
    post = make_answer(thread, answerer, body=f"Ask @{other.handle}, twice: @{other.handle}")
    body_html = reloaded(post).body_html
    assert f'<a href="/people/{other.handle}" class="mention">@{other.handle}</a>' in body_html
    told = notifications(other)
    assert [(n.kind, n.url) for n in told] == [("mention", f"/discussions/posts/{post.id}")]
    assert told[0].text.startswith("Ana Ruiz (Austin, TX) mentioned you in")


def test_a_mentioned_follower_hears_of_it_once(asker, answerer):
    thread = make_thread(asker)
    make_answer(thread, answerer, body=f"@{asker.handle}: we did this.")
    assert [n.kind for n in notifications(asker)] == ["mention"]


def test_an_edit_tells_only_the_newly_mentioned(asker, answerer, other):
    thread = make_thread(asker)
    third = make_member()
    post = make_answer(thread, answerer, body=f"Ask @{other.handle}")
    services.edit_post(
        db.session,
        answerer,
        reloaded(thread),
        reloaded(post),
        f"Ask @{other.handle} or @{third.handle}",
    )
    db.session.commit()
    services.edit_post(db.session, answerer, reloaded(thread), reloaded(post), "Ask around.")
    services.edit_post(
        db.session, answerer, reloaded(thread), reloaded(post), f"Ask @{third.handle}"
    )
    db.session.commit()
    assert len(notifications(other, "mention")) == 1
    assert len(notifications(third, "mention")) == 1


def test_deleted_and_unknown_members_are_not_linked(asker, answerer):
    gone = make_member(status=MemberStatus.DELETED)
    thread = make_thread(asker)
    post = make_answer(thread, answerer, body=f"Ask @{gone.handle} or @no-such-member")
    assert 'class="mention"' not in reloaded(post).body_html
    assert notifications(gone) == []


def test_at_most_twenty_members_are_mentioned_in_one_post(asker, answerer):
    named = [make_member() for _ in range(22)]
    thread = make_thread(asker)
    post = make_answer(thread, answerer, body=" ".join(f"@{m.handle}" for m in named))
    assert reloaded(post).body_html.count('class="mention"') == 20
    assert len(notifications(kind="mention")) == 20


def test_a_question_mentions_too(asker, other):
    thread = make_thread(asker, body=f"@{other.handle} did this in Tulsa.")
    told = notifications(other, "mention")
    assert len(told) == 1 and told[0].url == f"/discussions/{thread.id}-{thread.slug}"


# The new-member limit -----------------------------------------------------------------------

LIMITS = services.PostingLimits(per_hour=3, new_member_days=7)


def test_a_new_member_is_limited_and_told_when_they_can_post_again(asker, answerer):
    thread = make_thread(asker)
    for _ in range(3):
        services.post_answer(db.session, answerer, reloaded(thread), "Hello", LIMITS)
        db.session.commit()
    with pytest.raises(Invalid) as refused:
        services.post_answer(db.session, answerer, reloaded(thread), "Hello", LIMITS)
    message = refused.value.message
    assert "first 7 days" in message and "3 questions, answers or comments an hour" in message
    assert "You can post again in about 60 minutes" in message and "UTC" in message
    post = db.session.scalar(select(Post).where(Post.author_id == answerer.id))
    with pytest.raises(Invalid, match="post again"):
        services.post_comment(db.session, answerer, reloaded(thread), post, "Hi", LIMITS)


def test_posts_older_than_an_hour_and_older_members_are_not_limited(asker, answerer):
    thread = make_thread(asker)
    for _ in range(3):
        make_answer(thread, answerer)
    db.session.execute(Post.__table__.update().values(created_at=utcnow() - timedelta(minutes=61)))
    db.session.commit()
    services.post_answer(db.session, answerer, reloaded(thread), "Again", LIMITS)
    veteran = make_member()
    veteran.decided_at = utcnow() - timedelta(days=8)
    db.session.commit()
    for _ in range(4):
        services.post_answer(db.session, veteran, reloaded(thread), "Often", LIMITS)


@pytest.mark.parametrize("role", [Role.PARTNER, Role.COORDINATOR])
def test_partners_and_coordinators_are_never_limited(asker, role):
    thread = make_thread(asker)
    expert = make_member(role)
    for _ in range(5):
        services.post_answer(db.session, expert, reloaded(thread), "Expert view", LIMITS)


def test_the_limit_comes_from_the_configuration(app_with):
    app_with(DISCUSSION_NEW_MEMBER_POSTS_PER_HOUR=1, DISCUSSION_NEW_MEMBER_DAYS=3)
    newcomer = make_member()
    make_thread(newcomer, topics=[make_topic("Evaluations")])
    with pytest.raises(Invalid, match="first 3 days can post 1 questions"):
        services.ask_question(
            db.session, newcomer, "A second question today", "Body", [make_topic()], None
        )


# Pages of answers and reading marks ---------------------------------------------------------


def test_a_posts_page_follows_the_answer_order(asker, answerer):
    thread = make_thread(asker)
    posts = [make_answer(thread, answerer, body=f"Answer {n}") for n in range(5)]
    services.accept_answer(db.session, asker, reloaded(thread), reloaded(posts[4]))
    db.session.commit()
    reply = comment(thread, posts[1], asker)
    pages = {
        post.id: services.page_of_post(db.session, asker, reloaded(post), 2)[1]
        for post in [*posts, reply]
    }
    assert pages == {
        posts[4].id: 1,
        posts[0].id: 1,
        posts[1].id: 2,
        posts[2].id: 2,
        posts[3].id: 3,
        reply.id: 2,
    }


def test_the_first_unread_post_is_the_earliest_since_the_last_visit(app, asker, answerer):
    thread = make_thread(asker)
    make_answer(thread, answerer)
    assert services.last_read_at(db.session, asker, thread.id) is None
    asker_id, thread_id = asker.id, thread.id
    db.session.commit()  # the mark writes in a transaction of its own
    with db.engine.begin() as connection:
        services.mark_thread_read(connection, asker_id, thread_id)
    since = services.last_read_at(db.session, asker, thread.id)
    assert services.first_unread_post(db.session, asker, reloaded(thread), since) is None
    db.session.commit()
    newer = make_answer(thread, answerer)
    comment(thread, newer, make_member())
    make_answer(thread, asker)
    found = services.first_unread_post(db.session, asker, reloaded(thread), since)
    assert found.id == newer.id
    db.session.commit()
    with db.engine.begin() as connection:
        services.mark_thread_read(connection, asker_id, thread_id)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ThreadReading)) == 1
    assert db.session.scalar(select(ThreadReading.last_read_at)) > since
