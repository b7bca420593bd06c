"""What the discussion list and a member's profile read: filters, sorts and activity."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member
from wwc_community.directory.models import Topic
from wwc_community.discussions.models import Post, Thread, thread_topic
from wwc_community.discussions.services import ACTIVITY_LIMIT, require_member

# The list -----------------------------------------------------------------------------------

THREAD_SORTS = {
    "activity": "Latest activity",
    "newest": "Newest",
    "votes": "Most votes",
}
THREAD_STATES = {
    "": "All questions",
    "unanswered": "Unanswered",
    "answered": "With an accepted answer",
}


@dataclass(frozen=True)
class ThreadFilters:
    """What the list shows, read from the query string."""

    topic: Topic | None = None
    state: str = ""
    my_city: bool = False
    sort: str = "activity"


def read_thread_filters(args: Mapping[str, str], topics: Sequence[Topic]) -> ThreadFilters:
    """The filters in `args`; unknown values fall back to showing everything."""
    topic = next((topic for topic in topics if topic.slug == args.get("topic")), None)
    state = args.get("state", "")
    sort = args.get("sort", "activity")
    return ThreadFilters(
        topic=topic,
        state=state if state in THREAD_STATES else "",
        my_city=args.get("my_city") == "1",
        sort=sort if sort in THREAD_SORTS else "activity",
    )


def thread_list_statement(viewer, filters: ThreadFilters) -> Select:
    """The threads the list shows, pinned first, with what each row needs loaded."""
    require_member(viewer)
    statement = select(Thread).options(
        selectinload(Thread.author), selectinload(Thread.city), selectinload(Thread.topics)
    )
    if filters.topic is not None:
        statement = statement.where(
            Thread.id.in_(
                select(thread_topic.c.thread_id).where(thread_topic.c.topic_id == filters.topic.id)
            )
        )
    if filters.state == "unanswered":
        statement = statement.where(Thread.answer_count == 0)
    elif filters.state == "answered":
        statement = statement.where(Thread.accepted_post_id.is_not(None))
    if filters.my_city and viewer.city_id is not None:
        statement = statement.where(Thread.city_id == viewer.city_id)
    order = {
        "activity": Thread.last_activity_at.desc(),
        "newest": Thread.created_at.desc(),
        "votes": Thread.vote_count.desc(),
    }[filters.sort]
    return statement.order_by(Thread.pinned.desc(), order, Thread.id.desc())


# A member's activity, for the profile page ----------------------------------------------


@dataclass
class DiscussionActivity:
    """A member's latest questions and answers, and how many of each."""

    question_count: int
    questions: list[Thread]
    answer_count: int
    answers: list[tuple[Post, Thread]]


def activity_of(session: Session, member: Member) -> DiscussionActivity:
    """The questions `member` asked and the answers they gave, newest first (four queries)."""
    question_count = session.scalar(
        select(func.count()).select_from(Thread).where(Thread.author_id == member.id)
    )
    questions = session.scalars(
        select(Thread)
        .where(Thread.author_id == member.id)
        .order_by(Thread.created_at.desc(), Thread.id.desc())
        .limit(ACTIVITY_LIMIT)
    ).all()
    answered = select(Post).where(Post.author_id == member.id, Post.deleted_at.is_(None))
    answer_count = session.scalar(select(func.count()).select_from(answered.subquery()))
    answers = session.execute(
        select(Post, Thread)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == member.id, Post.deleted_at.is_(None))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(ACTIVITY_LIMIT)
    ).all()
    return DiscussionActivity(
        question_count=question_count or 0,
        questions=list(questions),
        answer_count=answer_count or 0,
        answers=[(post, thread) for post, thread in answers],
    )
