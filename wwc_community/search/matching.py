"""Matching, counting and ranking with whole-segment arrays instead of Whoosh's
per-document Python loop.

Whoosh walks the matches of a query one document at a time in Python: for a common word
at 100,000 documents that is tens of thousands of `next()`, `score()` and facet look-ups
per search (docs/search.md measured where the time goes). Here each segment is read as
numpy arrays instead: a word's postings (document numbers and weights) are decoded a
block at a time, the query's AND/OR/NOT become operations on boolean arrays the size of
the segment, BM25 is computed for every match at once, and facet counts are `bincount`s.
Whoosh still owns the files, the analyzers, the lexicon and the statistics (idf, average
field lengths); this module only reads them.

Segments never change once written (deletions are kept beside them), so the arrays
built from a segment are cached by its id and survive every commit that adds a new one.

Whoosh internals used here (pinned to whoosh-reloaded 2.7.5; tests/search/
test_matching.py compares every figure with Whoosh's own searcher, so an upgrade that
changes them fails a test instead of ranking silently wrong): the block fields of
`W3LeafMatcher` and the per-document field length column `_<field>_len`.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length

from wwc_community.search.schema import KINDS

# Fields a word is looked for in (the title's weights carry its boost).
TEXT_FIELDS = ("title", "body")
# BM25's free parameters, Whoosh's defaults.
BM25_B = 0.75
BM25_K1 = 1.2
# Values of a single-valued facet, and the field each is read from.
CODED_FACETS = {"kind": "kind", "state": "state", "band": "band"}
CODED_FACETS.update(organisation="organisation", tier="tier")
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_SECONDS_PER_DAY = 86_400.0
_EPOCH = datetime(1970, 1, 1)


# Postings ---------------------------------------------------------------------------------


@dataclass
class Postings:
    """One word's postings in one segment: sorted document numbers, the weights (term
    frequency times the field's boost) and, when asked for, the raw position values."""

    ids: np.ndarray
    weights: np.ndarray
    values: tuple | None = None

    @property
    def size(self) -> int:
        return len(self.ids)


_EMPTY = Postings(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), ())


def _decode_postings(reader, fieldname: str, text: str, with_values: bool) -> Postings:
    if (fieldname, text) not in reader:
        return _EMPTY
    matcher = reader.postings(fieldname, text)
    ids: list = []
    weights: list = []
    values: list = []
    if isinstance(matcher, whoosh3.W3LeafMatcher) and not matcher._byteids:
        # A block at a time: ids are delta-encoded from 0 within each block.
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
            matcher._read_weights()
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            if with_values:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
        if not ids:
            return _EMPTY
        return Postings(
            np.concatenate(ids), np.concatenate(weights), tuple(values) if with_values else None
        )
    # Postings inlined in the term info (a word in one document) and any other matcher.
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if with_values:
            values.append(matcher.value())
        matcher.next()
    return Postings(
        np.asarray(ids, dtype=np.int64),
        np.asarray(weights, dtype=np.float32),
        tuple(values) if with_values else None,
    )


class SizedCache:
    """A least-recently-used cache bounded by the total size of its entries."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.used = 0
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                return entry[0]
        return None

    def put(self, key, value, size: int) -> None:
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = (value, size)
            self.used += size
            while self.used > self.capacity and len(self.entries) > 1:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0


# About 40 MB of decoded postings per process (a posting: 8 + 4 bytes, positions more).
_POSTINGS_CACHE = SizedCache(capacity=3_000_000)
_FACTS_CACHE = SizedCache(capacity=64)


def segment_key(reader) -> str | None:
    segment = getattr(reader, "segment", None)
    return segment().segment_id() if callable(segment) else None


def postings(reader, fieldname: str, text: str, with_values: bool = False) -> Postings:
    """The postings of `text` in `fieldname` of one segment's `reader`, cached."""
    key = segment_key(reader)
    if key is None:
        return _decode_postings(reader, fieldname, text, with_values)
    cache_key = (key, fieldname, text, with_values)
    found = _POSTINGS_CACHE.get(cache_key)
    if found is None:
        found = _decode_postings(reader, fieldname, text, with_values)
        _POSTINGS_CACHE.put(cache_key, found, found.size * (4 if with_values else 1) + 1)
    return found


