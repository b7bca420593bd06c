"""notify() and the daily digest: who hears about what, by which e-mail, and only once."""

from flask_login import login_user
from sqlalchemy import select, update

from tests.conftest import links_in, outbox
from tests.factories import make_member
from tests.notifications.conftest import make_notifications
from tests.query_counts import counted_queries
from wwc_community.accounts.models import EmailFrequency, Member, MemberStatus, Role
from wwc_community.core.database import utcnow
from wwc_community.extensions import db
from wwc_community.notifications.models import Notification
from wwc_community.notifications.services import notify


def send_digests(runner):
    result = runner.invoke(args=["notifications", "send-digests"])
    assert result.exit_code == 0, result.output
    return result.output


def notifications_of(member) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.member_id == member.id)
            .order_by(Notification.id)
        )
    )


def test_notify_skips_the_actor_and_members_who_cannot_sign_in(app, make_reader):
    actor = make_member(display_name="Dana Analyst")
    reader = make_reader()
    suspended = make_reader(status=MemberStatus.SUSPENDED)
    pending = make_reader(status=MemberStatus.PENDING)

    made = notify(
        db.session,
        [actor.id, reader.id, reader.id, suspended.id, pending.id],
        kind="answer",
        text="Dana Analyst answered your question",
        url="/discussions/1-open-data",
        actor=actor,
    )
    db.session.commit()

    assert [n.member_id for n in made] == [reader.id]
    assert notifications_of(actor) == notifications_of(suspended) == notifications_of(pending) == []
    [item] = notifications_of(reader)
    assert (item.kind, item.actor_id, item.url) == ("answer", actor.id, "/discussions/1-open-data")
    assert notify(db.session, [actor.id], kind="answer", text="x", url="/", actor=actor) == []


def test_notify_shortens_a_long_text(app, make_reader):
    reader = make_reader()
    [item] = notify(db.session, [reader.id], kind="comment", text="word " * 100, url="/")
    assert len(item.text) == 300 and item.text.endswith("…")


def test_immediate_mail_goes_only_after_commit_and_only_to_those_who_want_it(app, make_reader):
    actor = make_member(display_name="Dana Analyst")
    eager = make_reader(EmailFrequency.IMMEDIATELY, display_name="Ivy Immediate")
    daily = make_reader(EmailFrequency.DAILY)
    never = make_reader(EmailFrequency.NEVER)

    notify(
        db.session,
        [eager.id, daily.id, never.id],
        kind="mention",
        text="Dana Analyst mentioned you in “How do you publish open data?”",
        url="/discussions/7-open-data#post-9",
        actor=actor,
    )
    assert outbox(app) == []
    db.session.commit()

    [message] = outbox(app)
    assert message["To"] == eager.email
    assert message["Subject"] == "Dana Analyst mentioned you in “How do you publish open data?”"
    body = message.get_content()
    assert "Hello Ivy Immediate" in body
    [item] = notifications_of(eager)
    assert f"http://127.0.0.1:5000/notifications/{item.id}" in links_in(message)
    assert item.emailed_at is not None
    # The others wait for the digest (or for nothing).
    assert notifications_of(daily)[0].emailed_at is None


def test_immediate_mail_is_dropped_when_the_unit_of_work_rolls_back(app, make_reader):
    eager = make_reader(EmailFrequency.IMMEDIATELY)
    notify(db.session, [eager.id], kind="answer", text="Someone answered", url="/")
    db.session.rollback()
    assert outbox(app) == []
    assert notifications_of(eager) == []


def test_notify_makes_as_many_queries_for_many_recipients_as_for_few(app, make_reader):
    def queries_to_notify(count: int) -> int:
        recipients = [
            make_reader(EmailFrequency.IMMEDIATELY if n % 2 else EmailFrequency.DAILY).id
            for n in range(count)
        ]
        with counted_queries() as statements:
            notify(db.session, recipients, kind="answer", text="Someone answered", url="/")
            db.session.flush()
        db.session.commit()
        return len(statements)

    assert queries_to_notify(2) == queries_to_notify(30)


def test_digest_sends_one_grouped_message_and_never_the_same_item_twice(app, runner, make_reader):
    actor = make_member(display_name="Dana Analyst")
    reader = make_reader(display_name="Dan Daily")
    answers = make_notifications(reader, 2, actor=actor)
    mention = make_notifications(reader, 1, actor=actor, kind="mention")[0]

    assert send_digests(runner) == "Sent 1 digest covering 3 notifications.\n"

    [message] = outbox(app)
    assert message["To"] == reader.email
    assert message["Subject"] == "Your WWC Community digest: 3 updates"
    body = message.get_content()
    # Mentions come first, under their own heading, then the answers, oldest first.
    assert body.index("Mentions of you") < body.index("New answers")
    assert body.index(answers[0].text) < body.index(answers[1].text)
    links = links_in(message)
    for item in [*answers, mention]:
        assert f"http://127.0.0.1:5000/notifications/{item.id}" in links

    assert send_digests(runner) == "Sent 0 digests covering 0 notifications.\n"
    assert len(outbox(app)) == 1

    # Only what is new goes in the next one.
    [later] = make_notifications(reader, 1, actor=actor, kind="comment")
    assert send_digests(runner) == "Sent 1 digest covering 1 notification.\n"
    body = outbox(app)[-1].get_content()
    assert "New comments" in body and f"/notifications/{later.id}\n" in body
    assert f"/notifications/{answers[0].id}\n" not in body


