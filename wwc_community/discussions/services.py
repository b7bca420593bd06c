"""Operations on discussions: ask, answer, comment, edit, vote, accept, remove, follow,
and the queries the pages read. Every verb takes the acting member and leaves the commit
to the caller; notifications are written in the same unit of work."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from flask import current_app
from sqlalchemy import Select, case, delete, func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.database import dialect_insert, insert_unless_present, utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import clean_text, render_markdown
from wwc_community.core.pagination import Page, paginate
from wwc_community.core.templating import format_datetime
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City, Topic
from wwc_community.discussions import mentions
from wwc_community.discussions.models import (
    Post,
    PostRevision,
    Thread,
    ThreadFollow,
    ThreadReading,
    TopicFollow,
    Vote,
)
from wwc_community.library.models import Practice, PracticeStatus
from wwc_community.notifications.models import Notification
from wwc_community.notifications.services import notify

TITLE_MIN_LENGTH = 10
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 2_000
TOPICS_MIN = 1
TOPICS_MAX = 3
SLUG_MAX_LENGTH = 80
ACTIVITY_LIMIT = 5
# How much of a thread's title a notification quotes.
QUOTED_TITLE_LENGTH = 80


def require_member(actor) -> None:
    """Refuse anyone who is not an approved member (visitors, pending, suspended)."""
    if actor is None or not getattr(actor, "is_member", False):
        raise NotPermitted("Only approved members can take part in discussions.")


def _clean_body(body: str | None, what: str, max_length: int = BODY_MAX_LENGTH) -> str:
    body = clean_text(body)
    if not body:
        raise Invalid(f"Write your {what}.", field="body")
    if len(body) > max_length:
        raise Invalid(
            f"Keep your {what} to {max_length:,} characters (this one has {len(body):,}).",
            field="body",
        )
    return body


def _clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
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
    return title


def thread_slug(title: str) -> str:
    """The readable part of a thread's address, cut at a word boundary."""
    slug = slugify(title)[:SLUG_MAX_LENGTH].strip("-")
    if len(slugify(title)) > SLUG_MAX_LENGTH and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug or "question"


# Addresses notifications link to (the views' routes; services build no URLs with Flask,
# so they work from the command line too).


def thread_url(thread: Thread) -> str:
    """The site-relative address of a thread's page."""
    return f"/discussions/{thread.id}-{thread.slug}"


def post_url(post_id: int) -> str:
    """The permalink of an answer or comment: it redirects to the page that shows it."""
    return f"/discussions/posts/{post_id}"


def _who(member: Member) -> str:
    """ "Ana Ruiz (Austin, TX)": how notifications name the member who acted."""
    place = member.affiliation_label
    return f"{member.display_name} ({place})" if place else member.display_name


def _quoted(title: str) -> str:
    if len(title) > QUOTED_TITLE_LENGTH:
        title = title[: QUOTED_TITLE_LENGTH - 1].rstrip() + "…"
    return f"“{title}”"


# Posting limits for new members ------------------------------------------------------------


@dataclass(frozen=True)
class PostingLimits:
    """How many questions, answers and comments a new member may post an hour, and for
    how many days after joining the limit applies. `per_hour` None: no limit."""

    per_hour: int | None = 5
    new_member_days: int = 7


NO_POSTING_LIMIT = PostingLimits(per_hour=None, new_member_days=0)


def configured_posting_limits() -> PostingLimits:
    """The limits in the application's configuration (the one place services read it)."""
    config = current_app.config
    return PostingLimits(
        per_hour=config.get("DISCUSSION_NEW_MEMBER_POSTS_PER_HOUR"),
        new_member_days=config.get("DISCUSSION_NEW_MEMBER_DAYS", 7),
    )


