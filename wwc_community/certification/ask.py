"""Asking a peer about a criterion: a member of a city that met it and shares that.

The question is an ordinary discussion thread (discussions.services.ask_question), tagged
with the criterion, whose body names the peer with an @mention: the discussions already
tell a mentioned member, so the peer hears of it like any other mention, in the app and
by e-mail as they chose, and nobody is told twice."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from wwc_community.certification import related, tagging
from wwc_community.certification.models import Criterion
from wwc_community.certification.services import criterion_in, require_active_framework
from wwc_community.core.errors import Invalid, NotFound
from wwc_community.directory.models import Topic
from wwc_community.discussions import mentions
from wwc_community.discussions.models import Thread
from wwc_community.discussions.services import ask_question, require_member


@dataclass
class AskTarget:
    """Who is asked about what, and the topic the question goes under by default."""

    criterion: Criterion
    peer: related.Peer
    area_topic: Topic | None


def peer_to_ask(session: Session, viewer, criterion_code: str, peer_handle: str) -> AskTarget:
    """The criterion (of the active framework) and the peer the viewer may ask about it;
    NotFound when the code names no criterion or the member is not someone to ask."""
    require_member(viewer)
    framework = require_active_framework(session)
    criterion = criterion_in(session, framework, criterion_code)
    peer = related.peer_for(session, viewer, criterion.code, peer_handle)
    if peer is None:
        raise NotFound(
            f"{(peer_handle or '')[:40]} is not someone you can ask about {criterion.code}: "
            "ask a member of a city that met it and shares that."
        )
    topic_id = criterion.area.topic_id
    area_topic = session.get(Topic, topic_id) if topic_id is not None else None
    return AskTarget(criterion=criterion, peer=peer, area_topic=area_topic)


def _names(body: str, handle: str) -> bool:
    """Whether the Markdown already @mentions `handle` (as written; the rendered HTML is
    checked by the discussions when they tell who was named)."""
    return any(
        match.group(1).lower() == handle for match in mentions.MENTION_PATTERN.finditer(body)
    )


def ask_peer(
    session: Session,
    actor,
    criterion_code: str,
    peer_handle: str,
    title: str,
    body: str,
    topics: Sequence[Topic] | None = None,
) -> Thread:
    """Ask `peer_handle` a question about a criterion: a thread under `topics` (by
    default the criterion's practice area's topic), tagged with the criterion, that
    @mentions the peer so that they are told. Refused (nothing saved) when the member is
    not a peer for the criterion, or the title, body or topics are not right."""
    target = peer_to_ask(session, actor, criterion_code, peer_handle)
    chosen = list(topics or [])
    if not chosen and target.area_topic is not None:
        chosen = [target.area_topic]
    if not chosen:
        raise Invalid("Choose the topic your question belongs to.", field="topic")
    peer = target.peer.member
    text = (body or "").replace("\r\n", "\n").strip()
    if text and not _names(text, peer.handle):
        text = f"@{peer.handle}, a question about {target.criterion.code}:\n\n{text}"
    thread = ask_question(session, actor, title, text, chosen, actor.city)
    tagging.tag_thread(session, actor, thread, [target.criterion.code])
    session.flush()
    return thread
