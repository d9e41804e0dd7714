"""Citation addresses (pure): locator keys, query reading, and a document's table of units."""
from __future__ import annotations

import pytest

from indexer.search.addresses import Address, CitationTable, locator_key, parse_address


@pytest.mark.parametrize(
    "text, key",
    [
        pytest.param("art. 14, para. 1", "art 14 1", id="article-paragraph"),
        pytest.param("Article 14(1)", "art 14 1", id="article-parenthesis"),
        pytest.param("article 14.1", "art 14 1", id="article-dotted"),
        pytest.param("para. 14 (A)", "para 14 a", id="paragraph-letter"),
        pytest.param("preambular paragraph 3", "pp 3", id="preambular"),
        pytest.param("pp3", "pp 3", id="preambular-short"),
        # Article 2A is not article 2 (a).
        pytest.param("art. 2A, para. 8", "art 2a 8", id="lettered-article"),
        pytest.param("art. 2, (i)", "art 2 i", id="article-then-item"),
        pytest.param("para. 43quater (c)", "para 43 quater c", id="latin-suffix-joined"),
        pytest.param("annex I, rule 4, para. 2", "annex i rule 4 2", id="rule-paragraph"),
        pytest.param("regulation 18 bis, para. 2", "reg 18 bis 2", id="regulation-paragraph"),
        pytest.param("reg. 18bis(2)", "reg 18 bis 2", id="regulation-abbreviated"),
        # A paragraph of an annex keeps its word.
        pytest.param("annex II, para. (ALL)52", "annex ii para all 52", id="annex-paragraph"),
        pytest.param("footnote *", "fn star", id="starred-footnote"),
        pytest.param("decision 2/CP.27, para. 3", "decision 2 cp 27 para 3", id="decision"),
        pytest.param("(p. 38)", "p 38", id="page"),
    ],
)
def test_locator_key(text, key):
    assert locator_key(text) == key


@pytest.mark.parametrize(
    "query, address",
    [
        pytest.param("Basel art. 14(1)", Address("Basel", "art 14 1"), id="name-first"),
        pytest.param("article 14.1 of the Basel Convention", Address("Basel Convention", "art 14 1"), id="of-name"),
        pytest.param("paragraph 1 of article 14 of the Basel Convention", Address("Basel Convention", "art 14 1"),
                     id="innermost-first"),
        pytest.param("art. 14(1) Basel Convention", Address("Basel Convention", "art 14 1"), id="name-after"),
        pytest.param("decision 1/CP.21, paragraph 52", Address("", "para 52", "1/CP.21"), id="decision-first"),
        pytest.param("1/CP.21 para 52", Address("", "para 52", "1/CP.21"), id="decision-number-first"),
        pytest.param("dec. 2/CMA.4 para 3", Address("", "para 3", "2/CMA.4"), id="dec-abbreviated"),
        pytest.param("FCCC/CP/2022/10/Add.1, decision 2/CP.27, para. 3",
                     Address("FCCC/CP/2022/10/Add.1", "para 3", "2/CP.27"), id="decision-in-report"),
        pytest.param("resolution 78/272, paragraph 7", Address("RES/78/272", "para 7"), id="resolution-number"),
        pytest.param("INC.1/10 paras 7-9", Address("INC.1/10", "para 7", more=("para 8", "para 9")), id="range"),
        pytest.param("ISBA/29/C/L.1, regulation 18 bis, para. 1", Address("ISBA/29/C/L.1", "reg 18 bis 1"),
                     id="regulation-of-a-symbol"),
        pytest.param("regional centres", None, id="plain-words"),
        pytest.param("paragraph 7", None, id="no-document"),
        # Too many words before "para" to be a document name.
        pytest.param("the regional centres of the basel convention para 8", None, id="sentence"),
        pytest.param("annex", None, id="word-alone"),
    ],
)
def test_parse_address(query, address):
    assert parse_address(query) == address


def _table(symbol, rows):
    table = CitationTable(symbol)
    for docnum, (citation, decision) in enumerate(rows):
        table.add(citation, docnum, decision)
    return table


REPORT = "FCCC/CP/2022/10/Add.1"
REPORT_ROWS = [
    (f"{REPORT}, decision 1/CP.27, para. 1", None),
    (f"{REPORT}, decision 1/CP.27, para. 3", None),
    (f"{REPORT}, decision 2/CP.27, para. 1", None),
    (f"{REPORT}, decision 2/CP.27, para. 3", None),
    (f"{REPORT}, decision 2/CP.27, annex, para. 7", None),
]


