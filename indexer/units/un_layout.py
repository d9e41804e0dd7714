"""Paragraph units from lines (pure): UN document layout -> citable units.

Second stage of the flow (lines -> units). ``split_units`` takes the physical
lines a reader produced and returns the units a drafter cites:

* numbered paragraphs ``8.`` (the number may hang in the margin or be followed by
  a tab) -> ``"8"``; sub-numbers ``3.1`` and ``38 bis`` keep their form;
* lettered subparagraphs ``(a)`` -> ``"14(a)"`` (kind ``subparagraph``; the parent
  keeps only its lead-in), roman items ``(i)`` -> ``"14(a)(i)"``;
* unnumbered paragraphs after an enacting formula ("The General Assembly,")
  -> preambular ``"pp1"``, ``"pp2"``...; other unnumbered body text -> ``"t1"``...;
* footnotes -> ``"fn1"``, ``"fn-star"``.

Headings (``II. Organizational matters``, ``A. Sessions of ...``, ``Annex I``,
``Rule 4``, bold lines) become the section path of the units under them. Text
quoted after a colon or set in from the margin is folded into the paragraph that
introduces it. Annexes, articles, rules and options open a numbering scope: their
units get qualified ids (``annexI.3``, ``annexI.rule4.2``) and citations
(``A/AC.296/2026/9, annex I, rule 4, para. 2``) so ids stay unique and citations
right. A number that does not continue the paragraph sequence while the sequence
resumes after it (an agenda quoted inside a paragraph, a numbered sub-heading)
is not a paragraph. Text before the first paragraph (the title block) is not a
unit.
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from indexer.models import Footnote, Line, Unit
from indexer.text.normalize import (
    build_vocabulary,
    clean_unit_text,
    collapse_whitespace,
    join_lines,
    nfkc,
    strip_footnote_markers,
)

SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies")
_SUFFIX_ALT = "|".join(SUFFIXES)
_SUFFIX_SPACE_RE = re.compile(rf"(?<=\d)({_SUFFIX_ALT})$")
# "8.", "8.\t", "[38 bis.", "3.1", "99.1 bis.", "(ALL)1.", "100.[Depositary"
NUMBER_RE = re.compile(
    rf"^\[?(?:\((?P<tag>[A-Z]{{2,8}})\))?(?P<num>\d{{1,5}})(?P<sub>(?:\.\d{{1,2}}(?!\d))*)"
    rf"(?:\s?(?P<suffix>{_SUFFIX_ALT}))?(?P<dot>\.)?(?=[\s\[“\"‘(]|$|[A-Z])\s*(?P<rest>.*)$"
)
# A preambular paragraph printing its own label: "Pp1 Being Parties ...", "[Pp12 bis. Recalling ...".
PREAMBLE_LABEL_RE = re.compile(
    rf"^\[?(?P<label>[Pp]p\.?\s?(?P<num>\d{{1,4}})(?:\s?(?P<suffix>{_SUFFIX_ALT}))?)\.?(?:\s+(?P<rest>\S.*))?$"
)
ROMAN_NUMERALS = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
]
# "(a)", "(aa)", "a)", "a. " (lower-case letters or roman numerals)
SUB_RE = re.compile(r"^\(?(?P<label>[a-z]{1,2}|[ivx]{1,5})\)\s*(?P<rest>\S.*)?$|^(?P<dlabel>[a-z])\.\s+(?P<drest>[A-Z\[“\"].*)$")
ROMAN_HEADING_RE = re.compile(r"^(?P<label>[IVXL]{1,7})\.\s+(?P<rest>\S.*)$")
LETTER_HEADING_RE = re.compile(r"^(?P<label>[A-Z])\.\s+(?P<rest>\S.*)$")
ANNEX_RE = re.compile(r"^(?P<word>annex|appendix|attachment|enclosure)(?:\s+(?P<label>[IVXLC]+|\d+|[A-Z]))?\s*[*:]?$", re.IGNORECASE)
# "Article 14", "Rule 4", "Regulation 18 bis", and "Article 2 (PURPOSE)": a title in brackets on the same line.
ARTICLE_RE = re.compile(
    rf"^\[?(?P<word>article|rule|regulation)\s+(?P<label>\d+(?:\s?[A-Z](?![a-z]))?(?:\s?(?:{_SUFFIX_ALT}))?)\]?"
    rf"(?:\s*\([^()]{{1,80}}\)\]?)?\s*$", re.IGNORECASE
)
# An option or alternative opening a block inside a paragraph of negotiating text:
# "Option 2:", "[Option 1: All Parties ...", "[Alt.2 ...". It qualifies the citation
# of what follows it in the paragraph ("para. 3.1, option 2").
INLINE_OPTION_RE = re.compile(
    r"^\[?(?P<word>(?i:option|alt(?:ernative)?))\.?\s*(?P<label>\d{1,2}|[A-Z]|[IVX]{1,4}|\([a-z]\))(?::|\]|\s*:|\s+(?=[\[A-Z“\"])|\s*$)\s*(?P<rest>.*)$",
)
PART_RE = re.compile(r"^(?P<word>part|chapter|section)\s+(?P<label>[IVXLC]+|\d+|[A-Z]|one|two|three|four|five)\b[.:]?\s*(?P<rest>.*)$", re.IGNORECASE)
OPTION_RE = re.compile(r"^(?P<word>option|alternative)\s+(?P<label>[IVX]+|\d+|[A-Z])\s*$", re.IGNORECASE)
# "Decision 2/CP.27", "Resolution 1/CMA.1", "Decision SC-1/15", "Decision II/8" alone on a line:
# a decision adopted in a report, which numbers its own paragraphs from 1.
DECISION_HEADING_RE = re.compile(
    r"^(?P<word>[Dd]ecision|[Rr]esolution)\s+(?P<label>[A-Z]{0,4}-?[\dIVXL]+/[A-Z]*\.?\d+[A-Za-z]?|[A-Z]{1,4}(?:\.\d+)?-?\d+/\d+)\s*\**$"
)
# The title of an annex that is an instrument of its own ("Paris Agreement"): units under it
# are cited by that name, not as the annex of the document that adopted it.
INSTRUMENT_TITLE_RE = re.compile(
    r"^(?:The\s+)?(?:[A-Z][\w’'\-]*\s+){1,8}(?:Agreement|Convention|Protocol|Treaty|Amendment)$"
)
DECISION_RE = re.compile(r"^(?:draft\s+)?(?:decision|resolution)\s+[-\w.]*\d*/[A-Z]+[.\d]*\b", re.IGNORECASE)
ENACTING_RE = re.compile(
    r"^\[?\s?The\s+(?:[A-Z][\w’'\-]*)(?:[\s,][\w’'\-()]+){0,18},\]?$"
)
AGREED_RE = re.compile(r"^\[?(?:Have|Has|Hereby)\s+agreed\s+as\s+follows\s*:?\]?$", re.IGNORECASE)
TERMINAL = tuple(".;:!?”\"’)]")

# Heading levels: smaller is outer. A heading closes every open heading of its level or deeper.
(LEVEL_DECISION, LEVEL_ANNEX, LEVEL_PART, LEVEL_ROMAN, LEVEL_LETTER, LEVEL_NUMBERED, LEVEL_ITEM,
 LEVEL_ARTICLE, LEVEL_OPTION, LEVEL_PLAIN) = range(10)

KIND_PARAGRAPH = "paragraph"
KIND_SUBPARAGRAPH = "subparagraph"
KIND_PREAMBLE = "preamble"
KIND_FOOTNOTE = "footnote"
KIND_TEXT = "text"
KIND_ARTICLE = "article"

_MARKER_IDS = {"*": "star", "**": "star2", "***": "star3", "†": "dagger", "‡": "ddagger", "§": "section"}
_SCOPE_WORDS = {
    "annex": ("annex", "annex"), "appendix": ("app", "appendix"), "attachment": ("att", "attachment"),
    "enclosure": ("encl", "enclosure"), "article": ("art", "art."), "rule": ("rule", "rule"),
    "regulation": ("reg", "regulation"), "option": ("opt", "option"), "alternative": ("alt", "alternative"),
    "part": ("part", "part"), "chapter": ("ch", "chapter"), "section": ("sec", "section"),
}


@dataclass(frozen=True)
class Heading:
    """A heading as it opens a section: its text, level and numbering scope (if any)."""

    text: str
    level: int
    slug: str | None = None  # "annexI", "art14", "rule4": qualifies unit ids
    cite: str | None = None  # "annex I", "art. 14", "rule 4": part of the citation
    # An annexed instrument's own name ("Paris Agreement"): it replaces the citation so far.
    instrument: str | None = None
    decision: str | None = None  # "decision 2/CP.27": the decision this heading opens


@dataclass
class _Candidate:
    index: int
    num: int
    sub: str
    suffix: str
    tag: str
    rest: str
    scope: str


@dataclass
class _Open:
    """The unit being assembled."""

    local: str
    kind: str
    lines: list[str]
    page: int | None
    path: tuple[Heading, ...]
    label: str  # as cited after "para.": "14 (a)", "38 bis"
    parent: "_Open | None" = None
    last_letter: str | None = None
    roman_list: bool = False


@dataclass
class NumberingReport:
    """Numbered paragraphs per numbering run: how many, which numbers are missing or repeated."""

    runs: dict[str, dict] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(run["count"] for run in self.runs.values())

    @property
    def gaps(self) -> list[str]:
        return [f"{scope + '.' if scope else ''}{n}" for scope, run in self.runs.items() for n in run["gaps"]]

    @property
    def duplicates(self) -> list[str]:
        return [f"{scope + '.' if scope else ''}{n}" for scope, run in self.runs.items() for n in run["duplicates"]]


# ---------------------------------------------------------------------------
# Line classification


def _roman_value(label: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, char in enumerate(label):
        value = values[char]
        if i + 1 < len(label) and values[label[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def _is_roman(label: str) -> bool:
    return bool(re.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})|XL|L", label)) and label != ""


def _roman_or_letter(label: str, roman: bool, letter: bool, last_letter: str | None, last_roman: int) -> int | None:
    """Level of a heading "I." / "C." / "IV.": "I." after "H." is a letter, after nothing a roman numeral."""
    if roman and letter:  # one of I V X L C D M
        if last_letter is not None and ord(label) == ord(last_letter) + 1:
            return LEVEL_LETTER
        if last_roman and _roman_value(label) == last_roman + 1:
            return LEVEL_ROMAN
        if label == "I" and last_letter is None:
            return LEVEL_ROMAN
        if label in "CDM" or not _is_roman(label):
            return LEVEL_LETTER
        return LEVEL_ROMAN
    if roman:
        return LEVEL_ROMAN if _is_roman(label) else None
    return LEVEL_LETTER


def heading_like(text: str, max_words: int = 25) -> bool:
    """Short, capitalised, and not ending a sentence: how a heading's text reads."""
    stripped = text.strip().rstrip("*")
    if not stripped or len(stripped.split()) > max_words:
        return False
    if stripped.endswith((".", ";", ",", ":")) and not stripped.endswith(("etc.", "Cont.", "cont.")):
        return False
    first = stripped.lstrip("[“\"‘(")[:1]
    return first.isupper() or first.isdigit()


