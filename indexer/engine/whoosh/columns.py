"""A committed Whoosh index as memory-mapped columns: what a reader needs, written once.

Whoosh keeps posting lists as pickled blocks; decoding them costs every
reading process its own copy and makes a first query for a common word slow.
After each commit, ``write_columns`` decodes the whole index once and writes,
in a folder ``columns-<TOC generation>`` of the index directory:

- per column field (``COLUMN_FIELDS``): the term dictionary (a sorted 64-bit
  hash per term, the term bytes to confirm a match), each term's postings as
  global docnums (``int32``), their BM25F scores as the engine scores them
  (``float64``; the weight of keyword fields), the positions of the fields that
  keep them, each document's field length byte, and for the fields looked up
  by prefix the dictionary in byte order;
- per facet: its values, the live documents of each value and the values of
  each document; each document's title;
- the live documents and each document's place in document order.

``Columns`` opens them with ``numpy.load(mmap_mode="r")``: every process
reading a generation shares one copy through the page cache, and nothing is
unpickled on a query. Fields left out (``source``, ``paragraph``, ...) are read
through Whoosh, one short posting list at a time.
"""
from __future__ import annotations

import bisect
import hashlib
import io
import json
import math
import os
import shutil
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.reading import SegmentReader
from whoosh.support.levenshtein import damerau_levenshtein
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length, length_to_byte

from indexer.engine.base import TEXT_FIELDS
from indexer.engine.whoosh import postings as vec
from indexer.facets import FACETS
from indexer.storage.generations import sync_generation

COLUMNS_PREFIX = "columns-"
META_FILE = "meta.json"
# Bumped when the files change shape: a reader refuses columns of another version.
COLUMNS_VERSION = 2
# Fields whose postings are columns: everything queried by terms and phrases,
# the facets, the markers, and the unit ids (looked up by value and by prefix:
# through Whoosh, each lookup visits every segment). source and paragraph are
# read through Whoosh.
COLUMN_FIELDS = TEXT_FIELDS + ("traits", "refkey", "primary_instrument", "uid") + tuple(f.field for f in FACETS)
# Fields whose terms are also listed in byte order, for prefix lookups (and
# spelling suggestions: terms sharing a word's first letters).
PREFIX_FIELDS = ("uid", "refkey", "exact")
# Facet-like columns: values per document for counting and filtering.
FACET_COLUMNS = tuple((f.name, f.field) for f in FACETS) + (("primary_instrument", "primary_instrument"),)
# Field length bytes decoded as the engine decodes them.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# What to do about missing or stale columns.
REBUILD_HINT = "rebuild the index with `python -m indexer index <corpus> --rebuild`"
# Postings held at once while a field's columns are written: a field is
# written in batches of terms of about this many postings (about 100 MB of
# arrays), so the memory a commit takes does not grow with the corpus.
BATCH_POSTINGS = 4_000_000
# BM25 parameters of the ranking contract (engine/base.py).
BM25_B, BM25_K1 = 0.75, 1.2


class ColumnsMissing(Exception):
    """The index has no columns of its latest commit."""


def term_hash(text: bytes) -> int:
    """A term's 64-bit key in a field's dictionary (stable across processes)."""
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


def columns_path(index_path, toc_generation: int) -> Path:
    return Path(index_path) / f"{COLUMNS_PREFIX}{toc_generation}"


# -- writing -------------------------------------------------------------------------


