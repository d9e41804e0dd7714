"""British/US spelling folding: every variant meets one form, other words are left alone."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.text.spelling import fold_spelling

# (British or variant, US) pairs: both must fold to the same token.
VARIANTS = [
    pytest.param("centre", "center", id="centre"),
    pytest.param("centres", "centers", id="centres-plural"),
    pytest.param("centred", "centered", id="centred-past"),
    pytest.param("epicentre", "epicenter", id="re-inside-compound"),
    pytest.param("kilometres", "kilometers", id="metre-compound"),
    pytest.param("litre", "liter", id="litre"),
    pytest.param("fibres", "fibers", id="fibres"),
    pytest.param("theatre", "theater", id="theatre"),
    pytest.param("programme", "program", id="programme"),
    pytest.param("programmes", "programs", id="programmes"),
    pytest.param("subprogramme", "subprogram", id="subprogramme"),
    pytest.param("sulphur", "sulfur", id="sulphur"),
    pytest.param("sulphate", "sulfate", id="sulphate"),
    pytest.param("hydrosulphide", "hydrosulfide", id="sulph-inside-word"),
    pytest.param("organisation", "organization", id="organisation"),
    pytest.param("organisations", "organizations", id="organisations"),
    pytest.param("organise", "organize", id="organise"),
    pytest.param("organised", "organized", id="organised"),
    pytest.param("organising", "organizing", id="organising"),
    pytest.param("organiser", "organizer", id="organiser"),
    pytest.param("recognises", "recognizes", id="recognises"),
    pytest.param("minimisation", "minimization", id="minimisation"),
    pytest.param("harmonisation", "harmonization", id="harmonisation"),
    pytest.param("prioritise", "prioritize", id="prioritise"),
    pytest.param("criticise", "criticize", id="criticise-cise-verb"),
    pytest.param("summarise", "summarize", id="summarise-ends-in-arise"),
    pytest.param("standardised", "standardized", id="standardised-ends-in-dise"),
    pytest.param("recognisable", "recognizable", id="isable"),
    pytest.param("unrecognised", "unrecognized", id="negative-prefix-on-real-variant"),
    pytest.param("analyse", "analyze", id="analyse"),
    pytest.param("catalysed", "catalyzed", id="catalysed"),
    pytest.param("colour", "color", id="colour"),
    pytest.param("colourful", "colorful", id="colourful"),
    pytest.param("favourable", "favorable", id="favourable"),
    pytest.param("unfavourable", "unfavorable", id="our-after-prefix"),
    pytest.param("labour", "labor", id="labour"),
    pytest.param("behavioural", "behavioral", id="behavioural"),
    pytest.param("neighbourhood", "neighborhood", id="neighbourhood"),
    pytest.param("harbour", "harbor", id="harbour"),
    pytest.param("licence", "license", id="licence"),
    pytest.param("licences", "licenses", id="licences"),
    pytest.param("defence", "defense", id="defence"),
    pytest.param("offences", "offenses", id="offences"),
    pytest.param("practise", "practice", id="practise-verb-not-to-practize"),
    pytest.param("practised", "practiced", id="practised"),
    pytest.param("labelling", "labeling", id="labelling"),
    pytest.param("modelled", "modeled", id="modelled"),
    pytest.param("travellers", "travelers", id="travellers"),
    pytest.param("fuelled", "fueled", id="fuelled"),
    pytest.param("counsellor", "counselor", id="counsellor"),
    pytest.param("fulfil", "fulfill", id="fulfil"),
    pytest.param("fulfilment", "fulfillment", id="fulfilment"),
    pytest.param("enrolment", "enrollment", id="enrolment"),
    pytest.param("ageing", "aging", id="ageing"),
    pytest.param("judgement", "judgment", id="judgement"),
    pytest.param("tyres", "tires", id="tyres"),
    pytest.param("aluminium", "aluminum", id="aluminium"),
    pytest.param("caesium", "cesium", id="caesium"),
    pytest.param("catalogue", "catalog", id="catalogue"),
    pytest.param("dialogue", "dialog", id="dialogue"),
    pytest.param("mould", "mold", id="mould"),
    pytest.param("anaemia", "anemia", id="anaemia"),
    pytest.param("leukaemia", "leukemia", id="leukaemia"),
    pytest.param("paediatric", "pediatric", id="paediatric"),
    pytest.param("haemoglobin", "hemoglobin", id="haem-prefix"),
    pytest.param("oedema", "edema", id="oedema"),
    pytest.param("diarrhoea", "diarrhea", id="diarrhoea"),
    pytest.param("manoeuvre", "maneuver", id="manoeuvre"),
    pytest.param("co-operation", "cooperation", id="hyphenated-prefix-co"),
    pytest.param("co-ordinate", "coordinate", id="hyphenated-prefix-coordinate"),
    pytest.param("sub-regional", "subregional", id="hyphenated-prefix-sub"),
    pytest.param("non-governmental", "nongovernmental", id="hyphenated-prefix-non"),
    pytest.param("extra-budgetary", "extrabudgetary", id="hyphenated-prefix-extra"),
    pytest.param("low-sulphur", "low-sulfur", id="fold-inside-hyphenated-word"),
    pytest.param("co-organised", "coorganized", id="join-then-fold"),
]


@pytest.mark.parametrize("variant, us", VARIANTS)
def test_variants_meet(variant: str, us: str) -> None:
    assert fold_spelling(variant) == fold_spelling(us) == us


# Words whose -ise, -our, -re or double l is not a variant: left exactly as they are.
UNCHANGED = [
    # Native -ize words.
    "size", "prize", "seize", "capsize", "maize",
    # -ise is part of the word, not a suffix.
    "precise", "imprecise", "concise", "otherwise", "likewise", "wise", "wiser", "exercise",
    "exercised", "enterprise", "enterprises", "enterprising", "compromise", "uncompromising",
    "advise", "adviser", "advisable", "revise", "revised", "premise", "premises", "promise",
    "promising", "expertise", "franchise", "disenfranchised", "merchandise", "televise",
    "surprise", "unsurprising", "rise", "rising", "arise", "arising", "uprising", "sunrise",
    "noise", "poise", "tortoise", "turquoise", "cruise", "bruise", "praise", "raise", "raised",
    "fundraiser", "appraise", "liaise", "malaise", "comprise", "comprising", "supervise",
    "supervisor", "disguise", "despise", "demise", "devise", "improvise", "chastise", "excise",
    "incise", "circumcise", "advertise", "advertising", "paradise", "treatise", "kaiser",
    "miser",
    # Plurals of nouns in -is share the -ises ending.
    "crises", "irises", "metropolises",
    # -ision, -ism, -ist are not -ise.
    "decision", "provision", "revision", "specialist", "criticism",
    # -our that is not a variant.
    "hour", "four", "tour", "pour", "your", "flour", "contour", "detour", "devour", "glamour",
    # -re that is not a variant.
    "acre", "genre", "massacre", "mediocre", "more", "there", "centrally",
    # Double l in both spellings.
    "controlled", "installed", "enrolled", "fulfilled", "cancellation", "filled", "compelled",
    # Already US, or already canonical.
    "center", "program", "organization", "sulfur", "color", "license", "defense",
    # Not words: numbers and mixed tokens are passed through.
    "2010", "co2", "pm2",
    "",
]


@pytest.mark.parametrize("word", [pytest.param(w, id=w or "empty") for w in UNCHANGED])
def test_non_variants_left_alone(word: str) -> None:
    assert fold_spelling(word) == word


def test_hyphen_kept_when_prefix_not_joinable() -> None:
    # "capacity" is no prefix: the hyphen stays for the tokenizer to split on.
    assert fold_spelling("capacity-building") == "capacity-building"
    assert fold_spelling("know-how") == "know-how"
    # A dangling prefix ("sub- and regional") is left as written.
    assert fold_spelling("sub-") == "sub-"


# Words built from British spellings, to make the property test meet the rules often.
_PIECES = st.sampled_from(
    ["centre", "programme", "organis", "ation", "colour", "ise", "ised", "yse", "labell",
     "ing", "sulph", "our", "re", "co-", "sub-", "ll", "ence", "licenc", "e", "s", "a", "z"]
)


@given(st.lists(_PIECES, min_size=1, max_size=5).map("".join) | st.text(alphabet="abcdeilorsuyz-", max_size=14))
def test_folding_is_idempotent(word: str) -> None:
    once = fold_spelling(word)
    assert fold_spelling(once) == once
