"""What the discussion list, the similar-questions box, the city and topic pages and a
member's profile read: filters, sorts, title matches and activity."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager, selectinload

from wwc_community.accounts.models import Member
from wwc_community.core.database import sqlite_unindexed, text_contains
from wwc_community.directory.models import City, PopulationBand, Topic
from wwc_community.discussions.models import (
    Post,
    Thread,
    TopicFollow,
    thread_topic,
)
from wwc_community.discussions.services import (
    ACTIVITY_LIMIT,
    followed_threads_subquery,
    require_member,
)

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
_TRUE_FLAGS = frozenset({"1", "on", "yes", "true"})


@dataclass(frozen=True)
class ThreadFilters:
    """What the list shows, read from the query string."""

    topic: Topic | None = None
    state: str = ""
    my_city: bool = False
    like_mine: bool = False
    following: bool = False
    city: City | None = None
    # A city slug in the address that names no city: the list says so and ignores it.
    unknown_city: str = ""
    sort: str = "activity"

    @property
    def any(self) -> bool:
        """True when a filter narrows the list (the sort does not)."""
        return bool(
            self.topic or self.state or self.my_city or self.like_mine or self.following
        ) or bool(self.city)


def read_thread_filters(
    args: Mapping[str, str], topics: Sequence[Topic], city: City | None = None
) -> ThreadFilters:
    """The filters in `args`; unknown values fall back to showing everything.

    `city` is the city that `args["city"]` names (see `city_in_filters`), looked up by
    the caller because it takes a query.
    """
    topic = next((topic for topic in topics if topic.slug == args.get("topic")), None)
    state = args.get("state", "")
    sort = args.get("sort", "activity")
    city_slug = (args.get("city") or "").strip()
    return ThreadFilters(
        topic=topic,
        state=state if state in THREAD_STATES else "",
        my_city=(args.get("my_city") or "").lower() in _TRUE_FLAGS,
        like_mine=(args.get("like_mine") or "").lower() in _TRUE_FLAGS,
        following=(args.get("following") or "").lower() in _TRUE_FLAGS,
        city=city,
        unknown_city=city_slug[:60] if city_slug and city is None else "",
        sort=sort if sort in THREAD_SORTS else "activity",
    )


def city_in_filters(session: Session, args: Mapping[str, str]) -> City | None:
    """The city the list's `city` parameter names by slug, if there is one."""
    slug = (args.get("city") or "").strip()
    if not (0 < len(slug) <= 160 and slug.isprintable()):
        return None
    return session.scalar(select(City).where(City.slug == slug))


def band_of(viewer) -> PopulationBand | None:
    """The population band of the viewer's city, which "cities like mine" compares by."""
    city = getattr(viewer, "city", None)
    return city.population_band if city is not None else None


def followed_thread_ids(member: Member) -> Select:
    """The ids of threads `member` follows, or that carry a topic they follow.

    Reads the primary keys of thread_follow and topic_follow (member first) and the
    (topic_id, thread_id) index of thread_topic.
    """
    on_followed_topics = (
        select(thread_topic.c.thread_id)
        .join(TopicFollow, TopicFollow.topic_id == thread_topic.c.topic_id)
        .where(TopicFollow.member_id == member.id)
    )
    return followed_threads_subquery(member).union(on_followed_topics)


def _cities_in_band(band: PopulationBand) -> Select:
    low, high = band.bounds
    cities = select(City.id).where(City.population >= low)
    if high is not None:
        cities = cities.where(City.population < high)
    return cities


# Past this many matching threads, the list finds its page faster by walking the
# threads in display order and checking each one's topic than by collecting every
# thread of the topic and sorting them (measured in docs/performance.md).
TOPIC_WALK_FROM = 500


def thread_list_statement(viewer, filters: ThreadFilters, matching: int | None = None) -> Select:
    """The threads the list shows, pinned first, with what each row needs loaded.

    A filter the viewer cannot use (their city when they have none, "cities like
    mine" when their city has no band) does not narrow the list; the page says why.
    `matching`, the count of threads the list holds when known, chooses how the topic
    filter is written: the rows are the same either way, only the plan differs.
    SQLite has no statistics to make that choice itself (PostgreSQL does, and plans
    both forms alike).
    """
    require_member(viewer)
    statement = select(Thread).options(
        selectinload(Thread.author),
        selectinload(Thread.city),
        selectinload(Thread.topics),
        selectinload(Thread.duplicate_of),
    )
    walk = filters.topic is not None and matching is not None and matching > TOPIC_WALK_FROM
    if walk:
        statement = statement.where(
            select(thread_topic.c.thread_id)
            .where(
                thread_topic.c.thread_id == Thread.id,
                thread_topic.c.topic_id == filters.topic.id,
            )
            .exists()
        )
    elif filters.topic is not None:
        statement = statement.where(
            Thread.id.in_(
                select(thread_topic.c.thread_id).where(thread_topic.c.topic_id == filters.topic.id)
            )
        )
    if filters.state == "unanswered":
        # The count reads answer counts from ix_thread_answer_count_id; the walk must
        # follow the sort's index instead, and SQLite would take the first if it could
        # (collecting every unanswered thread to sort them: 0.8 ms became 4.2 ms).
        answer_count = sqlite_unindexed(Thread.answer_count) if walk else Thread.answer_count
        statement = statement.where(answer_count == 0)
    elif filters.state == "answered":
        statement = statement.where(Thread.accepted_post_id.is_not(None))
    if filters.my_city and viewer.city_id is not None:
        statement = statement.where(Thread.city_id == viewer.city_id)
    if filters.like_mine and (band := band_of(viewer)) is not None:
        statement = statement.where(Thread.city_id.in_(_cities_in_band(band)))
    if filters.city is not None:
        statement = statement.where(Thread.city_id == filters.city.id)
    if filters.following:
        statement = statement.where(Thread.id.in_(followed_thread_ids(viewer)))
    order = {
        "activity": Thread.last_activity_at.desc(),
        "newest": Thread.created_at.desc(),
        "votes": Thread.vote_count.desc(),
    }[filters.sort]
    return statement.order_by(Thread.pinned.desc(), order, Thread.id.desc())


