"""Citations as addresses: a typed citation -> (document hint, locator), and back to units (pure).

A drafter writes the same address many ways: ``Basel art. 14(1)``, ``Basel
Convention, article 14, paragraph 1``, ``article 14.1 of the Basel Convention``,
``para. 14 (a) of UNEP(DTIE)/Hg/INC.1/10``, ``dec. 2/CMA.4 para 3``. Both the
query and every unit's own citation are reduced to the same *locator key*: the
locator's words in one canonical spelling (``art``, ``para``, ``pp``,
``annex``...) and its numbers and letters, case and punctuation dropped, so
``art. 14, para. 1`` and ``article 14(1)`` are both ``art 14 1``.

``parse_address`` reads a query; ``CitationTable`` holds the keys of the units
of one document (built from the units' own citations, so whatever the splitter
writes round-trips) and answers a key with the unit it names. Document hints
are matched to symbols by the search service (``citations.document_matches``),
instruments by the vocabulary; nothing here knows the index.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Address", "CitationTable", "locator_key", "parse_address", "decision_key", "DECISION_RE"]

# Words of a locator, in every spelling drafters use, and their one canonical form.
# Order matters: the longer spelling first ("preambular paragraph" before "paragraph").
_WORDS = (
    (r"preambular\s+(?:paragraphs?|paras?\.?)|preambular|pp\.(?=\s*\d)|pp(?=\s*\d)", "pp"),
    (r"sub-?paragraphs?|sub-?paras?\.?", "sub"),
    # A block the document does not number, counted in its article or annex.
    (r"unnumbered\s+(?:paragraphs?|paras?\.?)", "upara"),
    (r"paragraphs?|paras?\.?|§§?|¶", "para"),
    (r"articles?|arts?\.?", "art"),
    (r"annex(?:es)?", "annex"),
    (r"appendix|appendices", "appendix"),
    (r"rules?", "rule"),
    (r"regulations?|regs?\.?", "reg"),
    (r"sections?", "section"),
    (r"footnotes?|fn\.?(?=\s*\d)|fn(?=\d)", "fn"),
    (r"decisions?|dec\.", "decision"),
    (r"pages?|p\.(?=\s*\d)", "p"),
)
_WORD_RE = re.compile(
    "|".join(f"(?P<w{n}>(?<![a-z])(?:{pattern})(?![a-z]))" for n, (pattern, _canon) in enumerate(_WORDS)),
    re.IGNORECASE,
)
_CANONICAL = {f"w{n}": canon for n, (_pattern, canon) in enumerate(_WORDS)}
# Canonical words that open a locator in a query (a document is named before or after).
_OPENERS = frozenset({
    "pp", "sub", "upara", "para", "art", "annex", "appendix", "rule", "reg", "section", "fn", "decision", "p",
})
# Words between a locator and its document, or between its parts: "of", "the", "and".
_FILLER = frozenset({"of", "the", "and", "in", "to", "its", "this"})
# "para" right after an article's, a rule's or a regulation's number only says what
# the next number is: "art. 14, para. 1" is "art 14 1", as "article 14(1)" and "article 14.1".
_NUMBERED = frozenset({"art", "rule", "reg"})
_LOCATOR_WORDS = _OPENERS | {"part", "section", "chapter", "item"}

# Decision numbers: "1/CP.21", "2/CMA.4", "SC-1/15", "BC.Ex-1/1", "II/8", "25/5".
DECISION_RE = re.compile(
    r"(?<![\w/.])(?:[A-Z]{2,4}(?:\.Ex)?-(?:\d{1,2}|[IVXL]{1,7})/\d{1,3}[A-Z]?"
    r"|\d{1,3}/[A-Z]{2,5}\.\d{1,3}"
    r"|(?:\d{1,3}|[IVXL]{1,7})/\d{1,4}[A-Z]?)(?![\w/])",
    re.IGNORECASE,
)
# A decision number that cannot be anything else (a bare "25/5" could be a ratio).
_DISTINCT_DECISION_RE = re.compile(
    r"^(?:[A-Z]{2,4}(?:\.Ex)?-(?:\d{1,2}|[IVXL]{1,7})/\d{1,3}[A-Z]?|\d{1,3}/[A-Z]{2,5}\.\d{1,3})$",
    re.IGNORECASE,
)
# A numeric range of paragraphs: "paras 7-9", "paragraphs 7 to 9".
_RANGE_RE = re.compile(r"(?<![\w.])(\d{1,4})\s*(?:-|–|—|to)\s*(\d{1,4})(?![\w.])", re.IGNORECASE)
# Ranges longer than this are not expanded (a typo, or a list of years).
MAX_RANGE = 30
# A document hint of more words than this is a sentence, not a name.
MAX_HINT_WORDS = 5
_RESOLUTION_HINT_RE = re.compile(r"^(?:(?:general\s+assembly|ga)\s+)?resolution\s+(\d{1,3}/\d{1,4})$", re.I)
_TOKEN_RE = re.compile(r"\d+[^\W\d_]*|[^\W\d_]+")
# "pp3" and "art14" are "pp 3" and "art 14"; "2A" stays one token (article 2A is
# not article 2 (a)), but "43quater" is "43 quater", as printed.
_SPLIT_RE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=(?:bis|ter|quater|quinquies|sexies|septies|octies)\b)")


@dataclass(frozen=True)
class Address:
    """What a citation query names: a document (as typed), maybe a decision, a locator."""

    document: str  # as typed: a symbol, part of one, an instrument name; "" when none
    locator: str  # locator key of the first unit named: "art 14 1", "para 14 a"
    decision: str | None = None  # decision number named, as typed: "2/CMA.4"
    more: tuple[str, ...] = field(default=())  # keys of the rest of a range: "para 8", "para 9"

    @property
    def keys(self) -> tuple[str, ...]:
        """Locator keys of every unit named, first first."""
        return (self.locator, *self.more)


def _canonical_words(text: str) -> str:
    return _WORD_RE.sub(lambda m: f" {_CANONICAL[m.lastgroup]} ", text)


def locator_key(text: str) -> str:
    """The canonical key of a locator: 'Art. 14, para. 1' -> 'art 14 1', 'para. 14 (A)' -> 'para 14 a'."""
    # A footnote marked "*" is cited by its star.
    words = _canonical_words(text.lower()).replace("*", " star ")
    tokens = []
    for raw in _TOKEN_RE.findall(words):
        for token in _SPLIT_RE.split(raw):
            if token and token not in _FILLER:
                tokens.append(token)
    out: list[str] = []
    opened = None  # the last locator word seen
    for token in tokens:
        if token == "para" and opened in _NUMBERED and out[-1] != opened:
            continue
        if token in _LOCATOR_WORDS:
            opened = token
        out.append(token)
    return " ".join(out)


def decision_key(number: str) -> str:
    """Canonical key of a decision number: '2/CMA.4' -> '2 cma 4'."""
    return locator_key(number)


def _opener_positions(text: str) -> list[re.Match]:
    return [m for m in _WORD_RE.finditer(text) if _CANONICAL[m.lastgroup] in _OPENERS]


def parse_address(text: str) -> Address | None:
    """The address a query names, or None when the query is not a citation."""
    text = " ".join(text.split())
    if not text or len(text) > 300:
        return None
    openers = _opener_positions(text)
    if not openers:
        return None
    first = openers[0]
    before = text[: first.start()].strip(" ,;:")
    rest = text[first.start():]
    if before:
        document, locator_text = before, rest
        # "1/CP.21 para 52": the document is named by the decision it holds.
        decision = None
        if _DISTINCT_DECISION_RE.match(document):
            decision, document = document, ""
    else:
        document, locator_text = _locator_first(rest)
        decision = None
    # "decision 1/CP.21, paragraph 52": the decision opens the locator.
    m = re.match(r"\s*decisions?\s+(\S+?)[\s,;:]*(?=\s|$)", _canonical_words(locator_text), re.I)
    if m and DECISION_RE.fullmatch(m.group(1).strip(",;")):
        decision = m.group(1).strip(",;")
        locator_text = _canonical_words(locator_text)[m.end():]
    elif _canonical_words(locator_text).strip().startswith("decision"):
        return None
    document = document.strip(" ,;:")
    if document:
        document = re.sub(r"^(?:of\s+)?(?:the\s+)?", "", document, flags=re.I)
        res = _RESOLUTION_HINT_RE.match(document)
        if res:
            document = f"RES/{res.group(1)}"
        if "/" not in document and len(document.split()) > MAX_HINT_WORDS:
            return None
        if not re.search(r"[^\W\d_]", document) and "/" not in document:
            return None
    if not document and decision is None:
        return None
    keys = _range_keys(locator_text)
    if not keys or not keys[0]:
        if decision is None:
            return None
        keys = [""]
    if keys[0] and not re.search(r"\d|\b[ivxl]+\b|\b[a-z]\b|\bstar\b", keys[0]) and keys[0] != "annex":
        return None
    return Address(document=document, locator=keys[0], decision=decision, more=tuple(keys[1:]))


def _locator_first(rest: str) -> tuple[str, str]:
    """Split 'paragraph 1 of article 14 of the Basel Convention' into its document and
    its locator, outermost part first ('article 14 paragraph 1')."""
    pieces = re.split(r",?\s+of\s+(?:the\s+)?", rest, flags=re.I)
    parts = []
    document = ""
    for n, piece in enumerate(pieces):
        if _opener_positions(piece) and _opener_positions(piece)[0].start() == 0 and not document:
            parts.append(piece)
        else:
            document = " of ".join(pieces[n:])
            break
    if not document and parts:
        # "art. 14(1) Basel Convention": the words after the last number name the document.
        last = parts[-1]
        m = re.match(r"^(.*?[\d)\]](?:\s*\(\s*[a-z0-9]{1,5}\s*\))*)\s*,?\s+([^\W\d_][^\d]*)$", last, re.I)
        if m and not _opener_positions(m.group(2)):
            parts[-1], document = m.group(1), m.group(2)
    return document, " ".join(reversed(parts))


def _range_keys(locator_text: str) -> list[str]:
    """Keys of every unit a locator names: 'paras 7-9' -> ['para 7', 'para 8', 'para 9']."""
    m = _RANGE_RE.search(locator_text)
    if m and locator_key(locator_text[: m.start()]).split()[-1:] == ["para"]:
        low, high = int(m.group(1)), int(m.group(2))
        if 0 < high - low <= MAX_RANGE:
            head = locator_text[: m.start()]
            tail = locator_text[m.end():]
            return [locator_key(f"{head} {n} {tail}") for n in range(low, high + 1)]
    return [locator_key(locator_text)]


@dataclass
class CitationTable:
    """The units of one document by locator key, built from their own citations."""

    symbol: str
    # locator key -> the first unit (in document order) with that key; a unit is
    # named by whatever id the caller gives (the search service: its uid)
    units: dict[str, str] = field(default_factory=dict)
    ordered: list[tuple[str, str]] = field(default_factory=list)
    decisions: set[str] = field(default_factory=set)  # decision keys the document holds

    instruments: dict[str, str] = field(default_factory=dict)  # unit -> primary instrument
    # keys of the units cited under an instrument's name, without the name ("art 8 1")
    named: dict[str, str] = field(default_factory=dict)
    named_ordered: list[tuple[str, str]] = field(default_factory=list)

    def add(self, citation: str, unit: str, decision: str | None = None, instrument: str = "") -> None:
        """Register a unit (call in document order)."""
        key = unit_locator(self.symbol, citation)
        self.units.setdefault(key, unit)
        self.ordered.append((key, unit))
        if named_locator(key) != key:
            # Cited under an instrument's own name: also found without it, after
            # every unit the document cites under its own symbol.
            self.named.setdefault(named_locator(key), unit)
            self.named_ordered.append((named_locator(key), unit))
        self.instruments[unit] = instrument
        if decision:
            # "decision 2/CP.27" as the splitter names it: the number is the key.
            number = DECISION_RE.search(decision)
            self.decisions.add(decision_key(number.group(0) if number else decision))
        if key.startswith("decision "):
            held = _decision_of_key(key)
            if held:
                self.decisions.add(held)

    def find(self, key: str, decision: str | None = None) -> str | None:
        """The unit a locator key names (its first unit when the key names a
        part: 'art 14' is the article's first unit), or None."""
        for units, ordered in self._lookups():
            for candidate in self._candidates(key, decision):
                if candidate in units:
                    return units[candidate]
                # Only numbers name ids: "para 14" does not pick "para 14 a" unless no
                # unit is "para 14" itself, and then the first unit inside it.
                prefix = candidate + " "
                for unit_key, unit in ordered:
                    if unit_key.startswith(prefix):
                        return unit
        return None

    def find_all(self, key: str, decision: str | None = None) -> list[str]:
        """Every unit a locator key names, in document order: the unit and the
        units inside it ('art 14': the article's paragraphs); [] when none."""
        for _units, ordered in self._lookups():
            for candidate in self._candidates(key, decision):
                prefix = candidate + " "
                inside = [unit for unit_key, unit in ordered if unit_key == candidate or unit_key.startswith(prefix)]
                if inside:
                    return inside
        return []

    def _lookups(self):
        # Units cited under the document's own symbol first, then under an instrument's name.
        return ((self.units, self.ordered), (self.named, self.named_ordered))

    def _candidates(self, key: str, decision: str | None) -> list[str]:
        """The keys a locator may be held under, most likely first."""
        candidates = []
        if decision is not None:
            dkey = decision_key(decision)
            candidates.append(f"decision {dkey} {key}".strip())
            if dkey in self.decisions and not any(k.startswith("decision ") for k, _ in self.ordered):
                # The whole document is the decision: its paragraphs are the decision's.
                candidates.append(key)
        else:
            candidates.append(key)
            if len(self.decisions) == 1:
                # A report holding one decision: its paragraphs are the decision's.
                candidates.append(f"decision {next(iter(self.decisions))} {key}")
        if key.startswith("annex "):
            # A treaty annexed to a decision is cited by its own name, not as an annex.
            candidates.append(re.sub(r"^annex (?:[ivxl]+ |[a-z] |\d+ )?", "", key))
        return [c for c in candidates if c]

    def strip_annex(self, instrument: str) -> "CitationTable":
        """The units of the annexes that are ``instrument`` keyed without their leading
        'annex [n]' or the instrument's name: a treaty adopted as the annex of a
        decision is cited by its own articles ('Paris Agreement, art. 8')."""
        table = CitationTable(self.symbol)
        for key, unit in self.ordered:
            if self.instruments.get(unit) != instrument:
                continue
            if key.startswith("annex "):
                stripped = re.sub(r"^annex (?:[ivxl]+ |[a-z] |\d+ )?", "", key)
            elif named_locator(key) != key:  # cited under the instrument's own name
                stripped = named_locator(key)
            else:
                continue
            table.units.setdefault(stripped, unit)
            table.ordered.append((stripped, unit))
        return table


def unit_locator(symbol: str, citation: str) -> str:
    """Locator key of a unit's own citation: the citation without its symbol."""
    rest = citation
    if citation.lower().startswith(symbol.lower()):
        rest = citation[len(symbol):]
    return locator_key(rest)


def named_locator(key: str) -> str:
    """A locator key without the instrument name a unit is cited under: the units of a
    treaty annexed to a decision cite the treaty ('Paris Agreement, art. 8, para. 1'),
    and so does a drafter ('art 8 1' in the document that holds it)."""
    tokens = key.split()
    for at, token in enumerate(tokens):
        if token in _OPENERS:
            return " ".join(tokens[at:])
    return key


def _decision_of_key(key: str) -> str | None:
    tokens = key.split()[1:]
    held = []
    for token in tokens:
        if token in _OPENERS:
            break
        held.append(token)
    return " ".join(held) or None
