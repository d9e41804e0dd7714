"""From a citation query to the units it names, over one index generation.

Glue between the pure address reader (``indexer.search.addresses``) and the
index: which documents a typed hint names (by symbol or title, by the
decision they hold, by the instrument a section of them is), and each
document's ``CitationTable`` built once per generation from its units' own
citations. The generation is the service's: ``titles`` (symbol -> title),
``document_units(symbol)`` (the engine's stored units, in document order),
``instrument_documents(id)`` and ``decision_documents(number)`` (symbols),
``citation_tables`` (kept per generation) and ``lock``. Units are named by
their uids throughout.
"""
from __future__ import annotations

import json

from indexer.search.addresses import Address, CitationTable, decision_key, parse_address
from indexer.search.citations import document_matches

__all__ = ["cited_units", "address_units", "units_within", "citation_table", "candidate_documents"]

# Documents tried for one hint, best match first; more would only add noise.
MAX_CANDIDATES = 12


def cited_units(gen, query: str, lexicon=None) -> list[str]:
    """Uids of the units a citation query names (the first unit of a range first)."""
    address = parse_address(query)
    if address is None:
        return []
    return address_units(gen, address, lexicon)


def address_units(gen, address: Address, lexicon=None) -> list[str]:
    """Uids of the units an address names, in the address's order; [] when none."""
    for table in _tables(gen, address, lexicon):
        first = table.find(address.locator, address.decision)
        if first is None:
            continue
        found = [first]
        for key in address.more:
            uid = table.find(key, address.decision)
            if uid is not None and uid not in found:
                found.append(uid)
        return found
    return []


def units_within(gen, query: str, lexicon=None) -> list[str]:
    """Uids of every unit a citation query names, in document order: an article's
    paragraphs for "Basel Convention art. 14"; [] when it names none."""
    address = parse_address(query)
    if address is None:
        return []
    for table in _tables(gen, address, lexicon):
        found = table.find_all(address.locator, address.decision)
        if found:
            return found
    return []


def _tables(gen, address: Address, lexicon):
    """Citation tables to look the locator up in, most likely first."""
    for symbol in candidate_documents(gen, address):
        yield citation_table(gen, symbol)
    if address.document and lexicon is not None and lexicon.instruments_named is not None:
        # "Paris Agreement, Article 8": the instrument may be the annex of a decision.
        for instrument in lexicon.instruments_named(address.document):
            for symbol in gen.instrument_documents(instrument)[:MAX_CANDIDATES]:
                yield citation_table(gen, symbol).strip_annex(instrument)


def candidate_documents(gen, address: Address) -> list[str]:
    """Symbols of the documents an address may be in, best match first."""
    titles = gen.titles
    if address.document:
        scored = sorted(
            ((document_matches(address.document, symbol, title), symbol) for symbol, title in titles.items()),
            key=lambda item: (-item[0], item[1]),
        )
        return [symbol for score, symbol in scored[:MAX_CANDIDATES] if score > 0]
    if address.decision is None:
        return []
    # No document named: the documents that hold the decision (a few looked at, no more).
    wanted = decision_key(address.decision)
    return [symbol for symbol in gen.decision_documents(address.decision)[:MAX_CANDIDATES]
            if wanted in citation_table(gen, symbol).decisions]


def citation_table(gen, symbol: str) -> CitationTable:
    """The citation table of one document, built once per generation."""
    with gen.lock:
        table = gen.citation_tables.get(symbol)
    if table is None:
        table = CitationTable(symbol)
        for unit in gen.document_units(symbol):
            data = json.loads(unit.data)
            table.add(data.get("citation") or "", unit.uid, data.get("decision"), unit.primary_instrument)
        with gen.lock:
            gen.citation_tables[symbol] = table
    return table
