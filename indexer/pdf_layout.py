"""PDF reader: pages -> positioned text runs -> physical lines, running headers removed.

The only module that imports pypdf. Each page is read with
``page.extract_text(visitor_operand_before=..., visitor_text=...)``: pypdf decodes
the text, and the operator visitor follows the text state (text matrix composed
with the CTM, font, character and word spacing, TJ kerning) so every run has a
start and an end on the page. Runs are grouped into lines by baseline, ordered by
x, and a space is put between two runs only where the gap between them is a
word space: real UN PDFs emit a word in several runs ("Agr" / "eement") and
pypdf's own spacing guesses are not used across runs.

Then, for the whole document: the running header and footer bands are found
from position and repetition (the document symbol repeated at the top of pages,
job numbers such as ``26-06383 2/81``, page numbers, barcodes) and dropped; small
text at the foot of a page that starts with a marker becomes a Footnote; small
raised markers glued to words (footnote references) are dropped; extra vertical
space between lines is kept as an empty Line so the splitter can see paragraph
breaks. The first page is kept whole for metadata (symbol, title, date).
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from indexer import metadata
from indexer.models import Footnote, Line, RawDocument
from indexer.textnorm import collapse_whitespace, nfkc

try:  # widths of the 14 standard fonts, which PDFs may use without /Widths
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS as _CORE_METRICS
except Exception:  # pragma: no cover - older or newer pypdf layout
    _CORE_METRICS = {}

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Operators that change or use the text state; the rest (paths, colours...) are skipped.
_TEXT_STATE_OPERATORS = frozenset(
    [b"q", b"Q", b"BT", b"Tf", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Td", b"TD", b"Tm", b"T*", b"Tj", b"'", b'"', b"TJ"]
)

# Running header/footer material recognised by its form alone.
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_JOB_NUMBER_RE = re.compile(r"^(?:\d{1,4}/\d{1,4}\s+)?\d{2}-\d{5}(?:\s*\(E\))?(?:\s+\d{6})?(?:\s+\d{1,4}/\d{1,4})?$")
_BARCODE_RE = re.compile(r"^\*\d{5,}\*$")
_SEPARATOR_RE = re.compile(r"^[_\u2014\u2013\-]{5,}$")
_FOOTNOTE_START_RE = re.compile(r"^(\*{1,3}|[†‡§]|\d{1,3}|[a-z])(?:[.)])?\s+(\S.*)$")
# A footnote marker printed in line, not raised: "*  UNEP(DTIE)/Hg/INC.1/1."
_PRINTED_MARKER_RE = re.compile(r"^(\*{1,3}|[†‡§]|\d{1,3})\s+\S")
_REFERENCE_MARKER_RE = re.compile(r"^(?:\*{1,3}|[†‡§]|\d{1,3}|[a-z])$")
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)

# Share of the page height that can hold running headers or footers.
BAND_SHARE = 0.15
# Runs further apart than this many ems on one baseline are separate blocks.
COLUMN_GAP = 8.0
# Two runs are one word when the gap between them is below this share of the font size.
WORD_GAP = 0.15


class PdfUnreadable(Exception):
    """The PDF cannot be read; ``reason`` says why in words a person understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Glyphs:
    """One text-showing operator: where it starts and ends, and its glyph boxes."""

    edges: list[float]  # x where each glyph starts, then where the last one ends
    y: float
    size: float
    spaces: list[bool | None]  # per code: is it a space (None: unknown)


