"""The memory-mapped columns of a Whoosh commit (indexer.engine.whoosh.columns)."""
import filecmp

import numpy as np
import pytest

from build_helpers import RESOLUTION_78_PDF, records_of, write_index
from indexer.engine import base
from indexer.engine.whoosh import ENGINE, columns


@pytest.mark.parametrize(
    "dtype, pieces",
    [
        pytest.param(np.int32, [], id="empty"),
        pytest.param(np.int64, [[7]], id="one-value"),
        pytest.param(np.float64, [[0.5, 1.5], [], [2.25] * 1000], id="several-pieces"),
        pytest.param(np.int32, [list(range(100_000))], id="long"),
    ],
)
def test_an_array_file_written_piece_by_piece_loads_as_the_whole(tmp_path, dtype, pieces):
    path = tmp_path / "a.npy"
    with columns._ArrayFile(path, dtype) as written:
        for piece in pieces:
            written.append(np.array(piece, dtype=dtype))
    whole = np.array([v for piece in pieces for v in piece], dtype=dtype)
    loaded = np.load(path, mmap_mode="r")
    assert loaded.dtype == whole.dtype and np.array_equal(loaded, whole)


def test_columns_written_in_batches_of_terms_are_the_columns_written_at_once(tmp_path, monkeypatch):
    records = records_of(RESOLUTION_78_PDF)
    folder = write_index(ENGINE, tmp_path / "index", records, flush_every=len(records) // 3)  # three segments
    written = next(folder.glob(columns.COLUMNS_PREFIX + "*"))
    at_once = tmp_path / "at-once"
    written.rename(at_once)
    monkeypatch.setattr(columns, "BATCH_POSTINGS", 40)  # dozens of batches a field
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(folder))
    try:
        batched = columns.write_columns(ix)
    finally:
        ix.close()
    assert len(columns._term_ranges([(leaf, 0) for leaf, _ in ix.reader().leaf_readers()], "text", 40)) > 10
    names = sorted(p.name for p in at_once.iterdir())
    assert len(names) > 50 and names == sorted(p.name for p in batched.iterdir())
    # Where each term's postings lie differs; the dictionary, lengths and facets do not.
    laid_out = (".docs.npy", ".scores.npy", ".position_starts.npy", ".positions.npy", ".term_starts.npy",
                ".term_ends.npy")
    same = [n for n in names if not n.endswith(laid_out)]
    _, different, errors = filecmp.cmpfiles(at_once, batched, same, shallow=False)
    assert different == [] and errors == []
    one = _columns_at(at_once)
    two = _columns_at(batched)
    every_doc = np.arange(one.size)
    for fieldname, field in one.fields.items():
        for slot in range(field.count):
            term = field.text(slot)
            a, b = one.scored(fieldname, term), two.scored(fieldname, term)
            assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]), (fieldname, term)
            if hasattr(field, "positions"):
                assert np.array_equal(one.positions(fieldname, term, every_doc),
                                      two.positions(fieldname, term, every_doc)), (fieldname, term)


def _columns_at(folder):
    """The columns in ``folder``, whatever its name."""
    link = folder.parent / "links" / folder.name
    link.mkdir(parents=True)
    (link / f"{columns.COLUMNS_PREFIX}0").symlink_to(folder)
    return columns.Columns(link, 0)


def test_a_query_on_a_field_without_columns_is_answered_by_whoosh(tmp_path):
    records = records_of(RESOLUTION_78_PDF)
    reader = ENGINE.open(write_index(ENGINE, tmp_path / "index", records))
    try:
        assert not reader.terms.columns.has("kind")
        kinds = {r.kind for r in records}
        for kind in kinds:
            found = reader.search(base.SearchRequest(query=base.Term("kind", kind), limit=1000))
            assert found.total == sum(r.kind == kind for r in records) > 0
            assert {h.unit.kind for h in found.hits} == {kind}
    finally:
        reader.close()