def write_columns(ix) -> Path:
    """Write the columns of the index's latest commit (replacing older ones); their folder."""
    index_path = Path(ix.storage.folder)
    target = columns_path(index_path, ix.latest_generation())
    temporary = target.with_name(target.name + ".tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        # An empty index has no segment (Whoosh gives an empty reader).
        leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers() if isinstance(leaf, SegmentReader)]
        size = reader.doc_count_all()
        fields = {}
        for fieldname in COLUMN_FIELDS:
            if fieldname in searcher.schema:
                fields[fieldname] = _write_field(temporary, searcher, leaves, fieldname, size)
        alive = np.zeros(size, dtype=bool)
        alive[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        order = _numeric_column(leaves, "order", size)
        facets = {name: _write_facet(temporary, name, field, alive, size) for name, field in FACET_COLUMNS}
        titles = _document_titles(searcher, facets["document"])
    np.save(temporary / "alive_docs.npy", np.flatnonzero(alive).astype(np.int32))
    np.save(temporary / "doc_rank.npy", _document_order(facets["document"], order, size))
    meta = {"version": COLUMNS_VERSION, "size": size, "fields": fields, "titles": titles,
            "facets": {name: {"labels": f.labels, "single": f.single is not None} for name, f in facets.items()}}
    (temporary / META_FILE).write_text(json.dumps(meta))
    sync_generation(temporary)  # every file, then the folder
    shutil.rmtree(target, ignore_errors=True)
    os.rename(temporary, target)
    for old in index_path.glob(COLUMNS_PREFIX + "*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    return target


def _write_field(folder: Path, searcher, leaves, fieldname: str, size: int) -> dict:
    """A field's dictionary, postings, scores, positions and lengths; its description.

    Written a batch of terms at a time (``_term_ranges``): every segment's
    postings of the batch's terms, grouped by term, appended to the files.
    """
    field_type = searcher.schema[fieldname]
    with_positions = bool(field_type.format and field_type.format.supports("positions"))
    prefix = folder / fieldname
    if field_type.scorable:
        # BM25F as the engine scores it: idf over every document, the length
        # byte-rounded, the weight a 32-bit float.
        length_bytes = _length_bytes(leaves, fieldname, size)
        np.save(f"{prefix}.lengths.npy", length_bytes)
        lengths = LENGTH_OF_BYTE[length_bytes]
        avgfl = searcher.avg_field_length(fieldname) or 1
    texts: list[bytes] = []  # every term, in the order of its postings
    term_counts = []
    decoded: dict[bytes, tuple[int, ...]] = {}  # an encoded position list -> its positions
    with _ArrayFile(f"{prefix}.docs.npy", np.int32) as docs_file, \
            _ArrayFile(f"{prefix}.scores.npy", np.float64) as scores_file, \
            _ArrayFile(f"{prefix}.position_starts.npy", np.int64, with_positions) as starts_file, \
            _ArrayFile(f"{prefix}.positions.npy", np.int32, with_positions) as positions_file:
        starts_file.append(np.zeros(1, dtype=np.int64))
        positions_before = 0
        for low, high in _term_ranges(leaves, fieldname, BATCH_POSTINGS):
            terms: dict[bytes, int] = {}
            batch = _grouped([_segment_postings(leaf, offset, fieldname, field_type.format, terms,
                                                with_positions, decoded, low, high)
                              for leaf, offset in leaves], with_positions)
            counts = np.bincount(batch.term_ids, minlength=len(terms))
            if field_type.scorable:
                idf = np.log(size / (counts + 1)) + 1
                scores = vec.bm25(np.repeat(idf, counts), batch.weights.astype(np.float64),
                                  lengths[batch.docs], avgfl, BM25_B, BM25_K1)
            else:
                scores = batch.weights.astype(np.float64)
            docs_file.append(batch.docs)
            scores_file.append(scores)
            if with_positions:
                starts_file.append(positions_before + np.cumsum(batch.position_counts))
                positions_before += int(batch.position_counts.sum())
                positions_file.append(batch.positions)
            texts.extend(terms)
            term_counts.append(counts)
    counts = np.concatenate(term_counts) if term_counts else np.zeros(0, dtype=np.int64)
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    hashes = np.fromiter((term_hash(t) for t in texts), dtype=np.uint64, count=len(texts))
    by_hash = np.argsort(hashes, kind="stable")
    in_slots = [texts[i] for i in by_hash.tolist()]
    text_offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in in_slots], out=text_offsets[1:])
    (folder / f"{fieldname}.terms.bin").write_bytes(b"".join(in_slots))
    np.save(f"{prefix}.term_offsets.npy", text_offsets)
    np.save(f"{prefix}.hashes.npy", hashes[by_hash])
    if fieldname in PREFIX_FIELDS:
        # Dictionary slots (hash order) in the terms' byte order.
        np.save(f"{prefix}.byte_order.npy",
                np.asarray(sorted(range(len(in_slots)), key=in_slots.__getitem__), dtype=np.int64))
    # Postings of the term at dictionary slot i: term_starts[i] .. term_ends[i].
    np.save(f"{prefix}.term_starts.npy", starts[:-1][by_hash])
    np.save(f"{prefix}.term_ends.npy", starts[1:][by_hash])
    return {"positions": with_positions, "scorable": bool(field_type.scorable),
            "terms": len(texts), "postings": int(starts[-1])}


