"""Small readers of discussion pages that several test modules share."""

import re
from collections import Counter


def address(thread) -> str:
    return f"/discussions/{thread.id}-{thread.slug}"


def text_of(response) -> str:
    return response.get_data(as_text=True)


def no_repeated_ids(page: str) -> None:
    """Each id on the page names one element: labels and skip links depend on it."""
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if n > 1]
    assert repeated == []
