"""Text primitives the treaty layout needs: invisible characters, letter-spaced words."""
import pytest

from indexer.text.normalize import clean_unit_text, join_letter_spacing, nfkc, strip_invisible


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Agree\u2060ment", "Agreement", id="word-joiner"),
        pytest.param("zero\u200bwidth", "zerowidth", id="zero-width-space"),
        pytest.param("\ufeffTitle", "Title", id="byte-order-mark"),
        pytest.param("left\u200eto\u200fright", "lefttoright", id="direction-marks"),
        # Joiners shape letters in Arabic and Indic scripts; they stay.
        pytest.param("\u0645\u200d\u0646", "\u0645\u200d\u0646", id="zero-width-joiner-kept"),
        pytest.param("plain text", "plain text", id="ascii-unchanged"),
    ],
)
def test_strip_invisible(text, expected):
    assert strip_invisible(text) == expected


def test_invisible_characters_never_reach_unit_text():
    assert clean_unit_text(["the Clearing-\u2060House Mechanism"], {}) == "the Clearing-House Mechanism"
    assert nfkc("in\u2060formation") == "information"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("C h a r t s  a n d  l i s t s", "Charts and lists", id="wider-gaps-between-words"),
        pytest.param("P A R T  I I", "PART II", id="two-letter-word"),
        pytest.param("A N N E X", "ANNEX", id="one-word"),
        pytest.param("Article 5 (a) b c", "Article 5 (a) b c", id="two-single-letters-left"),
        pytest.param("Charts and lists", "Charts and lists", id="ordinary-text"),
    ],
)
def test_join_letter_spacing(text, expected):
    assert join_letter_spacing(text) == expected
