"""Readers: one per format, same signature ``read(path) -> RawDocument``, picked by suffix.

First stage of the flow (file -> lines). A reader knows its format and nothing
about paragraphs: it returns the document's physical lines (text, page, indent,
type size and weight where the format has them), the footnotes it found, and
whatever metadata it saw. Running headers and page numbers are removed here.

* ``.pdf``: :mod:`indexer.reading.pdf.layout` (the only module that imports pypdf).
* ``.txt``: UTF-8 text; form feeds or running-header blocks (the symbol line and a
  bare page number between pages) mark page breaks; leading spaces are the indent.
  A text with neither has no pages: its lines carry page 0 and its units no page.
* ``.md``: treaty text in Markdown; lines are kept as written for
  :mod:`indexer.units.treaties`.

A file that cannot be read raises :class:`ReaderError` with a reason a person
understands; :func:`indexer.extract.extract_document` adds the file name.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from indexer.reading import metadata
from indexer.models import Footnote, Line, RawDocument
from indexer.text.normalize import collapse_whitespace


class ReaderError(Exception):
    """A file this reader cannot turn into lines; ``reason`` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# A tab counts as this many spaces of indent.
TAB_WIDTH = 4
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
_TEXT_SEPARATOR_RE = re.compile(r"^(?:\s{10,}|\s*[_\u2014-]{5,}\s*)$")
_TEXT_FOOTNOTE_RE = re.compile(r"^\s*(\*{1,3}|[†‡]|\d{1,3})\s+(\S.*)$")
_SENTENCE_END = tuple(".:;!?”\"’)")


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str; a reason to fix the file when they are not UTF-8 text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise ReaderError(
            f"not UTF-8 text (byte 0x{byte:02x} at offset {error.start}); save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise ReaderError("not a text file (it contains NUL bytes)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _indent_of(raw: str) -> float:
    width = 0
    for char in raw:
        if char == " ":
            width += 1
        elif char == "\t":
            width += TAB_WIDTH
        else:
            break
    return float(width)


def _header_lines(lines: list[str]) -> set[str]:
    """Running-header lines of a text file: short lines with a symbol, or only
    an identifier, that recur."""
    counts: dict[str, int] = {}
    for raw in lines:
        stripped = raw.strip()
        if metadata.is_identifier(stripped):
            counts[stripped] = counts.get(stripped, 0) + 1
        elif stripped and len(stripped) <= 80 and metadata.find_symbols(stripped):
            rest = stripped
            for symbol in metadata.find_symbols(stripped):
                rest = rest.replace(symbol, "")
            if len(rest.strip(" |\t")) <= 20:
                counts[stripped] = counts.get(stripped, 0) + 1
    return {line for line, n in counts.items() if n >= 2}


def text_lines(text: str) -> tuple[list[Line], list[Footnote], int]:
    """Lines, footnotes and page count of a plain-text document (pure).

    Page breaks are form feeds, or blocks made only of a running-header line, a
    bare page number and blank lines. A printed page number gives the page of
    the lines after it. Footnotes are marker lines after a separator line (a row
    of spaces or underscores) at the foot of a page.
    """
    raw_lines = text.replace("\f", "\n\f\n").split("\n")
    headers = _header_lines(raw_lines)

    def blank(i: int) -> bool:
        return i < 0 or i >= len(raw_lines) or not raw_lines[i].strip()

    def is_header(i: int) -> bool:
        return raw_lines[i].strip() in headers

    def is_page_number(i: int) -> bool:
        stripped = raw_lines[i].strip()
        if not _PAGE_NUMBER_RE.match(stripped):
            return False
        near = [j for j in range(i - 4, i + 5) if 0 <= j < len(raw_lines) and j != i and raw_lines[j].strip()]
        if any(is_header(j) for j in near):
            return True
        return blank(i - 1) and blank(i + 1)

    out: list[Line] = []
    footnotes: list[Footnote] = []
    page = 1
    in_break = False
    i = 0
    while i < len(raw_lines):
        raw = raw_lines[i]
        stripped = raw.strip()
        if raw == "\f":
            if not in_break:
                _end_page(out)
                page += 1
            in_break = True
            i += 1
            continue
        if stripped and (is_header(i) or is_page_number(i)):
            if not in_break:
                _end_page(out)
                in_break = True
                page += 1
            if _PAGE_NUMBER_RE.match(stripped):
                number = int(re.findall(r"\d+", stripped)[0])
                # The printed number names the page that follows, unless it is
                # behind the count (a footer naming the page before).
                if number >= page:
                    page = number
            i += 1
            continue
        if _TEXT_SEPARATOR_RE.match(raw):
            j = i + 1
            while j < len(raw_lines) and not raw_lines[j].strip():
                j += 1
            if j < len(raw_lines) and _TEXT_FOOTNOTE_RE.match(raw_lines[j]) and not (
                is_header(j) or is_page_number(j)
            ):
                i = _read_text_footnotes(raw_lines, j, page, footnotes, is_header, is_page_number)
                continue
            out.append(Line(text="", page=page))
            i += 1
            continue
        if not stripped:
            if not in_break:
                out.append(Line(text="", page=page))
            i += 1
            continue
        in_break = False
        out.append(Line(text=raw.strip(), page=page, indent=_indent_of(raw)))
        i += 1
    return out, footnotes, page


def _end_page(out: list[Line]) -> None:
    """At a page break, keep a paragraph break only if the page ended a sentence."""
    while out and not out[-1].text:
        out.pop()
    if out and out[-1].text.rstrip().endswith(_SENTENCE_END):
        out.append(Line(text="", page=out[-1].page))


def _read_text_footnotes(raw_lines, j, page, footnotes, is_header, is_page_number) -> int:
    """Collect footnote lines from ``j`` to the page break; return the index after them."""
    while j < len(raw_lines):
        raw = raw_lines[j]
        if not raw.strip():
            j += 1
            continue
        if is_header(j) or is_page_number(j) or raw == "\f":
            break
        match = _TEXT_FOOTNOTE_RE.match(raw)
        if match:
            footnotes.append(Footnote(marker=match.group(1), text=match.group(2).strip(), page=page))
        elif footnotes:
            last = footnotes[-1]
            footnotes[-1] = Footnote(last.marker, last.text + "\n" + raw.strip(), last.page)
        j += 1
    return j


def read_text(path: str | Path) -> RawDocument:
    """Read a UTF-8 text document."""
    path = Path(path)
    text = decode_text(path.read_bytes())
    lines, footnotes, pages = text_lines(text)
    raw_texts = [l.text for l in lines]
    if not any(raw_texts):
        raise ReaderError("the file has no text")
    warnings = []
    if pages == 1 and "\f" not in text:
        # No form feed and no printed page number: the text has no pages, so no
        # unit claims one (page 0 stands for "none").
        lines = [Line(l.text, 0, l.indent, l.size, l.bold) for l in lines]
        footnotes = [Footnote(f.marker, f.text, 0) for f in footnotes]
        warnings.append("no page breaks in the text (no form feeds or printed page numbers); units have no page")
    symbol = metadata.symbol_from_lines(text.split("\n"))
    first = metadata.title_block_texts(lines)
    return RawDocument(
        path=str(path),
        lines=lines,
        footnotes=footnotes,
        symbol=symbol,
        title=metadata.detect_title([l for l in lines if l.text][:40]),
        date=metadata.detect_date(first),
        page_count=pages,
        format="txt",
        warnings=warnings,
    )


def read_markdown(path: str | Path) -> RawDocument:
    """Read a Markdown treaty text; lines are kept as written (headings with their #)."""
    path = Path(path)
    text = decode_text(path.read_bytes())
    lines = [Line(text=raw.rstrip(), page=0, indent=_indent_of(raw)) for raw in text.split("\n")]
    if not any(l.text.strip() for l in lines):
        raise ReaderError("the file has no text")
    title = None
    for line in lines:
        if line.text.startswith("#"):
            title = collapse_whitespace(line.text.lstrip("#"))
            break
    date = metadata.done_date([line.text for line in lines])
    return RawDocument(path=str(path), lines=lines, title=title, date=date, page_count=0, format="md")


def read_pdf(path: str | Path) -> RawDocument:
    """Read a PDF through :mod:`indexer.reading.pdf.layout`."""
    from indexer.reading.pdf import layout as pdf_layout  # pypdf is loaded only when a PDF is read

    try:
        return pdf_layout.read_pdf(path)
    except pdf_layout.PdfUnreadable as error:
        raise ReaderError(error.reason) from None


READERS: dict[str, Callable[[str | Path], RawDocument]] = {
    ".pdf": read_pdf,
    ".txt": read_text,
    ".md": read_markdown,
}


def read(path: str | Path) -> RawDocument:
    """Read ``path`` with the reader for its suffix."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ReaderError(f"unsupported file type '{path.suffix or '(none)'}' (supported: {known})")
    return reader(path)