def scope_of(text: str) -> tuple[str, str] | None:
    """(id slug, citation label) of a heading that opens a numbering scope, else None."""
    text = collapse_whitespace(text)
    for pattern in (ANNEX_RE, ARTICLE_RE, OPTION_RE):
        match = pattern.match(text)
        if match:
            word = match.group("word").lower()
            slug, cite = _SCOPE_WORDS[word]
            label = (match.group("label") or "").replace(" ", "")
            # "18 bis" is cited as printed, with its space; the id has none.
            printed = _SUFFIX_SPACE_RE.sub(r" \1", label)
            return slug + label, (f"{cite} {printed}" if label else cite)
    match = PART_RE.match(text)
    if match and match.group("word").lower() == "part" and not match.group("rest"):
        label = match.group("label")
        return "part" + label, f"part {label}"
    return None


class _Layout:
    """What the splitter knows of the page layout: margin, style, wrapping."""

    def __init__(self, lines: Sequence[Line]):
        texts = [l for l in lines if l.text.strip()]
        self.styled = any(l.size for l in texts)
        indents = Counter(round(l.indent) for l in texts)
        self.margin = indents.most_common(1)[0][0] if indents else 0
        sizes = Counter()
        for l in texts:
            sizes[round(l.size * 2) / 2] += len(l.text)
        self.body_size = sizes.most_common(1)[0][0] if sizes else 0.0
        lengths = sorted(len(l.text) for l in texts)
        # Text converted with one line per paragraph (no wrapping).
        self.unwrapped = bool(lengths) and not self.styled and (
            sum(1 for n in lengths if n > 250) > 0.08 * len(lengths)
        )
        self.quote_indent = 10.0 if self.styled else 3.0

    def prominent(self, line: Line) -> bool:
        """Set in bold or larger type than the body (PDF only)."""
        return self.styled and (line.bold or line.size > 1.12 * self.body_size)


