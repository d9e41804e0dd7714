"""Building the index from files: plan, extract, tag, write a new generation, publish it.

A run is incremental. The current generation's manifest says which file
(by path, content hash, size and mtime) gave which document; files whose size
and mtime are unchanged are not even hashed. Added and changed files are read,
the units of changed and vanished files are deleted, everything else is left
alone. The files a run considers are those under the given paths plus every
file the index already holds (so a vanished one is noticed wherever it was).

When the index was built with another schema, analyzer, extractor (or pypdf
release), tagger or vocabulary (``storage.stamp.version_stamp``; its "vocabulary"
part is the tagger's TAGGER_VERSION and the vocabulary fingerprint), the run
rebuilds every file into a fresh generation, from the extraction cache unless
the extractor changed, and says why. ``rebuild=True`` re-reads every file and
builds from scratch.

Reading runs in worker processes (workers.py); the single writer stays in this
process and takes records as they come, so memory does not grow with the
corpus. The new state is built in a new generation directory (seeded by hard
links from the current one for incremental runs, ``Engine.seed``), written
as one batch (``with engine.writer(path) as w:``: committed when the block
ends, discarded on an error) and published
by an atomic replace of CURRENT, so a reader, or a crash, sees the old state
or the new one. One build at a time (locking.py).

A document is owned by one file. When a second file gives the same document
symbol, it fails with "duplicate of <path>" and the index keeps the first:
the file that held the symbol in the previous index, otherwise the first path
in sort order. A bad file never stops a build: it is recorded with its reason
in the report and the rest is indexed.

``INDEXER_PAUSE_AT`` (for crash tests): a comma-separated list of checkpoints
(see CHECKPOINTS); on reaching one the build prints ``paused at NAME`` on
stderr and waits until it is killed. Unset, it does nothing.
"""
from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import multiprocessing
import os
import stat
import shutil
import sys
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from indexer.units import extract, treaty_names

from indexer.tagging import tagger as tagging
from indexer.units.extract import SUPPORTED_SUFFIXES
from indexer.storage.locking import writer_lock
from indexer.index.progress import ProgressEvent
from indexer import engine as engines
from indexer.storage.stamp import STAMP_KEYS, version_stamp
from indexer.storage.generations import (
    CACHE_DIR,
    GC_GRACE_SECONDS,
    collect_garbage,
    create_generation,
    current_generation,
    discard_on_error,
    open_current,
    publish,
    read_manifest,
    read_stamp,
    remove_leftovers,
    sync_generation,
    write_manifest,
    write_splitter,
    write_stamp,
)
from indexer.tagging.vocabulary import load_vocabulary
from indexer.text.sentences import TRAINING_UNITS, parameters_to_json, train_parameters
from indexer.index.budget import FileBudget, alone_in_process
from indexer.index.workers import FileProcessor, Outcome, Task, init_worker, run_task

PAUSE_ENV = "INDEXER_PAUSE_AT"
CHECKPOINTS = (
    "after-lock",  # the writer lock is held, nothing else done
    "after-seed",  # the new generation directory exists (seeded or empty)
    "after-first-file",  # the first file's units are in the writer, more are being read
    "before-commit",  # every file read, nothing committed
    "after-commit-before-publish",  # the new generation is complete, CURRENT not yet replaced
    "after-publish",  # CURRENT names the new generation, old ones not yet collected
)
MANIFEST_FORMAT = 1
# What `index` and `status` read when they are given no paths and the index names none.
DEFAULT_CORPUS = "corpus"
# A file modified this close to the previous scan may have changed again
# within the same mtime tick: hash it rather than trust size and mtime.
RACY_NS = 2_000_000_000
# Units per index segment of a large build, and the writer's posting buffer. The
# buffer holds a whole batch (about 150 MB of postings for 10,000 paragraphs): a
# buffer that overflows is written out in sorted runs that the commit merges
# again, which made the writer half as slow again (1.5 against 1.0 ms a unit).
BATCH_UNITS = 10_000
WRITER_MB = 512
# Results waiting for the writer, per worker: enough to keep workers busy,
# few enough that memory stays flat.
IN_FLIGHT_PER_WORKER = 3


