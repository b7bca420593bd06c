"""Moderation of discussions: members flag what needs a look, coordinators hide and
restore posts, lock, pin, move and close threads, and every action is logged.

Every verb takes the acting member, writes its ModerationEntry in the same unit of work
and leaves the commit to the caller."""

import re
from collections import Counter
from dataclasses import dataclass, field
from math import ceil
from urllib.parse import urlsplit

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import clean_text
from wwc_community.core.pagination import Page
from wwc_community.directory.models import Topic
from wwc_community.discussions.models import Flag, FlagReason, ModerationEntry, Post, Thread
from wwc_community.discussions.services import TOPICS_MAX, TOPICS_MIN, require_member
from wwc_community.notifications.services import notify

FLAG_DETAILS_MAX_LENGTH = 1_000
REASON_MAX_LENGTH = 1_000
EXCERPT_LENGTH = 240
HISTORY_LIMIT = 5

FLAG_REASON_LABELS = {
    FlagReason.SPAM: "Spam or advertising",
    FlagReason.OFF_TOPIC: "Off-topic for this discussion",
    FlagReason.DISRESPECTFUL: "Disrespectful or abusive",
    FlagReason.PRIVATE_DATA: "Shares private or personal data",
    FlagReason.OTHER: "Something else",
}

# What each action of the log says, in words.
ACTION_LABELS = {
    "hide_post": "Hid a post",
    "restore_post": "Restored a post",
    "lock": "Locked the thread",
    "unlock": "Unlocked the thread",
    "pin": "Pinned the thread",
    "unpin": "Unpinned the thread",
    "move_topics": "Moved the thread's topics",
    "close_duplicate": "Closed as a duplicate",
    "reopen": "Reopened the thread",
    "dismiss_flag": "Dismissed flags",
}

# What a resolved flag says happened to it.
RESOLUTION_LABELS = {
    "hidden": "Post hidden",
    "dismissed": "Dismissed",
    "locked": "Thread locked",
    "closed": "Closed as a duplicate",
}

THREAD_ADDRESS = re.compile(r"^/discussions/(\d+)(?:-[^/]*)?/?$")


def is_moderator(member) -> bool:
    """Coordinators and admins moderate discussions."""
    return bool(member is not None and member.has_role(Role.COORDINATOR))


def require_moderator(actor) -> None:
    require_member(actor)
    if not is_moderator(actor):
        raise NotPermitted("Only coordinators can moderate discussions.")


def thread_path(thread: Thread, post_id: int | None = None) -> str:
    """The site-relative address of a thread (at one post), for notifications."""
    path = f"/discussions/{thread.id}-{thread.slug}"
    return f"{path}#post-{post_id}" if post_id else path


def _clean_text(value: str | None, max_length: int, what: str, field_name: str) -> str:
    value = clean_text(value)
    if len(value) > max_length:
        raise Invalid(
            f"Keep the {what} to {max_length:,} characters (this one has {len(value):,}).",
            field=field_name,
        )
    return value


def _required_reason(reason: str | None, doing: str) -> str:
    reason = _clean_text(reason, REASON_MAX_LENGTH, "reason", "reason")
    if not reason:
        raise Invalid(f"Say why you are {doing}.", field="reason")
    return reason


def _optional_reason(reason: str | None) -> str:
    return _clean_text(reason, REASON_MAX_LENGTH, "reason", "reason")


def _log(
    session: Session,
    actor: Member,
    action: str,
    thread: Thread,
    *,
    post: Post | None = None,
    reason: str = "",
    details: str = "",
) -> ModerationEntry:
    entry = ModerationEntry(
        moderator_id=actor.id,
        action=action,
        thread_id=thread.id,
        post_id=post.id if post is not None else None,
        reason=reason,
        details=details,
        created_at=utcnow(),
    )
    session.add(entry)
    return entry


def post_noun(post: Post | None) -> str:
    """What a flaggable item is called: question, answer or comment."""
    if post is None:
        return "question"
    return "comment" if post.is_comment else "answer"


# Loading ----------------------------------------------------------------------------------


def load_thread(session: Session, viewer, thread_id: int) -> Thread:
    """A thread with its asker and topics, for the moderation pages."""
    require_member(viewer)
    thread = session.scalar(
        select(Thread)
        .where(Thread.id == thread_id)
        .options(selectinload(Thread.author), selectinload(Thread.topics))
    )
    if thread is None:
        raise NotFound("There is no discussion at this address. It may have been removed.")
    return thread


