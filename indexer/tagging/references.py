"""References in paragraph text: document symbols, treaty provisions, decisions, resolutions,
and paragraphs of the same document ("paragraph 14 above").

Pure text -> list[Reference]. Each reference keeps the expression as written
(for display and the index's `references` field) and a structured form (target
symbol or decision number, article, paragraph, instrument) so that search can
later resolve "article 14 of the Basel Convention" or "decision SC-1/15" to
indexed paragraphs.

Numbers alone are never references: "2010-2013", "6,000", "24/7" and "1/3"
are left alone; arabic and roman decision numbers ("25/5", "II/8") count only
after the word "decision", the distinctive forms ("SC-1/15", "1/CP.21") anywhere.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Iterator

from indexer.text.tokens import tokenize
from indexer.tagging.vocabulary import TREATY_KINDS, Vocabulary

__all__ = ["Reference", "extract_references", "resolve_generic"]


@dataclass(frozen=True)
class Reference:
    """One reference found in a text, as written and in structured form."""

    kind: str  # "symbol" | "resolution" | "decision" | "provision" | "paragraph" (of the same document)
    text: str  # the whole expression as written; shared by the items of a list
    target: str | None = None  # "UNEP(DTIE)/Hg/INC.1/9", "A/RES/78/272", "SC-1/15", "II/8"
    article: str | None = None  # "14", "2A", "XI"
    paragraph: str | None = None  # "4", "2(c)"; of an article or of a decision
    instrument: str | None = None  # vocabulary id, when named or resolvable
    start: int = 0  # character offsets of `text`
    end: int = 0

    def as_dict(self) -> dict[str, str | int | None]:
        """The reference as plain data, for JSON and the index."""
        return asdict(self)


# --- patterns --------------------------------------------------------------------------

# Series that UN document symbols start with.
_SYMBOL_ROOTS = (
    r"A|E|S|ST|UNEP(?:\([A-Z]+\))?|FCCC|ICCD|CBD|SAICM|GEF|TD|DP|ECE|UNIDO|UNDP|FAO|ISBA|IPBES|UNEA"
)
_SYMBOL_RE = re.compile(rf"(?<![\w/.\-])(?:{_SYMBOL_ROOTS})(?:/[A-Za-z0-9][A-Za-z0-9.()\-]*)+")

_ROMAN = r"[IVXL]{1,7}"
_ROMAN_RE = re.compile(r"^(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})$")

# Decision numbers. Distinctive forms may appear bare; plain ones need "decision".
_DEC_PREFIXED = rf"[A-Z]{{2,4}}(?:\.Ex)?-(?:\d{{1,2}}|{_ROMAN})/\d{{1,3}}[A-Z]?"  # SC-1/15, BC.Ex-1/1
_DEC_BODY = r"\d{1,3}/[A-Z]{2,5}\.\d{1,3}"  # 1/CP.21, 29/CMP.1, 3/COP.15
_DEC_PLAIN = rf"(?:\d{{1,3}}|{_ROMAN})/\d{{1,4}}[A-Z]?"  # 78/560, 14/30, II/8, XIX/6
_DEC_ID = rf"(?:{_DEC_PREFIXED}|{_DEC_BODY}|{_DEC_PLAIN})(?![\w/])"
_DEC_BARE_RE = re.compile(rf"(?<![\w/.\-])(?:{_DEC_PREFIXED}|{_DEC_BODY})(?![\w/])")
_DEC_PREFIX_CODE_RE = re.compile(r"^([A-Z]{2,4})")
_DEC_BODY_CODE_RE = re.compile(r"/([A-Z]{2,5})\.")

# Resolutions: GA "78/272", Security Council "2417 (2018)".
_RES_ID = r"(?:\d{1,3}/\d{1,4}[A-Z]?|\d{3,4}\s?\(\d{4}\))(?![\w/])"

# Paragraph and article numbers: "4", "2 (c)", "14(a)(ii)", "3 bis"; "14", "2A", "4.1", "XI".
_PARA = r"\d{1,3}(?:\s?(?:bis|ter|quater))?(?:\s?\(\s?[a-z0-9]{1,4}\s?\))*"
_ART = rf"(?:\d{{1,3}}[A-Za-z]?(?:\s?(?:bis|ter|quater))?(?:\.\d{{1,3}})?(?:\s?\(\s?[a-z0-9]{{1,4}}\s?\))*|{_ROMAN}\b)"
_SUB = r"\(?[a-z]{1,4}\)?"
# List separators; numbers (not decision numbers, which contain hyphens) may form ranges.
_AND = r"\s*(?:,\s*(?:and\s+|or\s+)?|\band\s+|\bor\s+)\s*"
_SEP = r"\s*(?:,\s*(?:and\s+|or\s+)?|\band\s+|\bor\s+|\bto\s+|[–\-]\s*)\s*"
_AND_RE = re.compile(rf"({_AND})")
_SEP_RE = re.compile(rf"({_SEP})")


def _list(item: str, sep: str = _SEP) -> str:
    return rf"{item}(?:{sep}{item})*"


_DECISIONS_RE = re.compile(
    rf"(?:\b[Pp]aragraphs?\s+(?P<paras>{_list(_PARA)})\s*,?\s+of\s+(?:its\s+)?)?"
    rf"\b[Dd]ecisions?\s+(?P<ids>{_list(_DEC_ID, _AND)})"
)
_RESOLUTIONS_RE = re.compile(
    rf"(?:\b[Pp]aragraphs?\s+(?P<paras>{_list(_PARA)})\s*,?\s+of\s+)?"
    rf"\b[Rr]esolutions?\s+(?P<ids>{_list(_RES_ID, _AND)})"
)
# "paragraph 4 of article 12", "subparagraph (a) of paragraph 1 of article 4",
# "paragraph 4 of this Article".
_PARA_OF_ART_RE = re.compile(
    rf"\b(?:[Ss]ub-?paragraphs?\s+(?P<subs>{_list(_SUB)})\s*,?\s+of\s+)?"
    rf"[Pp]aragraphs?\s+(?P<paras>{_list(_PARA)})\s*,?\s+of\s+"
    rf"(?:(?P<this>this|the\s+present)\s+[Aa]rticle\b|[Aa]rt(?:icles?\b|s?\.)\s*(?P<arts>{_list(_ART)}))"
)
# "article 14", "Article 4, paragraph 5,", "Articles 2, 3 and 4", "art. 12".
_ART_PARA_RE = re.compile(
    rf"\b[Aa]rt(?:icles?\b|s?\.)\s*(?P<arts>{_list(_ART)})"
    rf"(?:\s*,?\s*[Pp]aragraphs?\s+(?P<paras>{_list(_PARA)})(?:\s*,(?=\s+of\b))?)?"
)
_PARA_AFTER_SYMBOL_RE = re.compile(rf"\s*,?\s*[Pp]ara(?:graph)?s?\.?\s+(?P<paras>{_list(_PARA)})")
_PARA_BEFORE_SYMBOL_RE = re.compile(
    rf"\b[Pp]ara(?:graph)?s?\.?\s+(?P<paras>{_list(_PARA)})\s*,?\s+of\s+(?:(?:the\s+)?document\s+)?$"
)
# "paragraph 14 above", "paragraphs 7 and 8 below": paragraphs of the same document.
_PARA_HERE_RE = re.compile(rf"\b[Pp]aragraphs?\s+(?P<paras>{_list(_PARA)})\s+(?:above|below)\b")
# What may follow a provision: "of the Basel Convention", "of this Convention".
_OF_RE = re.compile(r"\s*,?\s*of\s+(?:the\s+(?:present\s+)?|this\s+)?")
_GENERIC_RE = re.compile(
    r"(?P<word>Convention|Protocol|Agreement)(?:['’]s)?\b"
    r"(?!\s+(?:on|for|to|of|against|between|concerning|relating)\b)",
    re.I,
)
_SPACES_RE = re.compile(r"\s+")


# --- extraction ---------------------------------------------------------------------------


def extract_references(
    text: str, vocabulary: Vocabulary | None = None, context: str | None = None
) -> list[Reference]:
    """All references in a text, in order.

    `vocabulary` lets provisions name their instrument ("of the Basel Convention")
    and symbols and decision codes map to one; `context` is the instrument id the
    text belongs to, used for "the Convention", "the Protocol" and bare articles.
    """
    found: list[Reference] = []
    masked = text

    def mask(start: int, end: int) -> None:
        nonlocal masked
        masked = masked[:start] + " " * (end - start) + masked[end:]

    for ref in _symbols(text, vocabulary):
        found.append(ref)
        mask(ref.start, ref.end)
    for regex, reader in ((_DECISIONS_RE, _decisions), (_RESOLUTIONS_RE, _resolutions)):
        for match in list(regex.finditer(masked)):
            refs = list(reader(text, match, vocabulary))
            if refs:
                found.extend(refs)
                mask(match.start(), match.end())
    for match in list(_DEC_BARE_RE.finditer(masked)):
        ref = _decision(text, match.group(), match.start(), match.end(), None, vocabulary, strict=True)
        if ref is not None:
            found.append(ref)
            mask(match.start(), match.end())
    for match in list(_PARA_HERE_RE.finditer(masked)):
        for paragraph in _expand(match.group("paras")):
            found.append(Reference("paragraph", text[match.start():match.end()], None, paragraph=paragraph,
                                   start=match.start(), end=match.end()))
        mask(match.start(), match.end())
    mentions = None  # instruments the text names: read only when it cites an article
    for regex in (_PARA_OF_ART_RE, _ART_PARA_RE):
        for match in list(regex.finditer(masked)):
            if mentions is None:
                mentions = vocabulary.find_instruments(tokenize(text)) if vocabulary else []
            refs = list(_provisions(text, match, mentions, vocabulary, context))
            if refs:
                found.extend(refs)
                mask(refs[0].start, refs[0].end)
    found.sort(key=lambda r: (r.start, r.end))
    return found


def _symbols(text: str, vocabulary: Vocabulary | None) -> Iterator[Reference]:
    for match in _SYMBOL_RE.finditer(text):
        symbol = _trim_symbol(match.group())
        if not re.search(r"\d", symbol) or "/" not in symbol:
            continue
        start, end = match.start(), match.start() + len(symbol)
        kind = "resolution" if re.match(r"^[AS]/RES/", symbol) else "symbol"
        instrument = vocabulary.instrument_for_symbol(symbol) if vocabulary else None
        # "UNEP(DTIE)/Hg/INC.1/10, paragraph 8" and "paragraph 8 of document ...": a
        # paragraph of the document; the paragraph is part of the expression.
        paragraphs: list[str | None] = [None]
        before = _PARA_BEFORE_SYMBOL_RE.search(text[:start])
        after = _PARA_AFTER_SYMBOL_RE.match(text, end)
        if after:
            paragraphs, end = _expand(after.group("paras")), after.end()
        elif before:
            paragraphs, start = _expand(before.group("paras")), before.start()
        for paragraph in paragraphs:
            yield Reference(kind, text[start:end], symbol, paragraph=paragraph, instrument=instrument,
                            start=start, end=end)


def _trim_symbol(symbol: str) -> str:
    """Drop sentence punctuation and an unbalanced closing parenthesis at the end."""
    while symbol and symbol[-1] in ".,;:-)":
        if symbol[-1] == ")" and symbol.count("(") >= symbol.count(")"):
            break
        symbol = symbol[:-1]
    return symbol


def _items(listed: str, separators: re.Pattern = _SEP_RE) -> list[tuple[str, str]]:
    """Split "2, 3 and 4" into items, each with the separator that preceded it."""
    parts = separators.split(listed)
    items = [("", parts[0].strip())]
    for sep, item in zip(parts[1::2], parts[2::2]):
        items.append((sep.strip(" ,"), item.strip()))
    return [(sep, item) for sep, item in items if item]


def _expand(listed: str | None) -> list[str | None]:
    """Items of a list, with short numeric ranges ("2 to 4", "43-44") filled in."""
    if not listed:
        return [None]
    values: list[str] = []
    for sep, item in _items(listed):
        if sep in ("to", "–", "-") and values and values[-1].isdigit() and item.isdigit():
            low, high = int(values[-1]), int(item)
            if 0 < high - low <= 20:
                values.extend(str(n) for n in range(low + 1, high + 1))
                continue
        values.append(item)
    return [_SPACES_RE.sub("", v) for v in values]


def _decisions(text: str, match: re.Match, vocabulary: Vocabulary | None) -> Iterator[Reference]:
    paragraphs = _expand(match.group("paras"))
    for n, (_sep, item) in enumerate(_items(match.group("ids"), _AND_RE)):
        for paragraph in paragraphs:
            # Right after "decision" any prefix code counts ("decision OEWG-I/1"); later
            # items of the list must look like decisions on their own.
            ref = _decision(text, item, match.start(), match.end(), paragraph, vocabulary, strict=n > 0)
            if ref is not None:
                yield ref


def _decision(
    text: str, number: str, start: int, end: int, paragraph: str | None,
    vocabulary: Vocabulary | None, strict: bool,
) -> Reference | None:
    """A decision reference, or None when the number is not one (dates, ratios)."""
    code = None
    if m := _DEC_PREFIX_CODE_RE.match(number):
        code = m.group(1)
    elif m := _DEC_BODY_CODE_RE.search(number):
        code = m.group(1)
    else:
        session = number.split("/")[0]
        if not session.isdigit() and not _ROMAN_RE.match(session):
            return None
    if code is not None and "-" in number:
        session = number.split("-", 1)[1].split("/")[0]
        if not session.isdigit() and not _ROMAN_RE.match(session):
            return None
    instrument = vocabulary.instrument_for_decision_code(code) if vocabulary and code else None
    if strict and "-" in number:
        # A bare "CFC-11/12" is a refrigerant blend, not a decision: the code must be
        # one of the vocabulary's decision codes (or, without one, a known default).
        known = instrument is not None if vocabulary is not None else code in _DEFAULT_CODES
        if not known:
            return None
    return Reference("decision", text[start:end], number, paragraph=paragraph,
                     instrument=instrument, start=start, end=end)


# Prefixed decision codes accepted bare when no vocabulary is given.
_DEFAULT_CODES = frozenset({"SC", "BC", "RC", "MC"})


def _resolutions(text: str, match: re.Match, vocabulary: Vocabulary | None) -> Iterator[Reference]:
    paragraphs = _expand(match.group("paras"))
    for _sep, item in _items(match.group("ids"), _AND_RE):
        number = _SPACES_RE.sub("", item)
        if "(" in number:  # Security Council: "2417 (2018)"
            target = f"S/RES/{number}"
        else:
            session = int(number.split("/")[0])
            # General Assembly sessions are numbered from 1946; a small first number
            # is another body's series (UNEA "resolution 5/14"), kept as written.
            target = f"A/RES/{number}" if session >= 10 else number
        instrument = vocabulary.instrument_for_symbol(target) if vocabulary else None
        for paragraph in paragraphs:
            yield Reference("resolution", text[match.start():match.end()], target,
                            paragraph=paragraph, instrument=instrument,
                            start=match.start(), end=match.end())


def _provisions(
    text: str, match: re.Match, mentions: list, vocabulary: Vocabulary | None, context: str | None
) -> Iterator[Reference]:
    groups = match.groupdict()
    end = match.end()
    instrument: str | None = None
    tail = _OF_RE.match(text, end)
    if groups.get("this"):
        # "of this Article": the article the text itself sits in.
        instrument = resolve_generic("article", vocabulary, context)
    elif tail and tail.group().strip():
        named = next((m for m in mentions if m.start == tail.end()), None)
        generic = _GENERIC_RE.match(text, tail.end())
        if named is not None:
            instrument, end = named.id, named.end
        elif generic is not None:
            instrument = resolve_generic(generic.group("word").lower(), vocabulary, context)
            end = generic.end()
        # Otherwise "of decision ...", "of the annex", "of the Vienna Convention on
        # the Law of Treaties": something outside the vocabulary; left unresolved.
    else:
        instrument = resolve_generic("article", vocabulary, context)
    subs = [s for _sep, s in _items(groups["subs"])] if groups.get("subs") else []
    sub = f"({subs[0].strip('()')})" if len(subs) == 1 else ""
    written = text[match.start():end]
    for article in _expand(groups.get("arts")):
        article_number, paragraph_in_article = _split_article(article)
        for paragraph in _expand(groups.get("paras")) if groups.get("paras") else [paragraph_in_article]:
            yield Reference(
                "provision", written, None, article=article_number,
                paragraph=(paragraph + sub) if paragraph else None,
                instrument=instrument, start=match.start(), end=end,
            )


def _split_article(article: str | None) -> tuple[str | None, str | None]:
    """"4.1(c)" -> ("4", "1(c)"); "14" -> ("14", None); "4(1)" -> ("4", "1")."""
    if article is None:
        return None, None
    if m := re.match(r"^(\w+?)\.(\d+.*)$", article):
        return m.group(1), m.group(2)
    if m := re.match(r"^(\w+?)\((\d+)\)(.*)$", article):
        return m.group(1), m.group(2) + m.group(3)
    return article, None


def resolve_generic(word: str, vocabulary: Vocabulary | None, context: str | None) -> str | None:
    """The instrument meant by "the Convention"/"the Protocol"/"the Agreement" (or a bare
    "article 5": word "article") in a text that belongs to `context`: the nearest
    instrument of that kind among the context and its ancestors."""
    if vocabulary is None or context is None:
        return None
    kinds = TREATY_KINDS if word == "article" else {word}
    for instrument_id in vocabulary.lineage(context):
        if vocabulary.instrument(instrument_id).kind in kinds:
            return instrument_id
    return None