@dataclass
class Run:
    """A piece of text as pypdf flushed it, with its visible extent on the page."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    seq: int


@dataclass
class PageLine:
    """A physical line of a page with everything the document-level passes need."""

    text: str
    page: int
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    lead_marker: str | None = None  # a raised marker that opens the line (footnote text)
    from_top: float = 0.0
    from_bottom: float = 0.0


@dataclass
class _Font:
    """What the run geometry needs of a font: code widths and code length."""

    widths: dict[int, float]
    default: float
    two_byte: bool
    bold: bool
    space_codes: frozenset[int] = frozenset({32})


@dataclass
class _TextState:
    font: _Font | None = None
    size: float = 12.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


def _mult(m, n):
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _num(value, default=0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _font_from_dict(font_dict) -> _Font:
    """Widths (in 1/1000 of the font size) by character code for a PDF font dictionary."""
    font_dict = font_dict.get_object() if hasattr(font_dict, "get_object") else font_dict
    base = str(font_dict.get("/BaseFont", ""))
    bold = bool(_BOLD_RE.search(base))
    subtype = font_dict.get("/Subtype")
    widths: dict[int, float] = {}
    default = 500.0
    if subtype == "/Type0":
        descendants = font_dict.get("/DescendantFonts")
        descendant = descendants[0].get_object() if descendants else {}
        default = _num(descendant.get("/DW", 1000), 1000.0)
        w_array = descendant.get("/W")
        items = list(w_array.get_object()) if w_array is not None else []
        i = 0
        while i + 1 < len(items):
            first = int(_num(items[i]))
            second = items[i + 1].get_object() if hasattr(items[i + 1], "get_object") else items[i + 1]
            if isinstance(second, list):
                for k, width in enumerate(second):
                    widths[first + k] = _num(width)
                i += 2
            elif i + 2 < len(items):
                last = int(_num(second))
                width = _num(items[i + 2])
                if last - first < 70000:
                    for code in range(first, last + 1):
                        widths[code] = width
                i += 3
            else:
                break
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is not None and _BOLD_RE.search(str(descriptor.get_object().get("/FontName", ""))):
            bold = True
        return _Font(widths, default, True, bold, frozenset({3}) if widths.get(3) else frozenset())
    first_char = int(_num(font_dict.get("/FirstChar", 0)))
    raw_widths = font_dict.get("/Widths")
    if raw_widths is not None:
        for k, width in enumerate(raw_widths.get_object()):
            widths[first_char + k] = _num(width)
        descriptor = font_dict.get("/FontDescriptor")
        if descriptor is not None:
            default = _num(descriptor.get_object().get("/MissingWidth", 0)) or default
    else:
        name = base.lstrip("/").split("+")[-1]
        metrics = _CORE_METRICS.get(name)
        if metrics is not None:
            table = metrics.character_widths
            default = table.get("default", 500)
            for code in range(32, 256):
                char = bytes([code]).decode("cp1252", errors="ignore")
                if char and char in table:
                    widths[code] = table[char]
        else:
            default = 600.0 if "courier" in name.lower() else 500.0
    return _Font(widths, default, False, bold)


class _PageReader:
    """Collects the runs of one page from pypdf's visitors."""

    def __init__(self, fonts: dict[str, _Font]):
        self.fonts = fonts
        self.state = _TextState()
        self.stack: list[_TextState] = []
        self.tm = _IDENTITY
        self.tlm = _IDENTITY
        self.pending: list[_Glyphs] = []
        self.runs: list[Run] = []

    # -- operators ---------------------------------------------------------
    def before(self, op: bytes, args, cm, tm) -> None:
        if op not in _TEXT_STATE_OPERATORS:
            return
        state = self.state
        if op == b"TJ" and args:
            for item in args[0]:
                if isinstance(item, (str, bytes)):
                    self._show(item, cm)
                else:
                    shift = -_num(item) / 1000.0 * state.size * state.scale
                    tm = self.tm
                    self.tm = (tm[0], tm[1], tm[2], tm[3], tm[4] + shift * tm[0], tm[5] + shift * tm[1])
            return
        if op == b"q":
            self.stack.append(_TextState(**vars(state)))
        elif op == b"Q":
            if self.stack:
                self.state = self.stack.pop()
        elif op == b"BT":
            self.tm = self.tlm = _IDENTITY
        elif op == b"Tf" and len(args) >= 2:
            state.font = self.fonts.get(str(args[0]))
            state.size = _num(args[1], state.size)
        elif op == b"Tc" and args:
            state.char_spacing = _num(args[0])
        elif op == b"Tw" and args:
            state.word_spacing = _num(args[0])
        elif op == b"Tz" and args:
            state.scale = _num(args[0], 100.0) / 100.0
        elif op == b"TL" and args:
            state.leading = _num(args[0])
        elif op == b"Ts" and args:
            state.rise = _num(args[0])
        elif op in (b"Td", b"TD") and len(args) >= 2:
            tx, ty = _num(args[0]), _num(args[1])
            if op == b"TD":
                state.leading = -ty
            self.tlm = _mult((1.0, 0.0, 0.0, 1.0, tx, ty), self.tlm)
            self.tm = self.tlm
        elif op == b"Tm" and len(args) >= 6:
            self.tm = self.tlm = tuple(_num(a) for a in args[:6])
        elif op == b"T*":
            self._next_line()
        elif op == b"Tj" and args:
            self._show(args[0], cm)
        elif op == b"'" and args:
            self._next_line()
            self._show(args[0], cm)
        elif op == b'"' and len(args) >= 3:
            state.word_spacing = _num(args[0])
            state.char_spacing = _num(args[1])
            self._next_line()
            self._show(args[2], cm)

    def _next_line(self) -> None:
        self.tlm = _mult((1.0, 0.0, 0.0, 1.0, 0.0, -self.state.leading), self.tlm)
        self.tm = self.tlm

    def _show(self, string, cm) -> None:
        state = self.state
        font = state.font or _Font({}, 500.0, False, False)
        raw = getattr(string, "original_bytes", None)
        if raw is None:
            raw = string if isinstance(string, bytes) else str(string).encode("latin-1", "replace")
        if font.two_byte:
            codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        else:
            codes = list(raw)
        m = _mult(self.tm, cm)
        scale_y = math.hypot(m[2], m[3])
        size = state.size * scale_y
        y = m[5] + state.rise * scale_y
        x_scale = math.hypot(m[0], m[1])
        widths, default = font.widths, font.default
        factor = state.size / 1000.0
        spacing, word_spacing, h_scale = state.char_spacing, state.word_spacing, state.scale
        single_byte = not font.two_byte
        x0 = m[4]
        edges = [x0]
        tx = 0.0
        for code in codes:
            advance = widths.get(code, default) * factor + spacing
            if code == 32 and single_byte:
                advance += word_spacing
            tx += advance * h_scale
            edges.append(x0 + tx * x_scale)
        tm = self.tm
        self.tm = (tm[0], tm[1], tm[2], tm[3], tm[4] + tx * tm[0], tm[5] + tx * tm[1])
        if codes:
            space_codes = font.space_codes
            spaces = [code in space_codes for code in codes] if space_codes else [None] * len(codes)
            self.pending.append(_Glyphs(edges, y, size, spaces))

    # -- text ---------------------------------------------------------------
    def text(self, text: str, cm, tm, font_dict, font_size) -> None:
        ops, self.pending = self.pending, []
        text = text.replace("\n", "")
        if not text.strip():
            return
        bold = False
        if font_dict is not None:
            base = str(font_dict.get("/BaseFont", ""))
            bold = bool(_BOLD_RE.search(base))
        if not ops:
            m = _mult(tm, cm)
            size = font_size * math.hypot(m[2], m[3])
            core = text.strip()
            self.runs.append(Run(core, m[4], m[4] + 0.5 * size * len(core), m[5], size, bold, len(self.runs)))
            return
        boxes = [(op.edges[k], op.edges[k + 1]) for op in ops for k in range(len(op.edges) - 1)]
        spaces = [s for op in ops for s in op.spaces]
        x0, x1 = _visible_extent(text, boxes, spaces)
        self.runs.append(Run(text.strip(), x0, x1, ops[0].y, ops[0].size, bold, len(self.runs)))


