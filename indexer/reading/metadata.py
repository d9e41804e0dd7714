"""Document metadata from printed text: symbol, title and date (pure).

Readers pass what they saw (the first page's lines, the running header, the PDF
info dictionary); these functions pick the document symbol (``A/AC.296/2026/9``,
``UNEP(DTIE)/Hg/INC.1/10``), the title and the date, and derive a symbol from a
file name (``A_RES_77_321.pdf`` -> ``A/RES/77/321``) when nothing is printed.
A document without a UN symbol is known by the identifier its running header
repeats (``ADP.2015.8.InformalNote``).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

from indexer.models import Line

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_ALT})\.?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{1,2}}),\s+((?:19|20)\d\d)\b", re.IGNORECASE)

# A UN document symbol: a series (A, UNEP(DTIE), FCCC) and slash-separated parts,
# at least one of them with a digit.
_SYMBOL_RE = re.compile(
    r"(?<![\w/])([A-Z][A-Z0-9]*(?:\([A-Z0-9]+\))?(?:/[A-Za-z0-9][A-Za-z0-9.\-]*(?:\([A-Za-z0-9.]+\))?)+)"
)
_FILENAME_PART_RE = re.compile(
    r"^(?:[A-Z][A-Z0-9]{0,9}(?:\([A-Z]+\))?(?:\.\d+)?|\d{1,5}|(?:Add|Rev|Corr|Amend|L|CRP|INF|WP|Misc)\.\d+)$"
)
_NUMERIC_END_RE = re.compile(r"(?:^\d+$|\.\d+$)")
# An identifier a document without a UN symbol prints alone on a header line
# (``ADP.2015.8.InformalNote``): one word of letters and digits in three or more
# parts joined by dots, slashes, hyphens or underscores, a digit in it (two
# parts are a revision or a meeting: "Rev.1", "COP-15").
_IDENTIFIER_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[./_-][A-Za-z0-9]+){2,}")
IDENTIFIER_MAX_CHARS = 60
# Share of the pages whose header or footer must print the identifier.
IDENTIFIER_PAGE_SHARE = 0.5

# First-page lines that are never the title.
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^united nations$",
        r"^(general assembly|security council|economic and social council)\b",
        r"\bdistr\.",
        r"^original\s*:",
        r"^(limited|restricted|general)$",
        r"^agenda (sub-)?items?\b",
        r"^item \d",
        r"^resolution adopted by",
        r"^\[.*\]$",
        r"^(\w+[-\s])?\w+ (session|meeting)\b",
        r"^(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) session",
        r"^(new york|geneva|nairobi|bonn|paris|vienna|rome|bangkok|panama city)\b",
        r"^\d{2}-\d{5}",
        r"^\*\d+\*$",
        r"^please recycle",
        r"^(contents|annex(es)?)$",
        r"^[ivxlc]+\.\s",
        r"^\d+\.\s",
    )
]


def find_symbols(text: str) -> list[str]:
    """Document symbols printed in ``text``, in order."""
    found = []
    for match in _SYMBOL_RE.finditer(text):
        symbol = match.group(1).rstrip(".,;:-")
        # An unbalanced closing parenthesis belongs to the sentence, not the symbol.
        while symbol.endswith(")") and symbol.count(")") > symbol.count("("):
            symbol = symbol[:-1]
        if symbol.count("/") >= 2 and re.search(r"\d", symbol):
            found.append(symbol)
    return found


def is_identifier(text: str) -> bool:
    """Whether ``text`` is only an identifier word such as ``ADP.2015.8.InformalNote``."""
    text = text.strip()
    return (
        len(text) <= IDENTIFIER_MAX_CHARS
        and _IDENTIFIER_RE.fullmatch(text) is not None
        and any(c.isdigit() for c in text)
        and not text.lower().startswith(("www.", "http"))
    )


def header_identifier(band_texts_by_page: Sequence[Iterable[str]]) -> str | None:
    """The identifier the running header repeats, given the header and footer
    lines of each page: a line that is only an identifier, printed on at least
    half of the pages (and on two at least)."""
    pages_with: Counter = Counter()
    for texts in band_texts_by_page:
        pages_with.update({t.strip() for t in texts if is_identifier(t)})
    needed = max(2, IDENTIFIER_PAGE_SHARE * len(band_texts_by_page))
    found = [(n, text) for text, n in pages_with.items() if n >= needed]
    return max(found)[1] if found else None


def symbol_from_filename(stem: str) -> str | None:
    """A symbol spelled in a file name with underscores (``A_RES_77_321`` -> ``A/RES/77/321``)."""
    parts = stem.split("_")
    prefix: list[str] = []
    for part in parts:
        if not _FILENAME_PART_RE.match(part):
            break
        prefix.append(part)
    while prefix and not _NUMERIC_END_RE.search(prefix[-1]):
        prefix.pop()
    if len(prefix) < 3 or not prefix[0][0].isalpha():
        return None
    return "/".join(prefix)


def symbol_from_lines(texts: Sequence[str]) -> str | None:
    """The symbol of a text document: its running header, else one printed at the top."""
    counts: Counter = Counter()
    for text in texts:
        stripped = text.strip().strip("|").strip()
        if not stripped or len(stripped) > 80:
            continue
        for symbol in find_symbols(stripped):
            # A header line is (almost) only the symbol, or a table row with it.
            rest = stripped.replace(symbol, "").strip(" |\t")
            if len(rest) <= 20:
                counts[symbol] += 1
    repeated = [s for s, n in counts.most_common() if n >= 2]
    if repeated:
        return repeated[0]
    for text in [t for t in texts if t.strip()][:8]:
        found = find_symbols(text)
        if found:
            return found[0]
    # No symbol: an identifier line that recurs as the header does.
    repeats = Counter(t.strip() for t in texts if is_identifier(t))
    return next((text for text, n in repeats.most_common() if n >= 2), None)


def parse_date(text: str) -> str | None:
    """The first date printed in ``text`` as ISO yyyy-mm-dd ("4 May 2026" -> "2026-05-04")."""
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
    else:
        match = _MONTH_DAY_YEAR.search(text)
        if not match:
            return None
        month, day, year = MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def detect_date(texts: Sequence[str]) -> str | None:
    """The document date from first-page text: after "Distr.", else a line that is only a date."""
    texts = [t.strip() for t in texts if t and t.strip()]
    for i, text in enumerate(texts):
        if text.lower().startswith("distr") or " distr." in text.lower():
            for candidate in [text[text.lower().index("distr"):]] + texts[i + 1 : i + 3]:
                found = parse_date(candidate)
                if found:
                    return found
    for text in texts:
        if _DAY_MONTH_YEAR.fullmatch(text) or _MONTH_DAY_YEAR.fullmatch(text):
            return parse_date(text)
    return None


def is_boilerplate(text: str, symbol_ok: bool = False) -> bool:
    """Whether a first-page line is masthead material rather than a title."""
    t = text.strip()
    if not t:
        return True
    if any(p.search(t) for p in _BOILERPLATE):
        return True
    if parse_date(t) and len(t) <= 40:
        return True
    symbols = find_symbols(t)
    if symbols and len(t) - sum(len(s) for s in symbols) < 25:
        return True
    return False


def _clean_title(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    # "77/321. Agreement under ..." -> the resolution's title
    text = re.sub(r"^\d+/\d+\.\s+", "", text)
    return text.strip(" *")


def detect_title(lines: Sequence[Line], body_size: float = 0.0) -> str | None:
    """The title printed on the first page.

    With type sizes (PDF): the largest bold (or larger-than-body) block that is
    not masthead material. Without (text): the longest of the first lines that is
    not masthead material, before the contents or the first paragraph.
    """
    styled = any(line.size for line in lines)
    if styled:
        blocks: list[list[Line]] = []
        for line in lines:
            if not line.text.strip():
                continue
            prominent = line.bold or (body_size and line.size > 1.15 * body_size)
            if not prominent or line.size < 0.95 * (body_size or line.size) or is_boilerplate(line.text):
                blocks.append([])
                continue
            if blocks and blocks[-1] and abs(blocks[-1][-1].size - line.size) < 0.6:
                blocks[-1].append(line)
            else:
                blocks.append([line])
        blocks = [b for b in blocks if b]
        if blocks:
            best = max(blocks, key=lambda b: (round(b[0].size), -lines.index(b[0])))
            return _clean_title(" ".join(l.text for l in best)) or None
        return None
    candidates = []
    for line in lines:
        text = line.text.strip().strip("|").strip()
        if not text:
            continue
        if re.match(r"^(contents|table of contents)$", text, re.IGNORECASE) or re.match(r"^\d+\.\s", text):
            break
        if "|" in text or is_boilerplate(text):
            continue
        candidates.append(text)
        if len(candidates) >= 6:
            break
    if not candidates:
        return None
    return _clean_title(max(candidates, key=len))


def year_of(date: str | None) -> int | None:
    """The year of an ISO date, for the year facet."""
    if date and re.match(r"^\d{4}", date):
        return int(date[:4])
    return None


def title_block_texts(lines: Iterable[Line], limit: int = 40) -> list[str]:
    """The texts of the first ``limit`` non-empty lines (where masthead data is printed)."""
    out = []
    for line in lines:
        if line.text.strip():
            out.append(line.text)
            if len(out) >= limit:
                break
    return out


_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_NUMBER_WORDS.update({w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())})
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}
_DONE_RE = re.compile(
    rf"\bdone\s+at\b.*?\b(?:on|this)\s+(?:the\s+|this\s+)?(?P<day>[\w-]+)\s+day\s+of\s+(?P<month>{_MONTH_ALT}),?\s+(?P<year>[\w\s-]+?)\s*[.;]?\s*$",
    re.IGNORECASE,
)


def _words_to_number(text: str) -> int | None:
    """ "one thousand nine hundred and eighty-seven" -> 1987; digits pass through."""
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", text):
        if word in ("and", ""):
            continue
        if word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
        elif word == "hundred":
            current *= 100
        elif word == "thousand":
            total += current * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _ordinal_to_number(text: str) -> int | None:
    text = text.strip().lower()
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", text)
    if match:
        return int(match.group(1))
    parts = text.split("-")
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _ORDINAL_WORDS:
        return _NUMBER_WORDS[parts[0]] + _ORDINAL_WORDS[parts[1]]
    return _ORDINAL_WORDS.get(text)


def done_date(texts: Sequence[str]) -> str | None:
    """The date of a treaty's final clause ("DONE at Basel on the 22nd day of March 1989")."""
    for text in texts:
        match = _DONE_RE.search(text.strip())
        if not match:
            continue
        day = _ordinal_to_number(match.group("day"))
        year = _words_to_number(match.group("year"))
        month = MONTHS[match.group("month").lower()]
        if day and year and 1800 < year < 2200 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None
