"""The rules of moderation: who may flag, hide, lock, pin, move and close, what each
refusal says, and that every action is logged and the right member told."""

import pytest
from sqlalchemy import func, select

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_member, make_topic
from wwc_community.accounts.models import Role
from wwc_community.core.errors import Conflict, Invalid, NotPermitted
from wwc_community.discussions import moderation
from wwc_community.discussions.models import Flag, ModerationEntry, Post, Thread
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification


@pytest.fixture
def asker(app):
    return make_member(display_name="Asha Asker")


@pytest.fixture
def answerer(app):
    return make_member(display_name="Ana Answerer")


@pytest.fixture
def reader(app):
    return make_member(display_name="Rey Reader")


@pytest.fixture
def coordinator(app):
    return make_member(Role.COORDINATOR, display_name="Cora Coordinator")


@pytest.fixture
def thread(asker):
    return make_thread(asker, title="How do you publish budget data?")


@pytest.fixture
def answer(thread, answerer):
    return make_answer(thread, answerer, "Buy my consulting services at spam.example")


def entries(action=None):
    statement = select(ModerationEntry).order_by(ModerationEntry.id)
    if action:
        statement = statement.where(ModerationEntry.action == action)
    return list(db.session.scalars(statement))


def notifications_of(member):
    return list(db.session.scalars(select(Notification).where(Notification.member_id == member.id)))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def thread_loaded(thread, viewer):
    return moderation.load_thread(db.session, viewer, thread.id)


# Flags --------------------------------------------------------------------------------------


def test_a_member_flags_an_answer_once(thread, answer, reader):
    flag = moderation.flag_item(db.session, reader, thread, answer, "spam", "An advert.")
    db.session.commit()
    assert (flag.reason, flag.details, flag.post_id) == ("spam", "An advert.", answer.id)
    with pytest.raises(Conflict, match="already flagged this answer"):
        moderation.flag_item(db.session, reader, thread, answer, "off_topic")
    assert count(Flag) == 1


def test_a_member_flags_a_question(thread, reader):
    moderation.flag_item(db.session, reader, thread, None, "off_topic")
    db.session.commit()
    view = moderation.moderation_view(db.session, reader, thread)
    assert view.flagged_by_me(None) and not view.is_moderator


def test_nobody_flags_their_own_writing(thread, answer, asker, answerer):
    with pytest.raises(NotPermitted, match="your own answer"):
        moderation.flag_item(db.session, answerer, thread, answer, "spam")
    with pytest.raises(NotPermitted, match="your own question"):
        moderation.flag_item(db.session, asker, thread, None, "spam")


def test_other_needs_details_and_details_have_a_limit(thread, answer, reader):
    with pytest.raises(Invalid, match="Say what is wrong") as refusal:
        moderation.flag_item(db.session, reader, thread, answer, "other", "   ")
    assert refusal.value.field == "details"
    with pytest.raises(Invalid, match="1,000 characters"):
        moderation.flag_item(db.session, reader, thread, answer, "spam", "x" * 1001)
    with pytest.raises(Invalid, match="Choose why"):
        moderation.flag_item(db.session, reader, thread, answer, "boring")
    assert count(Flag) == 0


def test_pending_members_cannot_flag(thread, answer, members):
    with pytest.raises(NotPermitted):
        moderation.flag_item(db.session, members["pending"], thread, answer, "spam")


def test_only_coordinators_and_the_flagger_know_of_a_flag(
    thread, answer, reader, answerer, coordinator, members
):
    moderation.flag_item(db.session, reader, thread, answer, "spam")
    db.session.commit()
    for member in (answerer, members["practitioner"], members["partner"]):
        view = moderation.moderation_view(db.session, member, thread)
        assert not view.flagged_by_me(answer.id) and view.open_flags(answer.id) == 0
    seen = moderation.moderation_view(db.session, coordinator, thread)
    assert seen.is_moderator and seen.open_flags(answer.id) == 1
    assert moderation.moderation_view(db.session, members["admin"], thread).open_flags(answer.id)


