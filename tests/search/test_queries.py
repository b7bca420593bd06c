"""run_search on a real Whoosh index in a tmp folder, with documents added directly:
the query syntax, stemming, ranking, permissions inside the query, facets, paging,
"did you mean", the time limit, and a corpus of hostile queries."""

from datetime import UTC, datetime, timedelta

import pytest
from whoosh import index as whoosh_index

from wwc_community.search import queries
from wwc_community.search.queries import (
    ALL_ORGANISATIONS,
    SearchRequest,
    parse_user_query,
    run_search,
)
from wwc_community.search.schema import MEMBERS, PUBLIC, build_schema, organisation_token

NOW = datetime(2026, 6, 1, 12, 0)
EVERYONE = frozenset({PUBLIC})
MEMBER = frozenset({PUBLIC, MEMBERS})
COORDINATOR = frozenset({PUBLIC, MEMBERS, ALL_ORGANISATIONS})


class Corpus:
    """An index in a tmp folder; `add` writes documents, `search` runs a request."""

    def __init__(self, folder):
        self.ix = whoosh_index.create_in(str(folder), build_schema())
        self.next_id = 1
        self.searcher = None

    def add(self, kind="practice", title="", body="", visibility=PUBLIC, days_old=100, **fields):
        object_id = fields.pop("object_id", self.next_id)
        self.next_id = max(self.next_id, object_id) + 1
        writer = self.ix.writer()
        writer.update_document(
            doc_id=f"{kind}:{object_id}",
            kind=kind,
            object_id=object_id,
            title=title,
            body=body,
            spelling=f"{title}\n{body}",
            visibility=visibility,
            date=NOW - timedelta(days=days_old),
            popularity=fields.pop("popularity", 0),
            **fields,
        )
        writer.commit()
        return object_id

    def search(self, q="", tokens=MEMBER, per_page=10, **args):
        if self.searcher is not None:
            self.searcher.close()
        self.searcher = self.ix.searcher()
        request = SearchRequest.from_args({"q": q, **{k: str(v) for k, v in args.items()}})
        return run_search(
            self.searcher, tokens, request, per_page=per_page, now=NOW.replace(tzinfo=UTC)
        )

    def ids(self, q="", **args):
        return [hit.object_id for hit in self.search(q, **args).hits]

    def close(self):
        if self.searcher is not None:
            self.searcher.close()


@pytest.fixture
def corpus(tmp_path):
    made = Corpus(tmp_path)
    yield made
    made.close()


# Syntax ----------------------------------------------------------------------------------


def test_two_words_narrow_the_results(corpus):
    both = corpus.add(title="Open budget data", body="Publishing the budget")
    corpus.add(title="Open meetings", body="Agendas online")
    assert corpus.ids("open budget") == [both]
    assert len(corpus.ids("open")) == 2


def test_a_quoted_phrase_needs_the_words_together(corpus):
    together = corpus.add(title="Guide", body="results driven contracting in practice")
    corpus.add(title="Guide two", body="contracting that is driven by results")
    assert corpus.ids('"results driven contracting"') == [together]
    assert len(corpus.ids("results driven contracting")) == 2


def test_minus_and_not_exclude_a_word(corpus):
    corpus.add(title="Budget dashboards", body="open data on spending")
    plain = corpus.add(title="Budget books", body="printed every year")
    assert corpus.ids("budget -dashboards") == [plain]
    assert corpus.ids("budget NOT dashboards") == [plain]
    assert corpus.ids('budget -"open data"') == [plain]


def test_or_finds_either_word(corpus):
    first = corpus.add(title="Housing vouchers")
    second = corpus.add(title="Transit passes")
    corpus.add(title="Library hours")
    assert sorted(corpus.ids("vouchers OR passes")) == [first, second]


def test_a_trailing_wildcard_finds_longer_words(corpus):
    found = corpus.add(title="Procurement reform")
    assert corpus.ids("procure*") == [found]


# Stemming and ranking ------------------------------------------------------------------------