# A paragraph number after the end of a sentence on the same line: ". 23. As called for".
_INLINE_NUMBER_RE = re.compile(r"(?<=[.”\"’])\s+(\d{1,5})\.\s+(?=[A-Z“\"])")


def _split_inline_numbers(lines: list[Line]) -> list[Line]:
    """Start a new line where a paragraph number follows a sentence on the same line.

    "... by the Conference of the Parties. 23. As called for ..." holds the end of a
    quotation and paragraph 23; the split happens only for the number the
    paragraph sequence expects next.
    """
    out: list[Line] = []
    expected = None
    for line in lines:
        text = line.text.strip()
        match = NUMBER_RE.match(text)
        if match and match.group("dot") and not match.group("sub"):
            expected = int(match.group("num")) + 1
            out.append(line)
            continue
        if expected is not None:
            inline = next((m for m in _INLINE_NUMBER_RE.finditer(text) if int(m.group(1)) == expected), None)
            if inline:
                out.append(Line(text[: inline.start()], line.page, line.indent, line.size, line.bold))
                out.append(Line(text[inline.start():].strip(), line.page, line.indent, line.size, line.bold))
                expected += 1
                continue
        out.append(line)
    return out


# ---------------------------------------------------------------------------
# The splitter


class _Splitter:
    def __init__(self, lines: Sequence[Line], symbol: str, title: str, date: str | None,
                 footnotes: Sequence[Footnote], vocabulary):
        self.lines = _split_inline_numbers([Line(nfkc(l.text).strip(), l.page, l.indent, l.size, l.bold) for l in lines])
        self.symbol = symbol
        self.title = title
        self.date = date
        self.footnotes = list(footnotes)
        self.layout = _Layout(self.lines)
        self.vocabulary = vocabulary if vocabulary is not None else build_vocabulary(l.text for l in self.lines)
        self.markers = {f.marker for f in self.footnotes} | {"*", "**", "†", "‡"}
        self.units: list[tuple[_Open, str]] = []

    # -- helpers -------------------------------------------------------------
    def text(self, i: int) -> str:
        return self.lines[i].text if 0 <= i < len(self.lines) else ""

    def blank(self, i: int) -> bool:
        return not self.text(i)

    def prev_nonblank(self, i: int) -> int:
        j = i - 1
        while j >= 0 and self.blank(j):
            j -= 1
        return j

    def next_nonblank(self, i: int) -> int:
        j = i + 1
        while j < len(self.lines) and self.blank(j):
            j += 1
        return j

    def block_start(self, i: int) -> bool:
        """Whether the layout breaks before line ``i``: vertical space, a style change, a first-line indent."""
        if self.layout.unwrapped or i == 0 or self.blank(i - 1):
            return True
        if not self.layout.styled:
            return False
        previous = self.lines[i - 1]
        line = self.lines[i]
        if previous.bold != line.bold or abs(previous.size - line.size) > 0.6:
            return True
        # A first-line indent, or a number hanging left of the margin.
        following = self.lines[i + 1] if i + 1 < len(self.lines) and not self.blank(i + 1) else None
        before = self.lines[i - 2] if i >= 2 and not self.blank(i - 2) else None
        if following is not None and line.indent > following.indent + 3 and (
            line.indent > previous.indent + 3
            # after a paragraph of one line, itself set in as a first line
            or before is not None and abs(line.indent - previous.indent) <= 1 and previous.indent > before.indent + 3
        ):
            return True
        # A paragraph of one line: set in as the first line after it, which is itself a first line.
        after = self.lines[i + 2] if following is not None and i + 2 < len(self.lines) and not self.blank(i + 2) else None
        if after is not None and line.indent > previous.indent + 3 and abs(line.indent - following.indent) <= 1 \
                and following.indent > after.indent + 3:
            return True
        if line.indent < previous.indent - 3 and line.indent < self.layout.margin - 3:
            return True
        return False

    def marker_start(self, i: int) -> bool:
        """Whether a paragraph number, item letter or heading at line ``i`` can open a unit.

        Besides a layout break, the end of a sentence on the line before will do:
        "... ends here.\n23. As called for" (but not "... from\n2010. The").
        """
        if self.block_start(i) or i in getattr(self, "heading_ends", ()):
            return True
        return self.lines[i - 1].text.rstrip("*").endswith(TERMINAL)

    # -- headings ------------------------------------------------------------
    def heading_at(self, i: int, last_letter: str | None, last_roman: int) -> tuple[Heading, int] | None:
        """The heading that starts at line ``i`` and the index after its last line, or None."""
        line = self.lines[i]
        text = collapse_whitespace(line.text)
        if not text or NUMBER_RE.match(text) and NUMBER_RE.match(text).group("dot"):
            return None
        styled = self.layout.styled
        prominent = self.layout.prominent(line)
        isolated = self.marker_start(i)
        level = None
        match = ANNEX_RE.match(text)
        decision = DECISION_HEADING_RE.match(text)
        if decision and isolated:
            level = LEVEL_DECISION
        elif match and isolated:
            level = LEVEL_ANNEX
        elif ARTICLE_RE.match(text) and isolated:
            level = LEVEL_ARTICLE
        elif OPTION_RE.match(text) and isolated:
            level = LEVEL_OPTION
        elif PART_RE.match(text) and isolated and heading_like(text, 20) and (prominent or not styled or len(text.split()) <= 3):
            level = LEVEL_PART
        else:
            roman = ROMAN_HEADING_RE.match(text)
            letter = LETTER_HEADING_RE.match(text)
            if (roman or letter) and isolated:
                rest = (roman or letter).group("rest")
                if heading_like(rest) and (prominent or not styled or self._stands_alone(i)):
                    level = _roman_or_letter((roman or letter).group("label"), roman is not None,
                                             letter is not None, last_letter, last_roman)
            item = SUB_RE.match(text)
            if level is None and item and item.group("label") and styled and prominent and isolated:
                rest = item.group("rest") or ""
                if rest and heading_like(rest, 8):
                    level = LEVEL_ITEM  # "(a) Dates of meetings" set in bold
            if level is None and DECISION_RE.match(text) and isolated and len(text.split()) <= 8:
                level = LEVEL_PLAIN
            inline_option = INLINE_OPTION_RE.match(text)
            if level is None and isolated and heading_like(text, 20) and not item and not (
                    inline_option and inline_option.group("rest")):
                after = self.next_nonblank(i)
                if styled and prominent:
                    level = LEVEL_PLAIN
                elif not styled and len(text.split()) <= 12 and (
                    self.layout.unwrapped or (self.blank(i + 1) and (i == 0 or self.blank(i - 1)))
                ) and not ENACTING_RE.match(text) and after < len(self.lines):
                    level = LEVEL_PLAIN
        if level is None:
            return None
        # Continuation lines of the heading.
        j = i + 1
        parts = [text]
        titled = level in (LEVEL_ARTICLE, LEVEL_DECISION) or (level == LEVEL_ANNEX and not styled)
        if titled and j < len(self.lines) and not self.blank(j) and heading_like(self.text(j), 15) \
                and not self._opens_paragraph(j):
            # "Rule 4" / "Article 14" followed by its title line ("Modalities of meetings").
            parts.append(self.text(j))
            j += 1
        while j < len(self.lines) and not self.blank(j) and level not in (
                LEVEL_ARTICLE, LEVEL_ANNEX, LEVEL_OPTION, LEVEL_DECISION):
            nxt = self.lines[j]
            if self._opens_paragraph(j) or self._starts_heading_pattern(j):
                break
            if styled:
                if nxt.bold != line.bold or abs(nxt.size - line.size) > 0.6 or nxt.page != line.page:
                    break
            else:
                if self.layout.unwrapped:
                    if not re.match(r"^\(.*\)$", nxt.text) or len(nxt.text) > 80:
                        break
                elif len(nxt.text.split()) > 15 or parts[-1].endswith(TERMINAL):
                    break
            parts.append(nxt.text)
            j += 1
        heading_text = collapse_whitespace(join_lines(parts, self.vocabulary))
        heading_text = strip_footnote_markers(heading_text, self.markers).rstrip("*").strip()
        if level == LEVEL_DECISION:
            label = decision.group("label")
            word = decision.group("word").lower()
            slug = word[:3] + re.sub(r"[^A-Za-z0-9]+", "-", label)
            cite = f"{word} {label}"
            return Heading(heading_text, level, slug, cite, decision=cite), j
        scope = scope_of(text)
        instrument = None
        if level == LEVEL_ANNEX and len(parts) > 1 and INSTRUMENT_TITLE_RE.match(collapse_whitespace(parts[1])):
            instrument = collapse_whitespace(parts[1])
        return Heading(heading_text, level, scope[0] if scope else None, scope[1] if scope else None,
                       instrument=instrument), j

    def _stands_alone(self, i: int) -> bool:
        """A line (or two short lines) set apart from the text: what follows opens a paragraph or a break.

        Lets a heading set in the body type be recognised ("B. Basel Convention"
        followed by paragraph 7).
        """
        for k in (i + 1, i + 2):
            if k >= len(self.lines) or self.blank(k) or self._opens_paragraph(k):
                return True
            follow = self.text(k)
            continues = len(follow.split()) <= 8 and follow[:1].islower() and not follow.endswith(TERMINAL)
            if k == i + 1 and not continues:
                # Only a short second line in lower case continues a heading ("production centre programme").
                return False
        return False

    def _starts_heading_pattern(self, j: int) -> bool:
        text = self.text(j)
        return bool(ANNEX_RE.match(text) or ARTICLE_RE.match(text) or ROMAN_HEADING_RE.match(text)
                    or (LETTER_HEADING_RE.match(text) and heading_like(text)))

    def _opens_paragraph(self, j: int) -> bool:
        text = self.text(j)
        match = NUMBER_RE.match(text)
        return bool(match and (match.group("dot") or match.group("sub"))) or bool(SUB_RE.match(text))

    # -- pass 1: headings and paragraph-number candidates -----------------------
    def scan(self):
        self.heading_at_line: dict[int, tuple[Heading, int]] = {}
        self.heading_ends: set[int] = set()
        self.scope_at: list[str] = []
        candidates: list[_Candidate] = []
        path: list[Heading] = []
        last_letter: str | None = None
        last_roman = 0
        skip_until = -1
        for i in range(len(self.lines)):
            if i < skip_until:
                self.scope_at.append(self._scope_key(path))
                continue
            found = None if self.blank(i) else self.heading_at(i, last_letter, last_roman)
            if found:
                heading, end = found
                heading = _nest(path, heading)
                found = (heading, end)
                self.heading_at_line[i] = found
                self.heading_ends.add(end)
                path = [h for h in path if h.level < heading.level] + [heading]
                if heading.level == LEVEL_LETTER:
                    last_letter = heading.text[0]
                elif heading.level == LEVEL_ROMAN:
                    last_roman = _roman_value(heading.text.split(".")[0])
                    last_letter = None
                elif heading.level <= LEVEL_PART:
                    last_letter, last_roman = None, 0
                skip_until = end
                self.scope_at.append(self._scope_key(path))
                continue
            self.scope_at.append(self._scope_key(path))
            if self.blank(i):
                continue
            match = NUMBER_RE.match(self.text(i))
            if match and (match.group("dot") or match.group("sub") or match.group("suffix")) and self.marker_start(i):
                candidates.append(
                    _Candidate(i, int(match.group("num")), match.group("sub") or "", match.group("suffix") or "",
                               match.group("tag") or "", match.group("rest") or "", self._scope_key(path))
                )
        return candidates

    @staticmethod
    def _scope_key(path: Iterable[Heading]) -> str:
        return ".".join(h.slug for h in path if h.slug)

    # -- pass 2: which numbers are paragraphs -----------------------------------
    def accept_numbers(self, candidates: list[_Candidate]) -> tuple[set[int], set[int]]:
        """Line indices of accepted paragraph numbers, and of numbers quoted inside a paragraph."""
        accepted: set[int] = set()
        embedded: set[int] = set()
        last: dict[str, int | None] = {}
        main = [c for c in candidates if not c.sub and not c.suffix]
        by_scope: dict[str, list[_Candidate]] = {}
        for c in main:
            by_scope.setdefault(c.scope, []).append(c)
        position = {id(c): k for scope_list in by_scope.values() for k, c in enumerate(scope_list)}
        skip: set[int] = set()
        for c in main:
            if c.index in skip:
                continue
            run = by_scope[c.scope]
            k = position[id(c)]
            previous = last.get(c.scope)
            n = c.num
            if previous is None:
                # The first number of a scope, unless a smaller one follows (a year
                # in the title block before paragraph 1).
                if n <= 5 or (k + 1 < len(run) and run[k + 1].num == n + 1) or all(r.num > n for r in run[k + 1 :]):
                    accepted.add(c.index)
                    last[c.scope] = n
                continue
            if n == previous + 1:
                accepted.add(c.index)
                last[c.scope] = n
                continue
            # Not the next number: a quoted list, a numbered sub-heading, a stray
            # number at a line start, or a real gap or restart.
            chain = [c]
            while k + len(chain) < len(run) and run[k + len(chain)].num == chain[-1].num + 1:
                chain.append(run[k + len(chain)])
            after = run[k + len(chain)] if k + len(chain) < len(run) else None
            resumes_later = any(r.num == previous + 1 for r in run[k + 1 : k + 60])
            if after is not None and after.num == previous + 1:
                for member in chain:
                    embedded.add(member.index)
                    skip.add(member.index)
                continue
            if resumes_later:
                embedded.add(c.index)
                continue
            accepted.add(c.index)
            last[c.scope] = n
        # Sub-numbered paragraphs (3.1, 9.1) and "38 bis" under an accepted paragraph.
        current: dict[str, int] = {}
        for c in sorted(candidates, key=lambda c: c.index):
            if not c.sub and not c.suffix:
                if c.index in accepted:
                    current[c.scope] = c.num
                continue
            if c.suffix and not c.sub:
                if current.get(c.scope) == c.num:
                    accepted.add(c.index)
                continue
            if current.get(c.scope) in (c.num, c.num - 1) or current.get(c.scope) is None:
                accepted.add(c.index)
        return accepted, embedded

    # -- pass 3: assembly --------------------------------------------------------
    def run(self) -> list[Unit]:
        candidates = self.scan()
        accepted, embedded = self.accept_numbers(candidates)
        cand_at = {c.index: c for c in candidates}
        body_started = False
        preamble = False
        in_quoted_list = False
        path: list[Heading] = []
        current: _Open | None = None
        parent: _Open | None = None  # the paragraph subparagraphs attach to
        counters: Counter = Counter()
        # The numbered paragraph being read and the option of it that is open ("2"),
        # or None: options qualify the citations of what follows them in the paragraph.
        root_para: _Open | None = None
        numbered: _Open | None = None  # the last numbered paragraph, main or sub-numbered ("3.1")
        # The open option of the numbered paragraph, as (id part, citation part): ("opt2", "option 2").
        root_option: tuple[str, str] | None = None
        i = 0
        first_body = self._first_body_line(accepted)
        while i < len(self.lines):
            line = self.lines[i]
            if not line.text:
                i += 1
                continue
            if i in self.heading_at_line:
                heading, end = self.heading_at_line[i]
                heading = _nest(path, heading)
                path = [h for h in path if h.level < heading.level] + [heading]
                if body_started:
                    self._close(current)
                    current, parent = None, None
                preamble = False
                in_quoted_list = False
                root_para = numbered = root_option = None
                i = end
                continue
            if not body_started:
                if i < first_body:
                    i += 1
                    continue
                body_started = True
                # Title-block headings (the document title in bold) are not sections.
                path = [h for h in path if h.level != LEVEL_PLAIN and not (h.level == LEVEL_PART and not h.slug)]
            text = line.text
            scope = self._scope_key(path)
            if ENACTING_RE.match(text) and len(text) < 160:
                self._close(current)
                current, parent = None, None
                preamble = True
                i += 1
                continue
            if AGREED_RE.match(text):
                self._close(current)
                current, parent = None, None
                preamble = False
                i += 1
                continue
            if self._numbered_heading(i, accepted=True) if i in accepted else (
                i in embedded and self._numbered_heading(i)
            ):
                heading = Heading(collapse_whitespace(text), LEVEL_NUMBERED)
                path = [h for h in path if h.level < heading.level] + [heading]
                self._close(current)
                current, parent = None, None
                in_quoted_list = False
                i += 1
                continue
            if i in accepted:
                c = cand_at[i]
                self._close(current)
                local = f"{c.num}{c.sub}{c.suffix}" + (f"-{c.tag.lower()}" if c.tag else "")
                label = f"{c.num}{c.sub}" + (f" {c.suffix}" if c.suffix else "")
                if c.tag:
                    label = f"({c.tag}){label}"
                main = not c.sub and not c.suffix
                if not main and root_option and root_para is not None:
                    # "3.1" under option 2 of paragraph 3.
                    local, label = f"{local}-{root_option[0]}", f"{label}, {root_option[1]}"
                current = _Open(local, KIND_PARAGRAPH, [c.rest], line.page, tuple(path), label)
                parent = current
                numbered = current
                if main:
                    root_para, root_option = current, None
                    opening = INLINE_OPTION_RE.match(c.rest)
                    if opening:
                        root_option = _option_parts(opening)  # "3. [Option 1: ...": the paragraph opens with option 1
                preamble = False
                in_quoted_list = False
                inline = SUB_RE.match(c.rest)
                if inline and (inline.group("label") or "") in ("a", "i") and inline.group("rest"):
                    # "3.3 (a) The Conference ...": the paragraph opens with its first item.
                    current.lines = []
                    self._close(current)
                    current = self._open_sub(parent, inline.group("label"), inline.group("rest"), line, tuple(path))
                i += 1
                continue
            if i in embedded:
                in_quoted_list = True
                if current is not None:
                    current.lines.append(text)
                i += 1
                continue
            labelled = PREAMBLE_LABEL_RE.match(text)
            if labelled and self.marker_start(i):
                # The document's own label is the unit's id ("Pp12"), so counting never renumbers it.
                self._close(current)
                ident = re.sub(r"[\s.]", "", labelled.group("label"))
                cite = labelled.group("num") + (f" {labelled.group('suffix')}" if labelled.group("suffix") else "")
                rest = labelled.group("rest")
                if rest is None:
                    # The label printed alone in the margin: the text is the next line.
                    i = self.next_nonblank(i)
                    rest = self.text(i)
                current = _Open(ident, KIND_PREAMBLE, [rest], line.page, tuple(path), cite)
                parent = current
                preamble = True
                root_para = numbered = root_option = None
                i += 1
                continue
            opening = INLINE_OPTION_RE.match(text) if numbered is not None else None
            if opening and self.marker_start(i):
                # "Option 2: ..." inside paragraph 3: a unit of its own, "para. 3, option 2".
                self._close(current)
                option = _option_parts(opening)
                owner = numbered
                if root_option and _same_series(root_option[0], option[0]):
                    # "Option 2" after "3. [Option 1:" and its 3.1, 3.2: the next option of paragraph 3.
                    owner = root_para
                if owner is root_para:
                    root_option = option
                current = _Open(f"{owner.local}-{option[0]}", KIND_PARAGRAPH, [opening.group("rest")], line.page,
                                tuple(path), f"{owner.label}, {option[1]}")
                parent = current
                i += 1
                continue
            sub = SUB_RE.match(text)
            if sub and parent is not None and not in_quoted_list and self.marker_start(i):
                label = sub.group("label") or sub.group("dlabel")
                rest = sub.group("rest") if sub.group("label") else sub.group("drest")
                opened = self._open_sub(parent, label, rest or "", line, tuple(path))
                if opened is not None:
                    self._close(current)
                    current = opened
                    i += 1
                    continue
            starts_block = self.block_start(i)
            if current is not None and (not starts_block or self._folds_into(current, i)):
                current.lines.append(text)
                i += 1
                continue
            # A new unnumbered unit.
            if preamble and current is not None and current.kind == KIND_PREAMBLE \
                    and " ".join(current.lines).rstrip().endswith(",") and self._ends_sentence(self._block_end(i)):
                # The preamble's clauses end with a comma: a block ending a sentence is operative
                # (a resolution of one unnumbered operative paragraph).
                preamble = False
            self._close(current)
            kind = KIND_PREAMBLE if preamble else KIND_TEXT
            prefix = "pp" if preamble else "t"
            counters[(scope, prefix)] += 1
            n = counters[(scope, prefix)]
            current = _Open(f"{prefix}{n}", kind, [text], line.page, tuple(path), str(n))
            parent = current
            in_quoted_list = False
            i += 1
        self._close(current)
        return self._finish()

    def _block_end(self, i: int) -> int:
        """The last line of the block that starts at line ``i``."""
        j = i
        while j + 1 < len(self.lines) and not self.blank(j + 1) and not self.block_start(j + 1) \
                and j + 1 not in self.heading_at_line:
            j += 1
        return j

    def _ends_sentence(self, j: int) -> bool:
        return self.text(j).rstrip("*”\"’)] ").endswith((".", ";"))

    def _numbered_heading(self, i: int, accepted: bool = False) -> bool:
        """A numbered line that heads a section ("1. Proceedings", "2. Financial period").

        Outside the paragraph sequence, a short line without a full stop will do
        (set in bold in a PDF). In the sequence, it must be bold, or be followed
        by its own sub-numbered paragraphs ("1. Scope", then "1.1 ...").
        """
        match = NUMBER_RE.match(self.text(i))
        rest = match.group("rest") if match else ""
        if not match or match.group("sub") or not rest or not heading_like(rest, 15 if not accepted else 10):
            return False
        line = self.lines[i]
        following = NUMBER_RE.match(self.text(self.next_nonblank(i)))
        followed_by_sub = bool(following and following.group("num") == match.group("num") and following.group("sub"))
        if self.layout.styled:
            # The heading ends at its line: what follows is set apart or in another style.
            nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
            alone = nxt is None or not nxt.text or nxt.bold != line.bold or abs(nxt.size - line.size) > 0.6 \
                or self._opens_paragraph(i + 1)
            if not alone:
                return False
        if accepted:
            if self.layout.styled:
                return self.layout.prominent(line) or followed_by_sub
            return followed_by_sub
        if self.layout.styled:
            return self.layout.prominent(line) or line.indent < self.layout.margin - 3
        return self.blank(i + 1) or self.layout.unwrapped or self._opens_paragraph(self.next_nonblank(i))

    def _first_body_line(self, accepted: set[int]) -> int:
        """Where the title block ends: the first paragraph or enacting formula."""
        starts = [i for i in accepted]
        for i, line in enumerate(self.lines):
            if line.text and ENACTING_RE.match(line.text) and len(line.text) < 160:
                starts.append(i)
                break
        for i, line in enumerate(self.lines):
            if line.text and PREAMBLE_LABEL_RE.match(line.text) and self.marker_start(i):
                starts.append(i)  # "Pp1 Being Parties ...": a labelled preamble opens the body
                break
        if starts:
            return min(starts)
        # No numbered paragraph and no preamble: the body starts after the first heading.
        return min(self.heading_at_line) if self.heading_at_line else 0

    def _folds_into(self, current: _Open, i: int) -> bool:
        """Whether an unnumbered block at line ``i`` continues the unit being assembled."""
        text = self.text(i)
        so_far = " ".join(current.lines).rstrip()
        if not so_far:
            return True
        first = text.lstrip("[“\"‘(")[:1]
        if first.islower():
            return True
        if so_far.endswith(":"):
            return True
        if current.kind == KIND_PREAMBLE:
            return False
        if not so_far.rstrip("*").endswith(TERMINAL):
            return True
        line = self.lines[i]
        if self.layout.unwrapped:
            return False
        # A block set in from the margin: a quotation.
        if line.indent > self.layout.margin + self.layout.quote_indent:
            following = self.next_nonblank(i)
            if following >= len(self.lines) or self.lines[following].indent > self.layout.margin + self.layout.quote_indent \
                    or self.blank(i + 1):
                return True
        return False

    def _open_sub(self, parent: _Open, label: str, rest: str, line: Line, path) -> _Open | None:
        """Open subparagraph ``(label)`` under ``parent``; None when ``label`` is not a list item here."""
        owner = parent
        is_roman = label in ROMAN_NUMERALS
        # "(i)" right after "(h)" is a letter, as are "(v)" after "(u)" and "(x)" after "(w)".
        next_letter = (
            owner.last_letter is not None
            and len(label) == 1
            and len(owner.last_letter) == 1
            and ord(label) == ord(owner.last_letter) + 1
        )
        nested = is_roman and owner.last_letter is not None and not owner.roman_list and not next_letter
        if nested:
            local = f"{owner.local}({owner.last_letter})({label})"
            cite = f"{owner.label} ({owner.last_letter}) ({label})"
        else:
            if owner.last_letter is None and label == "i":
                owner.roman_list = True  # a list numbered (i), (ii)... directly under the paragraph
            local = f"{owner.local}({label})"
            cite = f"{owner.label} ({label})"
            owner.last_letter = label
        return _Open(local, KIND_SUBPARAGRAPH, [rest], line.page, path, cite, parent=owner)

    def _close(self, unit: _Open | None) -> None:
        if unit is None:
            return
        text = clean_unit_text(unit.lines, self.vocabulary, self.markers)
        if not text and unit.kind != KIND_PARAGRAPH:
            return
        self.units.append((unit, text))

    # -- ids, citations, footnotes -------------------------------------------------
    def _finish(self) -> list[Unit]:
        out: list[Unit] = []
        seen: set[str] = set()

        def root_of(unit: _Open) -> _Open:
            while unit.parent is not None:
                unit = unit.parent
            return unit

        # An article or rule that is one unnumbered paragraph (with its items) is
        # cited by its number alone: "annexI.rule11", "annexI.rule11(a)".
        roots: dict[str, list[_Open]] = {}
        for unit, _ in self.units:
            if unit.parent is None:
                roots.setdefault(self._scope_key(unit.path), []).append(unit)
        whole_roots = {
            id(units[0])
            for scope, units in roots.items()
            if scope and len(units) == 1 and units[0].kind == KIND_TEXT
            and any(h.level == LEVEL_ARTICLE for h in units[0].path)
        }
        last_path: dict[int, tuple[Heading, ...]] = {}
        for unit, text in self.units:
            scope = self._scope_key(unit.path)
            root = root_of(unit)
            whole = id(root) in whole_roots
            local = unit.local[len(root.local):] if whole else unit.local
            if scope and local.startswith("("):
                ident = scope + local
            else:
                ident = ".".join(p for p in (scope, local) if p)
            ident = unique_id(ident, seen)
            kind = KIND_ARTICLE if whole and unit is root else unit.kind
            citation = self._citation(unit, whole)
            out.append(self._unit(ident, kind, unit.path, unit.page, text, citation, len(out)))
            if unit.page is not None:
                last_path.setdefault(unit.page, unit.path)
                last_path[unit.page] = unit.path
        _qualify_repeated_citations(out, [unit.path for unit, _ in self.units], self._base)
        for note in self.footnotes:
            # Footnote numbering restarts in annexes: a note belongs to the annex of its page.
            path = tuple(h for h in self._path_for_page(note.page, last_path) if h.level <= LEVEL_PART and h.slug)
            scope = self._scope_key(path)
            marker = note.marker
            local = "fn" + (marker if marker.isdigit() else "-" + _MARKER_IDS.get(marker, marker.lower()))
            ident = ".".join(p for p in (scope, local) if p)
            ident = unique_id(ident, seen)
            text = clean_unit_text(note.text.split("\n"), self.vocabulary, ())
            cite = self._base(path) + f", footnote {marker}"
            out.append(self._unit(ident, KIND_FOOTNOTE, path, note.page, text, cite, len(out)))
        return out

    @staticmethod
    def _path_for_page(page: int, last_path: dict[int, tuple[Heading, ...]]) -> tuple[Heading, ...]:
        candidates = [p for p in last_path if p <= page]
        return last_path[max(candidates)] if candidates else ()

    def _base(self, path: Sequence[Heading]) -> str:
        """Symbol and numbering scopes of a heading path; an annexed instrument starts afresh."""
        base = self.symbol
        for heading in path:
            if heading.instrument:
                base = heading.instrument
            elif heading.cite:
                base += f", {heading.cite}"
        return base

    def _citation(self, unit: _Open, whole: bool) -> str:
        base = self._base(unit.path)
        if whole:
            return base if unit.parent is None else f"{base} ({unit.local.rsplit('(', 1)[-1]}"
        if unit.kind == KIND_PARAGRAPH:
            return f"{base}, para. {unit.label}"
        if unit.kind == KIND_PREAMBLE:
            return f"{base}, preambular para. {unit.label}"
        if unit.kind == KIND_SUBPARAGRAPH:
            root = unit
            while root.parent is not None:
                root = root.parent
            if root.kind == KIND_PARAGRAPH:
                return f"{base}, para. {unit.label}"
            if root.kind == KIND_PREAMBLE:
                return f"{base}, preambular para. {unit.label}"
            # An item of a block the document does not number: placed by the block's rank.
            return f"{base}, unnumbered para. {unit.label}"
        # Where the document prints no label, the citation counts the unnumbered
        # blocks of the scope: a place in the document's own terms, not a page.
        return f"{base}, unnumbered para. {unit.label}"

    def _unit(self, ident, kind, path, page, text, citation, order) -> Unit:
        return Unit(
            symbol=self.symbol,
            title=self.title,
            paragraph=ident,
            kind=kind,
            section=tuple(h.text for h in path),
            page=page or None,  # page 0: a text without pages
            text=text,
            citation=citation,
            order=order,
            date=self.date,
            decision=next((h.decision for h in reversed(tuple(path)) if h.decision), None),
        )