def thread_count_statement(viewer, filters: ThreadFilters) -> Select | None:
    """A cheaper count of the list's threads when the topic is the only filter: the
    topic's rows in thread_topic, read from its (topic_id, thread_id) index without
    touching a thread row (4 ms to 0.3 ms at 5,000 threads). None otherwise: the list's
    own statement is counted."""
    others = filters.state or filters.my_city or filters.like_mine or filters.following
    if filters.topic is None or others or filters.city is not None:
        return None
    require_member(viewer)
    return (
        select(func.count())
        .select_from(thread_topic)
        .where(thread_topic.c.topic_id == filters.topic.id)
    )


def describe_filters(viewer, filters: ThreadFilters) -> str:
    """The active filters in one sentence, for example "Showing unanswered questions on
    Open Data from cities of 100,000 to 250,000 residents, latest activity first"."""
    what = {
        "": "all questions",
        "unanswered": "unanswered questions",
        "answered": "questions with an accepted answer",
    }[filters.state]
    parts = [f"Showing {what}"]
    if filters.following:
        parts.append("you follow (or on topics you follow)")
    if filters.topic is not None:
        parts.append(f"on {filters.topic.name}")
    if filters.city is not None:
        parts.append(f"about {filters.city.label}")
    if filters.my_city and getattr(viewer, "city", None) is not None:
        parts.append(f"from your city, {viewer.city.label}")
    if filters.like_mine and (band := band_of(viewer)) is not None:
        parts.append(f"from cities of {band.label} residents, like yours")
    order = {
        "activity": "latest activity first",
        "newest": "newest first",
        "votes": "most votes first",
    }[filters.sort]
    return " ".join(parts) + f", {order}."


# The latest threads of a city or a topic, for their pages -------------------------------

LATEST_LIMIT = 5


@dataclass(frozen=True)
class LatestThreads:
    """How many threads a city or topic has, and the latest of them."""

    total: int
    threads: list[Thread]


def latest_threads(
    session: Session,
    viewer,
    *,
    city: City | None = None,
    topic: Topic | None = None,
    limit: int = LATEST_LIMIT,
) -> LatestThreads:
    """The threads about `city` or on `topic`, latest activity first (members only)."""
    require_member(viewer)
    statement = select(Thread)
    if city is not None:
        statement = statement.where(Thread.city_id == city.id)
    if topic is not None:
        statement = statement.where(
            Thread.id.in_(
                select(thread_topic.c.thread_id).where(thread_topic.c.topic_id == topic.id)
            )
        )
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    threads = session.scalars(
        statement.options(
            selectinload(Thread.author), selectinload(Thread.city), selectinload(Thread.topics)
        )
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    ).all()
    return LatestThreads(total=total, threads=list(threads))


# Similar questions, while a member asks -------------------------------------------------

SIMILAR_LIMIT = 5
# More words than this make a slow query and add little: the first ones are kept.
SIMILAR_MAX_WORDS = 8
SIMILAR_MIN_WORD_LENGTH = 3
# Words that say nothing about what a question is about.
STOPWORDS = frozenset(
    """
    about after all also and any are been before being but can cities city could did
    does doing done for from get got had has have help how into is isn its just like
    make many more most much need needs not now our out over same should some such than
    that the their them then there these they this those too use used using was way ways
    we were what when where which while who why will with would you your yours anyone
    other others best good know tips thanks question questions
    """.split()
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def title_words(title: str) -> list[str]:
    """The meaningful words of a typed title, lower case, in order, without repeats:
    no stopwords, no words under three letters, a plural "s" dropped (so "budgets"
    also finds "budget")."""
    words = []
    for word in _WORD.findall((title or "").lower()):
        if len(word) < SIMILAR_MIN_WORD_LENGTH or word in STOPWORDS or word.isdigit():
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word not in words:
            words.append(word)
    return words[:SIMILAR_MAX_WORDS]


def similar_threads(
    session: Session,
    viewer,
    title: str,
    limit: int = SIMILAR_LIMIT,
    ranked_ids: Sequence[int] | None = None,
) -> list[Thread]:
    """Up to `limit` threads like `title`. With `ranked_ids` (the search index's best
    matches, best first) those threads in that order; without, the threads whose titles
    share words with `title`: most shared words first, then latest activity. One query;
    a closed duplicate comes with its original."""
    require_member(viewer)
    words = title_words(title)
    if not words:
        return []
    original = aliased(Thread)
    statement = (
        select(Thread)
        .outerjoin(original, original.id == Thread.duplicate_of_id)
        .options(contains_eager(Thread.duplicate_of.of_type(original)))
    )
    if ranked_ids is not None:
        ranked_ids = list(ranked_ids)[:limit]
        if not ranked_ids:
            return []
        found = {
            thread.id: thread
            for thread in session.scalars(statement.where(Thread.id.in_(ranked_ids)))
        }
        # An id the index still holds for a thread deleted since is left out.
        return [found[thread_id] for thread_id in ranked_ids if thread_id in found]
    matches = [text_contains(Thread.title, word) for word in words]
    shared = sum((case((match, 1), else_=0) for match in matches), start=0)
    return list(
        session.scalars(
            statement.where(or_(*matches))
            .order_by(shared.desc(), Thread.last_activity_at.desc(), Thread.id.desc())
            .limit(limit)
        )
    )


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
