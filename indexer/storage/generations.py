"""Where the index lives on disk, and how readers find the current state of it.

Layout of an index directory::

    INDEX_DIR/
      CURRENT            name of the generation readers must open (replaced atomically)
      LOCK               held (flock) by the one process updating the index: "pid start-time"
      gen-000001/        a complete index (the engine's files), plus
        stamp.json         what built it (schema, analyzer, extractor, vocabulary), when, counts
        manifest.json      every indexed file: path -> sha256, size, mtime, symbol, units;
                           and the files that failed, with the reason
        sentences.json     the sentence splitter trained on its text (excerpts)
      gen-000002/ ...
      cache/             extraction results: <sha256>-<extractor>.json (see extract_cache.py)

A build writes a new generation beside the current one and then replaces
``CURRENT`` with ``os.replace``, so a reader sees either the old state or the
new one, never a half-built index. Generations are never changed once
published (the manifest of the current one excepted: it is not read by
searches and is replaced atomically), so a search that opened one finishes on
it whatever a build does meanwhile.

An incremental build seeds its new generation from the current one through
the engine (``Engine.seed``: hard links to immutable files). Nothing here
knows the engine's files: this module lays out directories and the small JSON
files beside them.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CURRENT_FILE = "CURRENT"
STAMP_FILE = "stamp.json"
MANIFEST_FILE = "manifest.json"
SPLITTER_FILE = "sentences.json"
CACHE_DIR = "cache"
GENERATION_PATTERN = re.compile(r"^gen-(\d+)$")
# An old generation is deleted only this long after it stopped being current,
# so a reader that read CURRENT just before the switch can still open it.
GC_GRACE_SECONDS = 300.0


class IndexMissing(Exception):
    """There is no usable index in the directory."""


@dataclass
class IndexHandle:
    """The current generation of an index: its name and directory."""

    generation: str
    path: Path

    def stamp(self) -> dict:
        """What built this generation (versions, time, counts)."""
        return read_json(self.path / STAMP_FILE)


def current_generation(index_dir: str | os.PathLike) -> str | None:
    """Name of the generation readers should use, or None when there is none."""
    try:
        name = (Path(index_dir) / CURRENT_FILE).read_text().strip()
    except FileNotFoundError:
        return None
    return name or None


def open_current(index_dir: str | os.PathLike) -> IndexHandle:
    """The current generation (name and directory); IndexMissing when there is none."""
    index_dir = Path(index_dir)
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexMissing(
            f"no index in {index_dir}: run `python -m indexer index` to build one"
        )
    return IndexHandle(generation=generation, path=index_dir / generation)


def open_reader(engine, handle: IndexHandle):
    """The generation opened with ``engine`` (base.Engine) for reading; IndexMissing
    when it cannot be opened."""
    try:
        return engine.open(handle.path)
    except Exception as error:  # noqa: BLE001 - any failure to open means unusable
        raise IndexMissing(f"index generation {handle.path} cannot be opened: {error}") from error


def generation_number(name: str) -> int | None:
    """The number of a generation directory name (gen-000012 -> 12), else None."""
    match = GENERATION_PATTERN.match(name)
    return int(match.group(1)) if match else None


def list_generations(index_dir: Path) -> list[str]:
    """Generation directories present, oldest first."""
    if not index_dir.is_dir():
        return []
    names = [p.name for p in index_dir.iterdir() if p.is_dir() and generation_number(p.name) is not None]
    return sorted(names, key=generation_number)


def next_generation_name(index_dir: Path) -> str:
    """A fresh generation directory name, higher than any present."""
    numbers = [generation_number(name) for name in list_generations(index_dir)]
    current = current_generation(index_dir)
    if current and generation_number(current) is not None:
        numbers.append(generation_number(current))
    return f"gen-{max(numbers, default=0) + 1:06d}"


def create_generation(index_dir: Path) -> tuple[str, Path]:
    """A new, empty generation directory; returns (name, path)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    name = next_generation_name(index_dir)
    path = index_dir / name
    path.mkdir()
    return name, path


