"""What a search asks and what it finds: the request read from the address, the user's
words made safe and turned into the index's words, and one pass over every segment that
matches, ranks, counts the facets and stays inside a time limit.

`run_search(searcher, tokens, request)` is a pure function of the index, the viewer's
visibility tokens and the request: it touches neither Flask nor the database (the
view loads and checks the objects the hits name, see results.py).

Choices, and why:

- The user's words never reach Whoosh's query parser: parse_user_query reads the small
  syntax the page documents, and plan_query analyses each word with the index's own
  analyzer (stemming, stop words).
- Matching, counting and ranking work on whole-segment numpy arrays (matching.py), not
  Whoosh's per-document loop, which cost 10-20 times more for common words
  (docs/search.md).
- Permissions are part of matching: a document the viewer may not see is never matched,
  counted or ranked (no post-filtering).
- Facet counts follow standard faceted navigation: each facet is counted for the
  query and every active filter except its own, so a reader can switch from one kind
  or topic to another without first removing the filter. The total is the number of
  hits with every filter applied.
- Ranking is BM25F (title boosted in the schema) times a small factor: up to +5 % for
  recency (halving every year), +10 % when a thread has an accepted answer, and up to
  +5 % for popularity (votes, helpful marks). Equal texts are ordered by these; a
  clearly better text match still wins.
- Phrases are found as all their words first; the order is then checked on those
  candidates only, at most PHRASE_CHECK_LIMIT of them (the best-scoring), and the
  counts are estimated beyond that (the page says "about"). A time limit stops the
  check of a pathological phrase with the best results found so far.
- Results are cached per index version (RESULTS_CACHE_SECONDS), since a commit makes a
  new version, nothing stale is served.
"""

import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from wwc_community.search import matching
from wwc_community.search.schema import KINDS, MEMBERS, PUBLIC, organisation_token

# The request ---------------------------------------------------------------------------

MAX_QUERY_LENGTH = 300
MAX_CLAUSES = 32
MAX_PAGE = 100
PER_PAGE = 10
TIME_LIMIT = 0.25
# A phrase is checked word by word on at most this many candidates (the best-scoring),
# a chunk at a time between looks at the clock.
PHRASE_CHECK_LIMIT = 3000
PHRASE_CHECK_CHUNK = 250
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


# What the words mean in the index ----------------------------------------------------------

# A prefix ("evalu*") stands for at most this many words of the index, the most frequent.
MAX_PREFIX_TERMS = 64


@dataclass(frozen=True)
class Term:
    """A clause as the index's words: one stemmed word, the words a prefix stands for, or
    the stemmed words of a phrase, in order."""

    kind: str  # "word", "prefix" or "phrase"
    texts: tuple[str, ...]


@dataclass
class Plan:
    """The query in the index's words: every group must match (any of its terms), no
    exclusion may."""

    groups: list[list[Term]]
    exclusions: list[Term]

    @property
    def phrases(self) -> list[Term]:
        return [term for group in self.groups for term in group if term.kind == "phrase"]


def _expand_prefix(searcher, prefix: str) -> tuple[str, ...]:
    """The stemmed words of the index that words starting with `prefix` became: the
    unstemmed words are looked up in the spelling field ("procure*" finds "procurement",
    whose stem "procur" does not start with "procure")."""
    reader = searcher.reader()
    stem = searcher.schema["body"].analyzer
    found: set[str] = set()
    for index, word in enumerate(reader.expand_prefix("spelling", prefix)):
        if index >= 1000:
            break
        text = word.decode() if isinstance(word, bytes) else word
        found.update(token.text for token in stem(text))
    ranked = sorted(found, key=lambda w: -reader.doc_frequency("body", w))
    return tuple(sorted(ranked[:MAX_PREFIX_TERMS]))


def _term(searcher, clause: Clause) -> Term | None:
    """`clause` in the index's words; None when only stop words were in it. (A prefix
    that no word of the index starts with is kept: it simply finds nothing.)"""
    if clause.prefix:
        return Term("prefix", _expand_prefix(searcher, clause.words[0]))
    analyzer = searcher.schema["body"].analyzer
    texts = tuple(token.text for token in analyzer(" ".join(clause.words)))
    if not texts:
        return None
    return Term("word" if len(texts) == 1 else "phrase", texts)


