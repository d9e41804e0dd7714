"""The spelling correction is the closest of the index's candidates, swaps counting once."""
import pytest

from indexer.text.corrections import closest_spelling, vocabulary_candidates


@pytest.mark.parametrize(
    "word, candidates, expected",
    [
        pytest.param("basle", ["based", "basis", "basic", "basel", "bali"], "basel", id="swap-is-one-edit"),
        pytest.param("minamta", ["minima", "minamata"], "minamata", id="closer-though-rarer"),
        pytest.param("mercurry", ["mercury", "mercuric"], "mercury", id="deletion"),
        pytest.param("stockolm", ["stockholm"], "stockholm", id="one-candidate"),
        pytest.param("centr", ["centro", "centre", "central"], "centro", id="equals-keep-the-engines-order"),
        pytest.param("ozon", [], None, id="no-candidate"),
    ],
)
def test_closest_spelling(word, candidates, expected):
    assert closest_spelling(word, candidates) == expected


@pytest.mark.parametrize(
    "word, vocabulary, expected",
    [
        pytest.param("minamta", {"minamata", "montreal", "mercury"}, ["minamata"], id="one-deletion"),
        pytest.param("protocl", {"protocol", "protocols", "control"}, ["protocol", "protocols"], id="closest-first"),
        pytest.param("basle", {"basel"}, ["basel"], id="swap-is-one-edit"),
        pytest.param("basel", {"basel"}, [], id="not-itself"),
        pytest.param("stockholm", {"rotterdam", "minamata"}, [], id="nothing-close"),
        pytest.param("ab", {"abcde"}, [], id="length-too-far"),
    ],
)
def test_vocabulary_candidates(word, vocabulary, expected):
    assert vocabulary_candidates(word, vocabulary) == expected


def test_spelling_words_are_the_instruments_names(vocabulary):
    from indexer.search.lexicon import lexicon_from_vocabulary

    words = lexicon_from_vocabulary(vocabulary).spelling_words
    assert {"minamata", "stockholm", "cartagena", "protocol", "convention"} <= words
    assert "the" not in words and "of" not in words and "law" not in words  # stop words and short words
