"""Query nodes evaluated over a generation's posting columns (numpy arrays).

``Terms`` gives a term's posting list as sorted docnums with a BM25F score
each, from the memory-mapped columns (``columns``: every field a query
names). ``evaluate`` combines them for a query tree (``indexer.engine.base``
nodes) exactly as Whoosh's own BM25F would score it (``postings`` does the
arithmetic). ``to_whoosh`` gives the same tree as a Whoosh query, for what the
arrays do not evaluate (a field without columns among them).
"""
from __future__ import annotations

import threading

import numpy as np
from cachetools import LRUCache
from whoosh import query as wq

from indexer.engine import base
from indexer.engine.whoosh import postings as vec
from indexer.engine.whoosh.columns import Columns

# Phrases whose matching documents are kept per generation.
PHRASE_CACHE_SIZE = 1024


class Unsupported(Exception):
    """A query shape the array evaluator leaves to Whoosh."""


class Terms:
    """Posting lists of one generation, from its mapped columns."""

    def __init__(self, searcher, columns: Columns):
        self.searcher = searcher
        self.columns = columns
        self.size = searcher.reader().doc_count_all()
        self._lock = threading.Lock()
        self._phrases = LRUCache(maxsize=PHRASE_CACHE_SIZE)

    def _bytes(self, fieldname, text) -> bytes:
        return self.searcher.schema[fieldname].to_bytes(text)

    def lengths(self, fieldname, docs: np.ndarray) -> np.ndarray:
        """The field's length of each of ``docs``, as the engine scores it (byte-rounded)."""
        return self.columns.lengths(fieldname, docs)

    def scored(self, fieldname, text):
        """(docnums, BM25F scores) of a term, or empty arrays; a field without
        columns is left to Whoosh (``Unsupported``)."""
        if not self.columns.has(fieldname):
            if fieldname not in self.searcher.schema:
                return vec.EMPTY
            raise Unsupported(f"{fieldname}: a field without columns")
        return self.columns.scored(fieldname, self._bytes(fieldname, text))

    def positions(self, fieldname, text, candidates: np.ndarray) -> np.ndarray:
        """Sorted packed (docnum << 32 | position) of a term's occurrences in the
        candidate documents (a sorted docnum array)."""
        return self.columns.positions(fieldname, self._bytes(fieldname, text), candidates)

    def phrase_docs(self, fieldname, words, slop, candidates) -> np.ndarray:
        """Documents among ``candidates`` (every document holding all the words)
        where the words stand in order within ``slop``; kept per phrase."""
        key = (fieldname, tuple(words), slop)
        with self._lock:
            found = self._phrases.get(key)
        if found is not None:
            return found
        by_word = {w: self.positions(fieldname, w, candidates) for w in dict.fromkeys(words)}
        matched = vec.near([by_word[w] for w in words], max(1, slop))
        with self._lock:
            self._phrases[key] = matched
        return matched


def evaluate(terms: Terms, q: base.Node):
    """(docnums, scores) of a query tree, scored as the engine scores it."""
    if isinstance(q, base.Term):
        docs, scores = terms.scored(q.field, q.text)
    elif isinstance(q, base.Phrase):
        docs, scores = phrase(terms, q.field, list(q.words), q.slop)
    elif isinstance(q, base.ConstantScore):
        docs, _ = evaluate(terms, q.child)
        return docs, np.full(len(docs), float(q.score))
    elif isinstance(q, base.Without):
        positive = evaluate(terms, q.positive)
        docs, scores = vec.difference(positive, evaluate(terms, q.negative)[0])
    elif isinstance(q, base.Prefer):
        docs, scores = vec.maybe(evaluate(terms, q.required), evaluate(terms, q.optional))
    elif isinstance(q, base.AllOf):
        result = None
        # Terms first: their posting lists are cheap and narrow what phrases must check.
        for child in sorted(q.children, key=lambda c: not isinstance(c, base.Term)):
            part = evaluate(terms, child)
            result = part if result is None else vec.intersect(result, part)
            if not len(result[0]):
                break
        docs, scores = result if result is not None else vec.EMPTY
    elif isinstance(q, base.AnyOf):
        docs, scores = vec.union([evaluate(terms, c) for c in q.children], terms.size, q.coordinate)
    elif isinstance(q, base.Lift):
        docs, scores = evaluate(terms, q.child)
        marked = vec.member_mask(evaluate(terms, q.marker)[0], terms.size)[docs]
        scores = np.where(marked, scores * q.factor, scores)
    elif isinstance(q, base.ShortScale):
        docs, scores = evaluate(terms, q.child)
        lengths = terms.lengths("text", docs) if len(docs) else np.zeros(0)
        scores = scores * np.minimum(1.0, lengths / q.terms)
    else:
        raise Unsupported(type(q).__name__)
    if q.boost != 1.0:
        scores = scores * q.boost
    return docs, scores


def phrase(terms: Terms, fieldname, words, slop):
    """Documents where the words stand in order within ``slop``, scored as the
    sum of the words' scores (the engine's span query)."""
    if fieldname not in terms.searcher.schema:
        return vec.EMPTY
    field_type = terms.searcher.schema[fieldname]
    if not field_type.format or not field_type.format.supports("positions") or not terms.columns.has(fieldname):
        raise Unsupported("phrase without positions")
    scored = [terms.scored(fieldname, w) for w in words]
    result = scored[0]
    for part in scored[1:]:
        result = vec.intersect(result, part)
    if not len(result[0]):
        return vec.EMPTY
    candidates = result[0]
    matched = terms.phrase_docs(fieldname, words, slop, candidates)
    keep = vec.contains(matched, candidates)
    return candidates[keep], result[1][keep]


def to_whoosh(q: base.Node):
    """The same query tree as a Whoosh query (Whoosh scores it the same way)."""
    if isinstance(q, base.Term):
        return wq.Term(q.field, q.text, boost=q.boost)
    if isinstance(q, base.Phrase):
        return wq.Phrase(q.field, list(q.words), slop=q.slop, boost=q.boost)
    if isinstance(q, base.AnyOf):
        # Whoosh's Or does not coordinate: only the unscored fallback comes here.
        return wq.Or([to_whoosh(c) for c in q.children], boost=q.boost)
    if isinstance(q, (base.ShortScale, base.Lift)):
        return to_whoosh(q.child)  # the same documents; Whoosh ranks them unscaled
    if isinstance(q, base.AllOf):
        return wq.And([to_whoosh(c) for c in q.children], boost=q.boost)
    if isinstance(q, base.Without):
        return wq.AndNot(to_whoosh(q.positive), to_whoosh(q.negative))
    if isinstance(q, base.Prefer):
        return wq.AndMaybe(to_whoosh(q.required), to_whoosh(q.optional))
    if isinstance(q, base.ConstantScore):
        return wq.ConstantScoreQuery(to_whoosh(q.child), score=q.score)
    raise TypeError(q)
