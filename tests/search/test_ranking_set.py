"""The graded query set of bench/ranking_eval.py names units the extractor gives.

A change of the splitters renames units; a graded unit that no longer exists
would count as a miss for ever and the measure would drift. This test says
which ones to grade again.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_CORPUS
from extracted import extracted
from indexer.models import unit_uid

DATA = ROOT / "tests" / "data" / "ranking"


def _corpus() -> list[Path]:
    lines = (DATA / "corpus.txt").read_text(encoding="utf-8").splitlines()
    return [SHARED_CORPUS / line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason=f"reference corpus missing at {SHARED_CORPUS}")
def test_every_graded_unit_exists():
    uids = {unit_uid(d.symbol, u.paragraph) for d in map(extracted, _corpus()) for u in d.units}
    queries = json.loads((DATA / "queries.json").read_text(encoding="utf-8"))
    assert len(queries) >= 40
    missing = sorted({uid for q in queries for uid in q["grades"] if uid not in uids})
    assert missing == []
