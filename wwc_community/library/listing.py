"""What the library list and its Atom feed read: filters, sorts, the list's statement,
the one-sentence summary of the filters, and the feed's entries.

Featured entries: the list promotes up to FEATURED_LIMIT featured entries that match the
filters to the top of its ordering, under any sort. FEATURED_LIMIT is below the page
size, so they fill the start of page 1 and nowhere else, each appears once, and every
other entry keeps its place in the chosen sort on the pages that follow. A featured
entry beyond the limit (an older feature) simply takes its place in the sort.

Everyone sees the same list: published entries only. Drafts and unpublished entries
stay on the organisation's own pages, whoever is looking.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from wwc_community.directory.models import City, Organisation, PopulationBand, Topic
from wwc_community.library.models import (
    Adaptation,
    EvidenceTier,
    Practice,
    PracticeKind,
    PracticeStatus,
    practice_topic,
)

# The list -----------------------------------------------------------------------------------

PRACTICE_SORTS = {
    "newest": "Newest",
    "adapted": "Most adapted",
    "helpful": "Most helpful",
}
DEFAULT_SORT = "newest"
# How many featured entries go first on page 1 (fewer than a page holds).
FEATURED_LIMIT = 3

KIND_PLURALS = {
    PracticeKind.GUIDE: "guides",
    PracticeKind.CASE_STUDY: "case studies",
    PracticeKind.TOOLKIT: "toolkits",
    PracticeKind.POLICY_TEMPLATE: "policy templates",
    PracticeKind.EVALUATION_REPORT: "evaluation reports",
    PracticeKind.DATASET_STANDARD: "dataset standards",
}
TIER_LABELS = {
    EvidenceTier.STRONG: "Strong",
    EvidenceTier.MODERATE: "Moderate",
    EvidenceTier.PROMISING: "Promising",
    EvidenceTier.EMERGING: "Emerging",
}
# The longest unknown value a notice repeats back to the reader.
_ECHO_LENGTH = 60


@dataclass(frozen=True)
class PracticeFilters:
    """What the list shows, read from the query string."""

    topic: Topic | None = None
    kind: PracticeKind | None = None
    organisation: Organisation | None = None
    tier: EvidenceTier | None = None
    band: PopulationBand | None = None
    sort: str = DEFAULT_SORT
    # One sentence for each value in the address that names nothing: the list ignores it.
    ignored: tuple[str, ...] = field(default=())

    @property
    def any(self) -> bool:
        """True when a filter narrows the list (the sort does not)."""
        return any((self.topic, self.kind, self.organisation, self.tier, self.band))


def _echo(value: str) -> str:
    """An unknown value as the notice repeats it: shortened, printable characters only."""
    return "".join(c for c in value if c.isprintable())[:_ECHO_LENGTH]


def read_practice_filters(
    args: Mapping[str, str], topics: Sequence[Topic], organisations: Sequence[Organisation]
) -> PracticeFilters:
    """The filters in `args`. A value that names nothing is ignored and explained, so an
    old or mistyped address still shows entries instead of an error."""
    ignored = []

    def pick(name: str, choices: Mapping, noun: str, everything: str):
        raw = (args.get(name) or "").strip()
        if not raw:
            return None
        if raw in choices:
            return choices[raw]
        ignored.append(f"There is no {noun} “{_echo(raw)}”, so the list shows {everything}.")
        return None

    topic = pick("topic", {t.slug: t for t in topics}, "topic", "every topic")
    kind = pick("type", {k.value: k for k in PracticeKind}, "type of entry", "every type")
    organisation = pick(
        "organisation", {o.slug: o for o in organisations}, "organisation", "every organisation"
    )
    tier = pick("evidence", {t.value: t for t in EvidenceTier}, "evidence tier", "every tier")
    band = pick(
        "band", {b.value: b for b in PopulationBand}, "population band", "cities of every size"
    )
    sort = pick("sort", {s: s for s in PRACTICE_SORTS}, "sort order", "the newest first")
    return PracticeFilters(
        topic=topic,
        kind=kind,
        organisation=organisation,
        tier=tier,
        band=band,
        sort=sort or DEFAULT_SORT,
        ignored=tuple(ignored),
    )


def adapted_in_band(practice, band: PopulationBand):
    """True for entries with at least one adaptation from a city in `band` (an EXISTS
    over adaptation joined to city, by the population bounds the band is derived from)."""
    low, high = band.bounds
    condition = exists().where(
        Adaptation.practice_id == practice.id,
        City.id == Adaptation.city_id,
        City.population >= low,
    )
    if high is not None:
        condition = condition.where(City.population < high)
    return condition


def _conditions(practice, filters: PracticeFilters) -> list:
    """The WHERE clauses of the list for `practice` (the entity or an alias of it)."""
    conditions = [practice.status == PracticeStatus.PUBLISHED]
    if filters.topic is not None:
        conditions.append(
            practice.id.in_(
                select(practice_topic.c.practice_id).where(
                    practice_topic.c.topic_id == filters.topic.id
                )
            )
        )
    if filters.kind is not None:
        conditions.append(practice.kind == filters.kind)
    if filters.organisation is not None:
        conditions.append(practice.organisation_id == filters.organisation.id)
    if filters.tier is not None:
        conditions.append(practice.evidence_tier == filters.tier)
    if filters.band is not None:
        conditions.append(adapted_in_band(practice, filters.band))
    return conditions


# The featured entries' side of the list's statement, made once: a new alias on each
# request costs more than building the rest of the statement.
_featured = aliased(Practice, name="featured")


def practice_list_statement(filters: PracticeFilters) -> Select:
    """The ids of the published entries the list shows, featured ones first (see the
    module's docstring), then in the chosen sort; `practices_by_id` loads a page of them.

    Ids only: to find one page the database sorts every matching entry, and it sorts
    ids (read from the status index for the newest first) much faster than whole rows
    with their body, body_html and organisation.
    """
    promoted = Practice.id.in_(
        select(_featured.id)
        .where(*_conditions(_featured, filters), _featured.featured_at.is_not(None))
        .order_by(_featured.featured_at.desc(), _featured.id.desc())
        .limit(FEATURED_LIMIT)
    )
    order = {
        "newest": [],
        "adapted": [Practice.adaptation_count.desc()],
        "helpful": [Practice.helpful_count.desc()],
    }[filters.sort]
    return (
        select(Practice.id)
        .where(*_conditions(Practice, filters))
        .order_by(
            case((promoted, 0), else_=1),
            *order,
            Practice.published_at.desc(),
            Practice.id.desc(),
        )
    )


def practices_by_id(
    session: Session,
    ids: Sequence[int],
    topics: Sequence[Topic],
    organisations: Sequence[Organisation],
) -> list[Practice]:
    """The entries `ids` (a page of `practice_list_statement`) in that order, each with
    its organisation and its topics by name for the card. One unpublished or deleted
    since its id was read is left out. At most two queries, none for no ids.

    The cards share `topics` and `organisations`, the ones the page has loaded for its
    filters (one missing from them is loaded), which costs less than loading them again
    with the entries. The status is checked here rather than in the statement: with a
    condition on it, SQLite walks the status index instead of fetching the rows by id.
    """
    if not ids:
        return []
    found = {
        practice.id: practice
        for practice in session.scalars(select(Practice).where(Practice.id.in_(ids)))
        if practice.status == PracticeStatus.PUBLISHED
    }
    if not found:
        return []
    known_topics = {topic.id: topic for topic in topics}
    known_organisations = {organisation.id: organisation for organisation in organisations}
    topics_of: dict[int, list[Topic]] = {id_: [] for id_ in found}
    pairs = (
        select(practice_topic.c.practice_id, practice_topic.c.topic_id)
        .join(Topic, Topic.id == practice_topic.c.topic_id)
        .where(practice_topic.c.practice_id.in_(list(found)))
        .order_by(Topic.name)
    )
    for practice_id, topic_id in session.execute(pairs):
        topic = known_topics.get(topic_id) or session.get(Topic, topic_id)
        topics_of[practice_id].append(topic)
    for practice in found.values():
        organisation = known_organisations.get(practice.organisation_id) or session.get(
            Organisation, practice.organisation_id
        )
        set_committed_value(practice, "organisation", organisation)
        set_committed_value(practice, "topics", topics_of[practice.id])
    return [found[id_] for id_ in ids if id_ in found]


def describe_filters(filters: PracticeFilters) -> str:
    """The active filters in one sentence, for example "Showing guides on Open Data from
    Civic Evidence Lab with strong evidence, adapted by cities of 100,000 to 250,000
    residents, newest first"."""
    what = KIND_PLURALS[filters.kind] if filters.kind else "all entries"
    parts = [f"Showing {what}"]
    if filters.topic is not None:
        parts.append(f"on {filters.topic.name}")
    if filters.organisation is not None:
        parts.append(f"from {filters.organisation.name}")
    if filters.tier is not None:
        parts.append(f"with {TIER_LABELS[filters.tier].lower()} evidence")
    sentence = " ".join(parts)
    if filters.band is not None:
        sentence += f", adapted by cities of {filters.band.label} residents"
    order = {
        "newest": "newest first",
        "adapted": "most adapted first",
        "helpful": "most helpful first",
    }[filters.sort]
    return f"{sentence}, {order}."


# The Atom feed --------------------------------------------------------------------------------

FEED_LIMIT = 30
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot hold, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def feed_statement(limit: int = FEED_LIMIT) -> Select:
    """The `limit` published entries most recently published or updated, with each
    entry's organisation and topics."""
    changed = func.coalesce(Practice.updated_at, Practice.published_at)
    return (
        select(Practice)
        .where(Practice.status == PracticeStatus.PUBLISHED)
        .options(joinedload(Practice.organisation), selectinload(Practice.topics))
        .order_by(changed.desc(), Practice.id.desc())
        .limit(limit)
    )


@dataclass(frozen=True)
class FeedAddresses:
    """The absolute addresses a feed needs, built by the caller from SITE_URL."""

    feed: str
    library: str
    practice: Callable[[Practice], str]
    organisation: Callable[[Organisation], str]


def _rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _updated(practice: Practice) -> datetime:
    return practice.updated_at or practice.published_at or practice.edited_at


def entry_id(practice: Practice, feed_address: str) -> str:
    """A tag: URI naming the entry for good (RFC 4151): it survives a new title or slug."""
    host = urlsplit(feed_address).hostname or "localhost"
    first = practice.published_at or practice.created_at
    return f"tag:{host},{first:%Y-%m-%d}:library/practice/{practice.id}"


def build_atom_feed(
    practices: Sequence[Practice], addresses: FeedAddresses, *, title: str
) -> bytes:
    """An Atom 1.0 document of `practices` (organisation and topics loaded), as UTF-8.

    ElementTree escapes every text and attribute value, so a title with & or < is text,
    never markup.
    """
    ElementTree.register_namespace("", ATOM_NAMESPACE)

    def add(parent, tag: str, text: str | None = None, **attributes) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}{tag}", attributes)
        if text is not None:
            element.text = _text(text)
        return element

    feed = ElementTree.Element(f"{{{ATOM_NAMESPACE}}}feed")
    add(feed, "id", addresses.feed)
    add(feed, "title", title)
    add(feed, "subtitle", "Guides and practices newly published or updated in the library.")
    newest = max((_updated(p) for p in practices), default=None)
    add(feed, "updated", _rfc3339(newest or datetime.now(UTC)))
    add(feed, "link", rel="self", type="application/atom+xml", href=addresses.feed)
    add(feed, "link", rel="alternate", type="text/html", href=addresses.library)
    add(add(feed, "author"), "name", title)
    for practice in practices:
        entry = add(feed, "entry")
        add(entry, "id", entry_id(practice, addresses.feed))
        add(entry, "title", practice.title, type="text")
        add(entry, "updated", _rfc3339(_updated(practice)))
        add(entry, "published", _rfc3339(practice.published_at or _updated(practice)))
        author = add(entry, "author")
        add(author, "name", practice.organisation.name)
        add(author, "uri", addresses.organisation(practice.organisation))
        add(entry, "link", rel="alternate", type="text/html", href=addresses.practice(practice))
        summary = practice.summary or (
            f"{PracticeKind(practice.kind).label} from {practice.organisation.name}."
        )
        add(entry, "summary", summary, type="text")
        for topic in practice.topics:
            add(entry, "category", term=topic.slug, label=_text(topic.name))
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