def test_dismissing_resolves_the_flags_and_logs_it(thread, answer, reader, coordinator):
    moderation.flag_item(db.session, reader, thread, answer, "spam")
    moderation.flag_item(db.session, make_member(), thread, answer, "off_topic")
    db.session.commit()
    assert moderation.dismiss_flags(db.session, coordinator, thread, answer) == 2
    db.session.commit()
    assert {f.resolution for f in db.session.scalars(select(Flag))} == {"dismissed"}
    (entry,) = entries("dismiss_flag")
    assert entry.moderator_id == coordinator.id and entry.post_id == answer.id
    # Once resolved, the member may flag it again.
    moderation.flag_item(db.session, reader, thread, answer, "spam")
    with pytest.raises(NotPermitted):
        moderation.dismiss_flags(db.session, reader, thread, answer)


def test_the_queue_groups_flags_by_item_most_flagged_first(
    thread, answer, reader, coordinator, asker
):
    moderation.flag_item(db.session, reader, thread, None, "off_topic")
    for member in (reader, make_member(), make_member()):
        moderation.flag_item(db.session, member, thread, answer, "spam")
    db.session.commit()
    page = moderation.open_flag_queue(db.session, coordinator, 1, 25)
    assert page.total == 2
    first, second = page.items
    assert (first.post.id, len(first.flags)) == (answer.id, 3)
    assert first.reason_counts == [("Spam or advertising", 3)]
    assert "consulting" in first.excerpt
    assert (second.post, second.noun) == (None, "question")
    with pytest.raises(NotPermitted):
        moderation.open_flag_queue(db.session, reader, 1, 25)


# Hiding and restoring -------------------------------------------------------------------------


def test_hiding_a_post_resolves_its_flags_logs_and_tells_the_author(
    thread, answer, reader, answerer, coordinator
):
    moderation.flag_item(db.session, reader, thread, answer, "spam")
    db.session.commit()
    moderation.hide_post(db.session, coordinator, answer, "Advertising is not allowed here.")
    db.session.commit()
    assert db.session.get(Post, answer.id).is_hidden
    flag = db.session.scalar(select(Flag))
    assert (flag.resolution, flag.resolved_by_id) == ("hidden", coordinator.id)
    (entry,) = entries("hide_post")
    assert entry.reason == "Advertising is not allowed here." and entry.post_id == answer.id
    (note,) = notifications_of(answerer)
    assert note.kind == "moderation" and "Advertising is not allowed here." in note.text
    assert note.url == f"/discussions/{thread.id}-{thread.slug}#post-{answer.id}"


def test_hiding_needs_a_reason_and_a_coordinator(thread, answer, coordinator, members):
    with pytest.raises(Invalid, match="Say why") as refusal:
        moderation.hide_post(db.session, coordinator, answer, "  ")
    assert refusal.value.field == "reason"
    for role in ("practitioner", "partner"):
        with pytest.raises(NotPermitted):
            moderation.hide_post(db.session, members[role], answer, "Spam.")
    db.session.rollback()
    assert not db.session.get(Post, answer.id).is_hidden and entries() == []


def test_restoring_a_hidden_post(thread, answer, answerer, coordinator):
    moderation.hide_post(db.session, coordinator, answer, "Spam.")
    db.session.commit()
    with pytest.raises(Conflict, match="already hidden"):
        moderation.hide_post(db.session, coordinator, answer, "Again.")
    moderation.restore_post(db.session, coordinator, answer, "It was a real answer.")
    db.session.commit()
    assert not db.session.get(Post, answer.id).is_hidden
    assert [e.action for e in entries()] == ["hide_post", "restore_post"]
    assert len(notifications_of(answerer)) == 2
    with pytest.raises(Conflict, match="not hidden"):
        moderation.restore_post(db.session, coordinator, answer, "Again.")


def test_a_hidden_post_cannot_be_flagged(thread, answer, reader, coordinator):
    moderation.hide_post(db.session, coordinator, answer, "Spam.")
    with pytest.raises(Conflict, match="already hidden"):
        moderation.flag_item(db.session, reader, thread, answer, "spam")