def _nest(path: Sequence[Heading], heading: Heading) -> Heading:
    """An unnumbered "Annex" inside a numbered annex is the annex's own annex: it nests."""
    if heading.level == LEVEL_ANNEX and heading.slug == "annex" and any(
        h.level == LEVEL_ANNEX and h.slug and h.slug != "annex" for h in path
    ):
        return Heading(heading.text, LEVEL_PART, heading.slug, heading.cite)
    return heading


def _heading_reference(heading: Heading) -> str:
    """How a citation names a heading: its scope ("annex I"), its printed label ("section C"), or its words."""
    if heading.cite:
        return heading.cite
    label = re.match(r"^\[?([IVXL]{1,7}|[A-Z]|\d{1,3}(?:\.\d{1,2})*)\.\s", heading.text)
    if label:
        return f"section {label.group(1)}"
    words = heading.text.split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")


def _qualify_repeated_citations(units: list[Unit], paths: list[tuple[Heading, ...]], base_of) -> None:
    """Make every citation name its unit alone.

    Units that would share a citation (numbering restarting under a heading that
    opens no scope, an option repeated in a paragraph) are told apart by the
    innermost heading in which their paths differ ("…, section C, para. 3.1");
    when the paths are the same, they say which occurrence they are. The first
    keeps its citation, so a repeat later in the document does not change it.
    """
    groups: dict[str, list[int]] = {}
    for k, unit in enumerate(units):
        groups.setdefault(unit.citation, []).append(k)
    taken = set(groups)
    for citation, members in groups.items():
        if len(members) < 2:
            continue
        member_paths = [paths[k] for k in members]
        depth = 0
        while all(len(p) > depth for p in member_paths) and len({p[depth].text for p in member_paths}) == 1:
            depth += 1
        for rank, k in enumerate(members):
            if rank == 0:
                continue
            unit, path = units[k], paths[k]
            base = base_of(path)
            new = citation
            if depth < len(path) and citation.startswith(base) and any(len(p) <= depth or p[depth].text != path[depth].text
                                                                         for p in member_paths):
                new = f"{base}, {_heading_reference(path[depth])}{citation[len(base):]}"
            if new == citation or new in taken:
                new = f"{citation}, occurrence {rank + 1}"
            taken.add(new)
            units[k] = dataclasses.replace(unit, citation=new)


