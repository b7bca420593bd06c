"""@handle mentions in posts: find them in sanitised HTML, link them, and list who was named.

Mentions are read from the HTML that `render_markdown` made, never from the Markdown
source, so `@handle` in code, in a code block or inside a link stays plain text.
"""

import re
from collections.abc import Iterator, Mapping

from bleach import html5lib_shim

# At most this many members are linked and told per post.
MENTION_LIMIT = 20
# How many distinct @words one post may ask the database about.
CANDIDATE_LIMIT = 100
# "@" and a handle as accounts make them (letters, digits, inner hyphens, up to 40),
# not glued to a word before it ("ana@city.gov") nor followed by more word characters.
MENTION_PATTERN = re.compile(
    r"(?<![\w@/.+-])@([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?![\w])", re.IGNORECASE
)
# Text inside these is never a mention.
SKIPPED_TAGS = frozenset({"a", "code", "pre"})
MENTION_CLASS = "mention"


def profile_path(handle: str) -> str:
    """The address a mention links to."""
    return f"/people/{handle}"


def _parse(html: str):
    parser = html5lib_shim.BleachHTMLParser(
        tags=frozenset(html5lib_shim.HTML_TAGS),
        strip=False,
        consume_entities=False,
        namespaceHTMLElements=False,
    )
    return html5lib_shim.getTreeWalker("etree")(parser.parseFragment(html))


def _serialize(tokens) -> str:
    serializer = html5lib_shim.BleachHTMLSerializer(
        quote_attr_values="always",
        omit_optional_tags=False,
        resolve_entities=False,
        sanitize=False,
        alphabetical_attributes=False,
    )
    return serializer.render(tokens)


def _keep_entities(token: dict) -> Iterator[dict]:
    """A text token split so that its character references (`&lt;`) are written back
    as they are instead of escaped a second time."""
    data = token["data"]
    if "&" not in data:
        yield token
        return
    for part in html5lib_shim.next_possible_entity(data):
        if not part:
            continue
        entity = html5lib_shim.match_entity(part) if part.startswith("&") else None
        if entity is None:
            yield {"type": "Characters", "data": part}
            continue
        yield {"type": "Entity", "name": entity}
        if part[len(entity) + 2 :]:
            yield {"type": "Characters", "data": part[len(entity) + 2 :]}


def _text_outside_skipped_tags(tokens) -> Iterator[tuple[dict, bool]]:
    """Each token, with True when it is text a mention may sit in."""
    depth = 0
    for token in tokens:
        kind = token["type"]
        if kind in ("StartTag", "EndTag") and token.get("name") in SKIPPED_TAGS:
            depth = depth + 1 if kind == "StartTag" else max(depth - 1, 0)
        yield token, kind == "Characters" and depth == 0


def find_mentions(html: str) -> list[str]:
    """The handles written as @handle in `html`'s plain text, lower-cased, first seen
    first, without repeats, at most CANDIDATE_LIMIT."""
    if "@" not in (html or ""):
        return []
    found: dict[str, None] = {}
    for token, is_text in _text_outside_skipped_tags(_parse(html)):
        if not is_text:
            continue
        for match in MENTION_PATTERN.finditer(token["data"]):
            found.setdefault(match.group(1).lower(), None)
            if len(found) >= CANDIDATE_LIMIT:
                return list(found)
    return list(found)


def link_mentions(html: str, handles: Mapping[str, str] | set[str]) -> str:
    """`html` with each @handle of a member in `handles` turned into a link to their
    profile; other @words are left as they were. Handles are compared lower-cased."""
    known = {handle.lower() for handle in handles}
    if not known or "@" not in (html or ""):
        return html

    def tokens():
        for token, is_text in _text_outside_skipped_tags(_parse(html)):
            if token["type"] == "Characters" and not is_text:
                yield from _keep_entities(token)
                continue
            if not is_text:
                yield token
                continue
            text, end = token["data"], 0
            for match in MENTION_PATTERN.finditer(text):
                handle = match.group(1).lower()
                if handle not in known:
                    continue
                if match.start() > end:
                    yield from _keep_entities(
                        {"type": "Characters", "data": text[end : match.start()]}
                    )
                yield {
                    "type": "StartTag",
                    "name": "a",
                    "data": {(None, "href"): profile_path(handle), (None, "class"): MENTION_CLASS},
                }
                yield {"type": "Characters", "data": match.group(0)}
                yield {"type": "EndTag", "name": "a"}
                end = match.end()
            if end < len(text):
                yield from _keep_entities({"type": "Characters", "data": text[end:]})

    return _serialize(tokens())


_MENTION_LINK = re.compile(r'<a href="/people/([a-z0-9-]+)" class="mention">')


def linked_mentions(html: str) -> set[str]:
    """The handles `link_mentions` linked in `html` (sanitised member HTML never carries
    a class attribute, so these links are ours)."""
    return set(_MENTION_LINK.findall(html or ""))
