"""What a search asks and what it finds: the request read from the address, the user's
words made safe for Whoosh's parser, and one pass over the matches that ranks them,
counts the facets and stays inside a time limit.

`run_search(searcher, tokens, request)` is a pure function of the index, the viewer's
visibility tokens and the request: it touches neither Flask nor the database (the
view loads and checks the objects the hits name, see results.py).

Choices, and why:

- Permissions are part of the query: `Require(words, visibility filter)`, so a hit the
  viewer may not see is never matched, counted or ranked (no post-filtering).
- Facet counts follow standard faceted navigation: each facet is counted for the
  query and every active filter except its own, so a reader can switch from one kind
  or topic to another without first removing the filter. The total is the number of
  hits with every filter applied. Both come from the same single pass over the
  matches (a second counting pass doubled the time: SEARCH-NOTES.md, trap 7), using
  per-segment arrays of facet values built once per segment and cached (segments
  never change, so the cache survives every commit that adds a new one).
- Ranking is BM25F (title boosted in the schema) times a small factor: up to +5 % for
  recency (halving every year), +10 % when a thread has an accepted answer, and up to
  +5 % for popularity (votes, helpful marks). Equal texts are ordered by these; a
  clearly better text match still wins.
- A time limit (TIME_LIMIT seconds, checked between matches) stops a pathological
  query; the best hits found so far are shown with a notice. No signal is used: the
  web server answers in threads, where SIGALRM cannot be installed.
"""

import math
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from heapq import heappush, heapreplace

from whoosh import collectors, qparser
from whoosh import query as wq

from wwc_community.search.schema import KINDS, MEMBERS, PUBLIC, organisation_token

# The request ---------------------------------------------------------------------------