def _same_series(a: str, b: str) -> bool:
    """Whether two option ids are numbered alike ("opt1", "opt2"; not "opt1", "opt(a)")."""
    def form(ident: str) -> str:
        label = ident[3:]
        return "digit" if label.isdigit() else "paren" if label.startswith("(") else "upper"
    return a[:3] == b[:3] and form(a) == form(b)


def _option_parts(match: re.Match) -> tuple[str, str]:
    """Id and citation parts of an option heading: ("opt2", "option 2"), ("alt2", "alternative 2")."""
    word = match.group("word").lower()
    label = match.group("label")
    if word.startswith("alt"):
        return f"alt{label}", f"alternative {label}"
    return f"opt{label}", f"option {label}"


def unique_id(ident: str, seen: set[str]) -> str:
    """``ident``, or ``ident-2``, ``ident-3``... when a document already used it."""
    candidate, k = ident, 2
    while candidate in seen:
        candidate = f"{ident}-{k}"
        k += 1
    seen.add(candidate)
    return candidate


def split_units(
    lines: Sequence[Line],
    symbol: str = "",
    title: str = "",
    *,
    footnotes: Sequence[Footnote] = (),
    date: str | None = None,
    vocabulary=None,
) -> list[Unit]:
    """The citable units of a document, in reading order (``Unit.order`` 0..n-1).

    ``lines`` are a reader's physical lines (an empty line marks vertical space);
    ``vocabulary`` (word counts) decides line-end hyphens and defaults to the
    words of ``lines``.
    """
    return _Splitter(lines, symbol, title, date, footnotes, vocabulary).run()