def plan_query(searcher, parsed: ParsedQuery, groups=None) -> Plan | None:
    """The plan of `parsed` (or of `groups` in its place); None when no word is left to
    look for (a query of only common words like "the")."""
    planned = []
    for group in groups if groups is not None else parsed.groups:
        terms = [term for term in (_term(searcher, c) for c in group) if term is not None]
        if terms:
            planned.append(terms)
    if not planned:
        return None
    exclusions = [t for t in (_term(searcher, c) for c in parsed.exclusions) if t is not None]
    return Plan(planned, exclusions)


def highlight_terms(plan: Plan) -> frozenset[str]:
    """The indexed (stemmed) words a snippet should mark: the wanted words, prefixes
    expanded to the words of the index, never the excluded ones."""
    return frozenset(text for group in plan.groups for term in group for text in term.texts)


_EPOCH = datetime(1970, 1, 1)

# Ranking -------------------------------------------------------------------------------

RECENCY_BONUS = 0.05
RECENCY_HALF_LIFE_DAYS = 365
ACCEPTED_BONUS = 0.10
POPULARITY_BONUS = 0.05
POPULARITY_SATURATION = 50  # votes or helpful marks that earn the whole bonus


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
    # The total and the counts are estimates (a very common phrase): the page says "about".
    approximate: bool = False
    # The stemmed words snippets mark.
    terms: frozenset[str] = frozenset()

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_query(self) -> bool:
        return bool(self.request.q.strip()) or bool(self.request.filters)


@dataclass
class _Segment:
    """One segment's part of a search: its arrays and what matched in it."""

    reader: object
    offset: int
    facts: matching.SegmentFacts
    matched: np.ndarray  # matches the words, alive and visible to the viewer
    score: np.ndarray


def _word_scores(searcher, reader, facts, text: str, scores, matched) -> None:
    for fieldname in matching.TEXT_FIELDS:
        found = matching.postings(reader, fieldname, text)
        if not found.size:
            continue
        stats = matching.term_stats(searcher, fieldname, text)
        lengths = facts.lengths[fieldname][found.ids]
        scores[found.ids] += matching.bm25(stats, found.weights, lengths)
        matched[found.ids] = True


def _term_match(searcher, reader, facts, term: Term) -> tuple[np.ndarray, np.ndarray]:
    """(matches, scores) of one term over a segment."""
    size = facts.size
    if term.kind == "phrase":
        # Every word somewhere; the order is checked later, on the candidates only.
        matched = np.ones(size, dtype=bool)
        scores = np.zeros(size, dtype=np.float32)
        for text in term.texts:
            word_matched = np.zeros(size, dtype=bool)
            _word_scores(searcher, reader, facts, text, scores, word_matched)
            matched &= word_matched
        return matched, scores
    matched = np.zeros(size, dtype=bool)
    scores = np.zeros(size, dtype=np.float32)
    if term.kind == "word":
        _word_scores(searcher, reader, facts, term.texts[0], scores, matched)
        return matched, scores
    for text in term.texts:  # a prefix scores as its best word
        word_scores = np.zeros(size, dtype=np.float32)
        _word_scores(searcher, reader, facts, text, word_scores, matched)
        np.maximum(scores, word_scores, out=scores)
    return matched, scores


def _match_segment(searcher, reader, facts, plan: Plan | None, allowed) -> tuple:
    if plan is None:  # browsing by filters alone
        return allowed.copy(), np.zeros(facts.size, dtype=np.float32)
    matched = allowed.copy()
    scores = np.zeros(facts.size, dtype=np.float32)
    for group in plan.groups:
        group_matched = np.zeros(facts.size, dtype=bool)
        for term in group:
            term_matched, term_scores = _term_match(searcher, reader, facts, term)
            group_matched |= term_matched
            scores += term_scores
        matched &= group_matched
    for term in plan.exclusions:
        matched &= ~_term_match(searcher, reader, facts, term)[0]
    return matched, scores


