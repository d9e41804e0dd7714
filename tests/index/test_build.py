"""Incremental indexing on real files: add, change, delete, rename, no-op; versions;
duplicates; the extraction cache; the CLI's report, exit codes and status."""
from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from build_helpers import (
    MINAMATA_MD,
    MONTREAL_MD,
    PARIS_TXT,
    RESOLUTION_PDF,
    SBI_TXT,
    SEED_PDF,
    SEED_TXT,
    age,
    copy_files,
    generations,
    run_indexer,
)
from indexer.index import build
from indexer.units import extract
from indexer.storage import stamp as schema
from indexer.storage import generations as store
from indexer.index.build import build_index, plan_changes
from indexer.units.cache import document_from_json, document_to_json, read_entry
from indexer.index.progress import ProgressEvent, TerminalProgress
from indexer.search.service import SearchService

SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"
BASE_FILES = (SEED_PDF, RESOLUTION_PDF, SBI_TXT, MINAMATA_MD)


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    age(copy_files(folder, BASE_FILES))
    return folder


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    """An extraction cache holding BASE_FILES, so most tests do not read PDFs again."""
    root = tmp_path_factory.mktemp("build-cache")
    build_index([copy_files(root / "corpus", BASE_FILES)[0].parent], root / "index", jobs=2)
    return root / "index" / store.CACHE_DIR


@pytest.fixture
def index_dir(tmp_path, warm_cache) -> Path:
    """An index folder with no index yet, but the extractions of BASE_FILES in its cache."""
    folder = tmp_path / "index"
    shutil.copytree(warm_cache, folder / store.CACHE_DIR)
    return folder


@pytest.fixture
def extractions(monkeypatch) -> list[str]:
    """Every file the extractor reads, in this process (builds here run with jobs=1)."""
    calls = []
    real = extract.extract_document

    def counting(path):
        calls.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(extract, "extract_document", counting)
    return calls


def index(corpus, index_dir, **options):
    options.setdefault("jobs", 1)
    return build_index([corpus], index_dir, **options)


def segment_files(index_dir: Path, generation: str) -> dict[str, int]:
    # One term file per segment (segments are written as separate files).
    return {p.name: p.stat().st_ino for p in (index_dir / generation).glob("MAIN_*.trm")}


def manifest_paths(index_dir: Path) -> list[str]:
    return sorted(store.read_manifest(index_dir, store.current_generation(index_dir))["files"])


def test_first_build_indexes_every_file(corpus, tmp_path, extractions):
    index_dir = tmp_path / "cold-index"
    report = index(corpus, index_dir)
    assert report.exit_code == 0, report.failed
    assert len(report.added) == len(BASE_FILES)
    assert sorted(extractions) == sorted(p.name for p in BASE_FILES)
    assert report.extracted == len(BASE_FILES) and report.from_cache == 0
    assert report.rebuilt and report.published
    assert SearchService(index_dir).stats()["documents"] == len(BASE_FILES)


def test_first_build_takes_extractions_from_the_cache(corpus, index_dir, extractions):
    report = index(corpus, index_dir)
    assert report.exit_code == 0 and len(report.added) == len(BASE_FILES)
    assert extractions == [] and report.from_cache == len(BASE_FILES)


def test_unchanged_files_are_not_read_hashed_or_rewritten(corpus, index_dir, extractions, monkeypatch):
    first = index(corpus, index_dir)
    files_before = {p.name: p.stat().st_mtime_ns for p in (index_dir / first.generation).iterdir()}
    extractions.clear()
    hashed = []
    monkeypatch.setattr(build, "file_sha256", lambda path: hashed.append(path) or "x")

    second = index(corpus, index_dir)

    assert second.exit_code == 0
    assert second.generation == first.generation and not second.published
    assert generations(index_dir) == [first.generation]
    assert sorted(second.unchanged) == sorted(first.added)
    assert extractions == [] and hashed == []  # size and mtime were enough
    assert {p.name: p.stat().st_mtime_ns for p in (index_dir / first.generation).iterdir()} == files_before


