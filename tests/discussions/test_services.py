"""The rules of discussions: who may ask, answer, vote, accept and remove, and what a
refusal says."""

import pytest
from sqlalchemy import select

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_member, make_topic
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.discussions import listing, services
from wwc_community.discussions.models import Post, Thread, Vote
from wwc_community.extensions import db


@pytest.fixture
def asker(app, city):
    return make_member(city=city, display_name="Asha Asker")


@pytest.fixture
def answerer(app):
    return make_member(display_name="Ana Answerer")


@pytest.fixture
def voter(app):
    return make_member(display_name="Val Voter")


@pytest.fixture
def topics(app):
    return [make_topic("Open Data"), make_topic("Procurement")]


def ask(actor, title="How do you publish budget data?", body="Details.", topics=(), city=None):
    return services.ask_question(db.session, actor, title, body, list(topics), city)


def reloaded(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


# Asking -------------------------------------------------------------------------------------


def test_a_member_asks_a_question_with_markdown_topics_and_city(asker, topics, city):
    thread = ask(asker, body="We use **CKAN**.", topics=topics, city=city)
    db.session.commit()
    thread = reloaded(thread)
    assert thread.slug == "how-do-you-publish-budget-data"
    assert "<strong>CKAN</strong>" in thread.body_html
    assert thread.city_id == city.id and thread.author_id == asker.id
    assert thread.answer_count == 0 and thread.vote_count == 0 and not thread.pinned
    assert thread.last_activity_at == thread.created_at


def test_markdown_in_a_question_is_sanitised(asker, topics):
    thread = ask(asker, body="<script>alert(1)</script>[x](javascript:alert(1))", topics=topics)
    assert "<script" not in thread.body_html
    assert "javascript:" not in thread.body_html


@pytest.mark.parametrize(
    ("title", "body", "count", "field", "message"),
    [
        ("Too short", "Body", 1, "title", "at least 10 characters"),
        ("x" * 201, "Body", 1, "title", "this one has 201"),
        ("A long enough title", "   ", 1, "body", "Write your question"),
        ("A long enough title", "x" * 20_001, 1, "body", "20,000 characters"),
        ("A long enough title", "Body", 0, "topics", "at least one topic"),
        ("A long enough title", "Body", 4, "topics", "at most 3 topics (you chose 4)"),
    ],
)
def test_a_question_is_refused_with_a_clear_message(asker, title, body, count, field, message):
    topics = [make_topic(f"Refusal Topic {n}") for n in range(count)]
    with pytest.raises(Invalid) as refused:
        ask(asker, title=title, body=body, topics=topics)
    assert refused.value.field == field
    assert message in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(Thread.id)) is None


@pytest.mark.parametrize("status", [MemberStatus.PENDING, MemberStatus.SUSPENDED])
def test_only_approved_members_take_part(app, topics, status):
    outsider = make_member(status=status)
    with pytest.raises(NotPermitted):
        ask(outsider, topics=topics)
    unverified = make_member(verified=False)
    with pytest.raises(NotPermitted):
        ask(unverified, topics=topics)
    with pytest.raises(NotPermitted):
        ask(None, topics=topics)


def test_a_long_title_makes_a_short_slug_cut_between_words(asker, topics):
    title = "How " + "many words can a city " * 12 + "fit?"
    thread = ask(asker, title=title[:200], topics=topics)
    assert len(thread.slug) <= 80
    assert not thread.slug.endswith("-")
    assert title.lower().replace(" ", "-").startswith(thread.slug)


# Answering ----------------------------------------------------------------------------------


def test_answers_count_and_move_the_last_activity(asker, answerer, voter):
    thread = make_thread(asker)
    started = thread.last_activity_at
    make_answer(thread, answerer)
    post = make_answer(thread, voter, body="See [our guide](https://example.gov/guide).")
    thread = reloaded(thread)
    assert thread.answer_count == 2
    assert thread.last_activity_at >= started
    assert 'rel="nofollow noopener"' in reloaded(post).body_html


def test_an_empty_or_long_answer_is_refused(asker, answerer):
    thread = make_thread(asker)
    for body, message in (("", "Write your answer."), ("y" * 20_001, "20,000 characters")):
        with pytest.raises(Invalid, match=message):
            services.post_answer(db.session, answerer, thread, body)
        db.session.rollback()
    assert reloaded(thread).answer_count == 0


def test_a_suspended_member_cannot_answer(asker):
    thread = make_thread(asker)
    suspended = make_member(status=MemberStatus.SUSPENDED)
    with pytest.raises(NotPermitted):
        services.post_answer(db.session, suspended, thread, "Hello")