def extractor_version() -> str:
    """The extractor's version, the PDF library's and the instrument names': a new
    release of either may read the same file differently, and treaty texts are
    cited under the names the packaged vocabulary gives their instruments."""
    declared = extract.EXTRACTOR_VERSION
    try:
        library = importlib.metadata.version("pypdf")
    except importlib.metadata.PackageNotFoundError:
        library = "unknown"
    names = treaty_names.names_fingerprint()
    return f"{declared}+pypdf-{library}+names-{names}"


@dataclass
class BuildReport:
    """What a build did, file by file."""

    generation: str | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # another rendition of an indexed document
    skipped: list[tuple[str, str]] = field(default_factory=list)  # found in a folder, not a document type
    documents: int = 0
    units: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # why it rebuilt, what it cleaned up
    warnings: list[tuple[str, str]] = field(default_factory=list)
    extracted: int = 0  # files read by the extractor
    from_cache: int = 0  # files whose extraction came from the cache
    pages: int = 0  # pages of the files read or taken from the cache
    rebuilt: bool = False  # a fresh generation rather than an update of the current one
    published: bool = False  # a new generation was published by this run
    peak_file_mb: float = 0.0  # the most resident memory one file took while read (budget.py)

    @property
    def exit_code(self) -> int:
        """0 all went in, 2 some files failed (the rest committed), 1 nothing could be done."""
        if self.generation is None:
            return 1
        if self.failed and not (self.added or self.updated or self.unchanged or self.removed):
            return 1
        return 2 if self.failed else 0

    def to_json(self) -> dict:
        """The report as JSON values (the CLI's --report)."""
        data = asdict(self)
        data["failed"] = [{"path": path, "reason": reason} for path, reason in self.failed]
        data["duplicates"] = [{"path": path, "reason": reason} for path, reason in self.duplicates]
        data["skipped"] = [{"path": path, "reason": reason} for path, reason in self.skipped]
        data["warnings"] = [{"path": path, "warning": text} for path, text in self.warnings]
        data["exit_code"] = self.exit_code
        return data


@dataclass
class FileState:
    """A file as last seen: content hash, size and modification time."""

    sha256: str
    size: int
    mtime_ns: int


@dataclass
class ChangePlan:
    """How the files on disk differ from what the current generation holds."""

    present: dict[str, FileState] = field(default_factory=dict)  # every readable file considered
    added: list[str] = field(default_factory=list)  # new files
    changed: list[str] = field(default_factory=list)  # indexed files whose content changed
    removed: list[str] = field(default_factory=list)  # indexed files gone (or left out)
    unchanged: list[str] = field(default_factory=list)  # indexed files with the same content
    retry: list[str] = field(default_factory=list)  # files that failed last time, still there
    problems: list[tuple[str, str]] = field(default_factory=list)  # paths that cannot be used
    skipped: list[tuple[str, str]] = field(default_factory=list)  # files of other types found in folders
    restat: bool = False  # an unchanged file's size or mtime changed: the manifest needs them
    scanned_at_ns: int = 0  # when the scan started (files modified after may change unseen)


class DiskFull(OSError):
    """The disk holding the index filled up; the message names the folder, the stage
    and what to do. The current index is left as it was."""

    def __init__(self, index_dir: Path, stage: str, error: OSError):
        super().__init__(
            error.errno,
            f"no space left on the device holding the index directory {index_dir} while {stage}; "
            "free some space there (or give --index-dir on a disk with room) and run the same command "
            "again: the current index is unchanged",
        )

    def __str__(self) -> str:
        return self.strerror


_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


@dataclass
class FileScan:
    """What a walk of the given paths found."""

    files: list[Path] = field(default_factory=list)  # documents to index, sorted
    problems: list[tuple[str, str]] = field(default_factory=list)  # paths that could not be used, and why
    skipped: list[tuple[str, str]] = field(default_factory=list)  # files that are not documents, and why


