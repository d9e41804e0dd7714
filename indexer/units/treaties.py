"""Treaty text -> article-paragraph units (pure).

Second stage of the flow for treaties (lines -> units), the counterpart of
:mod:`indexer.units.un_layout`. It reads the Markdown treaty texts (English part
of a law-publishing repository: ``### Article  14`` then ``####Financial Aspects``,
paragraphs ``1.  The Parties agree ...``, items ``a) ...`` and ``(i) ...``,
``### ANNEX  I``, ``### PART  II``, tables, ``<sup>`` editorial notes), and PDFs
or plain texts laid out as treaties once :mod:`indexer.units.treaty_layout` has
rewritten them in that form.

Unit ids: ``art14.1`` (article 14, paragraph 1), ``art14`` when an article is a
single unnumbered paragraph, ``art14.1(a)`` and ``art3.1(a)(i)`` for items,
``pp1``... for the preamble, and annex units qualified by the annex
(``annexVI.art4.1``, ``annexB.partII.1``, ``annexI.t3`` for unnumbered annex
text). Citations read ``Basel Convention, art. 14, para. 1``; an article
without numbered paragraphs takes its items directly (``art. 8 (b)``); article
numbers are printed as in the text (``art. III``, ``art. 10 bis``, ``art. 2H``);
a part or chapter qualifies a citation only where its article numbers repeat
elsewhere; several unnumbered paragraphs of one article or annex are counted
(``annex III, unnumbered para. 2``). Items nest by their sequence
(:func:`nest_label`). The document symbol is the treaty's citation name, from
its title (:mod:`indexer.units.treaty_names`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from indexer.models import Line, Unit
from indexer.units.un_layout import (
    KIND_ARTICLE,
    KIND_PARAGRAPH,
    KIND_PREAMBLE,
    KIND_SUBPARAGRAPH,
    KIND_TEXT,
    NUMBER_RE,
    ROMAN_NUMERALS,
    SUB_RE,
    unique_id,
)
from indexer.text.normalize import build_vocabulary, clean_unit_text, collapse_whitespace, nfkc
from indexer.units.treaty_layout import ANNEX_WORDS, ARTICLE_WORDS, CHAPTER_WORDS, FIRST_WORDS, PART_WORDS, roman_value
from indexer.units.treaty_names import citation_name, is_instrument_title

# Suffixes of inserted articles and paragraphs ("10 bis", "5 ter").
INSERTED_SUFFIXES = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies")

_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUP_RE = re.compile(r"<sup>.*?(?:</sup>|$)", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"</?[a-z][^>]*>", re.IGNORECASE)
_EMPHASIS_RE = re.compile(r"(?<![\w*])[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}(?![\w*])")
_HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_SUFFIXES = "|".join(INSERTED_SUFFIXES)
# "Article 14", "Article 2H", "Article 10 bis", "Article XV" (roman as printed), "Article premier".
_ARTICLE_RE = re.compile(
    rf"^(?:{'|'.join(ARTICLE_WORDS)})\s+(?P<num>(?:\d+\s?[A-Z]?|(?-i:[IVXLC]+))(?:\s?(?:{_SUFFIXES}))?|{'|'.join(FIRST_WORDS)})\b\.?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_ANNEX_RE = re.compile(rf"^(?P<word>{'|'.join(ANNEX_WORDS)})\b\s*([IVXLC]+(?:\s?[A-Z])?|[A-Z]|\d+)?\b\.?\s*(.*)$", re.IGNORECASE)
_PART_RE = re.compile(rf"^(?:{'|'.join(PART_WORDS)})\s+([IVXLC]+|\d+)\b\.?\s*(.*)$", re.IGNORECASE)
_CHAPTER_RE = re.compile(rf"^(?P<word>{'|'.join(CHAPTER_WORDS)})\s+([IVXLC]+|\d+)\b\.?\s*(.*)$", re.IGNORECASE)
_BARE_NUMBER_RE = re.compile(r"^(\d{1,3})\.?$")
_PREAMBLE_OPENING_RE = re.compile(r"^(?:preamble\s+)?(\[?the\s+(?:contracting\s+)?parties\s+to\s+th(?:is|e)\s+\w+\s*,\]?)\s*", re.IGNORECASE)
_AGREED_RE = re.compile(r"\s*(?:have|has)\s+agreed\s+as\s+follows\s*:?\s*$", re.IGNORECASE)
# Words that open a preambular clause ("Aware of ...", "Recognizing also ...").
_CLAUSE_STARTERS = (
    "Aware|Mindful|Conscious|Cognizant|Convinced|Concerned|Determined|Desiring|Desirous|Recalling|"
    "Reaffirming|Recogni[sz]ing|Noting|Acknowledging|Affirming|Considering|Emphasi[sz]ing|Welcoming|"
    "Stressing|Reali[sz]ing|Underlining|Believing|Guided|Reiterating|Seeking|Resolved|Wishing|Agreeing|"
    "Pursuant|Urging|Highlighting|Expressing|Observing|Sharing|Keen|Alarmed|Encouraged|Inspired|Acting|"
    "Committed|Understanding|Looking|Confirming|Accepting|Appreciating|Declaring|Being|Taking|Bearing|"
    "Having|Fully|Also|Further|Deeply|Gravely|Seriously|Strongly|Firmly|Noting|Anxious|Worried|Aiming|"
    "Stating|Accordingly|Promoting|In\\s+pursuit|In\\s+accordance|Determining|Intending|Emphasizing"
)
# Besides the listed words, a capitalised participle after a comma opens a clause
# ("..., Respecting the sovereignty ...", "..., Aspiring to ...").
_CLAUSE_SPLIT_RE = re.compile(rf"(?<=[,;.])\s*(?:and\s+)?(?=(?:{_CLAUSE_STARTERS}|[A-Z][a-z]{{2,}}ing)\b)")
_DUTCH_WORDS = frozenset(
    "de het een van op te niet wordt deze zin alleen komt bedoeld kennelijk hier werking nader bepalen "
    "tijdstip voor en treedt redactie wordt zijn worden bij ook".split()
)
_ENGLISH_WORDS = frozenset("the of and to shall in for by with which".split())


@dataclass
class _Node:
    """A heading of the treaty: what it is called and how it qualifies ids and citations."""

    text: str
    level: int
    slug: str | None = None
    cite: str | None = None
    # Parts and chapters qualify a citation only where article numbers repeat across them.
    optional: bool = False
    # For the title of a further instrument in a compilation (level -1): its citation name.
    name: str | None = None


@dataclass
class _Item:
    local: str
    kind: str
    lines: list[str]
    path: tuple[_Node, ...]
    label: str
    page: int | None = None
    parent: "_Item | None" = None
    # The open item lists under this paragraph, outermost first: (style, last label).
    levels: list[tuple[str, str]] = field(default_factory=list)
    children: list["_Item"] = field(default_factory=list)


def short_name(title: str) -> str:
    """The name drafters cite a treaty by: ``UNFCCC``, ``Basel Convention``..."""
    return citation_name(title)


def next_letter(label: str) -> str | None:
    """The letter after ``label`` in a lettered list: "h" -> "i", "z" -> "aa", "aa" -> "bb"."""
    if len(label) == 1:
        return "aa" if label == "z" else chr(ord(label) + 1)
    if len(set(label)) == 1 and label[0] != "z":
        return chr(ord(label[0]) + 1) * len(label)
    return None


def next_roman(label: str) -> str | None:
    """The roman numeral after ``label``: "iv" -> "v"."""
    if label in ROMAN_NUMERALS and ROMAN_NUMERALS.index(label) + 1 < len(ROMAN_NUMERALS):
        return ROMAN_NUMERALS[ROMAN_NUMERALS.index(label) + 1]
    return None


def roman_after_all(levels: Sequence[tuple[str, str]], label: str) -> bool:
    """Whether ``label`` shows the item before it to be roman: "(ii)" right after an
    "(i)" that was read as the letter after "(h)"."""
    return label == "ii" and bool(levels) and tuple(levels[-1]) == ("letter", "i")


def nest_label(levels: Sequence[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    """The open lists after an item labelled ``label``, decided by sequence.

    ``levels`` are the open lists, outermost first, as (style, last label) with
    style "letter" or "roman". A label that follows the last label of an open list
    (deepest first) continues it and closes the lists inside it: "(i)" after "(h)"
    is a letter, "(iii)" after "(ii)" a roman numeral. Otherwise "(a)" or "(i)"
    opens a list inside the last item; any other label continues the deepest list
    of its style (a gap in the printed sequence), or the outermost one."""
    levels = list(levels)
    for depth in range(len(levels) - 1, -1, -1):
        style, last = levels[depth]
        following = next_letter(last) if style == "letter" else next_roman(last)
        if label == following:
            return levels[:depth] + [(style, label)]
    if label in ("a", "i") or not levels:
        style = "roman" if label == "i" else "letter"
        return levels + [(style, label)]
    # "(v)" or "(x)" out of sequence is roman while a roman list is open.
    roman_open = any(style == "roman" for style, _ in levels)
    style = "roman" if label in ROMAN_NUMERALS and (len(label) > 1 or roman_open) else "letter"
    for depth in range(len(levels) - 1, -1, -1):
        if levels[depth][0] == style:
            return levels[:depth] + [(style, label)]
    return [(levels[0][0], label)]


def clean_markdown(text: str) -> str:
    """Markdown inline markup removed: links keep their text, <sup> notes are dropped."""
    text = _SUP_RE.sub(" ", text)
    text = _TAG_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = _EMPHASIS_RE.sub("", text)
    if text.lstrip().startswith("|"):
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
            return ""
        text = " ".join(c for c in cells if c)
    return collapse_whitespace(nfkc(text))


def is_dutch(text: str) -> bool:
    """An editorial line in Dutch left in the English text ("Treedt in werking ...")."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    if not words:
        return False
    dutch = sum(1 for w in words if w in _DUTCH_WORDS)
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    return dutch >= 3 and dutch > 2 * english


