"""One writer at a time, and readers undisturbed by writers: a second indexer is
refused at once with who holds the index; searches running in another process
during re-indexing never fail."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from build_helpers import (
    MINAMATA_MD,
    MONTREAL_MD,
    PARIS_TXT,
    SBI_TXT,
    SEED_PDF,
    copy_files,
    indexer_env,
    kill,
    run_indexer,
    start_indexer,
    wait_for_line,
)
from indexer import engine as engines
from indexer.storage import generations as store
from indexer.index.build import build_index

# Searches in a loop until the stop file appears; writes what it saw as JSON.
SEARCHER = """
import json, sys, time, traceback
from pathlib import Path
from indexer.search.service import SearchService

index_dir, stop, out, ready = map(Path, sys.argv[1:5])
service = SearchService(index_dir)
seen = {"searches": 0, "errors": [], "generations": [], "empty": 0}
while not stop.exists():
    try:
        generation = service.generation()
        if generation not in seen["generations"]:
            seen["generations"].append(generation)
        for query in ("mercury", "Parties shall", "emissions"):
            result = service.search(query, per_page=20)
            seen["searches"] += 1
            seen["empty"] += result.total == 0
            for hit in result.hits:
                service.paragraph(hit.symbol, hit.paragraph)
    except Exception:
        seen["errors"].append(traceback.format_exc())
    ready.touch()
    time.sleep(0.01)  # leave the indexer a CPU
out.write_text(json.dumps(seen))
"""


def test_second_indexer_is_refused_at_once(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SBI_TXT])
    index_dir = tmp_path / "index"
    started = time.time()
    first = start_indexer("index", corpus, "--index-dir", index_dir, INDEXER_PAUSE_AT="after-lock")
    try:
        wait_for_line(first, lambda line: line.startswith("paused at after-lock"))

        second = run_indexer("index", corpus, "--index-dir", index_dir, timeout=60)

        assert second.returncode == 1
        message = second.stderr.strip()
        assert message.startswith(f"error: index is being updated by process {first.pid} since ")
        # It took the lock after `started` and before now (the minute may have turned).
        assert message[-5:] in {time.strftime("%H:%M", time.localtime(t)) for t in (started, time.time())}
        status = run_indexer("status", corpus, "--index-dir", index_dir, "--json")
        assert json.loads(status.stdout)["updating"]["pid"] == first.pid
    finally:
        kill(first)
    # The kernel released the killed process's lock: nothing stale blocks the next run.
    assert run_indexer("index", corpus, "--index-dir", index_dir).returncode == 0


def test_searches_during_reindexing_never_fail(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SEED_PDF, SBI_TXT, MINAMATA_MD])
    index_dir = tmp_path / "index"
    assert build_index([corpus], index_dir, jobs=1).exit_code == 0
    stop, out, ready = tmp_path / "stop", tmp_path / "seen.json", tmp_path / "ready"
    searcher = subprocess.Popen([sys.executable, "-c", SEARCHER, str(index_dir), str(stop), str(out), str(ready)],
                                env=indexer_env())
    try:
        while not ready.exists():  # its first searches are done: it is running
            assert searcher.poll() is None, "the searching process ended early"
            time.sleep(0.05)
        rounds = [
            lambda: copy_files(corpus, [PARIS_TXT, MONTREAL_MD]),
            lambda: (corpus / SBI_TXT.name).write_text(
                (corpus / SBI_TXT.name).read_text(encoding="utf-8") + "\n\n97. Parties shall cut mercury.\n",
                encoding="utf-8"),
            lambda: (corpus / PARIS_TXT.name).unlink(),
        ]
        published = []
        for change in rounds:
            change()
            done = run_indexer("index", corpus, "--index-dir", index_dir, "--jobs", "1")
            assert done.returncode == 0, done.stderr
            published.append(store.current_generation(index_dir))
        rebuilt = run_indexer("index", corpus, "--index-dir", index_dir, "--rebuild", "--jobs", "2")
        assert rebuilt.returncode == 0, rebuilt.stderr
    finally:
        stop.touch()
        searcher.wait(timeout=120)
    seen = json.loads(out.read_text())
    assert seen["errors"] == []
    assert seen["searches"] > 0 and seen["empty"] == 0
    assert len(seen["generations"]) >= 2  # it did switch while running
    assert len(set(published)) == len(rounds)


def test_old_generation_outlives_its_deletion_for_an_open_reader(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SBI_TXT, MINAMATA_MD])
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, jobs=1)
    handle = store.open_current(index_dir)
    reader = store.open_reader(engines.get(), handle)
    before = reader.unit_count()
    for extra in (PARIS_TXT, MONTREAL_MD):
        copy_files(corpus, [extra])
        build_index([corpus], index_dir, jobs=1)
    assert store.collect_garbage(index_dir, grace_seconds=0) == [handle.generation]
    assert not Path(handle.path).exists()
    # The reader that opened it before the switch still finishes on it.
    assert reader.unit_count() == before
    assert [unit.uid for symbol, _, _ in reader.documents() for unit in reader.document_units(symbol)]
    reader.close()
