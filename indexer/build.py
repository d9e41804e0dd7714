"""Building the index from files: extract, tag, write a new generation, publish it.

A bad file never stops a build: it is recorded with its reason in the report
and the rest is indexed.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from indexer.extract import SUPPORTED_SUFFIXES, ExtractionError, extract_document
from indexer.schema import SourceInfo, document_records, version_stamp
from indexer.store import create_generation, publish, write_stamp
from indexer.tagging import tag_document
from indexer.vocabulary import load_vocabulary


@dataclass
class BuildReport:
    """What a build did, file by file."""

    generation: str | None = None
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    documents: int = 0
    units: int = 0
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 all went in, 2 some files failed (the rest committed), 1 nothing could be done."""
        if self.failed and not (self.added or self.updated or self.unchanged or self.removed):
            return 1
        return 2 if self.failed else 0


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to index under ``paths`` (sorted), and the paths that could not be used."""
    files, problems = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
            )
        elif path.is_file():
            files.append(path)
        else:
            problems.append((str(path), "no such file or folder"))
    return sorted(set(files)), problems


def file_sha256(path: Path) -> str:
    """Content fingerprint of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_index(paths: Iterable[str | Path], index_dir: str | Path, progress=None) -> BuildReport:
    """Index every file under ``paths`` into a new generation and publish it."""
    started = time.monotonic()
    index_dir = Path(index_dir)
    report = BuildReport()
    files, report.failed = collect_files(paths)
    vocabulary = load_vocabulary()
    name, path, ix = create_generation(index_dir)
    writer = ix.writer()
    try:
        for file in files:
            try:
                document = extract_document(file)
            except ExtractionError as error:
                report.failed.append((str(file), error.reason))
                continue
            tags = tag_document(document, vocabulary)
            source = SourceInfo(path=str(file), sha256=file_sha256(file))
            for record in document_records(document, tags, source):
                writer.add_document(**record)
            report.added.append(str(file))
            report.documents += 1
            report.units += len(document.units)
            if progress:
                progress(file)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    write_stamp(path, {**version_stamp("0", vocabulary.fingerprint), "built": time.time()})
    if report.added:
        publish(index_dir, name)
        report.generation = name
    report.seconds = time.monotonic() - started
    return report