@pytest.mark.parametrize(
    "rows, key, decision, docnum",
    [
        pytest.param(REPORT_ROWS, "para 3", "2/CP.27", 3, id="decision-inside-report"),
        pytest.param(REPORT_ROWS, "para 3", "1/CP.27", 1, id="other-decision-same-paragraph"),
        pytest.param(REPORT_ROWS, "annex para 7", "2/CP.27", 4, id="decision-annex"),
        pytest.param(REPORT_ROWS, "para 3", "3/CP.27", None, id="decision-not-held"),
        # A document that is one decision (its units carry the decision) answers plain paragraphs.
        pytest.param([("X/1, para. 52", "1/CP.21")], "para 52", "1/CP.21", 0, id="document-is-the-decision"),
        pytest.param([("B, art. 14, para. 1", None), ("B, art. 14, para. 2", None)], "art 14", None, 0,
                     id="article-opens-first-paragraph"),
        # "para 1" must not open "para 14".
        pytest.param([("S, para. 14", None)], "para 1", None, None, id="number-is-whole"),
    ],
)
def test_table_find(rows, key, decision, docnum):
    symbol = rows[0][0].split(",")[0]
    assert _table(symbol, rows).find(key, decision) == docnum


ARTICLE_ROWS = [("B, art. 14, para. 1", None), ("B, art. 14, para. 1 (a)", None), ("B, art. 14, para. 2", None),
                ("B, art. 140", None), ("B, art. 15", None)]


@pytest.mark.parametrize(
    "rows, key, decision, docnums",
    [
        pytest.param(ARTICLE_ROWS, "art 14", None, [0, 1, 2], id="an-article-is-its-paragraphs"),
        pytest.param(ARTICLE_ROWS, "art 14 1", None, [0, 1], id="a-paragraph-and-its-subparagraphs"),
        pytest.param(ARTICLE_ROWS, "art 15", None, [4], id="one-unit"),
        pytest.param(ARTICLE_ROWS, "art 16", None, [], id="none"),
        pytest.param(REPORT_ROWS, "para 3", "2/CP.27", [3], id="in-a-decision"),
    ],
)
def test_table_find_all(rows, key, decision, docnums):
    symbol = rows[0][0].split(",")[0]
    assert _table(symbol, rows).find_all(key, decision) == docnums


@pytest.mark.parametrize(
    "own, paragraph, key",
    [
        pytest.param("para 20", "14", "para 14", id="report-paragraph"),
        # In a treaty, "paragraph 2 above" is a paragraph of the same article.
        pytest.param("art 10 9", "2", "art 10 2", id="article-paragraph"),
        pytest.param("art 4 2 c", "1", "art 4 1", id="from-a-subparagraph"),
        pytest.param("annex i rule 4 3", "1", "annex i rule 4 1", id="rule-paragraph"),
        pytest.param("annex ii para 7", "5", "annex ii para 5", id="annex-paragraph"),
        pytest.param("fn 2", "14", "para 14", id="footnote-cites-paragraph"),
        pytest.param("para 3", "14(a)", "para 14 a", id="subparagraph-target"),
    ],
)
def test_sibling_locator(own, paragraph, key):
    from indexer.search.resolve import sibling_locator

    assert sibling_locator(own, paragraph) == key


@pytest.mark.parametrize(
    "rows, query, uid",
    [
        pytest.param([("R, unnumbered para. 3", "t3"), ("R, para. 3", "3")], "R, unnumbered para. 3", "t3",
                     id="unnumbered-is-not-numbered"),
        # A treaty annexed to a decision cites itself; the document's own paragraphs come first.
        pytest.param([("R, decision 1/CP.1, preambular para. 1", "d.pp1"), ("Agreement X, preambular para. 1", "a.pp1")],
                     "R, preambular para. 1", "d.pp1", id="own-preamble-before-annexed-treaty"),
        pytest.param([("R, decision 1/CP.1, para. 2", "d.2"), ("Agreement X, art. 8, para. 4 (a)", "a.8.4a")],
                     "R, annex, art. 8, para. 4 (a)", "a.8.4a", id="annex-cited-by-the-treaty-name"),
        pytest.param([("R, decision 1/CP.1, para. 52", "d.52")], "R para 52", "d.52",
                     id="report-of-one-decision"),
        pytest.param([("R, section 88, para. 88 ter, option (d)", "x"), ("R, para. 88 ter, option (d)", "y")],
                     "R, section 88, para. 88 ter, option (d)", "x", id="section-qualifier"),
    ],
)
def test_table_finds_the_forms_splitters_write(rows, query, uid):
    table = CitationTable("R")
    for citation, unit in rows:
        table.add(citation, unit, "decision 1/CP.1" if "decision" in citation else None)
    address = parse_address(query)
    assert table.find(address.locator, address.decision) == uid
