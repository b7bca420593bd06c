"""Measure search on N synthetic documents: Whoosh with the project's schema and queries
against SQLite FTS5 on the same documents, and print the table docs/search.md keeps.

    .venv/bin/python bench/search.py                      # 10,000 documents
    .venv/bin/python bench/search.py --docs 100000 --procs 2

Deterministic (seeded), offline, and bounded in time: every query type runs a fixed
number of times or until its time budget is spent, whichever comes first.
"""

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

# Runnable as a plain script from the repository's root (no install of "bench" needed).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import whoosh  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh import qparser, sorting  # noqa: E402
from whoosh.query import And, Or, Term  # noqa: E402

from wwc_community.search.schema import (  # noqa: E402
    KINDS,
    MEMBERS,
    PUBLIC,
    build_schema,
    organisation_token,
)

try:  # helper S2's query layer; the benchmark falls back to plain Whoosh without it
    from wwc_community.search import queries as project_queries  # noqa: E402
except ImportError:
    project_queries = None

# ---------------------------------------------------------------------------------------
# Documents

STOP_WORDS = (
    "the of and to a in for is on that with by as are at be this from it or an was we our their"
).split()

# Real words of the domain, most frequent first. Word i takes Zipf rank 26 + i**1.6, so
# the first few are common (about half the documents hold "data") and the last are rare.
DOMAIN_WORDS = (
    "data city results performance program budget residents services open department "
    "team council evaluation staff public community outcomes measures process report "
    "dashboard goals management analysis driven partners contract housing health plan "
    "contracting vendors procurement funding police transit survey equity workforce "
    "training library parks permits water streets safety youth grants pilot trial "
    "evidence metrics baseline targets review portal inventory governance policy "
    "engagement leaders capacity analytics quarterly annual mayor manager office "
    "neighborhood district county state federal nonprofit university researchers "
    "randomized comparison impact cost savings revenue spending allocation repurposing "
    "accountability transparency publishing standards catalog release privacy "
    "stakeholders feedback listening sessions workshops focus groups interviews "
    "homelessness eviction employment reentry childcare literacy attendance graduation "
    "emissions recycling sanitation potholes paving lighting code enforcement "
    "inspections licensing zoning broadband digital inclusion benchmarks scorecard "
    "logic model theory change fidelity implementation scaling replication "
    "sustainability rubric tier certification assessment maturity roadmap charter "
    "ordinance resolution appropriation deficit forecasting actuarial pension overtime "
    "dispatch response times backlog caseload intake referrals eligibility "
    "microsimulation quasi experimental regression discontinuity"
).split()

RARE_WORD = "recidivism"  # placed at Zipf rank 8,000: a few hundred of 100,000 documents
RARE_RANK = 8_000
VOCABULARY_SIZE = 20_000
ZIPF_EXPONENT = 1.0

# Phrases people write, spliced into the text so that phrase queries mean something.
COLLOCATIONS = (
    "open data",
    "results driven contracting",
    "performance management",
    "program evaluation",
    "data governance",
    "budget process",
    "stakeholder engagement",
    "randomized controlled trial",
    "city council",
    "performance dashboard",
)

TOPICS = (
    "data-governance-and-management",
    "open-data",
    "performance-and-analytics",
    "evaluations",
    "results-driven-contracting",
    "stakeholder-engagement",
    "budgeting-and-repurposing-for-results",
    "leadership-and-capacity",
)
TIERS = ("strong", "moderate", "promising", "emerging")
KIND_WEIGHTS = {"thread": 55, "practice": 20, "event": 10, "member": 15}
DATE_END = datetime(2026, 5, 1, 12, 0)
DATE_SPAN_SECONDS = 730 * 24 * 3600

# Fifty states with their share of the 300 cities (rough, fixed: no network needed).
STATES = (
    "CA TX FL NY IL PA OH GA NC MI NJ VA WA AZ MA TN IN MO MD WI CO MN SC AL LA KY OR OK "
    "CT UT IA NV AR MS KS NM NE ID WV HI NH ME MT RI DE SD ND AK VT WY"
).split()
PLACE_PARTS = (
    "spring river lake oak cedar maple pine fair green brook mill port bridge haven "
    "field wood glen ridge view stone rock hill dale ford north south east west new mount "
    "saint grand clear silver golden"
).split()
PLACE_ENDS = ("ton", "ville", "burg", "field", "wood", "port", "dale", " city", " falls")