def _positions(reader, fieldname: str, text: str, docnums: np.ndarray) -> list:
    """Each document's positions of `text` in `fieldname` (None where it is absent)."""
    found = matching.postings(reader, fieldname, text, with_values=True)
    decode = reader.schema[fieldname].format.decode_positions
    at = np.searchsorted(found.ids, docnums)
    positions = []
    for docnum, index in zip(docnums.tolist(), at.tolist(), strict=True):
        if index < found.size and found.ids[index] == docnum:
            positions.append(decode(found.values[index]))
        else:
            positions.append(None)
    return positions


def _phrase_holds(reader, phrase: Term, docnums: np.ndarray) -> np.ndarray:
    """True for the documents where the words of `phrase` stand together, in order, in
    the title or the body."""
    holds = np.zeros(len(docnums), dtype=bool)
    for fieldname in matching.TEXT_FIELDS:
        each_word = [_positions(reader, fieldname, t, docnums) for t in phrase.texts]
        for row in range(len(docnums)):
            if holds[row] or any(word[row] is None for word in each_word):
                continue
            starts = set(each_word[0][row])
            for shift, word in enumerate(each_word[1:], start=1):
                starts &= {p - shift for p in word[row]}
                if not starts:
                    break
            holds[row] = bool(starts)
    return holds


@dataclass
class _PhraseCheck:
    """What the phrase check looked at. Past PHRASE_CHECK_LIMIT candidates, the best-
    scoring half of the limit is checked (the page's hits come from those) and a random
    sample of the others, each of which stands for `weight` candidates in the counts."""

    candidates: int = 0
    checked: int = 0
    timed_out: bool = False
    # Per segment, the sampled candidates where the phrase holds (None: no sample).
    sampled: list | None = None
    weight: float = 1.0


def _split(candidates: list[np.ndarray], scores: list[np.ndarray], best: int, sample: int):
    """The `best` best-scoring candidates and a random `sample` of the others (the same
    for the same query and index), each as one array per segment."""
    sizes = [len(c) for c in candidates]
    starts = np.cumsum([0, *sizes])
    flat = np.concatenate(scores)
    order = np.argpartition(-flat, best - 1)
    chosen = np.zeros(len(flat), dtype=bool)
    chosen[order[:best]] = True
    others = order[best:]
    picked = np.zeros(len(flat), dtype=bool)
    rng = np.random.default_rng(len(flat))
    picked[rng.choice(others, size=min(sample, len(others)), replace=False)] = True

    def per_segment(mask):
        return [c[mask[starts[i] : starts[i + 1]]] for i, c in enumerate(candidates)]

    return per_segment(chosen), per_segment(picked), len(others)


def _verify(segment: _Segment, plan: Plan, candidates, into: np.ndarray, check, clock) -> bool:
    """Mark in `into` the `candidates` of `segment` where every phrase holds; False when
    the time ran out first."""
    for start in range(0, len(candidates), PHRASE_CHECK_CHUNK):
        if check.checked and clock.expired():
            check.timed_out = True
            return False
        chunk = candidates[start : start + PHRASE_CHECK_CHUNK]
        holds = np.ones(len(chunk), dtype=bool)
        for phrase in plan.phrases:
            holds &= _phrase_holds(segment.reader, phrase, chunk)
        into[chunk[holds]] = True
        check.checked += len(chunk)
    return True


def _check_phrases(segments: list[_Segment], plan: Plan, clock: matching.Clock) -> _PhraseCheck:
    """Keep only the candidates where every phrase holds; past PHRASE_CHECK_LIMIT
    candidates, check the best ones and estimate the counts from a sample (_PhraseCheck).
    Out of time, what was checked is kept and the counts are scaled up from it."""
    each = [np.flatnonzero(segment.matched) for segment in segments]
    check = _PhraseCheck(candidates=sum(len(candidates) for candidates in each))
    sample = None
    if check.candidates > PHRASE_CHECK_LIMIT:
        half = PHRASE_CHECK_LIMIT // 2
        scores = [s.score[c] for s, c in zip(segments, each, strict=True)]
        each, sample, others = _split(each, scores, half, half)
        check.weight = others / max(1, sum(len(c) for c in sample))
    for segment in segments:
        segment.matched[:] = False  # only candidates that pass the check come back
    for segment, candidates in zip(segments, each, strict=True):
        if not _verify(segment, plan, candidates, segment.matched, check, clock):
            return check
    if sample is not None:
        check.sampled = []
        for segment, candidates in zip(segments, sample, strict=True):
            holds = np.zeros(segment.facts.size, dtype=bool)
            if not _verify(segment, plan, candidates, holds, check, clock):
                check.sampled = None
                return check
            check.sampled.append(holds)
    return check


