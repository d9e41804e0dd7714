"""The vocabulary file: the shipped content, validation errors, matching and the fingerprint."""
from __future__ import annotations

import configparser
import dataclasses
from importlib import resources
from pathlib import Path

import pytest

from indexer.text.tokens import stem_tokens, tokenize
from indexer.tagging.vocabulary import (
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    parse_vocabulary,
)

ROOT = Path(__file__).resolve().parents[2]


MINIMAL = """
[[instrument]]
id = "basel"
label = "Basel Convention"
kind = "convention"
short_names = ["Basel Convention"]

[[theme]]
id = "finance"
label = "Finance"
terms = ["funding"]
"""


# --- the shipped file -----------------------------------------------------------------


def test_shipped_file_is_package_data() -> None:
    assert resources.files("indexer.tagging").joinpath("vocabulary.toml").is_file()
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "*.toml" in config["options.package_data"]["indexer.tagging"]


REQUIRED_INSTRUMENTS = [
    pytest.param("basel", None, id="basel"),
    pytest.param("rotterdam", None, id="rotterdam"),
    pytest.param("stockholm", None, id="stockholm"),
    pytest.param("minamata", None, id="minamata"),
    pytest.param("global-mercury-partnership", None, id="mercury-partnership-is-not-minamata"),
    pytest.param("vienna", None, id="vienna"),
    pytest.param("montreal", "vienna", id="montreal-under-vienna"),
    pytest.param("multilateral-fund", "montreal", id="mlf-under-montreal"),
    pytest.param("unfccc", None, id="unfccc"),
    pytest.param("kyoto", "unfccc", id="kyoto"),
    pytest.param("paris", "unfccc", id="paris"),
    pytest.param("cdm", "kyoto", id="cdm"),
    pytest.param("bali-strategic-plan", None, id="bali"),
    pytest.param("pcfv", None, id="pcfv"),
    pytest.param("cleaner-production-programme", None, id="cleaner-production"),
    pytest.param("saicm", None, id="saicm"),
    pytest.param("gef", None, id="gef"),
    pytest.param("unclos", None, id="unclos"),
    pytest.param("bbnj", "unclos", id="bbnj"),
    pytest.param("cbd", None, id="cbd"),
]


@pytest.mark.parametrize("instrument_id, parent", REQUIRED_INSTRUMENTS)
def test_shipped_instruments(vocabulary: Vocabulary, instrument_id: str, parent: str | None) -> None:
    assert vocabulary.instrument(instrument_id).parent == parent


def test_lineage_runs_to_the_root(vocabulary: Vocabulary) -> None:
    assert vocabulary.lineage("cdm") == ("cdm", "kyoto", "unfccc")
    assert vocabulary.lineage("multilateral-fund") == ("multilateral-fund", "montreal", "vienna")


REQUIRED_THEMES = [
    "technology-transfer", "capacity-building", "technical-assistance", "financial-resources",
    "regional-centres", "guidelines-best-practices", "information-exchange", "national-plans",
    "compliance", "cleaner-production", "partnerships",
]


@pytest.mark.parametrize("theme_id", REQUIRED_THEMES)
def test_shipped_themes(vocabulary: Vocabulary, theme_id: str) -> None:
    theme = vocabulary.theme(theme_id)
    assert theme.label and theme.description and theme.terms


ACRONYMS = [
    pytest.param("ODS", "ozone-depleting substances", id="ODS"),
    pytest.param("POPs", "persistent organic pollutants", id="POPs"),
    pytest.param("BAT", "best available techniques", id="BAT"),
    pytest.param("BEP", "best environmental practices", id="BEP"),
    pytest.param("ESM", "environmentally sound management", id="ESM"),
    pytest.param("PIC", "prior informed consent", id="PIC"),
    pytest.param("COP", "Conference of the Parties", id="COP"),
    pytest.param("NIP", "national implementation plan", id="NIP"),
    pytest.param("ASGM", "artisanal and small-scale gold mining", id="ASGM"),
    pytest.param("UNEP", "United Nations Environment Programme", id="UNEP"),
    # Instrument acronyms count too, with the instrument's names as expansions.
    pytest.param("CDM", "Clean Development Mechanism", id="instrument-CDM"),
    pytest.param("GEF", "Global Environment Facility", id="instrument-GEF"),
    pytest.param("UNFCCC", "United Nations Framework Convention on Climate Change", id="instrument-UNFCCC"),
]