def check_posting_limit(
    session: Session, actor: Member, limits: PostingLimits | None = None
) -> None:
    """Refuse a new member's post past the hourly limit, saying when they can post again.
    Partners, coordinators and admins are never limited."""
    limits = limits or configured_posting_limits()
    if limits.per_hour is None or actor.has_role(Role.PARTNER):
        return
    now = utcnow()
    joined = actor.decided_at or actor.created_at
    if joined is not None and now - joined >= timedelta(days=limits.new_member_days):
        return
    since = now - timedelta(hours=1)
    posted = sorted(
        [
            *session.scalars(
                select(Thread.created_at).where(
                    Thread.author_id == actor.id, Thread.created_at >= since
                )
            ),
            *session.scalars(
                select(Post.created_at).where(Post.author_id == actor.id, Post.created_at >= since)
            ),
        ]
    )
    per_hour = max(limits.per_hour, 1)
    if len(posted) < per_hour:
        return
    free_at = posted[len(posted) - per_hour] + timedelta(hours=1)
    minutes = max(1, ceil((free_at - now).total_seconds() / 60))
    raise Invalid(
        f"To keep spam out, members in their first {limits.new_member_days} days can post "
        f"{per_hour} questions, answers or comments an hour. You can post again in about "
        f"{minutes} {'minute' if minutes == 1 else 'minutes'} "
        f"({format_datetime(free_at)}). Nothing was posted: keep your text and try then.",
        field="body",
    )


# Mentions --------------------------------------------------------------------------------


def _render_with_mentions(session: Session, body: str) -> tuple[str, list[Member]]:
    """The body as safe HTML with @handles of members linked, and those members."""
    html = str(render_markdown(body))
    handles = mentions.find_mentions(html)
    if not handles:
        return html, []
    found = {
        member.handle: member
        for member in session.scalars(
            select(Member).where(
                Member.handle.in_(handles),
                Member.status.not_in([MemberStatus.DELETED, MemberStatus.DECLINED]),
            )
        )
    }
    named = [found[handle] for handle in handles if handle in found][: mentions.MENTION_LIMIT]
    return mentions.link_mentions(html, {member.handle for member in named}), named


def _tell_mentioned(
    session: Session,
    actor: Member,
    named: Sequence[Member],
    *,
    title: str,
    url: str,
    earlier_html: str = "",
) -> set[int]:
    """Tell the members named in a post, except those already told about it (a mention
    in an earlier version, or an earlier notification); return every named member's id."""
    named_ids = {member.id for member in named if member.id != actor.id}
    if not named_ids:
        return set()
    earlier = mentions.linked_mentions(earlier_html)
    fresh = {member.id for member in named if member.handle not in earlier} & named_ids
    if fresh:
        told = set(
            session.scalars(
                select(Notification.member_id).where(
                    Notification.kind == "mention",
                    Notification.url == url,
                    Notification.member_id.in_(fresh),
                )
            )
        )
        notify(
            session,
            fresh - told,
            kind="mention",
            text=f"{_who(actor)} mentioned you in {_quoted(title)}",
            url=url,
            actor=actor,
        )
    return named_ids


# Follows ----------------------------------------------------------------------------------


def follow_thread(session: Session, actor: Member, thread: Thread) -> None:
    """Follow a thread: its new answers reach the member's notifications."""
    require_member(actor)
    insert_unless_present(
        session, ThreadFollow, member_id=actor.id, thread_id=thread.id, created_at=utcnow()
    )


def unfollow_thread(session: Session, actor: Member, thread: Thread) -> None:
    """Stop following a thread (answering or commenting again follows it again)."""
    require_member(actor)
    session.execute(
        delete(ThreadFollow).where(
            ThreadFollow.member_id == actor.id, ThreadFollow.thread_id == thread.id
        )
    )


def is_following(session: Session, member: Member, thread: Thread) -> bool:
    """True when `member` follows `thread`."""
    return (
        session.scalar(
            select(ThreadFollow.thread_id).where(
                ThreadFollow.member_id == member.id, ThreadFollow.thread_id == thread.id
            )
        )
        is not None
    )


