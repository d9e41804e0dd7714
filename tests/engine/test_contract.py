"""What every engine must do (indexer.engine.base), checked against brute force over the records.

Parametrised over engines: a second engine is one more name in ENGINE_NAMES.
The records are real: two treaty texts of the shared corpus, extracted and
tagged as a build would, and written through the engine's ``Writer``.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import replace

import pytest

from build_helpers import MINAMATA_MD, MONTREAL_MD, records_of, write_index
from indexer import engine as engines
from indexer.engine.base import (
    AllOf, AnyOf, ConstantScore, Lift, Phrase, Prefer, SearchRequest, ShortScale, Term, Without,
)
from indexer.facets import FACETS, sort_key
from indexer.models import unit_uid

ENGINE_NAMES = ["whoosh"]
# The ranking contract of engine/base.py: BM25F parameters and field weights.
B, K1 = 0.75, 1.2
FIELD_WEIGHTS = {"text": 1.0, "heading": 0.5, "lead": 0.8}
# An engine may keep field lengths approximately (Whoosh: one byte per length).
SCORE_TOLERANCE = 0.1


@pytest.fixture(scope="module")
def records():
    return [r for path in (MINAMATA_MD, MONTREAL_MD) for r in records_of(path, str(path), "contract")]


@pytest.fixture(params=ENGINE_NAMES, scope="module")
def engine(request):
    return engines.get(request.param)


@pytest.fixture(scope="module")
def reader(engine, records, tmp_path_factory):
    opened = engine.open(write_index(engine, tmp_path_factory.mktemp(engine.name) / "gen", records))
    yield opened
    opened.close()


def doc_order(records):
    return sorted(records, key=lambda r: (r.document, r.order))


def holding(records, field, term):
    return [r for r in records if term in r.terms[field]]


def brute_bm25(records, term):
    """Brute-force BM25F of one stem over the ranked fields (exact lengths)."""
    scores = Counter()
    count = len(records)
    for field, weight in FIELD_WEIGHTS.items():
        with_term = holding(records, field, term)
        if not with_term:
            continue
        idf = math.log(count / (len(with_term) + 1)) + 1
        average = sum(len(r.terms[field]) for r in records) / count
        for r in with_term:
            tf = r.terms[field].count(term) * weight
            scores[r.uid] += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * len(r.terms[field]) / average))
    return scores


def ranked_query(stem):
    return AnyOf(tuple(Term(field, stem) for field in FIELD_WEIGHTS))


def phrase_docs(records, field, words, slop):
    """Uids whose field holds the words in order, each 1..slop positions after the previous."""
    found = set()
    for r in records:
        terms = r.terms[field]
        ends = {i for i, t in enumerate(terms) if t == words[0]}
        for word in words[1:]:
            ends = {i for i, t in enumerate(terms) if t == word and any(0 < i - e <= slop for e in ends)}
        if ends:
            found.add(r.uid)
    return found


def all_hits(reader, query, **options):
    return reader.search(SearchRequest(query=query, limit=100_000, **options))


def test_indexes_every_record_and_gives_back_its_stored_values(reader, records):
    assert reader.unit_count() == len(records) > 100
    for record in records[::17]:
        unit = reader.stored(record.uid)
        assert (unit.uid, unit.document, unit.paragraph, unit.kind, unit.order, unit.text, unit.data) == (
            record.uid, record.document, record.paragraph, record.kind, record.order, record.text, record.data)
        assert unit.primary_instrument == record.primary_instrument and unit.year == record.facets["year"][0]
        assert unit.decision == record.facets["decision"][0]
    assert reader.stored("no such#unit") is None
    assert [(s, n) for s, _, n in reader.documents()] == sorted(Counter(r.document for r in records).items())
    titles = {}
    for record in records:
        titles.setdefault(record.document, json.loads(record.data).get("title") or "")
    assert any(titles.values()) and {s: t for s, t, _ in reader.documents()} == titles


def test_delete_by_source_removes_only_that_files_units(engine, records, tmp_path):
    path = write_index(engine, tmp_path / "gen", records)
    gone = records[0].source
    with engine.writer(path) as writer:
        writer.delete_source(gone)
    opened = engine.open(path)
    try:
        kept = [r for r in records if r.source != gone]
        assert opened.unit_count() == len(kept) < len(records)
        assert opened.stored(records[0].uid) is None and opened.stored(kept[0].uid) is not None
        # Reference keys of deleted units are gone too.
        assert opened.reference_keys("") == sorted(Counter(k for r in kept for k in set(r.refkeys)).items())
        assert {u.uid for u in opened.referring(prefixes=[""])} == {r.uid for r in kept if r.refkeys}
    finally:
        opened.close()


def test_a_failed_batch_leaves_the_index_as_it_was(engine, records, tmp_path):
    path = write_index(engine, tmp_path / "gen", records[:10])
    with pytest.raises(RuntimeError):
        with engine.writer(path) as writer:
            writer.add(records[10])
            writer.delete_source(records[0].source)
            raise RuntimeError("the build failed")
    opened = engine.open(path)
    try:
        assert opened.unit_count() == 10 and opened.stored(records[10].uid) is None
    finally:
        opened.close()


@pytest.mark.parametrize("stem", [
    pytest.param("mercuri", id="common-word"),
    pytest.param("ozon", id="other-treaty"),
    pytest.param("amalgam", id="rare-word"),
])
def test_bm25_scores_and_order(reader, records, stem):
    expected = brute_bm25(records, stem)
    found = all_hits(reader, ranked_query(stem))
    assert found.total == len(expected) > 0
    scores = {h.unit.uid: h.score for h in found.hits}
    assert set(scores) == set(expected)
    for uid, score in scores.items():
        assert score == pytest.approx(expected[uid], rel=SCORE_TOLERANCE), uid
    ordered = [h.score for h in found.hits]
    assert ordered == sorted(ordered, reverse=True)


def test_a_coordinated_any_of_scales_the_sum_by_the_share_of_children_matched(reader, records):
    stems = ("mercuri", "parti", "amalgam")
    expected, shares = Counter(), set()
    per_stem = [brute_bm25(records, stem) for stem in stems]
    for uid in set().union(*per_stem):
        matched = [scores[uid] for scores in per_stem if uid in scores]
        expected[uid] = sum(matched) * len(matched) / len(stems)
        shares.add(len(matched))
    assert shares == {1, 2, 3}  # units holding one, two and all three of the words
    found = all_hits(reader, AnyOf(tuple(ranked_query(stem) for stem in stems), coordinate=True))
    scores = {h.unit.uid: h.score for h in found.hits}
    assert set(scores) == set(expected) and found.total == len(expected) > 0
    for uid, score in scores.items():
        assert score == pytest.approx(expected[uid], rel=SCORE_TOLERANCE), uid


def test_short_scale_scales_the_scores_of_short_texts_by_their_length(reader, records):
    terms = 20
    plain = brute_bm25(records, "mercuri")
    length = {r.uid: len(r.terms["text"]) for r in records}
    assert any(length[uid] < terms for uid in plain) and any(length[uid] >= terms for uid in plain)
    found = all_hits(reader, ShortScale(ranked_query("mercuri"), terms))
    scores = {h.unit.uid: h.score for h in found.hits}
    assert set(scores) == set(plain)
    for uid, score in scores.items():
        assert score == pytest.approx(plain[uid] * min(1.0, length[uid] / terms), rel=SCORE_TOLERANCE), uid


@pytest.mark.parametrize("required, optional", [
    pytest.param("mercuri", "amalgam", id="fewer-preferred-than-required"),
    pytest.param("amalgam", "mercuri", id="more-preferred-than-required"),
])
def test_prefer_adds_the_optional_score_to_the_required_units(reader, records, required, optional):
    base, extra = brute_bm25(records, required), brute_bm25(records, optional)
    assert set(base) & set(extra) and set(base) - set(extra)
    found = all_hits(reader, Prefer(ranked_query(required), ranked_query(optional)))
    scores = {h.unit.uid: h.score for h in found.hits}
    assert set(scores) == set(base)
    for uid, score in scores.items():
        assert score == pytest.approx(base[uid] + extra.get(uid, 0.0), rel=SCORE_TOLERANCE), uid


def test_lift_multiplies_the_scores_of_units_matching_its_marker(reader, records):
    plain = brute_bm25(records, "mercuri")
    marked = {r.uid for r in holding(records, "text", "parti")}
    assert set(plain) & marked and set(plain) - marked  # some lifted, some not
    found = all_hits(reader, Lift(ranked_query("mercuri"), Term("text", "parti"), 1.5))
    scores = {h.unit.uid: h.score for h in found.hits}
    assert set(scores) == set(plain)
    for uid, score in scores.items():
        factor = 1.5 if uid in marked else 1.0
        assert score == pytest.approx(plain[uid] * factor, rel=SCORE_TOLERANCE), uid


def test_units_carry_their_traits(reader, records):
    traited = next(r for r in records if r.traits)
    found = all_hits(reader, Term("traits", traited.traits[0]))
    assert {h.unit.uid for h in found.hits} == {r.uid for r in records if traited.traits[0] in r.traits}


def test_ties_are_broken_by_document_order(reader, records):
    # Every unit of a kind scores the same constant: the order is document order.
    found = all_hits(reader, ConstantScore(Term("document", records[0].document), score=2.0))
    expected = [r.uid for r in doc_order(records) if r.document == records[0].document]
    assert [h.unit.uid for h in found.hits] == expected


@pytest.mark.parametrize("words, slop", [
    pytest.param(("each", "parti", "shall"), 1, id="adjacent"),
    pytest.param(("parti", "report"), 4, id="near-within-four"),
    pytest.param(("shall", "each"), 1, id="order-matters"),
])
def test_phrases_with_slop(reader, records, words, slop):
    field = "text"
    found = all_hits(reader, Phrase(field, words, slop=slop))
    assert {h.unit.uid for h in found.hits} == phrase_docs(records, field, words, slop)


def test_exact_phrase_of_a_symbols_pieces(reader, records):
    words = ("article", "3")
    found = all_hits(reader, Phrase("exact", words))
    assert {h.unit.uid for h in found.hits} == phrase_docs(records, "exact", words, 1) != set()


def test_boolean_nodes(reader, records):
    mercury, waste = set(r.uid for r in holding(records, "text", "mercuri")), set(
        r.uid for r in holding(records, "text", "wast"))
    both = all_hits(reader, AllOf((Term("text", "mercuri"), Term("text", "wast"))))
    assert {h.unit.uid for h in both.hits} == mercury & waste
    without = all_hits(reader, Without(Term("text", "mercuri"), Term("text", "wast")))
    assert {h.unit.uid for h in without.hits} == mercury - waste
    prefer = all_hits(reader, Prefer(Term("text", "mercuri"), Term("text", "wast")))
    assert {h.unit.uid for h in prefer.hits} == mercury
    alone = {h.unit.uid: h.score for h in all_hits(reader, Term("text", "mercuri")).hits}
    # Preferred units score more than the required part alone.
    assert all(h.score > alone[h.unit.uid] for h in prefer.hits if h.unit.uid in waste)


@pytest.mark.parametrize("filters", [
    pytest.param({}, id="no-filter"),
    pytest.param({"instrument": ("minamata",)}, id="one-facet"),
    pytest.param({"instrument": ("minamata", "montreal"), "year": ("2013",)}, id="two-facets-any-of-values"),
])
def test_facet_counts_are_disjunctive(reader, records, filters):
    query = Term("exact", "parties")
    found = reader.search(SearchRequest(query=query, filters=filters, limit=0,
                                        facets=tuple(f.name for f in FACETS)))
    matching = holding(records, "exact", "parties")

    def passes(record, facet_names):
        return all(set(record.facets[name]) & set(values) for name, values in filters.items() if name in facet_names)

    assert found.total == sum(passes(r, set(filters)) for r in matching)
    for facet in FACETS:
        others = set(filters) - {facet.name}
        expected = Counter(v for r in matching if passes(r, others) for v in r.facets[facet.field] if v)
        counts = found.facets[facet.name]
        assert dict(zip(counts.values, counts.counts)) == dict(expected), facet.name


@pytest.mark.parametrize("query, filters", [
    pytest.param(None, {"instrument": ("minamata",)}, id="documents-with-an-instrument"),
    pytest.param(Phrase("heading", ("articl", "3")), {}, id="documents-with-a-heading-phrase"),
    pytest.param(Term("exact", "parties"), {}, id="every-facet"),
])
def test_facet_values_come_in_the_facets_sort_order(reader, records, query, filters):
    # The search service reads "the documents with most such units first" from these lists.
    found = reader.search(SearchRequest(query=query, filters=filters, limit=0, facets=tuple(f.name for f in FACETS)))
    for facet in FACETS:
        counts = found.facets[facet.name]
        pairs = list(zip(counts.values, counts.counts))
        assert pairs == sorted(pairs, key=lambda pair: sort_key(facet, *pair)), facet.name
    assert found.facets["document"].values


def test_document_order_and_paging(reader, records):
    ordered = [r.uid for r in doc_order(records)]
    first = reader.search(SearchRequest(query=None, sort="document", limit=7))
    second = reader.search(SearchRequest(query=None, sort="document", offset=7, limit=7))
    assert [h.unit.uid for h in first.hits + second.hits] == ordered[:14]
    symbol = records[-1].document
    assert [u.uid for u in reader.document_units(symbol)] == [r.uid for r in doc_order(records) if r.document == symbol]


def test_pinned_unit_comes_first_even_unmatched(reader, records):
    pinned = records[5].uid
    found = reader.search(SearchRequest(query=Term("text", "ozon"), pinned=pinned, limit=3))
    assert found.hits[0].unit.uid == pinned and found.hits[0].score is None


def test_pinned_units_come_first_in_their_order(reader, records):
    # A cited range: its units first, in the order given, whatever their scores.
    matching = {r.uid for r in holding(records, "text", "ozon")}
    outside = [r.uid for r in records if r.uid not in matching][:2]
    inside = [r.uid for r in doc_order(records) if r.uid in matching][-1]
    pinned = (outside[1], inside, outside[0], "no such#unit")
    found = reader.search(SearchRequest(query=Term("text", "ozon"), pinned=pinned, limit=5))
    assert [h.unit.uid for h in found.hits[:3]] == list(pinned[:3])
    assert found.total == len(matching) + 2
    # A pinned unit still has to pass the filters.
    other = next(r for r in records if r.document != records[0].document)
    filtered = reader.search(SearchRequest(query=Term("text", "ozon"), pinned=(records[0].uid,),
                                           filters={"document": (other.document,)}, limit=3))
    assert records[0].uid not in [h.unit.uid for h in filtered.hits]


def test_cited_by_and_prefix(reader, records):
    cited = [r for r in records if r.refkeys]
    assert cited, "the treaties cite their own articles"
    key = cited[0].refkeys[0]
    expected = [r.uid for r in doc_order(records) if key in r.refkeys]
    assert [u.uid for u in reader.cited_by([key], limit=1000)] == expected
    symbol = records[0].document
    assert set(reader.uids_with_prefix(f"{symbol}#art1")) == {
        r.uid for r in records if r.uid.startswith(f"{symbol}#art1")}


def test_units_referring_to_keys_and_prefixes(reader, records):
    keys = sorted({k for r in records for k in r.refkeys})
    assert keys, "the treaties cite their own articles"
    exact = keys[:3]
    assert [u.uid for u in reader.referring(keys=exact)] == [
        r.uid for r in doc_order(records) if set(r.refkeys) & set(exact)]
    # A prefix that is a whole key, one that is a key's stem, and one no key has.
    prefixes = [keys[0], keys[-1].rsplit(":", 1)[0] + ":", "no such prefix"]
    assert [u.uid for u in reader.referring(prefixes=prefixes)] == [
        r.uid for r in doc_order(records) if any(k.startswith(p) for k in r.refkeys for p in prefixes)]
    both = reader.referring(keys=exact, prefixes=prefixes)
    assert [u.uid for u in both] == [
        r.uid for r in doc_order(records)
        if set(r.refkeys) & set(exact) or any(k.startswith(p) for k in r.refkeys for p in prefixes)]
    assert reader.referring() == []


@pytest.mark.parametrize("prefix", [
    pytest.param("unit:", id="units-cited"),
    pytest.param("provision:", id="provisions-cited"),
    pytest.param("", id="every-key"),
    pytest.param("no such prefix", id="none"),
])
def test_reference_keys_with_their_unit_counts(reader, records, prefix):
    expected = Counter(k for r in records for k in set(r.refkeys) if k.startswith(prefix))
    assert reader.reference_keys(prefix) == sorted(expected.items())


def test_similar_keeps_out_the_excluded_value(reader, records):
    unit = next(r for r in records if len(r.terms["text"]) > 30 and r.primary_instrument)
    found = reader.similar(unit.uid, 5, exclude=("instrument", unit.primary_instrument))
    assert 0 < len(found) <= 5
    by_uid = {r.uid: r for r in records}
    assert all(unit.primary_instrument not in by_uid[h.unit.uid].facets["instrument"] for h in found)


def test_suggestions_and_document_frequency(reader, records):
    assert reader.document_frequency("exact", "mercury") == len(holding(records, "exact", "mercury")) > 0
    assert reader.document_frequency("exact", "mercurry") == 0
    assert reader.suggestion("exact", "mercurry")[:1] == ["mercury"]


@pytest.mark.parametrize("word", ["mercurry", "conventoin", "partie", "emisions", "zzzzq", "a"])
def test_suggestions_against_brute_force(reader, records, word):
    from whoosh.support.levenshtein import damerau_levenshtein  # the distance, computed the slow way

    documents = Counter(t for r in records for t in set(r.terms["exact"]))
    close = [(t, n) for t, n in documents.items()
             if t[:1] == word[:1] and damerau_levenshtein(word, t, 2) <= 2]
    expected = [t for t, _ in sorted(close, key=lambda item: (-item[1], item[0]))][:8]
    assert reader.suggestion("exact", word) == expected


def test_cooccurrence_against_brute_force(reader, records):
    query = Term("text", "parti")
    rows, columns, matrix = reader.cooccurrence(query, {}, "instrument", "theme")
    matching = holding(records, "text", "parti")
    assert rows == dict(Counter(v for r in matching for v in r.facets["instrument"]))
    assert columns == dict(Counter(v for r in matching for v in r.facets["theme"]))
    for row, cells in matrix.items():
        assert cells == dict(Counter(t for r in matching if row in r.facets["instrument"] for t in r.facets["theme"]))


def test_a_new_generation_leaves_an_open_reader_unchanged(engine, records, tmp_path):
    first = write_index(engine, tmp_path / "gen-1", records)
    before = engine.open(first)
    try:
        second = tmp_path / "gen-2"
        second.mkdir()
        engine.seed(first, second)
        with engine.writer(second) as writer:
            writer.delete_source(records[0].source)
        after = engine.open(second)
        try:
            assert before.unit_count() == len(records)
            assert after.unit_count() == sum(r.source != records[0].source for r in records)
            assert before.stored(records[0].uid) is not None and after.stored(records[0].uid) is None
        finally:
            after.close()
    finally:
        before.close()
    assert engine.open(first).unit_count() == len(records)


def test_a_rebuild_in_another_order_answers_the_same_pages(engine, records, tmp_path):
    # A second document holding the same units as the first: every hit of one has
    # an equal-scored twin in the other. Written once in each order, as a build
    # writes files in the order they finish reading.
    first_symbol = records[0].document
    twins = [replace(r, uid=unit_uid(first_symbol + " (copy)", r.paragraph), document=first_symbol + " (copy)",
                     facets={**r.facets, "document": (first_symbol + " (copy)",)}, source="copy")
             for r in records if r.document == first_symbol]
    readers = [engine.open(write_index(engine, tmp_path / name, batch))
               for name, batch in (("forward", records + twins), ("backward", twins + records))]
    try:
        for query in (Term("text", "mercuri"), Phrase("text", ("each", "parti", "shall")), None):
            for sort in ("relevance", "document"):
                pages = [[[h.unit.uid for h in r.search(SearchRequest(query=query, sort=sort, offset=o, limit=9)).hits]
                          for o in range(0, 90, 9)] for r in readers]
                assert pages[0] == pages[1], (query, sort)
                flat = [uid for page in pages[0] for uid in page]
                # Twins are next to each other, the original (first in document order) first.
                if query is not None and sort == "relevance":
                    assert any(a.endswith(b.split("#")[1]) and "(copy)" in b for a, b in zip(flat, flat[1:]))
    finally:
        for r in readers:
            r.close()


@pytest.mark.parametrize("filters", [
    pytest.param({}, id="no-filter"),
    pytest.param({"instrument": ("minamata",)}, id="filtered"),
])
def test_primary_counts_against_brute_force(engine, records, tmp_path, filters):
    # Every third unit of no instrument, so the count of those ('') is checked too.
    mixed = [replace(r, primary_instrument="") if i % 3 == 0 else r for i, r in enumerate(records)]
    opened = engine.open(write_index(engine, tmp_path / "gen", mixed))
    try:
        wanted = set(filters.get("instrument", ()))
        matching = [r for r in holding(mixed, "text", "parti") if not wanted or wanted & set(r.facets["instrument"])]
        expected = Counter(r.primary_instrument for r in matching)
        assert len(expected) > 1 and "" in expected
        assert opened.primary_counts(Term("text", "parti"), filters) == dict(expected)
        assert sum(opened.primary_counts(None, {}).values()) == len(mixed)
    finally:
        opened.close()
