"""The only door to the index for reading: queries and filters in, plain dataclasses out.

Callers (the CLI, the web app) hold one ``SearchService`` per index directory
and call ``search``, ``paragraph``, ``document`` and ``compare`` (and, for
citations, ``references``, ``missing_documents``, ``missing_document``,
``document_card`` and ``original_file``). The service parses a query
(``syntax``), plans it (``planner``: engine-neutral nodes), resolves the
citation it holds (``cite``), and asks the engine's ``Reader``
(``indexer.engine.base``) for hits and facet counts; it builds the hits
(stored values, excerpts) and the facet lists (labels, selected values). It
never sees an engine class.

The service notices a newly published index generation on the next call. It
opens and loads the new generation beside the old one, off the lock readers
take, and swaps it in once ready; calls keep being answered from the old one
meanwhile (``switch="background"``, the web app's) or the noticing call waits
for it (``switch="wait"``, the default: a caller sees its own build at once).
A call already running finishes on the generation it started with.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path

from cachetools import LRUCache

from indexer import engine as engines
from indexer.engine.base import (
    AllOf, AnyOf, ConstantScore, EngineHit, EngineResult, Phrase, Reader, SearchRequest, StoredUnit, Term, Without,
)
from indexer.facets import BY_NAME, FACET_NAMES, INSTRUMENT_LABEL, THEME_LABEL, sort_key
from indexer.models import document_key, is_provision, provision_key, unit_uid
from indexer.search import cite, cited_by, resolve, syntax
from indexer.search.diversity import spread
from indexer.search.addresses import unit_locator
from indexer.search.citations import CitationQuery, document_matches, parse_citation
from indexer.search.documents import (
    DocumentCard, MissingDocument, OriginalFile, is_symbol_query, meeting_of, original_file,
)
from indexer.search.excerpts import MatchTerms, build_excerpt
from indexer.search.lexicon import Lexicon, load_lexicon
from indexer.search.planner import EVERY_PLAN_READS, asked_answer, best_match, content_tree, plain_words, plan
from indexer.search.results import (
    NO_INSTRUMENT,
    NO_INSTRUMENT_LABEL,
    CompareColumn,
    CompareView,
    DocumentView,
    FacetValue,
    FacetValues,
    Hit,
    OutlineEntry,
    ParagraphView,
    QueryError,
    ResolvedReference,
    SearchResult,
)
from indexer.storage.generations import (
    IndexMissing, current_generation, open_current, open_reader, read_manifest, read_splitter, read_stamp,
)
from indexer.text.analysis import exact_terms, stemmed_terms
from indexer.text.corrections import closest_spelling, vocabulary_candidates
from indexer.text.sentences import TRAINING_UNITS, sentence_spans, splitter_from_json, train_splitter

SORTS = ("relevance", "document")
FACETS = FACET_NAMES
MAX_PER_PAGE = 100
# Spelling correction is bounded whatever the query: the corrector's work grows
# with a word's length (a 1,000-letter word took 1.7 s), and words longer than
# any real one are not misspellings worth a suggestion; and only the first
# unknown words of a long query are looked up.
MAX_CORRECTED_WORD_LENGTH = 40
MAX_CORRECTED_WORDS = 20
# Documents have typos too ("Protocl"): a word found in at most this many units
# is corrected as if unknown, to a candidate found in TYPO_FREQUENCY_RATIO times
# as many (or a word of the vocabulary's names).
TYPO_MAX_UNITS = 2
TYPO_FREQUENCY_RATIO = 20
# The first page of a ranked search takes at most this share of its hits (at
# least one) from one source, a document or one decision of a report; the ranking
# is spread over the first FIRST_WINDOW_PAGES pages of hits, or when those hold
# too few other sources over the first DIVERSITY_WINDOW hits (pages past the
# window keep the engine's order). A search filtered to documents is not spread.
SOURCE_SHARE_OF_FIRST_PAGE = 0.5
FIRST_WINDOW_PAGES = 3
DIVERSITY_WINDOW = 100
# Result pages kept per generation, keyed by request.
RESULT_CACHE_SIZE = 256
# Hits (stored values and excerpt of a unit for a query's words) kept per generation.
HIT_CACHE_SIZE = 4096
# Citations resolved and spelling corrections found, kept per generation.
MEMO_CACHE_SIZE = 1024
# Units whose references are kept resolved per generation: "cited by" resolves
# every candidate citer of a unit, and a page asks again for the next page.
RESOLVED_CACHE_SIZE = 20_000
# A cited symbol's first citing units read to find how the text writes it.
WRITTEN_SYMBOL_CITERS = 1
# How a service takes up a newly published generation (see the module docstring).
SWITCH_MODES = ("wait", "background")

ONLY_COMMON_WORDS = "The query has only very common words; add a more specific word."
NOTHING_MATCHES = "No paragraph matches all the words and filters."
CLOSEST_MATCHES = "No paragraph has all the words; these have the most of them."


@dataclass
class _Generation:
    """One opened generation and what the service keeps for it."""

    name: str
    reader: Reader
    splitter: object
    lock: threading.Lock = field(default_factory=threading.Lock)
    results: LRUCache = field(default_factory=lambda: LRUCache(RESULT_CACHE_SIZE))
    hits: LRUCache = field(default_factory=lambda: LRUCache(HIT_CACHE_SIZE))
    citations: LRUCache = field(default_factory=lambda: LRUCache(MEMO_CACHE_SIZE))
    corrections: LRUCache = field(default_factory=lambda: LRUCache(MEMO_CACHE_SIZE))
    # symbol -> its CitationTable (indexer.search.cite); one per document
    citation_tables: dict = field(default_factory=dict)
    # uid -> its references resolved in this generation (indexer.search.resolve)
    resolved: LRUCache = field(default_factory=lambda: LRUCache(RESOLVED_CACHE_SIZE))
    lexicon: Lexicon | None = None
    _titles: dict[str, str] | None = None

    def cached(self, cache: LRUCache, key, make):
        """``cache[key]``, made by ``make()`` when missing (made outside the lock)."""
        with self.lock:
            found = cache.get(key, _MISSING)
        if found is _MISSING:
            found = make()
            with self.lock:
                cache[key] = found
        return found

    @property
    def titles(self) -> dict[str, str]:
        """Document symbol -> title."""
        if self._titles is None:
            self._titles = {symbol: title for symbol, title, _ in self.reader.documents()}
        return self._titles

    # What indexer.search.cite, .resolve and .cited_by read of a generation.

    def document_units(self, symbol: str) -> list[StoredUnit]:
        """A document's units, in document order."""
        return self.reader.document_units(symbol)

    def _documents_of(self, query, filters=None) -> list[str]:
        """Symbols of the documents with units matching, most such units first."""
        found = self.reader.search(SearchRequest(query=query, filters=filters or {}, limit=0, facets=("document",)))
        return list(found.facets["document"].values)

    def instrument_documents(self, instrument: str) -> list[str]:
        """Symbols of the documents with units tagged with an instrument, most units first."""
        return self._documents_of(None, {"instrument": (instrument,)})

    def decision_documents(self, number: str) -> list[str]:
        """Symbols of the documents with a heading naming a decision number (the decision's
        own heading; a text that only cites the decision does not hold it), most such units first."""
        terms = stemmed_terms(number)
        if not terms:
            return []
        return self._documents_of(_sequence("heading", terms))

    def unit_references(self, unit: StoredUnit) -> tuple:
        """The references of a unit, resolved in this generation (kept per generation)."""
        return self.cached(self.resolved, unit.uid, lambda: self._resolve_references(unit))

    def _resolve_references(self, unit: StoredUnit) -> tuple:
        vocabulary = getattr(self.lexicon, "vocabulary", None)
        if vocabulary is None:
            return ()
        refs = resolve.unit_references(unit.text, unit.primary_instrument, vocabulary)
        own = unit_locator(unit.document, json.loads(unit.data).get("citation") or "")
        return tuple(resolve.resolve(self, ref, unit.document, self.lexicon, own) for ref in refs)


