"""What /healthz reports about the search index."""

from pathlib import Path

from flask import Flask
from whoosh import index as whoosh_index


def search_index_path(app: Flask) -> Path:
    """Where the Whoosh index lives: a folder in the instance folder."""
    return Path(app.config.get("SEARCH_INDEX_PATH") or Path(app.instance_path) / "search-index")


def index_state(app: Flask) -> dict:
    """Whether the search index exists, and how many documents it holds."""
    path = search_index_path(app)
    if not path.is_dir() or not whoosh_index.exists_in(str(path)):
        return {"status": "absent", "path": str(path)}
    try:
        ix = whoosh_index.open_dir(str(path))
        with ix.searcher() as searcher:
            documents = searcher.doc_count()
    except Exception as error:  # noqa: BLE001 - a broken index is reported, not raised
        return {"status": "error", "path": str(path), "error": type(error).__name__}
    return {"status": "ok", "path": str(path), "documents": documents}
