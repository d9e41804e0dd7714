"""Re-indexing benchmark: extraction time against a parallel rebuild, the no-op
re-index, and memory. Run by hand, not by the tests:

    .venv/bin/python bench/reindex.py            # >= 300 PDFs, >= 5,000 pages, 1,000 small files
    .venv/bin/python bench/reindex.py --quick    # a small run to check the bench itself

It builds, under --out (default bench/out/reindex, ignored by git):

  pdfs/   at least --files PDFs with at least --pages pages, copies of the shared
          PDFs. Each copy has distinct bytes (a /BenchCopy entry in its info
          dictionary), else the extraction cache would read one copy and reuse it
          for all. Each copy also needs its own document symbol: the index keeps
          one file per symbol and refuses a second file with the same symbol as a
          duplicate. The ADP negotiating text prints no symbol, so its copies take
          their file names; the seed note's printed symbol is rewritten in its
          content streams (UNEP(DTIE)/Hg/INC.1/10/Add.N), its text otherwise the
          same; the other shared PDFs are used once.
  small/  --small short text files (the seed note's first paragraphs), for the no-op.

and prints, in one run: plain pypdf text extraction of every PDF on one core, the
project's extractor (extract_document) on one core, `index --rebuild` wall time
with --jobs 1 and --jobs N (N = CPUs), the ratio of the latter to
(extraction / N), the no-op re-index times, and peak memory.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
ADP = SHARED / "un" / "ADP_2015_Geneva_negotiating_text_12Feb2015.pdf"
SEED_PDF = SHARED / "seed" / "UNEP-DTIE-Hg-INC.1-10.pdf"
SEED_TXT = SHARED / "seed" / "UNEP-DTIE-Hg-INC.1-10.txt"
ONCE = [
    SHARED / "un" / "A_AC.296_2026_9_BBNJ_PrepCom_report.pdf",
    SHARED / "un" / "A_RES_77_321.pdf",
    SHARED / "un" / "A_RES_78_272.pdf",
]
SEED_SYMBOL = b"UNEP\\(DTIE\\)/Hg/INC.1/10"  # as written in the seed's content streams

sys.path.insert(0, str(ROOT))


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def build_pdf_corpus(folder: Path, files: int, pages: int) -> tuple[int, int]:
    """Copies of the shared PDFs: (files, pages) written."""
    from pypdf import PdfReader, PdfWriter

    folder.mkdir(parents=True, exist_ok=True)
    adp_pages, seed_pages = page_count(ADP), page_count(SEED_PDF)
    once_pages = sum(page_count(p) for p in ONCE)
    # Enough ADP copies for the pages, seed copies for the rest of the files.
    spare = files - len(ONCE)
    adp = max(0, math.ceil((pages - once_pages - seed_pages * spare) / (adp_pages - seed_pages)))
    seeds = max(0, spare - adp)
    for source in ONCE:
        shutil.copyfile(source, folder / source.name)
    for number in range(adp):
        writer = PdfWriter(clone_from=PdfReader(ADP))
        writer.add_metadata({"/BenchCopy": str(number)})
        writer.write(folder / f"ADP_2015_Geneva_negotiating_text_copy{number:03d}.pdf")
    for number in range(seeds):
        symbol = SEED_SYMBOL + b"/Add.%d" % (number + 1)
        writer = PdfWriter(clone_from=PdfReader(SEED_PDF))
        for page in writer.pages:
            contents = page.get_contents()
            contents.set_data(contents.get_data().replace(SEED_SYMBOL, symbol))
            page.replace_contents(contents)
        writer.add_metadata({"/Title": symbol.replace(b"\\", b"").decode(), "/BenchCopy": str(number)})
        writer.write(folder / f"UNEP-DTIE-Hg-INC.1-10-Add.{number + 1}.pdf")
    _age(folder)
    return len(ONCE) + adp + seeds, once_pages + adp * adp_pages + seeds * seed_pages


def build_small_corpus(folder: Path, count: int) -> None:
    """``count`` short text files of real paragraphs, each its own document (named by file)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SEED_TXT.read_text(encoding="utf-8")
    text = text[: text.rfind("\n\n", 0, 3500) + 1]
    for number in range(count):
        (folder / f"UNEP-BENCH-{number:04d}.txt").write_text(text, encoding="utf-8")
    _age(folder)


def _age(folder: Path) -> None:
    # A real corpus was not written a second ago: date the files back an hour.
    past = time.time() - 3600
    for path in folder.iterdir():
        os.utime(path, (past, past))