MAX_QUERY_LENGTH = 300
MAX_CLAUSES = 32
MAX_PAGE = 100
PER_PAGE = 10
TIME_LIMIT = 0.5
SORTS = ("relevance", "newest")
# Cumulative date ranges: "week" is the last 7 days, "month" the last 30, and so on;
# "older" is everything before the last year.
DATE_RANGES = {"week": 7, "month": 30, "year": 365, "older": None}
# Facets in the order the page lists them, with the index field each one reads.
FACETS = ("kind", "topic", "state", "band", "organisation", "tier", "date")
FACET_FIELDS = {
    "kind": "kind",
    "topic": "topics",
    "state": "state",
    "band": "band",
    "organisation": "organisation",
    "tier": "tier",
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")
_STATE = re.compile(r"^[A-Z]{2}$")
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class SearchRequest:
    """Everything the address says about a search; unknown values are left out."""

    q: str = ""
    kind: str | None = None
    topic: str | None = None
    state: str | None = None
    band: str | None = None
    organisation: str | None = None
    tier: str | None = None
    date: str | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "SearchRequest":
        """Read a request from a query string; anything that names nothing is ignored."""

        def pick(name: str, valid) -> str | None:
            raw = (args.get(name) or "").strip()
            return raw if raw and valid(raw) else None

        try:
            page = int(args.get("page") or 1)
        except ValueError:
            page = 1
        return cls(
            q=(args.get("q") or "")[: MAX_QUERY_LENGTH * 20],
            kind=pick("kind", lambda v: v in KINDS),
            topic=pick("topic", _SLUG.match),
            state=pick("state", _STATE.match),
            band=pick("band", _VALUE.match),
            organisation=pick("organisation", _SLUG.match),
            tier=pick("tier", _VALUE.match),
            date=pick("date", lambda v: v in DATE_RANGES),
            sort=pick("sort", lambda v: v in SORTS) or "relevance",
            page=min(max(page, 1), MAX_PAGE),
        )

    @property
    def filters(self) -> dict[str, str]:
        """The active facet filters, facet name to value."""
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    def args(self, **changes) -> dict[str, str]:
        """This request as query-string arguments, with `changes` (None removes one).
        Changing anything but the page goes back to page 1."""
        values = {"q": self.q.strip(), **self.filters, "sort": self.sort, "page": self.page}
        if "page" not in changes:
            values["page"] = 1
        values.update(changes)
        defaults = {"sort": "relevance", "page": 1, "q": ""}
        return {
            key: str(value)
            for key, value in values.items()
            if value is not None and defaults.get(key) != value
        }


# Who sees what ---------------------------------------------------------------------------

# Coordinators see every organisation's drafts: a prefix over every org: token.
ALL_ORGANISATIONS = "org:*"


def viewer_tokens(viewer) -> frozenset[str]:
    """The visibility tokens of `viewer`: visitors and members who are not approved see
    public documents; members also members-only ones; partners their organisation's
    drafts; coordinators everything."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return frozenset({PUBLIC})
    if not getattr(viewer, "is_member", False):
        return frozenset({PUBLIC})
    from wwc_community.accounts.models import Role

    tokens = {PUBLIC, MEMBERS}
    if viewer.has_role(Role.COORDINATOR):
        tokens.add(ALL_ORGANISATIONS)
    elif viewer.has_role(Role.PARTNER) and viewer.organisation_id is not None:
        tokens.add(organisation_token(viewer.organisation_id))
    return frozenset(tokens)


def visibility_filter(tokens: frozenset[str]) -> wq.Query:
    """Documents holding at least one of `tokens`."""
    clauses = [wq.Term("visibility", token) for token in sorted(tokens - {ALL_ORGANISATIONS})]
    if ALL_ORGANISATIONS in tokens:
        clauses.append(wq.Prefix("visibility", "org:"))
    return wq.Or(clauses) if len(clauses) > 1 else clauses[0]


# The user's words -----------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One thing to find: a word (perhaps a prefix, "evalu*") or a phrase."""

    words: tuple[str, ...]
    prefix: bool = False

    def syntax(self) -> str:
        if len(self.words) > 1:
            return '"' + " ".join(self.words) + '"'
        return self.words[0] + ("*" if self.prefix else "")


@dataclass
class ParsedQuery:
    """The user's query as groups (each group matches if any of its clauses does; every
    group must match) and exclusions, with the notices about what was changed."""

    groups: list[list[Clause]] = field(default_factory=list)
    exclusions: list[Clause] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def text(self, groups=None) -> str:
        """The query in the syntax a reader types, for the search box and "did you mean"."""
        parts = [" OR ".join(c.syntax() for c in group) for group in (groups or self.groups)]
        parts += ["-" + c.syntax() for c in self.exclusions]
        return " ".join(parts)

    def parser_text(self, groups=None) -> str:
        """The same query in the syntax of the restricted Whoosh parser."""
        parts = []
        for group in groups or self.groups:
            inner = " OR ".join(c.syntax() for c in group)
            parts.append(f"({inner})" if len(group) > 1 else inner)
        parts += ["NOT " + c.syntax() for c in self.exclusions]
        return " ".join(parts)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")
_PIECE = re.compile(r"\w+\*?")
_OPERATORS = {"AND", "OR", "NOT", "&&", "||", "!"}
_MIN_PREFIX = 3


def _clean_text(raw: str, notices: list[str]) -> str:
    text = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") else c
        for c in _CONTROL.sub(" ", raw)
    )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        cut = text[:MAX_QUERY_LENGTH]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
        notices.append(
            f"Your search was longer than {MAX_QUERY_LENGTH} characters, so only its start "
            "was used."
        )
    text = text.replace("“", '"').replace("”", '"').replace("„", '"')
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
        notices.append("A quotation mark had no partner, so it was ignored.")
    return text