def scan_paths(paths: Iterable[str | Path]) -> FileScan:
    """Walk ``paths``: the documents under them, the paths that cannot be used (broken
    or looping links, unreadable folders) and the files left out (other types,
    hidden files), each with its reason. Links are followed, each folder once."""
    scan = FileScan()
    files: set[Path] = set()
    visited: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(raw)
        info, problem = _stat(path)
        if problem:
            scan.problems.append((str(path), problem))
        elif stat.S_ISDIR(info.st_mode):
            _walk(path, info, scan, files, visited)
        elif stat.S_ISREG(info.st_mode):
            files.add(path)  # named on its own: read whatever its type, to say why not
        else:
            scan.problems.append((str(path), "not a regular file or folder"))
    scan.files = sorted(files)
    scan.problems.sort()
    scan.skipped.sort()
    return scan


def _walk(top: Path, info, scan: FileScan, files: set, visited: set) -> None:
    # Iterative, so a deep tree cannot exhaust the stack. ``ancestors`` tells a
    # link back up the tree (a loop) from a second link to a folder seen before.
    stack = [(top, info, frozenset())]
    while stack:
        folder, info, ancestors = stack.pop()
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            scan.problems.append((str(folder), "symbolic link loop (it leads back to a folder above it): skipped"))
            continue
        if key in visited:
            scan.skipped.append((str(folder), "a link to a folder already scanned"))
            continue
        visited.add(key)
        try:
            with os.scandir(folder) as entries:
                names = sorted(entries, key=lambda entry: entry.name)
        except OSError as error:
            scan.problems.append((str(folder), f"cannot read this folder ({error.strerror}): check its permissions"))
            continue
        below = ancestors | {key}
        for entry in reversed(names):
            path = Path(entry.path)
            entry_info, problem = _stat(path)
            if problem:
                scan.problems.append((str(path), problem))
            elif stat.S_ISDIR(entry_info.st_mode):
                stack.append((path, entry_info, below))
            elif not stat.S_ISREG(entry_info.st_mode):
                scan.skipped.append((str(path), "not a regular file"))
            elif entry.name.startswith("."):
                scan.skipped.append((str(path), "hidden file"))
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                scan.skipped.append((str(path), f"not a document type ({path.suffix or 'no suffix'})"))
            else:
                files.add(path)


def _stat(path: Path):
    """(stat result following links, None) or (None, why the path cannot be used)."""
    try:
        return path.stat(), None
    except FileNotFoundError:
        if path.is_symlink():
            return None, f"broken symbolic link (it points to {os.readlink(path)}, which does not exist)"
        return None, "no such file or folder"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, "symbolic link loop (the link leads back to itself)"
        return None, f"cannot read: {error.strerror}"


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index under ``paths`` (sorted), and the paths that could not be used."""
    scan = scan_paths(paths)
    return scan.files, scan.problems


def file_sha256(path: Path) -> str:
    """Content fingerprint of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_changes(paths: Iterable[str | Path], manifest: dict, include_known: bool = True) -> ChangePlan:
    """Compare the files under ``paths`` (and, with include_known, every file the
    manifest lists) with the manifest; hashes only files whose size or mtime changed."""
    plan = ChangePlan(scanned_at_ns=time.time_ns())
    scan = scan_paths(paths)
    files, plan.problems, plan.skipped = scan.files, scan.problems, scan.skipped
    known = manifest.get("files", {})
    failed_before = manifest.get("failed", {})
    scanned_ns = manifest.get("scanned_at_ns", 0)
    candidates = {os.path.abspath(p) for p in files}
    if include_known:
        candidates |= set(known) | set(failed_before)
    for path in sorted(candidates):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            plan.problems.append((path, f"cannot read: {error.strerror}"))
            continue
        before = known.get(path) or failed_before.get(path)
        if (
            before
            and before.get("size") == info.st_size
            and before.get("mtime_ns") == info.st_mtime_ns
            and info.st_mtime_ns < scanned_ns - RACY_NS
        ):
            sha = before["sha256"]
        else:
            try:
                sha = file_sha256(Path(path))
            except OSError as error:
                plan.problems.append((path, f"cannot read: {error.strerror}"))
                if path in known:  # keep what the index has until it can be read again
                    entry = known[path]
                    plan.present[path] = FileState(entry["sha256"], entry["size"], entry["mtime_ns"])
                    plan.unchanged.append(path)
                continue
            if before:
                plan.restat = True
        plan.present[path] = FileState(sha, info.st_size, info.st_mtime_ns)
        if path in known:
            (plan.unchanged if known[path]["sha256"] == sha else plan.changed).append(path)
        elif path in failed_before:
            plan.retry.append(path)
        else:
            plan.added.append(path)
    plan.removed = sorted(set(known) - set(plan.present))
    return plan