def plain_pypdf(pdfs: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU seconds of pypdf's extract_text on every page, one core; pages read."""
    from pypdf import PdfReader

    wall, cpu, pages = time.perf_counter(), time.process_time(), 0
    for path in pdfs:
        for page in PdfReader(path).pages:
            page.extract_text()
            pages += 1
    return time.perf_counter() - wall, time.process_time() - cpu, pages


def project_extractor(pdfs: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds of indexer.extract.extract_document on every file, one core."""
    from indexer.units.extract import extract_document

    wall, cpu = time.perf_counter(), time.process_time()
    for path in pdfs:
        extract_document(path)
    return time.perf_counter() - wall, time.process_time() - cpu


class Run:
    """One `python -m indexer ...` process: wall time, CPU of its process tree, memory."""

    def __init__(self, *arguments):
        self.arguments = [str(a) for a in arguments]

    def __call__(self) -> "Run":
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("INDEXER_PAUSE_AT", None)
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "indexer", *self.arguments], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        tree = _Tree(process.pid)
        watcher = threading.Thread(target=tree.watch, daemon=True)
        watcher.start()
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        self.wall = time.perf_counter() - started
        tree.done = True
        watcher.join()
        # Workers are children of the fork server, which this process does not
        # reap: their CPU time is summed from /proc while they run.
        self.cpu = max(usage.ru_utime + usage.ru_stime, tree.cpu())
        self.tree_peak_mb = max(usage.ru_maxrss / 1024, tree.peak_worker_mb)
        self.main_rss_mb = tree.main_rss_mb
        self.summary = output.strip().splitlines()[-1] if output.strip() else ""
        if process.returncode not in (0, 2):
            raise SystemExit(f"indexer {' '.join(self.arguments)} failed ({process.returncode}): {output}")
        return self


class _Tree:
    """Samples a process and its descendants: CPU seconds, the writer's RSS, workers' peak RSS."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, pid: int):
        self.pid = pid
        self.done = False
        self.ticks: dict[int, int] = {}
        self.main_rss_mb: list[float] = []
        self.peak_worker_mb = 0.0

    def cpu(self) -> float:
        return sum(self.ticks.values()) / self.TICK

    def watch(self) -> None:
        while not self.done:
            stats = {}
            for entry in os.scandir("/proc"):
                if entry.name.isdigit():
                    try:
                        raw = Path(entry.path, "stat").read_text()
                    except OSError:
                        continue
                    fields = raw.rsplit(")", 1)[1].split()
                    # fields[1] ppid, [11] utime, [12] stime, [21] rss pages
                    stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21]))
            family, grew = {self.pid}, True
            while grew:
                grew = False
                for pid, (ppid, _, _) in stats.items():
                    if ppid in family and pid not in family:
                        family.add(pid)
                        grew = True
            page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
            for pid in family & stats.keys():
                _, ticks, rss = stats[pid]
                self.ticks[pid] = max(self.ticks.get(pid, 0), ticks)
                if pid == self.pid:
                    self.main_rss_mb.append(rss * page_mb)
                else:
                    self.peak_worker_mb = max(self.peak_worker_mb, rss * page_mb)
            time.sleep(0.25)


