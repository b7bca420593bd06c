"""What /healthz reports about the search index."""

from pathlib import Path

from flask import Flask


def search_index_path(app: Flask) -> Path:
    """Where the Whoosh index lives: a folder in the instance folder."""
    return Path(app.config.get("SEARCH_INDEX_PATH") or Path(app.instance_path) / "search-index")


def index_state(app: Flask) -> dict:
    """Whether the search index exists, its documents per kind, the outbox rows it has
    not applied yet, the age of the oldest (lag) and the last outbox id applied."""
    from wwc_community.search.indexer import index_status

    try:
        return index_status(app)
    except Exception as error:  # noqa: BLE001 - a broken index is reported, not raised
        return {
            "status": "error",
            "path": str(search_index_path(app)),
            "error": type(error).__name__,
        }