class _ArrayFile:
    """A one-dimensional ``.npy`` file written piece by piece, its length known
    only at the end (then written into the header room left at the start);
    with ``wanted`` false, nothing is written."""

    HEADER_BYTES = 128  # a version 1.0 header of any 1-d shape fits, and keeps the data 64-byte aligned

    def __init__(self, path, dtype, wanted: bool = True):
        self.path, self.dtype, self.count = path, np.dtype(dtype), 0
        self._file = open(path, "wb") if wanted else None
        if self._file:
            self._file.write(b"\0" * self.HEADER_BYTES)

    def append(self, values: np.ndarray) -> None:
        if self._file:
            self._file.write(np.ascontiguousarray(values, dtype=self.dtype).tobytes())
            self.count += len(values)

    def __enter__(self) -> "_ArrayFile":
        return self

    def __exit__(self, *exc) -> None:
        if not self._file:
            return
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(header, {
            "descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False, "shape": (self.count,)})
        raw = header.getvalue()
        if len(raw) > self.HEADER_BYTES:
            raise ValueError(f"{self.path}: a header of {len(raw)} bytes")
        # Room to spare is padding inside the header: spaces before its closing newline.
        length = self.HEADER_BYTES - 10
        raw = raw[:8] + length.to_bytes(2, "little") + raw[10:-1].ljust(length - 1) + b"\n"
        self._file.seek(0)
        self._file.write(raw)
        self._file.close()


@dataclass
class _Postings:
    """Postings of a field (one segment's, or a batch's of every segment), in
    term order, docnums global."""

    term_ids: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    position_counts: np.ndarray  # per posting (0 without positions)
    positions: np.ndarray  # every posting's positions, one after the other

    @classmethod
    def empty(cls) -> "_Postings":
        return cls(np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.float32),
                   np.zeros(0, np.int64), np.zeros(0, np.int32))


def _grouped(parts: list[_Postings], with_positions: bool) -> _Postings:
    """Several segments' postings of the same terms as one, grouped by term: one
    stable sort, and the segments are in docnum order, so each term's docnums
    stay sorted."""
    parts = parts or [_Postings.empty()]
    term_ids = np.concatenate([p.term_ids for p in parts])
    docs = np.concatenate([p.docs for p in parts]).astype(np.int32)
    weights = np.concatenate([p.weights for p in parts])
    position_counts = np.concatenate([p.position_counts for p in parts])
    positions = np.concatenate([p.positions for p in parts])
    if len(term_ids) and (np.diff(term_ids) < 0).any():
        by_term = np.argsort(term_ids, kind="stable")
        term_ids, docs, weights = term_ids[by_term], docs[by_term], weights[by_term]
        if with_positions:
            position_starts = np.zeros(len(position_counts), dtype=np.int64)
            np.cumsum(position_counts[:-1], out=position_starts[1:])
            positions = positions[vec.runs(position_starts[by_term], position_counts[by_term])]
        position_counts = position_counts[by_term]
    return _Postings(term_ids, docs, weights, position_counts, positions)


def _field_items(leaf, fieldname: str, low: bytes, high: bytes | None):
    """(term, term info) of a segment's field, for the terms in [low, high) (high None: to the end)."""
    for (name, btext), info in leaf._terms.items_from(fieldname, low):
        if name != fieldname or (high is not None and btext >= high):
            break
        yield btext, info


def _term_ranges(leaves, fieldname: str, batch_postings: int) -> list[tuple[bytes, bytes | None]]:
    """Byte ranges [low, high) of a field's terms holding about ``batch_postings``
    postings each, the last one open; the largest segment's terms and document
    counts stand for every segment's."""
    whole = [(b"", None)]
    if not leaves:
        return whole
    leaf = max((leaf for leaf, _ in leaves), key=lambda leaf: leaf.doc_count_all())
    sample = [(btext, info.doc_frequency()) for btext, info in _field_items(leaf, fieldname, b"", None)]
    scale = sum(leaf.doc_count_all() for leaf, _ in leaves) / max(1, leaf.doc_count_all())
    sampled = sum(df for _, df in sample)
    batches = math.ceil(sampled * scale / batch_postings)
    if batches <= 1:
        return whole
    cuts, running = [], 0
    for btext, df in sample:
        if running >= sampled * (len(cuts) + 1) / batches:
            cuts.append(btext)  # the first term of the next batch
        running += df
    bounds = [b"", *cuts, None]
    return list(zip(bounds[:-1], bounds[1:]))


def _segment_postings(leaf, offset, fieldname, format_, terms, with_positions, decoded,
                      low: bytes = b"", high: bytes | None = None) -> _Postings:
    """One segment's postings of a field's terms in [low, high), read from
    Whoosh's blocks directly, deleted documents included (the reader masks
    them): each block is decoded once as a whole."""
    table = leaf._terms
    ids_parts, docs_parts, weight_parts, count_parts, position_parts = [], [], [], [], []
    for btext, info in _field_items(leaf, fieldname, low, high):
        term_id = terms.setdefault(btext, len(terms))
        matcher = leaf._codec.postings_reader(table._postfile, info, format_)
        for ids, weights, values in _blocks(matcher, with_positions):
            docs_parts.append(ids + offset)
            weight_parts.append(weights)
            ids_parts.append(np.full(len(ids), term_id, dtype=np.int32))
            if with_positions:
                lists = [_positions_of(value, decoded) for value in values]
                count_parts.append(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)))
                position_parts.append(np.fromiter(chain.from_iterable(lists), dtype=np.int32))
            else:
                count_parts.append(np.zeros(len(ids), dtype=np.int64))
    if not docs_parts:
        return _Postings.empty()
    return _Postings(np.concatenate(ids_parts), np.concatenate(docs_parts), np.concatenate(weight_parts),
                         np.concatenate(count_parts),
                         np.concatenate(position_parts) if position_parts else np.zeros(0, np.int32))


