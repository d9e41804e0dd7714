"""Tagging: the instrument(s), themes and references of each unit of a document.

Sits between paragraph splitting and indexing: units -> `Tags`, one per unit.
Pure functions over values; the vocabulary is passed in (see `load_vocabulary`).

- The primary instrument comes from where the unit sits: the innermost section
  heading that names an instrument ("B. Basel Convention"), else the document's
  own instrument (its symbol prefix, "UNEP/CHW..." -> Basel, or the instrument its
  symbol or title names). "The Convention" alone names nothing.
- `instruments` holds the primary instrument, those named in the headings and in
  the unit's own text, each followed by its ancestors: a filter on "Montreal
  Protocol" includes paragraphs tagged "Multilateral Fund".
- Themes come from the unit's text and its headings (minus instrument names, so
  "Bali Strategic Plan for Technology Support and Capacity-building" does not
  make every paragraph under it about capacity-building).
- References are read by `indexer.tagging.references`; "the Protocol" and bare
  "article 5" resolve against the primary instrument.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from indexer.models import Document, Tags, Unit, document_key, provision_key, unit_key
from indexer.tagging.references import Reference, extract_references
from indexer.text.tokens import Token, tokenize
from indexer.tagging.vocabulary import Mention, Vocabulary

__all__ = [
    "TAGGER_VERSION",
    "tag_document",
    "tag_unit",
    "document_instrument",
    "section_instrument",
    "find_instruments",
    "find_themes",
    "unit_references",
    "reference_keys",
]

# For the index version stamp, next to the vocabulary fingerprint: bump when the
# rules here, in references.py, terms.py or spelling.py change what gets tagged.
TAGGER_VERSION = "2"


def tag_document(document: Document, vocabulary: Vocabulary) -> list[Tags]:
    """Tags for every unit of a document, in order."""
    own = document_instrument(document.symbol, document.title, vocabulary)
    # Units of a document share their headings: each heading is read once.
    headings: dict[str, tuple[list[str], set[str]]] = {}
    return [_tag(unit, vocabulary, own, headings, document.symbol) for unit in document.units]


def tag_unit(unit: Unit, vocabulary: Vocabulary, own_instrument: str | None = None) -> Tags:
    """Tags for one unit; `own_instrument` is its document's instrument (computed
    from the unit's symbol and title when not given)."""
    if own_instrument is None:
        own_instrument = document_instrument(unit.symbol, unit.title, vocabulary)
    return _tag(unit, vocabulary, own_instrument, {}, unit.symbol)


def _tag(
    unit: Unit, vocabulary: Vocabulary, own_instrument: str | None,
    headings: dict[str, tuple[list[str], set[str]]], own_symbol: str | None,
) -> Tags:
    for heading in unit.section:
        if heading not in headings:
            headings[heading] = (find_instruments(heading, vocabulary), _heading_themes(heading, vocabulary))
    heading_primary, heading_mentions = _section_instrument(
        [headings[h][0] for h in unit.section], vocabulary
    )
    primary = heading_primary or own_instrument
    references = extract_references(unit.text, vocabulary, primary)
    tokens = tokenize(_mask_symbols(unit.text, references))
    text_mentions = [m.id for m in vocabulary.find_instruments(tokens)]
    instruments = _with_ancestors(
        ([primary] if primary else []) + heading_mentions + text_mentions, vocabulary
    )
    themes = set(find_themes(unit.text, vocabulary, tokens=tokens))
    for heading in unit.section:
        themes.update(headings[heading][1])
    return Tags(
        primary_instrument=primary,
        instruments=instruments,
        themes=tuple(t.id for t in vocabulary.themes if t.id in themes),
        references=tuple(dict.fromkeys(r.text for r in references)),
        reference_keys=tuple(reference_keys(references, own_symbol, vocabulary)),
    )


def unit_references(unit: Unit, vocabulary: Vocabulary, primary_instrument: str | None) -> list[Reference]:
    """The structured references of a unit (what `Tags.references` lists as written)."""
    return extract_references(unit.text, vocabulary, primary_instrument)


