"""Markdown written by members, rendered to HTML and sanitised with bleach.

A post of 20,000 hostile characters must not hold a worker for minutes, so the slow
paths of Python-Markdown and bleach are bounded here:

- raw HTML is not read as blocks (Markdown's block reader, built on html.parser, took
  seconds on an unclosed `<a <a <a ...`); tags are still read inline, and the
  sanitiser keeps only its safelist;
- the closing bracket of a link's text is looked up in a table built once per text (a
  run of `[` took over two minutes);
- the scans for a link's destination share one budget per post;
- the pattern that finds bare web addresses to link never backtracks over long runs of
  `(` or `a-a-a-`, and links http and https addresses only.
"""

import re
from functools import lru_cache, partial

import bleach
import markdown
from bleach.linkifier import TLDS, LinkifyFilter
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    LINK_RE,
    REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
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

# How far one post's links may send the parser looking for their closing `)`, in
# characters, all links together: far beyond any real post, and a bound on the rest.
LINK_SCAN_BUDGET = 100_000


# Links without slow scans -----------------------------------------------------------------


@lru_cache(maxsize=8)
def _closing_brackets(text: str) -> dict[int, int]:
    """Where each `[` in `text` is closed: the position of its matching `]`."""
    closing, open_at = {}, []
    for match in re.finditer(r"[\[\]]", text):
        if match.group() == "[":
            open_at.append(match.start())
        elif open_at:
            closing[open_at.pop()] = match.start()
    return closing


class _BoundedLinks:
    """The link, image and reference patterns with their two slow scans bounded."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:  # noqa: N802
        # Every pattern using this ends with the `[` at index - 1: the same answer as
        # Markdown's own count of brackets, without walking to the end of the text.
        if data[index - 1 : index] != "[":
            return super().getText(data, index)
        close = _closing_brackets(data).get(index - 1)
        if close is None:
            return "", len(data), False
        return data[index:close], close + 1, True

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        budget = self.md.link_scan_budget
        if budget <= 0:
            return "", None, index, False
        window = data[: index + budget]
        href, title, end, handled = super().getLink(window, index)
        self.md.link_scan_budget -= (end if handled else len(window)) - index
        return href, title, end, handled


class _Link(_BoundedLinks, LinkInlineProcessor):
    pass


class _Image(_BoundedLinks, ImageInlineProcessor):
    pass


class _Reference(_BoundedLinks, ReferenceInlineProcessor):
    pass


class _ShortReference(_BoundedLinks, ShortReferenceInlineProcessor):
    pass


class _ImageReference(_BoundedLinks, ImageReferenceInlineProcessor):
    pass


class _ShortImageReference(_BoundedLinks, ShortImageReferenceInlineProcessor):
    pass


class _MemberMarkdown(Extension):
    """Markdown as members write it: no raw HTML blocks, links parsed in bounded time."""

    def extendMarkdown(self, md):  # noqa: N802
        md.preprocessors.deregister("html_block")
        md.link_scan_budget = LINK_SCAN_BUDGET
        # The priorities are Markdown's own, so the patterns keep their order.
        for processor, name, priority in (
            (_Reference(REFERENCE_RE, md), "reference", 170),
            (_Link(LINK_RE, md), "link", 160),
            (_Image(IMAGE_LINK_RE, md), "image_link", 150),
            (_ImageReference(IMAGE_REFERENCE_RE, md), "image_reference", 140),
            (_ShortReference(REFERENCE_RE, md), "short_reference", 130),
            (_ShortImageReference(IMAGE_REFERENCE_RE, md), "short_image_ref", 125),
        ):
            md.inlinePatterns.register(processor, name, priority)


# Sanitising and linking bare addresses ---------------------------------------------------


def _link_attributes(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# bleach's own pattern, with three changes: only http and https addresses are linked
# (its default list includes ftp, data and a dozen more); a run of "(" is tried from
# its first character only; and a host name's words are matched without backtracking.
# Its original took 10 to 20 seconds on 20,000 characters of "(((" or "a-a-a-".
_URL_RE = re.compile(
    r"""(?<!\()\(*
    \b(?<![@.])(?:https?:/{{0,3}}(?:(?:\w+:)?\w+@)?|(?<![\w-]))
    (?:[\w-]++\.)+(?:{tlds})(?:\:[0-9]+)?(?!\.\w)\b
    (?:[/?][^\s\{{\}}\|\\\^`<>"]*)?
    """.format(tlds="|".join(TLDS)),
    re.IGNORECASE | re.VERBOSE | re.UNICODE,
)

# One pass of html5lib both sanitises and links bare addresses: on a long post its
# parsing costs more than Markdown's, so doing it once halves the time.
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter, callbacks=[_link_attributes], skip_tags={"pre", "code"}, url_re=_URL_RE
        )
    ],
)


# Control characters a member cannot mean to write (tab and newline stay). PostgreSQL
# refuses NUL in text, and the others only hide things from readers.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str | None) -> str:
    """Text a member wrote, as it is stored: Windows line ends made plain, control
    characters removed, outer whitespace trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", text).strip()


def render_markdown(source: str) -> Markup:
    """Turn member-written Markdown into HTML that is safe to put in a page."""
    html = markdown.markdown(
        source or "",
        extensions=["fenced_code", "tables", "sane_lists", _MemberMarkdown()],
        # An align attribute, which the sanitiser keeps, rather than a style, which it drops.
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return Markup(_cleaner.clean(html))