def _blocks(matcher, with_values: bool):
    """(docnums within the segment, 32-bit weights, encoded values) per block."""
    if not isinstance(matcher, W3LeafMatcher):
        ids, weights, values = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value() if with_values else None)
            matcher.next()
        yield np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32), values
        return
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids, weights, values = matcher._data[0], matcher._data[1], matcher._data[2]
        ids = np.array(ids, dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)  # stored as gaps
        if weights is None:
            weights = np.ones(len(ids), dtype=np.float32)
        elif isinstance(weights, float):
            weights = np.full(len(ids), weights, dtype=np.float32)
        else:
            weights = np.array(weights, dtype=np.float32)
        yield ids, weights, values
        matcher._next_block()


def _positions_of(value: bytes, decoded: dict) -> tuple[int, ...]:
    """The positions of one posting (Whoosh's ``Positions`` encoding: a count,
    then the pickled gaps, the pickle's final stop sometimes cut). Most
    postings share a few encodings (one word at one of the first positions),
    so each encoding is decoded once."""
    found = decoded.get(value)
    if found is None:
        body = value[_INT_SIZE:]
        gaps = loads(body if body.endswith(b".") else body + b".")
        found = decoded[value] = tuple(np.cumsum(gaps).tolist())
    return found


def _length_bytes(leaves, fieldname, size) -> np.ndarray:
    """Each document's field length as the engine's length byte."""
    parts = []
    lenfield = _lenfield(fieldname)
    for leaf, _ in leaves:
        perdoc = getattr(leaf, "_perdoc", None)
        count = leaf.doc_count_all()
        if perdoc is None or not perdoc.has_column(lenfield):
            parts.append(np.array([length_to_byte(leaf.doc_field_length(d, fieldname, 0) or 0)
                                   for d in range(count)], dtype=np.uint8))
        else:
            parts.append(numeric_column_array(perdoc.column_reader(lenfield, LENGTHS_COLUMN), count)
                         .astype(np.uint8))
    return np.concatenate(parts) if parts else np.zeros(size, dtype=np.uint8)  # no segment: no document