def load_post(session: Session, viewer, post_id: int) -> Post:
    """An answer or comment with its author and thread."""
    require_member(viewer)
    post = session.scalar(
        select(Post)
        .where(Post.id == post_id)
        .options(joinedload(Post.author), joinedload(Post.thread))
    )
    if post is None:
        raise NotFound("There is no post at this address. It may have been removed.")
    return post


# Flags ------------------------------------------------------------------------------------


def _open_flags(thread: Thread, post: Post | None):
    condition = [Flag.thread_id == thread.id, Flag.resolved_at.is_(None)]
    if post is None:
        condition.append(Flag.post_id.is_(None))
    else:
        condition.append(Flag.post_id == post.id)
    return condition


def check_flaggable(session: Session, actor: Member, thread: Thread, post: Post | None) -> None:
    """Refuse a flag before the form is filled in: one's own writing, a removed or hidden
    post, or an item the member already flagged (while that flag is open)."""
    require_member(actor)
    if post is not None and post.thread_id != thread.id:
        raise NotFound("That post is not part of this discussion.")
    author_id = post.author_id if post is not None else thread.author_id
    noun = post_noun(post)
    if author_id == actor.id:
        raise NotPermitted(f"You cannot flag your own {noun}.")
    if post is not None and post.is_deleted:
        raise Conflict(f"This {noun} was removed by its author; there is nothing to flag.")
    if post is not None and post.is_hidden:
        raise Conflict(f"A coordinator has already hidden this {noun}.")
    mine = session.scalar(
        select(Flag.id).where(*_open_flags(thread, post), Flag.reporter_id == actor.id)
    )
    if mine is not None:
        raise Conflict(f"You have already flagged this {noun}; a coordinator will look at it.")


def flag_item(
    session: Session,
    actor: Member,
    thread: Thread,
    post: Post | None,
    reason: str,
    details: str = "",
) -> Flag:
    """Ask coordinators to look at a question (`post` None) or a post: once per member
    while the flag is open, never one's own writing."""
    check_flaggable(session, actor, thread, post)
    try:
        reason = FlagReason(reason or "")
    except ValueError:
        raise Invalid("Choose why you are flagging this.", field="reason") from None
    details = _clean_text(details, FLAG_DETAILS_MAX_LENGTH, "details", "details")
    if reason == FlagReason.OTHER and not details:
        raise Invalid("Say what is wrong, so a coordinator knows what to look for.", "details")
    flag = Flag(
        thread_id=thread.id,
        post_id=post.id if post is not None else None,
        reporter_id=actor.id,
        reason=reason.value,
        details=details,
        created_at=utcnow(),
        resolution="",
    )
    session.add(flag)
    session.flush()
    return flag


def _resolve_flags(
    session: Session, actor: Member, thread: Thread, post: Post | None, resolution: str
) -> int:
    return session.execute(
        update(Flag)
        .where(*_open_flags(thread, post))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id, resolution=resolution)
    ).rowcount


