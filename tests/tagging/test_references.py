"""References in text: symbols, provisions, decisions, resolutions; and the numbers that are not."""
from __future__ import annotations

import pytest

from indexer.tagging.references import Reference, extract_references, resolve_generic
from indexer.tagging.vocabulary import Vocabulary


def structured(refs: list[Reference]) -> list[tuple]:
    return [(r.kind, r.target, r.article, r.paragraph, r.instrument) for r in refs]


CASES = [
    # --- document symbols
    pytest.param("discussed in document UNEP(DTIE)/Hg/INC.1/9, which presents", None,
                 [("symbol", "UNEP(DTIE)/Hg/INC.1/9", None, None, "minamata")], id="symbol-with-parenthesis"),
    pytest.param("for global mercury control actions (UNEP(DTIE)/Hg/OEWG.2/10).", None,
                 [("symbol", "UNEP(DTIE)/Hg/OEWG.2/10", None, None, "minamata")],
                 id="symbol-closing-parenthesis-and-full-stop-dropped"),
    pytest.param("see FCCC/CP/2015/10/Add.1.", None,
                 [("symbol", "FCCC/CP/2015/10/Add.1", None, None, "unfccc")], id="symbol-addendum"),
    pytest.param("report A/AC.296/2026/9;", None,
                 [("symbol", "A/AC.296/2026/9", None, None, "bbnj")], id="symbol-ga-subsidiary-body"),
    pytest.param("adopted by A/RES/77/321 on", None,
                 [("resolution", "A/RES/77/321", None, None, None)], id="resolution-symbol"),
    pytest.param("a simple A/B test", None, [], id="slash-word-is-no-symbol"),
    # --- provisions
    pytest.param("Paragraph 1 of article 14 of the Basel Convention on the Control of Transboundary "
                 "Movements of Hazardous Wastes and their Disposal states:", None,
                 [("provision", None, "14", "1", "basel")], id="paragraph-of-article-of-named-instrument"),
    pytest.param("As called for in paragraph 4 of article 12, the Conference", "stockholm",
                 [("provision", None, "12", "4", "stockholm")], id="bare-provision-takes-context"),
    pytest.param("article 14 of the Basel Convention", "stockholm",
                 [("provision", None, "14", None, "basel")], id="named-instrument-beats-context"),
    pytest.param("Article 16, on technical assistance, says", "rotterdam",
                 [("provision", None, "16", None, "rotterdam")], id="article-then-comma"),
    pytest.param("under paragraph 1 of article 5 of the Protocol (i.e.", "multilateral-fund",
                 [("provision", None, "5", "1", "montreal")], id="the-protocol-is-the-funds-parent"),
    pytest.param("paragraph 5 of article 4 of the Convention and", "unfccc",
                 [("provision", None, "4", "5", "unfccc")], id="the-convention-is-the-context"),
    pytest.param("Article 9 of the Convention", "paris",
                 [("provision", None, "9", None, "unfccc")], id="the-convention-from-an-agreement"),
    pytest.param("article 14, paragraph 6, of the Agreement, if", "bbnj",
                 [("provision", None, "14", "6", "bbnj")], id="article-comma-paragraph-comma-of"),
    pytest.param("the provisions of Article 4 paragraph 5, Parties may", "basel",
                 [("provision", None, "4", "5", "basel")], id="article-paragraph-without-comma"),
    pytest.param("Article 13 of the Paris Agreement: provision", "unfccc",
                 [("provision", None, "13", None, "paris")], id="named-child-instrument"),
    pytest.param("Articles 2, 3 and 4 of the Convention,", "unfccc",
                 [("provision", None, a, None, "unfccc") for a in ("2", "3", "4")], id="article-list"),
    pytest.param("articles 6 to 8", "basel",
                 [("provision", None, a, None, "basel") for a in ("6", "7", "8")], id="article-range"),
    pytest.param("paragraphs 1 and 2 of article 4", "basel",
                 [("provision", None, "4", p, "basel") for p in ("1", "2")], id="paragraph-list"),
    pytest.param("paragraph 2 (c) of article 3", None,
                 [("provision", None, "3", "2(c)", None)], id="subparagraph-in-parentheses"),
    pytest.param("subparagraph (a) of paragraph 1 of article 4", None,
                 [("provision", None, "4", "1(a)", None)], id="subparagraph-first"),
    pytest.param("subparagraphs a, b, c and d of paragraph 2 of Article 4.", "basel",
                 [("provision", None, "4", "2", "basel")], id="subparagraph-list-dropped"),
    pytest.param("paragraph 4 of this Article", "basel",
                 [("provision", None, None, "4", "basel")], id="this-article"),
    pytest.param("Article 2A of the Protocol", "montreal",
                 [("provision", None, "2A", None, "montreal")], id="article-with-letter"),
    pytest.param("Article 4.1(c) of the Convention", "unfccc",
                 [("provision", None, "4", "1(c)", "unfccc")], id="dotted-article"),
    pytest.param("art. 12 of the Convention", "stockholm",
                 [("provision", None, "12", None, "stockholm")], id="abbreviated"),
    pytest.param("article 31 of the Vienna Convention on the Law of Treaties", "montreal",
                 [("provision", None, "31", None, None)], id="other-treaty-left-unresolved"),
    pytest.param("article 5 of the Convention on the Rights of the Child", "basel",
                 [("provision", None, "5", None, None)], id="named-convention-outside-vocabulary"),
    pytest.param("article 7", "global-mercury-partnership",
                 [("provision", None, "7", None, None)], id="context-without-a-treaty"),
    pytest.param("articles containing mercury", "minamata", [], id="article-as-a-noun"),
    # --- decisions
    pytest.param("By its decision II/8, and", "multilateral-fund",
                 [("decision", "II/8", None, None, None)], id="roman-decision"),
    pytest.param("decision XIX/6", None, [("decision", "XIX/6", None, None, None)], id="roman-decision-xix"),
    pytest.param("in decisions SC-1/15 and SC-2/9, respectively", None,
                 [("decision", "SC-1/15", None, None, "stockholm"), ("decision", "SC-2/9", None, None, "stockholm")],
                 id="prefixed-decision-list"),
    pytest.param("as requested in BC-10/2 and RC-5/4", None,
                 [("decision", "BC-10/2", None, None, "basel"), ("decision", "RC-5/4", None, None, "rotterdam")],
                 id="prefixed-decisions-bare"),
    pytest.param("decision 1/CP.21", None, [("decision", "1/CP.21", None, None, "unfccc")], id="cop-decision"),
    pytest.param("paragraph 2 of decision 29/CMP.1", None,
                 [("decision", "29/CMP.1", None, "2", "kyoto")], id="paragraph-of-decision"),
    pytest.param("paragraph 15(b) of decision 3/CP.27", None,
                 [("decision", "3/CP.27", None, "15(b)", "unfccc")], id="subparagraph-of-decision"),
    pytest.param("referred to in decision 7/CMA.3*", None,
                 [("decision", "7/CMA.3", None, None, "paris")], id="footnote-star-after-decision"),
    pytest.param("adopted 1/CP.21 in Paris", None, [("decision", "1/CP.21", None, None, "unfccc")],
                 id="body-decision-bare"),
    pytest.param("decision 78/560", None, [("decision", "78/560", None, None, None)], id="ga-decision"),
    pytest.param("by decision 14/30 of 17 June 1987", None, [("decision", "14/30", None, None, None)],
                 id="decision-then-date"),
    # --- resolutions
    pytest.param("In its resolution 78/272, the General Assembly", None,
                 [("resolution", "A/RES/78/272", None, None, None)], id="ga-resolution"),
    pytest.param("resolutions 77/321 and 78/272", None,
                 [("resolution", "A/RES/77/321", None, None, None), ("resolution", "A/RES/78/272", None, None, None)],
                 id="resolution-list"),
    pytest.param("paragraph 13 of resolution 78/272", None,
                 [("resolution", "A/RES/78/272", None, "13", None)], id="paragraph-of-resolution"),
    pytest.param("Security Council resolution 2417 (2018)", None,
                 [("resolution", "S/RES/2417(2018)", None, None, None)], id="security-council-resolution"),
    pytest.param("UNEA resolution 5/14", None, [("resolution", "5/14", None, None, None)],
                 id="small-session-number-kept-as-written"),
    # --- numbers that are not references
    pytest.param("its medium-term strategy for 2010–2013", None, [], id="year-range-en-dash"),
    pytest.param("the period 2008-2009", None, [], id="year-range-hyphen"),
    pytest.param("more than 6,000 projects", None, [], id="thousands-separator"),
    pytest.param("a 24/7 hotline", None, [], id="around-the-clock"),
    pytest.param("1/3 of the parties", None, [], id="fraction"),
    pytest.param("on 19/10/2009", None, [], id="slashed-date"),
    pytest.param("CFC-11/12 blends", None, [], id="refrigerant-blend-not-decision"),
    pytest.param("an ODP of 0.5 and 258,574 ODP-tonnes", None, [], id="decimals"),
    # A paragraph of the same document is a reference (it was not, before "cited by" covered it).
    pytest.param("paragraph 36 above", None, [("paragraph", None, None, "36", None)], id="internal-cross-reference"),
    pytest.param("Annex I Parties", None, [], id="annex-parties"),
    # --- a paragraph of a document named by its symbol
    pytest.param("is in document UNEP(DTIE)/Hg/INC.1/10, paragraph 8.", None,
                 [("symbol", "UNEP(DTIE)/Hg/INC.1/10", None, "8", "minamata")], id="symbol-then-paragraph"),
    pytest.param("see paragraphs 7 and 8 of document UNEP(DTIE)/Hg/INC.1/10", None,
                 [("symbol", "UNEP(DTIE)/Hg/INC.1/10", None, p, "minamata") for p in ("7", "8")],
                 id="paragraphs-of-symbol"),
    # --- paragraphs of the same document
    pytest.param("as noted in paragraph 14 above, the", None,
                 [("paragraph", None, None, "14", None)], id="paragraph-above"),
    pytest.param("pursuant to paragraphs 2 and 4 above and", "rotterdam",
                 [("paragraph", None, None, p, None) for p in ("2", "4")], id="paragraph-list-above"),
    pytest.param("see paragraph 30 below.", None,
                 [("paragraph", None, None, "30", None)], id="paragraph-below"),
]