def flat(samples: list[float]) -> str:
    """RSS at a quarter, half, three quarters and the end of the run."""
    if not samples:
        return "n/a"
    picks = [samples[min(len(samples) - 1, int(len(samples) * q))] for q in (0.25, 0.5, 0.75)]
    picks.append(max(samples))
    return " / ".join(f"{value:.0f}" for value in picks)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "reindex")
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="the parallel run's --jobs")
    parser.add_argument("--quick", action="store_true", help="30 PDFs, 300 pages, 200 small files")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the corpus and one-core extraction figures of the last run; time the rest")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.pages, args.small = 30, 300, 200
    out = args.out
    pdf_dir, small_dir, index_dir, small_index = out / "pdfs", out / "small", out / "index", out / "small-index"
    previous = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else None
    reuse = args.reuse and previous is not None and "extract_document" in previous
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if reuse:
        files, pages = previous["files"], previous["pages"]
        for folder in (index_dir, small_index):
            shutil.rmtree(folder, ignore_errors=True)
        print(f"corpus: {files} PDFs, {pages} pages in {pdf_dir} (kept from the last run)")
    else:
        if out.exists():
            shutil.rmtree(out)
        began = time.perf_counter()
        files, pages = build_pdf_corpus(pdf_dir, args.files, args.pages)
        build_small_corpus(small_dir, args.small)
        print(f"corpus: {files} PDFs, {pages} pages in {pdf_dir} ({time.perf_counter() - began:.0f}s to make); "
              f"{args.small} small text files in {small_dir}")
    pdfs = sorted(pdf_dir.glob("*.pdf"))
    cpus = os.cpu_count() or 1
    results = {"files": files, "pages": pages, "cpus": cpus, "jobs": args.jobs}

    if reuse:
        results["pypdf"], results["extract_document"] = previous["pypdf"], previous["extract_document"]
        wall, cpu = results["pypdf"]["wall"], results["pypdf"]["cpu"]
        print(f"plain pypdf extract_text, 1 core:    {wall:8.1f}s wall  {cpu:8.1f}s CPU  (last run)")
    else:
        wall, cpu, counted = plain_pypdf(pdfs)
        results["pypdf"] = {"wall": wall, "cpu": cpu}
        print(f"plain pypdf extract_text, 1 core:    {wall:8.1f}s wall  {cpu:8.1f}s CPU  "
              f"({counted / wall:.1f} pages/s)")
    if reuse:
        wall, cpu = results["extract_document"]["wall"], results["extract_document"]["cpu"]
        print(f"extract_document, 1 core:            {wall:8.1f}s wall  {cpu:8.1f}s CPU  (last run)")
    else:
        wall, cpu = project_extractor(pdfs)
        results["extract_document"] = {"wall": wall, "cpu": cpu}
        print(f"extract_document, 1 core:            {wall:8.1f}s wall  {cpu:8.1f}s CPU  "
              f"({pages / wall:.1f} pages/s)")

    runs = {}
    for jobs in (1, args.jobs):
        run = Run("index", pdf_dir, "--index-dir", index_dir, "--rebuild", "--jobs", jobs)()
        runs[jobs] = run
        results[f"rebuild_jobs_{jobs}"] = {"wall": run.wall, "cpu": run.cpu, "tree_peak_mb": run.tree_peak_mb,
                                           "main_rss_mb": run.main_rss_mb, "summary": run.summary}
        print(f"index --rebuild --jobs {jobs}:             {run.wall:8.1f}s wall  {run.cpu:8.1f}s CPU "
              f"(all processes)  peak RSS {run.tree_peak_mb:.0f} MB; writer RSS at 1/4, 1/2, 3/4, max: "
              f"{flat(run.main_rss_mb)} MB")
        print(f"    {run.summary}")
    parallel = runs[args.jobs].wall
    for name in ("pypdf", "extract_document"):
        # The one-core CPU time is what its wall time is on an otherwise idle core:
        # printed too, as other load on the machine inflates wall times unevenly.
        for clock in ("wall", "cpu"):
            ideal = results[name][clock] / args.jobs
            results[f"ratio_to_{name}_{clock}"] = parallel / ideal
            print(f"rebuild --jobs {args.jobs} wall / ({name} {clock} / {args.jobs}):  "
                  f"{parallel:.1f} / {ideal:.1f} = {parallel / ideal:.2f}  (goal <= 1.15)")
    print(f"speed-up --jobs 1 -> --jobs {args.jobs}:      {runs[1].wall / parallel:.2f}x")

    noop = Run("index", pdf_dir, "--index-dir", index_dir)()
    results["noop_pdfs"] = noop.wall
    print(f"no-op re-index, {files} PDFs:           {noop.wall:8.2f}s    {noop.summary}")

    Run("index", small_dir, "--index-dir", small_index, "--jobs", args.jobs)()
    noop = Run("index", small_dir, "--index-dir", small_index)()
    results["noop_small"] = noop.wall
    print(f"no-op re-index, {args.small} small files:   {noop.wall:8.2f}s    (goal < 2 s)  {noop.summary}")
    for path in small_dir.iterdir():
        os.utime(path)  # new mtimes, same bytes: every file is hashed, none re-read
    touched = Run("index", small_dir, "--index-dir", small_index)()
    results["touched_small"] = touched.wall
    print(f"re-index, {args.small} files touched (same bytes): {touched.wall:6.2f}s    {touched.summary}")

    print(f"load average after: {os.getloadavg()[0]:.2f}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results["peak_rss_children_mb"] = children
    print(f"peak RSS of any child process (getrusage RUSAGE_CHILDREN): {children:.0f} MB")
    (out / "results.json").write_text(json.dumps(results, indent=1))
    print(f"figures saved in {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
