"""Search latency while new index generations are published, run by hand.

Builds a small index from the shared corpus, then searches from client threads
of one ``SearchService`` while ``python -m indexer index`` publishes new
generations (the rounds of tests/index/test_concurrency.py). Prints the p50,
p99 and max latency of the searches that ran during a switch (from the moment
CURRENT changed until the service answered from the new generation, plus a
second) and of the others, for both ways a service takes up a new generation
(``switch="wait"``: the noticing call loads it; ``"background"``: the web app's).

    PYTHONPATH=. .venv/bin/python -m bench.switch_latency [--corpus ../shared/corpus] [--clients 4]
"""
from __future__ import annotations

import argparse
import math
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
QUERIES = ("mercury", "Parties shall", "emissions", "technology transfer")
# Requests this long after the swap still count as "during the switch".
AFTER_SWAP_SECONDS = 1.0
# Pause after each publish, so that every switch completes before the next build.
SETTLE_SECONDS = 10.0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(fraction * len(ordered))) - 1)] if ordered else float("nan")


def index(corpus: Path, index_dir: Path, *extra: str) -> None:
    done = subprocess.run([sys.executable, "-m", "indexer", "index", str(corpus), "--index-dir", str(index_dir),
                           "--jobs", "1", *extra], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)


def run(mode: str, source: Path, clients: int, work: Path) -> dict:
    from indexer.search.service import SearchService
    from indexer.storage.generations import current_generation

    corpus, index_dir = work / f"corpus-{mode}", work / f"index-{mode}"
    corpus.mkdir()
    files = {
        "seed": source / "seed" / "UNEP-DTIE-Hg-INC.1-10.pdf",
        "sbi": source / "un" / "FCCC_SBI_2023_10_report_SBI58.txt",
        "minamata": source / "treaties" / "Minamata_Convention.md",
        "paris": source / "un" / "FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt",
        "montreal": source / "treaties" / "Montreal_Protocol.md",
    }
    for name in ("seed", "sbi", "minamata"):
        shutil.copy(files[name], corpus)
    index(corpus, index_dir)
    service = SearchService(index_dir, switch=mode)
    service.search(QUERIES[0])
    stop = threading.Event()
    samples: list[tuple[float, float]] = []  # (started, milliseconds)
    swaps: list[tuple[float, float]] = []  # (CURRENT changed, service answered from it)
    lock = threading.Lock()

    def client(position):
        count = position
        while not stop.is_set():
            query = QUERIES[count % len(QUERIES)]
            count += 1
            service.clear_cache()  # every call searches (as the bench's warm, uncached passes)
            started = time.perf_counter()
            service.search(query, page=1 + count % 3)
            with lock:
                samples.append((started, (time.perf_counter() - started) * 1000))

    def watcher():
        seen = current_generation(index_dir)
        changed_at = None
        while not stop.is_set():
            now = current_generation(index_dir)
            if now != seen and changed_at is None:
                changed_at, seen = time.perf_counter(), now
            if changed_at is not None and service._generation is not None and service._generation.name == now:
                swaps.append((changed_at, time.perf_counter()))
                changed_at = None
            time.sleep(0.002)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)] + [threading.Thread(target=watcher)]
    for thread in threads:
        thread.start()
    try:
        rounds = [
            lambda: [shutil.copy(files[n], corpus) for n in ("paris", "montreal")],
            lambda: (corpus / files["sbi"].name).write_text(
                (corpus / files["sbi"].name).read_text(encoding="utf-8") + "\n\n97. Parties shall cut mercury.\n",
                encoding="utf-8"),
            lambda: (corpus / files["paris"].name).unlink(),
        ]
        for change in rounds:
            change()
            index(corpus, index_dir)
            time.sleep(SETTLE_SECONDS)  # let the switch happen and the clients settle
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    during = [ms for started, ms in samples
              if any(begin <= started + ms / 1000 and started <= end + AFTER_SWAP_SECONDS for begin, end in swaps)]
    outside = [ms for started, ms in samples
               if not any(begin <= started + ms / 1000 and started <= end + AFTER_SWAP_SECONDS for begin, end in swaps)]
    return {
        "mode": mode, "switches": len(swaps), "searches": len(samples),
        "swap_ms": [round((end - begin) * 1000) for begin, end in swaps],
        "during": (len(during), percentile(during, 0.5), percentile(during, 0.99), max(during, default=float("nan"))),
        "outside": (len(outside), percentile(outside, 0.5), percentile(outside, 0.99),
                    max(outside, default=float("nan"))),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.switch_latency", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        for mode in ("wait", "background"):
            found = run(mode, args.corpus, args.clients, Path(scratch))
            print(f"{mode}: {found['switches']} switches (CURRENT to swap: {found['swap_ms']} ms), "
                  f"{found['searches']} searches", flush=True)
            for part in ("during", "outside"):
                n, p50, p99, top = found[part]
                print(f"  {part} a switch: {n} searches, p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {top:.1f} ms",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
