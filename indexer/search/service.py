"""The only door to the index for reading: queries and filters in, plain dataclasses out.

Callers (the CLI, the web app) hold one ``SearchService`` per index directory
and call ``search``, ``paragraph``, ``document`` and ``compare``. No engine
object leaves this module. The service notices a newly published index
generation on the next call and switches to it; a call already running
finishes on the generation it started with.

A search reads the posting lists it needs into numpy arrays once per
generation (``indexer.engine.whoosh.postings`` does the arithmetic), matches and scores
there exactly as the engine's BM25F would, counts facets from per-generation
arrays, and builds only the hits of the page. The engine answers the query
shapes the arrays do not cover, "more like this" and spelling corrections.
"""
from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.engine.whoosh import postings as vec
from indexer.search import cite, cited_by, resolve, syntax
from indexer.text.analysis import exact_terms, stemmed_terms
from indexer.search.addresses import unit_locator
from indexer.search.citations import CitationQuery, document_matches, parse_citation
from indexer.search.excerpts import MatchTerms, build_excerpt
from indexer.search.lexicon import Lexicon, load_lexicon
from indexer.engine.whoosh.schema import FACET_FIELDS
from indexer.text.sentences import sentence_spans, train_splitter
from indexer.storage.generations import IndexHandle, IndexMissing, current_generation, open_current, read_manifest
from indexer.search.documents import (
    DocumentCard, MissingDocument, OriginalFile, is_symbol_query, meeting_of, original_file,
)

SORTS = ("relevance", "document")
FACETS = tuple(FACET_FIELDS)
MAX_PER_PAGE = 100
# Result pages kept per service, keyed by generation and request.
RESULT_CACHE_SIZE = 256
# Hits (stored fields and excerpt of a unit for a query's words) kept per generation.
HIT_CACHE_SIZE = 4096
# Citations resolved and spelling corrections found, kept per generation.
MEMO_CACHE_SIZE = 1024
# How far apart query words may stand to count as "near", and what that adds.
PROXIMITY_SLOP = 4
PROXIMITY_BOOST = 1.5
# Added to the score of a paragraph tagged with a theme the query names.
THEME_BOOST = 6.0


class QueryError(ValueError):
    """A request the user can fix: names the parameter and says what to do."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Hit:
    uid: str
    symbol: str
    title: str
    paragraph: str
    kind: str
    citation: str
    section: tuple[str, ...]
    page: int | None
    text: str
    excerpt_html: str
    score: float | None
    primary_instrument: str
    instruments: tuple[str, ...]
    themes: tuple[str, ...]
    references: tuple[str, ...]
    year: str
    order: int


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    filters: dict[str, tuple[str, ...]]
    suggestion: str | None = None
    message: str | None = None  # why the query gave nothing, in words a user understands
    cited: str | None = None  # uid of the unit the query cites, shown first
    document: DocumentCard | None = None  # the document a symbol typed alone names, shown first

    @property
    def pages(self) -> int:
        """Number of result pages."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class OutlineEntry:
    heading: str
    depth: int
    first_uid: str
    first_paragraph: str


@dataclass(frozen=True)
class ResolvedReference:
    text: str
    uid: str | None  # the unit it points to, when indexed
    symbol: str | None  # the document it points to, when indexed
    status: str = "missing"  # "unit" | "document" | "missing" (not in the index)
    target: str = ""  # what it names: "UNEP(DTIE)/Hg/OEWG.2/10", "decision II/8"


