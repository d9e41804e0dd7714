"""Search latency and throughput at InforMEA scale, run by hand (never by ``make test``).

For each ``--units N``: derive N records from the real corpus (bench/scale_corpus.py),
build an index of them per engine (each in its own process, for its peak RSS),
then run the fixed request mix (bench/requests.py) against:

- ours, in process: ``SearchService.search`` -- the first pass after opening
  (cold), then warm passes with the service's page cache emptied before every
  call (each request is searched), then warm passes served from that cache;
- ours over HTTP: gunicorn with 2 sync workers and ``webapp:create_app()`` on
  127.0.0.1, a pool of client threads with one ``http.client`` connection
  each, for a fixed time, with the page cache off (bench/gunicorn_nocache.py)
  and on;
- tantivy and SQLite FTS5, in process, over the same records and requests
  (bench/engines.py).

Tables go to stdout; raw numbers to bench/out/search-N.json, and with
``--profile`` the cProfile of the warm, uncached passes of ours to
bench/out/profile-N.txt.
"""
from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import math
import os
import pstats
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import requests as mix_module
from bench.scale_corpus import (
    ROOT,
    build_info_path,
    ensure_records,
    index_dir,
    out_dir,
    peak_rss_mb,
    read_stats,
    schema_key,
)

ENGINES = ("whoosh", "tantivy", "sqlite")
GOALS = {200_000: (30.0, 150.0), 1_000_000: (150.0, None)}  # p95 ms, HTTP req/s


# -- measuring ----------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values`` (fraction 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(len(ordered), rank) - 1]


def summary(milliseconds: list[float]) -> dict:
    return {
        "n": len(milliseconds),
        "p50": round(percentile(milliseconds, 0.50), 2),
        "p95": round(percentile(milliseconds, 0.95), 2),
        "max": round(max(milliseconds), 2) if milliseconds else float("nan"),
        "mean": round(sum(milliseconds) / len(milliseconds), 2) if milliseconds else float("nan"),
    }


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    value = call()
    return (time.perf_counter() - started) * 1000, value


def timed_cpu(call) -> tuple[float, float, object]:
    """(wall ms, CPU ms of this thread, value): the CPU time is what the call costs
    whatever else the machine is doing."""
    cpu_started = time.thread_time()
    started = time.perf_counter()
    value = call()
    wall = (time.perf_counter() - started) * 1000
    return wall, (time.thread_time() - cpu_started) * 1000, value


def memory_mb(pid: int | str = "self") -> dict:
    """A process's resident memory in MiB: all of it (rss), its private anonymous
    pages (anon: what it adds to the machine), file pages it maps (file: shared
    with every process mapping the same files, one copy in the page cache), and
    its proportional share (pss: shared pages divided among their users)."""
    found = {"rss": 0.0, "anon": 0.0, "file": 0.0, "pss": 0.0}
    names = {"VmRSS:": "rss", "RssAnon:": "anon", "RssFile:": "file", "Pss:": "pss"}
    for source in (f"/proc/{pid}/status", f"/proc/{pid}/smaps_rollup"):
        try:
            for line in Path(source).read_text().splitlines():
                parts = line.split()
                if parts and parts[0] in names:
                    found[names[parts[0]]] = round(int(parts[1]) / 1024, 1)
        except OSError:
            pass
    return found


def current_rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process now, in MiB (0 when unknown)."""
    return memory_mb(pid)["rss"]


# -- building -------------------------------------------------------------------------


def ensure_index(units: int, engine: str, rebuild: bool, procs: int = 1) -> dict:
    """The build numbers of an engine's index of N records, building it when missing."""
    info_path = build_info_path(units, engine)
    if info_path.exists() and index_dir(units, engine).exists() and not rebuild:
        info = json.loads(info_path.read_text())
        if info.get("schema") == schema_key():
            return info
        print(f"  the index schema changed since the {engine} index was built", flush=True)
    print(f"  building the {engine} index of {units} units ...", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale_corpus", "build", "--units", str(units), "--engine", engine,
         *(["--procs", str(procs)] if engine == "whoosh" else [])],
        cwd=ROOT, capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"building the {engine} index failed:\n{done.stderr[-3000:]}")
    info = json.loads(info_path.read_text())
    print(f"    {info['units_per_second']:.0f} units/s, {info['seconds']:.0f} s, "
          f"peak RSS {info['peak_rss_mb']:.0f} MiB (writing processes: {info.get('writers_peak_rss_mb', 0):.0f} "
          f"MiB each at most), index {info['index_mb']:.0f} MiB", flush=True)
    return info