@dataclass
class Document:
    """One synthetic searchable object: its text (what the database would hold) and
    its facet values (what the index stores)."""

    doc_id: str
    kind: str
    object_id: int
    title: str
    body: str
    topics: list[str]
    city: str
    state: str
    band: str
    organisation: str
    tier: str | None
    visibility: list[str]
    accepted: bool
    date: datetime
    popularity: int

    def whoosh_fields(self) -> dict:
        """The fields as the indexer writes them (schema.build_schema)."""
        fields = {
            "doc_id": self.doc_id,
            "kind": self.kind,
            "object_id": self.object_id,
            "title": self.title,
            "body": self.body,
            "spelling": f"{self.title} {self.body}",
            "topics": ",".join(self.topics),
            "city": self.city,
            "state": self.state,
            "band": self.band,
            "organisation": self.organisation,
            "visibility": " ".join(self.visibility),
            "accepted": self.accepted,
            "date": self.date,
            "popularity": self.popularity,
        }
        if self.tier:
            fields["tier"] = self.tier
        return fields


def pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """Pronounceable made-up words that are not real words of the lists above."""
    onsets = "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr st tr ch sh th".split()
    vowels = "a e i o u ai ea io ou".split()
    codas = ["", "", "", "n", "r", "s", "l", "m", "nt", "st"]
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.choice((2, 2, 3, 3, 4)))
        )
        if word not in seen and len(word) >= 4:
            seen.add(word)
            words.append(word)
    return words


def build_vocabulary(rng: random.Random) -> list[str]:
    """20,000 words in Zipf rank order: stop words, then domain words spread over the
    ranks, the rare word at its rank, and made-up words filling the rest."""
    slots: list[str | None] = [None] * VOCABULARY_SIZE
    for i, word in enumerate(STOP_WORDS):
        slots[i] = word
    for i, word in enumerate(DOMAIN_WORDS):
        rank = len(STOP_WORDS) + int(i**1.6)
        while slots[rank] is not None:
            rank += 1
        slots[rank] = word
    slots[RARE_RANK] = RARE_WORD
    taken = set(STOP_WORDS) | set(DOMAIN_WORDS) | {RARE_WORD, "reslts", "contractng"}
    fillers = iter(pseudo_words(rng, slots.count(None), taken))
    return [word if word is not None else next(fillers) for word in slots]


@dataclass
class Place:
    slug: str
    state: str
    band: str


def build_places(rng: random.Random) -> list[Place]:
    """300 cities with a state and a population band (the project's PopulationBand)."""
    bands = ("30k-100k", "100k-250k", "250k-1m", "1m+")
    band_weights = (60, 25, 12, 3)
    places, slugs = [], set()
    while len(places) < 300:
        name = rng.choice(PLACE_PARTS) + rng.choice(PLACE_ENDS)
        state = STATES[min(int(rng.paretovariate(1.2)) - 1, len(STATES) - 1)]
        slug = f"{name.replace(' ', '-')}-{state.lower()}"
        if slug in slugs:
            continue
        slugs.add(slug)
        places.append(Place(slug, state, rng.choices(bands, band_weights)[0]))
    return places


