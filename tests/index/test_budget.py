"""Bounded cost per file: hostile PDFs are read under a memory and time budget, reported
with the limit they hit, and the rest of the folder is indexed."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from build_helpers import PACKAGE_ROOT, SBI_TXT, SEED_PDF, copy_files, indexer_env, run_indexer
from pdf_bombs import shared_stream_bomb, single_stream_bomb
from indexer.index.budget import BudgetError, FileBudget
from indexer.index.build import build_index
from indexer.storage import generations as store
from indexer.units.extract import ExtractionError, extract_document

# Small enough that the shared-stream bomb runs out of it within seconds, large
# enough for pypdf to meet its own decompression limit in the single-stream bomb.
TEST_BUDGET = FileBudget(memory_mb=300, seconds=90)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    shared = folder / "shared-stream.pdf"
    shared.write_bytes(shared_stream_bomb())
    single = folder / "single-stream.pdf"
    single.write_bytes(single_stream_bomb())
    return shared, single


def test_the_bombs_are_small_files(bombs):
    shared, single = bombs
    assert shared.stat().st_size < 300_000  # 72 MB of content behind it
    assert single.stat().st_size < 1_200_000  # 1 GiB behind it


def test_a_folder_with_bombs_indexes_the_good_files(bombs, tmp_path):
    corpus = tmp_path / "corpus"
    good = copy_files(corpus, [SEED_PDF, SBI_TXT])
    for bomb in bombs:
        (corpus / bomb.name).write_bytes(bomb.read_bytes())

    report = build_index([corpus], tmp_path / "index", jobs=2, isolate=True, budget=TEST_BUDGET)

    assert sorted(report.added) == sorted(str(p) for p in good)
    reasons = dict(report.failed)
    assert sorted(reasons) == sorted(str(corpus / b.name) for b in bombs)
    # the shared stream inflates within pypdf's limit, then costs memory page after page
    assert reasons[str(corpus / "shared-stream.pdf")].startswith("over the memory budget of 300 MiB per file")
    assert "--file-memory-mb" in reasons[str(corpus / "shared-stream.pdf")]
    assert "decompression limit" in reasons[str(corpus / "single-stream.pdf")]
    assert report.exit_code == 2
    # measured in the worker by the budget itself: no file went past it
    assert 0 < report.peak_file_mb <= TEST_BUDGET.memory_mb
    # a file over budget is not remembered as broken: a larger budget reads it again
    cached = [p.name for p in (tmp_path / "index" / store.CACHE_DIR).glob("*.json")]
    assert len(cached) == len(good) + 1  # the good files and the decompression bomb


# A library call building in its own process (jobs=1, no worker), in a child
# process so that no other thread of the test run shares it.
IN_PROCESS_CHILD = """
import json, sys
from indexer.index.budget import FileBudget
from indexer.index.build import build_index
budget = FileBudget(memory_mb=int(sys.argv[3]), seconds=float(sys.argv[4]))
report = build_index([sys.argv[1]], sys.argv[2], jobs=1, budget=budget)
print(json.dumps({"added": report.added, "failed": dict(report.failed)}))
"""


def test_a_build_in_the_calling_process_caps_memory_too(bombs, tmp_path):
    corpus = tmp_path / "corpus"
    good = copy_files(corpus, [SEED_PDF])
    (corpus / bombs[0].name).write_bytes(bombs[0].read_bytes())

    child = subprocess.run(
        [sys.executable, "-c", IN_PROCESS_CHILD, str(corpus), str(tmp_path / "index"),
         str(TEST_BUDGET.memory_mb), str(TEST_BUDGET.seconds)],
        cwd=PACKAGE_ROOT, env=indexer_env(), capture_output=True, text=True, timeout=300,
    )

    assert child.returncode == 0, child.stderr
    report = json.loads(child.stdout)
    assert report["added"] == [str(good[0])]
    assert report["failed"][str(corpus / bombs[0].name)].startswith("over the memory budget of 300 MiB per file")


def test_decompression_limit_is_not_called_a_missing_text_layer(bombs):
    with pytest.raises(ExtractionError) as caught:
        extract_document(bombs[1])
    assert "decompression limit" in caught.value.reason
    assert "text layer" not in caught.value.reason


def test_a_file_over_the_time_budget_is_read_again_with_a_larger_one(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SEED_PDF])
    index_dir = tmp_path / "index"

    tight = build_index([corpus], index_dir, jobs=1, budget=FileBudget(seconds=0.001))
    assert [reason for _, reason in tight.failed] == [
        "over the time budget of 0.001 s per file (raise --file-seconds or INDEXER_FILE_SECONDS to read it)"
    ]
    assert not list((index_dir / store.CACHE_DIR).glob("*.json"))

    again = build_index([corpus], index_dir, jobs=1)
    assert again.exit_code == 0 and len(again.added) == 1


# The tokenizer on 10 MB of whitespace, in a child process whose address space the
# budget caps 64 MiB above what it uses before: the old tokenizer needed 1.2 GB.
WHITESPACE_CHILD = """
from indexer.index.budget import FileBudget, within
from indexer.reading.pdf.content_stream import operations
data = b" " * 10_000_000 + b"BT (x) Tj ET"
with within(FileBudget(memory_mb=64, seconds=0), limit_memory=True) as usage:
    found = list(operations(data))