@dataclass(frozen=True)
class ParagraphView:
    hit: Hit
    previous: Hit | None
    next: Hit | None
    outline: tuple[OutlineEntry, ...]
    references: tuple[ResolvedReference, ...]
    cited_by: tuple[Hit, ...]
    similar: tuple[Hit, ...]
    cited_by_total: int = 0  # every citing unit; ``cited_by`` is the page asked for
    cited_by_page: int = 1
    cited_by_per_page: int = 10

    @property
    def cited_by_pages(self) -> int:
        """Number of pages of citing units."""
        return max(1, -(-self.cited_by_total // self.cited_by_per_page))


@dataclass(frozen=True)
class DocumentView:
    symbol: str
    title: str
    date: str | None
    year: str
    primary_instrument: str
    units: tuple[Hit, ...]
    outline: tuple[OutlineEntry, ...]


@dataclass(frozen=True)
class CompareColumn:
    instrument: str
    label: str
    total: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class CompareView:
    query: str
    total: int
    columns: tuple[CompareColumn, ...]
    themes: tuple[FacetValue, ...]  # matrix columns
    matrix: dict[str, dict[str, int]]  # instrument -> theme -> count
    message: str | None = None


@dataclass
class _Facet:
    """One facet of a generation as arrays: its values, and (docnum, value) pairs."""

    labels: list[str]
    index: dict[str, int]
    value_docs: list[np.ndarray]  # value index -> sorted live docnums
    pair_docs: np.ndarray
    pair_values: np.ndarray
    # The same pairs by docnum: the values of docnum d are values[starts[d]:starts[d + 1]].
    starts: np.ndarray
    values: np.ndarray

    # Filled on first use: each value's place among equal counts, and its label.
    tie_rank: np.ndarray | None = None
    shown: list[str] | None = None

    # docnum -> value index + 1 (0: none), when no document has two values.
    single: np.ndarray | None = None

    def counts(self, docs: np.ndarray) -> np.ndarray:
        """How many of ``docs`` carry each value."""
        if self.single is not None:
            return np.bincount(self.single[docs], minlength=len(self.labels) + 1)[1:]
        return vec.count_values(self.starts, self.values, len(self.labels), docs)

    def mask(self, values, size: int) -> np.ndarray:
        """Live documents carrying any of the values."""
        mask = np.zeros(size, dtype=bool)
        for value in values:
            position = self.index.get(value)
            if position is not None:
                mask[self.value_docs[position]] = True
        return mask


@dataclass
class _Generation:
    """Everything derived once from one index generation and reused by every call."""

    handle: IndexHandle
    searcher: Searcher
    terms: _Terms
    alive_mask: np.ndarray
    alive_docs: np.ndarray
    facets: dict[str, _Facet]
    doc_rank: np.ndarray  # docnum -> position in document order
    splitter: object
    results: OrderedDict = field(default_factory=OrderedDict)
    citations: dict = field(default_factory=dict)  # citation -> docnum or None
    citation_tables: dict = field(default_factory=dict)  # symbol -> CitationTable (cite.py)
    resolved: dict = field(default_factory=dict)  # docnum -> its references resolved (resolve.py)
    lexicon: object = None
    hits: dict = field(default_factory=dict)  # (docnum, match terms) -> hit without score
    corrections: dict = field(default_factory=dict)  # unknown exact term -> suggested words
    lock: threading.Lock = field(default_factory=threading.Lock)

    @cached_property
    def alive(self) -> frozenset[int]:
        return frozenset(self.alive_docs.tolist())

    @cached_property
    def postings(self) -> dict[str, dict[str, frozenset[int]]]:
        """facet -> value -> docnums."""
        return {
            name: {label: frozenset(f.value_docs[i].tolist()) for i, label in enumerate(f.labels)
                   if len(f.value_docs[i])}
            for name, f in self.facets.items()
        }

    @cached_property
    def values(self) -> dict[str, dict[int, tuple[str, ...]]]:
        """facet -> docnum -> values."""
        out = {}
        for name, f in self.facets.items():
            per_doc: dict[int, list[str]] = {}
            for d, v in zip(f.pair_docs.tolist(), f.pair_values.tolist()):
                per_doc.setdefault(d, []).append(f.labels[v])
            out[name] = {d: tuple(vs) for d, vs in per_doc.items()}
        return out

    @property
    def order_key(self):
        """docnum -> sort key of document order."""
        return _RankKey(self.doc_rank)

    @cached_property
    def document_titles(self) -> dict[str, str]:
        f = self.facets["document"]
        titles = {}
        for label, docs in zip(f.labels, f.value_docs):
            if len(docs):
                data = json.loads(self.searcher.stored_fields(int(docs[0]))["data"])
                titles[label] = data.get("title") or ""
        return titles

    def docnum(self, uid: str) -> int | None:
        """The live unit with this uid, or None."""
        docs = self.terms.scored("uid", uid)[0]
        docs = docs[self.alive_mask[docs]]
        return int(docs[0]) if len(docs) else None

    # What indexer.search.cite and indexer.search.resolve read of a generation.

    def document_units(self, symbol: str) -> list[tuple[int, dict]]:
        """(docnum, stored fields) of a document's live units, in document order."""
        return [(d, self.searcher.stored_fields(d)) for d in _document_docnums(self, symbol)]

    def instrument_documents(self, instrument: str) -> list[str]:
        """Symbols of the documents with units tagged with an instrument, most units first."""
        f = self.facets["instrument"]
        position = f.index.get(instrument)
        if position is None:
            return []
        codes = self.doc_codes[f.value_docs[position]]
        counts = np.bincount(codes[codes >= 0], minlength=len(self.facets["document"].labels))
        labels = self.facets["document"].labels
        return [labels[i] for i in np.argsort(-counts, kind="stable") if counts[i]]

    def decision_documents(self, number: str) -> list[str]:
        """Symbols of the documents with a heading naming a decision number (the decision's
        own heading; a text that only cites the decision does not hold it), most such units first."""
        terms = stemmed_terms(number)
        if not terms:
            return []
        q = wq.Phrase("heading", terms) if len(terms) > 1 else wq.Term("heading", terms[0])
        docs = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        docs = docs[self.alive_mask[docs]]
        codes = self.doc_codes[docs]
        codes = codes[codes >= 0]
        if not len(codes):
            return []
        counts = np.bincount(codes)
        labels = self.facets["document"].labels
        return [labels[i] for i in np.argsort(-counts, kind="stable") if counts[i]]

    def refkey_docs(self, key: str) -> frozenset[int]:
        """Live docnums of the units with this reference key."""
        return _postings(self, "refkey", key)

    def refkey_prefix_docs(self, prefix: str) -> set[int]:
        """Live docnums of the units with a reference key starting with ``prefix``."""
        docs: set[int] = set()
        for raw in self.searcher.reader().expand_prefix("refkey", prefix):
            docs.update(_postings(self, "refkey", raw.decode("utf-8") if isinstance(raw, bytes) else raw))
        return docs

    def unit_references(self, docnum: int) -> tuple:
        """The references of a unit, resolved in this generation (kept per generation)."""
        found = self.resolved.get(docnum)
        if found is None:
            fields = self.searcher.stored_fields(docnum)
            vocabulary = getattr(self.lexicon, "vocabulary", None)
            refs = resolve.unit_references(fields["text"], fields.get("primary_instrument"), vocabulary) \
                if vocabulary is not None else []
            own = unit_locator(fields["document"], json.loads(fields["data"]).get("citation") or "")
            found = tuple(resolve.resolve(self, ref, fields["document"], self.lexicon, own) for ref in refs)
            with self.lock:
                self.resolved[docnum] = found
        return found

    @cached_property
    def doc_codes(self) -> np.ndarray:
        """docnum -> index of its document among the document facet's labels (-1: none)."""
        document = self.facets["document"]
        codes = np.full(self.terms.size, -1, dtype=np.int64)
        codes[document.pair_docs] = document.pair_values
        return codes

    def uids_with_prefix(self, prefix: str) -> list[tuple[str, int]]:
        """(uid, docnum) of every live unit whose uid starts with ``prefix``."""
        found = []
        for raw in self.searcher.reader().expand_prefix("uid", prefix):
            uid = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            docnum = self.docnum(uid)
            if docnum is not None:
                found.append((uid, docnum))
        return found


class _RankKey:
    def __init__(self, rank):
        self.rank = rank

    def __getitem__(self, docnum):
        return int(self.rank[docnum])


class SearchService:
    """Search over one index directory, reused across requests."""

    def __init__(self, index_dir: str | Path, lexicon: Lexicon | None = None):
        self.index_dir = Path(index_dir)
        self.lexicon = lexicon or load_lexicon()
        self._lock = threading.Lock()
        self._generation: _Generation | None = None

    # -- generations -----------------------------------------------------

    def _current(self) -> _Generation:
        name = current_generation(self.index_dir)
        with self._lock:
            loaded = self._generation
            if loaded is not None and loaded.handle.generation == name:
                return loaded
            if name is None:
                raise IndexMissing(
                    f"no index in {self.index_dir}: run `python -m indexer index` to build one"
                )
            self._generation = _load_generation(open_current(self.index_dir))
            self._generation.lexicon = self.lexicon
            # The previous searcher is left to the garbage collector: a call
            # still running on it finishes on the old generation.
            return self._generation

    def generation(self) -> str:
        """Name of the generation calls are answered from."""
        return self._current().handle.generation

    def stats(self) -> dict:
        """Documents and units in the current generation."""
        gen = self._current()
        return {
            "generation": gen.handle.generation,
            "units": len(gen.alive_docs),
            "documents": sum(1 for docs in gen.facets["document"].value_docs if len(docs)),
            "stamp": gen.handle.stamp(),
        }

    # -- search ----------------------------------------------------------

    def search(
        self,
        query: str = "",
        filters: dict[str, list[str] | tuple[str, ...]] | None = None,
        page: int = 1,
        per_page: int = 10,
        sort: str = "relevance",
        excerpts: bool = True,
    ) -> SearchResult:
        """Hits for one page of results, every facet's counts, and a suggestion."""
        filters = _check_filters(filters)
        page, per_page, sort = _check_paging(page, per_page, sort)
        query = (query or "").strip()
        gen = self._current()
        key = (query, tuple(sorted(filters.items())), page, per_page, sort, excerpts)
        cached = gen.results.get(key)
        if cached is not None:
            gen.results.move_to_end(key)
            return cached
        result = self._search(gen, query, filters, page, per_page, sort, excerpts)
        gen.results[key] = result
        while len(gen.results) > RESULT_CACHE_SIZE:
            gen.results.popitem(last=False)
        return result

    def _search(self, gen, query, filters, page, per_page, sort, excerpts) -> SearchResult:
        masks = _filter_masks(gen, filters)

        def empty(message=None, suggestion=None):
            return SearchResult(
                query=query, total=0, page=page, per_page=per_page, sort=sort, hits=(),
                facets=self._facets(gen, vec.EMPTY_DOCS, filters, masks),
                filters=filters, suggestion=suggestion, message=message,
            )

        try:
            tree = syntax.parse(query)
        except syntax.QuerySyntaxError as error:
            return empty(message=str(error))

        cited_docs = self._cite(gen, query) if query else []
        cited_doc = cited_docs[0] if cited_docs else None

        compiled = None
        terms = MatchTerms()
        if tree is not None:
            compiled, terms = _compile(tree, self.lexicon)
            if compiled is None and cited_doc is None:
                return empty(message="The query has only very common words; add a more specific word.")

        if compiled is None:
            docs, scores = gen.alive_docs, None
        else:
            docs, scores = _matching_scored(gen, compiled)
        for extra in cited_docs:
            if vec.contains(docs, np.array([extra]))[0]:
                continue
            # Units admitted only through the citation are not scored.
            at = int(np.searchsorted(docs, extra))
            docs = np.insert(docs, at, extra)
            if scores is not None:
                scores = np.insert(scores, at, -np.inf)
        facets = self._facets(gen, docs, filters, masks)
        keep = _all_filters(masks, docs)
        if keep is not None:
            docs = docs[keep]
            scores = scores[keep] if scores is not None else None
        total = len(docs)

        if not total:
            suggestion = self._suggest(gen, query, tree, filters) if tree is not None else None
            message = "No paragraph matches all the words and filters."
            return SearchResult(
                query=query, total=0, page=page, per_page=per_page, sort=sort, hits=(),
                facets=facets, filters=filters, suggestion=suggestion, message=message,
                document=self._document_card(gen, query),
            )

        start = (page - 1) * per_page
        ranked = self._rank(gen, compiled, docs, scores, sort, start + per_page, cited_docs)
        shown = ranked[start:start + per_page]
        hits = tuple(
            _shown_hit(gen, docnum, score, terms if excerpts else None) for docnum, score in shown
        )
        suggestion = None
        if tree is not None and total < 3:
            suggestion = self._suggest(gen, query, tree, filters)
        return SearchResult(
            query=query, total=total, page=page, per_page=per_page, sort=sort,
            hits=hits, facets=facets, filters=filters, suggestion=suggestion,
            cited=gen.searcher.stored_fields(cited_doc)["uid"] if cited_doc is not None else None,
            document=self._document_card(gen, query),
        )

    def _rank(self, gen, compiled, docs, scores, sort, needed, cited_doc):
        """The first ``needed`` of ``docs`` (a sorted docnum array) as (docnum, score)."""
        if compiled is None or sort == "document":
            best = vec.top(docs, -gen.doc_rank[docs].astype(np.float64), needed)
            ranked = [(int(docs[i]), None) for i in best]
        elif scores is None:
            # The engine scores what the arrays do not evaluate.
            allowed = set(docs.tolist())
            results = gen.searcher.search(compiled, filter=allowed, limit=needed)
            ranked = [(hit.docnum, hit.score) for hit in results]
            if len(ranked) < needed:
                seen = {d for d, _ in ranked}
                rest = sorted((d for d in allowed if d not in seen), key=gen.order_key.__getitem__)
                ranked.extend((d, None) for d in rest[: needed - len(ranked)])
        else:
            scored = np.isfinite(scores)
            ranked = []
            if scored.any():
                sdocs, sscores = docs[scored], scores[scored]
                best = vec.top(sdocs, sscores, needed)
                ranked = [(int(sdocs[i]), float(sscores[i])) for i in best]
            if len(ranked) < needed and not scored.all():
                rest = docs[~scored]
                best = vec.top(rest, -gen.doc_rank[rest].astype(np.float64), needed - len(ranked))
                ranked.extend((int(rest[i]), None) for i in best)
        if cited_doc:
            # The cited unit first, the rest of a cited range right after it.
            cited = [d for d in cited_doc if vec.contains(docs, np.array([d]))[0]]
            ranked = [(d, None) for d in cited] + [(d, s) for d, s in ranked if d not in cited]
        return ranked

    def _facets(self, gen, matched, filters, masks):
        # Each facet is counted with every other active filter but not its own,
        # so ticking one value still shows what the others would add.
        passes = {name: mask[matched] for name, mask in masks.items()}
        facets = {}
        for facet in FACETS:
            keep = None
            for name, passed in passes.items():
                if name != facet:
                    keep = passed if keep is None else keep & passed
            within = matched if keep is None else matched[keep]
            f = gen.facets[facet]
            counted = f.counts(within)
            present = np.flatnonzero(counted)
            selected = set(filters.get(facet, ()))
            if f.tie_rank is None:
                f.tie_rank = _tie_rank(facet, f.labels)
                f.shown = [self._label(gen, facet, value) for value in f.labels]
            if all(counted[f.index[v]] for v in selected if v in f.index) and selected <= set(f.index):
                # Every selected value is counted: sort and label from the arrays.
                if facet == "year":
                    present = present[np.argsort(f.tie_rank[present], kind="stable")]
                else:
                    present = present[np.lexsort((f.tie_rank[present], -counted[present]))]
                labels, shown = f.labels, f.shown
                facets[facet] = tuple(
                    FacetValue(value=labels[i], label=shown[i], count=c, selected=labels[i] in selected)
                    for i, c in zip(present.tolist(), counted[present].tolist())
                )
                continue
            counts = dict(zip([f.labels[i] for i in present], counted[present].tolist()))
            for value in selected:
                counts.setdefault(value, 0)
            entries = sorted(counts.items(), key=lambda item: _facet_sort_key(facet, item))
            facets[facet] = tuple(
                FacetValue(value=value, label=self._label(gen, facet, value), count=count,
                           selected=value in selected)
                for value, count in entries
            )
        return facets

    def _label(self, gen, facet, value):
        if facet == "instrument":
            return self.lexicon.instrument_label(value)
        if facet == "theme":
            return self.lexicon.theme_label(value)
        return value

    def _suggest(self, gen, query, tree, filters):
        """A corrected query, offered only when it has results."""
        words = _plain_words(tree)
        if not words:
            return None
        corrector = gen.searcher.corrector("exact")
        corrected = query
        changed = False
        for word in words:
            terms = exact_terms(word)
            if len(terms) != 1 or gen.searcher.doc_frequency("exact", terms[0]) > 0:
                continue
            suggestions = gen.corrections.get(terms[0])
            if suggestions is None:
                suggestions = corrector.suggest(terms[0], limit=1, maxdist=2, prefix=1)
                with gen.lock:
                    gen.corrections[terms[0]] = suggestions
                    while len(gen.corrections) > MEMO_CACHE_SIZE:
                        gen.corrections.pop(next(iter(gen.corrections)))
            if suggestions:
                corrected = corrected.replace(word, suggestions[0], 1)
                changed = True
        if not changed or corrected == query:
            return None
        try:
            compiled, _ = _compile(syntax.parse(corrected), self.lexicon)
        except syntax.QuerySyntaxError:
            return None
        if compiled is None:
            return None
        docs, _ = _matching_scored(gen, compiled)
        keep = _all_filters(_filter_masks(gen, filters), docs)
        return corrected if (keep.any() if keep is not None else len(docs)) else None

    # -- documents named, missing, and their files (see indexer.search.documents) --

    def _document_card(self, gen, query: str) -> DocumentCard | None:
        """The card of the one document a symbol typed alone names, or None."""
        if not query or not is_symbol_query(query):
            return None
        scored = [(document_matches(query, symbol), symbol) for symbol in gen.document_titles]
        best = max((score for score, _ in scored), default=0)
        named = [symbol for score, symbol in scored if score == best and score >= 2]
        if len(named) != 1:
            return None
        return self.document_card(named[0])

    def document_card(self, symbol: str) -> DocumentCard | None:
        """Title, date, meeting and paragraph count of an indexed document."""
        gen = self._current()
        docnums = _document_docnums(gen, symbol)
        if not docnums:
            return None
        data = json.loads(gen.searcher.stored_fields(docnums[0])["data"])
        title = data.get("title") or ""
        return DocumentCard(symbol, title, data.get("date"), meeting_of(title), len(docnums))

    def missing_documents(self, limit: int | None = None) -> list[MissingDocument]:
        """Symbols that indexed paragraphs cite but the index lacks, most cited first."""
        gen = self._current()
        found = gen.citations.get(("missing",))
        if found is None:
            indexed = {symbol.lower() for symbol in gen.document_titles}
            found = []
            for raw in gen.searcher.reader().expand_prefix("refkey", "doc:"):
                key = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                folded = key[len("doc:"):]
                if folded in indexed:
                    continue
                docs = _postings(gen, "refkey", key)
                if docs:
                    found.append(MissingDocument(self._written_symbol(gen, folded, docs), len(docs)))
            found.sort(key=lambda m: (-m.cited_by, m.symbol.lower()))
            with gen.lock:
                gen.citations[("missing",)] = found
        return found[:limit] if limit is not None else list(found)

    def missing_document(self, symbol: str, page: int = 1, per_page: int = 20):
        """A cited symbol that is not indexed: (MissingDocument, one page of the citing
        units) or None when no indexed paragraph cites it (or it is indexed)."""
        page, per_page, _ = _check_paging(page, per_page, "relevance")
        gen = self._current()
        folded = symbol.strip().lower()
        if folded in {s.lower() for s in gen.document_titles}:
            return None
        docs = sorted(_postings(gen, "refkey", f"doc:{folded}"), key=gen.order_key.__getitem__)
        if not docs:
            return None
        start = (page - 1) * per_page
        citing = tuple(_hit(gen, d, None, None) for d in docs[start:start + per_page])
        return MissingDocument(self._written_symbol(gen, folded, docs), len(docs)), citing

    @staticmethod
    def _written_symbol(gen, folded: str, docs) -> str:
        """A cited symbol as the first citing paragraph writes it (the index keeps it folded)."""
        first = min(docs, key=gen.order_key.__getitem__)
        for resolved in gen.unit_references(first):
            if resolved.target.lower() == folded:
                return resolved.target
        for written in json.loads(gen.searcher.stored_fields(first)["data"]).get("references", ()):
            at = written.lower().find(folded)
            if at >= 0:
                return written[at:at + len(folded)]
        return folded

    def original_file(self, symbol: str) -> OriginalFile | None:
        """The file a document was indexed from, by the index manifest; None when the
        symbol is not indexed or its file is gone."""
        gen = self._current()
        found = original_file(read_manifest(self.index_dir, gen.handle.generation), symbol)
        if found is None or not found.path.is_file():
            return None
        return found

    # -- citations (see indexer.search.cite) ---------------------------------

    def _cite(self, gen, query: str) -> list[int]:
        """Docnums of the units a citation query names, the first first (kept per generation)."""
        key = ("query", query)
        if key in gen.citations:
            return gen.citations[key]
        found = cite.cited_units(gen, query, self.lexicon)
        if not found:
            citation = parse_citation(query)
            docnum = self._resolve_citation(gen, citation) if citation else None
            found = [docnum] if docnum is not None else []
        with gen.lock:
            gen.citations[key] = found
            while len(gen.citations) > MEMO_CACHE_SIZE:
                gen.citations.pop(next(iter(gen.citations)))
        return found

    def _resolve_citation(self, gen, citation: CitationQuery) -> int | None:
        """Docnum of the unit a citation names, or None (kept per generation)."""
        if citation in gen.citations:
            return gen.citations[citation]
        docnum = self._find_cited(gen, citation)
        with gen.lock:
            gen.citations[citation] = docnum
            while len(gen.citations) > MEMO_CACHE_SIZE:
                gen.citations.pop(next(iter(gen.citations)))
        return docnum

    def _find_cited(self, gen, citation: CitationQuery) -> int | None:
        candidates = sorted(
            ((document_matches(citation.document, symbol, title), symbol)
             for symbol, title in gen.document_titles.items()),
            reverse=True,
        )
        for score, symbol in candidates:
            if score == 0:
                break
            for unit_id in citation.unit_ids():
                docnum = gen.docnum(f"{symbol}#{unit_id}")
                if docnum is not None:
                    return docnum
            if citation.article is not None:
                # "Basel art. 14": the article's first unit, whatever its shape.
                prefix = f"{symbol}#art{citation.article}"
                first = [
                    d for uid, d in gen.uids_with_prefix(prefix)
                    if uid == prefix or uid.startswith(prefix + ".") or uid.startswith(prefix + "(")
                ]
                if first:
                    return min(first, key=gen.order_key.__getitem__)
        return None

    # -- paragraphs and documents ------------------------------------------

    def paragraph(self, symbol: str, paragraph: str, related: int = 5, cited_page: int = 1,
                  cited_per_page: int = 10) -> ParagraphView | None:
        """A unit with its neighbours, outline, references, citing units (one page of
        them, and how many in all) and similar units."""
        cited_page, cited_per_page, _ = _check_paging(cited_page, cited_per_page, "relevance")
        gen = self._current()
        docnum = gen.docnum(f"{symbol}#{paragraph}")
        if docnum is None:
            return None
        siblings = _document_docnums(gen, symbol)
        position = siblings.index(docnum)
        hit = _hit(gen, docnum, None, None)
        citing = cited_by.citing_docnums(gen, hit.uid, hit.symbol, hit.primary_instrument, self.lexicon)
        start = (cited_page - 1) * cited_per_page
        previous = _hit(gen, siblings[position - 1], None, None) if position > 0 else None
        following = (
            _hit(gen, siblings[position + 1], None, None) if position + 1 < len(siblings) else None
        )
        return ParagraphView(
            hit=hit,
            previous=previous,
            next=following,
            outline=_outline(gen, siblings),
            references=self._references(gen, docnum, hit),
            cited_by=tuple(_hit(gen, d, None, None) for d in citing[start:start + cited_per_page]),
            similar=tuple(self._similar(gen, docnum, hit, related)),
            cited_by_total=len(citing),
            cited_by_page=cited_page,
            cited_by_per_page=cited_per_page,
        )

    def document(self, symbol: str) -> DocumentView | None:
        """A document's metadata, outline and every unit in order."""
        gen = self._current()
        docnums = _document_docnums(gen, symbol)
        if not docnums:
            return None
        units = tuple(_hit(gen, d, None, None) for d in docnums)
        first = units[0]
        stored = json.loads(gen.searcher.stored_fields(docnums[0])["data"])
        return DocumentView(
            symbol=symbol,
            title=first.title,
            date=stored.get("date"),
            year=first.year,
            primary_instrument=Counter(u.primary_instrument for u in units).most_common(1)[0][0],
            units=units,
            outline=_outline(gen, docnums),
        )

    def documents(self) -> list[tuple[str, str, int]]:
        """Every indexed document as (symbol, title, units)."""
        gen = self._current()
        return sorted(
            (symbol, gen.document_titles[symbol], len(docs))
            for symbol, docs in zip(gen.facets["document"].labels, gen.facets["document"].value_docs)
        )

    def _references(self, gen, docnum: int, hit: Hit) -> tuple[ResolvedReference, ...]:
        """Each reference of a unit and where it leads (see indexer.search.resolve)."""
        resolved = gen.unit_references(docnum)
        if not resolved and hit.references and getattr(self.lexicon, "vocabulary", None) is None:
            return tuple(self._resolve_reference(gen, text) for text in hit.references)
        return tuple(
            ResolvedReference(text=r.text, uid=r.uid, symbol=r.symbol, status=r.status, target=r.target)
            for r in resolved
        )

    def _resolve_reference(self, gen, text: str) -> ResolvedReference:
        citation = parse_citation(text)
        if citation is not None:
            docnum = self._resolve_citation(gen, citation)
            if docnum is not None:
                fields = gen.searcher.stored_fields(docnum)
                return ResolvedReference(text=text, uid=fields["uid"], symbol=fields["document"])
        for symbol in gen.document_titles:
            if symbol.lower() == text.strip().lower():
                return ResolvedReference(text=text, uid=None, symbol=symbol)
        return ResolvedReference(text=text, uid=None, symbol=None)

    def _cited_by(self, gen, hit: Hit, limit: int) -> list[Hit]:
        keys = [f"doc:{hit.symbol.lower()}", f"unit:{hit.uid.lower()}"]
        docs = set()
        for key in keys:
            docs.update(_postings(gen, "refkey", key))
        docs.discard(gen.docnum(hit.uid))
        ordered = sorted(docs, key=gen.order_key.__getitem__)[:limit]
        return [_hit(gen, d, None, None) for d in ordered]

    def _similar(self, gen, docnum, hit: Hit, limit: int) -> list[Hit]:
        own = hit.primary_instrument
        if own:
            allowed = gen.alive - gen.postings["instrument"].get(own, frozenset())
        else:
            allowed = gen.alive - frozenset(_document_docnums(gen, hit.symbol))
        if not allowed:
            return []
        results = gen.searcher.more_like(
            docnum, "text", text=hit.text, top=limit, numterms=12, filter=set(allowed)
        )
        return [_hit(gen, r.docnum, r.score, None) for r in results]

    # -- compare -----------------------------------------------------------

    def compare(
        self,
        query: str,
        filters: dict[str, list[str] | tuple[str, ...]] | None = None,
        per_instrument: int = 3,
        instruments: int = 8,
    ) -> CompareView:
        """Best paragraphs per instrument for a query, and instrument x theme counts."""
        filters = _check_filters(filters)
        query = (query or "").strip()
        gen = self._current()
        try:
            tree = syntax.parse(query)
        except syntax.QuerySyntaxError as error:
            return CompareView(query=query, total=0, columns=(), themes=(), matrix={},
                               message=str(error))
        compiled, terms = (None, MatchTerms()) if tree is None else _compile(tree, self.lexicon)
        if tree is not None and compiled is None:
            return CompareView(query=query, total=0, columns=(), themes=(), matrix={},
                               message="The query has only very common words; add a more specific word.")
        if compiled is None:
            all_docs, all_scores = gen.alive_docs, None
        else:
            all_docs, all_scores = _matching_scored(gen, compiled)
        keep = _all_filters(_filter_masks(gen, filters), all_docs)
        if keep is not None:
            all_docs = all_docs[keep]
            all_scores = all_scores[keep] if all_scores is not None else None
        docs = frozenset(all_docs.tolist())
        primary = Counter()
        matrix: dict[str, Counter] = {}
        theme_totals = Counter()
        for docnum in docs:
            unit_instruments = gen.values["instrument"].get(docnum, ())
            unit_themes = gen.values["theme"].get(docnum, ())
            theme_totals.update(unit_themes)
            for instrument in unit_instruments:
                primary[instrument] += 1
                row = matrix.setdefault(instrument, Counter())
                row.update(unit_themes)
        columns = []
        for instrument, count in primary.most_common(instruments):
            inside = gen.facets["instrument"].mask([instrument], gen.terms.size)[all_docs]
            ranked = self._rank(gen, compiled, all_docs[inside],
                                all_scores[inside] if all_scores is not None else None,
                                "relevance", per_instrument, ())
            columns.append(CompareColumn(
                instrument=instrument,
                label=self.lexicon.instrument_label(instrument),
                total=count,
                hits=tuple(_hit(gen, d, s, terms) for d, s in ranked[:per_instrument]),
            ))
        themes = tuple(
            FacetValue(value=t, label=self.lexicon.theme_label(t), count=c, selected=False)
            for t, c in theme_totals.most_common()
        )
        return CompareView(
            query=query,
            total=len(docs),
            columns=tuple(columns),
            themes=themes,
            matrix={name: dict(row) for name, row in matrix.items()},
            message=None if docs else "No paragraph matches all the words and filters.",
        )


# -- posting lists as arrays -----------------------------------------------------

# Postings (and packed positions) kept per generation, counted in array entries.
POSTINGS_BUDGET = 12_000_000
# Phrases whose matching documents are kept per generation.
PHRASE_CACHE_SIZE = 1024


class _Unsupported(Exception):
    """A query shape the array evaluator leaves to the engine."""


class _Terms:
    """Posting lists of one generation read into arrays on first use, kept in a bounded cache."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._lock = threading.Lock()
        self._scored: OrderedDict = OrderedDict()
        self._scored_used = 0
        self._phrases: OrderedDict = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}

    def _blocks(self, fieldname, btext, values=False):
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
            parts.append(_column_array(perdoc.column_reader(lenfield, LENGTHS_COLUMN), leaf.doc_count_all()))
        lengths = table[np.concatenate(parts)] if parts else np.zeros(0)
        with self._lock:
            self._lengths[fieldname] = lengths
        return lengths

    def scored(self, fieldname, text):
        """(docnums, BM25F scores) of a term, or empty arrays."""
        key = (fieldname, text)
        with self._lock:
            found = self._scored.get(key)
            if found is not None:
                self._scored.move_to_end(key)
                return found
        btext = self.searcher.schema[fieldname].to_bytes(text)
        blocks = list(self._blocks(fieldname, btext))
        if not blocks:
            result = vec.EMPTY
        else:
            docs = np.concatenate([b[0] for b in blocks])
            weights = np.concatenate([b[1] for b in blocks])
            if self.searcher.schema[fieldname].scorable:
                idf = self.searcher.idf(fieldname, text)
                avgfl = self.searcher.avg_field_length(fieldname) or 1
                scores = vec.bm25(idf, weights, self.lengths(fieldname)[docs], avgfl)
            else:
                scores = weights
            result = (docs, scores)
        with self._lock:
            self._scored[key] = result
            self._scored_used += len(result[0])
            while self._scored_used > POSTINGS_BUDGET and len(self._scored) > 1:
                _, old = self._scored.popitem(last=False)
                self._scored_used -= len(old[0])
        return result

    def positions(self, fieldname, text, candidates: np.ndarray) -> np.ndarray:
        """Sorted packed (docnum << 32 | position) of a term's occurrences in the
        candidate documents (a sorted docnum array); blocks without one are skipped."""
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
                self._phrases.move_to_end(key)
                return found
        by_word = {w: self.positions(fieldname, w, candidates) for w in dict.fromkeys(words)}
        matched = vec.near([by_word[w] for w in words], max(1, slop))
        with self._lock:
            self._phrases[key] = matched
            while len(self._phrases) > PHRASE_CACHE_SIZE:
                self._phrases.popitem(last=False)
        return matched


def _evaluate(terms: _Terms, q):
    """(docnums, scores) of a compiled query, scored as the engine scores it."""
    boost = getattr(q, "boost", 1.0)
    if isinstance(q, wq.Term):
        docs, scores = terms.scored(q.fieldname, q.text)
    elif isinstance(q, wq.Phrase):
        docs, scores = _phrase(terms, q.fieldname, list(q.words), q.slop)
    elif isinstance(q, wq.ConstantScoreQuery):
        docs, _ = _evaluate(terms, q.child)
        return docs, np.full(len(docs), float(q.score))
    elif isinstance(q, wq.AndNot):
        positive = _evaluate(terms, q.a)
        docs, scores = vec.difference(positive, _evaluate(terms, q.b)[0])
    elif isinstance(q, wq.AndMaybe):
        docs, scores = vec.maybe(_evaluate(terms, q.a), _evaluate(terms, q.b))
    elif isinstance(q, wq.And) and type(q) is wq.And:
        result = None
        for child in sorted(q.subqueries, key=lambda c: not isinstance(c, wq.Term)):
            part = _evaluate(terms, child)
            result = part if result is None else vec.intersect(result, part)
            if not len(result[0]):
                break
        docs, scores = result if result is not None else vec.EMPTY
    elif type(q) is wq.Or and not q.minmatch and q.scale is None:
        docs, scores = vec.union([_evaluate(terms, c) for c in q.subqueries], terms.size)
    else:
        raise _Unsupported(type(q).__name__)
    if boost != 1.0:
        scores = scores * boost
    return docs, scores


def _phrase(terms: _Terms, fieldname, words, slop):
    """Documents where the words stand in order within ``slop``, scored as the
    sum of the words' scores (the engine's span query)."""
    field_type = terms.searcher.schema[fieldname]
    if not field_type.format or not field_type.format.supports("positions"):
        raise _Unsupported("phrase without positions")
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


def _column_array(column, count: int) -> np.ndarray:
    """A numeric column of one segment as an int64 array (absent values: the default)."""
    if isinstance(column, NumericColumn.Reader):
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        values = np.frombuffer(raw, dtype=np.dtype(">" + column._typecode)).astype(np.int64)
        if stored < count:
            values = np.concatenate([values, np.full(count - stored, column._default, dtype=np.int64)])
        return values
    return np.fromiter((column[d] for d in range(count)), dtype=np.int64, count=count)


# -- module-level helpers ------------------------------------------------------


def _check_filters(filters) -> dict[str, tuple[str, ...]]:
    checked = {}
    for name, values in (filters or {}).items():
        if name not in FACET_FIELDS:
            raise QueryError(name, f"unknown facet {name!r}; use one of: {', '.join(FACETS)}")
        if isinstance(values, str):
            values = [values]
        cleaned = tuple(sorted({v.strip() for v in values if v and v.strip()}))
        if cleaned:
            checked[name] = cleaned
    return checked


def _check_paging(page, per_page, sort):
    try:
        page = int(page)
    except (TypeError, ValueError):
        raise QueryError("page", "page must be a whole number, 1 or more") from None
    try:
        per_page = int(per_page)
    except (TypeError, ValueError):
        raise QueryError("per_page", f"per_page must be a whole number from 1 to {MAX_PER_PAGE}") from None
    if page < 1 or page > 10_000:
        raise QueryError("page", "page must be a whole number from 1 to 10000")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError("per_page", f"per_page must be a whole number from 1 to {MAX_PER_PAGE}")
    if sort not in SORTS:
        raise QueryError("sort", f"sort must be one of: {', '.join(SORTS)}")
    return page, per_page, sort


def _tie_rank(facet, labels) -> np.ndarray:
    """Each value's position in the order _facet_sort_key gives values of equal count."""
    order = sorted(range(len(labels)), key=lambda i: _facet_sort_key(facet, (labels[i], 0)))
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(len(labels))
    return rank


def _facet_sort_key(facet, item):
    value, count = item
    if facet == "year":
        return (-int(value) if value.isascii() and value.isdigit() else 0, value)
    return (-count, value.lower())


def _filter_masks(gen, filters) -> dict[str, np.ndarray]:
    """facet -> live documents carrying any of its selected values."""
    size = gen.terms.size
    return {facet: gen.facets[facet].mask(values, size) for facet, values in filters.items()}


def _all_filters(masks, docs):
    """Which of ``docs`` pass every filter, or None when there is none."""
    keep = None
    for mask in masks.values():
        keep = mask[docs] if keep is None else keep & mask[docs]
    return keep


def _postings(gen, fieldname, text) -> frozenset[int]:
    docs = gen.terms.scored(fieldname, text)[0]
    return frozenset(docs[gen.alive_mask[docs]].tolist())


def _matching_scored(gen, compiled):
    """(live docnums, scores) of a compiled query; scores None when the engine must rank."""
    try:
        docs, scores = _evaluate(gen.terms, compiled)
    except _Unsupported:
        docs = np.fromiter(gen.searcher.docs_for_query(compiled), dtype=np.int64)
        docs.sort()
        scores = None
    live = gen.alive_mask[docs]
    return docs[live], (scores[live] if scores is not None else None)


def _document_docnums(gen, symbol) -> list[int]:
    f = gen.facets["document"]
    position = f.index.get(symbol)
    if position is None:
        return []
    docs = f.value_docs[position]
    return docs[np.argsort(gen.doc_rank[docs], kind="stable")].tolist()


def _outline(gen, docnums) -> tuple[OutlineEntry, ...]:
    entries = []
    seen: tuple[str, ...] = ()
    for docnum in docnums:
        fields = gen.searcher.stored_fields(docnum)
        section = tuple(json.loads(fields["data"])["section"])
        if section == seen:
            continue
        common = 0
        while common < min(len(section), len(seen)) and section[common] == seen[common]:
            common += 1
        for depth in range(common, len(section)):
            entries.append(OutlineEntry(section[depth], depth, fields["uid"], fields["paragraph"]))
        seen = section
    return tuple(entries)


def _shown_hit(gen, docnum, score, terms: MatchTerms | None) -> Hit:
    """A hit of a result page; a unit's stored fields and excerpt for the same
    words are built once per generation."""
    key = (docnum, terms)
    hit = gen.hits.get(key)
    if hit is None:
        hit = _hit(gen, docnum, None, terms)
        with gen.lock:
            gen.hits[key] = hit
            while len(gen.hits) > HIT_CACHE_SIZE:
                gen.hits.pop(next(iter(gen.hits)))
    return replace(hit, score=round(score, 4) if score is not None else None)


def _hit(gen, docnum, score, terms: MatchTerms | None) -> Hit:
    fields = gen.searcher.stored_fields(docnum)
    data = json.loads(fields["data"])
    text = fields["text"]
    if terms is None:
        excerpt = ""
    else:
        excerpt = build_excerpt(text, terms, lambda t: sentence_spans(t, gen.splitter))
    return Hit(
        uid=fields["uid"],
        symbol=fields["document"],
        title=data.get("title") or "",
        paragraph=fields["paragraph"],
        kind=fields["kind"],
        citation=data["citation"],
        section=tuple(data["section"]),
        page=data.get("page"),
        text=text,
        excerpt_html=excerpt,
        score=round(score, 4) if score is not None else None,
        primary_instrument=fields.get("primary_instrument", ""),
        instruments=tuple(data.get("instruments", ())),
        themes=tuple(data.get("themes", ())),
        references=tuple(data.get("references", ())),
        year=fields.get("year", ""),
        order=fields["order"],
    )


def _plain_words(tree) -> list[str]:
    if isinstance(tree, syntax.Word):
        return [tree.text] if tree.text.isalpha() else []
    if isinstance(tree, (syntax.And, syntax.Or)):
        return [w for child in tree.children for w in _plain_words(child)]
    return []


def _positive_words(tree) -> list[str]:
    """The words and phrases a query looks for (not the excluded ones)."""
    if isinstance(tree, (syntax.Word, syntax.Phrase)):
        return [tree.text]
    if isinstance(tree, (syntax.And, syntax.Or)):
        return [w for child in tree.children for w in _positive_words(child)]
    return []


def _is_symbolic(word: str) -> bool:
    # Symbols, numbers and one-letter tokens are matched exactly, as phrases
    # of their pieces: "INC.1/9" -> inc 1 9, "14(a)" -> 14 a.
    return not word.isalpha() or len(word) == 1


def _compile(tree, lexicon: Lexicon):
    """Engine query for a parsed tree, and the terms to mark in excerpts."""
    stems: set[str] = set()
    exact: set[str] = set()
    sequences: set[tuple[str, ...]] = set()

    def exact_query(text):
        terms = exact_terms(text)
        if not terms:
            return None
        if len(terms) == 1:
            exact.add(terms[0])
            return wq.Term("exact", terms[0])
        sequences.add(tuple(terms))
        return wq.Phrase("exact", terms)

    def stemmed_query(text):
        terms = stemmed_terms(text)
        if not terms:
            return None
        stems.update(terms)
        if len(terms) == 1:
            return wq.Or([wq.Term(f, terms[0]) for f in ("text", "heading", "lead")])
        return wq.Phrase("text", terms)

    def expansions(text):
        # The other forms of an acronym or of a long name: "ODS" <-> "ozone-depleting substances".
        alternatives = []
        for other in lexicon.alternatives(text):
            if " " in other.strip() or "-" in other:
                terms = stemmed_terms(other)
                if len(terms) > 1:
                    stems.update(terms)
                    alternatives.append(wq.Phrase("text", terms))
                    continue
            q = exact_query(other)
            if q is not None:
                alternatives.append(q)
        return alternatives

    def word(node):
        text = node.text
        alternatives = expansions(text)
        if _is_symbolic(text):
            base = exact_query(text)
        else:
            base = stemmed_query(text)
        parts = [q for q in [base, *alternatives] if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def phrase(node):
        base = exact_query(node.text)
        parts = [q for q in [base, *expansions(node.text)] if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else wq.Or(parts)

    def conjunction(node):
        children = list(node.children)
        # A run of plain words that spells out an acronym's long form also
        # matches the acronym: ozone depleting substances -> ODS.
        compiled = []
        index = 0
        while index < len(children):
            span = _long_form_span(children, index, lexicon)
            if span:
                words = " ".join(c.text for c in children[index:index + span])
                run = [build(c) for c in children[index:index + span]]
                run = [q for q in run if q is not None]
                alternatives = expansions(words)
                together = wq.And(run) if len(run) > 1 else (run[0] if run else None)
                parts = [q for q in [together, *alternatives] if q is not None]
                if parts:
                    compiled.append(parts[0] if len(parts) == 1 else wq.Or(parts))
                index += span
                continue
            q = build(children[index])
            if q is not None:
                compiled.append(q)
            index += 1
        positives = _distinct(q for q in compiled if not isinstance(q, wq.Not))
        negatives = _distinct(q.query for q in compiled if isinstance(q, wq.Not))
        if not positives:
            return None
        positive = positives[0] if len(positives) == 1 else wq.And(positives)
        # Words of the query close together rank higher: "regional centres"
        # prefers "regional and subregional centres" to the words pages apart.
        near = _distinct(
            term for c in children
            if isinstance(c, syntax.Word) and not _is_symbolic(c.text)
            for term in stemmed_terms(c.text)
        )
        if len(near) > 1:
            positive = wq.AndMaybe(positive, wq.Phrase("text", near, slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST))
        if negatives:
            return wq.AndNot(positive, wq.Or(negatives) if len(negatives) > 1 else negatives[0])
        return positive

    def build(node):
        if isinstance(node, syntax.Word):
            return word(node)
        if isinstance(node, syntax.Phrase):
            return phrase(node)
        if isinstance(node, syntax.Not):
            # Stems and exact words of a negated part are not marked.
            saved = (set(stems), set(exact), set(sequences))
            child = build(node.child)
            stems.clear(), exact.clear(), sequences.clear()
            stems.update(saved[0]), exact.update(saved[1]), sequences.update(saved[2])
            return wq.Not(child) if child is not None else None
        if isinstance(node, syntax.And):
            return conjunction(node)
        if isinstance(node, syntax.Or):
            parts = [build(c) for c in node.children]
            parts = _distinct(q for q in parts if q is not None and not isinstance(q, wq.Not))
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else wq.Or(parts)
        raise TypeError(node)

    compiled = build(tree)
    if isinstance(compiled, wq.Not):
        compiled = None
    if compiled is not None:
        # A query that names a theme ranks the paragraphs tagged with it higher.
        themes = lexicon.themes_in(" ".join(_positive_words(tree)))
        if themes:
            boosts = [wq.ConstantScoreQuery(wq.Term("theme", t), score=THEME_BOOST) for t in themes]
            compiled = wq.AndMaybe(compiled, boosts[0] if len(boosts) == 1 else wq.Or(boosts))
    return compiled, MatchTerms(frozenset(stems), frozenset(exact), tuple(sorted(sequences)))


def _distinct(queries) -> list:
    """Queries in order without repeats: a word typed (or pasted) twice is matched once,
    and the engine's cost grows with every repeated branch."""
    found = []
    for q in queries:
        if q not in found:
            found.append(q)
    return found


def _long_form_span(children, index, lexicon: Lexicon) -> int:
    """Length of the longest run of plain words at ``index`` that is a known long form."""
    best = 0
    words = []
    for offset in range(index, min(len(children), index + 8)):
        node = children[offset]
        if not isinstance(node, syntax.Word):
            break
        words.append(node.text)
        if len(words) > 1 and lexicon.alternatives(" ".join(words)):
            best = len(words)
    return best


def _load_generation(handle: IndexHandle) -> _Generation:
    searcher = handle.index.searcher()
    reader = searcher.reader()
    terms = _Terms(searcher)
    size = terms.size
    alive_docs = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
    alive_docs.sort()
    alive_mask = np.zeros(size, dtype=bool)
    alive_mask[alive_docs] = True
    facets = {}
    for facet, fieldname in FACET_FIELDS.items():
        labels, value_docs = [], []
        for raw in reader.lexicon(fieldname):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if not value:
                continue  # a unit without a value (no known year) is in no facet bucket
            blocks = [b[0] for b in terms._blocks(fieldname, raw)]
            docs = np.concatenate(blocks) if blocks else vec.EMPTY_DOCS
            docs = docs[alive_mask[docs]]
            if not len(docs):
                continue
            labels.append(value)
            value_docs.append(docs)
        pair_docs = np.concatenate(value_docs) if value_docs else vec.EMPTY_DOCS
        pair_values = np.repeat(np.arange(len(labels), dtype=np.int64), [len(d) for d in value_docs]) \
            if value_docs else vec.EMPTY_DOCS
        by_doc = np.argsort(pair_docs, kind="stable")
        starts = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(pair_docs, minlength=size), out=starts[1:])
        facets[facet] = _Facet(labels, {v: i for i, v in enumerate(labels)}, value_docs, pair_docs, pair_values,
                               starts, pair_values[by_doc])
        if len(np.unique(pair_docs)) == len(pair_docs):
            single = np.zeros(size, dtype=np.int64)
            single[pair_docs] = pair_values + 1
            facets[facet].single = single
    document = facets["document"]
    doc_code = np.full(size, -1, dtype=np.int64)
    doc_code[document.pair_docs] = document.pair_values
    orders = np.zeros(size, dtype=np.int64)
    for leaf, offset in reader.leaf_readers():
        column = leaf.column_reader("order")
        count = leaf.doc_count_all()
        orders[offset:offset + count] = np.fromiter(iter(column), dtype=np.int64, count=count)
    doc_rank = np.empty(size, dtype=np.int64)
    doc_rank[np.lexsort((orders, doc_code))] = np.arange(size)
    sample = [reader.stored_fields(int(d))["text"] for d in alive_docs[:2000]]
    splitter = train_splitter(sample)
    return _Generation(
        handle=handle,
        searcher=searcher,
        terms=terms,
        alive_mask=alive_mask,
        alive_docs=alive_docs,
        facets=facets,
        doc_rank=doc_rank,
        splitter=splitter,
    )


def search(index_dir, query: str = "", filters=None, page: int = 1, per_page: int = 10,
           sort: str = "relevance") -> SearchResult:
    """One-off search (the CLI's); long-lived callers keep a SearchService."""
    return SearchService(index_dir).search(query, filters, page, per_page, sort)
