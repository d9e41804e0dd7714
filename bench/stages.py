"""Where indexing one PDF spends its CPU, beside pypdf's own text extraction.

Run with ``.venv/bin/python bench/stages.py [file.pdf ...] [--runs N]``. For each
file, in this one process, N times each: pypdf ``extract_text`` on every page
(the baseline), then the stages of ``index``: reading and splitting
(``extract_document``), tagging, making the index records, adding them to a
writer and committing the segment. Prints the median CPU seconds of every
stage, pages/s of reading, and each stage as a share of the pypdf baseline.
Defaults: the ADP negotiating text (86 pages, text set glyph by glyph) and the
BBNJ report (81 pages, two-byte fonts) of the shared corpus.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer import engine as engines
from indexer.storage import generations as store

from indexer.tagging import tagger as tagging  # noqa: E402
from indexer.units.extract import extract_document  # noqa: E402
from indexer.index.records import SourceInfo, document_records  # noqa: E402
from indexer.tagging.vocabulary import load_vocabulary  # noqa: E402

UN = ROOT.parent / "shared" / "corpus" / "un"
DEFAULTS = [UN / "ADP_2015_Geneva_negotiating_text_12Feb2015.pdf", UN / "A_AC.296_2026_9_BBNJ_PrepCom_report.pdf"]
STAGES = ("pypdf extract_text", "read and split", "tag", "records", "writer add", "writer commit")


def cpu(function):
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def pypdf_text(path: Path) -> int:
    from pypdf import PdfReader

    pages = PdfReader(path).pages
    for page in pages:
        page.extract_text()
    return len(pages)


def one_run(path: Path, vocabulary, scratch: Path) -> dict[str, float]:
    times = {}
    times["pypdf extract_text"], _ = cpu(lambda: pypdf_text(path))
    times["read and split"], document = cpu(lambda: extract_document(path))
    times["tag"], tags = cpu(lambda: tagging.tag_document(document, vocabulary))
    times["records"], records = cpu(
        lambda: list(document_records(document, tags, SourceInfo(path=str(path), sha256="bench")))
    )
    engine = engines.get()
    _name, folder = store.create_generation(scratch)
    engine.create(folder)
    batch = engine.writer(folder, merge=False, memory_mb=64)
    writer = batch.__enter__()

    def add():
        for record in records:
            writer.add(record)

    times["writer add"], _ = cpu(add)
    times["writer commit"], _ = cpu(lambda: batch.__exit__(None, None, None))
    times["pages"], times["units"] = document.page_count, len(document.units)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=[str(p) for p in DEFAULTS])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary()
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"error: no such file {path}", file=sys.stderr)
            return 1
        runs = []
        with tempfile.TemporaryDirectory() as scratch:
            for run in range(args.runs):
                runs.append(one_run(path, vocabulary, Path(scratch) / str(run)))
        median = {stage: statistics.median(r[stage] for r in runs) for stage in STAGES}
        baseline = median["pypdf extract_text"]
        ours = sum(median[stage] for stage in STAGES[1:])
        print(f"{path.name}: {runs[0]['pages']} pages, {runs[0]['units']} units; "
              f"median CPU seconds of {args.runs} runs")
        for stage in STAGES:
            print(f"  {stage:<20} {median[stage]:7.3f} s  {median[stage] / baseline:5.2f} x pypdf")
        print(f"  {'all of index':<20} {ours:7.3f} s  {ours / baseline:5.2f} x pypdf   "
              f"(reading: {runs[0]['pages'] / median['read and split']:.0f} pages/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