def _filter_mask(facts: matching.SegmentFacts, facet: str, wanted: str, floors) -> np.ndarray:
    if facet == "date":
        if wanted == "older":
            return facts.date < floors["year"]
        return facts.date >= floors[wanted]
    if facet == "topic":
        found = facts.topics.get(wanted)
        return found if found is not None else np.zeros(facts.size, dtype=bool)
    names = facts.names[facet]
    if wanted not in names:
        return np.zeros(facts.size, dtype=bool)
    return facts.codes[facet] == names.index(wanted)


def _count(facts, facet: str, docnums: np.ndarray, counts: Counter, floors) -> None:
    if facet == "date":
        dates = facts.date[docnums]
        for name in DATE_RANGES:
            if name == "older":
                number = np.count_nonzero(dates < floors["year"])
            else:
                number = np.count_nonzero(dates >= floors[name])
            if number:
                counts[name] += int(number)
    elif facet == "topic":
        for name, present in facts.topics.items():
            number = np.count_nonzero(present[docnums])
            if number:
                counts[name] += int(number)
    else:
        codes = facts.codes[facet][docnums]
        names = facts.names[facet]
        for code, number in enumerate(np.bincount(codes + 1, minlength=len(names) + 1)[1:]):
            if number:
                counts[names[code]] += int(number)


@dataclass
class _Tally:
    total: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: {f: Counter() for f in FACETS})
    # (primary key, secondary key, -global docnum, shown score) of the best hits.
    best: list = field(default_factory=list)


def _tally(
    segments, filters: dict[str, str], keep: int, newest: bool, now: float, facets=True
) -> _Tally:
    """The total, the facet counts (each facet without its own filter; unless `facets`
    is false) and the best `keep` hits of every segment."""
    floors = {name: now - days * 86400 for name, days in DATE_RANGES.items() if days}
    tally = _Tally()
    for segment in segments:
        facts = segment.facts
        masks = {facet: _filter_mask(facts, facet, v, floors) for facet, v in filters.items()}
        kept = segment.matched.copy()
        for mask in masks.values():
            kept &= mask
        kept_docnums = np.flatnonzero(kept)
        tally.total += len(kept_docnums)
        for facet in FACETS if facets else ():
            if facet in masks:
                others = segment.matched.copy()
                for other, mask in masks.items():
                    if other != facet:
                        others &= mask
                docnums = np.flatnonzero(others)
            else:
                docnums = kept_docnums
            _count(facts, facet, docnums, tally.counts[facet], floors)
        if not len(kept_docnums) or not keep:
            continue
        shown = segment.score[kept_docnums] * matching.rank_factors(
            facts,
            kept_docnums,
            now,
            RECENCY_BONUS,
            RECENCY_HALF_LIFE_DAYS,
            ACCEPTED_BONUS,
            POPULARITY_BONUS,
            POPULARITY_SATURATION,
        )
        dates = facts.date[kept_docnums]
        primary, secondary = (dates, shown) if newest else (shown, dates)
        if len(kept_docnums) > keep:
            best = np.argpartition(-primary, keep - 1)[:keep]
        else:
            best = np.arange(len(kept_docnums))
        for index in best.tolist():
            tally.best.append(
                (
                    float(primary[index]),
                    float(secondary[index]),
                    -(segment.offset + int(kept_docnums[index])),
                    float(shown[index]),
                )
            )
    tally.best.sort(reverse=True)
    del tally.best[keep:]
    return tally


