"""Nothing lost: every line of 8 or more words that pypdf reads on a page is in some unit.

For every PDF of ../shared/corpus, each line of pypdf's own ``extract_text`` with at
least ``MIN_WORDS`` words must appear (letters only, case-blind, its leading label
such as "12.", "(b)", "Pp3" or "Option 2:" set aside, since labels become ids) in
the text or section path of some unit. Lines a reader rightly leaves out are
exceptions, each with its reason: running headers and footers (the same text on
several pages), table-of-contents entries (a line ending in a page number after a
leader), lines of the title block kept as the document's title, and the front matter before the page of the first unit (title page). At
least ``KEPT_SHARE`` of the other lines must be kept, per document. PDFs refused
for an unreadable text layer are left out: nothing of them is indexed.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from extracted import extracted
from indexer.units.extract import ExtractionError

pypdf = pytest.importorskip("pypdf")

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MIN_WORDS = 8
KEPT_SHARE = 0.995
# A line printed on at least this many pages is a running header or footer.
REPEATED_ON_PAGES = 3
_LABEL_RE = re.compile(
    r"^\s*(?:\[?\(?[a-z]{1,5}[.)]|\[?\([A-Z]{2,8}\)\d+\.?|\[?[A-Z]?[a-z]?\d+(?:\.\d+)*\s*"
    r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)?\.?|\[?(?:Option|Alt\.?)\s*\(?\w{1,4}\)?:?|[•\-–])\s*"
)
_CONTENTS_ENTRY_RE = re.compile(r"(?:\.{3,}|…+|\s{2,}|\t)\s*\d{1,3}\s*$")



# pypdf sometimes prints a margin label at the end of its line: "Scale up benefits; (d)".
_TRAILING_LABEL_RE = re.compile(r"\s\(?[a-z]{1,5}\)\s*$")


def _strip_label(line: str) -> str:
    line = _TRAILING_LABEL_RE.sub("", line)
    for _ in range(3):
        stripped = _LABEL_RE.sub("", line, count=1)
        if stripped == line:
            break
        line = stripped
    return line


def _letters(text: str) -> str:
    # Compatibility forms (the "ﬁ" ligature) as the readers normalise them.
    return re.sub(r"[^a-z]+", "", unicodedata.normalize("NFKC", text).lower())


def _pdfs():
    if not CORPUS.is_dir():
        return []
    params = []
    for path in sorted(CORPUS.rglob("*.pdf")):
        relative = path.relative_to(CORPUS).as_posix()
        params.append(pytest.param(relative, id=relative))
    return params


def kept_lines(path: Path):
    """(kept, considered, exceptions by reason, lost lines) for one PDF."""
    document = extracted(path)
    units = document.units
    title = _letters(document.title)
    haystack = "\n".join(_letters(u.text) + "\n" + "\n".join(_letters(s) for s in u.section) for u in units)
    first_page = min((u.page for u in units if u.page), default=1)
    pages = [page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages]
    seen_on: dict[str, set[int]] = defaultdict(set)
    for number, text in enumerate(pages, start=1):
        for line in text.split("\n"):
            seen_on[_letters(line)].add(number)
    # Where the first unit starts on its page: what comes before it there is the title block.
    first_text = _letters(units[0].text)[:40] if units else ""
    first_page_letters = _letters(pages[first_page - 1]) if pages else ""
    body_starts = first_page_letters.find(first_text) if first_text else -1
    kept = considered = 0
    exceptions: dict[str, list[str]] = defaultdict(list)
    lost: list[tuple[int, str]] = []
    for number, text in enumerate(pages, start=1):
        for line in text.split("\n"):
            if len(line.split()) < MIN_WORDS:
                continue
            letters = _letters(_strip_label(line))
            if letters and letters in haystack:
                kept += 1
                considered += 1
            elif len(seen_on[_letters(line)]) >= REPEATED_ON_PAGES:
                exceptions["running header or footer"].append(line)
            elif _CONTENTS_ENTRY_RE.search(line):
                exceptions["table of contents entry"].append(line)
            elif letters and letters in title:
                exceptions["document title (title block, kept as the title)"].append(line)
            elif number < first_page or (
                    number == first_page and 0 <= first_page_letters.find(letters) < body_starts):
                exceptions["front matter or title block before the first unit"].append(line)
            else:
                considered += 1
                lost.append((number, line.strip()))
    return kept, considered, exceptions, lost


@pytest.mark.parametrize("relative", _pdfs())
def test_every_long_line_is_in_some_unit(relative):
    path = CORPUS / relative
    try:
        kept, considered, exceptions, lost = kept_lines(path)
    except ExtractionError as error:
        if "Unicode map" in error.reason:
            pytest.skip(f"refused as unreadable, nothing indexed: {error.reason[:70]}")
        raise
    share = kept / considered if considered else 1.0
    print(f"\n{relative}: kept {kept} of {considered} lines ({share:.2%}); "
          + "; ".join(f"{reason}: {len(lines)}" for reason, lines in exceptions.items()))
    for page, line in lost:
        print(f"  lost p. {page}: {line[:100]}")
    assert share >= KEPT_SHARE, f"{len(lost)} lines lost, first: {lost[:3]}"