def build_index(
    paths: Iterable[str | Path],
    index_dir: str | Path,
    progress: Callable[[ProgressEvent], None] | None = None,
    *,
    rebuild: bool = False,
    jobs: int | None = None,
    grace_seconds: float = GC_GRACE_SECONDS,
    budget: FileBudget | None = None,
    isolate: bool = False,
) -> BuildReport:
    """Bring the index in ``index_dir`` up to date with the files under ``paths``
    (see the module docstring); raises locking.IndexBusy if another build runs.

    Each file is read under ``budget`` (default: FileBudget(), 1 GiB and 120 s).
    With ``jobs=1`` files are read in this process unless ``isolate`` asks for
    a worker; the memory cap holds there too while no other thread runs in it
    (a web server's would share the cap), and the CPU limit only in workers."""
    started = time.monotonic()
    index_dir = Path(index_dir)
    emit = progress or (lambda event: None)
    report = BuildReport()
    with writer_lock(index_dir):
        _checkpoint("after-lock")
        leftovers = remove_leftovers(index_dir)
        if leftovers:
            _note(report, emit, f"removed what an interrupted build left: {', '.join(leftovers)}")
        _Build(
            index_dir, report, emit, rebuild, jobs or os.cpu_count() or 1, grace_seconds,
            budget=budget or FileBudget(), isolate=isolate,
        ).run(paths)
    report.seconds = time.monotonic() - started
    return report