def _estimate(tally: _Tally, check: _PhraseCheck, segments, filters, now: float) -> None:
    """Turn the counts of the checked candidates into estimates for all of them: add the
    sample's counts, each weighted; out of time, scale up what was checked."""
    if check.sampled is not None:
        sampled = [
            replace(segment, matched=holds)
            for segment, holds in zip(segments, check.sampled, strict=True)
        ]
        extra = _tally(sampled, filters, 0, False, now)
        tally.total += extra.total * check.weight
        for facet, counts in extra.counts.items():
            for value, number in counts.items():
                tally.counts[facet][value] += number * check.weight
        return
    scale = check.candidates / check.checked if check.checked else 0.0
    tally.total *= scale
    for counts in tally.counts.values():
        for value in counts:
            counts[value] *= scale


def _segments(searcher, plan: Plan | None, tokens: frozenset[str]) -> list[_Segment]:
    segments = []
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        facts = matching.segment_facts(reader)
        allowed = matching.visible(facts, tokens, ALL_ORGANISATIONS)
        living = matching.alive(reader, facts.size)
        if living is not None:
            allowed &= living
        matched, scores = _match_segment(searcher, reader, facts, plan, allowed)
        segments.append(_Segment(reader, offset, facts, matched, scores))
    return segments


def _finds_anything(searcher, plan: Plan, tokens, filters: dict[str, str], now: float) -> bool:
    segments = _segments(searcher, plan, tokens)
    if plan.phrases:
        _check_phrases(segments, plan, matching.Clock(TIME_LIMIT))
    return _tally(segments, filters, 0, False, now).total > 0


# Similar documents read at most this many words of the text they are like.
MAX_SIMILAR_WORDS = 12


def find_similar(searcher, tokens: frozenset[str], text: str, *, kind: str, limit: int):
    """Up to `limit` documents of `kind` the viewer may see that share any of the first
    MAX_SIMILAR_WORDS words of `text` (read as plain words, no syntax), best first: BM25F
    with the title boosted, so rare shared words count most."""
    analyzer = searcher.schema["title"].analyzer
    words: list[str] = []
    for token in analyzer(text or ""):  # lazy: a long paste is read only this far
        if token.text not in words:
            words.append(token.text)
            if len(words) == MAX_SIMILAR_WORDS:
                break
    if not words or limit < 1:
        return []
    plan = Plan(groups=[[Term("word", (word,)) for word in words]], exclusions=[])
    now = (datetime.now(UTC).replace(tzinfo=None) - _EPOCH).total_seconds()
    segments = _segments(searcher, plan, tokens)
    tally = _tally(segments, {"kind": kind}, limit, False, now, facets=False)
    hits = []
    for _, _, negative_docnum, score in tally.best:
        stored = searcher.stored_fields(-negative_docnum)
        hits.append(Hit(stored["kind"], int(stored["object_id"]), score))
    return hits


# "Did you mean" suggests only when a search finds fewer results than this.
SUGGEST_BELOW = 5
_SUGGESTIONS = matching.SizedCache(capacity=10_000)


def _better_word(searcher, word: str) -> str | None:
    """The nearest word of the index to `word` (in the unstemmed spelling field), looked
    for among words with the same first letter (SEARCH-NOTES.md: a full scan computes
    an edit distance to every word of the index); cached per index version."""
    key = (_index_version(searcher), word)
    if key[0] is not None:
        found = _SUGGESTIONS.get(key)
        if found is not None:
            return found or None
    suggestions = searcher.corrector("spelling").suggest(word, limit=1, maxdist=2, prefix=1)
    better = suggestions[0] if suggestions and suggestions[0] != word else ""
    if key[0] is not None:
        _SUGGESTIONS.put(key, better, 1)
    return better or None


