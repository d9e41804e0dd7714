"""PDF reader: pages -> positioned text runs -> physical lines, running headers removed.

The only module that imports pypdf. pypdf opens the file, decompresses the page
content and decodes fonts (encodings, ToUnicode maps); the page's operators are
read by ``content_stream.operations`` and followed here: text matrix composed
with the CTM, font, character and word spacing, TJ kerning, forms painted by
``Do``. Every string shown gets the extent of its visible glyphs on the page;
pieces that continue each other on one baseline are joined into runs, with a
space only where the gap between them is a word space or a space glyph stands
between them (real UN PDFs set a word in several pieces, "Agr" / "eement", or
one TJ string per glyph). Runs are grouped into lines by baseline and ordered
by x. pypdf's ``extract_text`` is not used: it builds a text of its own (with
its own spacing guesses) that this reader would throw away, and it costs more
than everything this module does.

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
from dataclasses import dataclass
from pathlib import Path

import pypdf
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError
from pypdf.generic._font import Font as PdfFont  # encodings and ToUnicode maps, as pypdf's extract_text reads them

from indexer import metadata
from indexer.content_stream import operations
from indexer.models import Footnote, Line, RawDocument
from indexer.textnorm import collapse_whitespace, nfkc

try:  # widths of the 14 standard fonts, which PDFs may use without /Widths
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS as _CORE_METRICS
except Exception:  # pragma: no cover - older or newer pypdf layout
    _CORE_METRICS = {}

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Operators that place or show text; the rest (paths, colours, marked content) are skipped.
_TEXT_OPERATORS = frozenset([
    b"q", b"Q", b"cm", b"BT", b"Tf", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Td", b"TD", b"Tm", b"T*",
    b"Tj", b"'", b'"', b"TJ", b"Do",
])
# Forms painting forms: deeper nesting than this is not read.
_MAX_FORM_DEPTH = 8

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
# A space glyph between two pieces separates words only if it leaves at least this
# much room: some PDFs show a space and kern back over it ("received ;").
SPACE_GLYPH_GAP = 0.05


class PdfUnreadable(Exception):
    """The PDF cannot be read; ``reason`` says why in words a person understands."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Run:
    """A piece of text on one baseline in one size and weight, with its visible extent on the page."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool


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


class _Font:
    """What the reader needs of a font: code length, widths by code, weight, and
    the text each code stands for (by the font's encoding and ToUnicode map, as
    pypdf reads them)."""

    def __init__(self, widths: dict[int, float], default: float, two_byte: bool, bold: bool,
                 encoding: str | dict[int, str] = "cp1252", character_map: dict | None = None):
        self.widths = widths
        self.default = default
        self.two_byte = two_byte
        self.bold = bold
        self.encoding = encoding
        self.character_map = character_map or {}
        self.texts: dict[int, str] = {}  # filled by text_of
        self._byte_tables: tuple[dict[int, str], list[float], bytes] | None = None

    def text_of(self, code: int) -> str:
        """The text of one character code ("" for a code that shows nothing)."""
        text = self.texts.get(code)
        if text is None:
            raw = code.to_bytes(2 if self.two_byte else 1, "big")
            encoding = self.encoding
            if isinstance(encoding, dict):
                decoded = "".join(encoding.get(byte, chr(byte)) for byte in raw)
            else:
                try:
                    decoded = raw.decode(encoding, "surrogatepass")
                except (UnicodeDecodeError, LookupError):
                    decoded = raw.decode("latin-1")
            cmap = self.character_map
            text = "".join(cmap.get(char, char) for char in decoded)
            self.texts[code] = text
        return text

    def byte_tables(self) -> tuple[dict[int, str], list[float], bytes]:
        """For a single-byte font: a ``str.translate`` table from code to text,
        the width of every code, and the codes that show nothing visible."""
        if self._byte_tables is None:
            texts = [self.text_of(code) for code in range(256)]
            self._byte_tables = (
                dict(enumerate(texts)),
                [self.widths.get(code, self.default) for code in range(256)],
                bytes(code for code, text in enumerate(texts) if not text.strip()),
            )
        return self._byte_tables


_UNKNOWN_FONT = _Font({}, 500.0, False, False)


class _GraphicsState:
    """The part of the graphics state that places text: CTM, font and text parameters."""

    __slots__ = ("ctm", "font", "size", "char_spacing", "word_spacing", "scale", "leading", "rise")

    def __init__(self, ctm=_IDENTITY):
        self.ctm = ctm
        self.font: _Font | None = None
        self.size = 12.0
        self.char_spacing = 0.0
        self.word_spacing = 0.0
        self.scale = 1.0
        self.leading = 0.0
        self.rise = 0.0

    def copy(self) -> "_GraphicsState":
        other = _GraphicsState.__new__(_GraphicsState)
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        return other


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


def _numbers(args, count: int) -> tuple[float, ...] | None:
    """The first ``count`` operands as numbers, or None when they are not."""
    if len(args) < count:
        return None
    values = args[:count]
    return tuple(values) if all(type(v) is float for v in values) else None


def _font_from_dict(font_dict) -> _Font:
    """Widths (in 1/1000 of the font size), weight and text decoding of a PDF font dictionary."""
    font_dict = font_dict.get_object() if hasattr(font_dict, "get_object") else font_dict
    base = str(font_dict.get("/BaseFont", ""))
    bold = bool(_BOLD_RE.search(base))
    try:
        decoding = PdfFont.from_font_resource(font_dict)
        encoding, character_map = decoding.encoding, decoding.character_map
    except Exception:  # noqa: BLE001 - a font pypdf cannot decode: read its codes as Windows-1252
        encoding, character_map = "cp1252", {}
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
        return _Font(widths, default, True, bold, encoding, character_map)
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
    return _Font(widths, default, False, bold, encoding, character_map)


class _PageReader:
    """Follows a page's content stream (and the forms it paints) and collects its text as runs.

    Each string shown becomes a piece with the extent of its visible glyphs; a
    piece that continues the previous one on the same baseline, in the same size
    and weight, is joined to it (with a space where the gap between them is a
    word space or a space glyph stands between them), so a line set in many
    small pieces ("Agr" / "eement", one TJ string per glyph) becomes one run.
    """

    def __init__(self, font_cache: dict):
        self.runs: list[Run] = []
        self._open: Run | None = None
        self._space_after = False  # a space glyph was shown after the open run
        self._fonts_by_resources: dict[int, dict[str, _Font]] = {}
        self._font_cache = font_cache  # shared by the pages of a document: fonts recur on every page
        self._forms_open: set[int] = set()

    def read(self, data: bytes, resources, state: _GraphicsState, depth: int = 0) -> None:
        fonts = self._fonts(resources)
        stack: list[_GraphicsState] = []
        tm = tlm = _IDENTITY
        for op, args in operations(data):
            if op not in _TEXT_OPERATORS:
                continue
            if op == b"TJ":
                if args and type(args[0]) is list:
                    tm = self._show(args[0], state, tm)
            elif op == b"Tj":
                if args and type(args[0]) is bytes:
                    tm = self._show(args[:1], state, tm)
            elif op == b"Tm":
                values = _numbers(args, 6)
                if values is not None:
                    tm = tlm = values
            elif op == b"Td" or op == b"TD":
                values = _numbers(args, 2)
                if values is not None:
                    tx, ty = values
                    if op == b"TD":
                        state.leading = -ty
                    tm = tlm = _mult((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
            elif op == b"Tf":
                if len(args) >= 2 and type(args[0]) is str:
                    state.font = fonts.get(args[0])
                    state.size = _num(args[1], state.size)
            elif op == b"BT":
                tm = tlm = _IDENTITY
            elif op == b"T*":
                tm = tlm = _mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
            elif op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
            elif op == b"cm":
                values = _numbers(args, 6)
                if values is not None:
                    state.ctm = _mult(values, state.ctm)
            elif op == b"Tc":
                state.char_spacing = _num(args[0]) if args else 0.0
            elif op == b"Tw":
                state.word_spacing = _num(args[0]) if args else 0.0
            elif op == b"Tz":
                state.scale = _num(args[0], 100.0) / 100.0 if args else 1.0
            elif op == b"TL":
                state.leading = _num(args[0]) if args else 0.0
            elif op == b"Ts":
                state.rise = _num(args[0]) if args else 0.0
            elif op == b"'":
                tm = tlm = _mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
                if args and type(args[0]) is bytes:
                    tm = self._show(args[:1], state, tm)
            elif op == b'"':
                if len(args) >= 3 and type(args[2]) is bytes:
                    state.word_spacing = _num(args[0])
                    state.char_spacing = _num(args[1])
                    tm = tlm = _mult((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), tlm)
                    tm = self._show(args[2:3], state, tm)
            elif op == b"Do":
                if args and type(args[0]) is str and depth < _MAX_FORM_DEPTH:
                    self._paint_form(args[0], resources, state, depth)

    def finish(self) -> list[Run]:
        if self._open is not None:
            self.runs.append(self._open)
            self._open = None
        return self.runs

    def _paint_form(self, name: str, resources, state: _GraphicsState, depth: int) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is None:
            return
        ref = xobjects.get_object().get(name)
        form = ref.get_object() if ref is not None else None
        if form is None or form.get("/Subtype") != "/Form" or id(form) in self._forms_open:
            return
        matrix = form.get("/Matrix")
        values = tuple(_num(v) for v in matrix) if matrix is not None and len(matrix) == 6 else _IDENTITY
        own = form.get("/Resources")
        inner = state.copy()
        inner.ctm = _mult(values, state.ctm)
        self._forms_open.add(id(form))  # a form that paints itself is read once
        try:
            self.read(form.get_data(), own.get_object() if own is not None else resources, inner, depth + 1)
        finally:
            self._forms_open.discard(id(form))

    def _fonts(self, resources) -> dict[str, _Font]:
        """Fonts by resource name for one resource dictionary (a page's or a form's)."""
        if resources is None:
            return {}
        key = id(resources)
        fonts = self._fonts_by_resources.get(key)
        if fonts is None:
            fonts = {}
            font_resources = resources.get("/Font")
            if font_resources is not None:
                for name, ref in font_resources.get_object().items():
                    font_dict = ref.get_object()
                    key = (ref.idnum, ref.generation) if hasattr(ref, "idnum") else id(font_dict)
                    font = self._font_cache.get(key)
                    if font is None:
                        try:
                            font = _font_from_dict(font_dict)
                        except Exception:  # noqa: BLE001 - a broken font dictionary: estimate its widths
                            font = _Font({}, 500.0, False, False)
                        self._font_cache[key] = font
                    fonts[name] = font
            self._fonts_by_resources[key] = fonts
        return fonts

    def _show(self, items, state: _GraphicsState, tm) -> tuple:
        """Place the strings of a TJ array (strings and kerning numbers) or one
        string (``(string,)``); return the text matrix after them.

        A string's visible text is taken as it is, spaces within it included;
        between strings, pieces that continue each other are joined by the
        same rules as ``_add`` joins pieces (a space where the gap is a word
        space or a space glyph leaves room), so text set glyph by glyph or
        kerned word by word costs a loop step per string, not a piece each.
        """
        font = state.font or _UNKNOWN_FONT
        single_byte = not font.two_byte
        factor, spacing, h_scale = state.size / 1000.0, state.char_spacing, state.scale
        word_spacing = state.word_spacing if single_byte else 0.0  # Tw widens single-byte code 32 only
        kerning = state.size * h_scale / 1000.0
        known, widths_get, default = font.texts, font.widths.get, font.default
        code_length = 1 if single_byte else 2
        if single_byte:
            table, code_widths, blanks = font.byte_tables()
            width_of = code_widths.__getitem__

            def advance(codes) -> float:
                return (sum(map(width_of, codes)) * factor + spacing * len(codes)
                        + word_spacing * codes.count(32)) * h_scale
        else:

            def advance(codes) -> float:
                return (sum(widths_get(code, default) for code in codes) * factor + spacing * len(codes)) * h_scale
        m = _mult(tm, state.ctm)
        x_scale = math.hypot(m[0], m[1])
        scale_y = math.hypot(m[2], m[3])
        size = state.size * scale_y
        origin = m[4]
        join_below, split_below, split_above = WORD_GAP * size, -0.5 * size, COLUMN_GAP * size
        space_room = SPACE_GLYPH_GAP * size
        x = 0.0  # advance so far, in text space
        parts: list[str] = []  # the piece being built
        start = end = 0.0  # its visible extent on the page
        space_before = spaced = False
        for item in items:
            if type(item) is float:
                x -= item * kerning
                continue
            if type(item) is not bytes or not item:
                continue
            if len(item) == code_length:  # one glyph per string is common: the short way
                code = item[0] if single_byte else (item[0] << 8) | item[1]
                text = known[code] if code in known else font.text_of(code)
                total = (widths_get(code, default) * factor + spacing + (word_spacing if code == 32 else 0.0)) * h_scale
                if not text or text.isspace():
                    spaced = True
                    x += total
                    continue
                left_offset, right_offset, trailing = 0.0, total, False
            else:
                if single_byte:
                    codes = item
                    rest = codes.lstrip(blanks)
                    lead = len(codes) - len(rest)
                    visible = rest.rstrip(blanks)
                    trail = len(rest) - len(visible)
                    text = visible.decode("latin-1").translate(table)
                else:
                    codes = [(item[i] << 8) | item[i + 1] for i in range(0, len(item) - 1, 2)]
                    texts = [font.text_of(code) for code in codes]
                    lead, stop = 0, len(codes)
                    while lead < stop and not texts[lead].strip():
                        lead += 1
                    while stop > lead and not texts[stop - 1].strip():
                        stop -= 1
                    text = "".join(texts[lead:stop])
                    trail = len(codes) - stop
                total = advance(codes)
                if not text:  # only spaces
                    spaced = True
                    x += total
                    continue
                left_offset = advance(codes[:lead]) if lead else 0.0
                right_offset = total - (advance(codes[len(codes) - trail:]) if trail else 0.0)
                spaced = spaced or lead > 0
                trailing = trail > 0
            left = origin + (x + left_offset) * x_scale
            if not parts:
                start, space_before = left, spaced
            else:
                gap = left - end
                if gap < split_below or gap > split_above:
                    self._add("".join(parts), start, end, m[5] + state.rise * scale_y, size, font.bold,
                              space_before, False)
                    parts, start, space_before = [], left, spaced
                elif gap > join_below or (spaced and gap > space_room):
                    parts.append(" ")
            parts.append(text)
            end = origin + (x + right_offset) * x_scale
            spaced = trailing
            x += total
        if parts:
            self._add("".join(parts), start, end, m[5] + state.rise * scale_y, size, font.bold, space_before, spaced)
        elif spaced:
            self._space_after = True
        return (tm[0], tm[1], tm[2], tm[3], tm[4] + x * tm[0], tm[5] + x * tm[1])

    def _add(self, text: str, x0: float, x1: float, y: float, size: float, bold: bool,
             space_before: bool, space_after: bool) -> None:
        run = self._open
        if run is not None:
            gap = x0 - run.x1
            if (
                run.bold == bold
                and abs(run.y - y) <= 0.02 * size
                and abs(run.size - size) <= 0.02 * size
                and -0.5 * size <= gap <= COLUMN_GAP * size
            ):
                spaced = space_before or self._space_after
                if gap > WORD_GAP * size or (spaced and gap > SPACE_GLYPH_GAP * size):
                    run.text += " " + text
                else:
                    run.text += text
                run.x1 = max(run.x1, x1)
                self._space_after = space_after
                return
            self.runs.append(run)
        self._open = Run(text, x0, x1, y, size, bold)
        self._space_after = space_after


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
    font_cache: dict = {}
    for number, page in enumerate(pages, start=1):
        try:
            lines = _read_page(page, number, font_cache)
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


def _read_page(page, number: int, font_cache: dict) -> list[PageLine]:
    reader = _PageReader(font_cache)
    contents = page.get_contents()
    if contents is not None:
        resources = page.get("/Resources")
        reader.read(contents.get_data(), resources.get_object() if resources is not None else None, _GraphicsState())
    box = page.mediabox
    top, bottom = float(box.top), float(box.bottom)
    lines = _group_lines(reader.finish(), number)
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
