"""The product's Whoosh writer (engine/whoosh/writer.py) writes the same index as Whoosh's own writer."""
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from build_helpers import RESOLUTION_78_PDF, records_of, write_index
from indexer.engine.whoosh.schema import build_schema, whoosh_document
from indexer.engine.whoosh.writer import open_writer


def build(folder: Path, records, make_writer) -> Path:
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = make_writer(ix)
    for record in records:
        writer.add_document(**whoosh_document(record))
    writer.commit(merge=False)
    return folder


def test_same_postings_and_length_statistics(tmp_path):
    records = records_of(RESOLUTION_78_PDF)
    ours = whoosh_index.open_dir(build(tmp_path / "ours", records, open_writer)).reader()
    theirs = whoosh_index.open_dir(build(tmp_path / "theirs", records, lambda ix: ix.writer())).reader()

    terms = list(theirs.all_terms())
    assert len(terms) > 500 and list(ours.all_terms()) == terms
    for field, term in terms:
        mine, other = ours.term_info(field, term), theirs.term_info(field, term)
        assert (mine.doc_frequency(), mine.min_length(), mine.max_length(), mine.max_weight()) == (
            other.doc_frequency(), other.min_length(), other.max_length(), other.max_weight()
        ), (field, term)
        assert list(ours.postings(field, term).items_as("weight")) == list(
            theirs.postings(field, term).items_as("weight")
        )
    for field in ("text", "exact", "heading", "lead"):
        assert [ours.doc_field_length(d, field) for d in range(ours.doc_count())] == [
            theirs.doc_field_length(d, field) for d in range(theirs.doc_count())
        ]


@pytest.mark.parametrize(
    "fill, segments",
    [
        pytest.param(None, 2, id="a-segment-per-process"),
        # Sorting memory full after every few units: several segments a process, none spilled.
        pytest.param(2e-4, 5, id="a-new-segment-when-memory-fills"),
    ],
)
def test_several_writing_processes_index_what_one_does(tmp_path, monkeypatch, fill, segments):
    from indexer.engine import base
    from indexer.engine.whoosh import ENGINE, parallel
    from indexer.text.analysis import stemmed_terms

    records = records_of(RESOLUTION_78_PDF)
    # Blocks of a few units, so both processes get several.
    monkeypatch.setattr(parallel, "BLOCK_UNITS", 7)
    if fill is not None:
        monkeypatch.setattr(parallel, "SEGMENT_FILL", fill)
    one, two = (ENGINE.open(write_index(ENGINE, tmp_path / f"procs-{procs}", records, procs=procs, memory_mb=32))
                for procs in (1, 2))
    assert len(records) > 20 and one.unit_count() == two.unit_count() == len(records)
    written = len(list(tmp_path.glob("procs-2/MAIN_*.trm")))
    assert written == segments if fill is None else written >= segments
    # The first block keeps the first docnums, as with one writer.
    assert two.sample_texts(7) == one.sample_texts(7)
    for words in ("parties", "sustainable development", "ocean"):
        query = base.AllOf(tuple(base.Term("text", w) for w in stemmed_terms(words)))
        request = base.SearchRequest(query=query, limit=50, facets=("instrument", "theme"))
        a, b = one.search(request), two.search(request)
        assert a.total == b.total > 0, words
        assert [(h.unit.uid, round(h.score, 9)) for h in a.hits] == [(h.unit.uid, round(h.score, 9)) for h in b.hits]
        assert a.facets == b.facets
    phrase = base.SearchRequest(query=base.Phrase("text", tuple(stemmed_terms("sustainable development"))), limit=50)
    found = [h.unit.uid for h in one.search(phrase).hits]
    assert found and found == [h.unit.uid for h in two.search(phrase).hits]