def dismiss_flags(
    session: Session, actor: Member, thread: Thread, post: Post | None, reason: str = ""
) -> int:
    """Close the open flags on a question or post without acting on it; how many."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    dismissed = _resolve_flags(session, actor, thread, post, "dismissed")
    if not dismissed:
        raise Conflict("These flags were already dealt with.")
    _log(
        session,
        actor,
        "dismiss_flag",
        thread,
        post=post,
        reason=reason,
        details=f"{dismissed} {'flag' if dismissed == 1 else 'flags'} on the {post_noun(post)}",
    )
    session.flush()
    return dismissed


@dataclass
class FlaggedItem:
    """A question or post with its open flags, as the flag queue shows it."""

    thread: Thread
    post: Post | None
    flags: list[Flag]

    @property
    def reason_counts(self) -> list[tuple[str, int]]:
        counts = Counter(flag.reason for flag in self.flags)
        return [(FLAG_REASON_LABELS[FlagReason(r)], n) for r, n in counts.most_common()]

    @property
    def noun(self) -> str:
        return post_noun(self.post)

    @property
    def excerpt(self) -> str:
        text = self.post.body if self.post is not None else self.thread.body
        text = " ".join(text.split())
        return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def count_open_flagged_items(session: Session) -> int:
    """How many questions and posts wait in the flag queue."""
    keys = select(Flag.thread_id, Flag.post_id).where(Flag.resolved_at.is_(None)).distinct()
    return session.scalar(select(func.count()).select_from(keys.subquery())) or 0


def open_flag_queue(session: Session, viewer, page: int, per_page: int) -> Page:
    """Open flags grouped by the item they concern, most flagged and oldest first."""
    require_moderator(viewer)
    total = count_open_flagged_items(session)
    page = min(page, max(1, ceil(total / per_page)))
    flag_count = func.count(Flag.id)
    keys = session.execute(
        select(Flag.thread_id, Flag.post_id)
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.thread_id, Flag.post_id)
        .order_by(flag_count.desc(), func.min(Flag.created_at), Flag.thread_id, Flag.post_id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = []
    if keys:
        thread_ids = {thread_id for thread_id, _ in keys}
        flags = session.scalars(
            select(Flag)
            .where(Flag.resolved_at.is_(None), Flag.thread_id.in_(thread_ids))
            .options(
                joinedload(Flag.reporter),
                joinedload(Flag.thread).joinedload(Thread.author),
                joinedload(Flag.post).joinedload(Post.author),
            )
            .order_by(Flag.created_at, Flag.id)
        ).all()
        by_key: dict[tuple, list[Flag]] = {}
        for flag in flags:
            by_key.setdefault((flag.thread_id, flag.post_id), []).append(flag)
        for key in keys:
            group = by_key.get(tuple(key), [])
            if group:
                items.append(FlaggedItem(group[0].thread, group[0].post, group))
    return Page(items=items, page=page, per_page=per_page, total=total)


def resolved_flags_statement(viewer) -> Select:
    """Resolved flags, the most recently resolved first, with everything a row shows."""
    require_moderator(viewer)
    return (
        select(Flag)
        .where(Flag.resolved_at.is_not(None))
        .options(
            joinedload(Flag.reporter),
            joinedload(Flag.resolved_by),
            joinedload(Flag.thread),
            joinedload(Flag.post).joinedload(Post.author),
        )
        .order_by(Flag.resolved_at.desc(), Flag.id.desc())
    )


# Posts ------------------------------------------------------------------------------------


def _tell_author(
    session: Session, actor: Member, thread: Thread, post: Post, done: str, reason: str
) -> None:
    notify(
        session,
        [post.author_id],
        kind="moderation",
        text=f"A coordinator {done} your {post_noun(post)} in “{thread.title}”. Reason: {reason}",
        url=thread_path(thread, post.id),
        actor=actor,
    )


def hide_post(session: Session, actor: Member, post: Post, reason: str) -> None:
    """Hide an answer or comment from members: it keeps its place, its author is told
    why, and its open flags are resolved as "hidden"."""
    require_moderator(actor)
    reason = _required_reason(reason, f"hiding this {post_noun(post)}")
    thread = session.get(Thread, post.thread_id)
    if post.is_deleted:
        raise Conflict(f"This {post_noun(post)} was removed by its author already.")
    if post.is_hidden:
        raise Conflict(f"This {post_noun(post)} is already hidden.")
    post.hidden_at = utcnow()
    resolved = _resolve_flags(session, actor, thread, post, "hidden")
    details = f"resolved {resolved} {'flag' if resolved == 1 else 'flags'}" if resolved else ""
    _log(session, actor, "hide_post", thread, post=post, reason=reason, details=details)
    _tell_author(session, actor, thread, post, "hid", reason)
    session.flush()


def restore_post(session: Session, actor: Member, post: Post, reason: str) -> None:
    """Show a hidden answer or comment again, and tell its author."""
    require_moderator(actor)
    reason = _required_reason(reason, f"restoring this {post_noun(post)}")
    if not post.is_hidden:
        raise Conflict(f"This {post_noun(post)} is not hidden.")
    thread = session.get(Thread, post.thread_id)
    post.hidden_at = None
    _log(session, actor, "restore_post", thread, post=post, reason=reason)
    _tell_author(session, actor, thread, post, "restored", reason)
    session.flush()


# Threads ----------------------------------------------------------------------------------


def lock_thread(session: Session, actor: Member, thread: Thread, reason: str) -> None:
    """Stop new answers and comments; open flags on the question are resolved."""
    require_moderator(actor)
    reason = _required_reason(reason, "locking this discussion")
    if thread.is_locked:
        raise Conflict("This discussion is already locked.")
    thread.locked_at = utcnow()
    _resolve_flags(session, actor, thread, None, "locked")
    _log(session, actor, "lock", thread, reason=reason)
    session.flush()


def unlock_thread(session: Session, actor: Member, thread: Thread, reason: str = "") -> None:
    """Let members answer and comment again."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    if not thread.is_locked:
        raise Conflict("This discussion is not locked.")
    thread.locked_at = None
    _log(session, actor, "unlock", thread, reason=reason)
    session.flush()


