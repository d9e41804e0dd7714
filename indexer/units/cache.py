"""The extraction cache: what the extractor made of a file, kept as JSON.

Extraction (reading PDFs) is the slow step of a build, and its result depends
only on the file's bytes and the extractor's code. So it is kept under
``INDEX_DIR/cache/<sha256>-<extractor version>.json`` and reused when a file
is renamed or copied, and when only tagging, the analyzer or the schema
changed. A failed extraction is kept too (``{"error": reason}``), so a broken
file is not re-read on every run; a failure of the machine (over budget, out of
memory, a missing library) is never written here (workers.py decides). An
entry that cannot be read is a miss.

Most extractions depend on the bytes alone. When the extractor had to take the
document's symbol or name from the file name (it says so in the document's
warnings), the entry is kept under a key that adds the file name, so a copy or
a rename of that file is read again and gets its own symbol.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import types
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path

from indexer.models import Document

# Bump when the JSON shape below changes.
CACHE_FORMAT = 2
# Entries of these formats are still read. Format 1 also kept failures of the
# machine rather than the file (a missing library, no memory) as if they were
# the file's: its failures are not trusted, its documents are.
DOCUMENT_FORMATS = (1, 2)
FAILURE_FORMATS = (2,)


class CachedFailure(str):
    """The reason a file could not be extracted, as recorded in the cache."""


def entry_path(cache_dir: Path, sha256: str, extractor_version: str, name: str | None = None) -> Path:
    """Where the cache keeps the extraction of a file's content (and name, when it mattered)."""
    version = re.sub(r"[^A-Za-z0-9._-]", "_", str(extractor_version))
    suffix = f"-{hashlib.sha256(name.encode()).hexdigest()[:16]}" if name is not None else ""
    return Path(cache_dir) / f"{sha256}-{version}{suffix}.json"


def uses_file_name(document: Document) -> bool:
    """Whether the extractor took the document's symbol or name from its file name."""
    return any("file name" in warning for warning in document.warnings)


def read_entry(
    cache_dir: Path, sha256: str, extractor_version: str, name: str | None = None
) -> Document | CachedFailure | None:
    """The cached Document (or failure) for this content and extractor, or None.
    ``name`` is the file's name, for extractions that depended on it."""
    for key in (None, name) if name is not None else (None,):
        try:
            data = json.loads(entry_path(cache_dir, sha256, extractor_version, key).read_text(encoding="utf-8"))
            if data.get("sha256") != sha256:
                continue
            if "error" in data:
                if data.get("format") not in FAILURE_FORMATS:
                    continue
                return CachedFailure(data["error"])
            if data.get("format") not in DOCUMENT_FORMATS:
                continue
            document = document_from_json(data["document"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if name is None or not uses_file_name(document) or data.get("name") == name:
            return document
    return None


def write_entry(
    cache_dir: Path, sha256: str, extractor_version: str, result: Document | CachedFailure,
    name: str | None = None,
) -> None:
    """Keep an extraction result; atomic, so a killed process leaves no torn entry."""
    data = {"format": CACHE_FORMAT, "sha256": sha256, "extractor": str(extractor_version), "name": name}
    key = None
    if isinstance(result, Document):
        data["document"] = document_to_json(result)
        if name is not None and uses_file_name(result):
            key = name
    else:
        data["error"] = str(result)
    target = entry_path(cache_dir, sha256, extractor_version, key)
    target.parent.mkdir(parents=True, exist_ok=True)
    # No fsync: the cache can always be rebuilt, and an entry torn by a power
    # cut does not parse, which reads as a miss.
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, target)


def document_to_json(document: Document) -> dict:
    """A Document (and its units) as plain JSON values."""
    return _plain(document)


def document_from_json(data: dict) -> Document:
    """The Document ``document_to_json`` was given: tuples come back as tuples."""
    return _build(Document, data)


def _plain(value):
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def _build(cls, data: dict):
    hints = typing.get_type_hints(cls)
    values = {f.name: _convert(hints[f.name], data[f.name]) for f in fields(cls) if f.name in data}
    return cls(**values)


def _convert(kind, value):
    # Rebuild a value from its JSON form following the field's annotation.
    if value is None:
        return None
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in arguments if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(_convert(arguments[0], item) for item in value)
        return tuple(_convert(a, item) for a, item in zip(arguments, value))
    if origin is list:
        return [_convert(arguments[0], item) for item in value] if arguments else list(value)
    if isinstance(kind, type) and is_dataclass(kind):
        return _build(kind, value)
    return value
