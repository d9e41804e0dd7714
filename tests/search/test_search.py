"""Search behaviour on a real index of the whole shared corpus.

Ranking, spelling variants, acronyms, exact symbols, citations, facets (checked
against a brute-force count over every unit), suggestions and browsing.
"""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import SEED_SYMBOL, SHARED
from indexer.search.service import QueryError

SEED = SEED_SYMBOL


def uids(result, top=None):
    hits = result.hits if top is None else result.hits[:top]
    return [h.uid for h in hits]


def all_hits(service, query, filters=None, sort="relevance"):
    """Every hit of a query, page by page."""
    hits, page = [], 1
    while True:
        result = service.search(query, filters, page=page, per_page=100, sort=sort)
        hits.extend(result.hits)
        if page >= result.pages:
            return hits
        page += 1


def all_units(service):
    """Every unit of the index, document by document (the brute-force side)."""
    units = []
    for symbol, _title, _count in service.documents():
        units.extend(service.document(symbol).units)
    return units


def test_regional_centres_across_instruments(service):
    result = service.search("regional centres", per_page=10)
    top = uids(result)
    assert f"{SEED}#8" in top and f"{SEED}#23" in top
    assert "Basel Convention#art14.1" in top
    instruments = {f.value for f in result.facets["instrument"] if f.count}
    assert {"basel", "stockholm"} <= instruments
    assert all("<mark>" in h.excerpt_html for h in result.hits)


def load_eval_queries():
    rows = []
    with open(SHARED / "eval" / "queries.tsv", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            query, expected, *_ = line.rstrip("\n").split("\t") + [""]
            rows.append(pytest.param(query, expected.split(), id=query))
    return rows


@pytest.mark.parametrize("query, expected", load_eval_queries())
def test_eval_queries(service, query, expected):
    top = uids(service.search(query, per_page=10))
    missing = [p for p in expected if f"{SEED}#{p}" not in top]
    assert not missing, f"{query!r}: missing {missing} from top 10 {top}"


@pytest.mark.parametrize(
    "british, american",
    [
        ("regional centres", "regional centers"),
        ("programme of work", "program of work"),
        ("low-sulphur fuels", "low-sulfur fuels"),
        ("non-governmental organisations", "non-governmental organizations"),
        ("minimisation of hazardous wastes", "minimization of hazardous wastes"),
        ("harmonise", "harmonize"),
    ],
)
def test_spelling_variants_find_the_same_paragraphs(service, british, american):
    first = {h.uid for h in all_hits(service, british)}
    second = {h.uid for h in all_hits(service, american)}
    assert first and first == second


@pytest.mark.parametrize(
    "acronym, long_form",
    [
        ("ODS", "ozone-depleting substances"),
        ("POPs", "persistent organic pollutants"),
        ("CDM", "Clean Development Mechanism"),
        ("GEF", "Global Environment Facility"),
        ("BAT", "best available techniques"),
    ],
)
def test_acronyms_expand_both_ways(service, acronym, long_form):
    by_acronym = {h.uid for h in all_hits(service, acronym)}
    by_long_form = {h.uid for h in all_hits(service, long_form)}
    phrase_only = {h.uid for h in all_hits(service, f'"{long_form}"')}
    assert phrase_only, long_form
    # Every unit that spells the long form out is found by the acronym, and
    # every unit found by the acronym is found by the long form.
    assert phrase_only <= by_acronym
    assert by_acronym <= by_long_form


def test_symbol_is_exact(service):
    hits = all_hits(service, '"INC.1/9"')
    texts = [h.text for h in hits]
    assert texts and all("INC.1/9" in t for t in texts)
    cited_only_10 = [
        h for h in all_units(service) if "INC.1/10" in h.text and "INC.1/9" not in h.text
    ]
    assert not {h.uid for h in cited_only_10} & {h.uid for h in hits}
    # Unquoted works the same.
    assert {h.uid for h in all_hits(service, "INC.1/9")} == {h.uid for h in hits}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("II/8", f"{SEED}#15"),
        ("SC-1/15", f"{SEED}#23"),
    ],
)
def test_decisions_are_findable(service, query, expected):
    assert expected in uids(service.search(query))


def test_subparagraph_is_findable_by_its_number(service):
    result = service.search(f"{SEED} para 14(a)")
    assert result.hits[0].uid == f"{SEED}#14(a)"


@pytest.mark.parametrize(
    "query, expected",
    [
        (f"{SEED} para 8", f"{SEED}#8"),
        ("INC.1/10 para. 14(a)", f"{SEED}#14(a)"),
        ("INC.1/10, para. 14 (d)", f"{SEED}#14(d)"),
        ("Basel art. 14", "Basel Convention#art14.1"),
        ("Basel Convention article 14, paragraph 2", "Basel Convention#art14.2"),
    ],
)
def test_citation_query_puts_that_unit_first(service, query, expected):
    result = service.search(query)
    assert result.hits and result.hits[0].uid == expected
    assert result.cited == expected