# -- in process -------------------------------------------------------------------------


class Ours:
    """SearchService over the bench index; ``clear`` empties its page cache."""

    name = "whoosh"

    def __init__(self, target: Path):
        from indexer.search.service import SearchService

        self.service = SearchService(target)
        self.service.generation()  # opens the index and loads the facet tables

    def clear(self):
        self.service.clear_cache()

    def search(self, request):
        return answer_of(self.service.search(request.query, request.filters, 1, 10, "relevance"))


def answer_of(result) -> dict:
    """What a request's answer is made of (compared across runs by ``compare_answers``)."""
    return {
        "total": result.total,
        "hits": [{"uid": h.uid, "citation": h.citation, "score": h.score, "excerpt": h.excerpt_html}
                 for h in result.hits],
        "facets": {f: [(v.value, v.count) for v in values] for f, values in result.facets.items()},
        "suggestion": result.suggestion,
    }


def compare_answers(before: list[dict], after: list[dict], labels: list[str]) -> dict:
    """How two runs' answers to the same mix differ: requests with the same totals,
    facets and hits; those whose hits differ only in the order of equal scores (ties);
    and the others, by label."""
    same, ties, different = 0, [], []
    # As JSON both ways: answers read from a file hold lists where fresh ones hold tuples.
    before, after = json.loads(json.dumps(before)), json.loads(json.dumps(after))
    for label, old, new in zip(labels, before, after):
        old_hits = [(h["uid"], h["score"], h["excerpt"]) for h in old["hits"]]
        new_hits = [(h["uid"], h["score"], h["excerpt"]) for h in new["hits"]]
        rest_equal = (old["total"] == new["total"] and old["facets"] == new["facets"]
                      and old.get("suggestion") == new.get("suggestion"))
        if rest_equal and old_hits == new_hits:
            same += 1
        elif rest_equal and [h[1] for h in old_hits] == [h[1] for h in new_hits]:
            ties.append(label)  # the same scores in the same order: equal hits reordered
        else:
            different.append(label)
    if len(before) != len(after):
        different.append(f"{len(before)} answers before, {len(after)} after")
    return {"requests": len(labels), "same": same, "ties_reordered": ties, "different": different}


def open_engine(engine: str, units: int):
    if engine == "whoosh":
        return Ours(index_dir(units, engine))
    from bench import engines

    return engines.ENGINES[engine](index_dir(units, engine))