def test_touched_but_identical_file_is_hashed_not_reindexed(corpus, index_dir, extractions):
    first = index(corpus, index_dir)
    os.utime(corpus / SBI_TXT.name)  # new mtime, same bytes
    extractions.clear()
    second = index(corpus, index_dir)
    assert second.generation == first.generation and not second.published
    assert extractions == []
    # The new mtime is recorded, so the next run does not hash it again.
    entry = store.read_manifest(index_dir, first.generation)["files"][str(corpus / SBI_TXT.name)]
    assert entry["mtime_ns"] == (corpus / SBI_TXT.name).stat().st_mtime_ns


def test_changed_file_that_cannot_be_read_keeps_its_units(corpus, index_dir, monkeypatch):
    assert index(corpus, index_dir).exit_code == 0
    unreadable = str(corpus / SBI_TXT.name)
    (corpus / SBI_TXT.name).write_text(SBI_TXT.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    real_hash = build.file_sha256

    def failing(path):
        if str(path) == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path)

    monkeypatch.setattr(build, "file_sha256", failing)
    second = index(corpus, index_dir)

    assert second.exit_code == 2
    assert any(path == unreadable and "cannot read" in reason for path, reason in second.failed)
    assert unreadable in manifest_paths(index_dir)  # what the index had is kept
    assert SearchService(index_dir).stats()["documents"] == len(BASE_FILES)


def test_added_file_is_read_alone_and_old_segments_are_shared(corpus, index_dir, extractions):
    first = index(corpus, index_dir)
    before = segment_files(index_dir, first.generation)
    copy_files(corpus, [PARIS_TXT])
    extractions.clear()

    second = index(corpus, index_dir)

    assert extractions == [PARIS_TXT.name]
    assert second.added == [str(corpus / PARIS_TXT.name)] and second.published
    assert len(second.unchanged) == len(BASE_FILES)
    # The new generation was seeded with hard links: the old segment is the same file.
    after = segment_files(index_dir, second.generation)
    assert set(before.items()) <= set(after.items())
    assert SearchService(index_dir).stats()["documents"] == len(BASE_FILES) + 1
    # The previous generation is kept and still answers as before.
    assert generations(index_dir) == [first.generation, second.generation]


def test_changed_file_is_reindexed(corpus, index_dir, extractions):
    index(corpus, index_dir)
    target = corpus / SBI_TXT.name
    target.write_text(target.read_text(encoding="utf-8") + "\n\n99. The zyxquartz paragraph was added later.\n",
                      encoding="utf-8")
    extractions.clear()

    report = index(corpus, index_dir)

    assert extractions == [SBI_TXT.name]
    assert report.updated == [str(target)] and not report.added
    found = SearchService(index_dir).search("zyxquartz")
    assert found.total == 1


def test_deleted_file_loses_its_units(corpus, index_dir, extractions):
    index(corpus, index_dir)
    service = SearchService(index_dir)
    assert service.search("", {"document": [SEED_SYMBOL]}).total > 0
    (corpus / SEED_PDF.name).unlink()
    extractions.clear()

    report = index(corpus, index_dir)

    assert report.removed == [str(corpus / SEED_PDF.name)]
    assert extractions == []
    assert service.search("", {"document": [SEED_SYMBOL]}).total == 0
    assert report.documents == len(BASE_FILES) - 1


def test_renamed_file_comes_from_the_cache_under_its_new_path(corpus, index_dir, extractions):
    index(corpus, index_dir)
    before = SearchService(index_dir).search("", {"document": [SEED_SYMBOL]}).total
    old, new = corpus / SEED_PDF.name, corpus / "renamed-seed.pdf"
    old.rename(new)
    extractions.clear()

    report = index(corpus, index_dir)

    assert extractions == []
    assert report.added == [str(new)] and report.removed == [str(old)]
    assert report.from_cache == 1
    assert str(new) in manifest_paths(index_dir) and str(old) not in manifest_paths(index_dir)
    assert SearchService(index_dir).search("", {"document": [SEED_SYMBOL]}).total == before