def test_operators(service):
    both = {h.uid for h in all_hits(service, "regional centres")}
    without_basel = {h.uid for h in all_hits(service, "regional centres -Basel")}
    assert without_basel < both
    assert all("basel" not in h.text.lower() for h in all_hits(service, "regional centres -Basel"))
    either = {h.uid for h in all_hits(service, "UNIDO OR UNDP")}
    assert {h.uid for h in all_hits(service, "UNIDO")} | {h.uid for h in all_hits(service, "UNDP")} == either


@pytest.mark.parametrize(
    "query", ['"regional centres', "(basel", "NOT basel", "OR", "-x", '""']
)
def test_unparseable_query_gets_a_message_not_an_exception(service, query):
    result = service.search(query)
    assert result.total == 0 and result.message


def test_did_you_mean_only_when_it_has_results(service):
    result = service.search("regionl centres")
    assert result.suggestion == "regional centres"
    assert service.search(result.suggestion).total > 0
    nonsense = service.search("qqqqzzzz xxxyyy")
    assert nonsense.suggestion is None


def test_facet_counts_match_brute_force(service):
    units = all_units(service)
    by_uid = {u.uid: u for u in units}
    query = "technology transfer"
    matching = [by_uid[h.uid] for h in all_hits(service, query)]
    filters = {"instrument": ["basel", "stockholm"], "year": []}

    def values(unit, facet):
        return {
            "instrument": unit.instruments,
            "theme": unit.themes,
            "document": (unit.symbol,),
            "year": (unit.year,) if unit.year else (),
            "decision": (unit.decision,) if unit.decision else (),
        }[facet]

    def passes(unit, active, skip):
        return all(
            set(values(unit, facet)) & set(selected)
            for facet, selected in active.items() if selected and facet != skip
        )

    result = service.search(query, filters, per_page=100)
    active = {k: v for k, v in filters.items() if v}
    # The union of the two instruments, not their intersection.
    expected_hits = {u.uid for u in matching if passes(u, active, None)}
    assert result.total == len(expected_hits)
    assert {h.uid for h in all_hits(service, query, filters)} == expected_hits
    assert any("basel" in by_uid[u].instruments and "stockholm" not in by_uid[u].instruments for u in expected_hits)
    assert any("stockholm" in by_uid[u].instruments and "basel" not in by_uid[u].instruments for u in expected_hits)
    for facet, facet_values in result.facets.items():
        expected = Counter()
        for unit in matching:
            if passes(unit, active, facet):
                expected.update(values(unit, facet))
        got = {f.value: f.count for f in facet_values if f.count}
        assert got == dict(expected), facet
        assert {f.value for f in facet_values if f.selected} == set(active.get(facet, ()))


def test_ticking_an_instrument_keeps_the_other_instrument_counts(service):
    plain = service.search("regional centres")
    ticked = service.search("regional centres", {"instrument": ["basel"]})
    before = {f.value: f.count for f in plain.facets["instrument"]}
    after = {f.value: f.count for f in ticked.facets["instrument"]}
    assert after["stockholm"] == before["stockholm"]
    assert ticked.total < plain.total


def test_empty_query_with_filter_browses_in_document_order(service):
    result = service.search("", {"instrument": ["basel"]}, per_page=100, sort="relevance")
    assert result.total > 0
    keys = [(h.symbol, h.order) for h in result.hits]
    assert keys == sorted(keys)
    assert all("basel" in h.instruments for h in result.hits)
    assert result.facets["theme"]


def test_document_order_sort(service):
    result = service.search("mercury", sort="document", per_page=50)
    keys = [(h.symbol, h.order) for h in result.hits]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    "kwargs, parameter",
    [
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"per_page": 10_000}, "per_page"),
        ({"sort": "random"}, "sort"),
        ({"filters": {"colour": ["red"]}}, "colour"),
    ],
)
def test_bad_parameters_name_the_parameter(service, kwargs, parameter):
    with pytest.raises(QueryError) as error:
        service.search("mercury", **kwargs)
    assert error.value.parameter == parameter


def test_excerpts_escape_document_text(service):
    for hit in service.search("article", per_page=50).hits:
        stripped = hit.excerpt_html.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped


def test_hit_carries_tags_and_citation(service):
    hit = service.search(f"{SEED} para 24").hits[0]
    assert hit.citation == f"{SEED}, para. 24"
    assert hit.primary_instrument == "stockholm"
    assert "basel" in hit.instruments
    assert hit.section == ("F. Stockholm Convention",)
    assert hit.page == 4