class _Build:
    """One run of build_index, with the writer lock held."""

    def __init__(self, index_dir, report, emit, rebuild, jobs, grace_seconds, budget=None, isolate=False):
        self.budget = budget or FileBudget()
        self.isolate = isolate
        self.duplicates: set[str] = set()  # files that lost their symbol to another
        self.stage = "starting"  # what the build is doing, for a full disk's message
        self.index_dir = index_dir
        self.report = report
        self.emit = emit
        self.rebuild = rebuild
        self.jobs = max(1, jobs)
        self.grace_seconds = grace_seconds
        self.engine = engines.get()

    def run(self, paths) -> None:
        report, index_dir = self.report, self.index_dir
        vocabulary = load_vocabulary()
        stamp = version_stamp(extractor_version(), tagging_fingerprint(vocabulary))
        current = current_generation(index_dir)
        manifest = read_manifest(index_dir, current)
        why, use_cache = self._why_rebuild(current, manifest, stamp)
        full = why is not None or current is None
        if why:
            _note(report, self.emit, why)
        plan = plan_changes(paths, manifest, include_known=not self.rebuild)
        self.roots = indexed_roots(paths, [] if self.rebuild else manifest.get("roots", []))
        report.failed.extend(plan.problems)
        report.skipped = list(plan.skipped)
        report.removed = list(plan.removed)
        known = manifest.get("files", {})

        if full:
            to_read = sorted(plan.present)
            kept = {}
        else:
            to_read = plan.added + plan.changed + plan.retry
            kept = {p: known[p] for p in plan.unchanged}
        report.unchanged = [p for p in plan.unchanged if p in kept]

        if not full and not to_read and not plan.removed:
            # Nothing to write; only the manifest may need the new sizes and mtimes.
            report.generation = current
            self._totals(kept)
            if plan.restat:
                write_manifest(index_dir / current, self._manifest(plan, kept, {}))
            return
        if not plan.present and (current is None or self.rebuild):
            # Most likely a mistyped path: never replace an index with an empty one for it.
            _note(report, self.emit, "no files to index under the given paths: nothing was built")
            report.generation = None if self.rebuild else current
            report.removed, report.unchanged = [], []
            return

        processor_args = (index_dir / CACHE_DIR, extractor_version(), vocabulary, self.budget)
        self.stage = "creating the new generation"
        try:
            self._write(current, full, plan, kept, to_read, use_cache, processor_args)
        except OSError as error:
            if error.errno in _NO_SPACE and not isinstance(error, DiskFull):
                raise DiskFull(index_dir, self.stage, error) from error
            raise

    def _why_rebuild(self, current, manifest, stamp) -> tuple[str | None, bool]:
        """Why every file must be indexed again (None when it need not), and whether
        the extraction cache may be used for it."""
        if self.rebuild:
            return "rebuilding from scratch: reading every file again", False
        if current is None:
            return None, True
        try:
            self.engine.verify(open_current(self.index_dir).path)
        except Exception as error:  # noqa: BLE001 - any failure means: build a new one
            return f"the current index cannot be used ({error}): building a new one", True
        if "files" not in manifest:
            return f"the current index ({current}) has no file manifest: building a new one", True
        before = read_stamp(self.index_dir, current)
        changed = [key for key in STAMP_KEYS if str(before.get(key)) != str(stamp[key])]
        if not changed:
            return None, True
        what = ", ".join(f"{key} {_short(before.get(key))} -> {_short(stamp[key])}" for key in changed)
        if "extractor" in changed:
            return f"{what} changed: re-extracting and re-indexing every file", True
        return f"{what} changed: re-tagging and re-indexing every file from the extraction cache", True

    def _write(self, current, full, plan, kept, to_read, use_cache, processor_args) -> None:
        report, index_dir, emit, engine = self.report, self.index_dir, self.emit, self.engine
        name, path = create_generation(index_dir)
        if full:
            engine.create(path)
            report.rebuilt = True
        else:
            engine.seed(index_dir / current, path)
        _checkpoint("after-seed")
        previous_owner = {
            entry["symbol"]: p for p, entry in read_manifest(index_dir, current).get("files", {}).items()
        }
        owners = _Owners({entry["symbol"]: p for p, entry in kept.items()}, previous_owner)
        self.stage = "writing the index"
        written: dict[str, dict] = {}
        failures: dict[str, str] = {}
        with discard_on_error(path):
            # An update merges small segments as it goes; a fresh build keeps its batches.
            with engine.writer(path, merge=not full, memory_mb=WRITER_MB) as writer:
                if not full:
                    for gone in plan.changed + plan.removed:
                        writer.delete_source(gone)
                tasks = [Task(p, plan.present[p].sha256, use_cache) for p in to_read]
                # Biggest first, so the last file does not leave the other workers idle.
                tasks.sort(key=lambda t: -plan.present[t.path].size)
                emit(ProgressEvent("start", total=len(tasks)))
                batch = 0
                for done, outcome in enumerate(_outcomes(tasks, self.jobs, processor_args, self.isolate), 1):
                    batch += self._take(outcome, plan, owners, writer, written, failures)
                    if batch >= BATCH_UNITS:
                        # A segment per batch, written while workers go on reading:
                        # the writer's memory stays flat and the last commit is short.
                        writer.flush()
                        batch = 0
                    if done == 1:
                        _checkpoint("after-first-file")
                    emit(ProgressEvent(
                        "file", done=done, total=len(tasks), path=outcome.path, pages=outcome.pages,
                        outcome=("duplicate" if outcome.path in self.duplicates else "failed")
                        if outcome.path in failures else _category(outcome.path, plan),
                        reason=failures.get(outcome.path, ""),
                    ))
                _checkpoint("before-commit")
                self.stage = "committing the index"  # the writer commits as the block ends
            if owners.evicted:
                # A file that lost its symbol to one read later: its units go.
                with engine.writer(path) as writer:
                    for loser in owners.evicted:
                        writer.delete_source(loser)
            if not written and to_read and (full or not (plan.removed or plan.changed)):
                # Every file read failed: the current generation stays as it is
                # (a rebuild that read nothing must not replace a working index).
                shutil.rmtree(path, ignore_errors=True)
                self._finish_failures(plan, failures)
                report.generation = current
                self._totals(kept)
                if not full:
                    write_manifest(index_dir / current, self._manifest(plan, kept, failures))
                elif current is not None:
                    report.documents = read_stamp(index_dir, current).get("documents", 0)
                    report.units = read_stamp(index_dir, current).get("units", 0)
                return
            entries = {**kept, **written}
            self._finish_failures(plan, failures)
            self._totals(entries)
            stamp = {
                **version_stamp(extractor_version(), tagging_fingerprint(processor_args[2])),
                "engine": engine.name,
                "built": time.time(),
                "documents": report.documents,
                "units": report.units,
            }
            self.stage = "training the sentence splitter"
            write_splitter(path, trained_splitter(engine, path))
            self.stage = "writing the manifest"
            write_stamp(path, stamp)
            write_manifest(path, self._manifest(plan, entries, failures))
            sync_generation(path)
        _checkpoint("after-commit-before-publish")
        self.stage = "publishing the new generation"
        publish(index_dir, name)
        report.generation = name
        report.published = True
        _checkpoint("after-publish")
        collected = collect_garbage(index_dir, self.grace_seconds)
        if collected:
            _note(report, emit, f"deleted old generations: {', '.join(collected)}", quiet=True)

    def _take(self, outcome: Outcome, plan, owners, writer, written, failures) -> int:
        """Add one file's records to the writer, or record why it failed; units added."""
        report = self.report
        report.pages += outcome.pages
        report.peak_file_mb = max(report.peak_file_mb, outcome.peak_mb)
        if outcome.extracted:
            report.extracted += 1
        else:
            report.from_cache += 1
        report.warnings.extend((outcome.path, w) for w in outcome.warnings)
        if outcome.error is None and not outcome.symbol:
            outcome.error = "no document symbol found in the file"
        if outcome.error is not None:
            failures[outcome.path] = outcome.error
            return 0
        winner, loser = owners.claim(outcome.symbol, outcome.path)
        if loser is not None:
            # Kept with the failures (so it is tried again once the winner goes)
            # but reported apart: another rendition is not a failure.
            failures[loser] = f"duplicate of {winner}: same symbol {outcome.symbol}"
            self.duplicates.add(loser)
            written.pop(loser, None)
            if loser == outcome.path:
                return 0
            # Reported as added a moment ago: say that it is taken out again.
            self.emit(ProgressEvent("note", message=f"dropped {loser}: {failures[loser]}"))
        for record in outcome.records:
            writer.add(record)
        state = plan.present[outcome.path]
        written[outcome.path] = {
            "sha256": state.sha256, "size": state.size, "mtime_ns": state.mtime_ns,
            "symbol": outcome.symbol, "units": outcome.units, "pages": outcome.pages,
        }
        return len(outcome.records)

    def _finish_failures(self, plan, failures) -> None:
        """Sort every file read into the report's lists."""
        report = self.report
        read = set(failures)
        for path in plan.added + plan.retry:
            if path not in read:
                report.added.append(path)
        for path in plan.changed:
            if path not in read:
                report.updated.append(path)
        # In a full rebuild, unchanged files were read again but stay "unchanged".
        for path in plan.unchanged:
            if path not in read and path not in report.unchanged:
                report.unchanged.append(path)
        for path, reason in sorted(failures.items()):
            (report.duplicates if path in self.duplicates else report.failed).append((path, reason))
        report.unchanged.sort()

    def _totals(self, entries: dict) -> None:
        self.report.documents = len(entries)
        self.report.units = sum(e.get("units", 0) for e in entries.values())

    def _manifest(self, plan, entries: dict, failures: dict) -> dict:
        failed = {}
        for path, reason in failures.items():
            state = plan.present.get(path)
            if state is not None:
                failed[path] = {**asdict(state), "reason": reason}
        files = {}
        for path, entry in entries.items():
            state = plan.present.get(path)
            files[path] = {**entry, **(asdict(state) if state else {})}
        return {
            "format": MANIFEST_FORMAT,
            "roots": self.roots,
            "scanned_at_ns": plan.scanned_at_ns,
            "files": dict(sorted(files.items())),
            "failed": dict(sorted(failed.items())),
        }


