"""Load the demo discussions (demo_threads.py) through the discussion services, so that
counters, follows and notifications are what real use would leave, then spread them over
the last four months. Threads already there (same title) are skipped."""

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from textwrap import dedent

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from wwc_community.accounts.models import Member
from wwc_community.core.database import utcnow
from wwc_community.core.demo_people import demo_people
from wwc_community.directory.models import Topic
from wwc_community.discussions.demo_threads import DEMO_THREADS, DemoThread
from wwc_community.discussions.models import ModerationEntry, Post, Thread, ThreadFollow, Vote
from wwc_community.discussions.moderation import close_as_duplicate, pin_thread
from wwc_community.discussions.services import (
    NO_POSTING_LIMIT,
    accept_answer,
    ask_question,
    post_answer,
    post_comment,
    post_url,
    thread_url,
)
from wwc_community.notifications.models import Notification

# When each answer comes, in hours after the question (stretched or squeezed per thread).
ANSWER_HOURS = (2.5, 7, 19, 31, 52, 80)
# Notifications older than this are shown as read and already e-mailed.
READ_AFTER = timedelta(days=7)
MODERATOR_NAME = "Casey Coordinator"


def seed_demo_discussions(session: Session, account_emails: Iterable[str] = ()) -> int:
    """Add the demo threads that are not there yet; return how many were added.

    The members are the demo people and the demo accounts (`account_emails`); a thread
    whose asker is missing is skipped, and so is an answer or comment whose author is."""
    titles = [demo.title for demo in DEMO_THREADS]
    existing = set(session.scalars(select(Thread.title).where(Thread.title.in_(titles))))
    wanted = [demo for demo in DEMO_THREADS if demo.title not in existing]
    if not wanted:
        return 0
    emails = [person.email for person in demo_people()] + list(account_emails)
    members = {
        member.display_name: member
        for member in session.scalars(select(Member).where(Member.email.in_(emails)))
        if member.is_member
    }
    topics = {topic.name: topic for topic in session.scalars(select(Topic))}
    seeder = ThreadSeeder(session, members, utcnow())
    threads = {}
    for demo in wanted:
        thread = seeder.add_thread(demo, topics)
        if thread is not None:
            threads[demo.title] = thread
    for demo in wanted:
        if demo.duplicate_of and demo.title in threads:
            seeder.close_as_duplicate(demo, threads[demo.title])
    seeder.settle_timestamps()
    return len(threads)


