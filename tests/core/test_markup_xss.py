"""Member-written Markdown against a corpus of hostile input: whatever comes out of
render_markdown, a real HTML parser finds nothing in it that could run script."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from wwc_community.core.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

CORPUS = Path(__file__).parent.parent / "fixtures" / "xss_payloads.txt"
SAFE_SCHEMES = {"http", "https", "mailto"}
# What a browser ignores inside an address (and a little more, to be strict).
IGNORED_IN_ADDRESSES = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def read_corpus() -> list[str]:
    """The payloads of the corpus file: one a line, multi-line ones between %%begin/%%end."""
    payloads, block = [], None
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line == "%%begin":
            block = []
        elif line == "%%end":
            payloads.append("\n".join(block))
            block = None
        elif block is not None:
            block.append(line)
        elif line.strip() and not line.startswith("%%"):
            payloads.append(line)
    assert block is None, "a %%begin without its %%end"
    return payloads


PAYLOADS = read_corpus()

# Control characters do not sit well in a text file: these are written here instead.
CONTROL_CHARACTER_PAYLOADS = [
    "[x](\x00javascript:alert(1))",
    "[x](java\x00script:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](\x0bjavascript:alert(1))",
    "[x](\x0cjavascript:alert(1))",
    "[x](java\rscript:alert(1))",
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    "[x](\u00a0javascript:alert(1))",
    "[x](\u2028javascript:alert(1))",
    "[x](\ufeffjavascript:alert(1))",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<img src=x\x00onerror=alert(1)>",
]


class RenderedHtml(HTMLParser):
    """Everything a browser would build from the rendered HTML that could matter."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_comment(self, data):
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.other.append(f"declaration {data!r}")


def parse(rendered: str) -> RenderedHtml:
    parser = RenderedHtml()
    parser.feed(rendered)
    parser.close()
    return parser


def scheme_of(address: str) -> str | None:
    """The scheme a browser would see in an attribute's value (the parser has already
    replaced its entities), once the characters it skips are taken out."""
    address = IGNORED_IN_ADDRESSES.sub("", address)
    match = SCHEME.match(address)
    return match.group(1).lower() if match else None


def problems_in(rendered: str) -> list[str]:
    """Why `rendered` is not safe to put in a page; empty when it is."""
    found = parse(rendered)
    problems = list(found.other)
    for tag, attrs in found.elements:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}> is not an allowed element")
        names = {name for name, _ in attrs}
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"<{tag}> has an event handler {name}")
            if name == "style":
                problems.append(f"<{tag}> has a style attribute")
            if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                problems.append(f"<{tag}> has the attribute {name}, which is not allowed")
            if name in {"href", "src"} and scheme_of(value or "") not in SAFE_SCHEMES | {None}:
                problems.append(f"<{tag}> {name}={value!r} has an unsafe scheme")
        if tag == "a" and "href" in names:
            rel = (dict(attrs).get("rel") or "").split()
            if "nofollow" not in rel or "noopener" not in rel:
                problems.append(f'<a> with an address lacks rel="nofollow noopener": {attrs}')
    return problems


def test_the_corpus_holds_well_over_a_hundred_payloads():
    assert len(PAYLOADS) >= 120
    assert len(set(PAYLOADS)) == len(PAYLOADS), "a payload is written twice"


@pytest.mark.parametrize("payload", PAYLOADS + CONTROL_CHARACTER_PAYLOADS)
def test_no_payload_survives_as_executable_markup(payload):
    rendered = render_markdown(payload)
    assert isinstance(rendered, Markup)
    assert problems_in(str(rendered)) == [], str(rendered)