def _visible_extent(text: str, boxes, spaces) -> tuple[float, float]:
    """Start of the first and end of the last visible character of ``text``.

    When pypdf's text has one character per code, spaces at either end are real
    glyphs and are skipped by position; when pypdf added a space of its own at
    the start there is one character more than codes, and the first code is
    already the first visible character.
    """
    n = len(text)
    lead = n - len(text.lstrip())
    trail = n - len(text.rstrip())
    if len(boxes) == n:
        first, last = lead, n - 1 - trail
    else:
        first = 0
        # Skip glyphs known to be spaces at either end.
        while first < len(boxes) - 1 and spaces[first]:
            first += 1
        last = len(boxes) - 1
        while last > first and spaces[last]:
            last -= 1
        if len(boxes) > n:  # more codes than characters: keep the whole extent
            first, last = 0, len(boxes) - 1
    first = min(max(first, 0), len(boxes) - 1)
    last = min(max(last, first), len(boxes) - 1)
    return boxes[first][0], boxes[last][1]


def _collect_fonts(resources, fonts: dict[str, _Font], seen: set[int], depth: int = 0) -> None:
    """Fonts of a page and of the form XObjects it paints, by resource name."""
    if resources is None or depth > 4:
        return
    resources = resources.get_object()
    font_res = resources.get("/Font")
    if font_res is not None:
        for name, ref in font_res.get_object().items():
            key = id(ref.get_object()) if hasattr(ref, "get_object") else id(ref)
            if name not in fonts:
                try:
                    fonts[name] = _font_from_dict(ref.get_object())
                except Exception:  # a broken font dictionary: estimate its widths
                    fonts[name] = _Font({}, 500.0, False, False)
            seen.add(key)
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Form" and id(obj) not in seen:
                seen.add(id(obj))
                _collect_fonts(obj.get("/Resources"), fonts, seen, depth + 1)


