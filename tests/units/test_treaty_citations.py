"""Treaty texts are cited under their own instrument, with their own numbering.

The citation table's treaty rows are asserted with the others in
``test_citations_table.py`` and unique citations in ``test_unique_citations.py``;
here the BBNJ Agreement in every Latin-script rendering, and the pure rules
behind the treaty citations, as tables: a title -> the name it is cited by, item
labels -> their nesting by sequence, the treaty layout of a PDF or plain text.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import SHARED_CORPUS
from extracted import extracted
from indexer.models import Line
from indexer.units.treaties import nest_label, next_letter, next_roman, split_treaty
from indexer.units.treaty_layout import heading_kind, is_treaty_layout, split_title, treaty_lines
from indexer.units.treaty_names import abbreviates, citation_name, name_from_title

needs_shared = pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason=f"reference corpus missing at {SHARED_CORPUS}")


def document(relative: str):
    return extracted(SHARED_CORPUS / relative)


@needs_shared
@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("suffix", ["pdf", "txt"])
def test_bbnj_agreement_splits_into_its_articles_in_every_latin_script_text(language, suffix):
    doc = document(f"multilingual/A_CONF.232_2023_4_BBNJ_Agreement_{language}.{suffix}")
    articles = {m.group(1) for u in doc.units for m in [re.search(r"\bart\. (\d+)\b", u.citation)] if m}
    # The Agreement has 76 articles, numbered without a gap.
    assert articles == {str(n) for n in range(1, 77)}
    if (language, suffix) != ("fr", "pdf"):  # its title is set in a font without a usable Unicode map
        assert doc.symbol == "BBNJ Agreement"


@needs_shared
def test_bbnj_pdf_and_text_give_the_same_citations():
    pdf = {u.citation for u in document("multilingual/A_CONF.232_2023_4_BBNJ_Agreement_en.pdf").units}
    txt = {u.citation for u in document("multilingual/A_CONF.232_2023_4_BBNJ_Agreement_en.txt").units}
    assert pdf == txt


@needs_shared
def test_pages_stay_out_of_treaty_citations_and_sections():
    units = document("multilingual/A_CONF.232_2023_4_BBNJ_Agreement_en.pdf").units
    assert all(u.page is not None for u in units)
    assert not [u.citation for u in units if re.search(r"\(p\.|\bp\. ?\d", u.citation)]
    # A section is a heading, never a page number or a running header.
    assert not [u.section for u in units if any(re.fullmatch(r"\d+|A/CONF\.\S+", s) for s in u.section)]
    assert not [u.paragraph for u in units if "\u2060" in u.text]


@pytest.mark.parametrize(
    "title, expected",
    [
        pytest.param("Cartagena Protocol on Biosafety to the Convention on Biological Diversity", "Cartagena Protocol",
                     id="protocol-named-before-its-parent"),
        pytest.param("Nagoya Protocol on access to genetic resources and the fair and equitable sharing of benefits "
                     "arising from their utilization to the Convention on biological diversity", "Nagoya Protocol",
                     id="protocol-lower-case-title"),
        pytest.param("1996 Protocol to the Convention on the Prevention of Marine Pollution by Dumping of Wastes and "
                     "Other Matter, 1972", "London Protocol", id="protocol-opening-with-its-year"),
        pytest.param("Convention on the Prevention of Marine Pollution by Dumping of Wastes and Other Matter",
                     "London Convention", id="the-parent-itself"),
        # The published title misspells "pollution".
        pytest.param("Convention on long-range transboundary air polution", "LRTAP Convention", id="one-letter-off"),
        pytest.param("Convention on International Trade in Endangered Species of Wild Fauna and Flora", "CITES",
                     id="acronym-of-its-own-name"),
        pytest.param("Convention on Wetlands of International Importance especially as Waterfowl Habitat",
                     "Ramsar Convention", id="short-name-not-in-the-title"),
        pytest.param("United Nations Framework Convention on Climate Change", "UNFCCC", id="acronym-unfccc"),
        pytest.param("AGREEMENT UNDER THE UNITED NATIONS CONVENTION ON THE LAW OF THE SEA ON THE CONSERVATION AND "
                     "SUSTAINABLE USE OF MARINE BIOLOGICAL DIVERSITY OF AREAS BEYOND NATIONAL JURISDICTION",
                     "BBNJ Agreement", id="capitals-and-an-acronym-of-the-subject"),
        pytest.param("Espoo Convention on Environmental Impact Assessment in a Transboundary Context", "Espoo Convention",
                     id="unknown-named-convention"),
        # Unknown protocol to a known convention: never the parent's name.
        pytest.param("Protocol on Water and Health to the 1992 Convention on the Protection and Use of Transboundary "
                     "Watercourses", "Protocol on Water and Health", id="unknown-protocol-to-a-convention"),
        pytest.param("Kigali Protocol on Things to the Convention on Biological Diversity", "Kigali Protocol",
                     id="unknown-protocol-to-a-known-convention"),
    ],
)
def test_citation_name(title, expected, vocabulary):
    assert citation_name(title, vocabulary) == expected


@pytest.mark.parametrize(
    "acronym, name, kind, expected",
    [
        pytest.param("CITES", "Convention on International Trade in Endangered Species of Wild Fauna and Flora",
                     "convention", True, id="prefix-of-the-initials"),
        pytest.param("CBD", "Convention on Biological Diversity", "convention", True, id="all-initials"),
        # The acronym names the subject, not the Convention.
        pytest.param("LRTAP", "Convention on Long-range Transboundary Air Pollution", "convention", False, id="subject"),
        pytest.param("BBNJ", "Agreement under the United Nations Convention on the Law of the Sea on the Conservation "
                     "and Sustainable Use of Marine Biological Diversity of Areas beyond National Jurisdiction",
                     "agreement", False, id="kind-word-left-out"),
    ],
)
def test_abbreviates(acronym, name, kind, expected):
    assert abbreviates(acronym, name, kind) is expected


@pytest.mark.parametrize(
    "title, expected",
    [
        pytest.param("Espoo Convention on Environmental Impact Assessment", "Espoo Convention", id="named"),
        pytest.param("Protocol on Heavy Metals under the Convention on Air", "Protocol on Heavy Metals", id="kind-first"),
        pytest.param("Declaration of Principles", "Declaration of Principles", id="no-kind-word"),
    ],
)
def test_name_from_title(title, expected):
    assert name_from_title(title) == expected


@pytest.mark.parametrize(
    "label, expected",
    [("a", "b"), ("h", "i"), ("z", "aa"), ("aa", "bb")],
)
def test_next_letter(label, expected):
    assert next_letter(label) == expected


@pytest.mark.parametrize("label, expected", [("i", "ii"), ("iv", "v"), ("ix", "x")])
def test_next_roman(label, expected):
    assert next_roman(label) == expected


@pytest.mark.parametrize(
    "labels, expected",
    [
        pytest.param(["a", "b", "c"], ["(a)", "(b)", "(c)"], id="letters"),
        pytest.param(["a", "i", "ii", "b"], ["(a)", "(a) (i)", "(a) (ii)", "(b)"], id="roman-under-a-letter"),
        # (i) follows (h): the ninth letter, not a roman one.
        pytest.param(["g", "h", "i", "j"], ["(g)", "(h)", "(i)", "(j)"], id="i-after-h-is-a-letter"),
        pytest.param(["i", "ii", "iii"], ["(i)", "(ii)", "(iii)"], id="roman-list-of-its-own"),
        pytest.param(["a", "i", "ii", "iii", "iv", "v", "b"], ["(a)", "(a) (i)", "(a) (ii)", "(a) (iii)", "(a) (iv)",
                                                           "(a) (v)", "(b)"], id="v-after-iv-is-roman"),
        pytest.param(["e", "i", "ii", "a", "b", "iii"], ["(e)", "(e) (i)", "(e) (ii)", "(e) (ii) (a)", "(e) (ii) (b)",
                                                       "(e) (iii)"], id="three-levels"),
    ],
)
def test_nest_label(labels, expected):
    levels: list = []
    printed = []
    for label in labels:
        levels = nest_label(levels, label)
        printed.append(" ".join(f"({last})" for _, last in levels))
    assert printed == expected


@pytest.mark.parametrize(
    "items, expected",
    [
        # (i) after h) is the ninth letter while nothing follows it ...
        pytest.param(["h) Eight;", "(i) Nine."], ["art. 1, para. 2 (h)", "art. 1, para. 2 (i)"], id="ninth-letter"),
        pytest.param(["h) Eight;", "(i) Nine;", "j) Ten."], ["art. 1, para. 2 (h)", "art. 1, para. 2 (i)",
                                                          "art. 1, para. 2 (j)"], id="ninth-letter-then-tenth"),
        # ... and a roman (i) under h) once (ii) follows it.
        pytest.param(["h) Quantities:", "(i) For research; or", "(ii) For own use."],
                     ["art. 1, para. 2 (h)", "art. 1, para. 2 (h) (i)", "art. 1, para. 2 (h) (ii)"], id="roman-under-h"),
    ],
)
def test_items_numbered_by_their_sequence(items, expected):
    markdown = ["####Convention on Things", "### Article 1", "1.  First.", "2.  It does not apply to:"] + items
    _, _, units = split_treaty([Line(text=t, page=0) for t in markdown])
    cited = [u.citation.split(", ", 1)[1] for u in units if u.kind == "subparagraph"]
    assert cited == expected
    assert len({u.paragraph for u in units}) == len(units)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Article 12", "article", id="article"),
        pytest.param("Artículo 5", "article", id="spanish-article"),
        pytest.param("Article premier", "article", id="french-first-article"),
        pytest.param("Article XV", "article", id="roman-article"),
        pytest.param("Article 10 bis", "article", id="inserted-article"),
        # The end of a sentence that cites an article.
        pytest.param("article 35.", None, id="lower-case-reference"),
        pytest.param("PART III", "part", id="part"),
        pytest.param("ANNEXE II", "annex", id="french-annex"),
        pytest.param("P A R T  I I", "part", id="letter-spaced"),
        pytest.param("Annexes", None, id="a-title-word"),
        pytest.param("Article 12 of the Convention applies.", None, id="a-sentence"),
    ],
)
def test_heading_kind(text, expected):
    assert heading_kind(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Use of terms For the purposes of this Agreement:", ("Use of terms", "For the purposes of this Agreement:"),
                     id="title-then-sentence"),
        pytest.param("Functions of the Conference of the Parties The Conference shall meet.",
                     ("Functions of the Conference of the Parties", "The Conference shall meet."), id="capitals-in-the-title"),
        # No sentence after it: a title printed on two lines.
        pytest.param("Obligations of organizations and their member States in respect of matters",
                     ("Obligations of organizations and their member States in respect of matters", ""), id="title-only"),
    ],
)
def test_split_title(text, expected):
    openers = Counter({"For": 3, "The": 40, "States": 2, "Parties": 5})
    assert split_title(text, openers) == expected


def lines(*texts: str, page: int = 1, bold: frozenset = frozenset()) -> list[Line]:
    return [Line(text=t, page=page, bold=t in bold) for t in texts]


TREATY_TEXT = lines(
    "AGREEMENT ON THINGS", "",
    "The Parties to this Agreement,", "", "Recalling the past,", "", "Have agreed as follows:", "",
    "PART I", "GENERAL PROVISIONS", "",
    "Article 1", "Use of terms For the purposes of this Agreement:", "",
    "1. “Thing” means a thing.", "",
    "Article 2", "Objectives The objectives of this Part are to:", "",
    "(a) Keep things; and", "", "(b) Share things.", "",
    "PART II", "FINAL PROVISIONS", "",
    "Article 3", "Entry into force", "",
    "1. This Agreement enters into force in accordance with", "article 2.", "",
    "2. The Parties shall report.", "",
    "ANNEX I", "Criteria", "", "(a) Size;", "", "(b) Weight.",
)


def test_treaty_layout_of_a_plain_text():
    assert is_treaty_layout(TREATY_TEXT)
    symbol, title, units = split_treaty(treaty_lines(TREATY_TEXT), markdown=False)
    assert (symbol, title) == ("Agreement on Things", "AGREEMENT ON THINGS") or title == "AGREEMENT ON THINGS"
    by_citation = {u.citation.split(", ", 1)[1]: u for u in units}
    assert set(by_citation) == {
        "preambular para. 1", "art. 1", "art. 1, para. 1", "art. 2", "art. 2 (a)", "art. 2 (b)",
        "art. 3, para. 1", "art. 3, para. 2", "annex I (a)", "annex I (b)",
    }
    assert by_citation["art. 3, para. 1"].text == "This Agreement enters into force in accordance with article 2."
    assert by_citation["art. 1"].section[-1] == "Article 1 Use of terms"
    assert by_citation["art. 1"].text == "For the purposes of this Agreement:"


@pytest.mark.parametrize(
    "texts, expected",
    [
        pytest.param(("Title", "", "Article 1", "Scope", "", "Article 2", "Terms", "", "Article 3", "Final"), True,
                     id="run-of-articles"),
        # Numbered paragraphs before the articles: a UN document quoting a treaty in an annex.
        pytest.param(("Decision", "", "1. Adopts the Agreement", "", "Article 1", "", "Article 2", "", "Article 3"), False,
                     id="decision-with-the-treaty-in-an-annex"),
        pytest.param(("Report", "", "Article 6", "", "Article 8"), False, id="articles-out-of-sequence"),
    ],
)
def test_is_treaty_layout(texts, expected):
    assert is_treaty_layout(lines(*texts)) is expected


COMPILATION = lines(
    "BASIC INSTRUMENTS ON THINGS", "",
    "Convention on Biological Diversity", "",
    "The Contracting Parties,", "", "Conscious of the value of things,", "", "Have agreed as follows:", "",
    "Article 1", "Objectives", "", "1. The objectives are to keep things.", "",
    "Article 2", "Use of terms", "", "1. “Thing” means a thing.", "",
    "Cartagena Protocol on Biosafety to the Convention on Biological Diversity", "",
    "The Parties to this Protocol,", "", "Being Parties to the Convention,", "", "Have agreed as follows:", "",
    "Article 1", "Objective", "", "1. The objective is to keep living things safe.", "",
    "Article 2", "General provisions", "", "1. Each Party shall act.", "",
    "Article 3", "Use of terms", "", "(a) “Party” means a Party; and", "", "(b) “Protocol” means this Protocol.",
)


def test_compilation_cites_each_unit_under_its_own_instrument():
    assert is_treaty_layout(COMPILATION)
    _, _, units = split_treaty(treaty_lines(COMPILATION), markdown=False)
    by_text = {u.text: u for u in units}
    assert by_text["The objectives are to keep things."].citation == "CBD, art. 1, para. 1"
    assert by_text["The objective is to keep living things safe."].citation == "Cartagena Protocol, art. 1, para. 1"
    assert by_text["“Protocol” means this Protocol."].citation == "Cartagena Protocol, art. 3 (b)"
    assert by_text["Being Parties to the Convention,"].citation == "Cartagena Protocol, preambular para. 1"
    # Its heading is a section, so tagging places the unit under the Protocol.
    assert by_text["Each Party shall act."].section[0].startswith("Cartagena Protocol on Biosafety")
    assert len({u.paragraph for u in units}) == len(units)
    assert len({u.citation for u in units}) == len(units)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("Kyoto Protocol to the United Nations Framework Convention on Climate Change", True, id="known"),
        pytest.param("Minsk Protocol on Things", True, id="unknown-named-protocol"),
        pytest.param("to the Stockholm Convention", False, id="continuation-of-a-title"),
        pytest.param("Objectives", False, id="article-title"),
        pytest.param("This Convention shall enter into force.", False, id="a-sentence"),
    ],
)
def test_is_instrument_title(text, expected, vocabulary):
    from indexer.units.treaty_names import is_instrument_title

    assert is_instrument_title(text, vocabulary) is expected


def test_printed_page_numbers_stay_out_of_the_text():
    text = lines("AGREEMENT ON THINGS", "", "Article 1", "Scope", "", "1. The Parties shall", page=1) + lines(
        "12", "act together.", "", "Article 2", "Terms", "", "1. Words mean things.", "", "Article 3", "End", "",
        "1. It ends.", "- 13 -", page=2)
    _, _, units = split_treaty(treaty_lines(text), markdown=False)
    assert [u.text for u in units] == ["The Parties shall act together.", "Words mean things.", "It ends."]
