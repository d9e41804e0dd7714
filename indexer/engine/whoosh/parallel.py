"""Writing a Whoosh index with several processes: each writes segments of its own,
the calling process commits them together.

Whoosh's writer spends its time analysing documents into postings and sorting
them, one core's work; a rebuild of a large corpus splits the documents among
``procs`` processes instead. Each takes blocks of ``BLOCK_UNITS`` documents
in turn (block 1 to process 1, block 2 to process 2, ...), writes them as
its own segment without the index lock, and hands the segment back; the
calling process holds the lock, applies deletions, and writes one TOC listing
every segment (Whoosh's own multi-process writer does the same, through
pickled files on disk). Documents keep their order within a block, so the
first block's units are the index's first docnums as with one writer.

A process ends its segment and starts the next one when its sorting memory
is nearly full, rather than let Whoosh spill sorted runs to disk and merge
them back at the end (half as slow again: 22.8 s against 34.5 s for 20,000
units): memory stays flat in corpus size and no posting is sorted twice.
"""
from __future__ import annotations

import multiprocessing
import queue

from whoosh import index as whoosh_index

# Documents handed to a process at a time; the first block is the index's
# first docnums, in the order they were added.
BLOCK_UNITS = 5_000
# How long the committing process waits for a process's segment after it was
# told to finish, in seconds (its last sort and write).
FINISH_TIMEOUT_SECONDS = 3_600
# A process's segment ends once its postings fill this share of its sorting
# memory: the rest is room for the document being added, so the pool never spills.
SEGMENT_FILL = 0.9


def _write_segment(number: int, path: str, options: dict, fill: float, jobs, results) -> None:
    """Process ``number``'s loop: add every block it is given, then hand back its segments."""
    from indexer.engine.whoosh.writer import open_writer  # the product's segment writer (it imports us)

    try:
        ix = whoosh_index.open_dir(path)
        segments = []
        writer = open_writer(ix, _lk=False, **options)
        while True:
            block = jobs.get()
            if block is None:
                break
            for document in block:
                writer.add_document(**document)
                if writer.pool.currentsize > fill * writer.pool.limit:
                    segments.append(writer._finalize_segment())
                    writer = open_writer(ix, _lk=False, **options)
        if writer._added:
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        # Not the writer's temporary folder: it is the index's, which the committing writer removes.
        results.put((number, "segments", segments))
    except BaseException as error:  # noqa: BLE001 - reported to the committing process
        results.put((number, "error", f"{type(error).__name__}: {error}"))
        raise


class ParallelSegments:
    """Documents spread over ``procs`` writing processes; ``commit`` adds their
    segments to the writer's commit."""

    def __init__(self, path, procs: int, options: dict):
        # forkserver, never fork: the caller may run threads (a build's readers).
        context = multiprocessing.get_context("forkserver")
        self._jobs = [context.Queue(maxsize=2) for _ in range(procs)]
        self._results = context.Queue()
        # The fill is read here, not in the process: a process imports this module afresh.
        self._processes = [context.Process(target=_write_segment, daemon=True,
                                           args=(number, str(path), options, SEGMENT_FILL, jobs, self._results))
                           for number, jobs in enumerate(self._jobs)]
        for process in self._processes:
            process.start()
        self._block: list[dict] = []
        self._next = 0

    def add(self, document: dict) -> None:
        self._block.append(document)
        if len(self._block) >= BLOCK_UNITS:
            self._send()

    def _send(self) -> None:
        if self._block:
            self._jobs[self._next % len(self._jobs)].put(self._block)
            self._next += 1
            self._block = []

    def finish(self) -> list:
        """Every process's segments (in process order, then in their order), once all are written."""
        self._send()
        for jobs in self._jobs:
            jobs.put(None)
        segments, errors = {}, []
        for _ in self._processes:
            try:
                number, kind, value = self._results.get(timeout=FINISH_TIMEOUT_SECONDS)
            except queue.Empty:
                errors.append("a writing process did not finish")
                continue
            if kind == "error":
                errors.append(value)
            else:
                segments[number] = value
        for process in self._processes:
            process.join()
        if errors:
            raise RuntimeError("writing the index in parallel failed: " + "; ".join(errors))
        return [segment for number in sorted(segments) for segment in segments[number]]

    def cancel(self) -> None:
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            process.join()


def commit_with(writer, segments: list, merge: bool) -> None:
    """Commit ``writer`` (deletions, and documents it added itself) with the
    processes' ``segments`` in one TOC (as Whoosh's multi-process writer does)."""
    writer._check_state()
    final = writer._merge_segments(None, None, merge)
    final.extend(segments)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()