def run_in_process(engine: str, units: int, mix, passes: int, profile_path: Path | None) -> dict:
    """Open, cold pass, warm passes (uncached), and for ours warm passes from the cache."""
    rss_before = current_rss_mb()
    open_ms, searcher = timed(lambda: open_engine(engine, units))
    clear = getattr(searcher, "clear", lambda: None)
    cold, cold_cpu, answers = [], [], []
    for request in mix:
        clear()
        elapsed, cpu, answer = timed_cpu(lambda: searcher.search(request))
        cold.append(elapsed)
        cold_cpu.append(cpu)
        answers.append(answer)
    warm, warm_cpu = [], []
    per_request = [[] for _ in mix]
    for _ in range(passes):
        for position, request in enumerate(mix):
            clear()
            elapsed, cpu, _ = timed_cpu(lambda: searcher.search(request))
            warm.append(elapsed)
            warm_cpu.append(cpu)
            per_request[position].append(elapsed)
    cached = []
    if engine == "whoosh":
        for request in mix:  # fill the cache, then read from it
            searcher.search(request)
        for _ in range(passes):
            for request in mix:
                elapsed, _ = timed(lambda: searcher.search(request))
                cached.append(elapsed)
    if profile_path:
        # A pass of its own: the profiler slows Python code down several times.
        profiler = cProfile.Profile()
        for request in mix:
            clear()
            profiler.enable()
            searcher.search(request)
            profiler.disable()
        write_profile(profiler, profile_path, f"{engine}, {units} units, one warm uncached pass "
                      f"of {len(mix)} requests")
    result = {
        "answers": answers,
        "open_ms": round(open_ms, 1),
        "rss_after_open_mb": round(current_rss_mb() - rss_before, 1),
        "cold": summary(cold),
        "warm": summary(warm),
        "cold_cpu": summary(cold_cpu),
        "warm_cpu": summary(warm_cpu),
        "requests": [
            {"request": r.label, "filters": r.active_filters, "total": a["total"], "cold_ms": round(c, 2),
             "warm_p50_ms": round(percentile(times, 0.5), 2), "warm_max_ms": round(max(times), 2),
             "top": [h["uid"] for h in a["hits"][:3]]}
            for r, a, c, times in zip(mix, answers, cold, per_request)
        ],
    }
    for filters in (0, 1, 2):
        times = [t for r, ts in zip(mix, per_request) if r.active_filters == filters for t in ts]
        result[f"warm_{filters}_filters"] = summary(times)
    if cached:
        result["cached"] = summary(cached)
    return result


def write_profile(profiler: cProfile.Profile, path: Path, title: str) -> None:
    """The profile as text (top functions by cumulative and own time, the indexer's
    own functions, callers) and raw (``.prof``, for pstats or snakeviz)."""
    profiler.dump_stats(path.with_suffix(".prof"))
    text = io.StringIO()
    text.write(f"# {title}\n\n## top 15 by cumulative time\n")
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(15)
    text.write("\n## functions of indexer/ by cumulative time\n")
    # Unstripped, so the restriction can match the package directory.
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(r"/indexer/", 25)
    text.write("\n## top 15 by own time\n")
    stats.sort_stats("tottime").print_stats(15)
    text.write("\n## callers of the top 15 by own time\n")
    stats.sort_stats("tottime").print_callers(15)
    path.write_text(text.getvalue())
    print(f"  profile written to {path} (raw: {path.with_suffix('.prof').name})")


def profile_only(units: int, mix) -> None:
    """Just the profile of ours over one warm uncached pass (no other measurement)."""
    searcher = Ours(index_dir(units, "whoosh"))
    for request in mix:  # warm: the first pass reads the index files
        searcher.clear()
        searcher.search(request)
    profiler = cProfile.Profile()
    for request in mix:
        searcher.clear()
        profiler.enable()
        searcher.search(request)
        profiler.disable()
    write_profile(profiler, out_dir() / f"profile-{units}.txt",
                  f"whoosh, {units} units, one warm uncached pass of {len(mix)} requests")