def _number_key(local: str) -> tuple[int, str] | None:
    match = re.fullmatch(rf"(\d+)((?:{_SUFFIX_ALT})?)(?:-([a-z]+))?(?:-\d+)?", local)
    if not match:
        return None
    return int(match.group(1)), (match.group(2) or "") + (match.group(3) or "")


def paragraph_number_report(units: Iterable[Unit]) -> NumberingReport:
    """Count numbered paragraphs per numbering run and list gaps and repeats.

    A run is the paragraphs of one scope (the main text, ``annexI``, ``annexI.rule4``...).
    Sub-numbers (``3.1``), ``bis`` paragraphs and subparagraphs are not counted.
    """
    report = NumberingReport()
    numbers: dict[str, list[int]] = {}
    for unit in units:
        if unit.kind != KIND_PARAGRAPH:
            continue
        scope, _, local = unit.paragraph.rpartition(".")
        if scope and scope.split(".")[-1][:1].isdigit():
            continue  # "3.1": a sub-number
        key = _number_key(local)
        if key is None or key[1] in SUFFIXES:
            continue
        numbers.setdefault(scope, []).append(key[0])
    for scope, found in numbers.items():
        counts = Counter(found)
        low, high = min(found), max(found)
        start = 0 if low == 0 else 1
        report.runs[scope] = {
            "count": len(found),
            "first": low,
            "last": high,
            "gaps": [n for n in range(start, high + 1) if n not in counts],
            "duplicates": sorted(n for n, k in counts.items() if k > 1),
        }
    return report