def followed_threads_subquery(member: Member) -> Select:
    """The ids of the threads `member` follows, to use in `Thread.id.in_(...)`."""
    return select(ThreadFollow.thread_id).where(ThreadFollow.member_id == member.id)


def followed_thread_ids(session: Session, member: Member) -> set[int]:
    """The ids of the threads `member` follows."""
    return set(session.scalars(followed_threads_subquery(member)))


def follow_topic(session: Session, actor: Member, topic: Topic) -> None:
    """Follow a topic: new questions on it reach the member's notifications."""
    require_member(actor)
    insert_unless_present(
        session, TopicFollow, member_id=actor.id, topic_id=topic.id, created_at=utcnow()
    )


def unfollow_topic(session: Session, actor: Member, topic: Topic) -> None:
    """Stop following a topic."""
    require_member(actor)
    session.execute(
        delete(TopicFollow).where(
            TopicFollow.member_id == actor.id, TopicFollow.topic_id == topic.id
        )
    )


def followed_topic_ids(session: Session, member: Member) -> set[int]:
    """The ids of the topics `member` follows."""
    return set(
        session.scalars(select(TopicFollow.topic_id).where(TopicFollow.member_id == member.id))
    )


def is_following_topic(session: Session, member: Member, topic: Topic) -> bool:
    """True when `member` follows `topic`."""
    return topic.id in followed_topic_ids(session, member)


def _thread_follower_ids(session: Session, thread_id: int) -> set[int]:
    return set(
        session.scalars(select(ThreadFollow.member_id).where(ThreadFollow.thread_id == thread_id))
    )


# Asking, answering and commenting ---------------------------------------------------------


def _require_open(thread: Thread) -> None:
    """Refuse new answers, comments and edits on a locked or closed thread."""
    if thread.is_locked:
        raise Conflict(
            "A moderator locked this discussion: it takes no new answers, comments or edits."
        )
    if thread.is_closed:
        raise Conflict(
            "This question was closed as a duplicate, so it takes no new answers, comments "
            "or edits. Add what you know to the original question instead."
        )


def ask_question(
    session: Session,
    actor: Member,
    title: str,
    body: str,
    topics: Sequence[Topic],
    city: City | None,
    limits: PostingLimits | None = None,
    practice: Practice | None = None,
) -> Thread:
    """Start a thread: a title of 10 to 200 characters, a Markdown body, one to three
    topics, the city the question comes from (none is allowed) and the published library
    entry it is about (optional). The asker follows it; members named with @handle and
    followers of its topics are told."""
    require_member(actor)
    if practice is not None and practice.status != PracticeStatus.PUBLISHED:
        raise Invalid("Questions can be asked only about published library entries.")
    title = _clean_title(title)
    topics = list(dict.fromkeys(topics))
    body = _clean_body(body, "question")
    if len(topics) < TOPICS_MIN:
        raise Invalid("Choose at least one topic, so the right people see it.", field="topics")
    if len(topics) > TOPICS_MAX:
        raise Invalid(
            f"Choose at most {TOPICS_MAX} topics (you chose {len(topics)}).", field="topics"
        )
    check_posting_limit(session, actor, limits)
    body_html, named = _render_with_mentions(session, body)
    now = utcnow()
    thread = Thread(
        title=title,
        slug=thread_slug(title),
        body=body,
        body_html=body_html,
        author_id=actor.id,
        city_id=city.id if city is not None else None,
        practice_id=practice.id if practice is not None else None,
        created_at=now,
        last_activity_at=now,
        answer_count=0,
        vote_count=0,
        pinned=False,
    )
    thread.topics = topics
    session.add(thread)
    session.flush()
    follow_thread(session, actor, thread)
    url = thread_url(thread)
    mentioned = _tell_mentioned(session, actor, named, title=title, url=url)
    topic_followers = set(
        session.scalars(
            select(TopicFollow.member_id)
            .where(TopicFollow.topic_id.in_([topic.id for topic in topics]))
            .distinct()
        )
    )
    notify(
        session,
        topic_followers - mentioned,
        kind="new_question",
        text=f"{_who(actor)} asked {_quoted(title)} in {', '.join(t.name for t in topics)}",
        url=url,
        actor=actor,
    )
    return thread


