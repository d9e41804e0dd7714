"""The product's Whoosh writer (engine/whoosh/writer.py) writes the same index as Whoosh's own writer."""
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.engine.whoosh.schema import build_schema, whoosh_document
from indexer.engine.whoosh.writer import open_writer
from indexer.index.records import SourceInfo, document_records

from indexer.tagging import tagger as tagging
from indexer.units.extract import extract_document
from indexer.tagging.vocabulary import load_vocabulary

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def build(folder: Path, records, make_writer) -> Path:
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = make_writer(ix)
    for record in records:
        writer.add_document(**whoosh_document(record))
    writer.commit(merge=False)
    return folder


def test_same_postings_and_length_statistics(tmp_path):
    document = extract_document(SHARED / "un" / "A_RES_78_272.pdf")
    tags = tagging.tag_document(document, load_vocabulary())
    records = list(document_records(document, tags, SourceInfo(path="x.pdf", sha256="x")))
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