class _Owners:
    """Which file owns which document symbol, decided the same whatever order files come in."""

    def __init__(self, fixed: dict[str, str], previous: dict[str, str]):
        self.fixed = fixed  # symbols of files not read in this run: they keep them
        self.previous = previous  # symbol -> file, in the previous index
        self.claims: dict[str, str] = {}
        self.evicted: list[str] = []

    def claim(self, symbol: str, path: str) -> tuple[str, str | None]:
        """(winner, loser or None) once ``path`` claims ``symbol``."""
        holder = self.fixed.get(symbol)
        if holder is not None and holder != path:
            return holder, path
        other = self.claims.get(symbol)
        if other is None or other == path:
            self.claims[symbol] = path
            return path, None
        if self._rank(symbol, path) < self._rank(symbol, other):
            self.claims[symbol] = path
            self.evicted.append(other)
            return path, other
        return other, path

    def _rank(self, symbol, path):
        return (0 if self.previous.get(symbol) == path else 1, path)


def trained_splitter(engine, path: Path) -> dict:
    """The sentence splitter trained on a written generation's first units, as stored beside it:
    trained once here, so a service opening the generation (or switching to it) does not."""
    reader = engine.open(path)
    try:
        return parameters_to_json(train_parameters(reader.sample_texts(TRAINING_UNITS)))
    finally:
        reader.close()