def test_evaluations_finds_evaluation(corpus):
    found = corpus.add(title="How we ran our evaluation")
    assert corpus.ids("evaluations") == [found]


def test_a_title_match_ranks_above_a_body_only_match(corpus):
    body_only = corpus.add(title="Notes from a meeting", body="We talked about procurement.")
    in_title = corpus.add(title="Procurement", body="Notes from a meeting about it.")
    assert corpus.ids("procurement") == [in_title, body_only]


def test_an_accepted_answer_ranks_a_thread_above_an_equal_one(corpus):
    text = dict(title="Open data portal vendors", body="Which vendor did you choose?")
    plain = corpus.add(kind="thread", visibility=MEMBERS, **text)
    accepted = corpus.add(kind="thread", visibility=MEMBERS, accepted=True, **text)
    corpus.add(kind="thread", visibility=MEMBERS, title="Unrelated", body="Nothing")
    assert corpus.ids("vendors") == [accepted, plain]


def test_newer_ranks_above_older_among_equal_texts(corpus):
    text = dict(title="Street lights", body="LED conversion")
    older = corpus.add(days_old=900, **text)
    newer = corpus.add(days_old=3, **text)
    assert corpus.ids("street lights") == [newer, older]


def test_a_much_better_match_beats_recency_and_votes(corpus):
    weak = corpus.add(
        title="Meeting notes", body="a long body " * 30 + "lights", days_old=1, popularity=500
    )
    strong = corpus.add(title="Lights", body="lights lights", days_old=2000)
    assert corpus.ids("lights") == [strong, weak]


def test_newest_sort_orders_by_date(corpus):
    old = corpus.add(title="Procurement", days_old=500)
    new = corpus.add(title="A note on procurement among many other words here", days_old=1)
    assert corpus.ids("procurement", sort="newest") == [new, old]
    assert corpus.ids("procurement") == [old, new]


# Permissions inside the query ------------------------------------------------------------


def test_visitors_see_public_documents_only(corpus):
    public = corpus.add(title="Budget guide")
    corpus.add(kind="thread", title="Budget question", visibility=MEMBERS)
    corpus.add(title="Budget draft", visibility=organisation_token(7))
    results = corpus.search("budget", tokens=EVERYONE)
    assert [h.object_id for h in results.hits] == [public]
    assert results.total == 1
    assert [(f.value, f.count) for f in results.facets["kind"]] == [("practice", 1)]


def test_partners_see_their_organisations_drafts_and_coordinators_all(corpus):
    corpus.add(title="Budget guide")
    corpus.add(title="Budget draft of seven", visibility=organisation_token(7))
    corpus.add(title="Budget draft of eight", visibility=organisation_token(8))
    partner = MEMBER | {organisation_token(7)}
    assert corpus.search("budget", tokens=partner).total == 2
    assert corpus.search("budget", tokens=COORDINATOR).total == 3
    assert corpus.search("budget", tokens=MEMBER).total == 1


def test_a_page_of_hits_is_counted_after_the_visibility_filter(corpus):
    for _ in range(25):
        corpus.add(title="Budget draft", visibility=organisation_token(3))
    for _ in range(12):
        corpus.add(title="Budget guide")
    results = corpus.search("budget", tokens=EVERYONE)
    assert results.total == 12
    assert results.pages == 2
    assert len(results.hits) == 10


# Facets, filters and paging -----------------------------------------------------------------


@pytest.fixture
def mixed(corpus):
    corpus.add(
        kind="practice",
        title="Open data guide",
        topics="open-data",
        tier="strong",
        organisation="civic-lab",
        days_old=3,
    )
    corpus.add(
        kind="practice",
        title="Open data checklist",
        topics="open-data,budgets",
        tier="promising",
        organisation="civic-lab",
        days_old=40,
    )
    corpus.add(
        kind="thread",
        title="Open data vendors",
        topics="open-data",
        city="denver-co",
        state="CO",
        band="500k-1m",
        visibility=MEMBERS,
        days_old=400,
    )
    corpus.add(kind="member", title="Open data lead", state="TX", visibility=MEMBERS, days_old=10)
    return corpus