def pin_thread(session: Session, actor: Member, thread: Thread, reason: str = "") -> None:
    """Keep a thread at the top of the discussion list."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    if thread.pinned:
        raise Conflict("This discussion is already pinned.")
    thread.pinned = True
    _log(session, actor, "pin", thread, reason=reason)
    session.flush()


def unpin_thread(session: Session, actor: Member, thread: Thread, reason: str = "") -> None:
    """Let a pinned thread take its place among the others again."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    if not thread.pinned:
        raise Conflict("This discussion is not pinned.")
    thread.pinned = False
    _log(session, actor, "unpin", thread, reason=reason)
    session.flush()


def move_topics(
    session: Session, actor: Member, thread: Thread, topic_slugs, reason: str = ""
) -> None:
    """Give a thread one to three existing topics in place of its current ones."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    slugs = list(dict.fromkeys(slug for slug in topic_slugs if slug))
    if len(slugs) < TOPICS_MIN:
        raise Invalid("Choose at least one topic.", field="topics")
    if len(slugs) > TOPICS_MAX:
        raise Invalid(
            f"Choose at most {TOPICS_MAX} topics (you chose {len(slugs)}).", field="topics"
        )
    topics = list(session.scalars(select(Topic).where(Topic.slug.in_(slugs)).order_by(Topic.name)))
    if len(topics) != len(slugs):
        known = {topic.slug for topic in topics}
        unknown = ", ".join(f"“{slug[:40]}”" for slug in slugs if slug not in known)
        raise Invalid(f"There is no topic called {unknown}.", field="topics")
    before = [topic.name for topic in thread.topics]
    after = [topic.name for topic in topics]
    if sorted(before) == sorted(after):
        raise Invalid("These are the topics the discussion already has.", field="topics")
    thread.topics = topics
    _log(
        session,
        actor,
        "move_topics",
        thread,
        reason=reason,
        details=f"topics {', '.join(before) or 'none'} → {', '.join(after)}",
    )
    session.flush()


def parse_thread_reference(text: str | None) -> int | None:
    """A thread's id from its number ("12", "#12") or its address, full or site-relative
    ("https://…/discussions/12-some-title#post-4"); None when it is neither."""
    text = (text or "").strip()
    if text.startswith("#"):
        text = text[1:]
    if text.isdigit():
        return int(text) if len(text) < 12 else None
    try:
        path = urlsplit(text).path
    except ValueError:
        return None
    match = THREAD_ADDRESS.match(path)
    return int(match.group(1)) if match and len(match.group(1)) < 12 else None


def close_as_duplicate(
    session: Session, actor: Member, thread: Thread, target: str, reason: str = ""
) -> Thread:
    """Close a thread as a duplicate of another, given by address or number; the asker is
    told where the original is. Returns the original."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    if thread.is_closed:
        raise Conflict("This discussion is already closed. Reopen it first to change that.")
    if not (target or "").strip():
        raise Invalid("Give the address or number of the original discussion.", field="target")
    target_id = parse_thread_reference(target)
    if target_id is None:
        raise Invalid(
            "That is neither a discussion's address nor its number. Paste the address of "
            "the original discussion, for example /discussions/12-its-title, or its number.",
            field="target",
        )
    if target_id == thread.id:
        raise Invalid(
            "A discussion cannot be a duplicate of itself. Give the address of the original.",
            field="target",
        )
    original = session.get(Thread, target_id)
    if original is None:
        raise Invalid(f"There is no discussion number {target_id}.", field="target")
    if original.duplicate_of_id is not None:
        root = session.get(Thread, original.duplicate_of_id)
        if root is not None and root.id != thread.id:
            raise Invalid(
                f"“{original.title}” is itself closed as a duplicate of “{root.title}” "
                f"(number {root.id}). Close this one as a duplicate of that original instead.",
                field="target",
            )
        raise Invalid(
            f"“{original.title}” is itself closed as a duplicate. Give its original instead.",
            field="target",
        )
    now = utcnow()
    thread.duplicate_of_id = original.id
    thread.closed_at = now
    # Threads closed as duplicates of this one now point at the original, never at a chain.
    repointed = session.execute(
        update(Thread)
        .where(Thread.duplicate_of_id == thread.id)
        .values(duplicate_of_id=original.id)
    ).rowcount
    _resolve_flags(session, actor, thread, None, "closed")
    details = f"duplicate of “{original.title}” (number {original.id})"
    if repointed:
        earlier = "duplicate" if repointed == 1 else "duplicates"
        details += f"; {repointed} earlier {earlier} now point there"
    _log(session, actor, "close_duplicate", thread, reason=reason, details=details)
    text = (
        f"A coordinator closed your question “{thread.title}” as a duplicate of “{original.title}”."
    )
    if reason:
        text += f" Reason: {reason}"
    notify(
        session,
        [thread.author_id],
        kind="moderation",
        text=text,
        url=thread_path(thread),
        actor=actor,
    )
    session.flush()
    return original


