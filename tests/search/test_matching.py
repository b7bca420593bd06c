"""The array matcher against Whoosh's own searcher on the same index: the same documents
match, with the same BM25F scores, across several segments and after deletions. It
reads Whoosh's internals (matching.py), so these tests are what notices an upgrade that
changes them."""

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from wwc_community.search import matching
from wwc_community.search.queries import _segments, parse_user_query, plan_query
from wwc_community.search.schema import MEMBERS, PUBLIC, build_schema

WORDS = "budget data evaluation contracting residents dashboard permit housing".split()


def _document(number: int) -> dict:
    # Deterministic, varied lengths and word mixes.
    title_words = [WORDS[(number * 3 + k) % len(WORDS)] for k in range(1 + number % 3)]
    body_words = [WORDS[(number * 7 + k * k) % len(WORDS)] for k in range(5 + number % 40)]
    return dict(
        doc_id=f"practice:{number}",
        kind="practice",
        object_id=number,
        title=" ".join(title_words),
        body=" ".join(body_words),
        spelling=" ".join(title_words + body_words),
        visibility=PUBLIC if number % 4 else MEMBERS,
    )


@pytest.fixture
def searcher(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    # Three commits without merging: three segments; then some deletions.
    for start in (0, 200, 400):
        writer = ix.writer()
        for number in range(start, start + 200):
            writer.add_document(**_document(number))
        writer.commit(merge=False)
    writer = ix.writer()
    for number in range(0, 600, 7):
        writer.delete_by_term("doc_id", f"practice:{number}")
    writer.commit(merge=False)
    opened = ix.searcher()
    assert len(opened.leaf_searchers()) > 1
    matching.clear_caches()
    yield opened
    opened.close()


def _ours(searcher, q: str, tokens=frozenset({PUBLIC, MEMBERS})) -> dict[int, float]:
    plan = plan_query(searcher, parse_user_query(q))
    found = {}
    for segment in _segments(searcher, plan, tokens):
        for docnum in segment.matched.nonzero()[0].tolist():
            stored = searcher.stored_fields(segment.offset + docnum)
            found[stored["object_id"]] = float(segment.score[docnum])
    return found


def _whooshs(searcher, query, filter_query=None) -> dict[int, float]:
    hits = searcher.search(query, limit=None, filter=filter_query)
    return {hit["object_id"]: hit.score for hit in hits}


def _either_field(word: str) -> wq.Query:
    return wq.Or([wq.Term("title", word), wq.Term("body", word)])


@pytest.mark.parametrize("word", ["budget", "evaluation", "permit"])
def test_one_word_matches_and_scores_as_whoosh_does(searcher, word):
    ours = _ours(searcher, word)
    theirs = _whooshs(
        searcher, _either_field(searcher.schema["body"].analyzer(word).__next__().text)
    )
    assert ours.keys() == theirs.keys()
    assert ours, "the word should match something"
    for object_id, score in theirs.items():
        assert ours[object_id] == pytest.approx(score, rel=1e-4)


def test_and_or_not_match_the_same_documents_as_whoosh(searcher):
    ours = _ours(searcher, "budget OR housing dashboard -permit")
    query = wq.And(
        [
            wq.Or([_either_field("budget"), _either_field("hous")]),
            _either_field("dashboard"),
            wq.Not(_either_field("permit")),
        ]
    )
    assert ours.keys() == _whooshs(searcher, query).keys()


def test_a_phrase_matches_the_same_documents_as_whoosh(searcher):
    from wwc_community.search.queries import _check_phrases

    plan = plan_query(searcher, parse_user_query('"data evaluation"'))
    segments = _segments(searcher, plan, frozenset({PUBLIC, MEMBERS}))
    _check_phrases(segments, plan, matching.Clock(10))
    ours = {
        searcher.stored_fields(s.offset + d)["object_id"]
        for s in segments
        for d in s.matched.nonzero()[0].tolist()
    }
    phrase = wq.Or([wq.Phrase("title", ["data", "evalu"]), wq.Phrase("body", ["data", "evalu"])])
    assert ours == set(_whooshs(searcher, phrase))
    assert ours


def test_visibility_and_deletions_are_applied(searcher):
    ours = _ours(searcher, "budget", tokens=frozenset({PUBLIC}))
    theirs = _whooshs(searcher, _either_field("budget"), wq.Term("visibility", PUBLIC))
    assert ours.keys() == theirs.keys()
    assert all(object_id % 7 for object_id in ours), "deleted documents never match"


def test_segment_arrays_hold_what_whoosh_reads_document_by_document(tmp_path):
    from datetime import datetime

    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = ix.writer()
    for number in range(30):
        fields = _document(number)
        if number % 3:  # some documents have no date or popularity
            fields.update(date=datetime(2020 + number % 6, 1 + number % 12, 3, 4, 5, 6))
            fields.update(popularity=number * 7 - 40)
        writer.add_document(**fields)
    writer.commit()
    with ix.searcher() as opened:
        reader = opened.reader()
        facts = matching.segment_facts(reader)
        dates = reader.column_reader("date")
        popularity = reader.column_reader("popularity")
        for docnum in range(30):
            stored = opened.stored_fields(docnum)
            if "date" in stored:
                epoch = datetime(1970, 1, 1)
                assert facts.date[docnum] == (dates[docnum] - epoch).total_seconds()
                assert facts.popularity[docnum] == popularity[docnum]
            else:
                assert facts.date[docnum] == 0 and facts.popularity[docnum] == 0
            for fieldname in matching.TEXT_FIELDS:
                length = reader.doc_field_length(docnum, fieldname, 0)
                assert facts.lengths[fieldname][docnum] == length