def _clause_from_token(token: str, notices: set[str]) -> Clause | None:
    """A bare token as a clause: punctuation splits it into a phrase ("results-driven"),
    a wildcard only counts at the end of a word of three letters or more."""
    if re.match(r"^[*?]+\w", token):
        notices.add("A wildcard (*) only works at the end of a word, so it was left out.")
    pieces = _PIECE.findall(token)
    if not pieces:
        if "*" in token or "?" in token:
            notices.add("A wildcard (*) needs part of a word before it, so it was ignored.")
        return None
    words = tuple(p.rstrip("*").lower() for p in pieces)
    prefix = len(pieces) == 1 and pieces[0].endswith("*")
    if prefix and len(words[0]) < _MIN_PREFIX:
        notices.add(f"A wildcard (*) needs at least {_MIN_PREFIX} letters before it.")
        prefix = False
    return Clause(words=words, prefix=prefix)


def parse_user_query(raw: str) -> ParsedQuery:
    """Read the user's words: "quoted phrases", -word to exclude (or NOT word), OR
    between alternatives, and every other word required. Whatever does not fit (a lone
    operator, an unbalanced quote, a leading wildcard, a very long paste) is dropped or
    repaired, with a notice saying so."""
    parsed = ParsedQuery()
    text = _clean_text(raw or "", parsed.notices)
    notices: set[str] = set()
    items: list[tuple[str, Clause | None, bool]] = []  # (operator or "", clause, negated)
    for match in _TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if phrase is not None:
            words = tuple(w.lower() for w in _WORD.findall(phrase))
            if words:
                items.append(("", Clause(words=words), bool(minus)))
            continue
        if bare in _OPERATORS:
            items.append(({"&&": "AND", "||": "OR", "!": "NOT"}.get(bare, bare), None, False))
            continue
        negated = bare.startswith("-") and len(bare) > 1
        clause = _clause_from_token(bare[1:] if negated else bare, notices)
        if clause is not None:
            items.append(("", clause, negated))

    pending_not = pending_or = False
    for index, (operator, clause, negated) in enumerate(items):
        if operator == "AND":
            continue
        has_next = any(c is not None for _, c, _ in items[index + 1 :])
        if operator == "NOT":
            pending_not = has_next
            if not has_next:
                notices.add("NOT needs a word after it, so it was ignored.")
            continue
        if operator == "OR":
            if parsed.groups and has_next and not pending_not:
                pending_or = True
            else:
                notices.add("OR needs a word on each side, so it was ignored.")
            continue
        if negated or pending_not:
            if pending_or:
                notices.add("OR needs a word on each side, so it was ignored.")
            parsed.exclusions.append(clause)
        elif pending_or:
            parsed.groups[-1].append(clause)
        else:
            parsed.groups.append([clause])
        pending_not = pending_or = False

    if len(parsed.groups) + len(parsed.exclusions) > MAX_CLAUSES:
        parsed.groups = parsed.groups[:MAX_CLAUSES]
        parsed.exclusions = parsed.exclusions[: max(0, MAX_CLAUSES - len(parsed.groups))]
        notices.add(f"Only the first {MAX_CLAUSES} words were searched for.")
    if parsed.exclusions and not parsed.groups:
        notices.add("A search cannot only leave words out: add a word to look for.")
        parsed.exclusions = []
    parsed.notices.extend(sorted(notices))
    return parsed


def _parser(schema) -> qparser.QueryParser:
    """A MultifieldParser over title and body that knows phrases, trailing wildcards,
    AND/OR/NOT and parentheses, and nothing else (no field:, ranges, boosts or '...')."""
    parser = qparser.MultifieldParser(["title", "body"], schema, group=qparser.AndGroup)
    for plugin in (
        qparser.FieldsPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
    ):
        parser.remove_plugin_class(plugin)
    return parser


def build_query(schema, parsed: ParsedQuery, groups=None) -> wq.Query | None:
    """The Whoosh query of `parsed` (None when nothing is left to search for, for
    example a query of only common words like "the")."""
    if not (groups or parsed.groups):
        return None
    built = _parser(schema).parse(parsed.parser_text(groups))
    if built is wq.NullQuery:
        return None
    return built if _positive_parts(built) else None


def _positive_parts(built: wq.Query):
    if isinstance(built, wq.And):
        return [q for q in built.subqueries if not isinstance(q, wq.Not)]
    return [] if isinstance(built, wq.Not) else [built]


