"""Cited by: every unit whose references resolve to a given unit, over one generation.

The units' reference keys (written by the tagger, ``indexer.models.unit_key``
and ``document_key``) narrow the search to the units that may cite the unit:
those naming a unit of its document, its document, a provision of its
instrument, or a decision when its document holds decisions. Each candidate's
references are then resolved exactly as the paragraph page resolves them
(``indexer.search.resolve``), so the count shown is the count of units whose
references lead here — the same as resolving every reference of every unit,
without doing that.

The generation is the service's, with ``reader`` (``indexer.engine.base.Reader``:
``referring`` finds the candidates), ``unit_references(unit)`` (resolutions of
one unit, kept per generation) and the members ``indexer.search.cite`` reads.
"""
from __future__ import annotations

from indexer.engine.base import StoredUnit
from indexer.models import document_key, provision_key, unit_key
from indexer.search import cite
from indexer.search.citations import document_matches

__all__ = ["candidate_citers", "citing_units"]


def candidate_citers(gen, symbol: str, instrument: str, lexicon) -> list[StoredUnit]:
    """The units whose reference keys may lead to a unit of ``symbol``, in document order."""
    # "unit:<symbol>#..." also holds "paragraph 2 above" of the same document,
    # keyed by the bare number the text gives.
    prefixes = [unit_key(symbol, "")]
    title = gen.titles.get(symbol, "")
    instruments = {instrument} if instrument else set()
    for instrument_id, label in lexicon.instrument_labels.items():
        if document_matches(label, symbol, title):
            instruments.add(instrument_id)
    prefixes += [provision_key(instrument_id, "") for instrument_id in sorted(instruments)]
    if cite.citation_table(gen, symbol).decisions:
        prefixes.append("decision:")
    return gen.reader.referring(keys=[document_key(symbol)], prefixes=prefixes)


def citing_units(gen, uid: str, symbol: str, instrument: str, lexicon) -> list[StoredUnit]:
    """The units citing ``uid`` (itself aside), in document order."""
    return [
        unit for unit in candidate_citers(gen, symbol, instrument, lexicon)
        if unit.uid != uid and any(r.uid == uid for r in gen.unit_references(unit))
    ]