def reopen_thread(session: Session, actor: Member, thread: Thread, reason: str = "") -> None:
    """Undo a close: the thread is no longer a duplicate."""
    require_moderator(actor)
    reason = _optional_reason(reason)
    if not thread.is_closed:
        raise Conflict("This discussion is not closed.")
    original_id = thread.duplicate_of_id
    thread.duplicate_of_id = None
    thread.closed_at = None
    details = f"was a duplicate of number {original_id}" if original_id else ""
    _log(session, actor, "reopen", thread, reason=reason, details=details)
    session.flush()


# The log ----------------------------------------------------------------------------------


def moderation_log_statement(viewer, action: str | None = None) -> Select:
    """Moderation entries, newest first, optionally of one action."""
    require_moderator(viewer)
    if action is not None and action not in ACTION_LABELS:
        raise Invalid(f"There is no moderation action called “{action[:40]}”.")
    statement = (
        select(ModerationEntry)
        .options(joinedload(ModerationEntry.moderator), joinedload(ModerationEntry.thread))
        .order_by(ModerationEntry.created_at.desc(), ModerationEntry.id.desc())
    )
    if action is not None:
        statement = statement.where(ModerationEntry.action == action)
    return statement


# What the thread page shows -----------------------------------------------------------------


@dataclass
class ModerationView:
    """What one member may see of moderation on one thread page."""

    is_moderator: bool
    # Keyed by post id; the question's key is None.
    my_flags: set = field(default_factory=set)
    open_flag_counts: dict = field(default_factory=dict)
    history: list = field(default_factory=list)

    def flagged_by_me(self, post_id: int | None = None) -> bool:
        return post_id in self.my_flags

    def open_flags(self, post_id: int | None = None) -> int:
        return self.open_flag_counts.get(post_id, 0)

    @property
    def total_open_flags(self) -> int:
        return sum(self.open_flag_counts.values())


def moderation_view(session: Session, viewer, thread: Thread) -> ModerationView:
    """The viewer's own open flags on the thread, and for coordinators every open flag's
    count and the thread's last moderation entries: a fixed number of queries, however
    long the thread."""
    moderator = is_moderator(viewer)
    view = ModerationView(is_moderator=moderator)
    if viewer is None or not getattr(viewer, "is_member", False):
        return view
    flags = select(Flag.post_id, Flag.reporter_id).where(
        Flag.thread_id == thread.id, Flag.resolved_at.is_(None)
    )
    if not moderator:
        flags = flags.where(Flag.reporter_id == viewer.id)
    for post_id, reporter_id in session.execute(flags):
        if reporter_id == viewer.id:
            view.my_flags.add(post_id)
        if moderator:
            view.open_flag_counts[post_id] = view.open_flag_counts.get(post_id, 0) + 1
    if moderator:
        view.history = list(
            session.scalars(
                select(ModerationEntry)
                .where(ModerationEntry.thread_id == thread.id)
                .options(joinedload(ModerationEntry.moderator))
                .order_by(ModerationEntry.created_at.desc(), ModerationEntry.id.desc())
                .limit(HISTORY_LIMIT)
            )
        )
    return view