def highlight_terms(searcher, schema, parsed: ParsedQuery) -> frozenset[str]:
    """The indexed (stemmed) words a snippet should mark: the wanted words, prefixes
    expanded to the words of the index, never the excluded ones."""
    built = build_query(schema, ParsedQuery(groups=parsed.groups))
    if built is None:
        return frozenset()
    terms = set()
    reader = searcher.reader()
    for leaf in built.leaves():
        if leaf.field() != "body":
            continue
        if isinstance(leaf, wq.Prefix):
            for index, word in enumerate(reader.expand_prefix("body", leaf.text)):
                if index >= 50:
                    break
                terms.add(word.decode() if isinstance(word, bytes) else word)
        elif isinstance(leaf, wq.Phrase):
            terms.update(leaf.words)
        elif isinstance(leaf, wq.Term):
            terms.add(leaf.text.decode() if isinstance(leaf.text, bytes) else leaf.text)
    return frozenset(terms)


# Facet values per segment ----------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1)


@dataclass
class SegmentFacts:
    """Per-document facet values and ranking inputs of one index segment."""

    values: dict[str, list]  # facet -> value (topics: a tuple) by segment docnum
    date: list[float]
    popularity: list[float]
    accepted: bytearray


_FACTS_CACHE: OrderedDict = OrderedDict()
_FACTS_LOCK = threading.Lock()
_FACTS_CACHE_SIZE = 256


def _build_facts(reader) -> SegmentFacts:
    size = reader.doc_count_all()
    values: dict[str, list] = {}
    for facet, fieldname in FACET_FIELDS.items():
        column: list = [() if facet == "topic" else None] * size
        if fieldname in reader.indexed_field_names():
            for term in reader.lexicon(fieldname):
                value = term.decode("utf-8")
                for docnum in reader.postings(fieldname, term).all_ids():
                    column[docnum] = column[docnum] + (value,) if facet == "topic" else value
        values[facet] = column
    dates = [0.0] * size
    if reader.has_column("date"):
        for docnum, moment in enumerate(reader.column_reader("date")):
            if isinstance(moment, datetime):
                dates[docnum] = (moment.replace(tzinfo=None) - _EPOCH).total_seconds()
    popularity = [0.0] * size
    if reader.has_column("popularity"):
        for docnum, number in enumerate(reader.column_reader("popularity")):
            popularity[docnum] = float(number or 0)
    accepted = bytearray(size)
    if "accepted" in reader.indexed_field_names():
        for term in reader.lexicon("accepted"):
            if term == b"t":
                for docnum in reader.postings("accepted", term).all_ids():
                    accepted[docnum] = 1
    return SegmentFacts(values=values, date=dates, popularity=popularity, accepted=accepted)


def segment_facts(reader) -> SegmentFacts:
    """The facts of `reader`'s segment, cached by segment id (a segment never changes;
    deleted documents simply stop matching)."""
    segment = getattr(reader, "segment", None)
    key = segment().segment_id() if callable(segment) else None
    if key is None:
        return _build_facts(reader)
    with _FACTS_LOCK:
        facts = _FACTS_CACHE.get(key)
        if facts is not None:
            _FACTS_CACHE.move_to_end(key)
            return facts
    facts = _build_facts(reader)
    with _FACTS_LOCK:
        _FACTS_CACHE[key] = facts
        while len(_FACTS_CACHE) > _FACTS_CACHE_SIZE:
            _FACTS_CACHE.popitem(last=False)
    return facts


# Ranking -------------------------------------------------------------------------------

RECENCY_BONUS = 0.05
RECENCY_HALF_LIFE_DAYS = 365
ACCEPTED_BONUS = 0.10
POPULARITY_BONUS = 0.05
POPULARITY_SATURATION = 50