# Threads --------------------------------------------------------------------------------------


def test_lock_needs_a_reason_and_unlock_undoes_it(thread, coordinator, members):
    with pytest.raises(Invalid, match="Say why you are locking"):
        moderation.lock_thread(db.session, coordinator, thread, "")
    with pytest.raises(NotPermitted):
        moderation.lock_thread(db.session, members["partner"], thread, "Heated.")
    moderation.lock_thread(db.session, coordinator, thread, "The question is settled.")
    db.session.commit()
    assert db.session.get(Thread, thread.id).is_locked
    with pytest.raises(Conflict):
        moderation.lock_thread(db.session, coordinator, thread, "Again.")
    moderation.unlock_thread(db.session, coordinator, thread)
    db.session.commit()
    assert not db.session.get(Thread, thread.id).is_locked
    assert [(e.action, e.reason) for e in entries()] == [
        ("lock", "The question is settled."),
        ("unlock", ""),
    ]


def test_pin_and_unpin(thread, coordinator, members):
    with pytest.raises(NotPermitted):
        moderation.pin_thread(db.session, members["practitioner"], thread)
    moderation.pin_thread(db.session, coordinator, thread)
    db.session.commit()
    assert db.session.get(Thread, thread.id).pinned
    with pytest.raises(Conflict, match="already pinned"):
        moderation.pin_thread(db.session, coordinator, thread)
    moderation.unpin_thread(db.session, coordinator, thread)
    db.session.commit()
    assert not db.session.get(Thread, thread.id).pinned
    assert [e.action for e in entries()] == ["pin", "unpin"]


def test_move_topics_logs_before_and_after(app, asker, coordinator):
    open_data, evaluations = make_topic("Open Data"), make_topic("Evaluations")
    thread = make_thread(asker, topics=[open_data])
    moderation.move_topics(
        db.session, coordinator, thread_loaded(thread, coordinator), [evaluations.slug]
    )
    db.session.commit()
    assert [t.name for t in thread_loaded(thread, asker).topics] == ["Evaluations"]
    (entry,) = entries("move_topics")
    assert entry.details == "topics Open Data → Evaluations"


def test_move_topics_refuses_unknown_none_or_too_many(app, asker, coordinator, members):
    topics = [make_topic(f"Practice {n}") for n in range(4)]
    thread = thread_loaded(make_thread(asker, topics=topics[:1]), asker)
    with pytest.raises(Invalid, match="no topic called “made-up”"):
        moderation.move_topics(db.session, coordinator, thread, [topics[1].slug, "made-up"])
    with pytest.raises(Invalid, match="at least one"):
        moderation.move_topics(db.session, coordinator, thread, [])
    with pytest.raises(Invalid, match="at most 3"):
        moderation.move_topics(db.session, coordinator, thread, [t.slug for t in topics])
    with pytest.raises(NotPermitted):
        moderation.move_topics(db.session, members["partner"], thread, [topics[1].slug])
    db.session.rollback()
    assert [t.name for t in thread_loaded(thread, asker).topics] == ["Practice 0"]
    assert entries() == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" #12 ", 12),
        ("/discussions/12-how-do-you-publish", 12),
        ("https://community.example.org/discussions/12-how-do-you?x=1#post-4", 12),
        ("http://localhost:5000/discussions/12", 12),
        ("/discussions/flags", None),
        ("https://example.org/people/12", None),
        ("twelve", None),
        ("", None),
        ("9" * 40, None),
    ],
)
def test_thread_references_are_read_from_numbers_and_addresses(text, expected):
    assert moderation.parse_thread_reference(text) == expected


