"""Query nodes evaluated over posting lists read out of a Whoosh index into numpy arrays.

``Terms`` reads a term's posting list once per generation (Whoosh's private
block reader: ``W3LeafMatcher``, ``_lenfield``, the column files) and keeps it
as sorted docnums with a BM25F score each; ``evaluate`` combines them for a
query tree (``indexer.engine.base`` nodes) exactly as Whoosh's own BM25F
would score it (``postings`` does the arithmetic). ``to_whoosh`` gives the
same tree as a Whoosh query, for what the arrays do not evaluate.
"""
from __future__ import annotations

import threading
from itertools import chain

import numpy as np
from cachetools import LRUCache
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.engine import base
from indexer.engine.whoosh import postings as vec

# Postings (and packed positions) kept per generation, counted in array entries.
POSTINGS_BUDGET = 12_000_000
# Phrases whose matching documents are kept per generation.
PHRASE_CACHE_SIZE = 1024


class Unsupported(Exception):
    """A query shape the array evaluator leaves to Whoosh."""


def _entries(value) -> int:
    # Size of a cached posting list: its array entries (at least one).
    return max(1, len(value[0]))


class Terms:
    """Posting lists of one generation read into arrays on first use, kept in a bounded cache."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._lock = threading.Lock()
        # Whoosh's readers share file handles and block buffers: one reading thread at a time.
        self.io = threading.RLock()
        self._scored = LRUCache(maxsize=POSTINGS_BUDGET, getsizeof=_entries)
        self._phrases = LRUCache(maxsize=PHRASE_CACHE_SIZE)
        self._lengths: dict[str, np.ndarray] = {}

    def blocks(self, fieldname, btext, values=False):
        """(docnums, weights, values or None) of every block of a posting list."""
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            m = leaf.postings(fieldname, btext)
            if isinstance(m, W3LeafMatcher):
                while m.is_active():
                    if m._data is None:
                        m._read_data()
                    ids = np.array(m._data[0], dtype=np.int64)
                    if not m._byteids:
                        ids = np.cumsum(ids)  # stored as gaps
                    weights = m._data[1]
                    if weights is None:
                        weights = np.ones(len(ids))
                    elif isinstance(weights, float):
                        weights = np.full(len(ids), weights, dtype=np.float32).astype(np.float64)
                    else:  # the engine reads weights as 32-bit floats
                        weights = np.array(weights, dtype=np.float32).astype(np.float64)
                    vs = None
                    if values:
                        if m._values is None:
                            m._read_values()
                        vs = m._values
                    yield ids + offset, weights, vs
                    m._next_block()
            else:
                ids, weights, vs = [], [], []
                while m.is_active():
                    ids.append(m.id())
                    weights.append(m.weight())
                    if values:
                        vs.append(m.value())
                    m.next()
                yield np.asarray(ids, dtype=np.int64) + offset, np.asarray(weights, dtype=np.float64), vs

    def lengths(self, fieldname) -> np.ndarray:
        """Each document's length of a field, as the engine scores it (byte-rounded)."""
        with self._lock:
            found = self._lengths.get(fieldname)
        if found is not None:
            return found
        table = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
        with self.io:
            parts = self._length_bytes(fieldname)
        lengths = table[np.concatenate(parts)] if parts else np.zeros(0)
        with self._lock:
            self._lengths[fieldname] = lengths
        return lengths

    def _length_bytes(self, fieldname) -> list[np.ndarray]:
        parts = []
        for leaf, _ in self.reader.leaf_readers():
            lenfield = _lenfield(fieldname)
            perdoc = getattr(leaf, "_perdoc", None)
            if perdoc is None or not perdoc.has_column(lenfield):
                parts.append(np.array([
                    length_to_byte(leaf.doc_field_length(d, fieldname, 0) or 0)
                    for d in range(leaf.doc_count_all())
                ], dtype=np.int64))
                continue
            parts.append(column_array(perdoc.column_reader(lenfield, LENGTHS_COLUMN), leaf.doc_count_all()))
        return parts

    def scored(self, fieldname, text):
        """(docnums, BM25F scores) of a term, or empty arrays."""
        key = (fieldname, text)
        with self._lock:
            found = self._scored.get(key)
        if found is not None:
            return found
        if fieldname not in self.searcher.schema:
            return vec.EMPTY
        btext = self.searcher.schema[fieldname].to_bytes(text)
        with self.io:
            blocks = list(self.blocks(fieldname, btext))
            scorable = bool(blocks) and self.searcher.schema[fieldname].scorable
            if scorable:
                idf = self.searcher.idf(fieldname, text)
                avgfl = self.searcher.avg_field_length(fieldname) or 1
        if not blocks:
            result = vec.EMPTY
        else:
            docs = np.concatenate([b[0] for b in blocks])
            weights = np.concatenate([b[1] for b in blocks])
            if scorable:
                scores = vec.bm25(idf, weights, self.lengths(fieldname)[docs], avgfl)
            else:
                scores = weights
            result = (docs, scores)
        with self._lock:
            if _entries(result) <= POSTINGS_BUDGET:
                self._scored[key] = result
        return result

    def positions(self, fieldname, text, candidates: np.ndarray) -> np.ndarray:
        """Sorted packed (docnum << 32 | position) of a term's occurrences in the
        candidate documents (a sorted docnum array); blocks without one are skipped."""
        with self.io:
            return self._positions(fieldname, text, candidates)

    def _positions(self, fieldname, text, candidates: np.ndarray) -> np.ndarray:
        field_type = self.searcher.schema[fieldname]
        decode = field_type.format.decode_positions
        btext = field_type.to_bytes(text)
        docs_parts, pos_parts = [], []
        for leaf, offset in self.reader.leaf_readers():
            if (fieldname, btext) not in leaf:
                continue
            m = leaf.postings(fieldname, btext)
            if not isinstance(m, W3LeafMatcher):
                while m.is_active():
                    d = m.id() + offset
                    if vec.contains(candidates, np.array([d]))[0]:
                        ps = decode(m.value())
                        docs_parts.append(np.full(len(ps), d, dtype=np.int64))
                        pos_parts.append(np.asarray(ps, dtype=np.int64))
                    m.next()
                continue
            low = offset
            while m.is_active():
                high = m._maxid + offset
                first = np.searchsorted(candidates, low)
                if first < len(candidates) and candidates[first] <= high:
                    if m._ids is None:
                        m._read_ids()
                    ids = np.asarray(m._ids, dtype=np.int64) + offset
                    wanted = np.flatnonzero(vec.contains(candidates, ids))
                    if len(wanted):
                        if m._values is None:
                            m._read_values()
                        values = m._values
                        lists = [decode(values[i]) for i in wanted.tolist()]
                        counts = np.fromiter((len(p) for p in lists), dtype=np.int64, count=len(lists))
                        docs_parts.append(np.repeat(ids[wanted], counts))
                        pos_parts.append(np.fromiter(chain.from_iterable(lists), dtype=np.int64,
                                                     count=int(counts.sum())))
                low = high + 1
                m._next_block()
        if not docs_parts:
            return vec.EMPTY_DOCS
        keys = (np.concatenate(docs_parts) << vec.POSITION_BITS) | np.concatenate(pos_parts)
        keys.sort()
        return keys

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
        lengths = terms.lengths("text")[docs] if len(docs) else np.zeros(0)
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
    if not field_type.format or not field_type.format.supports("positions"):
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


def column_array(column, count: int) -> np.ndarray:
    """A numeric column of one segment as an int64 array (absent values: the default)."""
    if isinstance(column, NumericColumn.Reader):
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        values = np.frombuffer(raw, dtype=np.dtype(">" + column._typecode)).astype(np.int64)
        if stored < count:
            values = np.concatenate([values, np.full(count - stored, column._default, dtype=np.int64)])
        return values
    return np.fromiter((column[d] for d in range(count)), dtype=np.int64, count=count)

