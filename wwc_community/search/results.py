"""What a search result shows: the objects the hits name, loaded from the database in one
query per kind and checked again against what the viewer may see (the index can lag
behind a change), with a highlighted snippet from the database's own text and the facts
of each kind; and the labels of the facet values.

Events (issue 7) join by adding a loader to LOADERS; until then an event hit is dropped.
"""

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from whoosh import highlight

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.directory.models import Organisation, PopulationBand, Topic
from wwc_community.discussions.models import Thread
from wwc_community.discussions.services import thread_url
from wwc_community.library.listing import TIER_LABELS
from wwc_community.library.models import Attachment, EvidenceTier, Practice, PracticeKind
from wwc_community.library.services import may_see
from wwc_community.search.documents import visible_post_bodies
from wwc_community.search.queries import Hit, SearchResults
from wwc_community.search.schema import build_schema

KIND_LABELS = {
    "thread": "Discussion",
    "practice": "Library entry",
    "event": "Event",
    "member": "Member",
}
KIND_PLURALS = {
    "thread": "Discussions",
    "practice": "Library entries",
    "event": "Events",
    "member": "Members",
}
DATE_LABELS = {
    "week": "Past week",
    "month": "Past month",
    "year": "Past year",
    "older": "More than a year ago",
}
FACET_TITLES = {
    "kind": "Kind",
    "topic": "Topic",
    "state": "State",
    "band": "City size",
    "organisation": "Organisation",
    "tier": "Evidence",
    "date": "Date",
}
# How many values of a facet the page lists (the selected one always shows).
FACET_LIMIT = 8
SNIPPET_CHARACTERS = 240
# Texts longer than this are cut to windows of SNIPPET_WINDOW characters either side of
# the first SNIPPET_WINDOWS places the words appear before they are highlighted. Two
# fragments of 240 characters need no more; analysing the text is most of a search
# page's time (a results page went from 3,200 analysed words to about 900).
SNIPPET_WHOLE_TEXT = 1_000
SNIPPET_WINDOW = 160
SNIPPET_WINDOWS = 3

_ANALYZER = build_schema()["body"].analyzer


@dataclass
class ShownResult:
    """One result as the page shows it."""

    kind: str
    title: str
    url: str
    snippet: Markup
    facts: list[str] = field(default_factory=list)
    date: datetime | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