def reference_keys(
    references: Iterable[Reference], own_symbol: str | None = None, vocabulary: Vocabulary | None = None
) -> list[str]:
    """Normalised keys of what references point at, for "cited by" lookups.

    "doc:<symbol>" for a cited document or resolution, "unit:<symbol>#<paragraph>"
    when a paragraph of it is cited (the form of `Unit.uid`; "paragraph 14 above"
    is a paragraph of the citing document), "decision:<number>",
    and for a treaty provision "provision:<instrument>:art<article>[.<paragraph>]"
    plus, with a vocabulary, "unit:<name>#art<article>[.<paragraph>]" for each
    short name and acronym of the instrument (treaty texts are indexed under their
    short name: "Basel Convention#art14.1"). Lowercase. A cited symbol equal to the
    citing document's own (a running header left in the text) is left out; a treaty
    article citing another article of the same treaty is kept.
    """
    own = (own_symbol or "").lower()
    keys: dict[str, None] = {}
    for ref in references:
        if ref.kind in ("symbol", "resolution") and ref.target:
            target = ref.target.lower()
            if target == own:
                continue
            keys[document_key(target)] = None
            if ref.paragraph:
                keys[unit_key(target, ref.paragraph.lower())] = None
        elif ref.kind == "paragraph" and ref.paragraph and own:
            keys[unit_key(own, ref.paragraph.lower())] = None
        elif ref.kind == "decision" and ref.target:
            keys[f"decision:{ref.target.lower()}"] = None
        elif ref.kind == "provision" and ref.instrument and ref.article:
            local = f"art{ref.article.lower()}" + (f".{ref.paragraph.lower()}" if ref.paragraph else "")
            keys[provision_key(ref.instrument, local)] = None
            if vocabulary is not None:
                instrument = vocabulary.instrument(ref.instrument)
                for name in dict.fromkeys((instrument.label,) + instrument.short_names + instrument.acronyms):
                    keys[unit_key(name.lower(), local)] = None
    return list(keys)


def document_instrument(symbol: str | None, title: str | None, vocabulary: Vocabulary) -> str | None:
    """The instrument a whole document belongs to, from its symbol and title.

    The symbol prefix decides ("FCCC/..." -> UNFCCC), or else an instrument the
    symbol or title names ("Basel Convention" as a treaty's symbol); a title naming
    a more specific instrument of the same family refines it ("FCCC/CP/2015/10/Add.1",
    "Adoption of the Paris Agreement" -> Paris Agreement).
    """
    by_prefix = vocabulary.instrument_for_symbol(symbol)
    by_name = _choose(find_instruments(symbol or "", vocabulary), vocabulary)
    by_title = _choose(find_instruments(title or "", vocabulary), vocabulary)
    base = by_prefix or by_name
    if base is None:
        return by_title
    for refinement in (by_name, by_title):
        if refinement and base in vocabulary.lineage(refinement):
            base = refinement
    return base


def section_instrument(section: Sequence[str], vocabulary: Vocabulary) -> tuple[str | None, list[str]]:
    """The instrument named by the innermost heading that names one, and every
    instrument any heading names (in order, outermost first)."""
    return _section_instrument([find_instruments(heading, vocabulary) for heading in section], vocabulary)


def _section_instrument(ids_per_heading: Sequence[list[str]], vocabulary: Vocabulary) -> tuple[str | None, list[str]]:
    primary = None
    mentioned: list[str] = []
    for ids in ids_per_heading:
        mentioned.extend(ids)
        chosen = _choose(ids, vocabulary)
        if chosen is not None:
            primary = chosen
    return primary, list(dict.fromkeys(mentioned))


def find_instruments(text: str, vocabulary: Vocabulary) -> list[str]:
    """Ids of the instruments a text names, in order of first mention."""
    return list(dict.fromkeys(m.id for m in vocabulary.find_instruments(tokenize(text))))


def find_themes(text: str, vocabulary: Vocabulary, tokens: Sequence[Token] | None = None) -> list[str]:
    """Ids of the themes a text signals, in vocabulary order."""
    found = {m.id for m in vocabulary.find_themes(tokens if tokens is not None else tokenize(text))}
    return [t.id for t in vocabulary.themes if t.id in found]


def _heading_themes(heading: str, vocabulary: Vocabulary) -> set[str]:
    """Themes of a heading, outside the instrument names it contains."""
    tokens = tokenize(heading)
    themes: set[str] = set()
    start = 0
    for mention in vocabulary.find_instruments(tokens) + [Mention("", len(tokens), len(tokens), 0, 0)]:
        segment = tokens[start:mention.first]
        if segment:
            themes.update(m.id for m in vocabulary.find_themes(segment))
        start = mention.last
    return themes


def _choose(ids: Sequence[str], vocabulary: Vocabulary) -> str | None:
    """One instrument for a heading or title naming several: the deepest when they
    form one family line, else their nearest common ancestor, else none."""
    distinct = list(dict.fromkeys(ids))
    if not distinct:
        return None
    deepest = max(distinct, key=lambda i: len(vocabulary.lineage(i)))
    if all(i in vocabulary.lineage(deepest) for i in distinct):
        return deepest
    common = set(vocabulary.lineage(distinct[0]))
    for i in distinct[1:]:
        common &= set(vocabulary.lineage(i))
    return next((i for i in vocabulary.lineage(distinct[0]) if i in common), None)


def _with_ancestors(ids: Iterable[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    ordered: dict[str, None] = {}
    for instrument_id in ids:
        for ancestor in vocabulary.lineage(instrument_id):
            ordered.setdefault(ancestor, None)
    return tuple(ordered)


def _mask_symbols(text: str, references: Iterable[Reference]) -> str:
    """Blank out cited document symbols: "FCCC/SBI/2023/10" does not mention UNFCCC."""
    for ref in references:
        if ref.kind in ("symbol", "resolution") and ref.text == ref.target:
            text = text[: ref.start] + " " * (ref.end - ref.start) + text[ref.end :]
    return text
