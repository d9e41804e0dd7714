"""Array arithmetic of indexer.engine.whoosh.postings, as tables."""
import numpy as np
import pytest

from indexer.engine.whoosh import postings as vec


def arrays(pairs):
    return (np.array([d for d, _ in pairs], dtype=np.int64), np.array([s for _, s in pairs], dtype=np.float64))


def as_pairs(result):
    docs, scores = result
    return list(zip(docs.tolist(), scores.tolist()))


def packed(doc_positions):
    return np.array(sorted((d << vec.POSITION_BITS) | p for d, p in doc_positions), dtype=np.int64)


@pytest.mark.parametrize("size", [pytest.param(100, id="sparse"), pytest.param(4, id="dense")])
def test_union_sums_scores(size):
    a = arrays([(1, 1.0), (3, 2.0)])
    b = arrays([(0, 0.5), (3, 1.0)])
    assert as_pairs(vec.union([a, b], size)) == [(0, 0.5), (1, 1.0), (3, 3.0)]
    # Coordinated: times the share of the parts holding the document.
    assert as_pairs(vec.union([a, b], size, coordinate=True)) == [(0, 0.25), (1, 0.5), (3, 3.0)]


def test_intersect_difference_maybe():
    a = arrays([(1, 1.0), (2, 1.0), (5, 1.0)])
    b = arrays([(2, 2.0), (5, 3.0), (7, 1.0)])
    assert as_pairs(vec.intersect(a, b)) == [(2, 3.0), (5, 4.0)]
    assert as_pairs(vec.difference(a, b[0])) == [(1, 1.0)]
    assert as_pairs(vec.maybe(a, b)) == [(1, 1.0), (2, 3.0), (5, 4.0)]


@pytest.mark.parametrize(
    "first, second, slop, expected",
    [
        pytest.param([(0, 3)], [(0, 4)], 1, [0], id="adjacent"),
        pytest.param([(0, 4)], [(0, 3)], 1, [], id="wrong-order"),
        pytest.param([(0, 3)], [(0, 3)], 1, [], id="same-position"),
        pytest.param([(0, 3)], [(0, 6)], 1, [], id="gap-beyond-slop-1"),
        pytest.param([(0, 3)], [(0, 7)], 4, [0], id="gap-within-slop"),
        pytest.param([(0, 3)], [(1, 4)], 1, [], id="other-document"),
    ],
)
def test_near(first, second, slop, expected):
    assert vec.near([packed(first), packed(second)], slop).tolist() == expected


def test_top_breaks_ties_by_lower_docnum():
    docs = np.array([4, 7, 9, 12], dtype=np.int64)
    scores = np.array([1.0, 2.0, 2.0, 0.5])
    assert docs[vec.top(docs, scores, 2)].tolist() == [7, 9]
    assert docs[vec.top(docs, scores, 10)].tolist() == [7, 9, 4, 12]


@pytest.mark.parametrize(
    "docs, expected",
    [
        pytest.param([0, 1, 2], [1, 2, 0], id="all"),
        pytest.param([1], [0, 0, 0], id="a-document-of-no-value"),
        pytest.param([2], [0, 1, 0], id="one-value"),
        pytest.param([], [0, 0, 0], id="none"),
    ],
)
def test_facet_counts_by_document_runs_and_by_value_members(docs, expected):
    # doc 0: values 0, 1; doc 1: none; doc 2: value 1; value 2 has no document
    doc_starts = np.array([0, 2, 2, 3], dtype=np.int64)
    doc_values = np.array([0, 1, 1], dtype=np.int64)
    value_starts = np.array([0, 1, 3, 3], dtype=np.int64)
    value_docs = np.array([0, 0, 2], dtype=np.int32)
    docs = np.array(docs, dtype=np.int64)
    assert vec.count_values(doc_starts, doc_values, 3, docs).tolist() == expected
    assert vec.count_members(value_starts, value_docs, 3, docs).tolist() == expected