def post_answer(
    session: Session,
    actor: Member,
    thread: Thread,
    body: str,
    limits: PostingLimits | None = None,
) -> Post:
    """Answer a thread's question; the thread's answer count and activity move with it.
    The answerer follows the thread; its followers and the members named are told."""
    require_member(actor)
    _require_open(thread)
    body = _clean_body(body, "answer")
    check_posting_limit(session, actor, limits)
    body_html, named = _render_with_mentions(session, body)
    now = utcnow()
    post = Post(
        thread_id=thread.id,
        author_id=actor.id,
        body=body,
        body_html=body_html,
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
    followers = _thread_follower_ids(session, thread.id)
    follow_thread(session, actor, thread)
    url = post_url(post.id)
    mentioned = _tell_mentioned(session, actor, named, title=thread.title, url=url)
    notify(
        session,
        followers - mentioned,
        kind="answer",
        text=f"{_who(actor)} answered {_quoted(thread.title)}",
        url=url,
        actor=actor,
    )
    return post


def post_comment(
    session: Session,
    actor: Member,
    thread: Thread,
    answer: Post,
    body: str,
    limits: PostingLimits | None = None,
) -> Post:
    """Comment under an answer (one level: never under a comment), at most 2,000
    characters. Comments take no votes and do not count as answers; they move the
    thread's last activity. The answer's author and the others who commented under it
    are told, and so are the members named."""
    require_member(actor)
    if answer.thread_id != thread.id:
        raise NotFound("That answer is not part of this thread.")
    if answer.is_comment:
        raise Invalid(
            "Comments go one level deep: add yours under the answer instead.", field="body"
        )
    if answer.is_deleted:
        raise Conflict("This answer was removed by its author and takes no comments.")
    if answer.is_hidden:
        raise Conflict("A moderator hid this answer, so it takes no comments.")
    _require_open(thread)
    body = _clean_body(body, "comment", COMMENT_MAX_LENGTH)
    check_posting_limit(session, actor, limits)
    body_html, named = _render_with_mentions(session, body)
    now = utcnow()
    comment = Post(
        thread_id=thread.id,
        parent_id=answer.id,
        author_id=actor.id,
        body=body,
        body_html=body_html,
        created_at=now,
        vote_count=0,
    )
    session.add(comment)
    session.execute(update(Thread).where(Thread.id == thread.id).values(last_activity_at=now))
    session.flush()
    follow_thread(session, actor, thread)
    url = post_url(comment.id)
    mentioned = _tell_mentioned(session, actor, named, title=thread.title, url=url)
    commenters = set(
        session.scalars(
            select(Post.author_id).where(Post.parent_id == answer.id, Post.deleted_at.is_(None))
        )
    )
    notify(
        session,
        ({answer.author_id} | commenters) - mentioned,
        kind="comment",
        text=f"{_who(actor)} commented on an answer to {_quoted(thread.title)}",
        url=url,
        actor=actor,
    )
    return comment


# Editing ----------------------------------------------------------------------------------


def check_may_edit_question(actor: Member, thread: Thread) -> None:
    """Refuse unless `actor` asked the question and the thread is open."""
    require_member(actor)
    if thread.author_id != actor.id:
        raise NotPermitted("You can only edit your own questions.")
    _require_open(thread)


def check_may_edit_post(actor: Member, thread: Thread, post: Post) -> None:
    """Refuse unless `actor` wrote the post, it is neither removed nor hidden, and the
    thread is open."""
    require_member(actor)
    noun = "comments" if post.is_comment else "answers"
    if post.author_id != actor.id:
        raise NotPermitted(f"You can only edit your own {noun}.")
    if post.is_deleted:
        raise Conflict("This was removed by its author and cannot be edited.")
    if post.is_hidden:
        raise Conflict("A moderator hid this, so it cannot be edited.")
    _require_open(thread)


def edit_question(session: Session, actor: Member, thread: Thread, title: str, body: str) -> bool:
    """Change one's own question's title and body (moderators move topics); the earlier
    version is kept. Returns False when nothing changed (and nothing is saved)."""
    check_may_edit_question(actor, thread)
    title = _clean_title(title)
    body = _clean_body(body, "question")
    if title == thread.title and body == thread.body:
        return False
    body_html, named = _render_with_mentions(session, body)
    session.add(
        PostRevision(
            thread_id=thread.id,
            post_id=None,
            editor_id=thread.author_id,
            title=thread.title,
            body=thread.body,
            body_html=thread.body_html,
            created_at=thread.edited_at or thread.created_at,
        )
    )
    earlier_html = thread.body_html
    thread.title, thread.slug = title, thread_slug(title)
    thread.body, thread.body_html = body, body_html
    thread.edited_at = utcnow()
    session.flush()
    _tell_mentioned(
        session, actor, named, title=title, url=thread_url(thread), earlier_html=earlier_html
    )
    return True


def edit_post(session: Session, actor: Member, thread: Thread, post: Post, body: str) -> bool:
    """Change one's own answer or comment; the earlier version is kept. Returns False
    when nothing changed (and nothing is saved)."""
    check_may_edit_post(actor, thread, post)
    if post.is_comment:
        body = _clean_body(body, "comment", COMMENT_MAX_LENGTH)
    else:
        body = _clean_body(body, "answer")
    if body == post.body:
        return False
    body_html, named = _render_with_mentions(session, body)
    session.add(
        PostRevision(
            thread_id=thread.id,
            post_id=post.id,
            editor_id=post.author_id,
            title=None,
            body=post.body,
            body_html=post.body_html,
            created_at=post.edited_at or post.created_at,
        )
    )
    earlier_html = post.body_html
    post.body, post.body_html = body, body_html
    post.edited_at = utcnow()
    session.flush()
    _tell_mentioned(
        session,
        actor,
        named,
        title=thread.title,
        url=post_url(post.id),
        earlier_html=earlier_html,
    )
    return True


@dataclass(frozen=True)
class Version:
    """One version of a question, answer or comment, for the history page."""

    title: str | None
    body_html: str
    editor: Member
    written_at: datetime
    is_current: bool


def history_of(session: Session, viewer, thread: Thread, post: Post | None = None) -> list[Version]:
    """Every version of the question (`post` None) or of a post, newest first, the
    current one included. A hidden post's history is for its author and coordinators."""
    require_member(viewer)
    if post is not None:
        if post.thread_id != thread.id:
            raise NotFound("That post is not part of this thread.")
        if post.is_deleted:
            raise NotFound("This was removed by its author, and its earlier versions with it.")
        if post.is_hidden and not may_see_hidden(viewer, post):
            raise NotPermitted("A moderator hid this post.")
    statement = (
        select(PostRevision)
        .where(PostRevision.thread_id == thread.id)
        .options(joinedload(PostRevision.editor))
        .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())
    )
    if post is None:
        statement = statement.where(PostRevision.post_id.is_(None))
        current = Version(
            title=thread.title,
            body_html=thread.body_html,
            editor=thread.author,
            written_at=thread.edited_at or thread.created_at,
            is_current=True,
        )
    else:
        statement = statement.where(PostRevision.post_id == post.id)
        current = Version(
            title=None,
            body_html=post.body_html,
            editor=post.author,
            written_at=post.edited_at or post.created_at,
            is_current=True,
        )
    earlier = [
        Version(
            title=revision.title,
            body_html=revision.body_html,
            editor=revision.editor,
            written_at=revision.created_at,
            is_current=False,
        )
        for revision in session.scalars(statement)
    ]
    return [current, *earlier]


