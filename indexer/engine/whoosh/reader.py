"""A Whoosh index generation opened for reading: the ``Reader`` of ``indexer.engine.base``.

Everything derived once from a generation is in its memory-mapped columns
(``columns``), shared by every process reading it: which documents are live,
each facet as arrays (its values, and the values of each document), each
document's place in document order, and the posting lists
(``evaluation.Terms``). A request is matched and
scored over those arrays, filtered, counted per facet and ranked; only the
stored values of the page's hits are read.
"""
from __future__ import annotations

import threading
from functools import cached_property

import numpy as np
from cachetools import LRUCache

from indexer.engine import base
from indexer.engine.whoosh import postings as vec
from indexer.engine.whoosh.resources import allow_open_files, keep_freed_arrays
from indexer.engine.whoosh.columns import REBUILD_HINT, Columns, ColumnsMissing, FacetColumns
from indexer.engine.whoosh.evaluation import Terms, Unsupported, evaluate, to_whoosh
from indexer.engine.whoosh.analyzers import joined
from indexer.engine.whoosh.schema import stored_unit
from indexer.facets import BY_NAME, FACETS, NEWEST_FIRST, sort_key
from indexer.text.analysis import stemmed_terms

# Stored values of units kept per generation (hits, paragraphs, documents).
STORED_CACHE_SIZE = 4096
# "More like this": how many of the unit's most telling terms make the query.
SIMILAR_TERMS = 12
# Spelling suggestions: at most this many edits away, sharing this many first letters;
# this many candidates, the most frequent first (the caller picks the closest).
SUGGESTION_MAX_EDITS = 2
SUGGESTION_PREFIX = 1
SUGGESTION_CANDIDATES = 8
# Open files to allow for per file of the index: two generations open at once
# during a switch, and the rest of the process beside them.
OPEN_FILES_PER_INDEX_FILE = 3
# Counting a multi-valued facet through each matched document's values costs
# about this many times what checking one entry of every value's documents
# does; past that many matches the facet is counted the second way (at 200,000
# units the two cross near 80,000 matches for 286,000 entries).
VALUES_COST_PER_DOC = 4


class _Facet:
    """One facet of a generation over its mapped columns (``columns.FacetColumns``)."""

    def __init__(self, stored: FacetColumns):
        self.stored = stored
        self.name = stored.name
        self.labels = stored.labels
        self.index = {v: i for i, v in enumerate(stored.labels)}

    def docs_of(self, position: int) -> np.ndarray:
        """The sorted live docnums carrying the value at ``position``."""
        starts = self.stored.value_starts
        return self.stored.value_docs[starts[position]:starts[position + 1]]

    def values_of(self, docnum: int) -> list[str]:
        """The values a document carries."""
        starts = self.stored.doc_starts
        return [self.labels[v] for v in self.stored.doc_values[starts[docnum]:starts[docnum + 1]].tolist()]

    def counts(self, docs: np.ndarray) -> np.ndarray:
        """How many of ``docs`` carry each value."""
        stored = self.stored
        if stored.single is not None:
            return np.bincount(stored.single[docs], minlength=len(self.labels) + 1)[1:]
        size = len(stored.doc_starts) - 1
        if len(docs) * VALUES_COST_PER_DOC > len(stored.value_docs) + size // 4:
            return vec.count_members(stored.value_starts, stored.value_docs, size, docs)
        return vec.count_values(stored.doc_starts, stored.doc_values, len(self.labels), docs)

    def mask(self, values, size: int) -> np.ndarray:
        """Live documents carrying any of the values."""
        mask = np.zeros(size, dtype=bool)
        for value in values:
            position = self.index.get(value)
            if position is not None:
                mask[self.docs_of(position)] = True
        return mask

    @cached_property
    def tie_rank(self) -> np.ndarray:
        """Each value's place among values of equal count (the facet's sort rule)."""
        facet = BY_NAME[self.name]
        order = sorted(range(len(self.labels)), key=lambda i: sort_key(facet, self.labels[i], 0))
        rank = np.empty(len(self.labels), dtype=np.int64)
        rank[order] = np.arange(len(self.labels))
        return rank

    def ordered(self, counted: np.ndarray) -> base.FacetCounts:
        """The values with hits, in the facet's sort order."""
        present = np.flatnonzero(counted)
        if BY_NAME[self.name].sort == NEWEST_FIRST:
            present = present[np.argsort(self.tie_rank[present], kind="stable")]
        else:
            present = present[np.lexsort((self.tie_rank[present], -counted[present]))]
        return base.FacetCounts(tuple(map(self.labels.__getitem__, present.tolist())),
                                tuple(counted[present].tolist()))