class ThreadSeeder:
    """One run of the demo discussions: creates through the services, remembers when
    each thing should have happened, and writes those times at the end."""

    def __init__(self, session: Session, members: dict[str, Member], now: datetime):
        self.session = session
        self.members = members
        self.now = now
        self.moderator = members.get(MODERATOR_NAME)
        self.voters = sorted(members.values(), key=lambda member: member.id)
        self.first_notification_id = (session.scalar(select(func.max(Notification.id))) or 0) + 1
        self.first_entry_id = (session.scalar(select(func.max(ModerationEntry.id))) or 0) + 1
        self.thread_times: dict[int, datetime] = {}
        self.activity: dict[int, datetime] = {}
        self.post_times: dict[int, datetime] = {}
        self.follow_times: dict[tuple[int, int], datetime] = {}
        self.url_times: dict[str, datetime] = {}
        self.entry_times: dict[tuple[str, int], datetime] = {}
        self.votes: list[dict] = []
        # Moderators' notices share the thread's address with its other notifications.
        self.notice_times: dict[str, datetime] = {}

    def add_thread(self, demo: DemoThread, topics: dict[str, Topic]) -> Thread | None:
        asker = self.members.get(demo.asker)
        if asker is None:
            return None
        rng = random.Random(demo.title)
        asked_at = self.now - timedelta(days=demo.days_ago, minutes=rng.randint(0, 600))
        thread = ask_question(
            self.session,
            asker,
            demo.title,
            dedent(demo.body).strip(),
            [topics[name] for name in demo.topics if name in topics],
            asker.city,
            limits=NO_POSTING_LIMIT,
        )
        self._happened(thread, asker, asked_at, thread_url(thread))
        if demo.pinned and self.moderator is not None:
            pin_thread(self.session, self.moderator, thread, "A good place to start.")
            self.entry_times[("pin", thread.id)] = asked_at + timedelta(hours=1)
        hours = self._answer_hours(asked_at, len(demo.answers), rng)
        for answer, after in zip(demo.answers, hours, strict=True):
            author = self.members.get(answer.author)
            if author is None:
                continue
            post = post_answer(
                self.session, author, thread, dedent(answer.body).strip(), NO_POSTING_LIMIT
            )
            posted_at = asked_at + timedelta(hours=after)
            self._happened(thread, author, posted_at, post_url(post.id), post)
            for number, comment in enumerate(answer.comments, start=1):
                commenter = self.members.get(comment.author)
                if commenter is None:
                    continue
                reply = post_comment(
                    self.session, commenter, thread, post, comment.body, NO_POSTING_LIMIT
                )
                replied_at = min(
                    posted_at + timedelta(hours=1.5 * number), self.now - timedelta(minutes=5)
                )
                self._happened(thread, commenter, replied_at, post_url(reply.id), reply)
            self.votes += [
                {"post_id": post.id, "member_id": voter.id, "created_at": posted_at + delay}
                for voter, delay in self._voters(author, answer.votes, posted_at, rng)
            ]
            if answer.accepted:
                accept_answer(self.session, asker, thread, post)
        return thread

    def close_as_duplicate(self, demo: DemoThread, thread: Thread) -> None:
        original = self.session.scalar(select(Thread).where(Thread.title == demo.duplicate_of))
        if original is None or self.moderator is None:
            return
        close_as_duplicate(
            self.session, self.moderator, thread, str(original.id), demo.close_reason
        )
        closed_at = self.activity[thread.id] + timedelta(hours=3)
        self.session.execute(
            update(Thread).where(Thread.id == thread.id).values(closed_at=closed_at)
        )
        self.entry_times[("close_duplicate", thread.id)] = closed_at
        self.notice_times[thread_url(thread)] = closed_at

    def settle_timestamps(self) -> None:
        """Add the votes, and write when everything happened instead of the moment of
        seeding."""
        if not self.thread_times:
            return
        session = self.session
        session.flush()
        self._add_votes()
        session.execute(
            update(Thread),
            [
                {"id": thread_id, "created_at": at, "last_activity_at": self.activity[thread_id]}
                for thread_id, at in self.thread_times.items()
            ],
        )
        if self.post_times:
            session.execute(
                update(Post),
                [{"id": post_id, "created_at": at} for post_id, at in self.post_times.items()],
            )
        session.execute(
            update(ThreadFollow),
            [
                {"member_id": member_id, "thread_id": thread_id, "created_at": at}
                for (member_id, thread_id), at in self.follow_times.items()
            ],
        )
        self._date_notifications()
        for (action, thread_id), at in self.entry_times.items():
            session.execute(
                update(ModerationEntry)
                .where(
                    ModerationEntry.id >= self.first_entry_id,
                    ModerationEntry.action == action,
                    ModerationEntry.thread_id == thread_id,
                )
                .values(created_at=at)
            )
        session.expire_all()

    def _add_votes(self) -> None:
        """Insert the votes in one statement, then count them into the posts and threads
        (the counters the vote service keeps, derived here from the rows themselves)."""
        if not self.votes:
            return
        self.session.execute(insert(Vote), self.votes)
        thread_ids = list(self.thread_times)
        unsynchronised = {"synchronize_session": False}
        self.session.execute(
            update(Post)
            .where(Post.thread_id.in_(thread_ids))
            .values(
                vote_count=select(func.count(Vote.id))
                .where(Vote.post_id == Post.id)
                .scalar_subquery()
            ),
            execution_options=unsynchronised,
        )
        answers = aliased(Post)
        self.session.execute(
            update(Thread)
            .where(Thread.id.in_(thread_ids))
            .values(
                vote_count=select(func.coalesce(func.sum(answers.vote_count), 0))
                .where(answers.thread_id == Thread.id, answers.deleted_at.is_(None))
                .scalar_subquery()
            ),
            execution_options=unsynchronised,
        )

    def _date_notifications(self) -> None:
        """Date the notifications this run wrote like what they announce; those older
        than a week count as read and e-mailed, so they are not news to anyone."""
        table = Notification.__table__
        rows = []
        for moderation, times in ((False, self.url_times), (True, self.notice_times)):
            for url, at in times.items():
                read = at if self.now - at > READ_AFTER else None
                rows.append({"url_": url, "moderation": moderation, "at": at, "read": read})
        kind_matches = (table.c.kind == "moderation") == bindparam("moderation")
        self.session.execute(
            update(table)
            .where(
                table.c.id >= self.first_notification_id,
                table.c.url == bindparam("url_"),
                kind_matches,
            )
            .values(
                created_at=bindparam("at"), read_at=bindparam("read"), emailed_at=bindparam("read")
            ),
            rows,
        )

    def _happened(
        self, thread: Thread, member: Member, at: datetime, url: str, post: Post | None = None
    ) -> None:
        if post is None:
            self.thread_times[thread.id] = at
        else:
            self.post_times[post.id] = at
        self.activity[thread.id] = max(self.activity.get(thread.id, at), at)
        self.follow_times.setdefault((member.id, thread.id), at)
        self.url_times.setdefault(url, at)

    def _answer_hours(self, asked_at: datetime, count: int, rng: random.Random) -> list[float]:
        """When each answer comes, squeezed to fit before now for recent questions."""
        hours = [h * rng.uniform(0.6, 1.4) for h in ANSWER_HOURS[:count]]
        available = (self.now - asked_at).total_seconds() / 3600 - 6
        if hours and hours[-1] > available:
            hours = [h * max(available, 0.5) / hours[-1] for h in hours]
        return hours

    def _voters(
        self, author: Member, count: int, posted_at: datetime, rng: random.Random
    ) -> list[tuple[Member, timedelta]]:
        """Who votes for an answer (never its author), and how long after it was posted."""
        others = [member for member in self.voters if member.id != author.id]
        latest = max((self.now - posted_at).total_seconds() / 3600, 0.1)
        return [
            (voter, timedelta(hours=min(rng.uniform(0.5, 96), latest)))
            for voter in rng.sample(others, min(count, len(others)))
        ]