# Votes ------------------------------------------------------------------------------------


def _votable(actor: Member, post: Post) -> None:
    require_member(actor)
    if post.is_comment:
        raise Conflict("Comments take no votes: vote for the answer instead.")
    if post.author_id == actor.id:
        raise NotPermitted("You cannot vote for your own answer.")
    if post.is_deleted:
        raise Conflict("This answer was removed by its author and takes no votes.")
    if post.is_hidden:
        raise Conflict("A moderator hid this answer, so it takes no votes.")


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
    if post.is_hidden:
        raise Conflict("A moderator hid this answer; its votes stay as they were.")
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


def may_see_hidden(viewer, post: Post) -> bool:
    """A hidden post's words are shown to its author and to coordinators only."""
    return bool(
        viewer is not None
        and getattr(viewer, "is_member", False)
        and (viewer.id == post.author_id or viewer.has_role(Role.COORDINATOR))
    )


def accept_answer(session: Session, actor: Member, thread: Thread, post: Post) -> None:
    """Mark `post` as the thread's accepted answer, replacing any earlier choice; its
    author is told."""
    require_member(actor)
    if not may_accept(actor, thread):
        raise NotPermitted("Only the member who asked, or a coordinator, can accept an answer.")
    if post.thread_id != thread.id:
        raise NotFound("That answer is not part of this thread.")
    if post.is_comment:
        raise Conflict("Comments cannot be accepted: accept the answer instead.")
    if post.is_deleted:
        raise Conflict("This answer was removed by its author and cannot be accepted.")
    if post.is_hidden:
        raise Conflict("A moderator hid this answer, so it cannot be accepted.")
    if thread.accepted_post_id == post.id:
        return
    thread.accepted_post_id = post.id
    session.flush()
    notify(
        session,
        [post.author_id],
        kind="accepted",
        text=f"{_who(actor)} accepted your answer to {_quoted(thread.title)}",
        url=post_url(post.id),
        actor=actor,
    )