def _outcomes(tasks: list[Task], jobs: int, processor_args: tuple, isolate: bool = False) -> Iterator[Outcome]:
    """Outcomes of the tasks, in the order they finish."""
    if not tasks:
        return
    if not isolate and (jobs == 1 or len(tasks) <= 1):
        # Memory is capped here too unless other threads share this process;
        # the CPU limit would end the whole build, so only workers set it.
        processor = FileProcessor(*processor_args, limit_memory=alone_in_process(), limit_cpu=False)
        for task in tasks:
            yield processor(task)
        return
    yield from _parallel_outcomes(tasks, min(jobs, len(tasks)), processor_args)


def _parallel_outcomes(tasks, jobs, processor_args) -> Iterator[Outcome]:
    # Workers are started by forkserver (or spawn), never fork: a forked child
    # would inherit the writer lock and keep it after this process is killed.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["indexer.index.workers"])
    queue = deque(tasks)
    crashes = Counter()
    while queue:
        pool = ProcessPoolExecutor(
            jobs, mp_context=context, initializer=init_worker, initargs=(*processor_args, os.getpid())
        )
        running = {}
        broken = False
        try:
            while queue or running:
                while queue and len(running) < jobs * IN_FLIGHT_PER_WORKER:
                    task = queue.popleft()
                    running[pool.submit(run_task, task)] = task
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        running[future] = task
                        broken = True
                        break
                    except Exception as error:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        outcome = Outcome(task.path, task.sha256, error=f"worker failed: {error}")
                    yield outcome
                if broken:
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)
        if broken:
            # A worker died (killed, out of memory, a crash in a library). Every
            # file in flight is suspect: each gets one more try, then fails.
            for task in running.values():
                crashes[task.path] += 1
                if crashes[task.path] >= 2:
                    yield Outcome(task.path, task.sha256, error=(
                        "the process reading it died (out of memory, past the time budget's CPU limit, "
                        "or a crash in a library)"
                    ))
                else:
                    queue.appendleft(task)


