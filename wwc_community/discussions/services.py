"""Operations on discussions: ask, answer, vote, accept, remove, and the queries the
pages read. Every verb takes the acting member and leaves the commit to the caller."""

from collections.abc import Sequence

from sqlalchemy import case, delete, select, update
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import render_markdown
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City, Topic
from wwc_community.discussions.models import Post, Thread, Vote

TITLE_MIN_LENGTH = 10
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
TOPICS_MIN = 1
TOPICS_MAX = 3
SLUG_MAX_LENGTH = 80
ACTIVITY_LIMIT = 5


def require_member(actor) -> None:
    """Refuse anyone who is not an approved member (visitors, pending, suspended)."""
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
    require_member(actor)
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
    require_member(actor)
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
    require_member(actor)
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
    require_member(actor)
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
    require_member(actor)
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
    require_member(actor)
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
    require_member(actor)
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
    require_member(viewer)
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
    require_member(viewer)
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