def rank_factor(age_days: float, accepted: bool, popularity: float) -> float:
    """The small multiplier the text score is ranked by (see the module docstring)."""
    recency = RECENCY_BONUS * 0.5 ** (max(age_days, 0.0) / RECENCY_HALF_LIFE_DAYS)
    popular = POPULARITY_BONUS * min(
        1.0, math.log1p(max(popularity, 0.0)) / math.log1p(POPULARITY_SATURATION)
    )
    return 1.0 + recency + (ACCEPTED_BONUS if accepted else 0.0) + popular


# The pass over the matches ---------------------------------------------------------------


class _SearchCollector(collectors.Collector):
    """Visits every match once: checks the facet filters from the segment's arrays,
    counts facets (each without its own filter), and keeps the best `keep` hits."""

    def __init__(self, filters: dict[str, str], keep: int, newest: bool, now: float):
        self.filters = filters
        self.keep = keep
        self.newest = newest
        self.now = now
        self.date_floor = {
            name: now - days * 86400 for name, days in DATE_RANGES.items() if days is not None
        }
        self.year_floor = self.date_floor["year"]

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.counts = {facet: Counter() for facet in FACETS}
        self.total = 0
        self.heap: list = []

    def set_subsearcher(self, subsearcher, offset):
        super().set_subsearcher(subsearcher, offset)
        self.facts = segment_facts(subsearcher.reader())
        self.kinds = self.facts.values["kind"]

    def matches(self):
        # Every match: facet counts need them all, so no block-quality skipping.
        matcher = self.matcher
        while matcher.is_active():
            yield matcher.id()
            matcher.next()

    def _date_buckets(self, moment: float) -> list[str]:
        if moment < self.year_floor:
            return ["older"]
        return [name for name, floor in self.date_floor.items() if moment >= floor]

    def _passes(self, facet: str, wanted: str, docnum: int, moment: float) -> bool:
        if facet == "date":
            return wanted in self._date_buckets(moment)
        value = self.facts.values[facet][docnum]
        return wanted in value if facet == "topic" else value == wanted

    def collect(self, sub_docnum):
        facts = self.facts
        moment = facts.date[sub_docnum]
        missed = None
        for facet, wanted in self.filters.items():
            if not self._passes(facet, wanted, sub_docnum, moment):
                if missed is not None:
                    return None
                missed = facet
        for facet in FACETS if missed is None else (missed,):
            if facet == "date":
                self.counts["date"].update(self._date_buckets(moment))
            elif facet == "topic":
                self.counts["topic"].update(facts.values["topic"][sub_docnum])
            else:
                value = facts.values[facet][sub_docnum]
                if value is not None:
                    self.counts[facet][value] += 1
        if missed is not None:
            return None
        self.total += 1
        score = self.matcher.score()
        age_days = (self.now - moment) / 86400 if moment else 3650.0
        score *= rank_factor(
            age_days, bool(facts.accepted[sub_docnum]), facts.popularity[sub_docnum]
        )
        key = (moment, score) if self.newest else (score, moment)
        item = (key, -(self.offset + sub_docnum))
        if len(self.heap) < self.keep:
            heappush(self.heap, item)
        elif item > self.heap[0]:
            heapreplace(self.heap, item)
        return None

    def ranked(self) -> list[tuple[int, float]]:
        """(global docnum, score) of the hits kept, best first."""
        ordered = sorted(self.heap, reverse=True)
        return [(-docnum, key[1] if self.newest else key[0]) for key, docnum in ordered]

    def results(self):  # pragma: no cover - the search reads ranked() instead
        return self.ranked()


# The search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    """One page of hits with the total, the facet counts and what to tell the reader."""

    request: SearchRequest
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    # The query as it was searched for (after repairs), for the search box.
    searched: str = ""
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    timed_out: bool = False
    # The stemmed words snippets mark.
    terms: frozenset[str] = frozenset()

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_query(self) -> bool:
        return bool(self.request.q.strip()) or bool(self.request.filters)


def _filter_query(facet: str, value: str, now: datetime) -> wq.Query:
    if facet == "date":
        days = DATE_RANGES[value]
        if days is None:
            return wq.DateRange("date", None, now - timedelta(days=365), endexcl=True)
        return wq.DateRange("date", now - timedelta(days=days), None)
    return wq.Term(FACET_FIELDS[facet], value)