def tagging_fingerprint(vocabulary) -> str:
    """The "vocabulary" part of the version stamp: the tagger's rules and the vocabulary."""
    return f"tagger{tagging.TAGGER_VERSION}:{vocabulary.fingerprint}"


def _category(path: str, plan: ChangePlan) -> str:
    if path in plan.changed:
        return "updated"
    if path in plan.unchanged:
        return "unchanged"
    return "added"


def _short(value) -> str:
    return str(value)[:20]


def _note(report: BuildReport, emit, message: str, quiet: bool = False) -> None:
    report.notes.append(message)
    if not quiet:
        emit(ProgressEvent("note", message=message))


def _checkpoint(name: str) -> None:
    """Pause here, for good, when INDEXER_PAUSE_AT names this checkpoint (crash tests)."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted or name not in {part.strip() for part in wanted.split(",")}:
        return
    print(f"paused at {name} (pid {os.getpid()})", file=sys.stderr, flush=True)
    while True:
        time.sleep(3600)


@dataclass
class IndexStatus:
    """The state of an index and how far the files on disk are from it."""

    index_dir: str
    generation: str | None
    documents: int = 0
    units: int = 0
    built: float | None = None  # when the current generation was built (epoch seconds)
    stamp: dict = field(default_factory=dict)  # what built it
    outdated: list[str] = field(default_factory=list)  # stamp parts that differ from the code's
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # failed last time, still there
    problems: list[tuple[str, str]] = field(default_factory=list)
    updating: tuple[int | None, float | None] | None = None  # (pid, since) of a running build

    @property
    def pending(self) -> int:
        """Files added, changed or removed since the last build."""
        return len(self.added) + len(self.changed) + len(self.removed)

    def to_json(self) -> dict:
        """The status as JSON values (``status --json``)."""
        data = asdict(self)
        data["failed"] = [{"path": path, "reason": reason} for path, reason in self.failed]
        data["problems"] = [{"path": path, "reason": reason} for path, reason in self.problems]
        data["updating"] = (
            {"pid": self.updating[0], "since": self.updating[1]} if self.updating else None
        )
        return data


def indexed_roots(paths: Iterable[str | Path], previous: Iterable[str]) -> list[str]:
    """The files and folders an index is built from: those named now and those named
    before (a build keeps every file it already holds), as absolute paths."""
    return sorted({os.path.abspath(p) for p in paths} | set(previous))


def index_status(paths: Iterable[str | Path], index_dir: str | Path) -> IndexStatus:
    """What the index holds, what built it, and the changes a build would pick up.

    With no ``paths``, the files and folders the index was built from (its manifest
    says which) are the ones compared."""
    from indexer.storage.locking import lock_holder

    index_dir = Path(index_dir)
    current = current_generation(index_dir)
    stamp = read_stamp(index_dir, current)
    manifest = read_manifest(index_dir, current)
    status = IndexStatus(
        index_dir=str(index_dir),
        generation=current,
        documents=stamp.get("documents", 0),
        units=stamp.get("units", 0),
        built=stamp.get("built"),
        stamp={key: stamp.get(key) for key in STAMP_KEYS},
        updating=lock_holder(index_dir),
    )
    if current is not None:
        expected = version_stamp(extractor_version(), tagging_fingerprint(load_vocabulary()))
        status.outdated = [key for key in STAMP_KEYS if str(stamp.get(key)) != str(expected[key])]
    plan = plan_changes(list(paths) or manifest.get("roots") or [DEFAULT_CORPUS], manifest)
    failed_before = manifest.get("failed", {})
    status.added = plan.added
    status.changed = plan.changed
    status.removed = plan.removed
    status.failed = [(path, failed_before[path].get("reason", "")) for path in plan.retry]
    status.problems = plan.problems
    return status
