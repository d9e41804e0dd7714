"""Writing a Whoosh index: the product's segment writer, driven as a ``Writer`` batch.

``with WhooshWriter(ix) as w: w.add(record); w.delete_source(path)`` commits on
leaving the block, then writes the commit's columns (what readers map), and
cancels on an exception; ``flush`` commits a segment and opens the next
writer, so a large build's memory stays flat.
"""
from __future__ import annotations

from whoosh.writing import SegmentWriter

from indexer.engine.base import IndexRecord
from indexer.engine.whoosh.columns import write_columns
from indexer.engine.whoosh.parallel import ParallelSegments, commit_with
from indexer.engine.whoosh.schema import whoosh_document


class _LengthsInMemory:
    """A new segment's field lengths, read once per field instead of once per posting.

    When a segment is flushed, Whoosh asks the length of the field in the
    document of every posting it writes (for the block statistics), each time
    through the column reader; for an index of paragraphs that was a quarter of
    the time of a commit. Same values, read as one list per field.
    """

    def __init__(self, reader):
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            length_of = self._reader.doc_field_length
            lengths = [length_of(doc, fieldname, default) for doc in range(self._reader.doc_count_all())]
            self._lengths[fieldname] = lengths
        return lengths[docnum] if docnum < len(lengths) else default

    def close(self) -> None:
        self._reader.close()


class _SegmentWriter(SegmentWriter):
    """Whoosh's segment writer, with the field lengths of a flush read per field."""

    def per_document_reader(self):
        return _LengthsInMemory(super().per_document_reader())


def open_writer(ix, **options):
    """A Whoosh writer for ``ix`` (one at a time per index, like ``ix.writer()``);
    ``options`` as Whoosh's (``limitmb``).

    Segments are written as separate files, not one compound file: Whoosh reads
    a compound file's parts into memory buffers, a private copy of the index in
    every reading process.
    """
    return _SegmentWriter(ix, compound=False, **options)


class WhooshWriter:
    """A batch of changes to one Whoosh index: commit on success, discard on error.

    With ``procs`` > 1 the added units are written by that many processes
    (``parallel``), each with ``memory_mb / procs`` for its sorting.
    """

    def __init__(self, ix, merge: bool = True, memory_mb: int | None = None, procs: int = 1):
        self._ix = ix
        self._merge = merge
        self._procs = max(1, procs)
        self._memory_mb = memory_mb
        self._writer = None
        self._parallel = None

    def _options(self, share: int = 1) -> dict:
        return {"limitmb": max(32, self._memory_mb // share)} if self._memory_mb else {}

    def __enter__(self) -> "WhooshWriter":
        self._writer = open_writer(self._ix, **self._options())
        if self._procs > 1:
            self._parallel = ParallelSegments(self._ix.storage.folder, self._procs, self._options(self._procs))
        return self

    def __exit__(self, kind, value, traceback) -> None:
        writer, self._writer = self._writer, None
        parallel, self._parallel = self._parallel, None
        try:
            if kind is None:
                try:
                    segments = parallel.finish() if parallel is not None else None
                except BaseException:
                    writer.cancel()  # a process failed: nothing is committed, the lock is released
                    raise
                if segments is None:
                    writer.commit(merge=self._merge)
                else:
                    commit_with(writer, segments, merge=self._merge)
                write_columns(self._ix)
            else:
                if parallel is not None:
                    parallel.cancel()
                writer.cancel()
        finally:
            self._ix.close()

    def add(self, record: IndexRecord) -> None:
        """Index one unit."""
        document = whoosh_document(record)
        if self._parallel is not None:
            self._parallel.add(document)
        else:
            self._writer.add_document(**document)

    def delete_source(self, source: str) -> None:
        """Delete every unit that came from the file ``source``."""
        self._writer.delete_by_term("source", source)

    def flush(self) -> None:
        """Commit what was added as its own segment (no merge) and go on writing
        (with several processes, theirs are committed at the end)."""
        if self._parallel is not None:
            return
        self._writer.commit(merge=False)
        self._writer = open_writer(self._ix, **self._options())