@pytest.mark.parametrize("text, context, expected", CASES)
def test_extract(vocabulary: Vocabulary, text: str, context: str | None, expected: list[tuple]) -> None:
    assert structured(extract_references(text, vocabulary, context)) == expected


def test_text_is_the_expression_as_written(vocabulary: Vocabulary) -> None:
    text = "By its decision II/8, and in accordance with article 10 of the Protocol, the Second Meeting"
    refs = extract_references(text, vocabulary, "multilateral-fund")
    assert [r.text for r in refs] == ["decision II/8", "article 10 of the Protocol"]
    assert all(text[r.start:r.end] == r.text for r in refs)


def test_list_items_share_the_written_expression(vocabulary: Vocabulary) -> None:
    refs = extract_references("decisions SC-1/15 and SC-2/9", vocabulary)
    assert {r.text for r in refs} == {"decisions SC-1/15 and SC-2/9"}


def test_without_vocabulary_nothing_is_resolved() -> None:
    refs = extract_references("article 14 of the Basel Convention; SC-1/15; UNEP/CHW.10/2")
    assert structured(refs) == [
        ("provision", None, "14", None, None),
        ("decision", "SC-1/15", None, None, None),
        ("symbol", "UNEP/CHW.10/2", None, None, None),
    ]


def test_canonical_dict(vocabulary: Vocabulary) -> None:
    (ref,) = extract_references("article 14 of the Basel Convention", vocabulary)
    data = ref.as_dict()
    assert {k: data[k] for k in ("kind", "instrument", "article", "paragraph")} == {
        "kind": "provision", "instrument": "basel", "article": "14", "paragraph": None,
    }


def test_references_in_order_of_appearance(vocabulary: Vocabulary) -> None:
    text = ("As called for in paragraph 4 of article 12 ... in decisions SC-1/15 and SC-2/9 ... "
            "in document UNEP(DTIE)/Hg/INC.1/9.")
    kinds = [r.kind for r in extract_references(text, vocabulary, "stockholm")]
    assert kinds == ["provision", "decision", "decision", "symbol"]


@pytest.mark.parametrize(
    "word, context, expected",
    [
        pytest.param("protocol", "cdm", "kyoto", id="protocol-above-a-mechanism"),
        pytest.param("convention", "cdm", "unfccc", id="convention-two-levels-up"),
        pytest.param("agreement", "unfccc", None, id="no-agreement-in-lineage"),
        pytest.param("article", "multilateral-fund", "montreal", id="bare-article-nearest-treaty"),
        pytest.param("convention", None, None, id="no-context"),
    ],
)
def test_resolve_generic(vocabulary: Vocabulary, word: str, context: str | None, expected: str | None) -> None:
    assert resolve_generic(word, vocabulary, context) == expected
