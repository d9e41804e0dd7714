"""Helpers of the indexing tests: small copies of the shared corpus, the indexer run
as a real process, and what an index answers to a fixed set of queries."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import indexer

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
# The folder holding the indexer package, for child processes.
PACKAGE_ROOT = Path(indexer.__file__).parent.parent

SEED_PDF = CORPUS / "seed" / "UNEP-DTIE-Hg-INC.1-10.pdf"
SEED_TXT = CORPUS / "seed" / "UNEP-DTIE-Hg-INC.1-10.txt"
RESOLUTION_PDF = CORPUS / "un" / "A_RES_77_321.pdf"
SBI_TXT = CORPUS / "un" / "FCCC_SBI_2023_10_report_SBI58.txt"
PARIS_TXT = CORPUS / "un" / "FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt"
MINAMATA_MD = CORPUS / "treaties" / "Minamata_Convention.md"
MONTREAL_MD = CORPUS / "treaties" / "Montreal_Protocol.md"
# A resolution of a few dozen units, with footnotes and an annex.
RESOLUTION_78_PDF = CORPUS / "un" / "A_RES_78_272.pdf"

# Queries whose answers must not change when a build is interrupted.
QUERIES = ("mercury", "emissions", "marine biological diversity", "adaptation", "Parties shall", "ozone")


# Text files are cut to about this many characters: enough for a header, a
# symbol and a few dozen paragraphs, small enough to index in a blink.
TEXT_LIMIT = 12_000


def copy_files(folder: Path, files, whole: bool = False) -> list[Path]:
    """Copies of shared files in ``folder`` (writable, unlike the originals); text
    files are cut after a paragraph near TEXT_LIMIT unless ``whole``."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in files:
        target = folder / source.name
        if source.suffix in (".txt", ".md") and not whole:
            text = source.read_text(encoding="utf-8")
            cut = text.rfind("\n\n", 0, TEXT_LIMIT)
            target.write_text(text if len(text) <= TEXT_LIMIT or cut < 0 else text[:cut + 1], encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        copies.append(target)
    return copies


def age(paths, seconds: float = 600) -> None:
    """Date files back, so a build trusts their size and mtime instead of hashing them."""
    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def indexer_command(command: str, *arguments: str) -> list[str]:
    """argv of ``python -m indexer COMMAND ...`` with this interpreter."""
    return [sys.executable, "-m", "indexer", command, *map(str, arguments)]


def indexer_env(**extra: str) -> dict:
    """Environment of an indexer child process: this package first on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("INDEXER_PAUSE_AT", "INDEX_DIR")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def run_indexer(*arguments: str, timeout: float = 120, **extra_env: str) -> subprocess.CompletedProcess:
    """Run ``python -m indexer ARGS`` to the end."""
    return subprocess.run(
        indexer_command(*arguments), env=indexer_env(**extra_env), cwd=PACKAGE_ROOT,
        capture_output=True, text=True, timeout=timeout,
    )


def start_indexer(*arguments: str, **extra_env: str) -> subprocess.Popen:
    """Start ``python -m indexer ARGS``; stderr is a pipe read line by line."""
    return subprocess.Popen(
        indexer_command(*arguments), env=indexer_env(**extra_env), cwd=PACKAGE_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def wait_for_line(process: subprocess.Popen, predicate, limit: int = 10_000) -> list[str]:
    """Read the process's stderr until a line satisfies ``predicate``; the lines read."""
    lines = []
    for _ in range(limit):
        line = process.stderr.readline()
        if not line:
            raise AssertionError(f"indexer ended (rc={process.wait()}) before the expected line: {lines}")
        lines.append(line.rstrip("\n"))
        if predicate(line):
            return lines
    raise AssertionError(f"expected line never came: {lines[-5:]}")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL, as a crash or an OOM killer would."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()


def answers(index_dir: Path) -> dict:
    """What the index answers to QUERIES: totals and (uid, score) of every hit shown."""
    from indexer.search.service import SearchService

    service = SearchService(index_dir)
    result = {}
    for query in QUERIES:
        found = service.search(query, per_page=100, excerpts=False)
        result[query] = (found.total, [(hit.uid, hit.score) for hit in found.hits])
    return result


def generations(index_dir: Path) -> list[str]:
    """Generation directories in an index folder."""
    return sorted(p.name for p in index_dir.glob("gen-*"))


def leftovers(index_dir: Path) -> list[str]:
    """Temporary files anywhere under the index folder."""
    return sorted(str(p.relative_to(index_dir)) for p in index_dir.rglob("*.tmp-*"))


def records_of(path: Path, source: str = "x.pdf", sha256: str = "x") -> list:
    """The index records of one document, extracted and tagged as a build does."""
    from indexer.index.records import SourceInfo, document_records
    from indexer.tagging import tagger
    from indexer.tagging.vocabulary import load_vocabulary
    from indexer.units.extract import extract_document

    document = extract_document(path)
    tags = tagger.tag_document(document, load_vocabulary())
    return list(document_records(document, tags, SourceInfo(path=source, sha256=sha256)))


def write_index(engine, path: Path, records, flush_every: int = 0, **writer_options) -> Path:
    """An index of ``records`` in the new folder ``path``, written through the engine
    seam (a segment per ``flush_every`` records when set)."""
    path.mkdir(parents=True)
    engine.create(path)
    with engine.writer(path, **writer_options) as writer:
        for number, record in enumerate(records, 1):
            writer.add(record)
            if flush_every and number % flush_every == 0:
                writer.flush()
    return path