def delete_own_post(session: Session, actor: Member, post: Post) -> None:
    """Remove one's own answer or comment: the thread keeps its place, marked "removed
    by author"."""
    require_member(actor)
    if post.author_id != actor.id:
        noun = "comments" if post.is_comment else "answers"
        raise NotPermitted(f"You can only remove your own {noun}.")
    if post.is_deleted:
        return
    post.deleted_at = utcnow()
    post.body, post.body_html = "", ""
    if post.is_comment:
        session.flush()
        return
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
    """The thread with its asker, city, topics and any original it duplicates loaded."""
    require_member(viewer)
    thread = session.scalar(
        select(Thread)
        .where(Thread.id == thread_id)
        .options(
            selectinload(Thread.author),
            selectinload(Thread.city),
            selectinload(Thread.topics),
            selectinload(Thread.duplicate_of),
        )
    )
    if thread is None:
        raise NotFound("There is no discussion at this address. It may have been removed.")
    return thread


def get_post(session: Session, viewer, post_id: int) -> Post:
    """One answer or comment, whichever thread it is in, with its author."""
    require_member(viewer)
    post = session.scalar(select(Post).where(Post.id == post_id).options(selectinload(Post.author)))
    if post is None:
        raise NotFound("There is no answer or comment at this address.")
    return post


def _answer_order(thread: Thread) -> tuple:
    """Accepted first, then by votes, then oldest first; removed answers last."""
    accepted_first = case((Post.id == thread.accepted_post_id, 0), else_=1)
    removed_last = case((Post.deleted_at.is_(None), 0), else_=1)
    return (accepted_first, removed_last, Post.vote_count.desc(), Post.created_at, Post.id)


def _answers_statement(thread: Thread) -> Select:
    return (
        select(Post)
        .where(Post.thread_id == thread.id, Post.parent_id.is_(None))
        .options(selectinload(Post.author))
        .order_by(*_answer_order(thread))
    )


def answers_of(session: Session, thread: Thread) -> list[Post]:
    """Every answer of the thread (no comments), in the page's order."""
    return list(session.scalars(_answers_statement(thread)))