# -- over HTTP -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_of(pid: int) -> float:
    """CPU seconds a process has used so far (0 when unknown)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pids(master: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def run_http(units: int, mix, seconds: float, clients: int, cache: bool) -> dict:
    """Throughput and latency of /api/search under gunicorn with 2 workers, for a fixed time."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "900",
               "--log-level", "warning"]
    if not cache:
        command += ["-c", "python:bench.gunicorn_nocache"]
    command.append("webapp:create_app()")
    env = {**os.environ, "INDEX_DIR": str(index_dir(units, "whoosh")), "PYTHONPATH": str(ROOT)}
    log = open(out_dir() / f"gunicorn-{units}.log", "w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start; see {log.name}")
                time.sleep(0.2)
        # Warm-up: one pass of the mix from every client, so both workers have
        # loaded the index (and, with the cache on, cached what they served).
        warmup_started = time.monotonic()
        # Sync workers take one connection each: the first round of concurrent
        # requests reaches both.
        if cache:
            _drive(port, mix, clients, passes=3)
        else:
            _drive(port, mix[:3], clients, passes=1)
        warmup = time.monotonic() - warmup_started
        workers = worker_pids(server.pid)
        code = code_state()
        cpu_before = sum(cpu_of(p) for p in workers)
        latencies, errors, elapsed = _drive(port, mix, clients, seconds=seconds)
        worker_cpu = sum(cpu_of(p) for p in workers) - cpu_before
        per_request = worker_cpu / max(1, len(latencies))
        memories = [memory_mb(p) for p in workers]
        return {
            "search_py_sha256": code["search_py_sha256"],
            # Server CPU per request, and what 2 idle cores could serve at that cost.
            "worker_cpu_ms_per_request": round(per_request * 1000, 2),
            "cpu_bound_throughput_2_cores": round(2 / per_request, 1) if per_request else None,
            "cache": cache, "clients": clients, "seconds": round(elapsed, 1), "warmup_seconds": round(warmup, 1),
            "requests": len(latencies), "errors": errors,
            "throughput": round(len(latencies) / elapsed, 1),
            "latency": summary(latencies),
            "worker_memory_mb": memories,
        }
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _drive(port, mix, clients, seconds=None, passes=None):
    """Send the mix from ``clients`` threads (each from its own offset, each on one
    connection) for ``seconds`` or ``passes`` passes; returns (ms list, errors, elapsed)."""
    paths = [r.path() for r in mix]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds if seconds else None

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        mine, count = [], 0
        position = offset
        while True:
            if stop_at is not None and time.monotonic() >= stop_at:
                break
            if passes is not None and count >= passes * len(paths):
                break
            path = paths[position % len(paths)]
            position += 1
            count += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Connection": "keep-alive"})
                response = connection.getresponse()
                body = response.read()
                if response.status != 200 or not body.startswith(b"{"):
                    with lock:
                        errors.append(f"{response.status} {path}")
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with lock:
                    errors.append(f"{type(error).__name__} {path}")
                continue
            mine.append((time.perf_counter() - started) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i * len(paths) // clients,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[:20] + ([f"... {len(errors)} in all"] if len(errors) > 20 else []), time.monotonic() - started


def code_state() -> dict:
    """The commit measured, and a fingerprint of the search code as it was in the tree."""
    def git(*args):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    import hashlib

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "changed": git("status", "--porcelain", "--untracked-files=no", "indexer", "webapp").splitlines(),
        # The search service and the engine it reads through.
        "search_py_sha256": hashlib.sha256(b"".join(
            p.read_bytes() for package in ("search", "engine") for p in sorted((ROOT / "indexer" / package).rglob("*.py"))
        )).hexdigest()[:12],
    }


