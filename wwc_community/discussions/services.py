"""Operations on discussions: ask, answer, vote, accept, remove, and the queries the
pages read. Every verb takes the acting member and leaves the commit to the caller."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, case, delete, func, select, update
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import render_markdown
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City, Topic
from wwc_community.discussions.models import Post, Thread, Vote, thread_topic

TITLE_MIN_LENGTH = 10
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
TOPICS_MIN = 1
TOPICS_MAX = 3
SLUG_MAX_LENGTH = 80
ACTIVITY_LIMIT = 5


def _require_member(actor) -> None:
    if actor is None or not getattr(actor, "is_member", False):
        raise NotPermitted("Only approved members can take part in discussions.")


def _clean_body(body: str | None, what: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid(f"Write your {what}.", field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise Invalid(
            f"Keep your {what} to {BODY_MAX_LENGTH:,} characters (this one has {len(body):,}).",
            field="body",
        )
    return body


def thread_slug(title: str) -> str:
    """The readable part of a thread's address, cut at a word boundary."""
    slug = slugify(title)[:SLUG_MAX_LENGTH].strip("-")
    if len(slugify(title)) > SLUG_MAX_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug or "question"


# Asking and answering -------------------------------------------------------------------


def ask_question(
    session: Session,
    actor: Member,
    title: str,
    body: str,
    topics: Sequence[Topic],
    city: City | None,
) -> Thread:
    """Start a thread: a title of 10 to 200 characters, a Markdown body, one to three
    topics, and the city the question comes from (none is allowed)."""
    _require_member(actor)
    title = " ".join((title or "").split())
    topics = list(dict.fromkeys(topics))
    if len(title) < TITLE_MIN_LENGTH:
        raise Invalid(
            f"Write a title of at least {TITLE_MIN_LENGTH} characters that says what you "
            "want to know.",
            field="title",
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise Invalid(
            f"Keep the title to {TITLE_MAX_LENGTH} characters (this one has {len(title)}).",
            field="title",
        )
    body = _clean_body(body, "question")
    if len(topics) < TOPICS_MIN:
        raise Invalid("Choose at least one topic, so the right people see it.", field="topics")
    if len(topics) > TOPICS_MAX:
        raise Invalid(
            f"Choose at most {TOPICS_MAX} topics (you chose {len(topics)}).", field="topics"
        )
    now = utcnow()
    thread = Thread(
        title=title,
        slug=thread_slug(title),
        body=body,
        body_html=str(render_markdown(body)),
        author_id=actor.id,
        city_id=city.id if city is not None else None,
        created_at=now,
        last_activity_at=now,
        answer_count=0,
        vote_count=0,
        pinned=False,
    )
    thread.topics = topics
    session.add(thread)
    session.flush()
    return thread


def post_answer(session: Session, actor: Member, thread: Thread, body: str) -> Post:
    """Answer a thread's question; the thread's answer count and activity move with it."""
    _require_member(actor)
    body = _clean_body(body, "answer")
    now = utcnow()
    post = Post(
        thread_id=thread.id,
        author_id=actor.id,
        body=body,
        body_html=str(render_markdown(body)),
        created_at=now,
        vote_count=0,
    )
    session.add(post)
    # Counted in the database, so two answers at the same moment both count.
    session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(answer_count=Thread.answer_count + 1, last_activity_at=now)
    )
    session.flush()
    return post


# Votes ------------------------------------------------------------------------------------


def _votable(actor: Member, post: Post) -> None:
    _require_member(actor)
    if post.author_id == actor.id:
        raise NotPermitted("You cannot vote for your own answer.")
    if post.is_deleted:
        raise Conflict("This answer was removed by its author and takes no votes.")


def _find_vote(session: Session, actor: Member, post: Post) -> Vote | None:
    return session.scalar(select(Vote).where(Vote.post_id == post.id, Vote.member_id == actor.id))


def _move_votes(session: Session, post: Post, change: int) -> None:
    session.execute(
        update(Post).where(Post.id == post.id).values(vote_count=Post.vote_count + change)
    )
    session.execute(
        update(Thread)
        .where(Thread.id == post.thread_id)
        .values(vote_count=Thread.vote_count + change)
    )


def vote_for_post(session: Session, actor: Member, post: Post) -> None:
    """Vote an answer up: once per member, never one's own."""
    _votable(actor, post)
    if _find_vote(session, actor, post) is not None:
        raise Conflict("You have already voted for this answer.")
    # Two clicks at the same moment: the unique key refuses the second vote.
    session.add(Vote(post_id=post.id, member_id=actor.id))
    session.flush()
    _move_votes(session, post, +1)


