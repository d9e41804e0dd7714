"""Where the index lives on disk, and how readers find the current state of it.

Layout of an index directory::

    INDEX_DIR/
      CURRENT            name of the generation readers must open (replaced atomically)
      gen-000001/        a complete Whoosh index plus stamp.json (what built it)
      gen-000002/ ...

A build writes a new generation beside the current one and then replaces
``CURRENT`` with ``os.replace``, so a reader sees either the old state or the
new one, never a half-built index.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.schema import build_schema

CURRENT_FILE = "CURRENT"
STAMP_FILE = "stamp.json"


class IndexMissing(Exception):
    """There is no usable index in the directory."""


@dataclass
class IndexHandle:
    """An opened generation of the index."""

    generation: str
    path: Path
    index: object  # whoosh.index.Index; stays inside the indexer package

    def stamp(self) -> dict:
        """What built this generation (versions, time, counts)."""
        stamp_path = self.path / STAMP_FILE
        return json.loads(stamp_path.read_text()) if stamp_path.exists() else {}


def current_generation(index_dir: str | os.PathLike) -> str | None:
    """Name of the generation readers should use, or None when there is none."""
    try:
        name = (Path(index_dir) / CURRENT_FILE).read_text().strip()
    except FileNotFoundError:
        return None
    return name or None


def open_current(index_dir: str | os.PathLike) -> IndexHandle:
    """Open the current generation for reading."""
    index_dir = Path(index_dir)
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(
            f"no index in {index_dir}: run `python -m indexer index` to build one"
        )
    path = index_dir / generation
    try:
        ix = whoosh_index.open_dir(str(path))
    except Exception as error:  # noqa: BLE001 - any failure to open means unusable
        raise IndexMissing(f"index generation {path} cannot be opened: {error}") from error
    return IndexHandle(generation=generation, path=path, index=ix)


def next_generation_name(index_dir: Path) -> str:
    """A fresh generation directory name, higher than any present."""
    numbers = [
        int(p.name.split("-", 1)[1])
        for p in index_dir.glob("gen-*")
        if p.name.split("-", 1)[1].isdigit()
    ]
    return f"gen-{max(numbers, default=0) + 1:06d}"


def create_generation(index_dir: Path) -> tuple[str, Path, object]:
    """Make an empty index in a new generation directory; returns (name, path, index)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = next_generation_name(index_dir)
    path = index_dir / name
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    return name, path, ix


def write_stamp(path: Path, stamp: dict) -> None:
    """Record what built a generation, durably."""
    _write_durably(path / STAMP_FILE, json.dumps(stamp, indent=2, sort_keys=True))


def publish(index_dir: Path, generation: str) -> None:
    """Make ``generation`` the one readers open: an atomic replace of CURRENT."""
    _write_durably(index_dir / CURRENT_FILE, generation + "\n")


def _write_durably(target: Path, content: str) -> None:
    # Write beside, fsync, then rename: a crash leaves the old file or the new one.
    temporary = target.with_name(target.name + f".tmp-{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
