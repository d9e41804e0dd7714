"""Markdown treaty texts -> article-paragraph units."""
from pathlib import Path

import pytest

from extracted import extracted
from indexer.reading.metadata import done_date
from indexer.models import Line
from indexer.units.treaties import clean_markdown, is_dutch, short_name, split_preamble, split_treaty

SHARED = Path(__file__).resolve().parents[3] / "shared"
TREATIES = SHARED / "corpus" / "treaties"
needs_shared = pytest.mark.skipif(not TREATIES.is_dir(), reason=f"reference corpus missing at {TREATIES}")


def treaty(name: str):
    return extracted(TREATIES / name)


def units_by_id(name: str) -> dict:
    return {u.paragraph: u for u in treaty(name).units}


MARKDOWN = """####Test Convention on Things

Treedt in werking op een nader te bepalen tijdstip

Preamble The Parties to this Convention, Aware of the risk, Mindful also that things matter, and Determined to act, Have agreed as follows:

### Article  1

####Objective

The objective of this Convention is to protect things.

### Article  2

####Obligations

1.  Each Party shall: 

a) Prohibit [bad things](../link/README.md); and  

(i) First case;

(ii) Second case;

b) Restrict others.<sup> 1) Redactie: een noot.</sup>
2.  Parties shall *inter alia* report.

### ANNEX  VI

####Arbitration

### Article  1

1.  The tribunal shall consist of three members.

| Y1  | Clinical wastes  |
"""


def markdown_units():
    lines = [Line(text=t, page=0) for t in MARKDOWN.split("\n")]
    return split_treaty(lines)


def test_symbol_and_title_from_the_first_heading():
    symbol, title, _ = markdown_units()
    assert (symbol, title) == ("Test Convention", "Test Convention on Things")


def test_unit_ids_and_kinds():
    _, _, units = markdown_units()
    assert [(u.paragraph, u.kind) for u in units] == [
        ("pp1", "preamble"), ("pp2", "preamble"), ("pp3", "preamble"),
        ("art1", "article"),
        ("art2.1", "paragraph"), ("art2.1(a)", "subparagraph"), ("art2.1(a)(i)", "subparagraph"),
        ("art2.1(a)(ii)", "subparagraph"), ("art2.1(b)", "subparagraph"), ("art2.2", "paragraph"),
        ("annexVI.art1.1", "paragraph"), ("annexVI.art1.t1", "text"),
    ]


def test_texts_sections_and_citations():
    _, _, units = markdown_units()
    by_id = {u.paragraph: u for u in units}
    assert by_id["art2.1(a)"].text == "Prohibit bad things; and"
    assert by_id["art2.1(b)"].text == "Restrict others."
    assert by_id["art2.2"].text == "Parties shall inter alia report."
    assert by_id["art2.1"].section == ("Article 2 Obligations",)
    assert by_id["annexVI.art1.1"].section == ("Annex VI Arbitration", "Article 1")
    assert by_id["art2.1(a)(i)"].citation == "Test Convention, art. 2, para. 1 (a) (i)"
    assert by_id["art1"].citation == "Test Convention, art. 1"
    assert by_id["pp2"].citation == "Test Convention, preambular para. 2"
    assert by_id["annexVI.art1.1"].citation == "Test Convention, annex VI, art. 1, para. 1"
    assert by_id["pp3"].text == "Determined to act,"
    assert by_id["annexVI.art1.t1"].text == "Y1 Clinical wastes"


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Basel Convention on the Control of Transboundary Movements of Hazardous Wastes and their Disposal", "Basel Convention"),
        ("United Nations Framework Convention on Climate Change", "UNFCCC"),
        ("Montreal Protocol on Substances that deplete the Ozone Layer", "Montreal Protocol"),
        ("Minamata Convention on Mercury", "Minamata Convention"),
        ("Rotterdam Convention on the prior informed consent procedure", "Rotterdam Convention"),
        ("Stockholm Convention on Persistent Organic Pollutants ", "Stockholm Convention"),
        ("Espoo Convention on Environmental Impact Assessment", "Espoo Convention"),
    ],
)
def test_short_name(title, expected):
    assert short_name(title) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("[the Convention](../../x/README.md), *inter alia,*", "the Convention, inter alia,", id="link-and-emphasis"),
        pytest.param("Exporter<sup> 1) Full name and address. </sup>", "Exporter", id="editorial-note-dropped"),
        pytest.param("| Y10 | Waste oils |", "Y10 Waste oils", id="table-row"),
        pytest.param("| --- | --- |", "", id="table-rule"),
    ],
)
def test_clean_markdown(text, expected):
    assert clean_markdown(text) == expected


def test_preamble_written_as_one_paragraph_is_split_into_clauses():
    text = "The Parties to this Protocol,Being Parties to the Convention,Mindful of their obligation, Have agreed as follows:"
    assert split_preamble(text) == ["Being Parties to the Convention,", "Mindful of their obligation,"]


def test_dutch_editorial_lines():
    assert is_dutch("Treedt in werking op een nader te bepalen tijdstip")
    assert not is_dutch("The Parties shall decide on the establishment of the fund.")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DONE at Basel on the 22nd day of March 1989", "1989-03-22"),
        ("DONE at Montreal this sixteenth day of September, one thousand nine hundred and eighty seven.", "1987-09-16"),
        ("DONE at Stockholm on this twenty-second day of May, two thousand and one.", "2001-05-22"),
    ],
)
def test_done_date(text, expected):
    assert done_date([text]) == expected


@needs_shared
def test_basel_article_14_paragraph_1():
    units = units_by_id("Basel_Convention.md")
    unit = units["art14.1"]
    assert unit.text.startswith("The Parties agree that, according to the specific needs")
    assert unit.section == ("Article 14 Financial Aspects",)
    assert unit.citation == "Basel Convention, art. 14, para. 1"
    assert unit.page is None
    assert treaty("Basel_Convention.md").symbol == "Basel Convention"
    assert treaty("Basel_Convention.md").date == "1989-03-22"


@needs_shared
@pytest.mark.parametrize(
    "name, symbol, ids",
    [
        ("Basel_Convention.md", "Basel Convention", ["pp1", "art1.1", "art4.2(h)", "art7", "annexVI.art1"]),
        ("Stockholm_Convention.md", "Stockholm Convention", ["pp1", "art3.1(a)(i)", "art12.4"]),
        ("Rotterdam_Convention.md", "Rotterdam Convention", ["pp1", "art16", "art5.1"]),
        ("Montreal_Protocol.md", "Montreal Protocol", ["pp1", "art2A.1", "art5.1"]),
        ("Minamata_Convention.md", "Minamata Convention", ["pp1", "art1", "art2(a)", "art14.1"]),
        ("UNFCCC.md", "UNFCCC", ["pp1", "art2", "art4.1(a)"]),
    ],
)
def test_treaty_files(name, symbol, ids):
    document = treaty(name)
    assert document.symbol == symbol
    have = {u.paragraph for u in document.units}
    assert set(ids) <= have
    assert len(have) == len(document.units)  # ids are unique
    assert [u.order for u in document.units] == list(range(len(document.units)))
    # No Markdown or editorial Dutch left in the text.
    for unit in document.units:
        assert "](" not in unit.text and "<sup>" not in unit.text and "###" not in unit.text
        assert "Treedt in werking" not in unit.text