def test_close_as_duplicate_links_the_original_and_tells_the_asker(
    thread, asker, answerer, coordinator
):
    original = make_thread(answerer, title="Publishing budget data: what worked")
    address = f"https://community.example.org/discussions/{original.id}-{original.slug}"
    moderation.close_as_duplicate(db.session, coordinator, thread, address, "Asked before.")
    db.session.commit()
    closed = db.session.get(Thread, thread.id)
    assert closed.duplicate_of_id == original.id and closed.is_closed
    (entry,) = entries("close_duplicate")
    assert "Publishing budget data: what worked" in entry.details
    (note,) = notifications_of(asker)
    assert note.kind == "moderation" and "Publishing budget data" in note.text

    moderation.reopen_thread(db.session, coordinator, closed)
    db.session.commit()
    reopened = db.session.get(Thread, thread.id)
    assert reopened.duplicate_of_id is None and reopened.closed_at is None
    assert [e.action for e in entries()] == ["close_duplicate", "reopen"]


def test_close_refuses_itself_unknown_and_nonsense_targets(thread, coordinator, members):
    cases = [
        (str(thread.id), "cannot be a duplicate of itself"),
        (f"/discussions/{thread.id}-{thread.slug}", "cannot be a duplicate of itself"),
        ("999999", "no discussion number 999999"),
        ("not a link", "neither a discussion"),
        ("", "Give the address"),
    ]
    for target, message in cases:
        with pytest.raises(Invalid, match=message) as refusal:
            moderation.close_as_duplicate(db.session, coordinator, thread, target)
        assert refusal.value.field == "target"
    with pytest.raises(NotPermitted):
        moderation.close_as_duplicate(db.session, members["practitioner"], thread, "1")
    db.session.rollback()
    assert not db.session.get(Thread, thread.id).is_closed and entries() == []


def test_close_refuses_a_target_that_is_itself_a_duplicate_and_names_its_original(
    thread, answerer, coordinator
):
    original = make_thread(answerer, title="The original question on budgets")
    copy = make_thread(answerer, title="A copy of the question on budgets")
    moderation.close_as_duplicate(db.session, coordinator, copy, str(original.id))
    db.session.commit()
    with pytest.raises(Invalid, match="The original question on budgets") as refusal:
        moderation.close_as_duplicate(db.session, coordinator, thread, str(copy.id))
    assert f"number {original.id}" in refusal.value.message
    # A closed thread cannot be closed again without reopening.
    with pytest.raises(Conflict, match="already closed"):
        moderation.close_as_duplicate(db.session, coordinator, copy, str(thread.id))


def test_closing_an_original_repoints_its_duplicates(thread, answerer, coordinator):
    newer = make_thread(answerer, title="Budget data question, newer")
    oldest = make_thread(answerer, title="Budget data question, oldest")
    moderation.close_as_duplicate(db.session, coordinator, newer, str(thread.id))
    moderation.close_as_duplicate(db.session, coordinator, thread, str(oldest.id))
    db.session.commit()
    assert db.session.get(Thread, newer.id).duplicate_of_id == oldest.id


# The log and the thread view --------------------------------------------------------------


def test_the_log_is_newest_first_and_filters_by_action(thread, coordinator, reader):
    moderation.pin_thread(db.session, coordinator, thread)
    moderation.lock_thread(db.session, coordinator, thread, "Settled.")
    db.session.commit()
    every = db.session.scalars(moderation.moderation_log_statement(coordinator)).all()
    assert [e.action for e in every] == ["lock", "pin"]
    locks = db.session.scalars(moderation.moderation_log_statement(coordinator, "lock")).all()
    assert [e.action for e in locks] == ["lock"]
    with pytest.raises(Invalid, match="no moderation action called"):
        moderation.moderation_log_statement(coordinator, "explode")
    with pytest.raises(NotPermitted):
        moderation.moderation_log_statement(reader)


def test_the_thread_view_shows_coordinators_recent_history(thread, coordinator, reader):
    for _ in range(4):
        moderation.pin_thread(db.session, coordinator, thread)
        moderation.unpin_thread(db.session, coordinator, thread)
    db.session.commit()
    view = moderation.moderation_view(db.session, coordinator, thread)
    assert len(view.history) == moderation.HISTORY_LIMIT
    assert view.history[0].action == "unpin"
    assert moderation.moderation_view(db.session, reader, thread).history == []
