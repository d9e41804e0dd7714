"""Text normalisation: NFKC, line-end hyphens decided on the document's own words, glued markers."""
from collections import Counter

import pytest

from indexer.text.normalize import (
    build_vocabulary,
    clean_unit_text,
    collapse_whitespace,
    join_hyphenated,
    join_lines,
    nfkc,
    strip_footnote_markers,
)

# A document's vocabulary as build_vocabulary counts it.
VOCABULARY = build_vocabulary(
    [
        "capacity-building and technology support; environmentally sound management",
        "small-scale gold mining; low-sulphur fuels; phase-out of substances",
        "ozone-depleting substances; regional and subregional centres; technology",
        "the programme of work; low volumes; sulphur phase-downs",
    ]
)


@pytest.mark.parametrize(
    "left, right, expected",
    [
        pytest.param("environ", "mentally", "environmentally", id="word-broken-by-typesetter"),
        pytest.param("tech", "nology", "technology", id="joined-form-attested"),
        pytest.param("capacity", "building", "capacity-building", id="compound-attested-hyphenated"),
        pytest.param("small", "scale", "small-scale", id="small-scale"),
        pytest.param("low", "sulphur", "low-sulphur", id="low-sulphur"),
        pytest.param("phase", "out", "phase-out", id="phase-out"),
        pytest.param("ozone", "depleting", "ozone-depleting", id="ozone-depleting"),
        # Joined form used elsewhere in the document wins over the prefix rule.
        pytest.param("sub", "regional", "subregional", id="document-prefers-joined-form"),
        # Neither form attested: a compound prefix keeps its hyphen.
        pytest.param("sub", "committee", "sub-committee", id="prefix-without-evidence"),
        # Capital after the break: a name or a compound of names.
        pytest.param("Asia", "Pacific", "Asia-Pacific", id="capitalised-right-half"),
        pytest.param("pre", "2020", "pre-2020", id="digit-right-half"),
        # Both halves are words of the document although the compound is not attested.
        pytest.param("sound", "management", "sound-management", id="both-halves-words"),
        pytest.param("infor", "mation", "information", id="unattested-fragments-join"),
        # A word of the document, then no typical word ending: a compound ("emission-removal").
        pytest.param("technology", "removal", "technology-removal", id="word-then-non-ending"),
        pytest.param("technology", "ically", "technologyically", id="word-then-word-ending"),
        pytest.param("environ", "mentally;", "environmentally;", id="punctuation-after-word"),
        # The compound goes on after the break: the hyphen is part of it.
        pytest.param("ozone", "depletion-potential", "ozone-depletion-potential", id="compound-continues"),
    ],
)
def test_join_hyphenated(left, right, expected):
    assert join_hyphenated(left, right, VOCABULARY) == expected


def test_join_hyphenated_prefers_hyphenated_when_more_frequent():
    vocabulary = Counter({"sub-regional": 3, "subregional": 1})
    assert join_hyphenated("sub", "regional", vocabulary) == "sub-regional"


def test_line_end_fragments_do_not_vouch_for_themselves():
    vocabulary = build_vocabulary(["the environ-", "mentally sound"])
    assert "environ" not in vocabulary and "mentally" not in vocabulary
    assert vocabulary["sound"] == 1


@pytest.mark.parametrize(
    "lines, expected",
    [
        pytest.param(["the environ-", "mentally sound"], "the environmentally sound", id="join-broken-word"),
        pytest.param(["for capacity-", "building activities"], "for capacity-building activities", id="keep-compound"),
        pytest.param(["a soft\u00adhy", "phen"], "a softhy phen", id="soft-hyphen-inside-removed"),
        pytest.param(["ends with soft\u00ad", "hyphen"], "ends with softhyphen", id="soft-hyphen-at-line-end"),
        pytest.param(["the year", "2010 and"], "the year 2010 and", id="plain-join-with-space"),
        pytest.param(["   spaced   out  ", "", " words "], "spaced out words", id="whitespace-collapsed"),
        # A dash before a digit is not a broken word.
        pytest.param(["see www.un.org/files/2025-", "04/report.pdf"], "see www.un.org/files/2025-04/report.pdf", id="web-address-rejoined"),
        pytest.param(["in 2008-", "2009 and"], "in 2008- 2009 and", id="dash-before-digit-not-a-broken-word"),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines([nfkc(line) for line in lines], VOCABULARY) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("e\ufb03cient", "efficient", id="ffi-ligature"),
        pytest.param("\ufb01nancial", "financial", id="fi-ligature"),
        pytest.param("A\u00a0B", "A B", id="no-break-space"),
        pytest.param("soft\u00adhyphen", "softhyphen", id="soft-hyphen"),
        # A superscript digit after a word is a footnote reference, not a "2".
        pytest.param("Convention\u00b2 on", "Convention on", id="superscript-marker"),
        pytest.param("\uff21\uff22", "AB", id="full-width"),
        # A Symbol-font asterisk mapped to the private use area.
        pytest.param("\uf02a Where", "* Where", id="symbol-font-star"),
    ],
)
def test_nfkc(text, expected):
    assert nfkc(text) == expected


@pytest.mark.parametrize(
    "text, markers, expected",
    [
        pytest.param("Note by the secretariat*", {"*"}, "Note by the secretariat", id="star-after-word"),
        pytest.param("the Law of the Sea1 on the", {"1"}, "the Law of the Sea on the", id="digit-glued-to-word"),
        pytest.param("its fifth session,2 and", {"2"}, "its fifth session, and", id="digit-after-comma"),
        # Capitals and digits before the marker: chemistry and symbols are left alone.
        pytest.param("CO2 emissions", {"2"}, "CO2 emissions", id="formula-kept"),
        pytest.param("decision 1/CP.21 of", {"21"}, "decision 1/CP.21 of", id="symbol-kept"),
        pytest.param("Sea1 on", set(), "Sea1 on", id="unknown-marker-kept"),
    ],
)
def test_strip_footnote_markers(text, markers, expected):
    assert strip_footnote_markers(text, markers) == expected


def test_clean_unit_text():
    lines = ["Paragraph 1 states:", "", "The Parties agree that, re-", "gional centres\u2019 work*"]
    vocabulary = build_vocabulary(["regional centres"])
    assert clean_unit_text(lines, vocabulary, {"*"}) == "Paragraph 1 states: The Parties agree that, regional centres\u2019 work"


def test_collapse_whitespace():
    assert collapse_whitespace(" a\tb\n c ") == "a b c"