class WhooshReader:
    """One generation of a Whoosh index, read through its mapped columns. Thread-safe."""

    def __init__(self, ix):
        keep_freed_arrays()  # every request allocates index-sized arrays: reuse their pages
        allow_open_files(OPEN_FILES_PER_INDEX_FILE * len(ix.storage.list()))
        self._ix = ix
        self.searcher = ix.searcher()
        reader = self.searcher.reader()
        # The columns of the commit this searcher reads (an empty index's reader has no generation).
        toc = reader.generation()
        columns = Columns(ix.storage.folder, ix.latest_generation() if toc is None else toc)
        self.terms = Terms(self.searcher, columns)
        # Whoosh's readers share file handles and block buffers: one reading thread at a time.
        self._io = threading.RLock()
        size = self.size = self.terms.size
        if columns.size != size:
            raise ColumnsMissing(f"{ix.storage.folder}: the columns hold {columns.size} units, "
                                 f"the index {size}; {REBUILD_HINT}")
        # Every worker maps the same files: these are views, not copies.
        self.alive_docs = columns.alive_docs
        self.alive_mask = np.zeros(size, dtype=bool)
        self.alive_mask[self.alive_docs] = True
        self.facets = {facet.name: _Facet(columns.facets[facet.name]) for facet in FACETS}
        # Document order (by symbol, then position in the document) breaks ties,
        # so the order of equal hits does not depend on docnums.
        self.doc_rank = columns.doc_rank
        self._primary = _Facet(columns.facets["primary_instrument"])
        # Whoosh opens a segment's stored-fields file on first use: open it now, so
        # this reader keeps it even when the generation is deleted meanwhile.
        for leaf, _ in reader.leaf_readers():
            if leaf.doc_count_all():
                leaf.stored_fields(0)
        self._lock = threading.Lock()
        self._stored = LRUCache(maxsize=STORED_CACHE_SIZE)
        # facet -> its counts over every live unit (see _counts).
        self._everything_counted: dict[str, base.FacetCounts] = {}

    # -- matching ----------------------------------------------------------------

    def _matching(self, query: base.Node | None):
        """(live docnums, scores) of a query; scores None when unscored or Whoosh must rank."""
        if query is None:
            return self.alive_docs, None
        try:
            docs, scores = evaluate(self.terms, query)
        except Unsupported:
            with self._io:
                docs = np.fromiter(self.searcher.docs_for_query(to_whoosh(query)), dtype=np.int64)
            docs.sort()
            scores = None
        live = self.alive_mask[docs]
        return docs[live], (scores[live] if scores is not None else None)

    def _masks(self, filters) -> dict[str, np.ndarray]:
        """facet -> live documents carrying any of its selected values."""
        return {name: self.facets[name].mask(values, self.size) for name, values in filters.items()}

    @staticmethod
    def _passing(masks, docs):
        """Which of ``docs`` pass every mask, or None when there is none."""
        keep = None
        for mask in masks.values():
            keep = mask[docs] if keep is None else keep & mask[docs]
        return keep

    def _docnum(self, uid: str) -> int | None:
        docs = self.terms.scored("uid", uid)[0]
        docs = docs[self.alive_mask[docs]]
        return int(docs[0]) if len(docs) else None

    def _unit(self, docnum: int) -> base.StoredUnit:
        with self._lock:
            found = self._stored.get(docnum)
        if found is None:
            with self._io:
                fields = self.searcher.stored_fields(docnum)
            found = stored_unit(fields)
            with self._lock:
                self._stored[docnum] = found
        return found

    def _top(self, docs, keys, count):
        """Indices of the ``count`` best of ``docs``: highest key first, document order on ties."""
        return vec.top(self.doc_rank[docs], keys, count)

    def _rank(self, query, docs, scores, sort, needed, pinned):
        """The first ``needed`` of ``docs`` (a sorted docnum array) as (docnum, score)."""
        if query is None or sort == "document":
            best = self._top(docs, -self.doc_rank[docs].astype(np.float64), needed)
            ranked = [(int(docs[i]), None) for i in best]
        elif scores is None:
            # Whoosh scores what the arrays do not evaluate.
            allowed = set(docs.tolist())
            with self._io:
                results = self.searcher.search(to_whoosh(query), filter=allowed, limit=needed)
                ranked = [(hit.docnum, hit.score) for hit in results]
            if len(ranked) < needed:
                seen = {d for d, _ in ranked}
                rest = sorted((d for d in allowed if d not in seen), key=lambda d: int(self.doc_rank[d]))
                ranked.extend((d, None) for d in rest[: needed - len(ranked)])
        else:
            scored = np.isfinite(scores)
            ranked = []
            if scored.any():
                sdocs, sscores = docs[scored], scores[scored]
                best = self._top(sdocs, sscores, needed)
                ranked = [(int(sdocs[i]), float(sscores[i])) for i in best]
            if len(ranked) < needed and not scored.all():
                rest = docs[~scored]
                best = self._top(rest, -self.doc_rank[rest].astype(np.float64), needed - len(ranked))
                ranked.extend((int(rest[i]), None) for i in best)
        if pinned:
            # The pinned units that passed the filters first, in their order.
            first = [d for d in pinned if vec.contains(docs, np.array([d]))[0]]
            ranked = [(d, None) for d in first] + [(d, s) for d, s in ranked if d not in first]
        return ranked

    # -- the Reader protocol -------------------------------------------------------

    def search(self, request: base.SearchRequest) -> base.EngineResult:
        """Matching, scoring, filters, order, paging and facet counts of one request."""
        masks = self._masks(request.filters)
        docs, scores = self._matching(request.query)
        pinned = [d for d in dict.fromkeys(self._docnum(uid) for uid in request.pinned) if d is not None]
        for docnum in pinned:
            if vec.contains(docs, np.array([docnum]))[0]:
                continue
            # Units admitted only by being pinned are not scored.
            at = int(np.searchsorted(docs, docnum))
            docs = np.insert(docs, at, docnum)
            if scores is not None:
                scores = np.insert(scores, at, -np.inf)
        if request.require:
            keep = np.ones(len(docs), dtype=bool)
            for name, value in request.require:
                keep &= self.facets[name].mask([value], self.size)[docs]
            docs = docs[keep]
            scores = scores[keep] if scores is not None else None
        facets = {name: self._counts(name, docs, masks) for name in request.facets}
        keep = self._passing(masks, docs)
        if keep is not None:
            docs = docs[keep]
            scores = scores[keep] if scores is not None else None
        total = len(docs)
        hits = ()
        if total and request.limit > 0:
            needed = request.offset + request.limit
            ranked = self._rank(request.query, docs, scores, request.sort, needed, pinned)
            hits = tuple(base.EngineHit(self._unit(d), s) for d, s in ranked[request.offset:needed])
        return base.EngineResult(total=total, hits=hits, facets=facets)

    def _counts(self, name, matched, masks) -> base.FacetCounts:
        # Each facet is counted with every other active filter but not its own,
        # so ticking one value still shows what the others would add.
        keep = None
        for other, mask in masks.items():
            if other != name:
                passed = mask[matched]
                keep = passed if keep is None else keep & passed
        facet = self.facets[name]
        if keep is None and matched is self.alive_docs:
            # Every live unit (browsing, or a facet whose own filter is the only
            # one): the same counts for the generation's life, counted once.
            found = self._everything_counted.get(name)
            if found is None:
                found = self._everything_counted[name] = facet.ordered(facet.counts(matched))
            return found
        within = matched if keep is None else matched[keep]
        return facet.ordered(facet.counts(within))

    def count(self, query, filters) -> int:
        """How many units match the query and pass the filters."""
        docs, _ = self._matching(query)
        keep = self._passing(self._masks(filters), docs)
        return int(keep.sum()) if keep is not None else len(docs)

    def stored(self, uid: str) -> base.StoredUnit | None:
        """The stored values of a live unit, or None."""
        docnum = self._docnum(uid)
        return self._unit(docnum) if docnum is not None else None

    def _document_docnums(self, symbol) -> list[int]:
        f = self.facets["document"]
        position = f.index.get(symbol)
        if position is None:
            return []
        docs = f.docs_of(position)
        return docs[np.argsort(self.doc_rank[docs], kind="stable")].tolist()

    def document_units(self, symbol: str) -> list[base.StoredUnit]:
        """A document's units in document order."""
        return [self._unit(d) for d in self._document_docnums(symbol)]

    def documents(self) -> list[tuple[str, str, int]]:
        """Every indexed document as (symbol, title, units), by symbol."""
        f = self.facets["document"]
        titles = self.terms.columns.titles
        return sorted((symbol, titles[i], len(f.docs_of(i))) for i, symbol in enumerate(f.labels))

    def _with_prefix(self, field: str, prefix: str) -> list[str]:
        """A prefix field's indexed terms starting with ``prefix`` (some may be only on deleted units)."""
        btext = self.searcher.schema[field].to_bytes(prefix)
        return [raw.decode("utf-8") for raw in self.terms.columns.with_prefix(field, btext)]

    def uids_with_prefix(self, prefix: str) -> list[str]:
        """Uids of live units starting with ``prefix``."""
        return [uid for uid in self._with_prefix("uid", prefix) if self._docnum(uid) is not None]

    def cited_by(self, keys, limit: int, exclude: str | None = None) -> list[base.StoredUnit]:
        """Units whose reference keys include any of ``keys``, in document order."""
        docs = set()
        for key in keys:
            found = self.terms.scored("refkey", key)[0]
            docs.update(found[self.alive_mask[found]].tolist())
        if exclude is not None:
            docs.discard(self._docnum(exclude))
        ordered = sorted(docs, key=lambda d: int(self.doc_rank[d]))[:limit]
        return [self._unit(d) for d in ordered]

    def _key_docs(self, key: str) -> list[int]:
        """Live docnums of the units carrying the reference key."""
        found = self.terms.scored("refkey", key)[0]
        return found[self.alive_mask[found]].tolist()

    def _keys_with_prefix(self, prefix: str) -> list[str]:
        """Indexed reference keys starting with ``prefix`` (some may be only on deleted units)."""
        return self._with_prefix("refkey", prefix)

    def referring(self, keys=(), prefixes=()) -> list[base.StoredUnit]:
        """Units whose reference keys include any of ``keys`` or start with any of
        ``prefixes``, in document order."""
        docs: set[int] = set()
        for key in keys:
            docs.update(self._key_docs(key))
        for prefix in prefixes:
            for key in self._keys_with_prefix(prefix):
                docs.update(self._key_docs(key))
        return [self._unit(d) for d in sorted(docs, key=lambda d: int(self.doc_rank[d]))]

    def reference_keys(self, prefix: str) -> list[tuple[str, int]]:
        """Every reference key starting with ``prefix`` that live units carry, and how
        many units carry it, by key."""
        counted = ((key, len(self._key_docs(key))) for key in self._keys_with_prefix(prefix))
        return sorted((key, count) for key, count in counted if count)

    def similar(self, uid: str, limit: int, exclude: tuple[str, str]) -> list[base.EngineHit]:
        """Units most like ``uid`` by their text, none carrying the (facet, value) ``exclude``."""
        docnum = self._docnum(uid)
        if docnum is None:
            return []
        name, value = exclude
        allowed = self.alive_mask & ~self.facets[name].mask([value], self.size)
        if not allowed.any():
            return []
        # The field holds pre-analysed terms: the text is given in the same form.
        text = joined(stemmed_terms(self._unit(docnum).text))
        with self._io:
            results = self.searcher.more_like(
                docnum, "text", text=text, top=limit, numterms=SIMILAR_TERMS,
                filter=set(np.flatnonzero(allowed).tolist()),
            )
            found = [(r.docnum, r.score) for r in results]
        return [base.EngineHit(self._unit(d), score) for d, score in found]

    def cooccurrence(self, query, filters, rows: str, columns: str):
        """For the matching units: (units per row value, units per column value,
        row value -> column value -> units carrying both)."""
        docs, _ = self._matching(query)
        keep = self._passing(self._masks(filters), docs)
        if keep is not None:
            docs = docs[keep]
        row_facet, column_facet = self.facets[rows], self.facets[columns]
        row_totals: dict[str, int] = {}
        column_totals: dict[str, int] = {}
        matrix: dict[str, dict[str, int]] = {}
        for docnum in docs.tolist():
            row_values = row_facet.values_of(docnum)
            column_values = column_facet.values_of(docnum)
            for value in column_values:
                column_totals[value] = column_totals.get(value, 0) + 1
            for value in row_values:
                row_totals[value] = row_totals.get(value, 0) + 1
                cells = matrix.setdefault(value, {})
                for other in column_values:
                    cells[other] = cells.get(other, 0) + 1
        return row_totals, column_totals, matrix

    def primary_counts(self, query, filters) -> dict[str, int]:
        """Units per primary instrument of the matching units ('' for those of none)."""
        docs, _ = self._matching(query)
        keep = self._passing(self._masks(filters), docs)
        if keep is not None:
            docs = docs[keep]
        primary = self._primary
        counted = primary.counts(docs)
        found = {primary.labels[i]: int(counted[i]) for i in np.flatnonzero(counted).tolist()}
        rest = len(docs) - sum(found.values())
        return {**found, "": rest} if rest else found

    def document_frequency(self, field: str, term: str) -> int:
        """How many units hold the term in the field."""
        if self.terms.columns.has(field):
            return len(self.terms.scored(field, term)[0])
        with self._io:
            return self.searcher.doc_frequency(field, term)

    def suggestion(self, field: str, term: str) -> list[str]:
        """Indexed terms of the field close to ``term`` (spelling), the most frequent first."""
        near = self.terms.columns.near(field, term, SUGGESTION_MAX_EDITS, SUGGESTION_PREFIX)
        near.sort(key=lambda found: (-found[1], found[0]))
        return [found for found, _ in near[:SUGGESTION_CANDIDATES]]

    def sample_texts(self, count: int) -> list[str]:
        """The texts of the first ``count`` live units."""
        with self._io:
            return [self.searcher.stored_fields(int(d))["text"] for d in self.alive_docs[:count]]

    def unit_count(self) -> int:
        """Live units."""
        return len(self.alive_docs)

    def close(self) -> None:
        """Release the generation's files."""
        self.searcher.close()
        self._ix.close()