def _group_lines(runs: list[Run], page: int) -> list[PageLine]:
    """Group runs into lines by baseline, order them by x and join them by their gaps."""
    ordered = sorted(runs, key=lambda r: (-r.y, r.x0))
    groups: list[list[Run]] = []
    for run in ordered:
        if groups:
            main = max(groups[-1], key=lambda r: (r.size, len(r.text)))
            tolerance = 0.45 * max(main.size, run.size)
            if abs(main.y - run.y) <= tolerance:
                groups[-1].append(run)
                continue
        groups.append([run])
    lines = []
    for group in groups:
        for segment in _split_columns(group):
            line = _join_group(segment, page)
            if line is not None:
                lines.append(line)
    return lines


def _split_columns(group: list[Run]) -> list[list[Run]]:
    """Split a baseline group where a wide blank separates two blocks (masthead, table columns).

    A hanging paragraph number sits a few ems left of its text; blocks set side by
    side on a title page or in a table are much further apart.
    """
    group = sorted(group, key=lambda r: r.x0)
    segments = [[group[0]]]
    right = group[0].x1
    for run in group[1:]:
        if run.x0 - right > COLUMN_GAP * min(run.size, segments[-1][-1].size):
            segments.append([run])
        else:
            segments[-1].append(run)
        right = max(right, run.x1)
    return segments


def _join_group(group: list[Run], page: int) -> PageLine | None:
    weights = Counter()
    for run in group:
        weights[round(run.size, 1)] += len(run.text)
    main_size = weights.most_common(1)[0][0]
    base = [r for r in group if abs(r.size - main_size) < 0.6]
    baseline = Counter(round(r.y, 1) for r in base).most_common(1)[0][0]
    group = sorted(group, key=lambda r: r.x0)
    parts: list[str] = []
    lead_marker = None
    previous: Run | None = None
    bold_chars = plain_chars = 0
    for run in group:
        raised = run.y > baseline + 0.15 * main_size
        small = run.size <= 0.8 * main_size
        if small and raised and _REFERENCE_MARKER_RE.match(run.text):
            # A footnote reference: dropped from the text; at the start of a line
            # it is the marker of the footnote the line begins.
            if previous is None:
                lead_marker = run.text
            continue
        if previous is not None:
            gap = run.x0 - previous.x1
            if gap > WORD_GAP * min(run.size, previous.size):
                parts.append(" ")
        parts.append(run.text)
        if run.bold:
            bold_chars += len(run.text)
        else:
            plain_chars += len(run.text)
        previous = run
    text = collapse_whitespace(nfkc("".join(parts)))
    if not text:
        return None
    visible = [r for r in group if not (r.size <= 0.8 * main_size and r.y > baseline + 0.15 * main_size)]
    first = visible[0] if visible else group[0]
    return PageLine(
        text=text,
        page=page,
        x0=first.x0,
        x1=max(r.x1 for r in group),
        y=baseline,
        size=main_size,
        bold=bold_chars > plain_chars,
        lead_marker=lead_marker,
    )


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _is_furniture(text: str, symbol: str | None, top: bool = True) -> bool:
    """Page furniture recognised by its form: page and job numbers, barcodes, the symbol."""
    t = text.strip()
    if _PAGE_NUMBER_RE.match(t) or _JOB_NUMBER_RE.match(t) or _BARCODE_RE.match(t):
        return True
    if symbol and t.replace(" ", "") == symbol.replace(" ", ""):
        return True
    # The symbol with the page number beside it: "UNEP(DTIE)/Hg/INC.1/10   2".
    if symbol and re.fullmatch(rf"(?:\d{{1,4}}\s+)?{re.escape(symbol)}(?:\s+\d{{1,4}}(?:/\d{{1,4}})?)?", t):
        return True
    # A masthead line such as "United Nations   A/RES/77/321" ends with the symbol.
    if top and symbol and len(t) < 60 and t.endswith(symbol):
        return True
    return False


