"""Every row of ../shared/eval/citations.tsv: the unit holding the snippet carries the expected citation.

The snippet is looked up with spaces collapsed in the units' text; the row passes
when exactly one unit holds it and its citation is the expected one.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from extracted import extracted

SHARED = Path(__file__).resolve().parents[3] / "shared"
TABLE = SHARED / "eval" / "citations.tsv"
CORPUS = SHARED / "corpus"
pytestmark = pytest.mark.skipif(not TABLE.is_file(), reason=f"citation table missing at {TABLE}")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _units(relative: str):
    return extracted(CORPUS / relative).units


def _rows():
    if not TABLE.is_file():
        return []
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    params = []
    for n, row in enumerate(rows, start=2):
        params.append(pytest.param(row["file"], row["snippet"], row["expected_citation"],
                                   id=f"line{n}-{row['expected_citation']}"))
    return params


@pytest.mark.parametrize("relative, snippet, expected", _rows())
def test_unit_holding_snippet_has_expected_citation(relative, snippet, expected):
    wanted = _collapse(snippet)
    holders = [u for u in _units(relative) if wanted in _collapse(u.text)]
    assert holders, f"no unit of {relative} holds {snippet!r}"
    assert [_collapse(u.citation) for u in holders] == [_collapse(expected)]