class Corpus:
    """Generates documents deterministically from one seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vocabulary = build_vocabulary(random.Random(seed + 1))
        self.places = build_places(random.Random(seed + 2))
        weights = [1.0 / (rank + 1) ** ZIPF_EXPONENT for rank in range(VOCABULARY_SIZE)]
        total, self.cumulative = 0.0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.organisations = [f"city-of-{place.slug}" for place in self.places[:150]] + [
            f"partner-{n}" for n in range(1, 31)
        ]

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def text(self, count: int, collocations: int) -> str:
        words = self.words(count)
        for _ in range(collocations):
            phrase = COLLOCATIONS[min(int(self.rng.paretovariate(1.0)) - 1, 9)]
            at = self.rng.randrange(len(words))
            words[at : at + 1] = phrase.split()
        return " ".join(words)

    def document(self, number: int) -> Document:
        rng = self.rng
        kind = rng.choices(KINDS, [KIND_WEIGHTS[k] for k in KINDS])[0]
        place = self.places[min(int(rng.paretovariate(0.8)) - 1, len(self.places) - 1)]
        organisation = rng.choice(self.organisations)
        if kind == "practice":
            roll = rng.random()
            visibility = (
                [PUBLIC]
                if roll < 0.85
                else [organisation_token(self.organisations.index(organisation) + 1)]
            )
        elif kind == "event":
            visibility = [PUBLIC] if rng.random() < 0.7 else [MEMBERS]
        else:
            visibility = [MEMBERS]
        title = self.text(rng.randint(6, 10), 1 if rng.random() < 0.3 else 0)
        body = self.text(rng.randint(150, 250), rng.choices((0, 1, 2, 3), (4, 3, 2, 1))[0])
        title = title[:1].upper() + title[1:]
        return Document(
            doc_id=f"{kind}:{number}",
            kind=kind,
            object_id=number,
            title=title,
            body=body,
            topics=rng.sample(TOPICS, rng.choice((1, 1, 2, 3))),
            city=place.slug,
            state=place.state,
            band=place.band,
            organisation=organisation,
            tier=rng.choice(TIERS) if kind == "practice" else None,
            visibility=visibility,
            accepted=kind == "thread" and rng.random() < 0.3,
            date=DATE_END - timedelta(seconds=rng.randrange(DATE_SPAN_SECONDS)),
            popularity=min(int(rng.paretovariate(1.5)) - 1, 500),
        )

    def documents(self, count: int) -> list[Document]:
        return [self.document(n) for n in range(1, count + 1)]


# ---------------------------------------------------------------------------------------
# The query mix

VISITOR = (PUBLIC,)
MEMBER = (PUBLIC, MEMBERS)
VIEWERS = {"visitor": VISITOR, "member": MEMBER}


@dataclass(frozen=True)
class QueryCase:
    name: str
    text: str
    kind: str | None = None  # a facet filter
    facets: bool = False  # facet counts beside the results
    suggest: bool = False  # "did you mean" expected


QUERY_MIX = (
    QueryCase("one common word", "data"),
    QueryCase("one rare word", RARE_WORD),
    QueryCase("two words", "performance dashboard"),
    QueryCase("phrase", '"open data"'),
    QueryCase("misspelling + did you mean", "reslts driven contracting", suggest=True),
    QueryCase("two words + filter + facets", "budget evaluation", kind="practice", facets=True),
)
# The facets the page counts beside every result list (queries.FACETS), as index fields
# and as FTS5 columns.
WHOOSH_FACETS = ("kind", "topics", "state", "band", "organisation", "tier")
DATE_RANGES = {"week": 7, "month": 30, "year": 365}


@dataclass
class Answer:
    """What a results page needs, whichever engine produced it."""

    total: int
    ids: list[str]
    snippets: list[str]
    suggestion: str | None = None
    facets: dict = field(default_factory=dict)
    timed_out: bool = False


class DirectWhoosh:
    """Plain Whoosh the way its documentation shows it: search_page with a filter, facet
    counts through groupedby, Hit.highlights on the text, correct_query when nothing is
    found. The fallback while queries.run_search does not exist, and (--engine direct) the
    baseline that shows what the project's query layer changes."""

    label = "plain Whoosh (search_page + groupedby + highlights + correct_query)"

    def __init__(self, bodies: dict[str, str]):
        self.bodies = bodies
        self.schema = build_schema()
        self.parser = qparser.MultifieldParser(["title", "body"], self.schema)
        self.spelling_parser = qparser.QueryParser("spelling", self.schema)
        self.groupedby = {
            name: sorting.FieldFacet(name, allow_overlap=name == "topics", maptype=sorting.Count)
            for name in WHOOSH_FACETS
        }

    def search(self, searcher, viewer_tokens, case: QueryCase) -> Answer:
        query = self.parser.parse(case.text)
        allowed = Or([Term("visibility", token) for token in viewer_tokens])
        restrict = And([allowed, Term("kind", case.kind)]) if case.kind else allowed
        page = searcher.search_page(query, 1, pagelen=10, filter=restrict, groupedby=self.groupedby)
        ids, snippets = [], []
        for hit in page:
            ids.append(hit["doc_id"])
            snippets.append(hit.highlights("body", text=self.bodies[hit["doc_id"]]))
        suggestion = None
        if page.total == 0:
            spelled = self.spelling_parser.parse(case.text)
            correction = searcher.correct_query(spelled, case.text)
            if correction.query != spelled:
                suggestion = correction.string
        facets = {name: page.results.groups(name) for name in WHOOSH_FACETS}
        return Answer(page.total, ids, snippets, suggestion, facets)