def _spelling_suggestion(searcher, parsed: ParsedQuery, tokens, request, now) -> str | None:
    """The query with unknown words replaced by the nearest words of the index, when
    that changes something and finds a result."""
    reader = searcher.reader()
    changed = False
    groups = []
    for group in parsed.groups:
        new_group = []
        for clause in group:
            words = []
            for word in clause.words:
                better = None
                if (
                    not clause.prefix
                    and len(word) > 2
                    and not word.isdigit()
                    and reader.doc_frequency("spelling", word) == 0
                ):
                    better = _better_word(searcher, word)
                changed = changed or better is not None
                words.append(better or word)
            new_group.append(Clause(words=tuple(words), prefix=clause.prefix))
        groups.append(new_group)
    if not changed:
        return None
    corrected = plan_query(searcher, parsed, groups)
    if corrected is None or not _finds_anything(searcher, corrected, tokens, request.filters, now):
        return None
    return parsed.text(groups)


# Results of popular searches are kept per index version: a new commit or a rebuild
# changes the version, so nothing stale is served; the age limit keeps the date facets
# ("this week") and the recency bonus current.
RESULTS_CACHE_SECONDS = 120
_RESULTS = matching.SizedCache(capacity=500)


def clear_caches() -> None:
    """Forget cached results and suggestions (the benchmark's cold runs; tests)."""
    _RESULTS.clear()
    _SUGGESTIONS.clear()


def _index_version(searcher):
    """(folder, generation) of the index `searcher` reads, or None if unknown."""
    index = getattr(searcher, "_ix", None)
    folder = getattr(getattr(index, "storage", None), "folder", None)
    if folder is None:
        return None
    return folder, searcher.reader().generation()


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
    version = _index_version(searcher) if now is None and time_limit == TIME_LIMIT else None
    key = (version, tokens, request, per_page)
    if version is not None:
        cached = _RESULTS.get(key)
        if cached is not None and time.monotonic() - cached[0] < RESULTS_CACHE_SECONDS:
            return replace(cached[1], notices=list(cached[1].notices))
    results = _search(searcher, tokens, request, per_page, time_limit, now)
    if version is not None and not results.timed_out:
        _RESULTS.put(key, (time.monotonic(), results), 1)
    return results


def _search(searcher, tokens, request, per_page, time_limit, now) -> SearchResults:
    clock = matching.Clock(time_limit)
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    now_seconds = (now - _EPOCH).total_seconds()
    parsed = parse_user_query(request.q)
    results = SearchResults(request=request, per_page=per_page, notices=list(parsed.notices))
    results.searched = parsed.text() if parsed.groups else ""
    plan = plan_query(searcher, parsed) if parsed.groups else None
    if plan is None:
        if parsed.groups:
            results.notices.append(
                "Words like “the” and “of” are too common to search for: try a more specific word."
            )
        if not request.filters:
            return results
    segments = _segments(searcher, plan, tokens)
    check = None
    if plan is not None and plan.phrases:
        check = _check_phrases(segments, plan, clock)
    keep = request.page * per_page
    newest = request.sort == "newest" or plan is None
    tally = _tally(segments, request.filters, keep, newest, now_seconds)
    if check is not None and check.checked < check.candidates:
        results.approximate = True
        _estimate(tally, check, segments, request.filters, now_seconds)
        if check.timed_out:
            results.timed_out = True
            results.notices.append(
                "This search took too long to finish, so these are the best results found "
                "in the time allowed. More specific words give complete results."
            )
    results.total = round(tally.total)
    pages = max(1, math.ceil(results.total / per_page))
    results.page = min(request.page, pages)
    page_hits = tally.best[(results.page - 1) * per_page : results.page * per_page]
    for _, _, negative_docnum, score in page_hits:
        stored = searcher.stored_fields(-negative_docnum)
        results.hits.append(Hit(stored["kind"], int(stored["object_id"]), score))
    for facet in FACETS:
        selected = request.filters.get(facet)
        counts = {value: round(n) for value, n in tally.counts[facet].items()}
        if facet == "date":
            order = [name for name in DATE_RANGES if counts.get(name)]
        else:
            order = sorted(counts, key=lambda value: (-counts[value], value))
        if selected and selected not in order:
            order.append(selected)
        results.facets[facet] = [
            FacetCount(value, counts.get(value, 0), value == selected) for value in order
        ]
    if plan is not None:
        results.terms = highlight_terms(plan)
        if results.total < SUGGEST_BELOW:
            results.suggestion = _spelling_suggestion(
                searcher, parsed, tokens, request, now_seconds
            )
    return results
