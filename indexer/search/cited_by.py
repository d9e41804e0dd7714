"""Cited by: every unit whose references resolve to a given unit, over one generation.

The index's ``refkey`` field (written by the tagger) narrows the search to the
units that may cite the unit: those naming its uid, its document, a provision
of its instrument, or a decision when its document holds decisions. Each
candidate's references are then resolved exactly as the paragraph page
resolves them (``indexer.search.resolve``), so the count shown is the count of
units whose references lead here — the same as resolving every reference of
every unit, without doing that.

The generation is the service's, with ``refkey_docs(term)``,
``refkey_prefix_docs(prefix)``, ``unit_references(docnum)`` (resolutions of
one unit, kept per generation) and the members ``indexer.search.cite`` reads.
"""
from __future__ import annotations

from indexer.search import cite
from indexer.search.citations import document_matches

__all__ = ["candidate_citers", "citing_docnums"]


def candidate_citers(gen, uid: str, symbol: str, instrument: str, lexicon) -> set[int]:
    """Docnums of the units whose refkeys may lead to the unit ``uid``."""
    docs: set[int] = set()
    # "unit:<symbol>#..." also holds "paragraph 2 above" of the same document,
    # keyed by the bare number the text gives.
    docs.update(gen.refkey_prefix_docs(f"unit:{symbol.lower()}#"))
    docs.update(gen.refkey_docs(f"doc:{symbol.lower()}"))
    title = gen.document_titles.get(symbol, "")
    instruments = {instrument} if instrument else set()
    for instrument_id, label in lexicon.instrument_labels.items():
        if document_matches(label, symbol, title):
            instruments.add(instrument_id)
    for instrument_id in instruments:
        docs.update(gen.refkey_prefix_docs(f"provision:{instrument_id}:"))
    if cite.citation_table(gen, symbol).decisions:
        docs.update(gen.refkey_prefix_docs("decision:"))
    return docs


def citing_docnums(gen, uid: str, symbol: str, instrument: str, lexicon) -> list[int]:
    """Docnums of the units citing ``uid`` (itself aside), in document order."""
    own = gen.docnum(uid)
    found = [
        docnum for docnum in candidate_citers(gen, uid, symbol, instrument, lexicon)
        if docnum != own and any(r.uid == uid for r in gen.unit_references(docnum))
    ]
    return sorted(found, key=gen.order_key.__getitem__)