def test_vocabulary_change_retags_from_the_cache(corpus, index_dir, extractions, monkeypatch):
    first = index(corpus, index_dir)
    real = build.load_vocabulary
    vocabulary = real()
    changed = dataclasses.replace(vocabulary, fingerprint="changed-" + vocabulary.fingerprint)
    monkeypatch.setattr(build, "load_vocabulary", lambda path=None: changed)
    extractions.clear()

    report = index(corpus, index_dir)

    assert extractions == []
    assert report.from_cache == len(BASE_FILES)
    assert report.rebuilt and report.generation != first.generation
    assert any("vocabulary" in note and "re-tagging" in note for note in report.notes)
    assert sorted(report.unchanged) == sorted(first.added)
    assert store.read_stamp(index_dir, report.generation)["vocabulary"] == build.tagging_fingerprint(changed)


def test_schema_change_rebuilds_from_the_cache(corpus, index_dir, extractions, monkeypatch):
    index(corpus, index_dir)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + "-next")
    extractions.clear()
    report = index(corpus, index_dir)
    assert extractions == [] and report.rebuilt
    assert any(note.startswith("schema") for note in report.notes)


def test_extractor_change_reads_every_file_again(corpus, index_dir, extractions, monkeypatch):
    index(corpus, index_dir)
    monkeypatch.setattr(extract, "EXTRACTOR_VERSION", "next-version", raising=False)
    extractions.clear()
    report = index(corpus, index_dir)
    assert sorted(extractions) == sorted(p.name for p in BASE_FILES)
    assert any("extractor" in note and "re-extracting" in note for note in report.notes)


def test_rebuild_reads_every_file(corpus, index_dir, extractions):
    first = index(corpus, index_dir)
    extractions.clear()
    report = index(corpus, index_dir, rebuild=True)
    assert sorted(extractions) == sorted(p.name for p in BASE_FILES)
    assert report.rebuilt and report.generation != first.generation


def test_rebuild_of_a_mistyped_path_keeps_the_index(corpus, index_dir, tmp_path):
    first = index(corpus, index_dir)
    report = index(tmp_path / "corpsu", index_dir, rebuild=True)
    assert report.exit_code == 1 and not report.removed
    assert report.failed == [(str(tmp_path / "corpsu"), "no such file or folder")]
    assert store.current_generation(index_dir) == first.generation