def test_the_checker_itself_catches_what_it_looks_for():
    """Guard the guard: each kind of unsafe output is reported."""
    assert problems_in("<script>alert(1)</script>")
    assert problems_in('<p onclick="alert(1)">x</p>')
    assert problems_in('<p style="color:red">x</p>')
    assert problems_in('<a href="&#x6A;ava&#x09;script:alert(1)" rel="nofollow noopener">x</a>')
    assert problems_in('<a href=" JAVASCRIPT:alert(1)" rel="nofollow noopener">x</a>')
    assert problems_in('<a href="https://example.org">x</a>')
    assert problems_in("<!-- hidden -->")
    assert not problems_in('<p><a href="/people/dana" rel="nofollow noopener">x</a></p>')


# What members should see ------------------------------------------------------------------


def test_a_markdown_link_keeps_its_address_and_gets_rel_and_title():
    rendered = str(render_markdown('Read [the guide](https://example.org/guide "Our guide").'))
    assert rendered == (
        '<p>Read <a href="https://example.org/guide" title="Our guide" '
        'rel="nofollow noopener">the guide</a>.</p>'
    )


def test_bare_web_addresses_and_autolinks_become_links():
    rendered = str(
        render_markdown("See https://example.org/data?year=2024 or <https://a.example.gov>")
    )
    assert '<a href="https://example.org/data?year=2024" rel="nofollow noopener">' in rendered
    assert '<a href="https://a.example.gov" rel="nofollow noopener">' in rendered


def test_code_blocks_show_markup_as_text():
    rendered = str(render_markdown('```\n<script>alert("hi")</script>\n```\n\nInline `<b>` too.'))
    assert (
        "<pre><code>&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;\n</code></pre>" in rendered
    )
    assert "<code>&lt;b&gt;</code>" in rendered
    assert problems_in(rendered) == []


def test_html_tags_outside_the_safelist_are_dropped_and_their_text_kept():
    rendered = str(render_markdown("Paste <b>this</b> & <em>that</em> <script>x()</script> here"))
    assert rendered == "<p>Paste this &amp; <em>that</em> x() here</p>"


def test_lists_tables_quotes_and_emphasis_render():
    source = (
        "## Steps\n\n1. **Inventory** the data\n2. _Publish_ it\n\n"
        "> Start small.\n\n| Dataset | Rows |\n|:--|--:|\n| Permits | 1,200 |\n"
    )
    rendered = str(render_markdown(source))
    for expected in (
        "<h2>Steps</h2>",
        "<ol>",
        "<li><strong>Inventory</strong> the data</li>",
        "<em>Publish</em>",
        "<blockquote>",
        '<th align="left">Dataset</th>',
        '<td align="right">1,200</td>',
    ):
        assert expected in rendered
    assert problems_in(rendered) == []


def test_a_link_with_a_dangerous_address_keeps_its_text_only():
    rendered = str(render_markdown("[click here](javascript:alert(1))"))
    assert rendered == "<p><a>click here</a></p>"


# Long hostile input renders, and stays safe ---------------------------------------------

LENGTH = 20_000


@pytest.mark.parametrize(
    "source",
    [
        "[" * LENGTH,
        "[" * (LENGTH // 2) + "]" * (LENGTH // 2),
        "[a](" * (LENGTH // 4),
        "![" * (LENGTH // 2),
        "[a][" * (LENGTH // 4),
        "[*" * (LENGTH // 4) + "*]" * (LENGTH // 4),
        "[" * 5_000 + "x" + "](https://example.org)" * 700,
        "*_" * (LENGTH // 2),
        "**a " * (LENGTH // 4),
        "`a``" * (LENGTH // 4),
        "<a " * (LENGTH // 3),
        "> " * (LENGTH // 2) + "x",
        "(" * LENGTH,
        "a-" * (LENGTH // 2),
        "[a](" + "(" * LENGTH,
        '[a](https://example.org "' + '"' * LENGTH,
    ],
    ids=lambda source: repr(source[:12]),
)
def test_twenty_thousand_hostile_characters_render(source):
    assert len(source) >= 15_000
    rendered = render_markdown(source)
    assert len(rendered) > 0
    assert problems_in(str(rendered)) == []
