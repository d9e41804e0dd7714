"""Symbol, title and date detection from printed text and file names."""
import pytest

from indexer.reading.metadata import (
    detect_date,
    detect_title,
    find_symbols,
    header_identifier,
    is_identifier,
    parse_date,
    symbol_from_filename,
    symbol_from_lines,
)
from indexer.models import Line


@pytest.mark.parametrize(
    "stem, expected",
    [
        pytest.param("A_RES_77_321", "A/RES/77/321", id="ga-resolution"),
        pytest.param("A_AC.296_2026_9_BBNJ_PrepCom_report", "A/AC.296/2026/9", id="words-after-symbol"),
        pytest.param("FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris", "FCCC/CP/2015/10/Add.1", id="addendum"),
        # Hyphens are not slashes: this one cannot be derived in general.
        pytest.param("UNEP-DTIE-Hg-INC.1-10", None, id="hyphenated-not-derivable"),
        pytest.param("ADP_2015_Geneva_negotiating_text_12Feb2015", None, id="no-symbol"),
        pytest.param("notes", None, id="plain-name"),
    ],
)
def test_symbol_from_filename(stem, expected):
    assert symbol_from_filename(stem) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("United Nations A/AC.296/2026/9", ["A/AC.296/2026/9"], id="masthead"),
        pytest.param("see UNEP(DTIE)/Hg/INC.1/9, which", ["UNEP(DTIE)/Hg/INC.1/9"], id="with-parentheses"),
        pytest.param("(A/77/L.82)]", ["A/77/L.82"], id="closing-parenthesis-not-part"),
        pytest.param("UNIDO/UNEP national", [], id="no-digit-no-symbol"),
        pytest.param("decision 1/CP.21", [], id="decision-number"),
    ],
)
def test_find_symbols(text, expected):
    assert find_symbols(text) == expected


def test_symbol_from_running_header_of_a_text_file():
    texts = [" Note by the secretariat", "1. Text", "UNEP(DTIE)/Hg/INC.1/10 ", " 2", "3. Text UNEP(DTIE)/Hg/INC.1/9.",
             "UNEP(DTIE)/Hg/INC.1/10 ", " 6"]
    assert symbol_from_lines(texts) == "UNEP(DTIE)/Hg/INC.1/10"


def test_symbol_from_table_header_of_a_text_file():
    assert symbol_from_lines(["|  | United Nations | FCCC/SBI/2023/10 |", "Report"]) == "FCCC/SBI/2023/10"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("ADP.2015.8.InformalNote", True, id="dotted-identifier"),
        pytest.param(" WG-7/Draft_3 ", True, id="mixed-separators"),
        pytest.param("Non-paper", False, id="no-digit"),
        pytest.param("Page 12 of 20", False, id="words"),
        pytest.param("2015.10.05", False, id="a-date-starts-with-a-digit"),
        pytest.param("www.unfccc.int/3", False, id="web-address"),
        pytest.param("Article 12.1", False, id="two-words"),
        pytest.param("INC1", False, id="one-part"),
        pytest.param("Rev.1", False, id="a-revision-is-two-parts"),
        pytest.param("COP-15", False, id="a-meeting-is-two-parts"),
    ],
)
def test_is_identifier(text, expected):
    assert is_identifier(text) is expected


@pytest.mark.parametrize(
    "bands, expected",
    [
        pytest.param([["AD HOC GROUP", "ADP.2015.8.InformalNote", "Page 1 of 3"]] * 3, "ADP.2015.8.InformalNote",
                     id="on-every-page"),
        pytest.param([["X-1.2"], ["Y-2.3"], [], ["X-1.2"]], "X-1.2", id="on-half-the-pages"),
        pytest.param([["X-1.2"], [], [], []], None, id="on-one-page-only"),
        pytest.param([["X-1.2"]], None, id="a-single-page-repeats-nothing"),
        pytest.param([["Page 1"], ["Page 2"]], None, id="no-identifier"),
    ],
)
def test_header_identifier(bands, expected):
    assert header_identifier(bands) == expected


def test_identifier_repeated_as_the_header_of_a_text_file_without_a_symbol():
    texts = ["WG.3.Note", "Note by the chairs", "1. Text of the note.", "WG.3.Note", "2. More text."]
    assert symbol_from_lines(texts) == "WG.3.Note"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4 May 2026", "2026-05-04"),
        ("Distr.: General 29 January 2016", "2016-01-29"),
        ("May 4, 2026", "2026-05-04"),
        ("no date here", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "texts, expected",
    [
        pytest.param(["Distr.: General", "4 May 2026", "Original: English"], "2026-05-04", id="after-distr"),
        pytest.param(["Second session", "8–13 February 2015", "Negotiating text", "12 February 2015"], "2015-02-12", id="date-line"),
        # Dates inside paragraphs are events, not the document date.
        pytest.param(["Note", "1. At its meeting from 19 to 23 October 2009, the group"], None, id="no-printed-date"),
    ],
)
def test_detect_date(texts, expected):
    assert detect_date(texts) == expected


def test_detect_title_from_type_sizes():
    lines = [
        Line("General Assembly", 1, 123, 20.0, True),
        Line("Distr.: General", 1, 397, 10.0),
        Line("Resolution adopted by the General Assembly", 1, 123, 14.0, True),
        Line("77/321. Agreement under the United Nations Convention", 1, 72, 12.0, True),
        Line("on the Law of the Sea", 1, 123, 12.0, True),
        Line("The General Assembly,", 1, 147, 10.0),
    ]
    assert detect_title(lines, 10.0) == "Agreement under the United Nations Convention on the Law of the Sea"


def test_detect_title_of_a_text_file():
    lines = [Line("|  | United Nations | FCCC/SBI/2023/10 |", 1), Line("Subsidiary Body for Implementation", 1),
             Line("Report of the Subsidiary Body for Implementation on its fifty-eighth session", 1), Line("Contents", 1)]
    assert detect_title(lines) == "Report of the Subsidiary Body for Implementation on its fifty-eighth session"