print(found, round(usage.peak_mb))
"""


def test_the_tokenizer_reads_10_mb_of_whitespace_within_a_small_memory_budget():
    child = subprocess.run(
        [sys.executable, "-c", WHITESPACE_CHILD], env=indexer_env(), cwd=PACKAGE_ROOT,
        capture_output=True, text=True, timeout=300,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    found, peak = child.stdout.rsplit(" ", 1)
    assert found == "[(b'BT', []), (b'Tj', [b'x']), (b'ET', [])]"
    assert int(peak) < 64


@pytest.mark.parametrize(
    "environ, expected",
    [
        pytest.param({}, FileBudget(1024, 120.0), id="defaults"),
        pytest.param({"INDEXER_FILE_MEMORY_MB": "2048", "INDEXER_FILE_SECONDS": "30"}, FileBudget(2048, 30.0), id="set"),
        # 0 switches a limit off
        pytest.param({"INDEXER_FILE_MEMORY_MB": "0", "INDEXER_FILE_SECONDS": "0"}, FileBudget(0, 0.0), id="off"),
        pytest.param({"INDEXER_FILE_SECONDS": " "}, FileBudget(1024, 120.0), id="blank-is-default"),
    ],
)
def test_budget_settings(environ, expected):
    assert FileBudget.from_env(environ) == expected


@pytest.mark.parametrize(
    "environ, named",
    [
        pytest.param({"INDEXER_FILE_MEMORY_MB": "lots"}, "INDEXER_FILE_MEMORY_MB", id="not-a-number"),
        pytest.param({"INDEXER_FILE_SECONDS": "-5"}, "INDEXER_FILE_SECONDS", id="negative"),
    ],
)
def test_bad_budget_settings_name_the_setting(environ, named):
    with pytest.raises(BudgetError, match=named):
        FileBudget.from_env(environ)


def test_the_cli_names_the_budget_and_the_setting_to_raise(tmp_path):
    corpus = tmp_path / "corpus"
    copy_files(corpus, [SEED_PDF])
    child = run_indexer("index", corpus, "--index-dir", tmp_path / "index", "--file-seconds", "0.001")
    assert child.returncode == 1
    failed = [line for line in child.stderr.splitlines() if line.startswith("failed:")]
    assert failed == [
        f"failed: {corpus / SEED_PDF.name}: over the time budget of 0.001 s per file "
        "(raise --file-seconds or INDEXER_FILE_SECONDS to read it)"
    ]


@pytest.mark.parametrize(
    "arguments, environ, message",
    [
        pytest.param(["--file-seconds", "-1"], {}, "argument --file-seconds: must be a number", id="flag"),
        pytest.param([], {"INDEXER_FILE_MEMORY_MB": "lots"}, "error: INDEXER_FILE_MEMORY_MB='lots' is not a number",
                     id="environment"),
    ],
)
def test_a_bad_budget_setting_is_one_line(tmp_path, arguments, environ, message):
    child = run_indexer("index", tmp_path, "--index-dir", tmp_path / "index", *arguments, **environ)
    assert child.returncode != 0
    assert message in child.stderr and "Traceback" not in child.stderr
