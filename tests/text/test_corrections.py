"""The spelling correction is the closest of the index's candidates, swaps counting once."""
import pytest

from indexer.text.corrections import closest_spelling


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
