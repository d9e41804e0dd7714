"""The public entry of extraction: a file in, a Document of citable units out.

``extract_document(path)`` picks the reader by suffix (:mod:`indexer.reading.readers`),
turns its lines into units (:mod:`indexer.units.un_layout` for UN documents,
:mod:`indexer.units.treaties` for treaty texts: Markdown ones, and PDFs or plain
texts whose own structure is a treaty's, see :mod:`indexer.units.treaty_layout`)
and settles the metadata
(symbol, title, date), saying in ``Document.warnings`` what had to be guessed.
Any file that cannot be read raises :class:`ExtractionError` with the path and a
reason a person understands; callers record it and go on with the next file.
"""
from __future__ import annotations

from pathlib import Path

from indexer.reading import metadata

from indexer.reading import readers
from indexer.models import Document
from indexer.units.un_layout import split_units
from indexer.units.treaties import split_treaty
from indexer.units.treaty_layout import is_treaty_layout, treaty_lines

SUPPORTED_SUFFIXES = frozenset(readers.READERS)

# Part of the index's version stamp and of the extraction cache key: bump it
# whenever a change to reading or splitting alters units, so cached
# extractions are read again instead of reused.
EXTRACTOR_VERSION = "5"


class ExtractionError(Exception):
    """A file that could not be turned into units; ``path`` and ``reason`` say which and why."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(path).name}: {reason}")


def extract_document(path: str | Path) -> Document:
    """Read ``path`` and return its citable units in order, with symbol, title and date."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        known = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ExtractionError(path, f"unsupported file type '{path.suffix or '(none)'}' (supported: {known})")
    if not path.is_file():
        raise ExtractionError(path, "no such file")
    if path.stat().st_size == 0:
        raise ExtractionError(path, "empty file (0 bytes)")
    try:
        raw = readers.read(path)
    except readers.ReaderError as error:
        raise ExtractionError(path, error.reason) from None
    except RecursionError:
        raise ExtractionError(path, "the file is too deeply nested to read (damaged?)") from None
    except Exception as error:  # a reader library failing on a damaged file
        raise ExtractionError(path, f"could not be read ({type(error).__name__}: {error})") from error

    warnings = list(raw.warnings)
    if raw.format == "md" or is_treaty_layout(raw.lines):
        if raw.format == "md":
            symbol, title, units = split_treaty(raw.lines, raw.title, raw.date)
        else:  # the title is the one the layout found (the reader's guess may be a heading)
            lines = treaty_lines(raw.lines, raw.title)
            symbol, title, units = split_treaty(lines, None, raw.date, paged=raw.format == "pdf", markdown=False)
        if not symbol:
            symbol = path.stem
            warnings.append("no treaty title found; the file name is used as its name")
    else:
        symbol = raw.symbol
        if not symbol:
            symbol = metadata.symbol_from_filename(path.stem)
            if symbol:
                warnings.append(f"no document symbol printed; {symbol} taken from the file name")
            else:
                symbol = path.stem
                warnings.append("no document symbol found; the file name is used instead")
        title = raw.title or ""
        if not title:
            warnings.append("no title found")
        units = split_units(raw.lines, symbol, title, footnotes=raw.footnotes, date=raw.date)
    if not raw.date:
        warnings.append("no date printed on the first page" if raw.format == "pdf" else "no date found")
    if not units:
        raise ExtractionError(path, "no paragraphs found in the text")
    return Document(
        path=str(path),
        symbol=symbol,
        title=title,
        date=raw.date,
        format=raw.format,
        page_count=raw.page_count,
        units=tuple(units),
        warnings=tuple(warnings),
    )