def split_preamble(text: str) -> list[str]:
    """Preambular clauses of a treaty preamble written as one paragraph."""
    text = collapse_whitespace(text)
    text = _PREAMBLE_OPENING_RE.sub("", text, count=1)
    text = _AGREED_RE.sub("", text)
    if re.match(r"^preamble$", text, re.IGNORECASE):
        return []
    clauses = [c.strip() for c in _CLAUSE_SPLIT_RE.split(text)]
    return [c for c in clauses if c]


class _TreatySplitter:
    def __init__(self, lines: Sequence[Line], symbol: str, title: str, date: str | None, paged: bool = False,
                 markdown: bool = True):
        self.symbol = symbol
        # Editorial lines in Dutch are a trait of the Markdown source; in other
        # texts words such as "de" and "en" are Spanish or French.
        self.markdown = markdown
        self.title = title
        self.date = date
        self.lines = list(lines)
        self.paged = paged
        self.vocabulary = build_vocabulary(clean_markdown(l.text) for l in self.lines if not l.text.startswith("#"))
        self.items: list[_Item] = []

    def _instrument_starts(self) -> set[int]:
        """Lines that open a further instrument of a compilation: a heading that is an
        instrument's title, after which article numbering starts again at 1."""
        starts: set[int] = set()
        last_number = 0
        candidate: int | None = None
        seen_title = False
        for k, line in enumerate(self.lines):
            heading = _HEADING_RE.match(line.text.strip())
            if not heading or not heading.group(2).strip():
                continue
            text = clean_markdown(heading.group(2)).lstrip(": ").strip()
            if not seen_title:
                seen_title = bool(text)
                # A compilation's own title ("Basic instruments ...") names no instrument:
                # then the first instrument's title opens it too.
                last_number = 0 if is_instrument_title(text) else 2
                continue
            node = self._node(text)
            if node is not None and node.level == 5:
                number = _article_value(node.cite or "")
                if number == 1 and last_number >= 2 and candidate is not None:
                    starts.add(candidate)
                last_number = number if number is not None else last_number
                candidate = None
            elif node is None and is_instrument_title(text):
                candidate = k
        return starts

    def run(self) -> list[Unit]:
        starts = self._instrument_starts()
        path: list[_Node] = []
        current: _Item | None = None
        parent: _Item | None = None
        counters: Counter = Counter()
        pending_title_for: _Node | None = None
        seen_title = False
        in_preamble = False
        preamble_text: list[str] = []
        self.preamble_page: int | None = None
        pending_number: str | None = None
        self.instrument: _Node | None = None
        for k, line in enumerate(self.lines):
            raw, page = line.text, line.page
            heading = _HEADING_RE.match(raw.strip())
            if heading and heading.group(2).strip():
                text = clean_markdown(heading.group(2)).lstrip(": ").strip()
                if not text:
                    continue
                if not seen_title:
                    seen_title = True
                    in_preamble = True
                    continue
                if in_preamble and k not in starts and is_instrument_title(text) and self._node(text) is None:
                    continue  # the title printed again over the preamble
                if in_preamble:
                    self._preamble(preamble_text)
                    in_preamble = False
                if k in starts:
                    # The next instrument of a compilation: its units are cited under its own name.
                    name = citation_name(text)
                    self.instrument = _Node(text, -1, re.sub(r"[^a-z0-9]", "", name.lower()) or "instrument", name=name)
                    path = [self.instrument]
                    current = parent = pending_title_for = None
                    in_preamble, preamble_text, self.preamble_page = True, [], None
                    continue
                node = self._node(text)
                if node is not None and node.level != 5 and pending_title_for is not None and len(heading.group(1)) >= 4:
                    # "####Appendix III and Amendments thereto" under an article heading is its title.
                    node = None
                if node is None and pending_title_for is not None and len(heading.group(1)) >= 4:
                    # "####Financial Aspects" names the article or annex above it.
                    pending_title_for.text = f"{pending_title_for.text} {text}"
                    pending_title_for = None
                    continue
                bare = _BARE_NUMBER_RE.match(text)
                if bare:  # "###1": a numbered provision whose text follows
                    pending_number = bare.group(1)
                    continue
                if node is None:
                    node = _Node(text, 7)
                path = [n for n in path if n.level < node.level] + [node]
                pending_title_for = node if node.level in (0, 1, 2, 5) else None
                current = parent = None
                continue
            text = clean_markdown(raw)
            if not text or (self.markdown and is_dutch(text)):
                continue
            pending_title_for = None
            if not seen_title:
                continue
            if in_preamble:
                if not preamble_text:
                    self.preamble_page = page
                preamble_text.append(text)
                continue
            scope = ".".join(n.slug for n in path if n.slug)
            number = NUMBER_RE.match(text)
            if pending_number is not None:
                number_text, pending_number = pending_number, None
                current = self._add(_Item(number_text, KIND_PARAGRAPH, [text], tuple(path), number_text, page))
                parent = current
                continue
            if number and (number.group("dot") or number.group("suffix")) and not number.group("tag"):
                local = f"{number.group('num')}{number.group('sub') or ''}{number.group('suffix') or ''}"
                label = f"{number.group('num')}{number.group('sub') or ''}" + (
                    f" {number.group('suffix')}" if number.group("suffix") else ""
                )
                current = self._add(_Item(local, KIND_PARAGRAPH, [number.group("rest")], tuple(path), label, page))
                parent = current
                continue
            sub = SUB_RE.match(text)
            if sub and (sub.group("label") or sub.group("dlabel")):
                label = sub.group("label") or sub.group("dlabel")
                rest = sub.group("rest") if sub.group("label") else sub.group("drest")
                owner = parent
                if owner is None:
                    counters[(scope, "t")] += 1
                    owner = self._add(_Item(f"t{counters[(scope, 't')]}", KIND_TEXT, [], tuple(path), "", page))
                    parent = owner
                current = self._add_sub(owner, label, rest or "", tuple(path), page)
                continue
            # An unnumbered paragraph.
            counters[(scope, "t")] += 1
            current = self._add(_Item(f"t{counters[(scope, 't')]}", KIND_TEXT, [text], tuple(path), "", page))
            parent = current
        if in_preamble:
            self._preamble(preamble_text)
        return self._finish()

    def _node(self, text: str) -> _Node | None:
        match = _ARTICLE_RE.match(text)
        if match:
            printed = collapse_whitespace(match.group("num"))
            if printed.lower() in FIRST_WORDS:
                printed = "1"
            # "10 bis" is cited as printed; "2 H" and "2H" are both article 2H.
            label = re.sub(r"(?<=\d)\s+(?=[A-Z]\b)", "", printed)
            label = re.sub(rf"(?<=\w)(?=(?:{_SUFFIXES})$)", " ", label)
            slug = label.replace(" ", "")
            word = text.split()[0].capitalize()
            rest = match.group("rest")
            return _Node(f"{word} {label}" + (f" {rest}" if rest else ""), 5, f"art{slug}", f"art. {label}")
        match = _ANNEX_RE.match(text)
        if match:
            label = (match.group(2) or "").replace(" ", "")
            word = match.group("word").capitalize()
            name = f"{word} {label}".strip() + (f" {match.group(3)}" if match.group(3) else "")
            return _Node(name, 0, f"annex{label}", f"{word.lower()} {label}".strip())
        match = _PART_RE.match(text)
        if match:
            label = match.group(1)
            word = text.split()[0].capitalize()
            name = f"{word} {label}" + (f" {match.group(2)}" if match.group(2) else "")
            return _Node(name, 1, f"part{label}", f"part {label}", optional=True)
        match = _CHAPTER_RE.match(text)
        if match:
            label = match.group(2)
            word = match.group("word").capitalize()
            name = f"{word} {label}" + (f" {match.group(3)}" if match.group(3) else "")
            return _Node(name, 2, f"{word.lower()[:3]}{label}", f"{word.lower()} {label}", optional=True)
        return None

    def _preamble(self, texts: list[str]) -> None:
        clauses: list[str] = []
        for text in texts:
            clauses.extend(split_preamble(text))
        head = (self.instrument,) if self.instrument is not None else ()
        for n, clause in enumerate(clauses, start=1):
            self._add(_Item(f"pp{n}", KIND_PREAMBLE, [clause], head + (_Node("Preamble", 7),), str(n), self.preamble_page))

    def _add(self, item: _Item) -> _Item:
        self.items.append(item)
        return item

    def _add_sub(self, owner: _Item, label: str, rest: str, path, page: int | None = None) -> _Item:
        if roman_after_all(owner.levels, label) and owner.children:
            # "(ii)" shows that the "(i)" just before opened a roman list under "(h)".
            owner.levels = owner.levels[:-1] + [("letter", "h"), ("roman", "i")]
            previous = owner.children[-1]
            previous.local = owner.local + "".join(f"({l})" for _, l in owner.levels)
            previous.label = f"{owner.label} " + " ".join(f"({l})" for _, l in owner.levels)
            previous.label = previous.label.strip()
        owner.levels = nest_label(owner.levels, label)
        labels = [last for _, last in owner.levels]
        local = owner.local + "".join(f"({l})" for l in labels)
        printed = " ".join(f"({l})" for l in labels)
        item = _Item(local, KIND_SUBPARAGRAPH, [rest], path, f"{owner.label} {printed}".strip(), page, parent=owner)
        owner.children.append(item)
        return self._add(item)

    def _finish(self) -> list[Unit]:
        self._qualifiers()
        units: list[Unit] = []
        seen: set[str] = set()
        scope_of = lambda item: ".".join(n.slug for n in item.path if n.slug)  # noqa: E731
        per_scope = Counter(scope_of(i) for i in self.items if i.parent is None)
        texts_per_scope = Counter(
            scope_of(i) for i in self.items if i.parent is None and i.kind == KIND_TEXT and (i.children or "".join(i.lines).strip())
        )
        text_ordinal: dict[int, int] = {}  # id(text root) -> its place among the scope's unnumbered paragraphs
        counted: Counter = Counter()
        citations: Counter = Counter()
        for item in self.items:
            scope = scope_of(item)
            text = clean_unit_text(item.lines, self.vocabulary)
            root = item
            while root.parent is not None:
                root = root.parent
            # An article that is one unnumbered paragraph (with its items) is cited by its number alone.
            whole = (
                root.kind == KIND_TEXT
                and scope.split(".")[-1].startswith("art")
                and per_scope[scope] == 1
                and texts_per_scope[scope] == 1
            )
            local = item.local
            if whole:
                local = local[len(root.local):]
            if not text and item.kind == KIND_TEXT:
                continue  # an owner made for a list that follows a heading: its items are the units
            if scope and local.startswith("("):
                ident = scope + local
            else:
                ident = ".".join(p for p in (scope, local) if p) or local
            ident = unique_id(ident, seen)
            kind = KIND_ARTICLE if whole and item is root else item.kind
            if root.kind == KIND_TEXT and texts_per_scope[scope] > 1 and id(root) not in text_ordinal:
                counted[scope] += 1
                text_ordinal[id(root)] = counted[scope]
            citation = self._citation(item, root, whole, text_ordinal.get(id(root)))
            citations[citation] += 1
            if citations[citation] > 1:
                # The same provision printed twice (an amended text kept beside the old).
                citation = f"{citation} (occurrence {citations[citation]})"
            units.append(
                Unit(
                    symbol=self.symbol,
                    title=self.title,
                    paragraph=ident,
                    kind=kind,
                    section=tuple(n.text for n in item.path),
                    page=item.page if self.paged else None,
                    text=text,
                    citation=citation,
                    order=len(units),
                    date=self.date,
                )
            )
        return units

    def _qualifiers(self) -> None:
        """Which optional headings (parts, chapters) a citation needs: those over an
        article whose number is used again elsewhere in the same annex (or body)."""
        seen: dict[tuple[str, str], set[str]] = {}
        for item in self.items:
            annex = ".".join(n.slug or "" for n in item.path if n.level <= 0)
            article = next((n.slug for n in item.path if n.level == 5), None)
            if article:
                group = ".".join(n.slug for n in item.path if n.optional and n.slug)
                seen.setdefault((annex, article), set()).add(group)
        self.repeated = {key for key, groups in seen.items() if len(groups) > 1}

    def _cites(self, path: tuple[_Node, ...]) -> str:
        annex = ".".join(n.slug or "" for n in path if n.level <= 0)
        article = next((n.slug for n in path if n.level == 5), None)
        keep_optional = article is None or (annex, article) in self.repeated
        return "".join(f", {n.cite}" for n in path if n.cite and (keep_optional or not n.optional))

    def _citation(self, item: _Item, root: _Item, whole: bool, ordinal: int | None = None) -> str:
        own = next((n.name for n in item.path if n.level == -1), None)
        base = (own or self.symbol) + self._cites(item.path)
        if ordinal is not None:
            # One of several unnumbered paragraphs of an article or annex: counted, as
            # a drafter counts them ("annex III, unnumbered para. 2 (a)").
            base = f"{base}, unnumbered para. {ordinal}"
        if item.kind == KIND_PREAMBLE:
            return f"{base}, preambular para. {item.label}"
        if whole:
            suffix = item.label.strip()
            return base + (f" {suffix}" if suffix else "")
        if root.kind == KIND_PARAGRAPH:
            return f"{base}, para. {item.label}"
        if item.kind == KIND_SUBPARAGRAPH:
            # A lettered item of unnumbered text: "annex I (b)", like "art. 8 (b)".
            return f"{base} {item.label.strip()}"
        return base


def _article_value(cite: str) -> int | None:
    """The number of an article citation ("art. 12" -> 12, "art. IV" -> 4), or None."""
    match = re.match(r"art\. (\d+)|art\. ([IVXLC]+)\b", cite)
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else roman_value(match.group(2))


def split_treaty(
    lines: Sequence[Line], title: str | None = None, date: str | None = None, paged: bool = False, markdown: bool = True
) -> tuple[str, str, list[Unit]]:
    """Symbol (citation name), title and units of a treaty text in Markdown (or
    rewritten so by :mod:`indexer.units.treaty_layout`); ``paged`` keeps each
    unit's page."""
    if title is None:
        for line in lines:
            heading = _HEADING_RE.match(line.text.strip())
            if heading and heading.group(2).strip():
                title = clean_markdown(heading.group(2))
                break
    title = title or ""
    symbol = short_name(title) if title else ""
    return symbol, title, _TreatySplitter(lines, symbol, title, date, paged, markdown).run()
