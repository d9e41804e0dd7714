"""The only door to the index for reading: queries and filters in, plain dataclasses out.

Callers (the CLI, the web app) hold one ``SearchService`` per index directory
and call ``search``, ``paragraph``, ``document`` and ``compare``. No engine
object leaves this module. The service notices a newly published index
generation on the next call and switches to it; a call already running
finishes on the generation it started with.
"""
from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh.searching import Searcher

from indexer import query as syntax
from indexer.analysis import exact_terms, stemmed_terms
from indexer.citations import CitationQuery, document_matches, parse_citation
from indexer.excerpts import MatchTerms, build_excerpt
from indexer.lexicon import Lexicon, load_lexicon
from indexer.schema import FACET_FIELDS
from indexer.sentences import sentence_spans, train_splitter
from indexer.store import IndexHandle, IndexMissing, current_generation, open_current

SORTS = ("relevance", "document")
FACETS = tuple(FACET_FIELDS)
MAX_PER_PAGE = 100
# Result pages kept per service, keyed by generation and request.
RESULT_CACHE_SIZE = 256
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


@dataclass(frozen=True)
class ParagraphView:
    hit: Hit
    previous: Hit | None
    next: Hit | None
    outline: tuple[OutlineEntry, ...]
    references: tuple[ResolvedReference, ...]
    cited_by: tuple[Hit, ...]
    similar: tuple[Hit, ...]


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
class _Generation:
    """Everything derived once from one index generation and reused by every call."""

    handle: IndexHandle
    searcher: Searcher
    alive: frozenset[int]
    # facet -> value -> docnums, and facet -> docnum -> values
    postings: dict[str, dict[str, frozenset[int]]]
    values: dict[str, dict[int, tuple[str, ...]]]
    order_key: dict[int, tuple[str, int]]
    by_uid: dict[str, int]
    document_titles: dict[str, str]
    splitter: object
    results: OrderedDict = field(default_factory=OrderedDict)


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
            "units": len(gen.alive),
            "documents": len(gen.postings["document"]),
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
        def empty(message=None, suggestion=None):
            return SearchResult(
                query=query, total=0, page=page, per_page=per_page, sort=sort, hits=(),
                facets=self._facets(gen, frozenset(), filters, frozenset()),
                filters=filters, suggestion=suggestion, message=message,
            )

        try:
            tree = syntax.parse(query)
        except syntax.QuerySyntaxError as error:
            return empty(message=str(error))

        citation = parse_citation(query) if query else None
        cited_doc = self._resolve_citation(gen, citation) if citation else None

        compiled = None
        terms = MatchTerms()
        if tree is not None:
            compiled, terms = _compile(tree, self.lexicon)
            if compiled is None and cited_doc is None:
                return empty(message="The query has only very common words; add a more specific word.")

        matched = gen.alive if compiled is None else _matching(gen, compiled)
        if cited_doc is not None:
            matched = matched | {cited_doc}
        filter_sets = _filter_sets(gen, filters)
        final = _intersect(matched, filter_sets.values())
        facets = self._facets(gen, matched, filters, frozenset(), filter_sets)

        if not final:
            suggestion = self._suggest(gen, query, tree, filters) if tree is not None else None
            message = "No paragraph matches all the words and filters."
            return SearchResult(
                query=query, total=0, page=page, per_page=per_page, sort=sort, hits=(),
                facets=facets, filters=filters, suggestion=suggestion, message=message,
            )

        start = (page - 1) * per_page
        ranked = self._rank(gen, compiled, final, sort, start + per_page, cited_doc)
        shown = ranked[start:start + per_page]
        hits = tuple(
            _hit(gen, docnum, score, terms if excerpts else None) for docnum, score in shown
        )
        suggestion = None
        if tree is not None and len(final) < 3:
            suggestion = self._suggest(gen, query, tree, filters)
        return SearchResult(
            query=query, total=len(final), page=page, per_page=per_page, sort=sort,
            hits=hits, facets=facets, filters=filters, suggestion=suggestion,
            cited=gen.searcher.stored_fields(cited_doc)["uid"] if cited_doc is not None else None,
        )

    def _rank(self, gen, compiled, docs, sort, needed, cited_doc):
        if compiled is None or sort == "document":
            ordered = sorted(docs, key=gen.order_key.__getitem__)
            ranked = [(d, None) for d in ordered]
        else:
            results = gen.searcher.search(compiled, filter=set(docs), limit=needed)
            ranked = [(hit.docnum, hit.score) for hit in results]
            seen = {d for d, _ in ranked}
            if len(ranked) < needed:
                # Units admitted only through the citation are not scored.
                rest = sorted((d for d in docs if d not in seen), key=gen.order_key.__getitem__)
                ranked.extend((d, None) for d in rest[: needed - len(ranked)])
        if cited_doc is not None and cited_doc in docs:
            ranked = [(cited_doc, None)] + [(d, s) for d, s in ranked if d != cited_doc]
        return ranked

    def _facets(self, gen, matched, filters, _unused, filter_sets=None):
        # Each facet is counted with every other active filter but not its own,
        # so ticking one value still shows what the others would add.
        if filter_sets is None:
            filter_sets = _filter_sets(gen, filters)
        facets = {}
        for facet in FACETS:
            others = [s for name, s in filter_sets.items() if name != facet]
            base = _intersect(matched, others)
            counts = Counter()
            values = gen.values[facet]
            for docnum in base:
                counts.update(values.get(docnum, ()))
            selected = set(filters.get(facet, ()))
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
            suggestions = corrector.suggest(terms[0], limit=1, maxdist=2, prefix=1)
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
        matched = _intersect(_matching(gen, compiled), _filter_sets(gen, filters).values())
        return corrected if matched else None

    def _resolve_citation(self, gen, citation: CitationQuery) -> int | None:
        """Docnum of the unit a citation names, or None."""
        candidates = sorted(
            ((document_matches(citation.document, symbol, title), symbol)
             for symbol, title in gen.document_titles.items()),
            reverse=True,
        )
        for score, symbol in candidates:
            if score == 0:
                break
            for unit_id in citation.unit_ids():
                docnum = gen.by_uid.get(f"{symbol}#{unit_id}")
                if docnum is not None:
                    return docnum
            if citation.article is not None:
                # "Basel art. 14": the article's first unit, whatever its shape.
                prefix = f"{symbol}#art{citation.article}"
                first = [
                    d for uid, d in gen.by_uid.items()
                    if uid == prefix or uid.startswith(prefix + ".") or uid.startswith(prefix + "(")
                ]
                if first:
                    return min(first, key=gen.order_key.__getitem__)
        return None

    # -- paragraphs and documents ------------------------------------------

    def paragraph(self, symbol: str, paragraph: str, related: int = 5) -> ParagraphView | None:
        """A unit with its neighbours, outline, references, citing and similar units."""
        gen = self._current()
        docnum = gen.by_uid.get(f"{symbol}#{paragraph}")
        if docnum is None:
            return None
        siblings = _document_docnums(gen, symbol)
        position = siblings.index(docnum)
        hit = _hit(gen, docnum, None, None)
        previous = _hit(gen, siblings[position - 1], None, None) if position > 0 else None
        following = (
            _hit(gen, siblings[position + 1], None, None) if position + 1 < len(siblings) else None
        )
        return ParagraphView(
            hit=hit,
            previous=previous,
            next=following,
            outline=_outline(gen, siblings),
            references=tuple(self._resolve_reference(gen, text) for text in hit.references),
            cited_by=tuple(self._cited_by(gen, hit, related)),
            similar=tuple(self._similar(gen, docnum, hit, related)),
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
            (symbol, gen.document_titles[symbol], len(gen.postings["document"][symbol]))
            for symbol in gen.postings["document"]
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
        docs.discard(gen.by_uid[hit.uid])
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
        matched = gen.alive if compiled is None else _matching(gen, compiled)
        docs = _intersect(matched, _filter_sets(gen, filters).values())
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
            subset = docs & gen.postings["instrument"].get(instrument, frozenset())
            ranked = self._rank(gen, compiled, subset, "relevance", per_instrument, None)
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


def _facet_sort_key(facet, item):
    value, count = item
    if facet == "year":
        return (-int(value) if value.isdigit() else 0, value)
    return (-count, value.lower())


def _intersect(base, sets):
    result = base
    for docs in sorted(sets, key=len):
        result = result & docs
        if not result:
            break
    return frozenset(result)


def _filter_sets(gen, filters) -> dict[str, frozenset[int]]:
    sets = {}
    for facet, values in filters.items():
        field_postings = gen.postings[facet]
        union = set()
        for value in values:
            union.update(field_postings.get(value, ()))
        sets[facet] = frozenset(union)
    return sets


def _postings(gen, fieldname, text) -> frozenset[int]:
    reader = gen.searcher.reader()
    if (fieldname, text) not in reader:
        return frozenset()
    return frozenset(reader.postings(fieldname, text).all_ids()) & gen.alive


def _matching(gen, compiled) -> frozenset[int]:
    return frozenset(gen.searcher.docs_for_query(compiled)) & gen.alive


def _document_docnums(gen, symbol) -> list[int]:
    return sorted(gen.postings["document"].get(symbol, ()), key=gen.order_key.__getitem__)


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
    alive = frozenset(reader.all_doc_ids())
    postings: dict[str, dict[str, frozenset[int]]] = {}
    values: dict[str, dict[int, tuple[str, ...]]] = {}
    for facet, fieldname in FACET_FIELDS.items():
        field_postings = {}
        per_doc: dict[int, list[str]] = {}
        for raw in reader.lexicon(fieldname):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if not value:
                continue  # a unit without a value (no known year) is in no facet bucket
            docs = frozenset(reader.postings(fieldname, raw).all_ids()) & alive
            if not docs:
                continue
            field_postings[value] = docs
            for docnum in docs:
                per_doc.setdefault(docnum, []).append(value)
        postings[facet] = field_postings
        values[facet] = {d: tuple(v) for d, v in per_doc.items()}
    document_of = {d: vs[0] for d, vs in values["document"].items()}
    orders = reader.column_reader("order")
    order_key = {d: (document_of.get(d, ""), orders[d]) for d in alive}
    by_uid = {}
    titles = {}
    for docnum in alive:
        fields = reader.stored_fields(docnum)
        by_uid[fields["uid"]] = docnum
        symbol = fields["document"]
        if symbol not in titles:
            titles[symbol] = json.loads(fields["data"]).get("title") or ""
    sample = [reader.stored_fields(d)["text"] for d in sorted(alive)[:2000]]
    splitter = train_splitter(sample)
    return _Generation(
        handle=handle,
        searcher=searcher,
        alive=alive,
        postings=postings,
        values=values,
        order_key=order_key,
        by_uid=by_uid,
        document_titles=titles,
        splitter=splitter,
    )


def search(index_dir, query: str = "", filters=None, page: int = 1, per_page: int = 10,
           sort: str = "relevance") -> SearchResult:
    """One-off search (the CLI's); long-lived callers keep a SearchService."""
    return SearchService(index_dir).search(query, filters, page, per_page, sort)