_MISSING = object()


@dataclass(frozen=True)
class _Prepared:
    """A query parsed and planned: the plan, the excerpt terms, a cited unit, or why nothing."""

    query: str
    tree: object
    node: object
    terms: MatchTerms
    cited: tuple[str, ...] = ()  # the units the query cites, the first first
    message: str | None = None


def _load(handle, reader: Reader, lexicon: Lexicon) -> _Generation:
    # The build stores the splitter it trained; a generation built before that is trained here.
    splitter = splitter_from_json(read_splitter(handle.path)) or train_splitter(reader.sample_texts(TRAINING_UNITS))
    reader.count(EVERY_PLAN_READS, {})
    return _Generation(name=handle.generation, reader=reader, splitter=splitter, lexicon=lexicon)


class SearchService:
    """Search over one index directory, reused across requests."""

    def __init__(self, index_dir: str | Path, lexicon: Lexicon | None = None, *,
                 engine: str = engines.DEFAULT_ENGINE, switch: str = "wait"):
        if switch not in SWITCH_MODES:
            raise ValueError(f"switch must be one of: {', '.join(SWITCH_MODES)}")
        self.index_dir = Path(index_dir)
        self.lexicon = lexicon or load_lexicon()
        self.engine = engines.get(engine)
        self.switch = switch
        self._generation: _Generation | None = None
        self._swap_lock = threading.Lock()  # held only to swap a loaded generation in
        self._load_lock = threading.Lock()  # one load at a time
        self._loading: str | None = None

    # -- generations -----------------------------------------------------

    def _current(self) -> _Generation:
        name = current_generation(self.index_dir)
        loaded = self._generation
        if loaded is not None and loaded.name == name:
            return loaded
        if name is None:
            raise IndexMissing(f"no index in {self.index_dir}: run `python -m indexer index` to build one")
        if loaded is not None and self.switch == "background":
            self._start_background_load(name)
            return loaded
        return self._load(name)

    def _load(self, name: str) -> _Generation:
        """Open and load ``name`` (unless another call just did), then swap it in."""
        with self._load_lock:
            loaded = self._generation
            if loaded is not None and loaded.name == name:
                return loaded
            handle = open_current(self.index_dir)
            generation = _load(handle, open_reader(self.engine, handle), self.lexicon)
            with self._swap_lock:
                # The previous reader is left to the garbage collector: a call
                # still running on it finishes on the old generation.
                self._generation = generation
            return generation

    def _start_background_load(self, name: str) -> None:
        with self._swap_lock:
            if self._loading == name:
                return
            self._loading = name

        def run():
            try:
                self._load(name)
            except Exception:  # noqa: BLE001 - the next call tries again, in the open
                pass
            finally:
                with self._swap_lock:
                    if self._loading == name:
                        self._loading = None

        threading.Thread(target=run, name=f"load-{name}", daemon=True).start()

    def generation(self) -> str:
        """Name of the generation calls are answered from."""
        return self._current().name

    def clear_cache(self) -> None:
        """Forget the result pages of the current generation (benchmarks)."""
        gen = self._current()
        with gen.lock:
            gen.results.clear()

    def stats(self) -> dict:
        """Documents and units in the current generation."""
        gen = self._current()
        return {
            "generation": gen.name,
            "units": gen.reader.unit_count(),
            "documents": len(gen.titles),
            "stamp": read_stamp(self.index_dir, gen.name),
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
        return gen.cached(gen.results, key, lambda: self._search(gen, query, filters, page, per_page, sort, excerpts))

    def _prepare(self, gen: _Generation, query: str, find_cited: bool) -> _Prepared:
        """Parse and plan a query (and, with ``find_cited``, resolve the citation it is)."""
        try:
            tree = syntax.parse(query)
        except syntax.QueryTooComplex as error:
            raise QueryError("q", str(error)) from None
        except syntax.QuerySyntaxError as error:
            return _Prepared(query, None, None, MatchTerms(), message=str(error))
        cited = self._cite(gen, query) if find_cited and query else ()
        if tree is None:
            return _Prepared(query, None, None, MatchTerms(), cited=cited)
        node, terms = plan(tree, self.lexicon)
        if node is None and not cited:
            return _Prepared(query, tree, None, terms, message=ONLY_COMMON_WORDS)
        return _Prepared(query, tree, node, terms, cited=cited)

    def _search(self, gen, query, filters, page, per_page, sort, excerpts) -> SearchResult:
        prepared = self._prepare(gen, query, find_cited=True)
        if prepared.message is not None:
            return SearchResult(
                query=query, total=0, page=page, per_page=per_page, sort=sort, hits=(),
                facets=self._facets({}, filters), filters=filters, message=prepared.message,
            )
        spread_out = sort == "relevance" and not prepared.cited and not filters.get("document")

        def search(node):
            if spread_out and node is not None:  # browsing without words is in document order
                return _spread_page(gen.reader, node, filters, page, per_page)
            return gen.reader.search(SearchRequest(
                query=node, filters=filters, pinned=prepared.cited, sort=sort,
                offset=(page - 1) * per_page, limit=per_page, facets=FACETS))

        found = search(prepared.node)
        facets = self._facets(found.facets, filters)
        suggestion = None
        if prepared.tree is not None and found.total < 3:
            suggestion = self._suggest(gen, query, prepared.tree, filters)
        document = self._document_card(gen, query)
        message = None
        # Only a ranked search is relaxed (closeness is its order), and never a
        # citation: its words are an address, not a description.
        relaxed = self._best_match(gen, prepared) \
            if not found.total and not prepared.cited and sort == "relevance" else None
        if relaxed is not None:
            relaxed, terms = relaxed
            prepared = replace(prepared, terms=terms)
            found = search(relaxed)
            facets = self._facets(found.facets, filters)
            message = CLOSEST_MATCHES if found.total else None
        if not found.total:
            return SearchResult(
                query=query, total=0, page=page, per_page=per_page, sort=sort, hits=(),
                facets=facets, filters=filters, suggestion=suggestion, message=NOTHING_MATCHES,
                document=document,
            )
        terms = prepared.terms if excerpts else None
        hits = tuple(self._shown_hit(gen, h, terms) for h in found.hits)
        return SearchResult(
            query=query, total=found.total, page=page, per_page=per_page, sort=sort,
            hits=hits, facets=facets, filters=filters, suggestion=suggestion,
            cited=prepared.cited[0] if prepared.cited else None, document=document, message=message,
        )

    def _best_match(self, gen, prepared: _Prepared):
        """The plan of a query no unit matches whole, relaxed to its best match, with
        the terms its excerpts mark; None when there is nothing to relax.

        Only the words that say what is looked for are matched: a question's asking
        words are left out ("How often", "who"), and the kind of answer it asks for
        and the instruments it names are preferred."""
        tree = content_tree(prepared.tree)
        if tree is None:
            return None
        node, terms = plan(tree, self.lexicon)
        relaxed = best_match(node, gen.reader.document_frequency, gen.reader.unit_count(),
                             instruments=self.lexicon.instruments_in(prepared.query),
                             answer=asked_answer(prepared.tree),
                             sources=self.lexicon.sources_in(prepared.query) + self._articles(gen, prepared.query))
        return (relaxed, terms) if relaxed is not None else None

    def _articles(self, gen, query: str) -> tuple[tuple[str, str], ...]:
        """(field, value) of the units of the treaty articles a query names, and of
        the units citing them: "article 8 of the Paris Agreement" is the article's
        paragraphs and the decision paragraphs that speak of "Article 8 of the Agreement"."""
        found: list[tuple[str, str]] = []
        for instrument, article in self.lexicon.articles_in(query):
            found.append(("refkey", provision_key(instrument, f"art{article}")))
            within = cite.units_within(gen, f"{self.lexicon.instrument_label(instrument)} art. {article}", self.lexicon)
            found += [("uid", uid) for uid in within]
        return tuple(dict.fromkeys(found))

    def _facets(self, counted, filters) -> dict[str, FacetValues]:
        """Every facet's values with their counts and labels; selected values always listed."""
        facets = {}
        for name in FACETS:
            facet = BY_NAME[name]
            found = counted.get(name)
            values, counts = (found.values, found.counts) if found is not None else ((), ())
            selected = set(filters.get(name, ()))
            missing = selected.difference(values)
            if missing:
                # A selected value without hits stays listed, so it can be unticked.
                pairs = sorted([*zip(values, counts), *((v, 0) for v in missing)],
                               key=lambda item: sort_key(facet, item[0], item[1]))
                values, counts = tuple(v for v, _ in pairs), tuple(c for _, c in pairs)
            label = self._labeller(facet)
            # Columns, not a value each: a million units have thousands of documents.
            labels = map(label, values) if label else values
            chosen = [value in selected for value in values] if selected else repeat(False, len(values))
            facets[name] = FacetValues(values, labels, counts, chosen)
        return facets

    def _labeller(self, facet):
        if facet.value_label == INSTRUMENT_LABEL:
            return self.lexicon.instrument_label
        if facet.value_label == THEME_LABEL:
            return self.lexicon.theme_label
        return None

    def _suggest(self, gen, query, tree, filters):
        """A corrected query, offered when it has results or names an instrument the typed one does not."""
        words = plain_words(tree)
        if not words:
            return None
        corrected = query
        changed = False
        looked_up = 0
        for word in words:
            terms = exact_terms(word)
            if len(terms) != 1 or len(terms[0]) > MAX_CORRECTED_WORD_LENGTH:
                continue
            units = gen.reader.document_frequency("exact", terms[0])
            if units > TYPO_MAX_UNITS:
                continue
            looked_up += 1
            if looked_up > MAX_CORRECTED_WORDS:
                break
            best = self._correction(gen, terms[0], units)
            if best and word[:1].isupper():
                best = best[:1].upper() + best[1:]  # "Protocl" -> "Protocol", as typed
            if best:
                corrected = corrected.replace(word, best, 1)
                changed = True
        if not changed or corrected == query:
            return None
        try:
            node, _ = plan(syntax.parse(corrected), self.lexicon)
        except (syntax.QuerySyntaxError, syntax.QueryTooComplex):
            return None
        if node is None:
            return None
        # An instrument's own units seldom print its name: "Minamata convention"
        # may match no unit whole, yet it is what was meant.
        names_more = set(self.lexicon.instruments_in(corrected)) - set(self.lexicon.instruments_in(query))
        return corrected if names_more or gen.reader.count(node, filters) else None

    def _correction(self, gen, term: str, units: int) -> str | None:
        """The spelling of ``term`` (found in ``units`` units) to offer, if any."""
        def candidates():
            found = [c for c in gen.reader.suggestion("exact", term)
                     if not units or gen.reader.document_frequency("exact", c) >= TYPO_FREQUENCY_RATIO * units]
            return vocabulary_candidates(term, self.lexicon.spelling_words) + found
        # The vocabulary's words first: among equally close candidates they win.
        return closest_spelling(term, gen.cached(gen.corrections, term, candidates))

    # -- citations (see indexer.search.cite) ---------------------------------

    def _cite(self, gen, query: str) -> tuple[str, ...]:
        """Uids of the units a citation query names, the first first (kept per generation)."""
        return gen.cached(gen.citations, ("query", query), lambda: self._find_cited_units(gen, query))

    def _find_cited_units(self, gen, query: str) -> tuple[str, ...]:
        found = cite.cited_units(gen, query, self.lexicon)
        if not found:
            # Forms the address reader leaves (a short name and a bare number).
            citation = parse_citation(query)
            uid = self._resolve_citation(gen, citation) if citation else None
            found = [uid] if uid is not None else []
        return tuple(found)

    def _resolve_citation(self, gen, citation: CitationQuery) -> str | None:
        """The uid of the unit a citation names, or None (kept per generation)."""
        return gen.cached(gen.citations, citation, lambda: self._find_cited(gen, citation))

    def _find_cited(self, gen, citation: CitationQuery) -> str | None:
        candidates = sorted(
            ((document_matches(citation.document, symbol, title), symbol)
             for symbol, title in gen.titles.items()),
            reverse=True,
        )
        reader = gen.reader
        for score, symbol in candidates:
            if score == 0:
                break
            for unit_id in citation.unit_ids():
                uid = unit_uid(symbol, unit_id)
                if reader.stored(uid) is not None:
                    return uid
            if citation.article is not None:
                # "Basel art. 14": the article's first unit, whatever its shape.
                prefix = unit_uid(symbol, f"art{citation.article}")
                first = [
                    uid for uid in reader.uids_with_prefix(prefix)
                    if uid == prefix or uid.startswith(prefix + ".") or uid.startswith(prefix + "(")
                ]
                if first:
                    return min(first, key=lambda uid: reader.stored(uid).order)
        return None

    # -- paragraphs and documents ------------------------------------------

    def paragraph(self, symbol: str, paragraph: str, related: int = 5, cited_page: int = 1,
                  cited_per_page: int = 10) -> ParagraphView | None:
        """A unit with its neighbours, outline, references, citing units (one page of
        them, and how many in all) and similar units."""
        cited_page, cited_per_page, _ = _check_paging(cited_page, cited_per_page, "relevance")
        gen = self._current()
        uid = unit_uid(symbol, paragraph)
        if gen.reader.stored(uid) is None:
            return None
        siblings = gen.reader.document_units(symbol)
        position = next(i for i, unit in enumerate(siblings) if unit.uid == uid)
        hit = _hit(gen, siblings[position], None, None)
        citing = cited_by.citing_units(gen, uid, symbol, hit.primary_instrument, self.lexicon)
        start = (cited_page - 1) * cited_per_page
        previous = _hit(gen, siblings[position - 1], None, None) if position > 0 else None
        following = _hit(gen, siblings[position + 1], None, None) if position + 1 < len(siblings) else None
        return ParagraphView(
            hit=hit,
            previous=previous,
            next=following,
            outline=_outline(siblings),
            references=self._references(gen, siblings[position], hit),
            cited_by=tuple(_hit(gen, unit, None, None) for unit in citing[start:start + cited_per_page]),
            similar=tuple(self._similar(gen, hit, related)),
            cited_by_total=len(citing),
            cited_by_page=cited_page,
            cited_by_per_page=cited_per_page,
        )

    def references(self, symbol: str, paragraph: str) -> tuple[ResolvedReference, ...] | None:
        """Each reference of a unit and where it leads; None when the unit is not indexed."""
        gen = self._current()
        unit = gen.reader.stored(unit_uid(symbol, paragraph))
        if unit is None:
            return None
        return self._references(gen, unit, _hit(gen, unit, None, None))

    def document(self, symbol: str) -> DocumentView | None:
        """A document's metadata, outline and every unit in order."""
        gen = self._current()
        stored = gen.reader.document_units(symbol)
        if not stored:
            return None
        units = tuple(_hit(gen, unit, None, None) for unit in stored)
        first = units[0]
        return DocumentView(
            symbol=symbol,
            title=first.title,
            date=json.loads(stored[0].data).get("date"),
            year=first.year,
            primary_instrument=Counter(u.primary_instrument for u in units).most_common(1)[0][0],
            units=units,
            outline=_outline(stored),
        )

    def documents(self) -> list[tuple[str, str, int]]:
        """Every indexed document as (symbol, title, units)."""
        return self._current().reader.documents()

    def _references(self, gen, unit: StoredUnit, hit: Hit) -> tuple[ResolvedReference, ...]:
        """Each reference of a unit and where it leads (see indexer.search.resolve)."""
        resolved = gen.unit_references(unit)
        if not resolved and hit.references and getattr(self.lexicon, "vocabulary", None) is None:
            # A lexicon without the vocabulary cannot read references again: the
            # references as written, each looked up as a typed citation.
            return tuple(self._resolve_reference(gen, text) for text in hit.references)
        return tuple(
            ResolvedReference(text=r.text, uid=r.uid, symbol=r.symbol, status=r.status, target=r.target)
            for r in resolved
        )

    def _resolve_reference(self, gen, text: str) -> ResolvedReference:
        citation = parse_citation(text)
        if citation is not None:
            uid = self._resolve_citation(gen, citation)
            if uid is not None:
                return ResolvedReference(text=text, uid=uid, symbol=gen.reader.stored(uid).document,
                                         status=resolve.UNIT, target=text)
        for symbol in gen.titles:
            if symbol.lower() == text.strip().lower():
                return ResolvedReference(text=text, uid=None, symbol=symbol, status=resolve.DOCUMENT, target=text)
        return ResolvedReference(text=text, uid=None, symbol=None, status=resolve.MISSING, target=text)

    # -- documents named, missing, and their files (see indexer.search.documents) --

    def _document_card(self, gen, query: str) -> DocumentCard | None:
        """The card of the one document a symbol typed alone names, or None."""
        if not query or not is_symbol_query(query):
            return None
        scored = [(document_matches(query, symbol), symbol) for symbol in gen.titles]
        best = max((score for score, _ in scored), default=0)
        named = [symbol for score, symbol in scored if score == best and score >= 2]
        if len(named) != 1:
            return None
        return self._card(gen, named[0])

    def document_card(self, symbol: str) -> DocumentCard | None:
        """Title, date, meeting and paragraph count of an indexed document."""
        return self._card(self._current(), symbol)

    @staticmethod
    def _card(gen, symbol: str) -> DocumentCard | None:
        units = gen.reader.document_units(symbol)
        if not units:
            return None
        data = json.loads(units[0].data)
        title = data.get("title") or ""
        return DocumentCard(symbol, title, data.get("date"), meeting_of(title), len(units))

    def missing_documents(self, limit: int | None = None) -> list[MissingDocument]:
        """Symbols that indexed paragraphs cite but the index lacks, most cited first."""
        gen = self._current()
        found = gen.cached(gen.citations, ("missing",), lambda: self._find_missing(gen))
        return list(found[:limit] if limit is not None else found)

    def _find_missing(self, gen) -> tuple[MissingDocument, ...]:
        indexed = {symbol.lower() for symbol in gen.titles}
        prefix = document_key("")
        found = []
        for key, count in gen.reader.reference_keys(prefix):
            folded = key[len(prefix):]
            if folded not in indexed:
                found.append(MissingDocument(self._written_symbol(gen, folded), count))
        found.sort(key=lambda m: (-m.cited_by, m.symbol.lower()))
        return tuple(found)

    def missing_document(self, symbol: str, page: int = 1, per_page: int = 20):
        """A cited symbol that is not indexed: (MissingDocument, one page of the citing
        units) or None when no indexed paragraph cites it (or it is indexed)."""
        page, per_page, _ = _check_paging(page, per_page, "relevance")
        gen = self._current()
        folded = symbol.strip().lower()
        if folded in {s.lower() for s in gen.titles}:
            return None
        units = gen.reader.referring(keys=[document_key(folded)])
        if not units:
            return None
        start = (page - 1) * per_page
        citing = tuple(_hit(gen, unit, None, None) for unit in units[start:start + per_page])
        return MissingDocument(self._written_symbol(gen, folded), len(units)), citing

    @staticmethod
    def _written_symbol(gen, folded: str) -> str:
        """A cited symbol as the first citing paragraph writes it (the index keeps it folded)."""
        for first in gen.reader.cited_by([document_key(folded)], WRITTEN_SYMBOL_CITERS):
            for resolved in gen.unit_references(first):
                if resolved.target.lower() == folded:
                    return resolved.target
            for written in json.loads(first.data).get("references", ()):
                at = written.lower().find(folded)
                if at >= 0:
                    return written[at:at + len(folded)]
        return folded

    def original_file(self, symbol: str) -> OriginalFile | None:
        """The file a document was indexed from, by the index manifest; None when the
        symbol is not indexed or its file is gone."""
        gen = self._current()
        found = original_file(read_manifest(self.index_dir, gen.name), symbol)
        if found is None or not found.path.is_file():
            return None
        return found

    def _similar(self, gen, hit: Hit, limit: int) -> list[Hit]:
        # Like paragraphs from elsewhere: another instrument, or (without one) another document.
        exclude = ("instrument", hit.primary_instrument) if hit.primary_instrument else ("document", hit.symbol)
        return [_hit(gen, found.unit, found.score, None) for found in gen.reader.similar(hit.uid, limit, exclude)]

    # -- compare -----------------------------------------------------------

    def compare(
        self,
        query: str,
        filters: dict[str, list[str] | tuple[str, ...]] | None = None,
        per_instrument: int = 5,
        instruments: int = 8,
        chosen: tuple[str, ...] | None = None,
    ) -> CompareView:
        """Best paragraphs per instrument for a query, and instrument x theme counts.

        A unit is counted in one column only, its primary instrument's (units of no
        instrument in the ``NO_INSTRUMENT`` column), so a protocol and its convention
        each have their own column. ``chosen``: the instruments to show as columns;
        None: the ``instruments`` with the most matching units.
        """
        filters = _check_filters(filters)
        query = (query or "").strip()
        if per_instrument < 1:
            raise QueryError("per_instrument", "per_instrument must be 1 or more")
        gen = self._current()
        prepared = self._prepare(gen, query, find_cited=False)
        if prepared.message is not None:
            return CompareView(query=query, total=0, columns=(), themes=(), matrix={}, message=prepared.message)
        reader = gen.reader
        _, theme_totals, matrix = reader.cooccurrence(prepared.node, filters, "instrument", "theme")
        primary = reader.primary_counts(prepared.node, filters)
        total = sum(primary.values())
        # What no instrument is primary to has a column of its own.
        counts = _most_common({i or NO_INSTRUMENT: c for i, c in primary.items()})
        primaries = tuple(i for i in primary if i)
        if chosen is None:
            shown = [instrument for instrument, _ in counts[:instruments]]
        else:
            shown = list(dict.fromkeys(chosen))
            # An instrument asked for but without matching units still gets its (empty) column.
            counts += [(instrument, 0) for instrument in shown if instrument not in dict(counts)]
        columns = tuple(
            CompareColumn(
                instrument=instrument,
                label=self._column_label(instrument),
                total=count,
                hits=tuple(
                    _hit(gen, h.unit, h.score, prepared.terms)
                    for h in self._column_hits(reader, prepared.node, filters, instrument, primaries, per_instrument)
                ) if count else (),
            )
            for instrument, count in counts if instrument in shown
        )
        themes = tuple(
            FacetValue(value=t, label=self.lexicon.theme_label(t), count=c, selected=False)
            for t, c in _most_common(theme_totals)
        )
        return CompareView(
            query=query,
            total=total,
            columns=columns,
            themes=themes,
            matrix=matrix,
            message=None if total else NOTHING_MATCHES,
            instruments=tuple(
                FacetValue(value=i, label=self._column_label(i), count=c, selected=i in shown) for i, c in counts
            ),
        )

    # The engine filters by instrument tags, which a unit carries for every
    # instrument it mentions and every ancestor of its own; a column holds the
    # units whose stored primary instrument it is, so each unit is in one column.

    @staticmethod
    def _in_column(node, instrument: str, instruments: tuple[str, ...]):
        """The query narrowed to one column's units (None: a filters-only query's
        NO_INSTRUMENT column, which has no query to narrow); ``instruments``: the
        primary instruments of the matching units, none of which NO_INSTRUMENT's are."""
        if instrument == NO_INSTRUMENT:
            others = tuple(Term("primary_instrument", i) for i in instruments)
            if node is None:
                return None
            return Without(node, AnyOf(others)) if others else node
        # A constant of 0 adds nothing: the column's units keep the query's scores.
        own = ConstantScore(Term("primary_instrument", instrument), score=0.0)
        return own if node is None else AllOf((node, own))

    def _column_hits(self, reader, node, filters, instrument, instruments, limit) -> tuple[EngineHit, ...]:
        """The best ``limit`` units of one column."""
        narrowed = self._in_column(node, instrument, instruments)
        if narrowed is None:
            return ()
        return reader.search(SearchRequest(query=narrowed, filters=filters, limit=limit)).hits

    def _column_label(self, instrument: str) -> str:
        return NO_INSTRUMENT_LABEL if instrument == NO_INSTRUMENT else self.lexicon.instrument_label(instrument)

    def _shown_hit(self, gen, found: EngineHit, terms: MatchTerms | None) -> Hit:
        """A hit of a result page; a unit's stored values and excerpt for the same
        words are built once per generation."""
        hit = gen.cached(gen.hits, (found.unit.uid, terms), lambda: _hit(gen, found.unit, None, terms))
        return replace(hit, score=round(found.score, 4) if found.score is not None else None)


# -- module-level helpers ------------------------------------------------------


def _sequence(field: str, terms) -> Term | Phrase:
    """The units holding the terms in this order in ``field``."""
    return Term(field, terms[0]) if len(terms) == 1 else Phrase(field, tuple(terms))


def _most_common(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(value, count) pairs, most frequent first, then by value."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _check_filters(filters) -> dict[str, tuple[str, ...]]:
    checked = {}
    for name, values in (filters or {}).items():
        if name not in BY_NAME:
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


def _outline(units: list[StoredUnit]) -> tuple[OutlineEntry, ...]:
    entries = []
    seen: tuple[str, ...] = ()
    for unit in units:
        section = tuple(json.loads(unit.data)["section"])
        if section == seen:
            continue
        common = 0
        while common < min(len(section), len(seen)) and section[common] == seen[common]:
            common += 1
        for depth in range(common, len(section)):
            entries.append(OutlineEntry(section[depth], depth, unit.uid, unit.paragraph))
        seen = section
    return tuple(entries)


def _hit(gen, unit: StoredUnit, score, terms: MatchTerms | None) -> Hit:
    data = json.loads(unit.data)
    text = unit.text
    if terms is None:
        excerpt = ""
    else:
        excerpt = build_excerpt(text, terms, lambda t: sentence_spans(t, gen.splitter))
    return Hit(
        uid=unit.uid,
        symbol=unit.document,
        title=data.get("title") or "",
        paragraph=unit.paragraph,
        kind=unit.kind,
        citation=data["citation"],
        section=tuple(data["section"]),
        page=data.get("page"),
        text=text,
        excerpt_html=excerpt,
        score=round(score, 4) if score is not None else None,
        primary_instrument=unit.primary_instrument,
        instruments=tuple(data.get("instruments", ())),
        themes=tuple(data.get("themes", ())),
        references=tuple(data.get("references", ())),
        year=unit.year,
        order=unit.order,
        decision=data.get("decision"),
    )


def _spread_page(reader: Reader, node, filters, page: int, per_page: int) -> EngineResult:
    """One page of a ranked search whose first pages are spread over their sources.

    The window spread is chosen the same way for every page, so pages agree: the
    first FIRST_WINDOW_PAGES pages of hits, or DIVERSITY_WINDOW hits when those
    hold too few other sources; a page past the window is the engine's order."""
    def request(window, facets=FACETS, offset=0):
        return SearchRequest(query=node, filters=filters, offset=offset, limit=window, facets=facets)

    if page * per_page > DIVERSITY_WINDOW:
        return reader.search(request(per_page, offset=(page - 1) * per_page))
    window = min(DIVERSITY_WINDOW, FIRST_WINDOW_PAGES * per_page)
    found = reader.search(request(window))
    order, full = _spread(found, per_page)
    if not full and found.total > window and window < DIVERSITY_WINDOW:
        window = DIVERSITY_WINDOW
        # The same units match: the facets counted already stand.
        found = replace(reader.search(request(window, facets=())), facets=found.facets)
        order, _ = _spread(found, per_page)
    if page * per_page > window:
        return replace(reader.search(request(per_page, facets=(), offset=(page - 1) * per_page)), facets=found.facets)
    start = (page - 1) * per_page
    return replace(found, hits=tuple(found.hits[i] for i in order[start:start + per_page]))


def _spread(found: EngineResult, per_page: int) -> tuple[list[int], bool]:
    """The order of ``found``'s hits spread over their sources, and whether the first page is full."""
    per_source = max(1, int(per_page * SOURCE_SHARE_OF_FIRST_PAGE))
    return spread([_source(h.unit) for h in found.hits], [" ".join(h.unit.text.split()) for h in found.hits],
                  per_page, per_source)


def _source(unit: StoredUnit) -> tuple[str, str, bool]:
    # A report holding several decisions is several sources, one per decision, and
    # a treaty annexed to a decision (the Paris Agreement) is one beside it.
    return unit.document, unit.decision, is_provision(unit.paragraph)


def search(index_dir, query: str = "", filters=None, page: int = 1, per_page: int = 10,
           sort: str = "relevance") -> SearchResult:
    """One-off search (the CLI's); long-lived callers keep a SearchService."""
    return SearchService(index_dir).search(query, filters, page, per_page, sort)