def _numeric_column(leaves, fieldname, size) -> np.ndarray:
    values = np.zeros(size, dtype=np.int64)
    for leaf, offset in leaves:
        count = leaf.doc_count_all()
        values[offset:offset + count] = numeric_column_array(leaf.column_reader(fieldname), count)
    return values


def numeric_column_array(column, count: int) -> np.ndarray:
    """A numeric column of one segment as an int64 array (absent values: the default)."""
    if isinstance(column, NumericColumn.Reader):
        stored = min(column._count, count)
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        values = np.frombuffer(raw, dtype=np.dtype(">" + column._typecode)).astype(np.int64)
        if stored < count:
            values = np.concatenate([values, np.full(count - stored, column._default, dtype=np.int64)])
        return values
    return np.fromiter((column[d] for d in range(count)), dtype=np.int64, count=count)


def _write_facet(folder: Path, name: str, fieldname: str, alive: np.ndarray, size: int) -> "FacetColumns":
    """Write a facet's values (non-empty, with live documents), the live documents of
    each value, and the values of each document, from the field's columns; them."""
    field = _FieldFiles(folder, fieldname)
    labels, value_docs = [], []
    for slot in np.argsort([field.text(i) for i in range(field.count)], kind="stable").tolist():
        value = field.text(slot).decode("utf-8")
        if not value:
            continue  # a unit without a value (no known year) is in no facet bucket
        docs = field.postings(slot)
        docs = docs[alive[docs]]
        if len(docs):
            labels.append(value)
            value_docs.append(docs.astype(np.int32))
    value_starts = np.zeros(len(labels) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in value_docs], out=value_starts[1:])
    pair_docs = np.concatenate(value_docs) if value_docs else np.zeros(0, dtype=np.int32)
    pair_values = np.repeat(np.arange(len(labels), dtype=np.int32), np.diff(value_starts))
    by_doc = np.argsort(pair_docs, kind="stable")
    doc_starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(pair_docs, minlength=size), out=doc_starts[1:])
    prefix = f"{folder}/facet.{name}"
    np.save(f"{prefix}.value_starts.npy", value_starts)
    np.save(f"{prefix}.value_docs.npy", pair_docs)
    np.save(f"{prefix}.doc_starts.npy", doc_starts)
    np.save(f"{prefix}.doc_values.npy", pair_values[by_doc])
    single = None
    if len(np.unique(pair_docs)) == len(pair_docs):
        # docnum -> value index + 1 (0: none): counting is one bincount.
        single = np.zeros(size, dtype=np.int32)
        single[pair_docs] = pair_values + 1
        np.save(f"{prefix}.single.npy", single)
    return FacetColumns(name, labels, value_starts, pair_docs, doc_starts, pair_values[by_doc], single)


def _document_titles(searcher, document: "FacetColumns") -> list[str]:
    """Each document's title (the facet's labels' order), from its first unit's stored data."""
    titles = []
    for position in range(len(document.labels)):
        first = int(document.value_docs[document.value_starts[position]])
        data = json.loads(searcher.stored_fields(first).get("data") or "{}")
        titles.append(data.get("title") or "")
    return titles


def _document_order(document: "FacetColumns", order: np.ndarray, size: int) -> np.ndarray:
    """Each document's place in document order: by symbol, then position in the document."""
    code = np.full(size, -1, dtype=np.int64)
    code[document.value_docs] = np.repeat(np.arange(len(document.labels)), np.diff(document.value_starts))
    rank = np.empty(size, dtype=np.int64)
    rank[np.lexsort((order, code))] = np.arange(size)
    return rank