# Votes --------------------------------------------------------------------------------------


def test_a_vote_counts_once_and_a_second_click_takes_it_back(asker, answerer, voter):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    assert services.toggle_vote(db.session, voter, post) is True
    db.session.commit()
    assert reloaded(post).vote_count == 1 and reloaded(thread).vote_count == 1
    assert services.toggle_vote(db.session, voter, reloaded(post)) is False
    db.session.commit()
    assert reloaded(post).vote_count == 0 and reloaded(thread).vote_count == 0
    assert db.session.scalar(select(Vote.id)) is None


def test_a_member_cannot_vote_twice(asker, answerer, voter):
    post = make_answer(make_thread(asker), answerer)
    services.vote_for_post(db.session, voter, post)
    db.session.commit()
    with pytest.raises(Conflict, match="already voted"):
        services.vote_for_post(db.session, voter, reloaded(post))
    with pytest.raises(Conflict, match="not voted"):
        services.withdraw_vote(db.session, asker, reloaded(post))


def test_the_database_refuses_a_second_vote_that_slips_past_the_check(asker, answerer, voter):
    from sqlalchemy.exc import IntegrityError

    post = make_answer(make_thread(asker), answerer)
    db.session.add(Vote(post_id=post.id, member_id=voter.id))
    db.session.commit()
    db.session.add(Vote(post_id=post.id, member_id=voter.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_nobody_votes_for_their_own_answer(asker, answerer):
    post = make_answer(make_thread(asker), answerer)
    with pytest.raises(NotPermitted, match="your own answer"):
        services.toggle_vote(db.session, answerer, post)
    assert reloaded(post).vote_count == 0


def test_a_removed_answer_takes_no_votes(asker, answerer, voter):
    post = make_answer(make_thread(asker), answerer)
    services.delete_own_post(db.session, answerer, post)
    db.session.commit()
    with pytest.raises(Conflict, match="removed"):
        services.vote_for_post(db.session, voter, reloaded(post))


def test_a_vote_on_a_removed_answer_cannot_be_taken_back(asker, answerer, voter):
    post = make_answer(make_thread(asker), answerer)
    services.vote_for_post(db.session, voter, post)
    services.delete_own_post(db.session, answerer, post)
    db.session.commit()
    with pytest.raises(Conflict, match="removed"):
        services.toggle_vote(db.session, voter, reloaded(post))
    assert reloaded(post).vote_count == 1


# Accepting ----------------------------------------------------------------------------------


def test_the_asker_accepts_an_answer_and_can_change_it(asker, answerer, voter):
    thread = make_thread(asker)
    first, second = make_answer(thread, answerer), make_answer(thread, voter)
    services.accept_answer(db.session, asker, thread, first)
    db.session.commit()
    assert reloaded(thread).accepted_post_id == first.id
    services.accept_answer(db.session, asker, reloaded(thread), reloaded(second))
    db.session.commit()
    assert reloaded(thread).accepted_post_id == second.id


def test_a_coordinator_accepts_but_other_members_cannot(asker, answerer, voter):
    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    for outsider in (answerer, voter, make_member(Role.PARTNER)):
        with pytest.raises(NotPermitted, match="asked, or a coordinator"):
            services.accept_answer(db.session, outsider, thread, post)
    coordinator = make_member(Role.COORDINATOR)
    services.accept_answer(db.session, coordinator, reloaded(thread), reloaded(post))
    db.session.commit()
    assert reloaded(thread).is_answered


def test_an_answer_from_another_thread_cannot_be_accepted(asker, answerer):
    thread, other = make_thread(asker), make_thread(asker)
    post = make_answer(other, answerer)
    with pytest.raises(NotFound):
        services.accept_answer(db.session, asker, thread, post)


# Removing -----------------------------------------------------------------------------------


def test_authors_remove_their_own_answer_and_the_thread_stays_readable(asker, answerer, voter):
    thread = make_thread(asker)
    post = make_answer(thread, answerer, body="Secret budget numbers")
    kept = make_answer(thread, voter)
    services.vote_for_post(db.session, voter, post)
    services.accept_answer(db.session, asker, thread, post)
    db.session.commit()
    services.delete_own_post(db.session, answerer, reloaded(post))
    db.session.commit()
    post, thread = reloaded(post), reloaded(thread)
    assert post.is_deleted and post.body == "" and post.body_html == ""
    assert thread.answer_count == 1 and thread.vote_count == 0
    assert thread.accepted_post_id is None
    assert [p.id for p in services.answers_of(db.session, thread)] == [kept.id, post.id]
    # Removing again changes nothing.
    services.delete_own_post(db.session, answerer, post)
    assert reloaded(thread).answer_count == 1


def test_nobody_removes_another_members_answer(asker, answerer):
    post = make_answer(make_thread(asker), answerer)
    for other in (asker, make_member(Role.ADMIN)):
        with pytest.raises(NotPermitted, match="your own answers"):
            services.delete_own_post(db.session, other, post)
    assert not reloaded(post).is_deleted


# Reading ------------------------------------------------------------------------------------


def test_answers_come_accepted_first_then_by_votes_then_oldest_first(asker, answerer, voter):
    thread = make_thread(asker)
    third = make_member()
    oldest = make_answer(thread, answerer, body="oldest")
    voted = make_answer(thread, third, body="voted")
    accepted = make_answer(thread, voter, body="accepted")
    newest = make_answer(thread, answerer, body="newest")
    services.vote_for_post(db.session, voter, voted)
    services.accept_answer(db.session, asker, thread, accepted)
    db.session.commit()
    order = [post.id for post in services.answers_of(db.session, reloaded(thread))]
    assert order == [accepted.id, voted.id, oldest.id, newest.id]


def test_a_missing_thread_or_post_is_not_found(asker):
    with pytest.raises(NotFound):
        services.get_thread(db.session, asker, 999_999)
    with pytest.raises(NotFound):
        services.get_post(db.session, asker, 999_999)


def test_the_list_filters_and_sorts(asker, answerer, voter, topics, city):
    quiet = make_thread(asker, title="A question nobody answered", topics=[topics[0]])
    local = make_thread(asker, title="A question about my own city", topics=[topics[1]], city=city)
    post = make_answer(local, answerer)
    services.accept_answer(db.session, asker, local, post)
    services.vote_for_post(db.session, voter, post)
    db.session.commit()

    def titles(**args):
        filters = listing.read_thread_filters(args, topics)
        return [t.title for t in db.session.scalars(listing.thread_list_statement(asker, filters))]

    assert titles(topic="open-data") == [quiet.title]
    assert titles(state="unanswered") == [quiet.title]
    assert titles(state="answered") == [local.title]
    assert titles(my_city="1") == [local.title]
    assert titles(sort="newest") == [local.title, quiet.title]
    assert titles(sort="votes") == [local.title, quiet.title]
    assert titles(sort="nonsense", state="nonsense") == [local.title, quiet.title]
    pinned = reloaded(quiet)
    pinned.pinned = True
    db.session.commit()
    assert titles(sort="votes")[0] == quiet.title


def test_a_members_activity_lists_their_questions_and_answers(asker, answerer):
    thread = make_thread(asker, title="What did your city learn from pilots?")
    make_answer(thread, answerer)
    removed = make_answer(thread, answerer)
    services.delete_own_post(db.session, answerer, removed)
    db.session.commit()
    asked = listing.activity_of(db.session, asker)
    assert asked.question_count == 1 and [t.id for t in asked.questions] == [thread.id]
    answered = listing.activity_of(db.session, answerer)
    assert answered.answer_count == 1
    assert answered.answers[0][1].title == thread.title
    assert db.session.scalar(select(Post.id).where(Post.id == removed.id))


def test_votes_and_answers_at_the_same_moment_all_count(app, asker, answerer, voter):
    import threading

    from wwc_community.accounts.models import Member

    thread = make_thread(asker)
    post = make_answer(thread, answerer)
    others = [make_member() for _ in range(3)]
    thread_id, post_id = thread.id, post.id
    member_ids = [voter.id, *(member.id for member in others)]
    db.session.commit()  # reading the ids began a transaction that would hold SQLite's lock
    barrier = threading.Barrier(len(member_ids) * 2)
    errors = []

    def act(member_id: int, verb: str) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                actor = db.session.get(Member, member_id)
                if verb == "vote":
                    services.vote_for_post(db.session, actor, db.session.get(Post, post_id))
                else:
                    services.post_answer(db.session, actor, db.session.get(Thread, thread_id), "Hi")
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    workers = [
        threading.Thread(target=act, args=(member_id, verb))
        for member_id in member_ids
        for verb in ("vote", "answer")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    assert errors == []
    assert reloaded(post).vote_count == len(member_ids)
    thread = reloaded(thread)
    assert thread.vote_count == len(member_ids)
    assert thread.answer_count == 1 + len(member_ids)
