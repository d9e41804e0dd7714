"""The paragraph splitter as a table: lines in, unit ids, kinds, sections and texts out."""
import pytest

from indexer.models import Line, Unit
from indexer.units.un_layout import paragraph_number_report, split_units


def lines_of(text: str, page: int = 1) -> list[Line]:
    """Text lines as a text reader returns them (leading spaces are the indent)."""
    out = []
    for raw in text.split("\n"):
        stripped = raw.lstrip(" ")
        out.append(Line(text=stripped.rstrip(), page=page, indent=float(len(raw) - len(stripped))))
    return out


def units_of(text: str, **kwargs) -> list[Unit]:
    return split_units(lines_of(text), "X/1", "Title", **kwargs)


def ids(text: str) -> list[str]:
    return [u.paragraph for u in units_of(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("1. First.\n\n2. Second.\n\n3. Third.", ["1", "2", "3"], id="numbered"),
        pytest.param("1.\tFirst.\n\n2.\tSecond.", ["1", "2"], id="number-then-tab"),
        # The title block before the first paragraph is not a unit.
        pytest.param("Note by the secretariat\n\n1. First.\n\n2. Second.", ["1", "2"], id="title-block-skipped"),
        pytest.param(
            "14. Roles:\n\n(a) The World Bank;\n\n(b) UNDP;\n\n15. Next.",
            ["14", "14(a)", "14(b)", "15"],
            id="lettered-subparagraphs",
        ),
        pytest.param(
            "9. Lead:\n\n(a) Item:\n\n(i) First;\n\n(ii) Second;\n\n(b) Other.",
            ["9", "9(a)", "9(a)(i)", "9(a)(ii)", "9(b)"],
            id="roman-items-nest-under-letter",
        ),
        # "(i)" right after "(h)" is the ninth letter, not a roman one.
        pytest.param(
            "4. List:\n\n(g) g;\n\n(h) h;\n\n(i) i;\n\n(j) j.",
            ["4", "4(g)", "4(h)", "4(i)", "4(j)"],
            id="letter-i-after-h",
        ),
        # A year at the start of a wrapped line is not paragraph 2010.
        pytest.param("1. Updated to the end of February\n2010. The note responds.\n\n2. Next.", ["1", "2"], id="year-at-line-start"),
        # The quoted article ends and paragraph 23 starts on the same line.
        pytest.param(
            "22. Article 12 states:\n\nThe Parties shall establish arrangements. 23. As called for in it.\n\n24. Next.",
            ["22", "23", "24"],
            id="quote-then-number-on-same-line",
        ),
        pytest.param(
            "22. Article 12 states:\n\n The Parties shall establish arrangements.\n 23. As called for in it.",
            ["22", "23"],
            id="quote-then-number-on-next-line",
        ),
        # An agenda quoted inside paragraph 9: its own numbering is not the document's.
        pytest.param(
            "8. Before.\n\n9. The agenda was:\n\n1. Opening.\n\n2. Adoption:\n\n(a) Agenda;\n\n3. Closure.\n\n10. After.",
            ["8", "9", "10"],
            id="quoted-list-inside-paragraph",
        ),
        pytest.param(
            "The General Assembly,\n\nRecalling its resolution,\n\nNoting the report,\n\n1. Welcomes;\n\n2. Decides.",
            ["pp1", "pp2", "1", "2"],
            id="preamble-then-operative",
        ),
        pytest.param("1. First.\n\nAnnex\n\n1. Annex first.\n\n2. Annex second.", ["1", "annex.1", "annex.2"], id="annex-qualifies-ids"),
        pytest.param(
            "1. Body.\n\nAnnex I\n\nRule 1\nScope\n\nThe rules apply.\n\nRule 2\nTerms\n\n1. One.\n\n2. Two.",
            ["1", "annexI.rule1", "annexI.rule2.1", "annexI.rule2.2"],
            id="rules-in-annex",
        ),
        pytest.param("1. Body.\n\n2. More.\n\n1. Proceedings\n\n3. Third.", ["1", "2", "3"], id="numbered-heading-outside-sequence"),
        pytest.param("1. One.\n\n1. One again.", ["1", "1-2"], id="repeated-number-made-unique"),
        pytest.param("1. One.\n\n1 bis. Extra.\n\n2. Two.", ["1", "1bis", "2"], id="bis-paragraph"),
        pytest.param("3. Three:\n\n3.1 Sub one;\n\n3.2 Sub two.\n\n4. Four.", ["3", "3.1", "3.2", "4"], id="sub-numbers"),
    ],
)
def test_unit_ids(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize(
    "text, paragraph, section",
    [
        pytest.param("A. Basel Convention\n\n1. Text.", "1", ("A. Basel Convention",), id="letter-heading"),
        pytest.param(
            "II. Organizational matters\n\nA. Sessions of the Commission\n\n3. Text.",
            "3",
            ("II. Organizational matters", "A. Sessions of the Commission"),
            id="letter-nests-under-roman",
        ),
        pytest.param(
            "I. Introduction\n\nA. First\n\n1. One.\n\nII. Matters\n\n2. Two.",
            "2",
            ("II. Matters",),
            id="new-roman-resets",
        ),
        pytest.param(
            "H. Climate Change\n\n1. One.\n\nI. UNIDO cleaner production programme and national cleaner\nproduction centre programme\n\n2. Two.",
            "2",
            ("I. UNIDO cleaner production programme and national cleaner production centre programme",),
            id="letter-I-after-H-two-lines",
        ),
    ],
)
def test_sections(text, paragraph, section):
    unit = next(u for u in units_of(text) if u.paragraph == paragraph)
    assert unit.section == section


def test_parent_keeps_only_its_lead_in_and_quote_is_folded():
    units = {u.paragraph: u for u in units_of(
        "7. Article 14 states:\n\nThe Parties agree that centres should be established.\n\n"
        "14. The agencies have roles:\n\n(a) The World Bank lends;\n\n(b) UNDP demonstrates."
    )}
    assert units["7"].text == "Article 14 states: The Parties agree that centres should be established."
    assert units["14"].text == "The agencies have roles:"
    assert units["14(a)"].text == "The World Bank lends;"
    assert units["14(a)"].kind == "subparagraph"


def test_hanging_numbers_and_hyphenated_line_ends_in_a_pdf_layout():
    # Numbers in the margin at x=40, text at x=72; a word broken at a line end.
    lines = [
        Line("1.", 1, 40.0, 11.0), Line("First paragraph on the environ-", 1, 72.0, 11.0),
        Line("mentally sound management.", 1, 72.0, 11.0),
        Line("2. Second paragraph on capacity-", 1, 40.0, 11.0), Line("building work.", 1, 72.0, 11.0),
    ]
    # The number and its text are one line for a reader; here they come as two runs joined.
    merged = [Line("1. First paragraph on the environ-", 1, 40.0, 11.0)] + lines[2:]
    units = split_units(merged, "X/1", "T", vocabulary={"environmentally": 2, "capacity-building": 1})
    assert [(u.paragraph, u.text) for u in units] == [
        ("1", "First paragraph on the environmentally sound management."),
        ("2", "Second paragraph on capacity-building work."),
    ]


def test_footnotes_become_units_with_url_safe_ids():
    from indexer.models import Footnote

    units = split_units(
        lines_of("1. Text of the note.*\n\n2. See the Sea.1"), "X/1", "T",
        footnotes=[Footnote("*", "UNEP(DTIE)/Hg/INC.1/1.", 1), Footnote("1", "Treaty Series.", 1)],
    )
    by_id = {u.paragraph: u for u in units}
    assert by_id["fn-star"].kind == "footnote" and by_id["fn-star"].citation == "X/1, footnote *"
    assert by_id["fn1"].text == "Treaty Series."
    assert by_id["1"].text == "Text of the note."  # the glued marker is gone
    assert by_id["2"].text == "See the Sea."


@pytest.mark.parametrize(
    "text, paragraph, citation",
    [
        pytest.param("14. Lead:\n\n(a) Item.", "14(a)", "X/1, para. 14 (a)", id="subparagraph"),
        pytest.param("The General Assembly,\n\nRecalling,\n\nNoting,\n\nBearing in mind,\n\n1. Decides.", "pp3", "X/1, preambular para. 3", id="preambular"),
        pytest.param("1. Body.\n\nAnnex I\n\n3. Annex text.", "annexI.3", "X/1, annex I, para. 3", id="annex"),
        pytest.param("1. Body.\n\nRegulation 18 bis\nMonitoring\n\n1. A contractor shall monitor.", "reg18bis.1",
                     "X/1, regulation 18 bis, para. 1", id="inserted-regulation-as-printed"),
        pytest.param("1. Body.\n\nRegulation 18\n\n1. Text.\n\n[Alt.2 Other text.]", "reg18.1-alt2",
                     "X/1, regulation 18, para. 1, alternative 2", id="alternative-of-a-regulation"),
    ],
)
def test_citations(text, paragraph, citation):
    unit = next(u for u in units_of(text) if u.paragraph == paragraph)
    assert unit.citation == citation


def test_order_and_pages():
    lines = lines_of("1. One.\n\n2. Two starts") + lines_of("and ends.\n\n3. Three.", page=2)
    units = split_units(lines, "X/1", "T")
    assert [u.order for u in units] == [0, 1, 2]
    assert [u.page for u in units] == [1, 1, 2]
    assert units[1].text == "Two starts and ends."


def test_paragraph_number_report():
    report = paragraph_number_report(units_of("1. A.\n\n2. B.\n\n4. D.\n\nAnnex\n\n1. X.\n\n2. Y."))
    assert report.count == 5
    assert report.runs[""]["gaps"] == [3]
    assert report.runs["annex"] == {"count": 2, "first": 1, "last": 2, "gaps": [], "duplicates": []}
    assert report.gaps == ["3"]


# A draft resolution set as a PDF sets it: first lines indented (108 pt) over a
# 72 pt margin, a clause of one line, and one unnumbered operative paragraph.
DRAFT_RESOLUTION = [
    ("The General Assembly,", 108),
    ("Recalling its resolution 72/249 of 24 December 2017, in which it decided to convene an", 108),
    ("intergovernmental conference under the auspices of the United Nations to consider the", 72),
    ("recommendations of the Preparatory Committee on the elements and to elaborate the text,", 72),
    ("Noting that the conference met for five sessions and adopted the text of the Agreement", 108),
    ("by consensus on 19 June 2023 at its resumed fifth session, held in New York from 20 February", 72),
    ("to 4 March and on 19 and 20 June 2023,", 72),
    ("Welcoming the adoption of the Agreement,", 108),
    ("Adopts the Agreement under the United Nations Convention on the Law of the Sea on the", 108),
    ("conservation and sustainable use of marine biological diversity of areas beyond national", 72),
    ("jurisdiction, annexed to the present resolution, and requests the Secretary-General to open it", 72),
    ("for signature.", 72),
]


@pytest.mark.parametrize("spaced", [False, True], ids=["first-line-indents-only", "space-between-paragraphs"])
def test_draft_resolution_with_one_unnumbered_operative_paragraph(spaced):
    lines = []
    for text, indent in DRAFT_RESOLUTION:
        if spaced and indent > 72:
            lines.append(Line(text="", page=1))
        lines.append(Line(text=text, page=1, indent=indent, size=10.0))
    units = split_units(lines, "A/77/L.82", "Draft resolution")
    assert [(u.paragraph, u.kind, u.text.split()[0]) for u in units] == [
        ("pp1", "preamble", "Recalling"), ("pp2", "preamble", "Noting"), ("pp3", "preamble", "Welcoming"),
        ("t1", "text", "Adopts"),
    ]
    assert units[-1].citation == "A/77/L.82, unnumbered para. 1"
    assert units[-1].text.endswith("to open it for signature.")
