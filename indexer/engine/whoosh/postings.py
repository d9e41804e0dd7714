"""Set and scoring arithmetic over posting lists held as numpy arrays.

``indexer.search.service`` reads posting lists out of the index once and keeps them as
sorted docnum arrays with a score per docnum; this module combines them
(union, intersection, difference), scores them with BM25F the way the engine
does, matches phrases from positions, and counts facet values. It knows nothing
of the engine: arrays in, arrays out.
"""
from __future__ import annotations

import numpy as np

EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY = (EMPTY_DOCS, np.zeros(0, dtype=np.float64))
# Positions are packed with their docnum into one int64: docnum << 32 | position.
POSITION_BITS = 32


def bm25(idf: float, tf: np.ndarray, fl: np.ndarray, avgfl: float, b: float = 0.75, k1: float = 1.2):
    """BM25 of a term in each document, as the engine's BM25F computes it."""
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))


def places(haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Where each of ``needles`` would go in the sorted ``haystack``. The needles
    take the haystack's type: numpy would otherwise convert the haystack, a copy
    of a whole posting list (mapped as 32-bit docnums) on every lookup."""
    return np.searchsorted(haystack, needles.astype(haystack.dtype, copy=False))


def contains(docs: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each docnum of ``wanted``, whether the sorted array ``docs`` holds it."""
    if not len(docs) or not len(wanted):
        return np.zeros(len(wanted), dtype=bool)
    idx = places(docs, wanted)
    idx[idx == len(docs)] = 0
    return docs[idx] == wanted


def union(parts, size: int, coordinate: bool = False):
    """Documents in any part, each scored with the sum of the parts it is in; with
    ``coordinate``, times the share of the parts it is in."""
    count = len(parts)
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return EMPTY
    if len(parts) == 1:
        docs, scores = parts[0]
        return (docs, scores / count) if coordinate else parts[0]
    total = sum(len(d) for d, _ in parts)
    if total * 8 > size:
        # Many postings: count over every docnum (bincount adds in the parts'
        # order, as a sum would) rather than sort them.
        every = np.concatenate([d for d, _ in parts])
        scores = np.bincount(every, weights=np.concatenate([s for _, s in parts]), minlength=size)
        matched = np.bincount(every, minlength=size)
        # The nonzero entries of a boolean array: several times faster than of counts.
        docs = np.flatnonzero(matched != 0)
        scores, matched = scores[docs], matched[docs]
    else:
        docs, inverse = np.unique(np.concatenate([d for d, _ in parts]), return_inverse=True)
        scores = np.bincount(inverse, weights=np.concatenate([s for _, s in parts]), minlength=len(docs))
        matched = np.bincount(inverse, minlength=len(docs)) if coordinate else None
    return (docs, scores * matched / count) if coordinate else (docs, scores)


def intersect(a, b):
    """Documents in both, scored with the sum of both scores."""
    (da, sa), (db, sb) = a, b
    if len(da) > len(db):
        (da, sa), (db, sb) = (db, sb), (da, sa)
    if not len(da):
        return EMPTY
    idx = places(db, da)
    idx[idx == len(db)] = 0
    hit = db[idx] == da
    return da[hit], sa[hit] + sb[idx[hit]]


def difference(a, docs_b: np.ndarray):
    """Documents of ``a`` not in ``docs_b``, keeping a's scores."""
    da, sa = a
    keep = ~contains(docs_b, da)
    return da[keep], sa[keep]


def maybe(a, b):
    """Documents of ``a``; those also in ``b`` get b's score added."""
    (da, sa), (db, sb) = a, b
    if not len(db) or not len(da):
        return a
    scores = sa.copy()
    # Look the shorter list up in the longer: a title or a theme boost is often
    # a few hundred documents against a query's tens of thousands.
    if len(db) < len(da):
        idx = places(da, db)
        idx[idx == len(da)] = 0
        hit = da[idx] == db
        scores[idx[hit]] += sb[hit]
        return da, scores
    idx = places(db, da)
    idx[idx == len(db)] = 0
    hit = db[idx] == da
    scores[hit] += sb[idx[hit]]
    return da, scores


def member_mask(docs: np.ndarray, size: int) -> np.ndarray:
    """A boolean array over all ``size`` docnums, true at ``docs``: membership of
    many docnums at once in one pass, where a sorted search would take a log each."""
    mask = np.zeros(size, dtype=bool)
    mask[docs] = True
    return mask


def near(positions: list[np.ndarray], slop: int) -> np.ndarray:
    """Docnums where the terms occur in order, each 1 to ``slop`` positions after
    the previous one (the engine's ordered span match); ``positions`` holds one
    sorted packed-position array per term."""
    ends = positions[0]
    for keys in positions[1:]:
        if not len(ends):
            break
        reach = np.concatenate([ends + step for step in range(1, slop + 1)]) if slop > 1 else ends + 1
        ends = keys[np.isin(keys, reach)]
    return np.unique(ends >> POSITION_BITS)


def top(docs: np.ndarray, keys: np.ndarray, count: int) -> np.ndarray:
    """Indices of the ``count`` best documents: highest key first, lower docnum on ties."""
    if count < len(keys):
        kth = np.partition(keys, len(keys) - count)[len(keys) - count]
        candidates = np.flatnonzero(keys >= kth)
    else:
        candidates = np.arange(len(keys))
    order = np.lexsort((docs[candidates], -keys[candidates]))
    return candidates[order[:count]]


def runs(firsts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices firsts[i] .. firsts[i] + counts[i] - 1 of every run, one run
    after the other (the entries of several slices of one array at once)."""
    total = int(counts.sum())
    return np.repeat(firsts - (np.cumsum(counts) - counts), counts) + np.arange(total)


def count_values(starts: np.ndarray, values: np.ndarray, size: int, docs: np.ndarray) -> np.ndarray:
    """How many of ``docs`` carry each value, from values grouped by docnum
    (the values of docnum d are ``values[starts[d]:starts[d + 1]]``)."""
    first = starts[docs]
    offsets = runs(first, starts[docs + 1] - first)
    if not len(offsets):
        return np.zeros(size, dtype=np.int64)
    return np.bincount(values[offsets], minlength=size)


def count_members(value_starts: np.ndarray, value_docs: np.ndarray, size: int, docs: np.ndarray) -> np.ndarray:
    """How many of ``docs`` (docnums below ``size``) carry each value, from each
    value's documents (``value_docs[value_starts[v]:value_starts[v + 1]]``): one
    pass over every value's documents, whatever the number of ``docs``."""
    wanted = member_mask(docs, size)
    # Running count of wanted entries, starting at 0: a value's count is the
    # difference at the ends of its run.
    running = np.zeros(len(value_docs) + 1, dtype=np.int64)
    np.cumsum(wanted[value_docs], out=running[1:])
    return running[value_starts[1:]] - running[value_starts[:-1]]