# -- reading -------------------------------------------------------------------------


def _load(path) -> np.ndarray:
    # A plain ndarray over the mapping: numpy's memmap subclass costs a wrapper
    # on every slice and result, hundreds per query.
    return np.load(path, mmap_mode="r").view(np.ndarray)


class _FieldFiles:
    """One field's columns, memory-mapped."""

    def __init__(self, folder: Path, fieldname: str, described: dict | None = None):
        described = described or {}
        prefix = f"{folder}/{fieldname}"
        self.hashes = _load(f"{prefix}.hashes.npy")
        self.count = len(self.hashes)
        texts = f"{prefix}.terms.bin"
        self._texts = (np.memmap(texts, dtype=np.uint8, mode="r").view(np.ndarray) if os.path.getsize(texts)
                       else np.zeros(0, dtype=np.uint8))  # an empty file cannot be mapped
        self._text_offsets = _load(f"{prefix}.term_offsets.npy")
        self._starts = _load(f"{prefix}.term_starts.npy")
        self._ends = _load(f"{prefix}.term_ends.npy")
        self.docs = _load(f"{prefix}.docs.npy")
        self.scores = _load(f"{prefix}.scores.npy")
        if described.get("scorable"):
            self.length_bytes = _load(f"{prefix}.lengths.npy")
        if described.get("positions"):
            self.position_starts = _load(f"{prefix}.position_starts.npy")
            self.positions = _load(f"{prefix}.positions.npy")
        if fieldname in PREFIX_FIELDS:
            self.byte_order = _load(f"{prefix}.byte_order.npy")

    def text(self, slot: int) -> bytes:
        return self._texts[self._text_offsets[slot]:self._text_offsets[slot + 1]].tobytes()

    def slot(self, btext: bytes) -> int | None:
        """The dictionary slot of a term, or None."""
        key = np.uint64(term_hash(btext))
        slot = int(np.searchsorted(self.hashes, key))
        while slot < self.count and self.hashes[slot] == key:
            if self.text(slot) == btext:
                return slot
            slot += 1
        return None

    def prefix_slots(self, prefix: bytes) -> np.ndarray:
        """Dictionary slots of the terms starting with ``prefix``, in byte order (a prefix field's)."""
        order = self.byte_order
        key = lambda slot: self.text(int(slot))  # noqa: E731 - the order's terms, read as needed
        first = bisect.bisect_left(order, prefix, key=key)
        # Past the prefix's terms: the first term above every string it begins.
        stem = prefix.rstrip(b"\xff")
        last = (bisect.bisect_left(order, stem[:-1] + bytes([stem[-1] + 1]), lo=first, key=key) if stem
                else len(order))
        return order[first:last]

    def with_prefix(self, prefix: bytes) -> list[bytes]:
        """The terms starting with ``prefix``, in byte order (a prefix field's)."""
        return [self.text(slot) for slot in self.prefix_slots(prefix).tolist()]

    def near(self, word: str, max_edits: int, prefix: int) -> list[tuple[str, int]]:
        """(term, documents holding it) of the terms within ``max_edits`` edits
        (Damerau-Levenshtein) of ``word`` that share its first ``prefix``
        letters (a prefix field's)."""
        slots = self.prefix_slots(word[:prefix].encode("utf-8"))
        wanted = len(word.encode("utf-8"))
        sizes = self._text_offsets[slots + 1] - self._text_offsets[slots]
        # An edit changes a UTF-8 term by at most four bytes: most terms are
        # ruled out by their length alone.
        slots = slots[np.abs(sizes - wanted) <= 4 * max_edits]
        found = []
        for slot in slots.tolist():
            term = self.text(slot).decode("utf-8")
            if abs(len(term) - len(word)) <= max_edits and damerau_levenshtein(word, term, max_edits) <= max_edits:
                found.append((term, int(self._ends[slot] - self._starts[slot])))
        return found

    def span(self, slot: int) -> tuple[int, int]:
        return int(self._starts[slot]), int(self._ends[slot])

    def postings(self, slot: int) -> np.ndarray:
        start, end = self.span(slot)
        return self.docs[start:end]


