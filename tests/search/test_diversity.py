"""The first page spread over its sources, a text once (pure: positions in, positions out)."""
import pytest

from indexer.search.diversity import spread


@pytest.mark.parametrize(
    "sources, texts, page_size, per_source, order, full",
    [
        pytest.param("AAAAB", "abcde", 3, 2, [0, 1, 4, 2, 3], True, id="third-of-a-source-waits"),
        pytest.param("ABAB", "abcd", 2, 1, [0, 1, 2, 3], True, id="already-spread"),
        pytest.param("AAAA", "abcd", 2, 1, [0, 1, 2, 3], False, id="one-source-the-page-short-then-the-rest"),
        pytest.param("ABCD", "aacd", 3, 2, [0, 2, 3, 1], True, id="the-same-text-once"),
        pytest.param("", "", 10, 3, [], False, id="nothing"),
        pytest.param("AABBA", "abcde", 4, 2, [0, 1, 2, 3, 4], True, id="past-the-first-page-in-rank-order"),
    ],
)
def test_spread(sources, texts, page_size, per_source, order, full):
    assert spread(list(sources), list(texts), page_size, per_source) == (order, full)