class ProjectWhoosh:
    """The project's own query layer, as the search page calls it: run_search for the
    hits, the total, the facet counts and "did you mean", then results.snippet on the
    text of each hit (the page reads that text from the database; here, from memory)."""

    label = "wwc_community.search.queries.run_search + results.snippet"
    # "warm": the per-segment arrays and decoded postings are cached (as in a running
    # site), the results are not; "cold": every cache emptied before each search (the
    # first search after a process starts); "cached": the site's results cache, which
    # answers a repeated search until the index changes.
    MODES = ("warm", "cold", "cached")

    def __init__(self, bodies: dict[str, str], mode: str = "warm"):
        from wwc_community.search.results import snippet

        self.bodies = bodies
        self.snippet = snippet
        self.mode = mode

    def search(self, searcher, viewer_tokens, case: QueryCase) -> Answer:
        from wwc_community.search import matching

        if self.mode == "cold":
            matching.clear_caches()
            project_queries.clear_caches()
        request = project_queries.SearchRequest(q=case.text, kind=case.kind)
        found = project_queries.run_search(
            searcher,
            frozenset(viewer_tokens),
            request,
            now=None if self.mode == "cached" else DATE_END,
        )
        ids = [f"{hit.kind}:{hit.object_id}" for hit in found.hits]
        snippets = [str(self.snippet(self.bodies[doc_id], found.terms)) for doc_id in ids]
        facets = {
            name: {count.value: count.count for count in counts}
            for name, counts in found.facets.items()
        }
        return Answer(found.total, ids, snippets, found.suggestion, facets, found.timed_out)


ENGINES = {"project": ProjectWhoosh, "direct": DirectWhoosh}


def whoosh_engine(choice: str | None, bodies):
    """The project's query layer when it exists (or when asked for), else plain Whoosh."""
    if choice is None:
        choice = "project" if hasattr(project_queries, "run_search") else "direct"
    return ENGINES[choice](bodies)


# ---------------------------------------------------------------------------------------
# SQLite FTS5, the reference


FTS_DDL = """
CREATE TABLE doc (
    id INTEGER PRIMARY KEY, doc_id TEXT UNIQUE, kind TEXT, city TEXT, state TEXT,
    band TEXT, organisation TEXT, tier TEXT, visibility TEXT, accepted INTEGER,
    date TEXT, popularity INTEGER);
CREATE INDEX doc_kind ON doc (kind);
CREATE TABLE doc_topic (topic TEXT, doc INTEGER, PRIMARY KEY (topic, doc)) WITHOUT ROWID;
CREATE VIRTUAL TABLE doc_text USING fts5 (title, body, tokenize='porter');
"""


