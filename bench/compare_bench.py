"""How long the compare page's answer takes, run by hand on an index the search benchmark built.

For each query of the search benchmark's mix (bench/requests.py, without filters):
``SearchService.compare`` once to warm up, then REPEATS timed calls; prints the
median of each query and the median and p95 over all calls.

    .venv/bin/python -m bench.compare_bench --units 200000   # bench/out/index-200000/whoosh
    .venv/bin/python -m bench.compare_bench --index-dir DIR
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

from bench.requests import QUERIES
from bench.scale_corpus import index_dir
from bench.search_bench import percentile

# Timed calls per query after the warm-up call.
REPEATS = 7


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, help="the search benchmark's index of this many units")
    parser.add_argument("--index-dir", help="an index directory instead")
    args = parser.parse_args(argv)
    if not args.units and not args.index_dir:
        parser.error("give --units N or --index-dir DIR")
    from indexer.search.service import SearchService

    service = SearchService(args.index_dir or index_dir(args.units, "whoosh"))
    every = []
    for query, _instrument, _second in QUERIES:
        if not query:
            continue
        service.compare(query)
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            service.compare(query)
            times.append((time.perf_counter() - start) * 1000)
        every += times
        print(f"{statistics.median(times):8.1f} ms  {query}")
    print(f"all {len(every)} calls: median {statistics.median(every):.1f} ms, p95 {percentile(every, 0.95):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