def find_bands(pages: list[list[PageLine]], symbol: str | None) -> tuple[float, float]:
    """Depth of the running header and footer bands, measured from the page edges.

    Evidence is a line in the outer share of the page that is page furniture by
    its form, or whose text (digits aside) recurs at the same height on several
    pages. The bands reach down (up) to the deepest piece of evidence.
    """
    n_pages = len(pages)
    needed = max(2, math.ceil(0.3 * n_pages))
    top_depth = bottom_depth = -1.0
    positions: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    for lines in pages:
        for line in lines:
            height = line.from_top + line.from_bottom
            if line.from_top < BAND_SHARE * height:
                band, depth = "top", line.from_top
            elif line.from_bottom < BAND_SHARE * height:
                band, depth = "bottom", line.from_bottom
            else:
                continue
            if _SEPARATOR_RE.match(line.text):
                continue
            if _is_furniture(line.text, symbol, band == "top"):
                if band == "top":
                    top_depth = max(top_depth, depth)
                else:
                    bottom_depth = max(bottom_depth, depth)
            positions[(band, _signature(line.text))].append((line.page, depth))
    if n_pages >= 2:
        for (band, _sig), seen in positions.items():
            by_depth: dict[int, set[int]] = defaultdict(set)
            for page, depth in seen:
                by_depth[round(depth / 4)].add(page)
            for bucket, page_set in by_depth.items():
                near = set(page_set) | by_depth.get(bucket - 1, set()) | by_depth.get(bucket + 1, set())
                if len(near) >= needed:
                    depth = max(d for p, d in seen if abs(round(d / 4) - bucket) <= 1)
                    if band == "top":
                        top_depth = max(top_depth, depth)
                    else:
                        bottom_depth = max(bottom_depth, depth)
    return top_depth, bottom_depth


def _body_size(pages: list[list[PageLine]]) -> float:
    weights = Counter()
    for lines in pages:
        for line in lines:
            weights[round(line.size * 2) / 2] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _split_footnotes(lines: list[PageLine], body_size: float, continuing: bool):
    """Split a page's lines into body lines and footnote lines.

    Footnotes are in small type at the foot of the page, below the last line of
    body type. They begin at the first of those lines that opens with a raised
    marker, or with a printed marker ("*", "1") right after a separator rule or
    as the first small line; small lines above that (a list in small type) stay
    in the body. Small lines after a separator with no marker continue the last
    footnote of the previous page.
    """
    small = 0.93 * body_size
    k = len(lines)
    while k > 0 and (lines[k - 1].size <= small or _SEPARATOR_RE.match(lines[k - 1].text)):
        k -= 1
    tail = lines[k:]
    for i, line in enumerate(tail):
        after_rule = i > 0 and _SEPARATOR_RE.match(tail[i - 1].text)
        if line.lead_marker is not None:
            return lines[: k + i], tail[i:]
        if (i == 0 or after_rule) and _PRINTED_MARKER_RE.match(line.text):
            return lines[: k + i], tail[i:]
        if after_rule and continuing and not _SEPARATOR_RE.match(line.text):
            return lines[: k + i], tail[i:]
    return lines, []


def _add_footnote_lines(lines: list[PageLine], notes: list[Footnote]) -> None:
    """Append the footnotes these lines open to ``notes``; other lines continue the last note."""
    for line in lines:
        marker, text = None, line.text
        if line.lead_marker is not None:
            marker = line.lead_marker
        else:
            match = _FOOTNOTE_START_RE.match(line.text)
            if match and (not notes or _plausible_next_marker(notes[-1].marker, match.group(1))):
                marker, text = match.group(1), match.group(2)
        if marker is not None:
            notes.append(Footnote(marker=marker, text=text, page=line.page))
        elif notes:
            last = notes[-1]
            notes[-1] = Footnote(last.marker, last.text + "\n" + text, last.page)


def _plausible_next_marker(last: str, candidate: str) -> bool:
    if last.isdigit() and candidate.isdigit():
        return int(candidate) > int(last) or int(candidate) == 1
    return True