def answers_page(session: Session, thread: Thread, page: int, per_page: int) -> Page:
    """One page of the thread's answers, in the page's order (two queries)."""
    return paginate(session, _answers_statement(thread), page, per_page)


def comments_under(session: Session, answers: Iterable[Post]) -> dict[int, list[Post]]:
    """The comments under each of `answers`, oldest first, in one query."""
    ids = [answer.id for answer in answers]
    comments: dict[int, list[Post]] = {answer_id: [] for answer_id in ids}
    if not ids:
        return comments
    for comment in session.scalars(
        select(Post)
        .where(Post.parent_id.in_(ids))
        .options(joinedload(Post.author))
        .order_by(Post.created_at, Post.id)
    ):
        comments[comment.parent_id].append(comment)
    return comments


def page_of_post(
    session: Session, viewer, post: Post, per_page: int, thread: Thread | None = None
) -> tuple[Thread, int]:
    """The thread an answer or comment is in, and the page of answers that shows it.
    `thread`, when the caller has loaded it already, saves loading it again."""
    if thread is None or thread.id != post.thread_id:
        thread = get_thread(session, viewer, post.thread_id)
    answer_id = post.parent_id or post.id
    ordered = (
        select(
            Post.id.label("id"),
            func.row_number().over(order_by=_answer_order(thread)).label("position"),
        )
        .where(Post.thread_id == thread.id, Post.parent_id.is_(None))
        .subquery()
    )
    position = session.scalar(select(ordered.c.position).where(ordered.c.id == answer_id)) or 1
    return thread, (position - 1) // per_page + 1


def posts_voted_by(session: Session, viewer: Member, thread: Thread) -> set[int]:
    """The ids of the thread's answers `viewer` has voted for."""
    return set(
        session.scalars(
            select(Vote.post_id)
            .join(Post, Post.id == Vote.post_id)
            .where(Post.thread_id == thread.id, Vote.member_id == viewer.id)
        )
    )


# Reading marks --------------------------------------------------------------------------


def last_read_at(session: Session, reader: Member, thread_id: int) -> datetime | None:
    """When `reader` last opened the thread, or None if never."""
    return session.scalar(
        select(ThreadReading.last_read_at).where(
            ThreadReading.member_id == reader.id, ThreadReading.thread_id == thread_id
        )
    )


def has_news_since(thread: Thread, previous_visit: datetime | None) -> bool:
    """Whether a visit must move the reader's mark: a first visit, or something posted
    since the last one (every answer and comment moves the thread's last activity).

    A re-read with nothing new leaves the mark where it is and writes nothing: on
    SQLite every write takes the database's one write lock, and most page views on a
    busy site are re-reads."""
    return previous_visit is None or previous_visit < thread.last_activity_at


def mark_thread_read(connection, reader_id: int, thread_id: int) -> None:
    """Record that the member `reader_id` reads the thread now: one UPSERT, nothing read
    first (so it takes ids, not objects that might reload themselves).

    Give it a connection of its own and commit right after: on SQLite a read followed
    by a write in one deferred transaction fails ("database is locked") when another
    writer committed in between, and a page view must never fail that way."""
    insert = dialect_insert(connection.dialect.name)
    statement = insert(ThreadReading).values(
        member_id=reader_id, thread_id=thread_id, last_read_at=utcnow()
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[ThreadReading.member_id, ThreadReading.thread_id],
            set_={"last_read_at": statement.excluded.last_read_at},
        )
    )


def first_unread_post(
    session: Session, reader: Member, thread: Thread, since: datetime | None
) -> Post | None:
    """The earliest answer or comment by someone else posted after `since` (the
    reader's previous visit); None on a first visit or when nothing is new."""
    if since is None:
        return None
    return session.scalar(
        select(Post)
        .where(
            Post.thread_id == thread.id,
            Post.created_at > since,
            Post.author_id != reader.id,
            Post.deleted_at.is_(None),
        )
        .order_by(Post.created_at, Post.id)
        .limit(1)
    )