# -- report ---------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for number, row in enumerate(cells):
        lines.append("  ".join(v.rjust(w) if i else v.ljust(w) for i, (v, w) in enumerate(zip(row, widths))))
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def report(units: int, results: dict) -> str:
    builds, search = results["builds"], results["in_process"]
    ours = search.get("whoosh")
    out = [f"\n=== {units:,} units ({results['documents']:,} documents), {len(results['mix'])} requests, "
           f"{results['passes']} warm passes; load average {results['load_average_at_start'][0]:.1f} at start, "
           f"{results['load_average_at_end'][0]:.1f} at end, {os.cpu_count()} CPUs ===",
           f"code: {results['code']['commit']}, indexer/search+engine {results['code']['search_py_sha256']}, "
           f"{len(results['code']['changed'])} changed file(s) in indexer/ and webapp/; {results['schema']}"]
    rows = []
    for engine in results["engines"]:
        b, s = builds[engine], search[engine]
        ratio = (lambda key: round(ours["warm"][key] / s["warm"][key], 2) if ours and s["warm"][key] else None)
        rows.append([
            engine, round(b["units_per_second"]), round(b["seconds"], 1), round(b["peak_rss_mb"]),
            round(b.get("writers_peak_rss_mb", 0)), round(b["index_mb"]), round(s["open_ms"]), s["cold"]["p50"], s["cold"]["p95"], s["warm"]["p50"],
            s["warm"]["p95"], s["warm"]["max"], ratio("p50"), ratio("p95"),
            s["warm_cpu"]["p50"], s["warm_cpu"]["p95"], b.get("units_per_cpu_second"),
        ])
    out.append("\nlatency of the full request in ms (wall clock unless 'CPU'); ours/it = ours divided by it")
    out.append(table(["engine", "build u/s", "build s", "build RSS MiB", "writer RSS MiB", "index MiB", "open ms",
                      "cold p50", "cold p95", "warm p50", "warm p95", "warm max", "ours/it p50", "ours/it p95",
                      "CPU p50", "CPU p95", "build u/CPU s"],
                     rows))
    if ours:
        rows = [["warm, page cache emptied (all)", *_lat(ours["warm"])],
                ["  same, CPU time", *_lat(ours["warm_cpu"])]]
        rows += [[f"  with {n} filter(s)", *_lat(ours[f"warm_{n}_filters"])] for n in (0, 1, 2)]
        rows.append(["cold first pass", *_lat(ours["cold"])])
        if "cached" in ours:
            rows.append(["from the page cache", *_lat(ours["cached"])])
        out.append("\nours in process (SearchService.search), ms; RSS of the loaded service "
                   f"{ours['rss_after_open_mb']:.0f} MiB, open {ours['open_ms']:.0f} ms")
        out.append(table(["", "n", "p50", "p95", "max", "mean"], rows))
        slow = sorted(ours["requests"], key=lambda r: -r["warm_p50_ms"])[:8]
        out.append("\nslowest requests of ours (warm p50 ms)")
        out.append(table(["request", "total", "warm p50", "cold"],
                         [[r["request"][:70], r["total"], r["warm_p50_ms"], r["cold_ms"]] for r in slow]))
    http_rows = []
    for run in results.get("http", []):
        http_rows.append([("cache on" if run["cache"] else "cache off"), run["clients"], run["requests"],
                          run["throughput"], *_lat(run["latency"])[1:4], len(run["errors"]),
                          " / ".join(f"{m['rss']:.0f}" for m in run["worker_memory_mb"]), run["warmup_seconds"],
                          run["worker_cpu_ms_per_request"], run["cpu_bound_throughput_2_cores"]])
    if http_rows:
        out.append("\nHTTP /api/search, gunicorn 2 sync workers, 127.0.0.1")
        out.append(table(["page cache", "clients", "requests", "req/s", "p50 ms", "p95 ms", "max ms", "errors",
                          "worker RSS MiB", "warm-up s", "server CPU ms/req", "req/s if CPU-bound on 2 idle cores"],
                         http_rows))
        memory_rows = [[("cache on" if run["cache"] else "cache off"), f"worker {number}", *(m[k] for k in
                        ("rss", "anon", "file", "pss"))]
                       for run in results.get("http", []) if run.get("worker_memory_mb")
                       for number, m in enumerate(run["worker_memory_mb"], 1)]
        if memory_rows:
            out.append("\nmemory of each worker after its run, MiB (anon: its own pages, what a worker adds; "
                       "file: mapped index files, one copy shared through the page cache)")
            out.append(table(["page cache", "worker", "RSS", "anon", "file", "PSS"], memory_rows))
    if results.get("code_at_end") and results["code_at_end"] != results["code"]:
        out.append("\nWARNING: indexer/ or webapp/ changed during the run (search.py "
                   f"{results['code']['search_py_sha256']} -> {results['code_at_end']['search_py_sha256']}): "
                   "in-process numbers are of the code at the start, HTTP runs of the code when each started "
                   "(search_py_sha256 in the JSON); run again for numbers of one version.")
    goal = GOALS.get(units)
    if goal and ours:
        p95_goal, rps_goal = goal
        line = f"\ngoals at {units:,}: p95 <= {p95_goal:.0f} ms -> {ours['warm']['p95']:.1f} ms"
        uncached = [r for r in results.get("http", []) if not r["cache"]]
        if rps_goal and uncached:
            line += f"; HTTP >= {rps_goal:.0f} req/s -> {uncached[0]['throughput']:.1f} req/s (cache off)"
        out.append(line)
    return "\n".join(out)


