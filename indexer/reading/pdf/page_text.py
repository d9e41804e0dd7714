"""PDF page content -> positioned text runs.

pypdf opens the file, decompresses the page content and decodes fonts
(encodings, ToUnicode maps, as its own ``extract_text`` reads them); the
page's operators are read by ``content_stream.operations`` and followed here:
text matrix composed with the CTM, font, character and word spacing, TJ
kerning, forms painted by ``Do``. Every string shown gets the extent of its
visible glyphs on the page; pieces that continue each other on one baseline,
in one size and weight, are joined into runs, with a space only where the gap
between them is a word space or a space glyph stands between them (real UN
PDFs set a word in several pieces, "Agr" / "eement", or one TJ string per
glyph). Runs become lines in ``pdf_layout``.

pypdf's ``extract_text`` is not used: it builds a text of its own (with its own
spacing guesses) that this reader would throw away, and costs three times what
this module does.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pypdf.generic._font import Font as PdfFont  # pypdf is pinned to 7.1.x for this module

from indexer.reading.pdf.content_stream import operations

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# Width of a glyph (1/1000 em) whose font says nothing of it: half an em, an average letter.
DEFAULT_GLYPH_WIDTH = 500.0
# Operators that place or show text; the rest (paths, colours, marked content) are skipped.
_TEXT_OPERATORS = frozenset([
    b"q", b"Q", b"cm", b"BT", b"Tf", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Td", b"TD", b"Tm", b"T*",
    b"Tj", b"'", b'"', b"TJ", b"Do",
])
# Forms painting forms: deeper nesting than this is not read.
_MAX_FORM_DEPTH = 8
# Text smaller than this (points on the page) has no height to read.
_MIN_SIZE = 0.01

# Font names that say bold.
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)

# Runs further apart than this many ems on one baseline are separate blocks.
COLUMN_GAP = 8.0
# Two runs are one word when the gap between them is below this share of the font size.
WORD_GAP = 0.15
# A space glyph between two pieces separates words only if it leaves at least this
# much room: some PDFs show a space and kern back over it ("received ;").
SPACE_GLYPH_GAP = 0.05


@dataclass
class Run:
    """A piece of text on one baseline in one size and weight, with its visible extent on the page."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool


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


_UNKNOWN_FONT = _Font({}, DEFAULT_GLYPH_WIDTH, False, False)


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
    """Widths (in 1/1000 of the font size), weight and text decoding of a PDF font dictionary.

    pypdf reads the font: encoding, ToUnicode map and widths (``/Widths``,
    a descendant's ``/W`` and ``/DW``, the metrics of the 14 standard fonts),
    keyed by the character of each code; only the weight is judged here."""
    font_dict = font_dict.get_object() if hasattr(font_dict, "get_object") else font_dict
    two_byte = font_dict.get("/Subtype") == "/Type0"
    bold = bool(_BOLD_RE.search(str(font_dict.get("/BaseFont", ""))))
    try:
        decoded = PdfFont.from_font_resource(font_dict)
    except Exception:  # noqa: BLE001 - a font pypdf cannot read: its codes as Windows-1252, one width
        return _Font({}, DEFAULT_GLYPH_WIDTH, two_byte, bold)
    named = decoded.character_widths
    widths = {ord(char): _num(width) for char, width in named.items() if len(char) == 1}
    default = _num(named.get("default"), DEFAULT_GLYPH_WIDTH) or DEFAULT_GLYPH_WIDTH
    if _BOLD_RE.search(decoded.font_descriptor.name or ""):
        bold = True
    return _Font(widths, default, two_byte, bold, decoded.encoding, decoded.character_map)


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
        self.image_area = 0.0  # page area covered by the images painted (square points)
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
        if form is not None and form.get("/Subtype") == "/Image":
            # An image fills the unit square of the current matrix.
            a, b, c, d, _e, _f = state.ctm
            self.image_area += abs(a * d - b * c)
            return
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
                            font = _Font({}, DEFAULT_GLYPH_WIDTH, False, False)
                        self._font_cache[key] = font
                    fonts[name] = font
            self._fonts_by_resources[key] = fonts
        return fonts

    def _show(self, items, state: _GraphicsState, tm) -> tuple:
        """Place the strings of a TJ array (strings and kerning numbers) or one
        string (``(string,)``); return the text matrix after them.

        A string's visible text is taken as it is, spaces within it included;
        between strings, pieces are joined here by ``_joint``, the rule ``_add``
        joins pieces by, so text set glyph by glyph or kerned word by word
        costs a loop step per string, not a piece each.
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
        size = abs(state.size) * scale_y
        # Text without height (size 0, a collapsed matrix) shows nothing: placed, never read.
        add = self._add if size >= _MIN_SIZE else _ignore
        origin = m[4]
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
                joint = _joint(left - end, size, spaced)
                if joint is None:
                    add("".join(parts), start, end, m[5] + state.rise * scale_y, size, font.bold,
                              space_before, False)
                    parts, start, space_before = [], left, spaced
                elif joint:
                    parts.append(joint)
            parts.append(text)
            end = origin + (x + right_offset) * x_scale
            spaced = trailing
            x += total
        if parts:
            add("".join(parts), start, end, m[5] + state.rise * scale_y, size, font.bold, space_before, spaced)
        elif spaced:
            self._space_after = True
        return (tm[0], tm[1], tm[2], tm[3], tm[4] + x * tm[0], tm[5] + x * tm[1])

    def _add(self, text: str, x0: float, x1: float, y: float, size: float, bold: bool,
             space_before: bool, space_after: bool) -> None:
        run = self._open
        if run is not None:
            same_line = run.bold == bold and abs(run.y - y) <= 0.02 * size and abs(run.size - size) <= 0.02 * size
            joint = _joint(x0 - run.x1, size, space_before or self._space_after) if same_line else None
            if joint is not None:
                run.text += joint + text
                run.x1 = max(run.x1, x1)
                self._space_after = space_after
                return
            self.runs.append(run)
        self._open = Run(text, x0, x1, y, size, bold)
        self._space_after = space_after


def _joint(gap: float, size: float, spaced: bool) -> str | None:
    """How a piece continues the one before it on its baseline, ``gap`` after its end:
    None when it starts another block (far to the right, or back over it), else
    what goes between them: " " for a word space or a space glyph that leaves
    room, "" inside a word ("Agr" / "eement")."""
    if gap < -0.5 * size or gap > COLUMN_GAP * size:
        return None
    if gap > WORD_GAP * size or (spaced and gap > SPACE_GLYPH_GAP * size):
        return " "
    return ""


def _ignore(*_args) -> None:
    """Where the pieces of text that show nothing go."""


def page_content(page, font_cache: dict) -> tuple[list[Run], float]:
    """The text runs of one pypdf page and the area its images cover (square points);
    ``font_cache`` is shared by the pages of a document."""
    reader = _PageReader(font_cache)
    contents = page.get_contents()
    if contents is not None:
        resources = page.get("/Resources")
        reader.read(contents.get_data(), resources.get_object() if resources is not None else None, _GraphicsState())
    return reader.finish(), reader.image_area