def read_pdf(path: str | Path) -> RawDocument:
    """Read a PDF into lines, footnotes and first-page metadata."""
    path = Path(path)
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise PdfUnreadable("encrypted PDF: it needs a password to open; save an unencrypted copy")
        pages = list(reader.pages)
    except PdfUnreadable:
        raise
    except FileNotDecryptedError:
        raise PdfUnreadable("encrypted PDF: it needs a password to open; save an unencrypted copy") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        raise PdfUnreadable(f"not a readable PDF (damaged or truncated: {error})") from error
    if not pages:
        raise PdfUnreadable("the PDF has no pages")

    page_lines: list[list[PageLine]] = []
    warnings: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            lines = _read_page(page, number)
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
            warnings.append(f"page {number} could not be read ({error}); it is left out")
            lines = []
        page_lines.append(lines)
    if not any(page_lines):
        raise PdfUnreadable("no text layer (the pages are images, e.g. a scan); run OCR first")

    info_title = None
    try:
        info = reader.metadata
        info_title = str(info.title) if info is not None and info.title else None
    except Exception:
        info_title = None

    first_lines = [
        Line(text=nfkc(l.text), page=l.page, indent=round(l.x0, 1), size=round(l.size, 1), bold=l.bold)
        for l in page_lines[0]
    ]
    body_size = _body_size(page_lines)
    symbol = _find_symbol(page_lines, info_title)
    top_depth, bottom_depth = find_bands(page_lines, symbol)

    lines_out: list[Line] = []
    footnotes: list[Footnote] = []
    leading = _typical_leading(page_lines, body_size)
    for lines in page_lines:
        kept = [
            l for l in lines
            if not (top_depth >= 0 and l.from_top <= top_depth + 2.0)
            and not (bottom_depth >= 0 and l.from_bottom <= bottom_depth + 2.0)
        ]
        body, notes = _split_footnotes(kept, body_size, continuing=bool(footnotes))
        _add_footnote_lines(notes, footnotes)
        previous: PageLine | None = None
        for line in body:
            if _SEPARATOR_RE.match(line.text):
                continue
            if previous is not None:
                expected = leading * max(previous.size, line.size) / body_size
                if previous.y - line.y > 1.35 * expected:
                    lines_out.append(Line(text="", page=line.page))
            lines_out.append(
                Line(text=nfkc(line.text), page=line.page, indent=round(line.x0, 1), size=round(line.size, 1), bold=line.bold)
            )
            previous = line

    title = metadata.detect_title(first_lines, body_size)
    date = metadata.detect_date([l.text for l in first_lines])
    footnotes = [Footnote(nfkc(f.marker), nfkc(f.text), f.page) for f in footnotes]
    return RawDocument(
        path=str(path),
        lines=lines_out,
        footnotes=footnotes,
        symbol=symbol,
        title=title,
        date=date,
        page_count=len(pages),
        format="pdf",
        warnings=warnings,
    )


def _read_page(page, number: int) -> list[PageLine]:
    fonts: dict[str, _Font] = {}
    _collect_fonts(page.get("/Resources"), fonts, set())
    collector = _PageReader(fonts)
    page.extract_text(visitor_operand_before=collector.before, visitor_text=collector.text)
    box = page.mediabox
    top, bottom = float(box.top), float(box.bottom)
    lines = _group_lines(collector.runs, number)
    for line in lines:
        line.from_top = top - line.y
        line.from_bottom = line.y - bottom
    return lines


def _typical_leading(pages: list[list[PageLine]], body_size: float) -> float:
    gaps = Counter()
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - body_size) < 0.6 and abs(b.size - body_size) < 0.6:
                gap = round(a.y - b.y, 0)
                if 0 < gap < 3 * body_size:
                    gaps[gap] += 1
    return gaps.most_common(1)[0][0] if gaps else 1.2 * body_size


def _find_symbol(pages: list[list[PageLine]], info_title: str | None) -> str | None:
    """The document symbol: running header first, then the top of page 1, then /Title."""
    counts: Counter = Counter()
    for lines in pages[1:]:
        for line in lines:
            total = line.from_top + line.from_bottom
            if line.from_top < BAND_SHARE * total or line.from_bottom < BAND_SHARE * total:
                for found in metadata.find_symbols(line.text):
                    counts[found] += 1
    if counts:
        best, seen = counts.most_common(1)[0]
        if seen >= max(1, (len(pages) - 1) // 2):
            return best
    if pages:
        top_lines = [l for l in pages[0] if l.from_top < 0.2 * (l.from_top + l.from_bottom)]
        for line in sorted(top_lines, key=lambda l: -l.size):
            found = metadata.find_symbols(line.text)
            if found:
                return found[0]
    if info_title:
        found = metadata.find_symbols(info_title)
        if found and found[0] == info_title.strip():
            return found[0]
    if counts:
        return counts.most_common(1)[0][0]
    return None
