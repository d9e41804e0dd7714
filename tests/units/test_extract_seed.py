"""The seed note, as text, as its PDF and re-typeset: exactly the 39 citable units, unit by unit."""
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from indexer.units.extract import extract_document

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "corpus" / "seed"
EXPECTED_FILE = SHARED / "eval" / "seed_paragraphs.json"
SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"

pytestmark = pytest.mark.skipif(not EXPECTED_FILE.is_file(), reason=f"reference data missing at {SHARED}")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=None)
def expected() -> list[dict]:
    return json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["units"]


@lru_cache(maxsize=None)
def extracted(name: str):
    return extract_document(SEED / name)


@pytest.fixture(scope="module", params=[False, True], ids=["bold-headings-spaced", "plain-headings-unspaced"])
def rendered(request, tmp_path_factory):
    pytest.importorskip("reportlab")
    from data.extraction.render_seed import render  # noqa: PLC0415

    path = tmp_path_factory.mktemp("seed-variant") / "UNEP-DTIE-Hg-INC.1-10-letter.pdf"
    hyphenated = render(path, expected(), plain=request.param)
    return extract_document(path), hyphenated


def citable(document) -> list:
    return [u for u in document.units if u.kind != "footnote"]


def assert_same_units(document):
    units = citable(document)
    assert [u.paragraph for u in units] == [e["paragraph"] for e in expected()]
    for unit, want in zip(units, expected()):
        assert unit.section_label == want["section"], unit.paragraph
        assert collapse(unit.text) == collapse(want["text"]), unit.paragraph


@pytest.mark.parametrize("name", ["UNEP-DTIE-Hg-INC.1-10.txt", "UNEP-DTIE-Hg-INC.1-10.pdf"])
def test_the_39_citable_units(name):
    assert_same_units(extracted(name))


@pytest.mark.parametrize("name", ["UNEP-DTIE-Hg-INC.1-10.txt", "UNEP-DTIE-Hg-INC.1-10.pdf"])
def test_metadata_and_footnote(name):
    document = extracted(name)
    assert document.symbol == SYMBOL
    assert document.title == "Note by the secretariat"
    assert document.date is None  # no date is printed on the note
    units = {u.paragraph: u for u in document.units}
    assert units["fn-star"].kind == "footnote"
    assert units["fn-star"].text == "UNEP(DTIE)/Hg/INC.1/1."
    assert units["14(a)"].citation == f"{SYMBOL}, para. 14 (a)"
    assert units["14(a)"].kind == "subparagraph"
    assert [u.order for u in document.units] == list(range(len(document.units)))


# Pages checked by eye against the PDF.
PDF_PAGES = {"1": 1, "3": 1, "7": 1, "8": 2, "14": 2, "14(d)": 2, "15": 3, "21": 3, "22": 3, "23": 4, "31": 4,
             "32": 5, "35": 5, "fn-star": 1}
# The text file keeps two page breaks; each printed page number names the page that follows.
TXT_PAGES = {"1": 1, "2": 1, "3": 2, "22": 2, "30": 2, "31": 6, "35": 6, "fn-star": 1}


@pytest.mark.parametrize("name, pages", [("UNEP-DTIE-Hg-INC.1-10.pdf", PDF_PAGES), ("UNEP-DTIE-Hg-INC.1-10.txt", TXT_PAGES)])
def test_pages(name, pages):
    units = {u.paragraph: u for u in extracted(name).units}
    assert {p: units[p].page for p in pages} == pages


def test_no_running_header_or_page_number_in_text():
    for name in ("UNEP-DTIE-Hg-INC.1-10.txt", "UNEP-DTIE-Hg-INC.1-10.pdf"):
        for unit in extracted(name).units:
            # The symbol is cited in paragraph text only as "INC.1/9" or "INC.1/1", never as a header.
            assert SYMBOL not in unit.text, (name, unit.paragraph)


def test_other_rendering_letter_paper_hanging_numbers_hyphenation(rendered):
    document, hyphenated = rendered
    assert len(hyphenated) >= 5  # the rendering really breaks words at line ends
    assert document.symbol == SYMBOL
    assert document.title == "Note by the secretariat"
    assert_same_units(document)
    notes = [u for u in document.units if u.kind == "footnote"]
    assert [(u.paragraph, u.text) for u in notes] == [("fn-star", "UNEP(DTIE)/Hg/INC.1/1.")]
