"""The Whoosh engine: schema, analyzers, writer, posting arrays, evaluation, reader.

``ENGINE`` is what the rest of the product uses (``indexer.engine.get``); no
Whoosh object leaves this package.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.engine.whoosh.columns import write_columns
from indexer.engine.whoosh.reader import WhooshReader
from indexer.engine.whoosh.schema import build_schema
from indexer.engine.whoosh.writer import WhooshWriter

# Files of a Whoosh index (default index name MAIN): TOCs and segment files.
INDEX_FILE_PATTERN = re.compile(r"^(_MAIN_\d+\.toc|MAIN_[0-9a-z]+\.[A-Za-z0-9_.]+)$")


class WhooshEngine:
    """The index of a generation directory as Whoosh files."""

    name = "whoosh"

    def create(self, path) -> None:
        """An empty index in the (empty) directory ``path``."""
        ix = whoosh_index.create_in(str(path), build_schema())
        try:
            write_columns(ix)
        finally:
            ix.close()

    def seed(self, source, target) -> None:
        """The index of ``source`` in ``target`` too, by hard links (copies where the file
        system has none).

        Safe because Whoosh never writes into an existing file: segment files get
        a fresh random name and are immutable once written, deletions are kept in
        the segment objects pickled into the TOC, and a new TOC goes to a
        temporary name and is renamed; files no longer needed are unlinked, which
        removes the new directory's link only.
        """
        for entry in os.scandir(source):
            if not entry.is_file(follow_symlinks=False) or not INDEX_FILE_PATTERN.match(entry.name):
                continue
            try:
                os.link(entry.path, Path(target) / entry.name)
            except OSError:
                shutil.copy2(entry.path, Path(target) / entry.name)

    def writer(self, path, *, merge: bool = True, memory_mb: int | None = None, procs: int = 1) -> WhooshWriter:
        """A writer of the index in ``path`` (one at a time per index), writing
        what is added with ``procs`` processes."""
        return WhooshWriter(whoosh_index.open_dir(str(path)), merge=merge, memory_mb=memory_mb, procs=procs)

    def verify(self, path) -> None:
        """Raise when the index in ``path`` cannot be opened (cheaper than ``open``)."""
        whoosh_index.open_dir(str(path)).close()

    def open(self, path) -> WhooshReader:
        """The index in ``path``, for reading."""
        return WhooshReader(whoosh_index.open_dir(str(path)))


ENGINE = WhooshEngine()