# What each segment knows about its documents ---------------------------------------------


@dataclass
class SegmentFacts:
    """Per-document arrays of one segment: facet values, visibility, ranking inputs and
    field lengths, indexed by the segment's document numbers."""

    size: int
    # Single-valued facets: a code per document (-1: none) and the values by code.
    codes: dict[str, np.ndarray]
    names: dict[str, list[str]]
    # Topics (several per document): a boolean array per topic.
    topics: dict[str, np.ndarray]
    # Visibility tokens: the documents holding each (one token per organisation with
    # drafts, so kept sparse).
    visibility: dict[str, np.ndarray]
    date: np.ndarray  # seconds since 1970 (0: none)
    popularity: np.ndarray
    accepted: np.ndarray
    lengths: dict[str, np.ndarray] = field(default_factory=dict)


def _coded(reader, fieldname: str, size: int, order=None) -> tuple[np.ndarray, list[str]]:
    codes = np.full(size, -1, dtype=np.int32)
    names: list[str] = list(order or ())
    if fieldname in reader.indexed_field_names():
        for term in reader.lexicon(fieldname):
            name = term.decode("utf-8")
            if name not in names:
                names.append(name)
            codes[_decode_postings(reader, fieldname, name, False).ids] = names.index(name)
    return codes, names


def _flags(reader, fieldname: str, size: int) -> dict[str, np.ndarray]:
    flags = {}
    if fieldname in reader.indexed_field_names():
        for term in reader.lexicon(fieldname):
            name = term.decode("utf-8")
            present = np.zeros(size, dtype=bool)
            present[_decode_postings(reader, fieldname, name, False).ids] = True
            flags[name] = present
    return flags


def _numbers(column, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, present) of a numeric column reader, read as one array."""
    values = np.zeros(size, dtype=np.int64)
    present = np.zeros(size, dtype=bool)
    count = min(column._count, size)
    data = column._dbfile.get(column._basepos, count * column._fixedlen)
    raw = np.frombuffer(data, dtype=">" + column._typecode)[:count]
    present[:count] = raw != column._default
    values[:count] = np.where(present[:count], raw, 0).astype(np.int64)
    return values, present


def _raw_column(reader, fieldname: str, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, present) of a sortable numeric column: the raw integers the field's
    to_column_value wrote, and False where a document has no value."""
    if not reader.has_column(fieldname):
        return np.zeros(size, dtype=np.int64), np.zeros(size, dtype=bool)
    return _numbers(reader.column_reader(fieldname, translate=False), size)


def _dates(reader, size: int) -> np.ndarray:
    """Seconds since 1970 of the date column (0: none); the column holds microseconds
    since datetime.min."""
    values, present = _raw_column(reader, "date", size)
    epoch = reader.schema["date"].to_column_value(_EPOCH)
    return np.where(present, (values - epoch) / 1e6, 0.0)


def _popularity(reader, size: int) -> np.ndarray:
    """The popularity column (0: none); signed integers are stored shifted."""
    values, present = _raw_column(reader, "popularity", size)
    zero = reader.schema["popularity"].to_column_value(0)
    return np.where(present, values - zero, 0).astype(np.float32)


def _field_lengths(reader, fieldname: str, size: int) -> np.ndarray:
    """Each document's length of `fieldname` in words (as Whoosh rounds it to a byte)."""
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None:
        column = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
    if column is None:  # a reader of another kind: the public, slower way
        return np.array(
            [reader.doc_field_length(d, fieldname, 0) or 0 for d in range(size)],
            dtype=np.float32,
        )
    values, _ = _numbers(column, size)
    return _LENGTH_OF_BYTE[values]


