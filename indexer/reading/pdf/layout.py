"""PDF reader: pages -> positioned text runs -> physical lines, running headers removed.

With ``pdf_text``, the only modules that import pypdf. pypdf opens the file;
``pdf_text`` turns each page's content into positioned runs; here runs are
grouped into lines by baseline and ordered by x.

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
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PyPdfError

from indexer.reading import metadata
from indexer.models import Footnote, Line, RawDocument
from indexer.reading.pdf.page_text import COLUMN_GAP, WORD_GAP, Run, page_content
from indexer.reading.pdf.text_layer import STRAY_SHARE, text_layer_stats
from indexer.text.normalize import collapse_whitespace, nfkc

# Running header/footer material recognised by its form alone.
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE)
# The UN job number stamped on a page: "23-15249 (E)  080823  090823" (New York),
# "GE.15-02345", "V.15-01234" (Geneva, Vienna), "K1503487" (Nairobi), with an
# asterisk after the number on drafts, the language letter of any edition and
# the dates it was typed and reissued; a page count beside it on some.
_JOB_NUMBER_RE = re.compile(
    r"^(?:\d{1,4}/\d{1,4}\s+)?(?:(?:GE|V)\.)?(?:\d{2}-\d{5}|K\d{7})\s*\*?(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}"
    r"(?:\s+\d{1,4}/\d{1,4})?$"
)
_BARCODE_RE = re.compile(r"^\*\d{5,}\*$")
_SEPARATOR_RE = re.compile(r"^[_\u2014\u2013\-]{5,}$")
_FOOTNOTE_START_RE = re.compile(r"^(\*{1,3}|[†‡§]|\d{1,3}|[a-z])(?:[.)])?\s+(\S.*)$")
# A footnote marker printed in line, not raised: "*  UNEP(DTIE)/Hg/INC.1/1."
_PRINTED_MARKER_RE = re.compile(r"^(\*{1,3}|[†‡§]|\d{1,3})\s+\S")
_REFERENCE_MARKER_RE = re.compile(r"^(?:\*{1,3}|[†‡§]|\d{1,3}|[a-z])$")
# Share of the page height that can hold running headers or footers.
BAND_SHARE = 0.15
# A PDF is refused when at least this share of its judged pages does not read as
# text (fonts without a Unicode map); fewer such pages are left out with a warning.
UNREADABLE_PAGES_SHARE = 0.5
# A page is taken as an image of text (a scanned page) when its images cover at
# least this share of it and it has fewer characters of text than a page's
# running header and footer hold.
IMAGE_PAGE_SHARE = 0.5
IMAGE_PAGE_MAX_CHARACTERS = 200


class PdfUnreadable(Exception):
    """The PDF cannot be read; ``reason`` says why in words a person understands."""

    def __init__(self, reason: str, environmental: bool = False):
        super().__init__(reason)
        self.reason = reason
        # True when the machine, not the file, is at fault (a missing library):
        # such a failure is not remembered as a fact about the file.
        self.environmental = environmental


def _limit_reason(error: Exception) -> str:
    return (
        f"a compressed stream expands past pypdf's decompression limit ({error}): "
        "a decompression bomb, or a file too large to read safely"
    )


def _dependency_reason(error: Exception) -> str:
    return f"a library needed to read this PDF is missing ({error}); install it and index again"


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


def is_furniture(text: str, symbol: str | None, top: bool = True) -> bool:
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
            if is_furniture(line.text, symbol, band == "top"):
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
            except DependencyError as error:  # AES needs the cryptography package
                raise PdfUnreadable(_dependency_reason(error), environmental=True) from None
            except Exception:
                ok = 0
            if not ok:
                raise PdfUnreadable("encrypted PDF: it needs a password to open; save an unencrypted copy")
        pages = list(reader.pages)
    except PdfUnreadable:
        raise
    except DependencyError as error:
        raise PdfUnreadable(_dependency_reason(error), environmental=True) from None
    except LimitReachedError as error:
        raise PdfUnreadable(_limit_reason(error)) from None
    except FileNotDecryptedError:
        raise PdfUnreadable("encrypted PDF: it needs a password to open; save an unencrypted copy") from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
        raise PdfUnreadable(f"not a readable PDF (damaged or truncated: {error})") from error
    if not pages:
        raise PdfUnreadable("the PDF has no pages")

    page_lines: list[list[PageLine]] = []
    warnings: list[str] = []
    font_cache: dict = {}
    image_pages: list[int] = []
    for number, page in enumerate(pages, start=1):
        try:
            lines, image_share = _read_page(page, number, font_cache)
            if image_share >= IMAGE_PAGE_SHARE and sum(len(l.text) for l in lines) < IMAGE_PAGE_MAX_CHARACTERS:
                image_pages.append(number)
        except LimitReachedError as error:  # not "no text layer": the text is there, too big to read
            raise PdfUnreadable(_limit_reason(error)) from None
        except DependencyError as error:
            raise PdfUnreadable(_dependency_reason(error), environmental=True) from None
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as error:
            warnings.append(f"page {number} could not be read ({error}); it is left out")
            lines = []
        page_lines.append(lines)
    if not any(page_lines):
        raise PdfUnreadable("no text layer (the pages are images, e.g. a scan); run OCR first")
    if image_pages:
        warnings.append(
            f"{_pages_phrase(image_pages)} {'is an image' if len(image_pages) == 1 else 'are images'} with little "
            f"or no text (scanned?): what {'it shows' if len(image_pages) == 1 else 'they show'} is not indexed; "
            f"run OCR on the file to index it"
        )
    _drop_unreadable_pages(page_lines, warnings)

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
    recurring = _recurring_signatures(page_lines)
    for lines in page_lines:
        kept = _drop_furniture(lines, top_depth, bottom_depth, symbol, recurring)
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


def _recurring_signatures(pages: list[list[PageLine]]) -> set[str]:
    """Texts (digits aside) printed on several pages: running headers and footers."""
    needed = max(2, math.ceil(0.3 * len(pages)))
    seen: dict[str, set[int]] = defaultdict(set)
    for lines in pages:
        for line in lines:
            seen[_signature(line.text)].add(line.page)
    return {sig for sig, pages_seen in seen.items() if len(pages_seen) >= needed}


def _drop_furniture(lines: list[PageLine], top_depth: float, bottom_depth: float, symbol: str | None,
                    recurring: set[str]) -> list[PageLine]:
    """A page's lines without its running header and footer.

    Inside the bands, a line goes when it is furniture by its form, repeats across
    pages, or sits on the outer side of such a line; a body line that reaches into
    the band on one page (the first paragraph under a header of several lines) stays.
    """
    def furniture(line: PageLine, top: bool) -> bool:
        return is_furniture(line.text, symbol, top) or _signature(line.text) in recurring \
            or bool(_SEPARATOR_RE.match(line.text))

    in_top = [l for l in lines if top_depth >= 0 and l.from_top <= top_depth + 2.0]
    in_bottom = [l for l in lines if bottom_depth >= 0 and l.from_bottom <= bottom_depth + 2.0 and l not in in_top]
    top_edge = max((l.from_top for l in in_top if furniture(l, True)), default=-1.0)
    bottom_edge = max((l.from_bottom for l in in_bottom if furniture(l, False)), default=-1.0)
    dropped = {id(l) for l in in_top if l.from_top <= top_edge + 0.5 or furniture(l, True)}
    dropped |= {id(l) for l in in_bottom if l.from_bottom <= bottom_edge + 0.5 or furniture(l, False)}
    return [l for l in lines if id(l) not in dropped]


def _drop_unreadable_pages(page_lines: list[list[PageLine]], warnings: list[str]) -> None:
    """Refuse a PDF whose text layer decodes to wrong characters; leave out single such pages.

    Judged by :mod:`indexer.reading.pdf.text_layer` from each page's own characters.
    """
    stats = [text_layer_stats("\n".join(l.text for l in lines)) for lines in page_lines]
    judged = [s for s in stats if s.characters]
    bad = [n for n, s in enumerate(stats, start=1) if not s.readable]
    if not bad:
        return
    worst = max(stats[n - 1].share for n in bad)
    if len(bad) >= UNREADABLE_PAGES_SHARE * len(judged):
        raise PdfUnreadable(
            f"the text layer does not decode to readable text on {len(bad)} of {len(judged)} pages "
            f"(up to {worst:.0%} of the characters are control codes, unassigned code points or letters of "
            f"unrelated scripts: its fonts have no usable Unicode map); run OCR on it, or index a text "
            f"rendition (.txt) of the document instead"
        )
    for n in bad:
        page_lines[n - 1] = []
    warnings.append(
        f"{_pages_phrase(bad)} left out: the text does not decode to readable characters "
        f"(over {STRAY_SHARE:.0%} stray characters, up to {worst:.0%}); run OCR on {'them' if len(bad) > 1 else 'it'}"
    )


def _pages_phrase(numbers: list[int]) -> str:
    """"page 3" or "pages 3, 7, 9"."""
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(str(n) for n in numbers)


def _read_page(page, number: int, font_cache: dict) -> tuple[list[PageLine], float]:
    """The page's lines, and the share of the page its images cover."""
    box = page.mediabox
    top, bottom = float(box.top), float(box.bottom)
    runs, image_area = page_content(page, font_cache)
    lines = _group_lines(runs, number)
    for line in lines:
        line.from_top = top - line.y
        line.from_bottom = line.y - bottom
    area = abs(float(box.width) * float(box.height))
    return lines, (image_area / area if area else 0.0)


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
    """The document symbol: running header first, then the top of page 1, then
    /Title, then an identifier the running header repeats."""
    counts: Counter = Counter()
    for lines in pages[1:]:
        for line in lines:
            if _in_band(line):
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
    identifier = metadata.header_identifier([[l.text for l in lines if _in_band(l)] for lines in pages])
    if identifier:
        return identifier
    if counts:
        return counts.most_common(1)[0][0]
    return None


def _in_band(line: PageLine) -> bool:
    """Whether the line is in the page's header or footer band."""
    total = line.from_top + line.from_bottom
    return line.from_top < BAND_SHARE * total or line.from_bottom < BAND_SHARE * total