def _lat(s: dict) -> list:
    return [s["n"], s["p50"], s["p95"], s["max"], s["mean"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, action="append", required=True, help="corpus size (repeatable)")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: whoosh,tantivy,sqlite")
    parser.add_argument("--passes", type=int, default=3, help="warm passes over the mix per engine")
    parser.add_argument("--http-seconds", type=float, default=20.0, help="length of each HTTP run (0: none)")
    parser.add_argument("--http-clients", type=int, default=4, help="client threads of the HTTP runs")
    parser.add_argument("--profile", action="store_true", help="cProfile ours over the warm uncached passes")
    parser.add_argument("--profile-only", action="store_true",
                        help="only profile ours (bench/out/profile-N.txt); needs its index built")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the indexes even when cached")
    parser.add_argument("--procs", type=int, default=2, help="processes writing the Whoosh index")
    parser.add_argument("--compare-answers", type=Path, metavar="SEARCH_JSON",
                        help="a search-N.json of an earlier run: say which of ours' answers differ")
    args = parser.parse_args(argv)
    engines = [e for e in args.engines.split(",") if e]
    unknown = set(engines) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(sorted(unknown))}; use {', '.join(ENGINES)}")
    mix = mix_module.request_mix()
    for units in args.units:
        print(f"\n--- {units:,} units ---", flush=True)
        ensure_records(units)
        stats = read_stats(units)
        missing = mix_module.check(mix, stats["facets"])
        if missing:
            raise SystemExit(f"filter values missing from the {units} corpus: {', '.join(missing)}")
        if args.profile_only:
            ensure_index(units, "whoosh", args.rebuild, args.procs)
            profile_only(units, mix)
            continue
        builds = {engine: ensure_index(units, engine, args.rebuild, args.procs) for engine in engines}
        results = {"units": units, "documents": stats["documents"], "engines": engines, "passes": args.passes,
                   "code": code_state(), "schema": schema_key(),
                   "mix": [r.label for r in mix], "builds": builds, "in_process": {}, "http": []}
        results["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
        for engine in engines:
            print(f"  in process: {engine} ...", flush=True)
            profile = out_dir() / f"profile-{units}.txt" if args.profile and engine == "whoosh" else None
            results["in_process"][engine] = run_in_process(engine, units, mix, args.passes, profile)
        if "whoosh" in engines and args.http_seconds > 0:
            for cache in (False, True):
                print(f"  HTTP, page cache {'on' if cache else 'off'}, {args.http_seconds:.0f} s ...", flush=True)
                results["http"].append(run_http(units, mix, args.http_seconds, args.http_clients, cache))
        if args.compare_answers and "whoosh" in engines:
            earlier = json.loads(args.compare_answers.read_text(encoding="utf-8"))
            results["answers_compared"] = compare_answers(
                earlier["in_process"]["whoosh"]["answers"], results["in_process"]["whoosh"]["answers"],
                [r.label for r in mix])
            print(f"  answers against {args.compare_answers}: {json.dumps(results['answers_compared'])}",
                  flush=True)
        results["code_at_end"] = code_state()
        results["bench_peak_rss_mb"] = round(peak_rss_mb(), 1)
        # Other work on the machine shows here: the numbers are only as quiet as it was.
        results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        text = report(units, results)
        print(text, flush=True)
        (out_dir() / f"search-{units}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
        (out_dir() / f"search-{units}.txt").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
