"""References resolved against the index, at query time: each reference of a unit -> its target.

A unit's references are read again from its text (``indexer.tagging.references``,
with the unit's primary instrument as context, exactly as at build time) and
each becomes an address (``indexer.search.addresses``) looked up like a typed
citation: "paragraph 1 of article 14 of the Basel Convention" is the Basel
Convention's ``art 14 1``; "article 10 of the Protocol" is the article of the
instrument the section is about; "paragraph 14 above" is paragraph 14 of the
same document; "decision II/8" is the document that holds the decision.

Resolving when asked (not at build time) keeps incremental builds right: a
reference to a document indexed later resolves as soon as that document is in
the current generation, with nothing re-tagged.

``Resolution`` is plain data: the unit when it is indexed, else the document
when only that is, else the target's name to show as "not in the index".
The generation is the service's: ``reader`` (``indexer.engine.base.Reader``),
``titles`` and the members ``indexer.search.cite`` reads.
"""
from __future__ import annotations

from dataclasses import dataclass

from indexer.search import cite
from indexer.search.addresses import Address, decision_key, locator_key
from indexer.tagging.references import Reference, extract_references

__all__ = ["Resolution", "reference_address", "resolve", "sibling_locator", "unit_references", "target_name"]

UNIT, DOCUMENT, MISSING = "unit", "document", "missing"


@dataclass(frozen=True)
class Resolution:
    """Where one reference leads."""

    text: str  # the expression as written
    status: str  # "unit" | "document" | "missing"
    uid: str | None  # the unit, when indexed
    symbol: str | None  # the document, when indexed
    target: str  # what it names, in words: "UNEP(DTIE)/Hg/OEWG.2/10", "decision II/8"


def unit_references(text: str, instrument: str | None, vocabulary) -> list[Reference]:
    """The structured references of a unit's text (as the tagger reads them)."""
    return extract_references(text, vocabulary, instrument or None)


def reference_address(ref: Reference, own_symbol: str, instrument_label, own_locator: str = "") -> Address | None:
    """The address a reference names (pure); None when it names no paragraph or document.

    ``instrument_label`` maps an instrument id to its name ("basel" -> "Basel Convention");
    ``own_locator`` is the citing unit's locator key, for "paragraph 2 above"."""
    paragraph = locator_key(f"para. {ref.paragraph}") if ref.paragraph else ""
    if ref.kind == "paragraph":
        return Address(own_symbol, sibling_locator(own_locator, ref.paragraph)) if paragraph else None
    if ref.kind in ("symbol", "resolution") and ref.target:
        return Address(ref.target, paragraph)
    if ref.kind == "decision" and ref.target:
        return Address("", paragraph, decision=ref.target)
    if ref.kind == "provision" and ref.article and ref.instrument:
        key = f"art. {ref.article}" + (f", para. {ref.paragraph}" if ref.paragraph else "")
        return Address(instrument_label(ref.instrument), locator_key(key))
    return None


# Parts whose paragraphs are numbered within them: "paragraph 2 above" in article 10
# is paragraph 2 of article 10.
_CONTAINERS = ("art", "rule")


def sibling_locator(own_locator: str, paragraph: str) -> str:
    """Key of paragraph ``paragraph`` of the part the citing unit is in (pure):
    ('art 10 9', '2') -> 'art 10 2'; ('annex ii para 7', '5') -> 'annex ii para 5';
    ('para 20', '14') -> 'para 14'."""
    tokens = own_locator.split()
    number = locator_key(paragraph).split()
    for n in range(len(tokens) - 2, -1, -1):
        if tokens[n] in _CONTAINERS and tokens[n + 1][:1].isdigit():
            return " ".join(tokens[: n + 2] + number)
    if "para" in tokens:
        n = len(tokens) - 1 - tokens[::-1].index("para")
        return " ".join(tokens[: n + 1] + number)
    return " ".join(["para"] + number)


def target_name(ref: Reference, instrument_label) -> str:
    """What a reference names, for "not in the index"."""
    if ref.kind in ("symbol", "resolution") and ref.target:
        return ref.target
    if ref.kind == "decision" and ref.target:
        return f"decision {ref.target}"
    if ref.kind == "provision" and ref.instrument:
        return instrument_label(ref.instrument)
    return ref.text


def resolve(gen, ref: Reference, own_symbol: str, lexicon, own_locator: str = "") -> Resolution:
    """Where a reference of a unit of ``own_symbol`` (at ``own_locator``) leads in this generation."""
    label = lexicon.instrument_label
    name = target_name(ref, label)
    address = reference_address(ref, own_symbol, label, own_locator)
    if address is None:
        return Resolution(ref.text, MISSING, None, None, name)
    if address.locator:
        uids = _exact_units(gen, address, lexicon)
        if uids:
            return Resolution(ref.text, UNIT, uids[0], gen.reader.stored(uids[0]).document, name)
    symbol = _document_of(gen, address, lexicon)
    if symbol is not None:
        return Resolution(ref.text, DOCUMENT, None, symbol, name)
    return Resolution(ref.text, MISSING, None, None, name)


def _exact_units(gen, address: Address, lexicon) -> list[str]:
    if address.document and "/" in address.document:
        # A symbol in running text names that document only, not one ending like it.
        symbol = _indexed_symbol(gen, address.document)
        if symbol is None:
            return []
        address = Address(symbol, address.locator, address.decision)
    return cite.address_units(gen, address, lexicon)


def _document_of(gen, address: Address, lexicon) -> str | None:
    """The indexed document an address is in, when its unit is not."""
    if address.decision is not None and not address.document:
        wanted = decision_key(address.decision)
        for symbol in gen.decision_documents(address.decision)[:cite.MAX_CANDIDATES]:
            if wanted in cite.citation_table(gen, symbol).decisions:
                return symbol
        return None
    if "/" in address.document:
        return _indexed_symbol(gen, address.document)
    candidates = cite.candidate_documents(gen, address)
    if candidates:
        return candidates[0]
    if lexicon.instruments_named is not None:
        for instrument in lexicon.instruments_named(address.document):
            for symbol in gen.instrument_documents(instrument):
                if cite.citation_table(gen, symbol).strip_annex(instrument).ordered:
                    return symbol
    return None


def _indexed_symbol(gen, symbol: str) -> str | None:
    folded = symbol.strip().lower()
    for indexed in gen.titles:
        if indexed.lower() == folded:
            return indexed
    return None