def counts(results, facet):
    return {f.value: f.count for f in results.facets[facet]}


def test_facets_count_the_current_query(mixed):
    results = mixed.search("open data")
    assert results.total == 4
    assert counts(results, "kind") == {"practice": 2, "thread": 1, "member": 1}
    assert counts(results, "topic") == {"open-data": 3, "budgets": 1}
    assert counts(results, "tier") == {"strong": 1, "promising": 1}
    assert counts(results, "state") == {"CO": 1, "TX": 1}
    assert counts(results, "date") == {"week": 1, "month": 2, "year": 3, "older": 1}


def test_a_facet_filter_narrows_and_keeps_the_other_values_of_its_own_facet(mixed):
    results = mixed.search("open data", kind="practice")
    assert results.total == 2
    assert {h.kind for h in results.hits} == {"practice"}
    # The kind facet ignores its own filter, so the reader can switch kinds.
    assert counts(results, "kind") == {"practice": 2, "thread": 1, "member": 1}
    assert [f.value for f in results.facets["kind"] if f.selected] == ["practice"]
    # Other facets count within the filter.
    assert counts(results, "state") == {}
    assert counts(results, "tier") == {"strong": 1, "promising": 1}


def test_filters_combine(mixed):
    assert mixed.search("open data", kind="practice", tier="strong").total == 1
    assert mixed.search("open data", topic="budgets").total == 1
    assert mixed.search("open data", date="week").total == 1
    assert mixed.search("open data", date="older").total == 1
    assert mixed.search("open data", state="CO", kind="member").total == 0


def test_a_filter_without_words_browses_newest_first(mixed):
    results = mixed.search("", kind="practice")
    assert results.total == 2
    assert [h.object_id for h in results.hits] == [1, 2]


def test_unknown_values_in_the_address_are_ignored():
    request = SearchRequest.from_args(
        {
            "q": "x",
            "kind": "spaceship",
            "sort": "loudest",
            "page": "-3",
            "date": "1999",
            "topic": "<script>",
            "state": "Colorado",
        }
    )
    assert request.filters == {}
    assert (request.sort, request.page) == ("relevance", 1)
    assert SearchRequest.from_args({"page": "99999"}).page == 100


def test_paging_past_the_end_shows_the_last_page(corpus):
    for _ in range(13):
        corpus.add(title="Budget guide")
    results = corpus.search("budget", page=5)
    assert (results.page, results.pages, len(results.hits)) == (2, 2, 3)


# Did you mean ------------------------------------------------------------------------------


def test_a_misspelling_suggests_the_words_of_the_index(corpus):
    corpus.add(title="Results driven contracting", body="Outcomes in procurement")
    results = corpus.search("reslts driven contracting")
    assert results.total == 0
    assert results.suggestion == "results driven contracting"


def test_no_suggestion_when_the_words_are_known_or_nothing_would_be_found(corpus):
    corpus.add(title="Results driven contracting")
    corpus.add(title="Zebra crossings", visibility=MEMBERS)
    assert corpus.search("results contracting").suggestion is None
    # "zebre" is close to "zebra", but the visitor could not see that document.
    assert corpus.search("zebre", tokens=EVERYONE).suggestion is None
    assert corpus.search("zebre").suggestion == "zebra"


# Hostile queries ---------------------------------------------------------------------------