def test_digest_leaves_out_immediate_items_already_sent(app, runner, make_reader):
    eager = make_reader(EmailFrequency.IMMEDIATELY)
    make_notifications(eager, 2)
    assert len(outbox(app)) == 2
    assert send_digests(runner) == "Sent 0 digests covering 0 notifications.\n"
    assert len(outbox(app)) == 2


def test_items_from_before_a_switch_to_immediate_still_go_out_once(app, runner, make_reader):
    reader = make_reader(EmailFrequency.DAILY)
    make_notifications(reader, 2)
    reader.email_notifications = EmailFrequency.IMMEDIATELY
    db.session.commit()
    assert send_digests(runner) == "Sent 1 digest covering 2 notifications.\n"


def test_members_who_want_no_email_get_no_digest_then_or_later(app, runner, make_reader):
    quiet = make_reader(EmailFrequency.NEVER)
    make_notifications(quiet, 3)

    output = send_digests(runner)
    assert output.startswith("Sent 0 digests covering 0 notifications.\n")
    assert "Left out 3 notifications of members who want no e-mail." in output
    assert outbox(app) == []

    # Turning e-mail back on starts from what happens next, not from old news.
    quiet.email_notifications = EmailFrequency.DAILY
    db.session.commit()
    assert send_digests(runner) == "Sent 0 digests covering 0 notifications.\n"
    make_notifications(quiet, 1)
    assert send_digests(runner) == "Sent 1 digest covering 1 notification.\n"


def test_suspended_members_get_no_digest(app, runner, make_reader):
    reader = make_reader()
    make_notifications(reader, 2)
    reader.status = MemberStatus.SUSPENDED
    db.session.commit()
    assert send_digests(runner) == "Sent 0 digests covering 0 notifications.\n"
    assert outbox(app) == []


def test_a_digest_already_claimed_by_another_run_is_not_sent_again(app, runner, make_reader):
    """Two cron runs at once: items the other run claimed first are not sent by this one."""
    from wwc_community.core.errors import Conflict
    from wwc_community.notifications.services import send_digest

    reader = make_reader()
    make_notifications(reader, 2)
    # This run reads the two waiting items, then the other run claims one of them...
    original_execute = db.session.execute
    claimed_by_other_run = False

    def execute(statement, *args, **kwargs):
        nonlocal claimed_by_other_run
        if statement.is_dml and not claimed_by_other_run:
            claimed_by_other_run = True
            original_execute(
                update(Notification)
                .where(Notification.member_id == reader.id)
                .where(Notification.id == notifications_of(reader)[0].id)
                .values(emailed_at=utcnow())
            )
        return original_execute(statement, *args, **kwargs)

    db.session.execute = execute
    try:
        try:
            send_digest(db.session, reader.id)
        except Conflict:
            db.session.rollback()
        else:
            raise AssertionError("the claim should have been refused")
    finally:
        del db.session.execute
    assert outbox(app) == []


def test_a_long_backlog_lists_the_newest_and_links_the_rest(app, runner, make_reader):
    reader = make_reader()
    items = make_notifications(reader, 55)
    assert send_digests(runner) == "Sent 1 digest covering 55 notifications.\n"
    body = outbox(app)[0].get_content()
    assert "And 5 older updates. See every notification:" in body
    assert items[-1].text in body and f"/notifications/{items[0].id}\n" not in body
    assert all(item.emailed_at is not None for item in notifications_of(reader))


def test_notify_inside_a_coordinators_request_stays_bounded(app, make_reader):
    """Mail rendered during a page request must not run the pages' header queries."""
    coordinator = make_member(Role.COORDINATOR)

    def queries_to_notify(count: int) -> int:
        recipients = [make_reader(EmailFrequency.IMMEDIATELY).id for _ in range(count)]
        with app.test_request_context("/discussions/1/answers", method="POST"):
            login_user(db.session.get(Member, coordinator.id))
            with counted_queries() as statements:
                notify(db.session, recipients, kind="answer", text="An answer", url="/")
            db.session.rollback()
        return len(statements)

    assert queries_to_notify(2) == queries_to_notify(12)
