"""Real UN documents: paragraph numbering without gaps, headings, no page furniture in the text."""
import re
from pathlib import Path

import pytest

from extracted import extracted
from indexer.units.un_layout import paragraph_number_report

SHARED = Path(__file__).resolve().parents[3] / "shared"
UN = SHARED / "corpus" / "un"
pytestmark = pytest.mark.skipif(not UN.is_dir(), reason=f"reference corpus missing at {UN}")

# file -> (symbol, date, pages, job number, numbered paragraphs of the main text)
DOCUMENTS = {
    "A_RES_77_321.pdf": ("A/RES/77/321", "2023-08-08", 2, "23-15249", 6),
    "A_RES_78_272.pdf": ("A/RES/78/272", "2024-04-29", 4, "24-07683", 17),
    "A_AC.296_2026_9_BBNJ_PrepCom_report.pdf": ("A/AC.296/2026/9", "2026-05-04", 81, "26-06383", 74),
    "ADP_2015_Geneva_negotiating_text_12Feb2015.pdf": ("ADP_2015_Geneva_negotiating_text_12Feb2015", "2015-02-12", 86, None, 104),
    "FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt": ("FCCC/CP/2015/10/Add.1", "2016-01-29", 1, None, 139),
    "FCCC_SBI_2023_10_report_SBI58.txt": ("FCCC/SBI/2023/10", "2023-08-02", 1, None, 170),
}

# A decision printed in its report numbers its paragraphs in its own scope.
MAIN_RUN = {"FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt": "dec1-CP-21"}


def document(name: str):
    return extracted(UN / name)


def units(name: str) -> dict:
    return {u.paragraph: u for u in document(name).units}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_metadata(name):
    symbol, date, pages, _, _ = DOCUMENTS[name]
    doc = document(name)
    assert (doc.symbol, doc.date, doc.page_count) == (symbol, date, pages)
    assert doc.title


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_numbered_paragraphs_in_sequence(name):
    report = paragraph_number_report(document(name).units)
    print(f"{name}: {report.count} numbered paragraphs in {len(report.runs)} runs; gaps {report.gaps}; repeats {report.duplicates}")
    main = report.runs[MAIN_RUN.get(name, "")]
    assert main["count"] == DOCUMENTS[name][4]
    assert main["gaps"] == [] and main["duplicates"] == []
    for scope, run in report.runs.items():
        assert run["gaps"] == [] and run["duplicates"] == [], scope


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_ids_unique_and_order(name):
    doc = document(name)
    ids = [u.paragraph for u in doc.units]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9.()\-]+", i) for i in ids)  # safe in a URL
    assert [u.order for u in doc.units] == list(range(len(ids)))
    assert all(u.text or u.kind == "paragraph" for u in doc.units)


@pytest.mark.parametrize("name", sorted(n for n, d in DOCUMENTS.items() if d[3]))
def test_no_running_header_job_number_or_page_number_in_text(name):
    symbol, _, pages, job, _ = DOCUMENTS[name]
    barcode = "*" + job.replace("-", "") + "*"
    furniture = [
        re.compile(re.escape(job)),  # "26-06383" alone or with "(E)" and the date
        re.compile(re.escape(barcode)),
        re.compile(rf"\b\d{{1,3}}/{pages}\b"),  # "2/81"
        re.compile(rf"^{re.escape(symbol)}\b|\b{re.escape(symbol)}$"),  # the header symbol glued to text
    ]
    for unit in document(name).units:
        for pattern in furniture:
            # A footnote may cite the document itself ("A/AC.296/2026/9.") as its whole text.
            if unit.kind == "footnote" and unit.text.startswith(symbol):
                continue
            assert not pattern.search(unit.text), (unit.paragraph, pattern.pattern, unit.text[:120])


def test_adp_running_header_is_gone():
    for unit in document("ADP_2015_Geneva_negotiating_text_12Feb2015.pdf").units:
        assert "agenda item 3" not in unit.text.lower() or "ADP 2-8" not in unit.text


@pytest.mark.parametrize(
    "name, paragraph, section",
    [
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "1", ("I. Introduction",)),
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "3", ("II. Organizational matters", "A. Sessions of the Preparatory Commission")),
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "15",
         ("II. Organizational matters", "E. Proceedings of the sessions of the Preparatory Commission", "1. Organizational meeting")),
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "annexI.rule4.1", ("Annex I", "II. Meetings", "Rule 4 Modalities of meetings")),
        # The decision is a section level; its paragraphs are numbered in its scope.
        ("FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt", "dec1-CP-21.1",
         ("Decision 1/CP.21 Adoption of the Paris Agreement", "I. Adoption")),
        ("FCCC_SBI_2023_10_report_SBI58.txt", "29", None),
        ("A_RES_77_321.pdf", "pp1", ()),
    ],
)
def test_sections(name, paragraph, section):
    unit = units(name)[paragraph]
    if section is None:
        assert unit.section[-1] == "1. Proceedings"
    else:
        assert unit.section == section


@pytest.mark.parametrize(
    "name, paragraph, kind, citation, start",
    [
        ("A_RES_77_321.pdf", "pp3", "preamble", "A/RES/77/321, preambular para. 3", "Having considered the report"),
        ("A_RES_77_321.pdf", "1", "paragraph", "A/RES/77/321, para. 1", "Welcomes the adoption"),
        ("A_RES_78_272.pdf", "fn1", "footnote", "A/RES/78/272, footnote 1", "United Nations, Treaty Series"),
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "annexI.rule1", "article", "A/AC.296/2026/9, annex I, rule 1", "The present rules"),
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "annexIII.optI.1", "paragraph", "A/AC.296/2026/9, annex III, option I, para. 1", "Decides that the secretariat"),
        ("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf", "annexIV.2(a)", "subparagraph", "A/AC.296/2026/9, annex IV, para. 2 (a)", "It will take a decision"),
        # The Agreement annexed to the decision is cited by its own name.
        ("FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt", "dec1-CP-21.annex.art4.1", "paragraph", "Paris Agreement, art. 4, para. 1", "In order to achieve the long-term"),
        ("FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt", "dec1-CP-21.annex.pp1", "preamble", "Paris Agreement, preambular para. 1", "Being Parties to the United Nations"),
        ("FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt", "dec1-CP-21.53", "paragraph", "FCCC/CP/2015/10/Add.1, decision 1/CP.21, para. 53", "Also decides that"),
    ],
)
def test_units(name, paragraph, kind, citation, start):
    unit = units(name)[paragraph]
    assert (unit.kind, unit.citation) == (kind, citation)
    assert unit.text.startswith(start)


def test_words_split_in_several_runs_are_rejoined():
    text = " ".join(u.text for u in document("A_RES_78_272.pdf").units)
    for word in ("Agreement,", "Co-Chairs", "representatives", "implementation,"):
        assert word in text
    for broken in ("Agr eement", "Co -Chairs", "representati ves", "implementation ,"):
        assert broken not in text
    report = " ".join(u.text for u in document("A_AC.296_2026_9_BBNJ_PrepCom_report.pdf").units)
    assert "Asia-Pacific" in report and "Asia -" not in report


def test_quoted_agenda_does_not_break_the_numbering():
    unit = units("FCCC_SBI_2023_10_report_SBI58.txt")["9"]
    assert "Opening of the session" in unit.text and "Closure of and report on the session" in unit.text
