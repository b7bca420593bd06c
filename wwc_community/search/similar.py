"""Threads like a text, from the index: the discussions' "similar questions" box asks
here first and falls back to its SQL title match when there is no index to ask."""

import logging

from flask import Flask
from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from wwc_community.search.engine import get_searcher
from wwc_community.search.indexer import IndexMissing
from wwc_community.search.queries import viewer_tokens, visibility_filter

log = logging.getLogger(__name__)

SIMILAR_LIMIT = 5
# More words make a slower query and add little: the first ones of the text are kept.
MAX_WORDS = 12
# A word in the bodies of more documents than both of these is looked for in titles
# only: in a body it says little about what a question is about, and reading its
# postings over a large index costs most of the time (a word in 90 % of 30,000
# documents: about 70 ms here).
COMMON_BODY_DOCS = 1000
COMMON_BODY_SHARE = 0.1
# Past this, the best threads found so far are offered (the box updates as one types).
TIME_LIMIT = 0.25


def similar_words(searcher: Searcher, text: str) -> list[str]:
    """The first MAX_WORDS distinct words of `text` as the title field indexes them:
    lower case, stemmed, without stop words."""
    analyzer = searcher.schema["title"].analyzer
    words: list[str] = []
    # The analyzer is lazy: a long paste is only read as far as the words kept.
    for token in analyzer(text or ""):
        if token.text not in words:
            words.append(token.text)
            if len(words) == MAX_WORDS:
                break
    return words


def similar_thread_ids(
    searcher: Searcher, tokens: frozenset[str], text: str, limit: int = SIMILAR_LIMIT
) -> list[int]:
    """Ids of up to `limit` threads the viewer holding `tokens` may see whose title or
    body share any word with `text`, best match first (BM25F, the title boosted)."""
    words = similar_words(searcher, text)
    if not words or limit < 1:
        return []
    common = max(COMMON_BODY_DOCS, COMMON_BODY_SHARE * searcher.doc_count())
    terms = []
    for word in words:
        terms.append(wq.Term("title", word))
        if searcher.doc_frequency("body", word) <= common:
            terms.append(wq.Term("body", word))
    matches = wq.Or(terms)
    # The kind and the permissions as filter=, not Require: Whoosh 2.7.5's Require trips
    # an assertion when the top-N collector skips blocks by quality, and turning the
    # skipping off scores every match of a common word. Never with terms=True: the
    # total would be wrong (SEARCH-NOTES.md, trap 2); only the top hits are read here.
    allowed = wq.And([wq.Term("kind", "thread"), visibility_filter(tokens)])
    collector = collectors.TimeLimitCollector(
        searcher.collector(limit=limit, filter=allowed), TIME_LIMIT, use_alarm=False
    )
    try:
        searcher.search_with_collector(matches, collector)
    except collectors.TimeLimit:
        log.warning("Similar threads: stopped after %s s for %r", TIME_LIMIT, text[:200])
    return [hit["object_id"] for hit in collector.results()]


def indexed_similar_thread_ids(
    app: Flask, viewer, text: str, limit: int = SIMILAR_LIMIT
) -> list[int] | None:
    """`similar_thread_ids` on `app`'s current index for `viewer`; None when the index
    cannot answer (not built yet, or the search failed), so the caller falls back."""
    try:
        searcher = get_searcher(app)
        return similar_thread_ids(searcher, viewer_tokens(viewer), text, limit)
    except IndexMissing:
        return None
    except Exception:  # noqa: BLE001 - the SQL match still answers: never a 500 for this
        log.exception("Similar threads: the index search failed for %r", text[:200])
        return None
