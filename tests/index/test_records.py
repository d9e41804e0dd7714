"""Index records: the traits a unit carries (a provision, the kinds of answer it holds)."""
import pytest

from indexer.index.records import unit_traits
from indexer.models import PROVISION, Unit


def _unit(paragraph: str, text: str) -> Unit:
    return Unit("X/1", "A title", paragraph, "paragraph", (), None, text, f"X/1, {paragraph}", 0, None)


@pytest.mark.parametrize(
    "paragraph, text, expected",
    [
        pytest.param("art14.1", "The Parties agree to establish centres.", (PROVISION,), id="article"),
        pytest.param("dec1-CP-21.annex.art8.1", "Parties recognize the importance.", (PROVISION,), id="article-in-annex"),
        pytest.param("annexI.rule6.1", "Meetings shall be held every two years.", (PROVISION, "frequency", "duration"),
                     id="rule-with-frequency"),
        pytest.param("reg18bis.1", "The contractor shall report.", (PROVISION,), id="regulation"),
        pytest.param("14(a)", "The secretariat notes the centres.", (), id="note-paragraph"),
        pytest.param("pp3", "Recalling its resolution of 20 September 2023,", ("date",), id="preamble-with-date"),
        pytest.param("partial1", "Nothing here.", (), id="word-starting-with-art-is-not-an-article"),
    ],
)
def test_unit_traits(paragraph, text, expected):
    assert unit_traits(_unit(paragraph, text)) == expected
