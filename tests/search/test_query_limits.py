"""Queries cannot crash anything: the parser, the citation reader and the spelling
corrector take any text, refuse only with the user-facing error, and do bounded work."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search import QueryError, citations, syntax
from indexer.search.citations import MAX_CITATION_LENGTH, parse_citation
from indexer.search.service import MAX_CORRECTED_WORD_LENGTH, MAX_CORRECTED_WORDS
from indexer.search.syntax import MAX_DEPTH, MAX_QUERY_LENGTH, MAX_TERMS, QuerySyntaxError, QueryTooComplex, parse
from indexer.text.spelling import fold_spelling

# Text a user (or an attacker) may type: operators, brackets, quotes and words.
PIECES = st.sampled_from(["(", ")", "(", ")", '"', "“", "-", "NOT ", "OR ", "AND ", " ", "x", "14(a)", "mercury "])
QUERY_TEXT = st.one_of(
    st.text(max_size=MAX_QUERY_LENGTH),
    st.lists(PIECES, max_size=400).map("".join),
    st.integers(0, 600).map(lambda n: "(" * n + "x" + ")" * n),  # deep nesting
    st.integers(0, 600).map(lambda n: "( " * n + "x" + " )" * n),
    st.integers(0, 300).map(lambda n: "merkury " * n),  # long misspelt queries
)


class Counted:
    """Calls of the parser's methods, and how deep its recursion went."""

    def __init__(self, monkeypatch):
        self.calls = 0
        self.depth = self.deepest = 0
        for name in ("parse_or", "parse_and", "parse_unary", "parse_atom"):
            monkeypatch.setattr(syntax._Parser, name, self._wrap(getattr(syntax._Parser, name)))

    def _wrap(self, method):
        def counted(parser, *args):
            self.calls += 1
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)
            try:
                return method(parser, *args)
            finally:
                self.depth -= 1
        return counted


@settings(max_examples=400, deadline=None)
@given(QUERY_TEXT)
def test_any_query_parses_or_gets_a_message(text):
    with pytest.MonkeyPatch.context() as patch:
        counted = Counted(patch)
        try:
            tree = parse(text)
        except (QuerySyntaxError, QueryTooComplex) as error:
            tree = error
    if isinstance(tree, Exception):
        error = tree
        assert str(error).endswith(".")  # a sentence for the user
        return
    assert tree is None or isinstance(tree, (syntax.Word, syntax.Phrase, syntax.Not, syntax.And, syntax.Or))
    tokens = len(syntax.tokenize(text))
    # every token is taken by one call of each level at most, and the parser
    # recurses four calls per level of parentheses
    assert counted.calls <= 4 * tokens + 4
    assert counted.deepest <= 4 * (MAX_DEPTH + 1)


@pytest.mark.parametrize(
    "text, limit",
    [
        pytest.param("( " * MAX_DEPTH + "x" + " )" * MAX_DEPTH, None, id="deepest-allowed"),
        pytest.param("( " * (MAX_DEPTH + 1) + "x" + " )" * (MAX_DEPTH + 1), "depth", id="one-level-too-deep"),
        # the attack that raised RecursionError: 244 "(" around one word
        pytest.param("(" * 244 + "x" + ")" * 244, "depth", id="244-levels"),
        # unclosed parentheses count as nesting too
        pytest.param("( " * 300 + "x", "depth", id="unclosed"),
        pytest.param(" ".join(["mercury"] * MAX_TERMS), None, id="most-terms-allowed"),
        pytest.param(" ".join(["mercury"] * (MAX_TERMS + 1)), "terms", id="one-term-too-many"),
        pytest.param(" OR ".join(['"a b"'] * (MAX_TERMS + 1)), "terms", id="phrases-count"),
    ],
)
def test_query_limits(text, limit):
    if limit is None:
        assert parse(text) is not None
        return
    with pytest.raises(QueryTooComplex) as caught:
        parse(text)
    assert caught.value.limit == limit
    assert str(MAX_DEPTH if limit == "depth" else MAX_TERMS) in str(caught.value)


def test_the_service_refuses_a_too_complex_query_naming_q(service):
    with pytest.raises(QueryError) as caught:
        service.search("(" * 244 + "x" + ")" * 244)
    assert caught.value.parameter == "q" and str(MAX_DEPTH) in caught.value.message
    with pytest.raises(QueryError):
        service.compare(" ".join(["mercury"] * (MAX_TERMS + 1)))


class Matched:
    """The lengths of the text the citation patterns are given."""

    def __init__(self, monkeypatch):
        self.lengths = []
        self.runs = []
        for name in ("_ARTICLE_CITATION", "_ARTICLE_FIRST", "_PARAGRAPH_CITATION"):
            monkeypatch.setattr(citations, name, self._wrap(getattr(citations, name)))

    def _wrap(self, pattern):
        outer = self

        class Pattern:
            def match(self, text):
                outer.lengths.append(len(text))
                outer.runs.append("  " in text or "\t" in text or "\n" in text)
                return pattern.match(text)

        return Pattern()


CITATION_TEXT = st.one_of(
    st.text(max_size=2000),
    st.lists(st.sampled_from(["UNEP/", "para ", "art. ", "1", "(a)", " ", ",", "\t", "of the ", "Basel "]),
             max_size=500).map("".join),
    st.integers(0, 3000).map(lambda n: " " * n + "x"),  # 250 spaces took the patterns 35 s
)


@settings(max_examples=400, deadline=None)
@given(CITATION_TEXT)
def test_any_text_is_a_citation_or_not_with_bounded_work(text):
    with pytest.MonkeyPatch.context() as patch:
        matched = Matched(patch)
        found = parse_citation(text)
    assert found is None or isinstance(found, citations.CitationQuery)
    # the patterns only ever see short text without runs of whitespace
    assert all(length <= MAX_CITATION_LENGTH for length in matched.lengths)
    assert not any(matched.runs)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=2000))
def test_spelling_folds_any_text(text):
    assert isinstance(fold_spelling(text), str)


@pytest.fixture
def suggestions(monkeypatch):
    """The words the engine is asked spellings of."""
    from indexer.engine.whoosh.reader import WhooshReader  # only to watch it, never to search

    asked = []
    real = WhooshReader.suggestion

    def watched(self, field, term):
        asked.append(term)
        return real(self, field, term)

    monkeypatch.setattr(WhooshReader, "suggestion", watched)
    return asked


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("merkury " * 120, id="long-misspelt-query"),
        pytest.param(" ".join(f"zq{i}xv" for i in range(MAX_TERMS)), id="many-unknown-words"),
        pytest.param("merkury" * 140, id="one-word-of-980-letters"),
    ],
)
def test_spelling_correction_of_long_queries_is_bounded(service, suggestions, query):
    try:
        service.search(query[:MAX_QUERY_LENGTH])
    except QueryError as error:  # too many terms: refused before any correction
        assert error.parameter == "q"
    assert len(suggestions) <= MAX_CORRECTED_WORDS
    assert all(len(word) <= MAX_CORRECTED_WORD_LENGTH for word in suggestions)


def test_spelling_correction_still_suggests(service, suggestions):
    result = service.search("mercuyr emisions")
    assert result.suggestion == "mercury emissions"
    assert 1 <= len(suggestions) <= MAX_CORRECTED_WORDS
