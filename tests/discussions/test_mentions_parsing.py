"""@handle mentions: found only in plain text, linked without breaking the sanitised HTML,
and never a way to smuggle markup in."""

import re

import pytest

from wwc_community.core.markup import ALLOWED_TAGS, render_markdown
from wwc_community.discussions.mentions import (
    CANDIDATE_LIMIT,
    find_mentions,
    link_mentions,
    linked_mentions,
)


def html(source: str) -> str:
    return str(render_markdown(source))


def test_handles_in_text_are_found_in_order_without_repeats():
    page = html("Thanks @ana-ruiz and @Bob99. @ana-ruiz, what did @bob99 say?")
    assert find_mentions(page) == ["ana-ruiz", "bob99"]


@pytest.mark.parametrize(
    "source",
    [
        "Write to ana@city.gov",
        "`@ana-ruiz` in code",
        "```\n@ana-ruiz in a block\n```",
        "    @ana-ruiz indented code",
        "[@ana-ruiz](https://example.gov)",
        "https://example.gov/@ana-ruiz",
        "@ana_ruiz is not a handle",
        "@-ana starts with a hyphen",
        "&#64;ana-ruiz written as an entity",
        "@" + "a" * 41,
    ],
)
def test_what_is_not_a_mention(source):
    assert "ana-ruiz" not in find_mentions(html(source))
    assert 'class="mention"' not in link_mentions(html(source), {"ana-ruiz", "a" * 41})


def test_only_known_members_are_linked_and_the_text_stays_as_written():
    page = link_mentions(html("Ask @Ana-Ruiz or @nobody-here."), {"ana-ruiz"})
    assert page == (
        '<p>Ask <a href="/people/ana-ruiz" class="mention">@Ana-Ruiz</a> or @nobody-here.</p>'
    )
    assert linked_mentions(page) == {"ana-ruiz"}


def test_punctuation_after_a_handle_is_kept_outside_the_link():
    page = link_mentions(html("Thanks @ana-ruiz! And @ana-ruiz- too."), {"ana-ruiz"})
    assert '<a href="/people/ana-ruiz" class="mention">@ana-ruiz</a>!' in page
    assert '<a href="/people/ana-ruiz" class="mention">@ana-ruiz</a>-' in page


def test_linking_keeps_escaped_text_escaped():
    source = "<b>@ana-ruiz</b> &lt;script&gt; 1 < 2 & @ana-ruiz `x < y`"
    before = html(source)
    page = link_mentions(before, {"ana-ruiz"})
    assert page.count('class="mention"') == 2
    assert "<script" not in page and "<b>" not in page
    # Everything but the links is exactly as the sanitiser left it.
    assert page.replace(
        '<a href="/people/ana-ruiz" class="mention">@ana-ruiz</a>', "@ana-ruiz"
    ) == (before)


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="javascript:alert(1)">@ana-ruiz</a>',
        '<img src=x onerror="alert(1)">@ana-ruiz',
        '<p title="@ana-ruiz&quot; onmouseover=&quot;alert(1)">@ana-ruiz</p>',
        '<abbr title="x>@ana-ruiz">@ana-ruiz</abbr>',
        "<svg><a xlink:href=javascript:alert(1)>@ana-ruiz</a></svg>",
        "@ana-ruiz<script>alert(1)</script>",
        "<scr<script>ipt>@ana-ruiz</script>",
        "[@ana-ruiz](javascript:alert(1))",
        "<math><mi>@ana-ruiz</mi></math>",
        '"><@ana-ruiz onfocus=alert(1) autofocus>',
        "@ana-ruiz" * 50,
    ],
)
def test_hostile_input_stays_harmless(payload):
    page = link_mentions(html(payload), {"ana-ruiz"})
    for tag in re.findall(r"<[^>]*>", page):
        name = re.match(r"</?([a-z0-9]+)", tag).group(1)
        assert name in ALLOWED_TAGS, page
        assert not re.search(r"\son[a-z]+\s*=", tag, re.IGNORECASE), page
        assert "javascript:" not in tag.lower(), page
    # A mention inside an attribute value is never turned into markup.
    assert 'title="x><a' not in page and '="@ana-ruiz<a' not in page


def test_a_flood_of_handles_is_cut_short():
    page = html(" ".join(f"@member-{n}" for n in range(500)))
    assert len(find_mentions(page)) == CANDIDATE_LIMIT


def test_empty_and_mention_free_html_comes_back_unchanged():
    assert link_mentions("", {"ana-ruiz"}) == ""
    assert link_mentions("<p>No one named.</p>", {"ana-ruiz"}) == "<p>No one named.</p>"
    assert link_mentions("<p>@ana-ruiz</p>", set()) == "<p>@ana-ruiz</p>"
