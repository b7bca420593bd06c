"""Searchers for the current index, cached per thread and reopened when the index
changed: a new commit (`not searcher.up_to_date()`) or a rebuild (the pointer names a
new generation). Never `Searcher.refresh()`: in whoosh-reloaded 2.7.5 the refreshed
searcher returns deleted documents and duplicates (SEARCH-NOTES.md, trap 1)."""

import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from wwc_community.search.indexer import IndexMissing, current_index_dir

_EXTENSION = "wwc_search_searchers"


@dataclass
class _Open:
    index_dir: Path
    searcher: Searcher


class _Searchers:
    """Each thread's open searcher; all of them, so they can be closed together."""

    def __init__(self):
        self.local = threading.local()
        self.lock = threading.Lock()
        self.every: list[_Open] = []

    def replace(self, old: "_Open | None", new: _Open) -> None:
        with self.lock:
            if old is not None:
                old.searcher.close()
                self.every.remove(old)
            self.every.append(new)
        self.local.open = new


def _searchers(app: Flask) -> _Searchers:
    searchers = app.extensions.get(_EXTENSION)
    if searchers is None:
        searchers = app.extensions.setdefault(_EXTENSION, _Searchers())
    return searchers


def get_searcher(app: Flask) -> Searcher:
    """A searcher on the current index for this thread. Do not close it and do not keep
    it past the request: the next call may close it to open a newer one. Raises
    IndexMissing before the first build."""
    searchers = _searchers(app)
    index_dir = current_index_dir(app)
    if index_dir is None:
        raise IndexMissing("The search index has not been built yet.")
    cached: _Open | None = getattr(searchers.local, "open", None)
    if cached is not None and cached.index_dir == index_dir and cached.searcher.up_to_date():
        return cached.searcher
    fresh = _Open(index_dir, whoosh_index.open_dir(str(index_dir)).searcher())
    searchers.replace(cached, fresh)
    return fresh.searcher


def close_searchers(app: Flask) -> None:
    """Close every thread's searcher of `app` (tests; shutting down)."""
    searchers = app.extensions.pop(_EXTENSION, None)
    if searchers is None:
        return
    with searchers.lock:
        for opened in searchers.every:
            opened.searcher.close()
        searchers.every.clear()
