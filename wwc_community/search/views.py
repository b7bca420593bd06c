"""The search page: /search?q=… with facets, sorting and paging, all in the address."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from wwc_community.core.pagination import Page
from wwc_community.extensions import db
from wwc_community.search import results as shown_results
from wwc_community.search.engine import get_searcher
from wwc_community.search.indexer import IndexMissing
from wwc_community.search.queries import (
    DATE_RANGES,
    SearchRequest,
    SearchResults,
    run_search,
    viewer_tokens,
)

bp = Blueprint("search", __name__, url_prefix="/search")

_URLS = {
    "practice": lambda slug: url_for("library.practice", slug=slug),
    "member": lambda handle: url_for("directory.profile", handle=handle),
    "event": lambda slug: url_for("events.event", slug=slug),
}


@bp.get("")
def search():
    """Results of every kind the viewer may see, for everyone (visitors: public ones)."""
    wanted = SearchRequest.from_args(request.args)
    viewer = current_user if current_user.is_authenticated else None
    results = SearchResults(request=wanted)
    unavailable = False
    if wanted.q.strip() or wanted.filters:
        try:
            searcher = get_searcher(current_app)
        except IndexMissing:
            unavailable = True
        else:
            try:
                results = run_search(searcher, viewer_tokens(viewer), wanted)
            except Exception:  # noqa: BLE001 - a query must never cost the reader a 500
                current_app.logger.exception("Search failed for %r", wanted)
                results = SearchResults(request=wanted)
                results.notices.append(
                    "Something went wrong with this search. Try fewer or simpler words."
                )
    shown = shown_results.load_results(db.session, viewer, results.hits, results.terms, _URLS)
    page = Page(items=shown, page=results.page, per_page=results.per_page, total=results.total)

    def search_url(**changes) -> str:
        return url_for("search.search", **wanted.args(**changes))

    return render_template(
        "search/search.html",
        wanted=wanted,
        results=results,
        page=page,
        facets=shown_results.facet_links(db.session, results),
        facet_titles=shown_results.FACET_TITLES,
        date_ranges=DATE_RANGES,
        search_url=search_url,
        unavailable=unavailable,
        signed_in_member=viewer is not None and viewer.is_member,
    )