@dataclass
class FacetColumns:
    """One facet of a generation, memory-mapped: its values, each value's live
    documents (``value_docs[value_starts[v]:value_starts[v + 1]]``) and each
    document's values (``doc_values[doc_starts[d]:doc_starts[d + 1]]``)."""

    name: str
    labels: list[str]
    value_starts: np.ndarray
    value_docs: np.ndarray
    doc_starts: np.ndarray
    doc_values: np.ndarray
    single: np.ndarray | None  # docnum -> value index + 1 (0: none), when no document has two


class Columns:
    """The columns of one commit of a Whoosh index, memory-mapped."""

    def __init__(self, index_path, toc_generation: int):
        folder = columns_path(index_path, toc_generation)
        meta_path = folder / META_FILE
        if not meta_path.exists():
            raise ColumnsMissing(f"{index_path}: the index has no columns of its latest commit "
                                 f"({folder.name}); {REBUILD_HINT}")
        meta = json.loads(meta_path.read_text())
        if meta.get("version") != COLUMNS_VERSION:
            raise ColumnsMissing(f"{folder}: columns of version {meta.get('version')}, not "
                                 f"{COLUMNS_VERSION}; {REBUILD_HINT}")
        self.size = meta["size"]
        self.fields = {name: _FieldFiles(folder, name, described)
                       for name, described in meta["fields"].items()}
        self.facets = {}
        for name, described in meta["facets"].items():
            prefix = f"{folder}/facet.{name}"
            self.facets[name] = FacetColumns(
                name, described["labels"], _load(f"{prefix}.value_starts.npy"), _load(f"{prefix}.value_docs.npy"),
                _load(f"{prefix}.doc_starts.npy"), _load(f"{prefix}.doc_values.npy"),
                _load(f"{prefix}.single.npy") if described["single"] else None)
        self.alive_docs = _load(folder / "alive_docs.npy")
        self.doc_rank = _load(folder / "doc_rank.npy")
        self.titles = meta["titles"]  # of the document facet's labels, in their order

    def has(self, fieldname: str) -> bool:
        return fieldname in self.fields

    def scored(self, fieldname: str, btext: bytes):
        """(docnums, scores) of a term: views of the mapped files, never copied."""
        field = self.fields[fieldname]
        slot = field.slot(btext)
        if slot is None:
            return vec.EMPTY
        start, end = field.span(slot)
        return field.docs[start:end], field.scores[start:end]

    def with_prefix(self, fieldname: str, prefix: bytes) -> list[bytes]:
        """A prefix field's terms starting with ``prefix``, in byte order."""
        return self.fields[fieldname].with_prefix(prefix)

    def near(self, fieldname: str, word: str, max_edits: int, prefix: int) -> list[tuple[str, int]]:
        """(term, documents holding it) of a prefix field's terms close to ``word`` (spelling)."""
        return self.fields[fieldname].near(word, max_edits, prefix)

    def lengths(self, fieldname: str, docs: np.ndarray) -> np.ndarray:
        """The field's length, as the engine scores it, of each of ``docs``."""
        return LENGTH_OF_BYTE[self.fields[fieldname].length_bytes[docs]]

    def positions(self, fieldname: str, btext: bytes, candidates: np.ndarray) -> np.ndarray:
        """Sorted packed (docnum << 32 | position) of a term's occurrences in the
        candidate documents (a sorted docnum array)."""
        field = self.fields[fieldname]
        slot = field.slot(btext)
        if slot is None or not len(candidates):
            return vec.EMPTY_DOCS
        start, end = field.span(slot)
        docs = field.docs[start:end]
        wanted = np.flatnonzero(vec.contains(candidates, docs))
        if not len(wanted):
            return vec.EMPTY_DOCS
        first = field.position_starts[start + wanted]
        counts = field.position_starts[start + wanted + 1] - first
        index = vec.runs(first, counts)
        owners = np.repeat(docs[wanted].astype(np.int64), counts)
        keys = (owners << vec.POSITION_BITS) | field.positions[index].astype(np.int64)
        keys.sort()
        return keys