HOSTILE = [
    '"unbalanced quote',
    'budget "open data',
    "AND",
    "budget AND",
    "OR budget",
    "NOT",
    "budget NOT",
    "*",
    "*udget",
    "?",
    "-",
    "--",
    "-budget",
    "((budget",
    "budget)",
    "title:budget",
    "visibility:members",
    "budget^100",
    "[a TO z]",
    "{a TO}",
    "'single",
    "budget~2",
    "' OR 1=1 --",
    "'; DROP TABLE thread; --",
    "1 UNION SELECT password_hash FROM member",
    "<script>alert(1)</script>",
    "the of and a",
    "Ünïcödé straße 東京 مرحبا",
    "emoji 🎉🎉",
    "\u202ebidi\u202c override",
    "tab\there\r\nnewline",
    "x" * 5000,
    "budget " * 1000,
    "a OR " * 200,
    '"' * 51,
    "AND OR NOT AND",
    "budget OR",
    "budget OR -open",
    "NOT NOT budget",
    "b* c* d*",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_with_results_or_a_notice(corpus, q):
    corpus.add(title="Budget open data", body="The budget of the city")
    results = corpus.search(q)
    assert results.total >= 0
    assert len(results.searched) <= 300 + 2


def test_repairs_are_explained():
    assert parse_user_query('budget "open data').notices == [
        "A quotation mark had no partner, so it was ignored."
    ]
    assert parse_user_query("budget AND").notices == []
    assert (
        "OR needs a word on each side, so it was ignored." in parse_user_query("OR budget").notices
    )
    assert parse_user_query("*").notices == [
        "A wildcard (*) needs part of a word before it, so it was ignored."
    ]
    assert parse_user_query("*udget").notices == [
        "A wildcard (*) only works at the end of a word, so it was left out."
    ]
    long = parse_user_query("budget " * 1000)
    assert long.notices[0].startswith("Your search was longer than 300 characters")
    assert "-budget" not in parse_user_query("-budget").text()


def test_a_long_paste_still_finds_its_first_words(corpus):
    found = corpus.add(title="Budget dashboards")
    assert corpus.ids("budget dashboards " + "x" * 5000) == [found]


def test_only_common_words_explain_themselves(corpus):
    corpus.add(title="The budget")
    results = corpus.search("the of and")
    assert results.total == 0
    assert any("too common" in notice for notice in results.notices)


def _phrase_corpus(corpus, pairs=300):
    """`pairs` documents with "budget guide" together and as many with the words apart;
    returns the ids of the first kind."""
    writer = corpus.ix.writer()
    together = set()
    for number in range(2 * pairs):
        apart = number % 2
        title = "Guide to the city budget" if apart else "Budget guide for the city"
        writer.add_document(
            doc_id=f"practice:{number + 1}",
            kind="practice",
            object_id=number + 1,
            title=title,
            body=f"Note {number}.",
            spelling=title,
            visibility=PUBLIC,
            date=NOW - timedelta(days=number),
            popularity=0,
        )
        if not apart:
            together.add(number + 1)
    writer.commit()
    return together


def test_a_phrase_is_checked_on_the_words_candidates(corpus):
    together = _phrase_corpus(corpus, pairs=20)
    results = corpus.search('"budget guide"', per_page=50)
    assert results.total == 20
    assert not results.approximate
    assert {hit.object_id for hit in results.hits} == together


def test_a_very_common_phrase_is_checked_on_the_best_candidates_and_counted_about(
    corpus, monkeypatch
):
    together = _phrase_corpus(corpus)
    monkeypatch.setattr(queries, "PHRASE_CHECK_LIMIT", 200)
    monkeypatch.setattr(queries, "PHRASE_CHECK_CHUNK", 25)
    results = corpus.search('"budget guide"')
    assert results.approximate
    assert {hit.object_id for hit in results.hits} <= together
    assert len(results.hits) == 10
    # 100 best checked and 100 of the other 500 sampled: the estimate is near the 300
    # (one standard error is about 25).
    assert 225 <= results.total <= 375
    assert 225 <= dict((f.value, f.count) for f in results.facets["kind"])["practice"] <= 375


def test_a_slow_phrase_stops_at_the_time_limit_with_what_it_found(corpus, monkeypatch):
    together = _phrase_corpus(corpus)
    monkeypatch.setattr(queries, "PHRASE_CHECK_CHUNK", 50)
    corpus.searcher = corpus.ix.searcher()
    request = SearchRequest.from_args({"q": '"budget guide"'})
    results = run_search(corpus.searcher, MEMBER, request, time_limit=0.0, now=NOW)
    assert results.timed_out and results.approximate
    assert results.hits and {hit.object_id for hit in results.hits} <= together
    assert any("took too long" in notice for notice in results.notices)
