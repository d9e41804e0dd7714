"""Extraction speed: pages per second of ``extract_document`` on the 81-page report.

Run with ``.venv/bin/python bench/extract_speed.py [file.pdf] [--runs N]``; prints
each run and the median. The default file is the BBNJ Preparatory Commission
report in the shared corpus beside the repository.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.extract import extract_document  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "corpus" / "un" / "A_AC.296_2026_9_BBNJ_PrepCom_report.pdf"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    path = Path(args.file)
    if not path.is_file():
        print(f"error: no such file {path}", file=sys.stderr)
        return 1
    rates = []
    for run in range(1, args.runs + 1):
        started = time.perf_counter()
        document = extract_document(path)
        seconds = time.perf_counter() - started
        rates.append(document.page_count / seconds)
        print(f"run {run}: {document.page_count} pages, {len(document.units)} units in {seconds:.2f} s "
              f"= {rates[-1]:.1f} pages/s")
    print(f"median: {statistics.median(rates):.1f} pages/s over {args.runs} runs ({path.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