def test_same_symbol_from_two_files_keeps_the_first_owner(tmp_path, index_dir):
    corpus = tmp_path / "corpus"
    txt, = copy_files(corpus, [SEED_TXT], whole=True)
    assert index(corpus, index_dir).exit_code == 0
    pdf, = copy_files(corpus, [SEED_PDF])

    report = index(corpus, index_dir)

    # The .txt held the symbol: the .pdf, same document, is refused, not swapped in;
    # another rendition of an indexed document is named, not a failure.
    assert report.duplicates == [(str(pdf), f"duplicate of {txt}: same symbol {SEED_SYMBOL}")]
    assert report.failed == [] and report.exit_code == 0
    assert manifest_paths(index_dir) == [str(txt)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_same_symbol_in_one_run_goes_to_the_first_path(tmp_path, jobs):
    corpus = tmp_path / "corpus"
    pdf, txt = copy_files(corpus, [SEED_PDF, SEED_TXT], whole=True)
    report = build_index([corpus], tmp_path / "index", jobs=jobs)
    assert report.duplicates == [(str(txt), f"duplicate of {pdf}: same symbol {SEED_SYMBOL}")]
    assert report.failed == [] and report.exit_code == 0
    assert report.added == [str(pdf)]
    found = SearchService(tmp_path / "index").search("", {"document": [SEED_SYMBOL]}, per_page=100)
    assert len({hit.uid for hit in found.hits}) == found.total  # no unit twice


def test_copies_named_after_their_symbol_stay_distinct(tmp_path, index_dir, extractions):
    # No symbol printed: each copy takes its file's name, so the cache must not
    # hand one copy's extraction (and symbol) to the other.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SEED_TXT.read_text(encoding="utf-8")
    body = text[: text.rfind("\n\n", 0, 3500) + 1]
    for name in ("NOTE-A.txt", "NOTE-B.txt"):
        (corpus / name).write_text(body, encoding="utf-8")
    report = index(corpus, index_dir)
    assert report.exit_code == 0, report.failed
    assert sorted(extractions) == ["NOTE-A.txt", "NOTE-B.txt"]
    entries = store.read_manifest(index_dir, report.generation)["files"]
    assert sorted(entry["symbol"] for entry in entries.values()) == ["NOTE-A", "NOTE-B"]
    (corpus / "NOTE-B.txt").rename(corpus / "NOTE-C.txt")
    extractions.clear()
    again = index(corpus, index_dir)
    assert extractions == ["NOTE-C.txt"] and again.exit_code == 0
    entries = store.read_manifest(index_dir, again.generation)["files"]
    assert sorted(entry["symbol"] for entry in entries.values()) == ["NOTE-A", "NOTE-C"]


def test_bad_file_fails_alone(corpus, index_dir):
    bad = corpus / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\nthis is not a PDF body")
    report = index(corpus, index_dir)
    assert [path for path, _ in report.failed] == [str(bad)]
    assert len(report.added) == len(BASE_FILES)
    assert report.exit_code == 2
    # Failures are remembered with their reason, and retried from the cache.
    again = index(corpus, index_dir)
    assert [path for path, _ in again.failed] == [str(bad)] and not again.published


def test_parallel_build_matches_serial_build(corpus, tmp_path):
    serial = build_index([corpus], tmp_path / "serial", jobs=1)
    parallel = build_index([corpus], tmp_path / "parallel", jobs=2)
    assert serial.exit_code == parallel.exit_code == 0
    assert (serial.documents, serial.units) == (parallel.documents, parallel.units)
    one, two = SearchService(tmp_path / "serial"), SearchService(tmp_path / "parallel")
    for query in ("mercury", "marine biological diversity", "Parties shall"):
        a, b = one.search(query, per_page=100), two.search(query, per_page=100)
        assert a.total == b.total
        assert sorted(h.uid for h in a.hits) == sorted(h.uid for h in b.hits)


def test_large_builds_write_a_segment_per_batch(corpus, tmp_path, monkeypatch):
    whole = index(corpus, tmp_path / "whole")
    monkeypatch.setattr(build, "BATCH_UNITS", 25)
    batched = index(corpus, tmp_path / "batched")
    assert len(segment_files(tmp_path / "whole", whole.generation)) == 1
    assert len(segment_files(tmp_path / "batched", batched.generation)) > 1
    one, many = SearchService(tmp_path / "whole"), SearchService(tmp_path / "batched")
    for query in ("mercury", "Parties shall"):
        a, b = one.search(query, per_page=100), many.search(query, per_page=100)
        assert a.total == b.total
        assert sorted(h.uid for h in a.hits) == sorted(h.uid for h in b.hits)


def test_cache_round_trip_keeps_tuples(corpus, index_dir):
    index(corpus, index_dir)
    document = extract.extract_document(corpus / SEED_PDF.name)
    assert document_from_json(json.loads(json.dumps(document_to_json(document)))) == document
    sha = build.file_sha256(corpus / SEED_PDF.name)
    cached = read_entry(index_dir / store.CACHE_DIR, sha, build.extractor_version())
    assert dataclasses.replace(cached, path=document.path) == document  # the path is the first one seen
    assert isinstance(cached.units, tuple) and isinstance(cached.units[0].section, tuple)


def test_garbage_collection_keeps_current_previous_and_recent(corpus, index_dir):
    made = []
    for round_number in range(4):
        (corpus / f"extra-{round_number}.md").write_text(
            f"# Note {round_number}\n\n1. Paragraph about mercury number {round_number}.\n", encoding="utf-8")
        made.append(index(corpus, index_dir).generation)
    # Young generations are all kept: a reader may have just opened one.
    assert generations(index_dir) == sorted(made)
    removed = store.collect_garbage(index_dir, grace_seconds=0)
    assert removed == sorted(made)[:2]
    assert generations(index_dir) == sorted(made)[2:]


def test_plan_sees_files_outside_the_given_paths(corpus, index_dir, tmp_path):
    index(corpus, index_dir)
    other = tmp_path / "other"
    copy_files(other, [MONTREAL_MD])
    build_index([other], index_dir, jobs=1)
    manifest = store.read_manifest(index_dir, store.current_generation(index_dir))
    plan = plan_changes([other], manifest)
    assert sorted(plan.unchanged) == sorted(manifest["files"])  # both folders' files are known
    (corpus / SBI_TXT.name).unlink()
    report = build_index([other], index_dir, jobs=1)
    assert report.removed == [str(corpus / SBI_TXT.name)]


def test_cli_index_report_and_status(corpus, index_dir, tmp_path):
    report_file = tmp_path / "report.json"
    done = run_indexer("index", corpus, "--index-dir", index_dir, "--jobs", "2", "--report", report_file)
    assert done.returncode == 0, done.stderr
    report = json.loads(report_file.read_text())
    assert len(report["added"]) == len(BASE_FILES) and report["failed"] == []
    assert report["exit_code"] == 0
    assert f"[{len(BASE_FILES)}/{len(BASE_FILES)}]" in done.stderr  # plain lines when not a terminal

    status = run_indexer("status", corpus, "--index-dir", index_dir, "--json")
    state = json.loads(status.stdout)
    assert state["documents"] == len(BASE_FILES) and state["units"] > 0
    assert state["added"] == state["changed"] == state["removed"] == []
    assert set(state["stamp"]) == {"schema", "analyzer", "extractor", "vocabulary"}

    copy_files(corpus, [PARIS_TXT])
    (corpus / SEED_PDF.name).unlink()
    status = run_indexer("status", corpus, "--index-dir", index_dir)
    assert f"added: {corpus / PARIS_TXT.name}" in status.stdout
    assert f"removed: {corpus / SEED_PDF.name}" in status.stdout
    assert "2 pending change(s)" in status.stdout

    # Without paths, status compares the folders the index was built from (the
    # manifest names them), wherever it is run from; not ./corpus.
    status = run_indexer("status", "--index-dir", index_dir)
    assert f"added: {corpus / PARIS_TXT.name}" in status.stdout
    assert "2 pending change(s)" in status.stdout


def test_terminal_progress_shows_files_pages_per_second_and_eta():
    stream = io.StringIO()
    bar = TerminalProgress(stream)
    bar(ProgressEvent("note", message="schema 1 -> 2 changed: re-tagging"))
    bar(ProgressEvent("start", total=2))
    bar(ProgressEvent("file", done=1, total=2, path="a.pdf", outcome="added", pages=40))
    bar(ProgressEvent("file", done=2, total=2, path="b.pdf", outcome="failed", reason="not a PDF"))
    bar.close()
    shown = stream.getvalue()
    assert "schema 1 -> 2 changed" in shown
    assert "2/2" in shown and "pages/s" in shown and "<" in shown  # tqdm's elapsed<remaining
    assert "failed: b.pdf: not a PDF" in shown


def test_cli_exit_codes(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SBI_TXT])
    (corpus / "broken.pdf").write_bytes(b"not a pdf at all")
    index_dir = tmp_path / "index"
    some_failed = run_indexer("index", corpus, "--index-dir", index_dir)
    assert some_failed.returncode == 2
    assert f"failed: {corpus / 'broken.pdf'}:" in some_failed.stderr

    nothing = run_indexer("index", tmp_path / "missing", "--index-dir", tmp_path / "other-index")
    assert nothing.returncode == 1
    assert "no such file or folder" in nothing.stderr
