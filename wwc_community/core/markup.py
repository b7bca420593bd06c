"""Markdown written by members, rendered to HTML and sanitised with bleach."""

import bleach
import markdown
from bleach.linkifier import Linker
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["align"],
    "th": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _link_attributes(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_link_attributes], skip_tags={"pre", "code"})


def render_markdown(source: str) -> Markup:
    """Turn member-written Markdown into HTML that is safe to put in a page."""
    html = markdown.markdown(
        source or "", extensions=["fenced_code", "tables", "sane_lists"], output_format="html"
    )
    return Markup(_linker.linkify(_cleaner.clean(html)))
