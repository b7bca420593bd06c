"""Snippets: the searched words marked in an escaped passage, found deep in a long text
(a PDF's extracted text) without analysing all of it."""

from wwc_community.search.results import snippet

FILLER = "The council reviewed the quarterly figures with the city manager. " * 800


def test_a_word_deep_in_a_long_text_is_shown_and_marked():
    text = FILLER + "Our recidivism evaluation found a drop of 12 percent. " + FILLER
    assert len(text) > 100_000
    shown = str(snippet(text, frozenset({"recidiv", "evalu"})))
    assert "<mark>recidivism</mark>" in shown
    assert "<mark>evaluation</mark>" in shown


def test_a_long_text_without_the_words_starts_at_the_beginning():
    shown = str(snippet(FILLER, frozenset({"recidiv"})))
    assert shown.startswith("The council reviewed")
    assert "<mark>" not in shown


def test_text_is_escaped_around_the_marks():
    shown = str(snippet("<script>alert(1)</script> budget & data", frozenset({"budget"})))
    assert "<script>" not in shown
    assert "&lt;/script&gt;" in shown
    assert "<mark>budget</mark>" in shown
