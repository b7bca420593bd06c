"""Initials avatars: a colour per handle, and white initials readable on every colour."""

import re
from pathlib import Path

from wwc_community.directory.views import AVATAR_COLOURS, avatar_colour

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour like #0b4f8a."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def test_every_avatar_colour_has_aa_contrast_with_white_initials():
    colours = dict(
        re.findall(
            r"\.avatar-colour-(\d+) \{ background: (#[0-9a-fA-F]{6}); \}", STYLESHEET.read_text()
        )
    )
    assert sorted(map(int, colours)) == list(range(AVATAR_COLOURS))
    for number, colour in colours.items():
        ratio = (1.0 + 0.05) / (relative_luminance(colour) + 0.05)
        assert ratio >= 4.5, f"avatar colour {number} ({colour}) has contrast {ratio:.2f}"


def test_a_handle_always_gets_the_same_colour_and_handles_spread_over_all():
    assert avatar_colour("dana-analyst") == avatar_colour("dana-analyst")
    used = {avatar_colour(f"member-{number}") for number in range(200)}
    assert used == set(range(AVATAR_COLOURS))
