"""Every unit's id and citation name it alone, over every document of ../shared/corpus; ids are stable."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from extracted import extracted
from indexer.models import Line
from indexer.units.extract import ExtractionError, extract_document
from indexer.units.un_layout import split_units

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SUFFIXES = (".pdf", ".txt", ".md")


def _documents():
    if not CORPUS.is_dir():
        return []
    params = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in SUFFIXES:
            continue
        relative = path.relative_to(CORPUS).as_posix()
        params.append(pytest.param(relative, id=relative))
    return params


def _units(relative: str):
    try:
        return extracted(CORPUS / relative).units
    except ExtractionError as error:
        if "Unicode map" in error.reason:
            pytest.skip(f"refused as unreadable: {error.reason[:60]}")
        raise


@pytest.mark.parametrize("relative", _documents())
def test_no_two_units_share_an_id_or_a_citation(relative):
    units = _units(relative)
    ids = Counter(u.paragraph for u in units)
    citations = Counter(u.citation for u in units)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [c for c, n in citations.items() if n > 1] == []


@pytest.mark.parametrize("relative", ["un/ADP_2015_Geneva_negotiating_text_12Feb2015.pdf",
                                      "decisions/FCCC_CP_2022_10_Add.1_decisions_1-12-CP.27.txt"])
def test_same_file_twice_gives_same_ids(relative):
    if not (CORPUS / relative).is_file():
        pytest.skip("reference corpus missing")
    first = [(u.paragraph, u.citation) for u in extracted(CORPUS / relative).units]  # read once per run
    again = [(u.paragraph, u.citation) for u in extract_document(CORPUS / relative).units]
    assert first == again


def _lines(*texts):
    return [Line(text=t, page=1) for t in texts]


BODY = ("1. Decides one thing.", "", "2. Decides another thing:", "", "(a) First item;", "", "(b) Second item.", "",
        "3. Requests the secretariat to report.")


@pytest.mark.parametrize(
    "inserted_at",
    [
        pytest.param(2, id="unlabelled-block-after-para-1"),
        pytest.param(len(BODY), id="unlabelled-block-at-the-end"),
    ],
)
def test_labelled_ids_do_not_move_when_an_unlabelled_block_is_inserted(inserted_at):
    before = {u.paragraph: u.citation for u in split_units(_lines(*BODY), "S")}
    lines = list(BODY)
    lines[inserted_at:inserted_at] = ["", "An unnumbered block set in the text."]
    after = {u.paragraph: u.citation for u in split_units(_lines(*lines), "S")}
    assert {k: v for k, v in after.items() if not k.startswith("t")} == before


@pytest.mark.parametrize(
    "texts, citations",
    [
        # Options of a paragraph of negotiating text are cited under it.
        pytest.param(("3. [Option 1: All Parties shall act.", "", "Option 2: Parties should act.]", "",
                      "4. Decides to continue."),
                     ["S, para. 3", "S, para. 3, option 2", "S, para. 4"], id="options"),
        # Sub-numbered paragraphs under option 2 are told apart from those under option 1.
        pytest.param(("3. [Option 1:", "3.1 First text;", "", "Option 2:", "3.1 Other text.]"),
                     ["S, para. 3", "S, para. 3.1, option 1", "S, para. 3, option 2", "S, para. 3.1, option 2"],
                     id="sub-numbers-under-options"),
        # Unnumbered blocks are placed by their rank, never by a bare page.
        pytest.param(("1. Decides one thing.", "", "Some unnumbered text.", "", "Another unnumbered text."),
                     ["S, para. 1", "S, unnumbered para. 1", "S, unnumbered para. 2"], id="unnumbered-blocks"),
    ],
)
def test_citations_name_each_unit(texts, citations):
    assert [u.citation for u in split_units(_lines(*texts), "S")] == citations


def test_paragraph_numbers_of_any_length():
    # 12,000 numbered paragraphs: numbers of four and five digits are paragraphs too.
    lines = []
    for n in range(1, 12001):
        lines += [Line(text=f"{n}. Decides on matter number {n} of the session.", page=1 + n // 40),
                  Line(text="", page=1 + n // 40)]
    units = split_units(lines, "S")
    assert len(units) == 12000
    assert [u.paragraph for u in units[998:1001]] == ["999", "1000", "1001"]
    assert units[-1].citation == "S, para. 12000"
