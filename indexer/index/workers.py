"""Reading one file into index records: in worker processes, or in the caller's.

A task is one file. Its extraction comes from the cache (by content hash and
extractor version) or from the extractor, the slow part; tagging and the index
records are made here too, so all of that runs in parallel and the single
writer in the main process only adds records. An outcome carries either the
records or the reason the file failed; nothing here raises for a bad file.

Each file is read under a memory and time budget (budget.py). A failure that
says something about the environment rather than the file (over budget, out
of memory, a missing library) is reported but not cached, so the file is read
again once the budget is raised or the library installed.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from indexer.index.budget import (
    FileBudget, OverBudget, caused_by_memory, error_chain, memory_reason, time_reason, within,
)
from indexer.units import extract
from indexer.units.cache import CachedFailure, read_entry, write_entry
from indexer.models import Document
from indexer.engine.base import IndexRecord
from indexer.index.records import SourceInfo, document_records
from indexer.tagging.tagger import tag_document


@dataclass(frozen=True)
class Task:
    """One file to read: where it is, and the content hash it had when planned."""

    path: str
    sha256: str
    use_cache: bool = True


@dataclass
class Outcome:
    """What became of one file: its records, or why it failed."""

    path: str
    sha256: str
    symbol: str | None = None
    records: list[IndexRecord] = field(default_factory=list)
    units: int = 0
    pages: int = 0
    error: str | None = None
    extracted: bool = False  # read by the extractor, not taken from the cache
    warnings: tuple[str, ...] = ()
    peak_mb: float = 0.0  # growth of resident memory while this file was read


class FileProcessor:
    """Turns a Task into an Outcome with the cache, the extractor and the vocabulary."""

    def __init__(
        self, cache_dir: Path, extractor_version: str, vocabulary,
        budget: FileBudget | None = None, limit_memory: bool = False, limit_cpu: bool | None = None,
    ):
        self.cache_dir = Path(cache_dir)
        self.extractor_version = extractor_version
        self.vocabulary = vocabulary
        self.budget = budget or FileBudget(memory_mb=0, seconds=0)
        self.limit_memory = limit_memory  # cap this process's memory (nothing else runs in it)
        self.limit_cpu = limit_cpu  # end the process when stuck (None: as limit_memory; see budget.within)

    def __call__(self, task: Task) -> Outcome:
        outcome = Outcome(path=task.path, sha256=task.sha256)
        usage = None
        try:
            with within(self.budget, self.limit_memory, self.limit_cpu) as usage:
                self._process(task, outcome)
        except OverBudget:
            outcome.error = time_reason(self.budget)
        except MemoryError:
            capped = self.limit_memory and self.budget.memory_mb
            outcome.error = memory_reason(self.budget) if capped else "out of memory"
        if outcome.error is not None:
            outcome.records = []
        if usage is not None:  # measured as the budget's block ended
            outcome.peak_mb = usage.peak_mb
        return outcome

    def _process(self, task: Task, outcome: Outcome) -> None:
        name = Path(task.path).name
        result = read_entry(self.cache_dir, task.sha256, self.extractor_version, name) if task.use_cache else None
        if result is None:
            outcome.extracted = True
            result = self._extract(task, outcome)
            if result is None:
                return
        if isinstance(result, CachedFailure):
            outcome.error = str(result)
            return
        # The cache is keyed by content: the same bytes may have had another path.
        document = dataclasses.replace(result, path=task.path)
        outcome.symbol = document.symbol
        outcome.pages = document.page_count
        outcome.units = len(document.units)
        outcome.warnings = tuple(document.warnings) + outcome.warnings
        try:
            tags = tag_document(document, self.vocabulary)
            outcome.records = list(document_records(document, tags, SourceInfo(path=task.path, sha256=task.sha256)))
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the build
            outcome.error = f"tagging failed: {type(error).__name__}: {error}"
            outcome.records = []

    def _extract(self, task: Task, outcome: Outcome) -> Document | CachedFailure | None:
        try:
            result = extract.extract_document(Path(task.path))
        except extract.ExtractionError as error:
            if caused_by_memory(error):
                raise MemoryError from error  # the budget's message, not a fact about the file
            if _environmental(error):
                outcome.error = error.reason  # not cached: installing the library fixes it
                return None
            result = CachedFailure(error.reason)
        except Exception as error:  # noqa: BLE001 - an extractor bug fails this file only
            # Not cached: a fixed extractor should get another try.
            outcome.error = f"cannot read: {type(error).__name__}: {error}"
            return None
        try:
            write_entry(self.cache_dir, task.sha256, self.extractor_version, result, Path(task.path).name)
        except OSError as error:
            outcome.warnings += (f"extraction not cached: {error}",)
        return result


def _environmental(error: BaseException) -> bool:
    # A missing library (pypdf's DependencyError for AES says so with
    # ``environmental``), not something wrong with the file's bytes.
    return any(isinstance(e, ImportError) or getattr(e, "environmental", False) for e in error_chain(error))


# -- worker processes ------------------------------------------------------------

_processor: FileProcessor | None = None


def init_worker(cache_dir, extractor_version, vocabulary, budget: FileBudget, owner: int) -> None:
    """Set a worker process up: its processor (each file under ``budget``, memory
    capped), and a watch that ends it when the build process ``owner`` is gone."""
    global _processor
    _processor = FileProcessor(cache_dir, extractor_version, vocabulary, budget, limit_memory=True)
    threading.Thread(target=_exit_without, args=(owner,), daemon=True).start()


def run_task(task: Task) -> Outcome:
    """Process one task in a worker set up by init_worker."""
    return _processor(task)


def _exit_without(owner: int) -> None:
    # A killed build must not leave workers behind. The owner is watched, not
    # the parent: forkserver workers are children of the fork server, which
    # itself stays up as long as any worker does.
    while _alive(owner):
        time.sleep(0.5)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")  # a killed owner may linger as a zombie
    except FileNotFoundError:
        return False
    except (OSError, IndexError):
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