class Fts5:
    """SQLite FTS5 with the porter tokenizer, bm25 (title weighted 3 to body's 1) and
    snippet(): what a user would otherwise pick."""

    def __init__(self, path: Path):
        self.path = path
        self.connection = sqlite3.connect(path)
        self.connection.execute("PRAGMA journal_mode = WAL")

    def build(self, documents: list[Document]) -> None:
        db = self.connection
        db.executescript(FTS_DDL)
        with db:
            for number, doc in enumerate(documents, start=1):
                self._insert(number, doc)

    def _insert(self, number: int, doc: Document) -> None:
        db = self.connection
        db.execute(
            "INSERT INTO doc VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                doc.doc_id,
                doc.kind,
                doc.city,
                doc.state,
                doc.band,
                doc.organisation,
                doc.tier,
                doc.visibility[0],
                doc.accepted,
                doc.date.isoformat(),
                doc.popularity,
            ),
        )
        db.executemany(
            "INSERT INTO doc_topic VALUES (?, ?)", [(topic, number) for topic in doc.topics]
        )
        db.execute(
            "INSERT INTO doc_text (rowid, title, body) VALUES (?, ?, ?)",
            (number, doc.title, doc.body),
        )

    def add_and_commit(self, number: int, doc: Document) -> None:
        with self.connection:
            self._insert(number, doc)

    def search(self, viewer_tokens, case: QueryCase) -> Answer:
        """The page of hits with snippets, then the total and every facet count in one
        more statement over the matches materialised once. As on the project's page,
        each facet is counted without its own filter."""
        db = self.connection
        visible = f"doc.visibility IN ({','.join('?' * len(viewer_tokens))})"
        kind_filter = " AND doc.kind = ?" if case.kind else ""
        params = [case.text, *viewer_tokens] + ([case.kind] if case.kind else [])
        rows = db.execute(
            "SELECT doc.doc_id, snippet(doc_text, 1, '<mark>', '</mark>', '…', 24) "
            "FROM doc_text JOIN doc ON doc.id = doc_text.rowid "
            f"WHERE doc_text MATCH ? AND {visible}{kind_filter} "
            "ORDER BY bm25(doc_text, 3.0, 1.0) LIMIT 10",
            params,
        ).fetchall()
        kind_only = "kind = ?" if case.kind else "1"
        others = [case.kind] if case.kind else []
        parts, part_params = [f"SELECT 'total', NULL, count(*) FROM m WHERE {kind_only}"], []
        part_params += others
        for name in WHOOSH_FACETS:
            if name == "topics":
                parts.append(
                    "SELECT 'topics', doc_topic.topic, count(*) FROM m "
                    f"JOIN doc_topic ON doc_topic.doc = m.id WHERE {kind_only} GROUP BY 2"
                )
                part_params += others
            elif name == "kind":
                parts.append("SELECT 'kind', kind, count(*) FROM m GROUP BY 2")
            else:
                parts.append(
                    f"SELECT '{name}', {name}, count(*) FROM m WHERE {kind_only} GROUP BY 2"
                )
                part_params += others
        for name, days in DATE_RANGES.items():
            floor = (DATE_END - timedelta(days=days)).isoformat()
            parts.append(
                f"SELECT 'date', '{name}', count(*) FROM m WHERE {kind_only} AND date >= ?"
            )
            part_params += [*others, floor]
        parts.append(f"SELECT 'date', 'older', count(*) FROM m WHERE {kind_only} AND date < ?")
        part_params += [*others, floor]
        counts = db.execute(
            "WITH m AS MATERIALIZED (SELECT doc.* FROM doc_text JOIN doc "
            f"ON doc.id = doc_text.rowid WHERE doc_text MATCH ? AND {visible}) "
            + " UNION ALL ".join(parts),
            [case.text, *viewer_tokens, *part_params],
        ).fetchall()
        total, facets = 0, {}
        for facet, value, count in counts:
            if facet == "total":
                total = count
            elif count:
                facets.setdefault(facet, {})[value] = count
        return Answer(total, [row[0] for row in rows], [row[1] for row in rows], None, facets)


# ---------------------------------------------------------------------------------------
# Measuring


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))]


@dataclass
class Timing:
    samples: list[float]  # wall-clock seconds
    cpu: list[float] = field(default_factory=list)  # this process's CPU seconds
    timed_out: int = 0  # answers cut short by the query layer's time limit

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")


def timed_runs(call, runs: int, warmup: int, budget: float) -> tuple[Timing, object]:
    """Run `call` `warmup` times unmeasured, then up to `runs` times or until `budget`
    seconds are spent; the last answer comes back for checking. CPU time is kept beside
    wall time: on a shared machine it is the steadier of the two."""
    answer = None
    for _ in range(warmup):
        answer = call()
    timing, started = Timing([]), time.perf_counter()
    while len(timing.samples) < runs and (
        time.perf_counter() - started < budget or len(timing.samples) < 5
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        answer = call()
        timing.samples.append(time.perf_counter() - t0)
        timing.cpu.append(time.process_time() - c0)
        timing.timed_out += bool(answer.timed_out)
    return timing, answer


def directory_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def machine_description() -> list[str]:
    return [
        f"- cores: {os.cpu_count()}; load average at start: "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()} {platform.machine()}",
        f"- whoosh {whoosh.versionstring()} (package whoosh-reloaded)",
        f"- SQLite {sqlite3.sqlite_version}",
    ]