def withdraw_vote(session: Session, actor: Member, post: Post) -> None:
    """Take back one's vote for an answer (a removed answer's votes stay as they were)."""
    _require_member(actor)
    if post.is_deleted:
        raise Conflict("This answer was removed by its author; its votes stay as they were.")
    removed = session.execute(
        delete(Vote).where(Vote.post_id == post.id, Vote.member_id == actor.id)
    ).rowcount
    if not removed:
        raise Conflict("You have not voted for this answer.")
    _move_votes(session, post, -1)


def toggle_vote(session: Session, actor: Member, post: Post) -> bool:
    """Vote for an answer, or take the vote back if given; True when a vote now stands."""
    _require_member(actor)
    if _find_vote(session, actor, post) is not None:
        withdraw_vote(session, actor, post)
        return False
    vote_for_post(session, actor, post)
    return True


# Accepting and removing -----------------------------------------------------------------


def may_accept(viewer, thread: Thread) -> bool:
    """The asker and coordinators choose a thread's accepted answer."""
    return bool(
        viewer is not None
        and getattr(viewer, "is_member", False)
        and (viewer.id == thread.author_id or viewer.has_role(Role.COORDINATOR))
    )


def accept_answer(session: Session, actor: Member, thread: Thread, post: Post) -> None:
    """Mark `post` as the thread's accepted answer, replacing any earlier choice."""
    _require_member(actor)
    if not may_accept(actor, thread):
        raise NotPermitted("Only the member who asked, or a coordinator, can accept an answer.")
    if post.thread_id != thread.id:
        raise NotFound("That answer is not part of this thread.")
    if post.is_deleted:
        raise Conflict("This answer was removed by its author and cannot be accepted.")
    thread.accepted_post_id = post.id
    session.flush()


def delete_own_post(session: Session, actor: Member, post: Post) -> None:
    """Remove one's own answer: the thread keeps its place, marked "removed by author"."""
    _require_member(actor)
    if post.author_id != actor.id:
        raise NotPermitted("You can only remove your own answers.")
    if post.is_deleted:
        return
    post.deleted_at = utcnow()
    post.body, post.body_html = "", ""
    session.execute(
        update(Thread)
        .where(Thread.id == post.thread_id)
        .values(
            answer_count=Thread.answer_count - 1,
            vote_count=Thread.vote_count - post.vote_count,
            accepted_post_id=case(
                (Thread.accepted_post_id == post.id, None), else_=Thread.accepted_post_id
            ),
        )
    )
    session.flush()


# Reading ----------------------------------------------------------------------------------


def get_thread(session: Session, viewer, thread_id: int) -> Thread:
    """The thread with its asker, city and topics loaded."""
    _require_member(viewer)
    thread = session.scalar(
        select(Thread)
        .where(Thread.id == thread_id)
        .options(
            selectinload(Thread.author), selectinload(Thread.city), selectinload(Thread.topics)
        )
    )
    if thread is None:
        raise NotFound("There is no discussion at this address. It may have been removed.")
    return thread


def get_post(session: Session, viewer, post_id: int) -> Post:
    """One answer, whichever thread it is in."""
    _require_member(viewer)
    post = session.get(Post, post_id)
    if post is None:
        raise NotFound("There is no answer at this address.")
    return post


def answers_of(session: Session, thread: Thread) -> list[Post]:
    """The thread's answers: the accepted one first, then by votes, then oldest first;
    removed answers last."""
    accepted_first = case((Post.id == thread.accepted_post_id, 0), else_=1)
    removed_last = case((Post.deleted_at.is_(None), 0), else_=1)
    return list(
        session.scalars(
            select(Post)
            .where(Post.thread_id == thread.id)
            .options(selectinload(Post.author))
            .order_by(
                accepted_first, removed_last, Post.vote_count.desc(), Post.created_at, Post.id
            )
        )
    )


def posts_voted_by(session: Session, viewer: Member, thread: Thread) -> set[int]:
    """The ids of the thread's answers `viewer` has voted for."""
    return set(
        session.scalars(
            select(Vote.post_id)
            .join(Post, Post.id == Vote.post_id)
            .where(Post.thread_id == thread.id, Vote.member_id == viewer.id)
        )
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
    _require_member(viewer)
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