@pytest.mark.parametrize("acronym, expansion", ACRONYMS)
def test_acronyms(vocabulary: Vocabulary, acronym: str, expansion: str) -> None:
    assert expansion in vocabulary.acronyms[acronym]


@pytest.mark.parametrize(
    "symbol, expected",
    [
        pytest.param("UNEP(DTIE)/Hg/INC.1/10", "minamata", id="mercury-negotiations"),
        pytest.param("UNEP/CHW.14/28", "basel", id="basel"),
        pytest.param("UNEP/POPS/COP.1/31", "stockholm", id="stockholm"),
        pytest.param("UNEP/FAO/RC/COP.1/33", "rotterdam", id="rotterdam"),
        pytest.param("UNEP/OzL.Pro.30/11", "montreal", id="montreal"),
        pytest.param("UNEP/OzL.Pro/ExCom/80/1", "multilateral-fund", id="longest-prefix-wins"),
        pytest.param("FCCC/SBI/2023/10", "unfccc", id="unfccc"),
        pytest.param("FCCC/KP/CMP/2012/13", "kyoto", id="kyoto"),
        pytest.param("fccc/cp/2015/10/add.1", "unfccc", id="case-ignored"),
        pytest.param("A/AC.296/2026/9", "bbnj", id="bbnj-prepcom"),
        pytest.param("A/RES/78/272", None, id="ga-resolution-not-by-prefix"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
    ],
)
def test_symbol_prefixes(vocabulary: Vocabulary, symbol: str | None, expected: str | None) -> None:
    assert vocabulary.instrument_for_symbol(symbol) == expected


# --- matching -------------------------------------------------------------------------


def mentioned(vocabulary: Vocabulary, text: str) -> list[str]:
    return [m.id for m in vocabulary.find_instruments(tokenize(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("the Basel Convention regional centres", ["basel"], id="short-name"),
        pytest.param("the Convention and the Protocol", [], id="generic-words-name-nothing"),
        pytest.param("the Multilateral Fund for the Implementation of the Montreal Protocol",
                     ["multilateral-fund"], id="longest-name-wins"),
        pytest.param("article 31 of the Vienna Convention on the Law of Treaties", [],
                     id="excluded-longer-phrase"),
        pytest.param("the Vienna Convention for the Protection of the Ozone Layer", ["vienna"],
                     id="vienna-ozone"),
        pytest.param("the Declaration of the Conference (Stockholm, 1972)", [], id="city-alone"),
        pytest.param("the CDM and the GEF", ["cdm", "gef"], id="acronyms"),
        pytest.param("a cdm project", [], id="acronym-is-case-sensitive"),
        pytest.param("the POPs Convention", ["stockholm"], id="alias"),
        pytest.param("the UNEP Global Mercury Partnership", ["global-mercury-partnership"],
                     id="mercury-partnership"),
        pytest.param("the intergovernmental negotiating committee on mercury", ["minamata"],
                     id="mercury-negotiating-process"),
        pytest.param("Basel  Convention’s", ["basel"], id="spacing-and-possessive"),
    ],
)
def test_find_instruments(vocabulary: Vocabulary, text: str, expected: list[str]) -> None:
    assert mentioned(vocabulary, text) == expected


@pytest.mark.parametrize(
    "text, theme",
    [
        pytest.param("Regional Centers for training", "regional-centres", id="us-spelling-plural"),
        pytest.param("a regional centre", "regional-centres", id="singular"),
        pytest.param("regional or sub-regional centres", "regional-centres", id="hyphenated-prefix"),
        pytest.param("capacity building activities", "capacity-building", id="hyphen-or-space"),
        pytest.param("guidance on BAT and BEP", "guidelines-best-practices", id="acronym-signal"),
        pytest.param("their NIPs", "national-plans", id="acronym-plural"),
        pytest.param("the clearing house mechanism", "information-exchange", id="clearing-house"),
    ],
)
def test_find_themes(vocabulary: Vocabulary, text: str, theme: str) -> None:
    assert theme in {m.id for m in vocabulary.find_themes(tokenize(text))}


@pytest.mark.parametrize(
    "text, theme",
    [
        pytest.param("Aware of the risk", "awareness-education", id="aware-is-not-awareness"),
        pytest.param("promoting environmental compliance", "compliance", id="excluded-phrase"),
        pytest.param("a fundamental principle", "financial-resources", id="fund-inside-word"),
        pytest.param("a report prepared by the secretariat", "reporting", id="report-is-not-reporting"),
    ],
)
def test_themes_not_signalled(vocabulary: Vocabulary, text: str, theme: str) -> None:
    assert theme not in {m.id for m in vocabulary.find_themes(tokenize(text))}


def test_phrases_match_consecutive_words_only() -> None:
    vocabulary = parse_vocabulary(MINIMAL + '\n[[theme]]\nid = "centres"\nlabel = "C"\nterms = ["regional centres"]\n')
    found = lambda text: {m.id for m in vocabulary.find_themes(tokenize(text))}  # noqa: E731
    assert "centres" in found("the Regional Centers")
    assert "centres" not in found("regional and subregional centres")


def test_stem_tokens_fold_spelling_and_hyphens() -> None:
    assert stem_tokens("Regional Centres") == stem_tokens("regional centers")
    assert stem_tokens("capacity-building") == stem_tokens("capacity building")
    assert stem_tokens("co-operation") == stem_tokens("cooperation")
    assert stem_tokens("the Party’s programmes") == stem_tokens("the party program")


def test_tokens_keep_written_form_and_offsets() -> None:
    text = "UNEP’s POPs"
    tokens = tokenize(text)
    assert [t.raw for t in tokens] == ["UNEP", "POPs"]
    assert [text[t.start:t.end] for t in tokens] == ["UNEP’s", "POPs"]


# --- fingerprint ----------------------------------------------------------------------


def test_fingerprint_follows_content_not_comments() -> None:
    base = parse_vocabulary(MINIMAL)
    commented = parse_vocabulary("# a comment\n" + MINIMAL.replace('kind = "convention"', 'kind = "convention"  # note'))
    changed = parse_vocabulary(MINIMAL.replace('terms = ["funding"]', 'terms = ["funding", "grants"]'))
    assert base.fingerprint == commented.fingerprint
    assert base.fingerprint != changed.fingerprint
    assert len(base.fingerprint) == 16


def test_packaged_fingerprint_is_stable(vocabulary: Vocabulary) -> None:
    assert load_vocabulary().fingerprint == vocabulary.fingerprint


def test_vocabulary_is_a_frozen_value(vocabulary: Vocabulary) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        vocabulary.fingerprint = "x"  # type: ignore[misc]
    hash(vocabulary)


def test_load_from_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    vocabulary = load_vocabulary(path)
    assert vocabulary.source == str(path)
    assert [i.id for i in vocabulary.instruments] == ["basel"]


# --- errors: the message names the file, the entry and the problem ---------------------


def _with_instrument(extra: str) -> str:
    return MINIMAL + "\n[[instrument]]\n" + extra


BAD_FILES = [
    pytest.param("[[instrument]\nid = 1", "not valid TOML", id="toml-syntax"),
    pytest.param(MINIMAL + "\n[[themes]]\nid = 'x'\n", "unknown table 'themes'", id="misspelt-table"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\nshort_name = ["X Treaty"]\n'),
                 "[[instrument]] #2 (id = 'x'): unknown key 'short_name'", id="misspelt-key"),
    pytest.param(_with_instrument('label = "X"\nkind = "convention"\nshort_names = ["X Treaty"]\n'),
                 "[[instrument]] #2: missing 'id'", id="missing-id"),
    pytest.param(_with_instrument('id = "Basel 2"\nlabel = "X"\nkind = "convention"\nshort_names = ["X"]\n'),
                 "'id' must be a lowercase slug", id="bad-id"),
    pytest.param(_with_instrument('id = "basel"\nlabel = "X"\nkind = "convention"\nshort_names = ["X Treaty"]\n'),
                 "[[instrument]] #2 (id = 'basel'): this id is already used", id="duplicate-id"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "treaty"\nshort_names = ["X Treaty"]\n'),
                 "'kind' must be one of", id="unknown-kind"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "fund"\nparent = "nowhere"\nshort_names = ["X Fund"]\n'),
                 "'parent' names unknown instrument 'nowhere'", id="unknown-parent"),
    pytest.param(MINIMAL.replace('short_names = ["Basel Convention"]', 'short_names = ["Basel Convention"]\nparent = "basel"'),
                 "'parent' makes a loop", id="parent-loop"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\nshort_names = ["the Convention"]\n'),
                 "name 'the Convention' is too generic", id="generic-name"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "protocol"\nshort_names = ["Protocol"]\n'),
                 "too generic", id="generic-protocol"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\nshort_names = ["Basel Conventions"]\n'),
                 "name 'Basel Conventions' is already a name of 'basel'", id="same-name-after-stemming"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\nacronyms = ["x y"]\n'),
                 "acronym 'x y' must be one word with a capital letter", id="bad-acronym"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\n'),
                 "give at least one of full_names", id="no-names"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\nshort_names = "X Treaty"\n'),
                 "'short_names' must be a list of non-empty strings", id="string-not-list"),
    pytest.param(_with_instrument('id = "x"\nlabel = "X"\nkind = "convention"\nshort_names = ["X Treaty"]\nsymbol_prefixes = ["X/", "X/"]\n'),
                 "'symbol_prefixes' lists 'X/' twice", id="duplicate-in-list"),
    pytest.param(MINIMAL.replace('short_names = ["Basel Convention"]', 'short_names = ["Basel Convention"]\nsymbol_prefixes = ["UNEP/CHW"]')
                 + '\n[[instrument]]\nid = "x"\nlabel = "X"\nkind = "convention"\nshort_names = ["X Treaty"]\nsymbol_prefixes = ["unep/chw"]\n',
                 "symbol prefix 'unep/chw' already belongs to 'basel'", id="shared-symbol-prefix"),
    pytest.param(MINIMAL + '\n[[theme]]\nid = "finance"\nlabel = "F"\nterms = ["fund"]\n',
                 "[[theme]] #2 (id = 'finance'): this id is already used", id="duplicate-theme"),
    pytest.param(MINIMAL + '\n[[theme]]\nid = "empty"\nlabel = "E"\n', "give at least one term", id="theme-without-terms"),
    pytest.param(MINIMAL + '\n[[acronym]]\nacronym = "ODS"\n', "give at least one expansion", id="acronym-without-expansions"),
    pytest.param(
        MINIMAL.replace('short_names = ["Basel Convention"]', 'short_names = ["Basel Convention"]\nacronyms = ["BC"]')
        + '\n[[acronym]]\nacronym = "BC"\nexpansions = ["before Christ"]\n',
        "[[acronym]] #1 (acronym = 'BC'): 'BC' is already defined by instrument 'basel'",
        id="acronym-defined-twice"),
    pytest.param("", "no [[instrument]] entry", id="empty-file"),
]


@pytest.mark.parametrize("text, message", BAD_FILES)
def test_bad_file_is_reported(text: str, message: str) -> None:
    with pytest.raises(VocabularyError) as error:
        parse_vocabulary(text, source="mine.toml")
    assert str(error.value).startswith("mine.toml: ")
    assert message in str(error.value)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(VocabularyError, match="nowhere.toml: cannot read the vocabulary file"):
        load_vocabulary(missing)
