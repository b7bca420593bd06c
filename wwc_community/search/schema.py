"""The index's fields, shared by the indexer (which writes documents) and the queries
(which read them). Nothing is stored but ids and facet values: titles, snippets and the
facts a result shows are read from the database, so the index never shows stale or
private text that the database has since changed."""

from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

# Kinds of document, in the order the facet lists them.
KINDS = ("thread", "practice", "event", "member")

# Who may see a document. A document holds one or more of these tokens; a query keeps
# only documents holding one of the viewer's tokens (see queries.viewer_tokens).
PUBLIC = "public"  # everyone, visitors included
MEMBERS = "members"  # approved members only


def organisation_token(organisation_id: int) -> str:
    """Drafts: staff of the organisation (and coordinators, who see every token)."""
    return f"org:{organisation_id}"


def build_schema() -> Schema:
    stemmed = StemmingAnalyzer()
    return Schema(
        # "thread:12": the unique key every update replaces.
        doc_id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        object_id=STORED(),
        title=TEXT(analyzer=stemmed, field_boost=3.0, phrase=True),
        body=TEXT(analyzer=stemmed, phrase=True),
        # Unstemmed words of title and body, for "did you mean" (stemmed fields suggest
        # stems: SEARCH-NOTES.md, trap 3).
        spelling=TEXT(analyzer=StandardAnalyzer(), spelling=True, phrase=False),
        topics=KEYWORD(commas=True, stored=True, lowercase=True),
        city=ID(stored=True),
        state=ID(stored=True),
        band=ID(stored=True),
        organisation=ID(stored=True),
        tier=ID(stored=True),
        # Visibility tokens, space separated.
        visibility=KEYWORD(),
        accepted=BOOLEAN(stored=True),
        # The date that orders "newest" and ranks newer above older among equals.
        date=DATETIME(stored=True, sortable=True),
        # A small number the ranking adds (accepted answers, votes, helpful marks).
        popularity=NUMERIC(stored=True, sortable=True),
    )