def build_whoosh(path: Path, documents: list[Document], procs: int, limitmb: int) -> float:
    ix = whoosh_index.create_in(str(path), build_schema())
    started = time.perf_counter()
    if procs > 1:
        writer = ix.writer(procs=procs, multisegment=True, limitmb=limitmb)
    else:
        writer = ix.writer(limitmb=limitmb)
    for doc in documents:
        writer.add_document(**doc.whoosh_fields())
    writer.commit()
    elapsed = time.perf_counter() - started
    ix.close()
    return elapsed


def measure_updates(ix, fts: Fts5, corpus: Corpus, first_number: int, count: int) -> dict:
    """Add one document and commit, `count` times, in both engines; for Whoosh the time
    from the start of the commit until a freshly opened searcher finds the document.
    Whoosh commits twice as many times: first as plain commits (which merge segments
    now and then), then with commit(merge=False), which leaves merging to later."""
    found = {name: [] for name in ("commit", "visible", "nomerge", "nomerge_visible")}
    fts_commit = []
    for i in range(2 * count):
        merge = i < count
        number = first_number + i
        doc = corpus.document(number)
        doc.doc_id = f"thread:{number}"
        marker = f"benchmarkmarker{i}"
        doc.body += f" {marker}"
        t0 = time.perf_counter()
        writer = ix.writer(timeout=5.0, delay=0.05)
        writer.update_document(**doc.whoosh_fields())
        writer.commit(merge=merge)
        t1 = time.perf_counter()
        while True:  # a fresh searcher, never refresh() (SEARCH-NOTES.md, trap 1)
            with ix.searcher() as searcher:
                if len(searcher.search(Term("body", marker), limit=1)):
                    break
            if time.perf_counter() - t0 > 10:
                raise RuntimeError("a committed document was not visible after 10 s")
        t2 = time.perf_counter()
        found["commit" if merge else "nomerge"].append(t1 - t0)
        found["visible" if merge else "nomerge_visible"].append(t2 - t0)
        if merge:
            t3 = time.perf_counter()
            fts.add_and_commit(number, doc)
            fts_commit.append(time.perf_counter() - t3)
    result = {name: Timing(samples) for name, samples in found.items()}
    result["fts_commit"] = Timing(fts_commit)
    result["segments"] = len(ix._segments())
    return result


def profile_case(engine, searcher, viewer_tokens, case: QueryCase, runs: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        engine.search(searcher, viewer_tokens, case)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(14)
    stats.sort_stats("cumulative").print_stats(22)
    text = out.getvalue()
    # Keep the tables only (pstats prints a preamble and blank lines).
    lines = [line for line in text.splitlines() if line.strip() and "Ordered by" not in line]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000, help="documents (10,000)")
    parser.add_argument("--procs", type=int, default=1, help="processes for the build (1)")
    parser.add_argument("--limitmb", type=int, default=256, help="writer memory, MB (256)")
    parser.add_argument("--runs", type=int, default=50, help="measured runs per query (50)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs first (3)")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="seconds at most per query and viewer (30)"
    )
    parser.add_argument("--updates", type=int, default=20, help="single-document updates (20)")
    parser.add_argument("--seed", type=int, default=6, help="random seed (6)")
    parser.add_argument(
        "--engine",
        choices=sorted(ENGINES),
        help="Whoosh query path: project (queries.run_search, the default when it exists) "
        "or direct (plain Whoosh)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the slowest queries")
    parser.add_argument("--dir", type=Path, help="work in this folder (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the indexes afterwards")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="wwc-search-bench-", dir=args.dir))
    started = time.perf_counter()
    try:
        return run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nIndexes kept in {workdir}")
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"\nWhole run: {time.perf_counter() - started:,.0f} s; load average at the end: {load}"
        )


