"""Decisions printed in a report: each numbers its paragraphs from 1 and is a section level."""
from pathlib import Path

import pytest

from indexer.models import Line
from indexer.units.extract import extract_document
from indexer.units.un_layout import split_units

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _lines(*texts: str) -> list[Line]:
    return [Line(text=t, page=1) for t in texts]


REPORT = _lines(
    "Decision 1/CP.9", "First matter", "", "The Conference of the Parties,", "",
    "Recalling its earlier work,", "", "1. Decides one thing;", "", "2. Decides another thing.", "",
    "Decision 2/CP.9", "Second matter", "", "The Conference of the Parties,", "",
    "1. Adopts the terms of reference contained in the annex.", "", "Annex", "Terms of reference", "",
    "1. The committee shall meet.", "",
    "Resolution 1/CP.9", "Expression of gratitude", "", "1. Thanks the host.",
)


@pytest.mark.parametrize(
    "paragraph, citation, decision",
    [
        pytest.param("dec1-CP-9.pp1", "R, decision 1/CP.9, preambular para. 1", "decision 1/CP.9", id="preamble-of-decision"),
        pytest.param("dec1-CP-9.2", "R, decision 1/CP.9, para. 2", "decision 1/CP.9", id="first-decision"),
        # Numbering restarts under the second decision.
        pytest.param("dec2-CP-9.1", "R, decision 2/CP.9, para. 1", "decision 2/CP.9", id="restart"),
        pytest.param("dec2-CP-9.annex.1", "R, decision 2/CP.9, annex, para. 1", "decision 2/CP.9", id="annex-of-decision"),
        # A resolution in the same report is a decision level too, with its own ids.
        pytest.param("res1-CP-9.1", "R, resolution 1/CP.9, para. 1", "resolution 1/CP.9", id="resolution"),
    ],
)
def test_units_know_their_decision(paragraph, citation, decision):
    units = {u.paragraph: u for u in split_units(REPORT, "R", "Report")}
    assert (units[paragraph].citation, units[paragraph].decision) == (citation, decision)


@pytest.mark.parametrize(
    "relative, decisions",
    [
        pytest.param("decisions/FCCC_CP_2022_10_Add.1_decisions_1-12-CP.27.txt", 12, id="cop27"),
        pytest.param("decisions/FCCC_PA_CMA_2022_10_Add.1_decisions_1-5-CMA.4.txt", 5, id="cma4"),
        # Ten decisions and one resolution.
        pytest.param("decisions/FCCC_KP_CMP_2021_8_Add.1_decisions_1-10-CMP.16.txt", 11, id="cmp16"),
    ],
)
def test_every_unit_of_a_decision_report_knows_its_decision(relative, decisions):
    path = CORPUS / relative
    if not path.is_file():
        pytest.skip(f"reference corpus missing at {path}")
    units = extract_document(path).units
    body = [u for u in units if u.kind != "footnote"]
    assert all(u.decision for u in body)
    assert len({u.decision for u in body}) == decisions
    for unit in body:
        assert f", {unit.citation.split(', ')[1]}".startswith((", decision ", ", resolution "))