def _spelling_suggestion(searcher, schema, parsed, visible, request, now) -> str | None:
    """The query with unknown words replaced by the nearest words of the index (from
    the unstemmed spelling field), when that changes something and finds a result."""
    reader = searcher.reader()
    corrector = searcher.corrector("spelling")
    changed = False
    groups = []
    for group in parsed.groups:
        new_group = []
        for clause in group:
            words = []
            for word in clause.words:
                better = word
                if (
                    not clause.prefix
                    and len(word) > 2
                    and not word.isdigit()
                    and reader.doc_frequency("spelling", word) == 0
                ):
                    found = corrector.suggest(word, limit=1, maxdist=2)
                    if found and found[0] != word:
                        better = found[0]
                        changed = True
                words.append(better)
            new_group.append(Clause(words=tuple(words), prefix=clause.prefix))
        groups.append(new_group)
    if not changed:
        return None
    corrected = build_query(schema, parsed, groups)
    if corrected is None:
        return None
    checks = [visible] + [_filter_query(f, v, now) for f, v in request.filters.items()]
    # No block-quality skipping: with Require it trips an assertion in Whoosh 2.7.5
    # (IntersectionMatcher._find_next); test_queries keeps a test on it.
    first = collectors.TopCollector(limit=1, usequality=False)
    searcher.search_with_collector(wq.Require(corrected, wq.And(checks)), first)
    if not first.items:
        return None
    return parsed.text(groups)


def run_search(
    searcher,
    tokens: frozenset[str],
    request: SearchRequest,
    *,
    per_page: int = PER_PAGE,
    time_limit: float = TIME_LIMIT,
    now: datetime | None = None,
) -> SearchResults:
    """Search `searcher` for `request` as a viewer holding `tokens` (viewer_tokens)."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    schema = searcher.schema
    parsed = parse_user_query(request.q)
    results = SearchResults(request=request, per_page=per_page, notices=list(parsed.notices))
    results.searched = parsed.text() if parsed.groups else ""
    words = build_query(schema, parsed)
    if words is None:
        if parsed.groups:
            results.notices.append(
                "Words like “the” and “of” are too common to search for: try a more specific word."
            )
        if not request.filters:
            return results
        words = wq.Every()  # no words, but a filter: browse everything it keeps
    visible = visibility_filter(tokens)
    keep = request.page * per_page
    newest = request.sort == "newest" or isinstance(words, wq.Every)
    collector = _SearchCollector(request.filters, keep, newest, (now - _EPOCH).total_seconds())
    limited = collectors.TimeLimitCollector(collector, time_limit, use_alarm=False)
    try:
        searcher.search_with_collector(wq.Require(words, visible), limited)
    except collectors.TimeLimit:
        results.timed_out = True
        results.notices.append(
            "This search took too long to finish, so these are the best results found "
            "in the time allowed. More specific words give complete results."
        )
    results.total = collector.total
    pages = max(1, math.ceil(collector.total / per_page))
    results.page = min(request.page, pages)
    ranked = collector.ranked()[(results.page - 1) * per_page : results.page * per_page]
    for docnum, score in ranked:
        stored = searcher.stored_fields(docnum)
        results.hits.append(Hit(stored["kind"], int(stored["object_id"]), score))
    for facet in FACETS:
        selected = request.filters.get(facet)
        counts = collector.counts[facet]
        if facet == "date":
            order = [name for name in DATE_RANGES if counts.get(name)]
        else:
            order = sorted(counts, key=lambda value: (-counts[value], value))
        if selected and selected not in order:
            order.append(selected)
        results.facets[facet] = [
            FacetCount(value, counts.get(value, 0), value == selected) for value in order
        ]
    if parsed.groups and not isinstance(words, wq.Every):
        results.terms = highlight_terms(searcher, schema, parsed)
        results.suggestion = _spelling_suggestion(searcher, schema, parsed, visible, request, now)
    return results