def run(args, workdir: Path) -> int:
    out = print
    out(f"# Search benchmark: {args.docs:,} documents, seed {args.seed}\n")
    out("\n".join(machine_description()))
    out("")

    t0 = time.perf_counter()
    corpus = Corpus(args.seed)
    documents = corpus.documents(args.docs)
    bodies = {doc.doc_id: doc.body for doc in documents}
    words = sum(len(doc.body.split()) + len(doc.title.split()) for doc in documents)
    out(
        f"Generated {len(documents):,} documents ({words:,} words) in "
        f"{time.perf_counter() - t0:,.1f} s; kinds: "
        + ", ".join(f"{k} {sum(d.kind == k for d in documents):,}" for k in KINDS)
    )

    whoosh_dir = workdir / "whoosh"
    whoosh_dir.mkdir()
    writer_label = (
        f"procs={args.procs}, multisegment=True, limitmb={args.limitmb}"
        if args.procs > 1
        else f"one writer, limitmb={args.limitmb}"
    )
    out(f"Building Whoosh ({writer_label}) ...", flush=True)
    whoosh_build = build_whoosh(whoosh_dir, documents, args.procs, args.limitmb)
    whoosh_size = directory_size(whoosh_dir)

    out("Building SQLite FTS5 ...", flush=True)
    fts = Fts5(workdir / "fts5.sqlite")
    t0 = time.perf_counter()
    fts.build(documents)
    fts.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fts_build = time.perf_counter() - t0
    fts_size = sum(p.stat().st_size for p in workdir.glob("fts5.sqlite*"))

    ix = whoosh_index.open_dir(str(whoosh_dir))
    segments = len(ix._segments())
    engine = whoosh_engine(args.engine, bodies)
    out(f"Whoosh queries: {engine.label}\n", flush=True)

    rows, checks = [], []
    searcher = ix.searcher()
    try:
        for case in QUERY_MIX:
            for viewer, tokens in VIEWERS.items():
                w_time, w_answer = timed_runs(
                    lambda: engine.search(searcher, tokens, case),  # noqa: B023
                    args.runs,
                    args.warmup,
                    args.budget,
                )
                f_time, f_answer = timed_runs(
                    lambda: fts.search(tokens, case),  # noqa: B023
                    args.runs,
                    args.warmup,
                    args.budget,
                )
                rows.append((case, viewer, w_time, w_answer, f_time, f_answer))
                out(
                    f"  {case.name:<30} {viewer:<8} whoosh {ms(w_time.median):>7} / "
                    f"{ms(w_time.p95):>7} ms   fts5 {ms(f_time.median):>7} / "
                    f"{ms(f_time.p95):>7} ms",
                    flush=True,
                )
                if case.suggest:
                    checks.append(f"did you mean ({viewer}): {w_answer.suggestion!r}")
        cache_rows = []
        if isinstance(engine, ProjectWhoosh):
            out("\nThe same queries as a member, cold and from the results cache:", flush=True)
            for mode in ("cold", "cached"):
                variant = ProjectWhoosh(bodies, mode)
                for case in QUERY_MIX:
                    timing, _ = timed_runs(
                        lambda: variant.search(searcher, VIEWERS["member"], case),  # noqa: B023
                        min(args.runs, 10),
                        1 if mode == "cached" else 0,
                        args.budget,
                    )
                    cache_rows.append((mode, case, timing))
                    out(
                        f"  {case.name:<30} {mode:<7} "
                        f"{ms(timing.median):>7} / {ms(timing.p95):>7} ms"
                    )
        opened = []
        for _ in range(20):
            t0 = time.perf_counter()
            ix.searcher().close()
            opened.append(time.perf_counter() - t0)
        searcher_open = Timing(opened)

        updates = measure_updates(ix, fts, corpus, args.docs + 1, args.updates)

        profiles = []
        if args.profile:
            member_rows = [row for row in rows if row[1] == "member"]
            slowest = sorted(member_rows, key=lambda row: row[2].p95, reverse=True)[:3]
            searcher.close()
            searcher = ix.searcher()
            for case, viewer, *_ in slowest:
                profiles.append((case, profile_case(engine, searcher, VIEWERS[viewer], case, 10)))
    finally:
        searcher.close()
        fts.connection.close()

    out("\n## Queries: page 1 of 10 with highlighted snippets and the total")
    out(f"\nmedian / 95th percentile in ms, {args.runs} runs after {args.warmup} warm-up")
    out("(fewer if a query's budget ran out: see runs)\n")
    out(
        "| query | viewer | Whoosh | FTS5 | ratio (median / p95) | CPU median Whoosh / FTS5 "
        "| hits Whoosh / FTS5 | runs (timed out) |"
    )
    out("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for case, viewer, w_time, w_answer, f_time, f_answer in rows:
        ratio = f"{w_time.median / f_time.median:,.1f}× / {w_time.p95 / f_time.p95:,.1f}×"
        out(
            f"| {case.name} (`{case.text}`{', kind=' + case.kind if case.kind else ''}) "
            f"| {viewer} | {ms(w_time.median)} / {ms(w_time.p95)} "
            f"| {ms(f_time.median)} / {ms(f_time.p95)} | {ratio} "
            f"| {ms(w_time.cpu_median)} / {ms(f_time.cpu_median)} "
            f"| {w_answer.total:,} / {f_answer.total:,} "
            f"| {len(w_time.samples)} ({w_time.timed_out}) / {len(f_time.samples)} |"
        )
    if cache_rows:
        out("\n### Cold and cached, as a member\n")
        out("median / 95th percentile in ms; cold: every cache emptied before each search")
        out("(segment arrays, decoded postings, suggestions, results); cached: a repeat of a")
        out("search the results cache still holds (the index has not changed since)\n")
        out("| query | cold | from the results cache |")
        out("| --- | --- | --- |")
        by_case = {}
        for mode, case, timing in cache_rows:
            by_case.setdefault(case.name, {})[mode] = timing
        for name, timings in by_case.items():
            cold, cached = timings["cold"], timings["cached"]
            out(
                f"| {name} | {ms(cold.median)} / {ms(cold.p95)} "
                f"| {ms(cached.median)} / {ms(cached.p95)} |"
            )
    out("\n## Index and updates\n")
    out("| | Whoosh | FTS5 |")
    out("| --- | --- | --- |")
    out(
        f"| build {args.docs:,} documents | {whoosh_build:,.1f} s ({writer_label}) "
        f"| {fts_build:,.1f} s |"
    )
    out(
        f"| size on disk | {whoosh_size / 1e6:,.0f} MB ({segments} segment(s)) "
        f"| {fts_size / 1e6:,.0f} MB (text included) |"
    )
    for key, label in (("commit", "commit()"), ("nomerge", "commit(merge=False)")):
        commit, visible = updates[key], updates[f"{key}_visible" if key == "nomerge" else "visible"]
        fts_cell = (
            f"{ms(updates['fts_commit'].median)} / {ms(updates['fts_commit'].p95)} ms"
            if key == "commit"
            else ""
        )
        out(
            f"| add one document, {label}, median / p95 (max) of {args.updates} "
            f"| {ms(commit.median)} / {ms(commit.p95)} ({ms(max(commit.samples))}) ms "
            f"| {fts_cell} |"
        )
        out(
            f"| ... from the commit's start to a fresh searcher finding it "
            f"| {ms(visible.median)} / {ms(visible.p95)} ({ms(max(visible.samples))}) ms: "
            f"{'all' if max(visible.samples) < 1 else 'NOT all'} within 1 s "
            f"| {'at commit' if key == 'commit' else ''} |"
        )
    out(f"| segments after the updates | {updates['segments']} | |")
    out(
        f"| open a fresh searcher, median / p95 "
        f"| {ms(searcher_open.median)} / {ms(searcher_open.p95)} ms | |"
    )

    out("\n## Checks\n")
    for case, viewer, _, w_answer, _, f_answer in rows:
        if case.facets and viewer == "member":
            for name in ("kind", "topics", "date"):
                mine = w_answer.facets.get(name) or w_answer.facets.get(name.rstrip("s"), {})
                out(f"- facet {name} ({viewer}), Whoosh: {sorted(dict(mine).items())}")
                out(f"  FTS5: {sorted(f_answer.facets.get(name, {}).items())}")
    for line in checks:
        out(f"- {line}")
    for case, viewer, _, w_answer, _, _ in rows:
        if case.name == "phrase" and viewer == "member" and w_answer.snippets:
            out(f"- a phrase snippet: {w_answer.snippets[0][:160]!r}")

    for case, text in profiles:
        out(f"\n## Profile: {case.name} (`{case.text}`), member, 10 runs\n")
        out("```")
        out(text)
        out("```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
