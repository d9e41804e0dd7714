"""An indexer killed (SIGKILL) at any moment of a re-index leaves the previous index
answering as before, and the next run cleans up and completes on its own."""
from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from pathlib import Path

import pytest

from build_helpers import (
    MINAMATA_MD,
    MONTREAL_MD,
    PARIS_TXT,
    RESOLUTION_PDF,
    SBI_TXT,
    SEED_PDF,
    age,
    answers,
    copy_files,
    generations,
    kill,
    leftovers,
    run_indexer,
    start_indexer,
    wait_for_line,
)
from indexer.storage import generations as store
from indexer.index.build import build_index

BEFORE_FILES = (SEED_PDF, RESOLUTION_PDF, SBI_TXT, MINAMATA_MD, PARIS_TXT)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    """Extraction cache of every file the tests use, so each test's builds read little."""
    root = tmp_path_factory.mktemp("crash-cache")
    corpus = root / "corpus"
    copy_files(corpus, [*BEFORE_FILES, MONTREAL_MD])
    build_index([corpus], root / "index", jobs=2)
    return root / "index" / store.CACHE_DIR


@pytest.fixture
def scene(tmp_path, warm_cache):
    """A built index of BEFORE_FILES, its answers, then the corpus changed on disk
    (one file edited, one added, one deleted) and the answers a clean build of it gives."""
    corpus = tmp_path / "corpus"
    age(copy_files(corpus, BEFORE_FILES))
    index_dir = tmp_path / "index"
    shutil.copytree(warm_cache, index_dir / store.CACHE_DIR)
    first = build_index([corpus], index_dir, jobs=1)
    assert first.exit_code == 0, first.failed
    before = answers(index_dir)

    edited = corpus / SBI_TXT.name
    edited.write_text(edited.read_text(encoding="utf-8")
                      + "\n\n98. Parties shall report on mercury emissions and ozone adaptation.\n",
                      encoding="utf-8")
    copy_files(corpus, [MONTREAL_MD])
    (corpus / RESOLUTION_PDF.name).unlink()

    clean = tmp_path / "clean-index"
    shutil.copytree(warm_cache, clean / store.CACHE_DIR)
    build_index([corpus], clean, jobs=1)
    return {"corpus": corpus, "index": index_dir, "generation": first.generation,
            "before": before, "after": _matches(answers(clean))}


def _matches(result: dict) -> dict:
    # Scores of an updated index differ a little from a clean build's (deleted
    # units still count in the statistics until segments merge): compare what matched.
    return {query: (total, sorted(uid for uid, _ in hits)) for query, (total, hits) in result.items()}


def _recover(scene) -> None:
    done = run_indexer("index", scene["corpus"], "--index-dir", scene["index"], "--jobs", "2")
    assert done.returncode == 0, done.stderr
    index_dir = scene["index"]
    assert _matches(answers(index_dir)) == scene["after"]
    current = store.current_generation(index_dir)
    assert all(name <= current for name in generations(index_dir))  # no half-built generation
    assert leftovers(index_dir) == []


@pytest.mark.parametrize("checkpoint", [
    "after-lock", "after-seed", "after-first-file", "before-commit", "after-commit-before-publish",
])
def test_killed_before_publishing_leaves_the_previous_index(scene, checkpoint):
    process = start_indexer("index", scene["corpus"], "--index-dir", scene["index"], "--jobs", "2",
                            INDEXER_PAUSE_AT=checkpoint)
    wait_for_line(process, lambda line: line.startswith(f"paused at {checkpoint}"))
    kill(process)

    assert store.current_generation(scene["index"]) == scene["generation"]
    assert answers(scene["index"]) == scene["before"]
    _recover(scene)


def test_killed_after_publishing_leaves_the_new_index(scene):
    process = start_indexer("index", scene["corpus"], "--index-dir", scene["index"],
                            INDEXER_PAUSE_AT="after-publish")
    wait_for_line(process, lambda line: line.startswith("paused at after-publish"))
    kill(process)

    assert store.current_generation(scene["index"]) != scene["generation"]
    assert _matches(answers(scene["index"])) == scene["after"]
    _recover(scene)
    # The run that recovered had nothing left to do, nor has the next one.
    current = store.current_generation(scene["index"])
    again = run_indexer("index", scene["corpus"], "--index-dir", scene["index"])
    assert again.returncode == 0 and store.current_generation(scene["index"]) == current


def test_killed_while_reading_files(scene):
    marker = uuid.uuid4().hex
    # The pause only makes sure it cannot get as far as publishing before the kill lands.
    process = start_indexer("index", scene["corpus"], "--index-dir", scene["index"], "--jobs", "2",
                            INDEXER_TEST_MARKER=marker, INDEXER_PAUSE_AT="before-commit")
    # Killed once the first file is reported done, while workers read the others.
    wait_for_line(process, lambda line: re.match(r"\[\s*1/\d+\]", line))
    kill(process)

    assert store.current_generation(scene["index"]) == scene["generation"]
    assert answers(scene["index"]) == scene["before"]
    _assert_no_process_left(marker)
    _recover(scene)


def test_killed_during_the_first_build(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, BEFORE_FILES)
    index_dir = tmp_path / "index"
    process = start_indexer("index", corpus, "--index-dir", index_dir, INDEXER_PAUSE_AT="before-commit")
    wait_for_line(process, lambda line: line.startswith("paused at before-commit"))
    kill(process)

    assert store.current_generation(index_dir) is None
    done = run_indexer("index", corpus, "--index-dir", index_dir)
    assert done.returncode == 0, done.stderr
    assert "removed what an interrupted build left: gen-000001" in done.stderr
    assert generations(index_dir) == [store.current_generation(index_dir)]
    assert answers(index_dir)["mercury"][0] > 0


def _assert_no_process_left(marker: str, patience: float = 15.0) -> None:
    """No process carrying ``marker`` in its environment survives its killed parent."""
    deadline = time.monotonic() + patience
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                environment = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"INDEXER_TEST_MARKER={marker}".encode() in environment:
                alive.append(int(entry.name))
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert alive == [], f"worker processes outlived the killed indexer: {alive}"
    assert os.getpid() not in alive