@contextmanager
def discard_on_error(path: Path):
    """The block builds the generation in ``path``: an exception deletes it (and goes on)."""
    try:
        yield path
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def read_json(path: Path) -> dict:
    """A JSON object from a file, or {} when it is missing or unreadable."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def read_stamp(index_dir: Path, generation: str | None) -> dict:
    """What built a generation, or {} when unknown."""
    return read_json(index_dir / generation / STAMP_FILE) if generation else {}


def read_manifest(index_dir: Path, generation: str | None) -> dict:
    """The files a generation holds (see the module docstring), or {} when unknown."""
    return read_json(index_dir / generation / MANIFEST_FILE) if generation else {}


def write_stamp(path: Path, stamp: dict) -> None:
    """Record what built a generation, durably."""
    _write_durably(path / STAMP_FILE, json.dumps(stamp, indent=2, sort_keys=True))


def write_manifest(path: Path, manifest: dict) -> None:
    """Record the files a generation holds, durably (atomic replace)."""
    _write_durably(path / MANIFEST_FILE, json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))


def write_splitter(path: Path, splitter: dict) -> None:
    """Keep the sentence splitter trained on a generation beside it (before it is published)."""
    _write_durably(path / SPLITTER_FILE, json.dumps(splitter, ensure_ascii=False, separators=(",", ":")))


def read_splitter(path: Path) -> dict:
    """The stored sentence splitter of the generation in ``path``, or {} when none."""
    return read_json(path / SPLITTER_FILE)


def sync_generation(path: Path) -> None:
    """Flush every file of a generation to disk before it is published."""
    for entry in os.scandir(path):
        if entry.is_file(follow_symlinks=False):
            descriptor = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
    _fsync_directory(path)


def publish(index_dir: Path, generation: str) -> None:
    """Make ``generation`` the one readers open: an atomic replace of CURRENT."""
    _write_durably(index_dir / CURRENT_FILE, generation + "\n")


def remove_leftovers(index_dir: Path) -> list[str]:
    """Delete what an interrupted build left behind: generations newer than the
    current one (never published) and temporary files. Call with the writer lock held."""
    removed = []
    current = current_generation(index_dir)
    current_number = generation_number(current) if current else None
    for name in list_generations(index_dir):
        if current_number is None or generation_number(name) > current_number:
            shutil.rmtree(index_dir / name, ignore_errors=True)
            removed.append(name)
    temporary = [*index_dir.glob(f"{CURRENT_FILE}.tmp-*")]
    if current and (index_dir / current).is_dir():
        temporary += (index_dir / current).glob("*.tmp-*")
    if (index_dir / CACHE_DIR).is_dir():
        temporary += (index_dir / CACHE_DIR).glob(".*.tmp-*")
    for path in temporary:
        try:
            path.unlink()
            removed.append(str(path.relative_to(index_dir)))
        except OSError:
            pass
    return removed


def collect_garbage(index_dir: Path, grace_seconds: float = GC_GRACE_SECONDS, now: float | None = None) -> list[str]:
    """Delete old generations: every one but the current and the previous, and only
    once it has not been current for ``grace_seconds``. Call with the writer lock held."""
    now = time.time() if now is None else now
    current = current_generation(index_dir)
    if current is None or generation_number(current) is None:
        return []
    older = [g for g in list_generations(index_dir) if generation_number(g) < generation_number(current)]
    kept = set(older[-1:])  # the previous generation
    removed = []
    for position, name in enumerate(older):
        if name in kept:
            continue
        # It stopped being current when the next generation was published.
        successor = older[position + 1] if position + 1 < len(older) else current
        try:
            retired_at = (index_dir / successor / STAMP_FILE).stat().st_mtime
        except OSError:
            retired_at = now  # unknown: wait another grace period
        if now - retired_at >= grace_seconds:
            shutil.rmtree(index_dir / name, ignore_errors=True)
            removed.append(name)
    return removed


def _write_durably(target: Path, content: str) -> None:
    # Write beside, fsync, then rename: a crash leaves the old file or the new one.
    temporary = target.with_name(target.name + f".tmp-{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _fsync_directory(target.parent)


def _fsync_directory(path: Path) -> None:
    directory = os.open(path, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
