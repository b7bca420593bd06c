"""Threads like a text, from the index: the discussions' "similar questions" box asks
here first and falls back to its SQL title match when there is no index to ask."""

import logging

from flask import Flask
from whoosh.searching import Searcher

from wwc_community.search.engine import get_searcher
from wwc_community.search.indexer import IndexMissing
from wwc_community.search.queries import find_similar, viewer_tokens

log = logging.getLogger(__name__)

SIMILAR_LIMIT = 5


def similar_thread_ids(
    searcher: Searcher, tokens: frozenset[str], text: str, limit: int = SIMILAR_LIMIT
) -> list[int]:
    """Ids of up to `limit` threads the viewer holding `tokens` may see whose title or
    body share any word with `text`, best match first (BM25F, the title boosted)."""
    return [
        hit.object_id for hit in find_similar(searcher, tokens, text, kind="thread", limit=limit)
    ]


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
