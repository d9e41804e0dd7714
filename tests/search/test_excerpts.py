"""Excerpts: matches marked, everything else escaped, long units cut to the best sentences."""
import pytest

from indexer.text.analysis import exact_terms, stemmed_terms
from indexer.search.excerpts import (
    EXCERPT_CHARACTERS,
    MatchTerms,
    build_excerpt,
    excerpt_for_terminal,
    mark,
    match_spans,
)
from indexer.text.sentences import default_splitter, sentence_spans

SPLITTER = default_splitter()


def sentences(text):
    return sentence_spans(text, SPLITTER)


def stems(words):
    return MatchTerms(stems=frozenset(stemmed_terms(words)))


@pytest.mark.parametrize(
    "text, terms, expected",
    [
        pytest.param("Regional centres.", stems("regional centre"), "<mark>Regional centres</mark>.", id="adjacent-words-one-mark"),
        # Spelling variants and plurals are the same word.
        pytest.param("regional centers", stems("centres"), "regional <mark>centers</mark>", id="us-spelling"),
        pytest.param("INC.1/9 and INC.1/10", MatchTerms(sequences=(tuple(exact_terms("INC.1/9")),)), "<mark>INC.1/9</mark> and INC.1/10", id="symbol-sequence"),
        pytest.param("a <b>bold</b> centre", stems("centre"), "a &lt;b&gt;bold&lt;/b&gt; <mark>centre</mark>", id="markup-escaped"),
        pytest.param('say "x" & y', MatchTerms(), "say &quot;x&quot; &amp; y", id="quotes-and-ampersand-escaped"),
        pytest.param("para 14 (a) of", MatchTerms(sequences=(("14", "a"),)), "para <mark>14 (a)</mark> of", id="subparagraph-sequence"),
    ],
)
def test_short_unit_is_whole_with_marks(text, terms, expected):
    assert build_excerpt(text, terms, sentences) == expected


def test_long_unit_keeps_best_sentences_and_elides_the_rest():
    filler = "This sentence says nothing of interest to the reader at all. " * 8
    text = filler + "The regional centres deliver training. " + filler
    html = build_excerpt(text, stems("regional centres"), sentences)
    assert "<mark>regional centres</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < EXCERPT_CHARACTERS + 60


def test_long_sentence_is_windowed_on_whole_words():
    text = ("word " * 200) + "mercury " + ("word " * 200)
    html = build_excerpt(text.strip(), stems("mercury"), sentences)
    assert "<mark>mercury</mark>" in html
    inner = html.strip("… ")
    assert all(piece == "word" or "mercury" in piece for piece in inner.split())


def test_no_match_shows_the_opening():
    text = "First sentence here. " * 40
    html = build_excerpt(text.strip(), MatchTerms(), sentences)
    assert html.startswith("First sentence here.") and "<mark>" not in html


def test_mark_escapes_inside_and_outside():
    assert mark("<x>&<y>", [(3, 4)]) == "&lt;x&gt;<mark>&amp;</mark>&lt;y&gt;"


def test_match_spans_ignore_stop_words():
    assert match_spans("the centre of the", stems("the centre")) == [(4, 10)]


@pytest.mark.parametrize(
    "excerpt_html, marks, expected",
    [
        pytest.param("regional <mark>centres</mark>", ("*", "*"), "regional *centres*", id="mark-becomes-markers"),
        pytest.param("a &lt;b&gt; &amp; <mark>x</mark>", ("[", "]"), "a <b> & [x]", id="entities-decoded"),
        # A decoded "<mark>" in the document's own text is text, not a match.
        pytest.param("&lt;mark&gt;x&lt;/mark&gt;", ("*", "*"), "<mark>x</mark>", id="escaped-mark-stays-text"),
        pytest.param("<mark>a</mark> <mark>b</mark>", ("\x1b[1;7m", "\x1b[0m"), "\x1b[1;7ma\x1b[0m \x1b[1;7mb\x1b[0m", id="terminal-video"),
        pytest.param("&quot;14 (a)&quot;", ("*", "*"), '"14 (a)"', id="quotes"),
    ],
)
def test_excerpt_for_terminal(excerpt_html, marks, expected):
    assert excerpt_for_terminal(excerpt_html, marks) == expected