def _build_facts(reader) -> SegmentFacts:
    size = reader.doc_count_all()
    codes, names = {}, {}
    for facet, fieldname in CODED_FACETS.items():
        codes[facet], names[facet] = _coded(
            reader, fieldname, size, KINDS if facet == "kind" else None
        )
    accepted = np.zeros(size, dtype=bool)
    accepted_flags = _flags(reader, "accepted", size)
    if "t" in accepted_flags:
        accepted = accepted_flags["t"]
    return SegmentFacts(
        size=size,
        codes=codes,
        names=names,
        topics=_flags(reader, "topics", size),
        visibility={
            term.decode("utf-8"): _decode_postings(reader, "visibility", term.decode(), False).ids
            for term in reader.lexicon("visibility")
        }
        if "visibility" in reader.indexed_field_names()
        else {},
        date=_dates(reader, size),
        popularity=_popularity(reader, size),
        accepted=accepted,
        lengths={name: _field_lengths(reader, name, size) for name in TEXT_FIELDS},
    )


def segment_facts(reader) -> SegmentFacts:
    """The arrays of `reader`'s segment, cached by segment id."""
    key = segment_key(reader)
    if key is None:
        return _build_facts(reader)
    facts = _FACTS_CACHE.get(key)
    if facts is None:
        facts = _build_facts(reader)
        _FACTS_CACHE.put(key, facts, 1)
    return facts


def alive(reader, size: int) -> np.ndarray | None:
    """False for the documents deleted from the segment; None when there are none."""
    if not reader.has_deletions():
        return None
    mask = np.ones(size, dtype=bool)
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is not None:
        listed = perdoc.deleted_docs()
    else:
        listed = (docnum for docnum in range(size) if reader.is_deleted(docnum))
    deleted = np.fromiter(listed, dtype=np.int64)
    mask[deleted[deleted < size]] = False
    return mask


def visible(facts: SegmentFacts, tokens: frozenset[str], every_organisation: str) -> np.ndarray:
    """True for the documents holding one of the viewer's visibility tokens."""
    mask = np.zeros(facts.size, dtype=bool)
    for token, holders in facts.visibility.items():
        if token in tokens or (every_organisation in tokens and token.startswith("org:")):
            mask[holders] = True
    return mask


# Scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermStats:
    """What BM25 needs of a word beyond its postings, from the whole index."""

    idf: float
    average_length: float


def term_stats(searcher, fieldname: str, text: str) -> TermStats:
    return TermStats(
        idf=searcher.idf(fieldname, text),
        average_length=searcher.avg_field_length(fieldname) or 1.0,
    )


def bm25(stats: TermStats, weights: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Whoosh's BM25F (scoring.bm25) for every posting at once."""
    norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / stats.average_length)
    return (stats.idf * (weights * (BM25_K1 + 1)) / (weights + norm)).astype(np.float32)


def rank_factors(
    facts: SegmentFacts,
    docnums: np.ndarray,
    now: float,
    recency: float,
    half_life_days: float,
    accepted_bonus: float,
    popularity_bonus: float,
    saturation: float,
) -> np.ndarray:
    """The multiplier each document's text score is ranked by: 1 + `recency` halving
    every `half_life_days` + `accepted_bonus` for a thread with an accepted answer +
    up to `popularity_bonus`, reached at `saturation` votes or marks (log scale)."""
    dates = facts.date[docnums]
    age = np.where(dates > 0, (now - dates) / _SECONDS_PER_DAY, 3650.0)
    factor = 1.0 + recency * 0.5 ** (np.maximum(age, 0.0) / half_life_days)
    popular = np.log1p(np.maximum(facts.popularity[docnums], 0.0)) / np.log1p(saturation)
    factor += popularity_bonus * np.minimum(1.0, popular)
    factor += np.where(facts.accepted[docnums], accepted_bonus, 0.0)
    return factor


class Clock:
    """A deadline checked between pieces of slow work."""

    def __init__(self, limit: float):
        self.deadline = time.perf_counter() + limit

    def expired(self) -> bool:
        return time.perf_counter() > self.deadline


def clear_caches() -> None:
    """Forget every cached array (tests)."""
    _POSTINGS_CACHE.clear()
    _FACTS_CACHE.clear()