class _MarkFormatter(highlight.HtmlFormatter):
    """Matches in <mark>, everything else HTML-escaped (HtmlFormatter escapes)."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


def _windows(text: str, terms: frozenset[str]) -> str:
    """The parts of `text` around the first places its words start like one of `terms`,
    joined: the highlighter then analyses a few hundred characters, not a whole PDF's
    text (analysing costs about 35 microseconds a word)."""
    if len(text) <= SNIPPET_WHOLE_TEXT:
        return text
    # A stem is (nearly always) the start of the words it came from: "evalu" for
    # "evaluation"; the highlighter decides what is marked.
    starts = re.compile(
        r"\b(?:" + "|".join(re.escape(term) for term in sorted(terms)) + ")", re.IGNORECASE
    )
    spans: list[list[int]] = []
    for found in starts.finditer(text):
        begin = max(0, found.start() - SNIPPET_WINDOW)
        end = found.start() + SNIPPET_WINDOW
        if spans and begin <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([begin, end])
        if len(spans) >= SNIPPET_WINDOWS:
            break
    if not spans:
        return text[:SNIPPET_WHOLE_TEXT]
    return " … ".join(text[begin:end] for begin, end in spans)


# The same passages searched for the same words give the same snippet: a process keeps
# the last few thousand (each key at most about SNIPPET_WHOLE_TEXT characters), so a
# popular search analyses its results' text once, not on every request.
@functools.lru_cache(maxsize=4096)
def _highlighted(passages: str, terms: frozenset[str]) -> str:
    return highlight.highlight(
        passages,
        terms,
        _ANALYZER,
        highlight.ContextFragmenter(maxchars=SNIPPET_CHARACTERS, surround=60),
        _MarkFormatter(),
        top=2,
    )


def snippet(text: str, terms: frozenset[str]) -> Markup:
    """The passages of `text` that hold the searched words, escaped, with the words
    marked; the start of the text when none of them is in it."""
    if terms:
        marked = _highlighted(_windows(text, terms), terms)
        if marked:
            return Markup(marked)  # noqa: S704 - HtmlFormatter escaped every character
    start = " ".join(text[: SNIPPET_CHARACTERS + 40].split())
    if len(start) > SNIPPET_CHARACTERS:
        start = start[:SNIPPET_CHARACTERS].rsplit(" ", 1)[0] + " …"
    return Markup(escape(start, quote=False))  # noqa: S704


def _join(parts: Iterable[str | None]) -> str:
    return "\n\n".join(part for part in parts if part)


def _is_member(viewer) -> bool:
    return viewer is not None and getattr(viewer, "is_member", False)


# One loader per kind: (session, viewer, ids, terms, urls) -> {id: ShownResult}.


def _threads(session: Session, viewer, ids, terms, urls) -> dict[int, ShownResult]:
    if not _is_member(viewer):
        return {}
    threads = session.scalars(
        select(Thread).where(Thread.id.in_(ids)).options(joinedload(Thread.city))
    ).all()
    answers = visible_post_bodies(session, ids)
    shown = {}
    for thread in threads:
        facts = ["Accepted answer" if thread.is_answered else "No accepted answer"]
        facts.append(f"{thread.answer_count} answer{'' if thread.answer_count == 1 else 's'}")
        if thread.city is not None:
            facts.append(thread.city.label)
        shown[thread.id] = ShownResult(
            kind="thread",
            title=thread.title,
            url=thread_url(thread),
            snippet=snippet(_join([thread.body, *answers[thread.id]]), terms),
            facts=facts,
            date=thread.last_activity_at,
        )
    return shown


def _practices(session: Session, viewer, ids, terms, urls) -> dict[int, ShownResult]:
    practices = session.scalars(
        select(Practice).where(Practice.id.in_(ids)).options(joinedload(Practice.organisation))
    ).all()
    practices = [p for p in practices if may_see(viewer, p)]
    attachments = defaultdict(list)
    if practices:
        for practice_id, text in session.execute(
            select(Attachment.practice_id, Attachment.extracted_text)
            .where(Attachment.practice_id.in_([p.id for p in practices]))
            .order_by(Attachment.practice_id, Attachment.id)
        ):
            attachments[practice_id].append(text)
    shown = {}
    for practice in practices:
        facts = [PracticeKind(practice.kind).label, f"From {practice.organisation.name}"]
        tier = practice.evidence_tier
        facts.append(
            f"Evidence: {TIER_LABELS[EvidenceTier(tier)]}" if tier else "Evidence: not rated"
        )
        if not practice.is_published:
            facts.append("Not published")
        text = _join(
            [
                practice.summary,
                practice.problem,
                practice.intervention,
                practice.body,
                *attachments[practice.id],
            ]
        )
        shown[practice.id] = ShownResult(
            kind="practice",
            title=practice.title,
            url=urls["practice"](practice.slug),
            snippet=snippet(text, terms),
            facts=facts,
            date=practice.updated_at or practice.published_at or practice.edited_at,
        )
    return shown


def _members(session: Session, viewer, ids, terms, urls) -> dict[int, ShownResult]:
    if not _is_member(viewer):
        return {}
    members = (
        session.scalars(
            select(Member).where(
                Member.id.in_(ids),
                Member.status == MemberStatus.ACTIVE,
                Member.email_verified_at.is_not(None),
                Member.deleted_at.is_(None),
            )
        )
        .unique()
        .all()
    )
    shown = {}
    for member in members:
        facts = [member.job_title] if member.job_title else []
        if member.city is not None:
            facts.append(member.city.label)
        if member.organisation is not None:
            facts.append(member.organisation.name)
        shown[member.id] = ShownResult(
            kind="member",
            title=member.display_name,
            url=urls["member"](member.handle),
            snippet=snippet(_join([member.job_title, member.department, member.bio]), terms),
            facts=facts,
            date=member.created_at,
        )
    return shown


def _events(session: Session, viewer, ids, terms, urls) -> dict[int, ShownResult]:
    """Events the viewer may see, with when (in the event's zone and the viewer's) and
    seats left; a draft or a members-only event for a visitor is left out."""
    from wwc_community.events.messages import format_event_time
    from wwc_community.events.models import Event
    from wwc_community.events.visibility import may_see_event

    events = session.scalars(select(Event).where(Event.id.in_(ids))).all()
    shown = {}
    for event in events:
        if not may_see_event(viewer, event):
            continue
        if event.is_cancelled:
            seats = "Cancelled"
        elif event.seats_left:
            seats = f"{event.seats_left} seat{'' if event.seats_left == 1 else 's'} left"
        else:
            seats = "Waitlist open" if event.waitlist_enabled else "Full"
        facts = [format_event_time(event, getattr(viewer, "time_zone", None) or None), seats]
        shown[event.id] = ShownResult(
            kind="event",
            title=event.title,
            url=urls["event"](event.slug),
            snippet=snippet(event.description, terms),
            facts=facts,
            date=event.starts_at,
        )
    return shown


Loader = Callable[..., dict[int, ShownResult]]
LOADERS: dict[str, Loader] = {
    "thread": _threads,
    "practice": _practices,
    "event": _events,
    "member": _members,
}


def load_results(
    session: Session, viewer, hits: list[Hit], terms: frozenset[str], urls: dict
) -> list[ShownResult]:
    """The hits as the page shows them, in their order; a hit whose object is gone or
    that the viewer may no longer see is left out. One query (two for threads and
    practices) per kind on the page."""
    ids_by_kind = defaultdict(list)
    for hit in hits:
        ids_by_kind[hit.kind].append(hit.object_id)
    loaded = {
        kind: LOADERS[kind](session, viewer, ids, terms, urls)
        for kind, ids in ids_by_kind.items()
        if kind in LOADERS
    }
    return [
        loaded[hit.kind][hit.object_id] for hit in hits if hit.object_id in loaded.get(hit.kind, {})
    ]


@dataclass(frozen=True)
class FacetLink:
    """One value of a facet as a link: its label, count and whether it is selected."""

    facet: str
    value: str
    label: str
    count: int
    selected: bool


def facet_links(session: Session, results: SearchResults) -> dict[str, list[FacetLink]]:
    """The facets with readable labels (topic and organisation names from the database,
    one query each when they are shown), the most frequent values first."""
    shown = {
        facet: [v for v in values[:FACET_LIMIT]] + [v for v in values[FACET_LIMIT:] if v.selected]
        for facet, values in results.facets.items()
    }
    topic_names = _names(session, Topic, [v.value for v in shown.get("topic", [])])
    organisation_names = _names(
        session, Organisation, [v.value for v in shown.get("organisation", [])]
    )
    bands = {band.value: f"{band.label} residents" for band in PopulationBand}
    tiers = {tier.value: label for tier, label in TIER_LABELS.items()}
    labels = {
        "kind": KIND_PLURALS,
        "topic": topic_names,
        "organisation": organisation_names,
        "band": bands,
        "tier": tiers,
        "date": DATE_LABELS,
        "state": {},
    }
    return {
        facet: [
            FacetLink(facet, v.value, labels[facet].get(v.value, v.value), v.count, v.selected)
            for v in values
        ]
        for facet, values in shown.items()
        if values
    }


def _names(session: Session, model, slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    return dict(session.execute(select(model.slug, model.name).where(model.slug.in_(slugs))).all())
