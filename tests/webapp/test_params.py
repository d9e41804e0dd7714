"""Request parameters are checked at the edge: tables of inputs and what they become."""
import pytest
from werkzeug.datastructures import MultiDict

from indexer.search.service import FACETS as SERVICE_FACETS
from indexer.search.service import SORTS as SERVICE_SORTS
from indexer.search.service import QueryError
from webapp.params import (
    COMPARE_COLUMNS_MAX, COMPARE_HITS_DEFAULT, COMPARE_HITS_MAX, FACETS, SORTS, CompareChoice, SearchParams,
    compare_choice, search_params,
)


def parse(pairs, per_page=10, max_length=1000):
    return search_params(MultiDict(pairs), per_page, max_length)


def test_maps_name_only_what_the_service_knows():
    assert {facet for facet, _ in FACETS.values()} <= set(SERVICE_FACETS)
    assert {sort for sort, _ in SORTS.values()} <= set(SERVICE_SORTS)


@pytest.mark.parametrize("pairs, expected", [
    pytest.param([], SearchParams(), id="nothing-given"),
    pytest.param([("q", "  regional   centres ")], SearchParams(q="regional centres"), id="spaces-collapsed"),
    pytest.param([("q", "mercury\x00\x1b[31m waste")], SearchParams(q="mercury [31m waste"), id="control-characters-become-spaces"),
    pytest.param([("page", "3"), ("per_page", "25")], SearchParams(page=3, per_page=25), id="paging"),
    pytest.param([("page", ""), ("per_page", " ")], SearchParams(), id="empty-numbers-are-defaults"),
    pytest.param([("sort", "document")], SearchParams(sort="document"), id="document-order"),
    pytest.param([("group", "1")], SearchParams(group=True), id="group-checkbox"),
    pytest.param([("group", "0")], SearchParams(), id="group-off"),
    pytest.param([("instrument", "basel"), ("instrument", "basel"), ("instrument", " "), ("theme", "waste")],
                 SearchParams(filters={"instrument": ("basel",), "theme": ("waste",)}),
                 id="facet-values-deduplicated-blank-dropped"),
])
def test_accepted(pairs, expected):
    assert parse(pairs) == expected


@pytest.mark.parametrize("pairs, parameter", [
    pytest.param([("page", "-1")], "page", id="negative-page"),
    pytest.param([("page", "0")], "page", id="page-zero"),
    pytest.param([("page", "10001")], "page", id="page-too-far"),
    pytest.param([("page", "two")], "page", id="page-not-a-number"),
    pytest.param([("page", "1.5")], "page", id="page-not-whole"),
    pytest.param([("per_page", "10000")], "per_page", id="per-page-too-big"),
    pytest.param([("per_page", "0")], "per_page", id="per-page-zero"),
    pytest.param([("sort", "date")], "sort", id="unknown-sort"),
    pytest.param([("colour", "red")], "colour", id="unknown-facet"),
    pytest.param([("q", "a"), ("q", "b")], "q", id="q-twice"),
    pytest.param([("q", "x" * 1001)], "q", id="q-too-long"),
    pytest.param([("group", "maybe")], "group", id="group-not-boolean"),
    pytest.param([("theme", "t" * 201)], "theme", id="facet-value-too-long"),
    pytest.param([("year", str(y)) for y in range(1990, 2012)], "year", id="too-many-facet-values"),
])
def test_refused_with_the_parameter_named(pairs, parameter):
    assert_refused_naming(parse, pairs, parameter)


def assert_refused_naming(read, pairs, parameter):
    """``read(pairs)`` refuses them with a message naming ``parameter``."""
    with pytest.raises(QueryError) as caught:
        read(pairs)
    assert caught.value.parameter == parameter
    assert parameter in caught.value.message


def test_per_page_default_comes_from_the_setting():
    assert parse([], per_page=25).per_page == 25
    # The default is left out of URLs, so they stay short.
    assert parse([("per_page", "25")], per_page=25).args() == []


@pytest.mark.parametrize("pairs", [
    pytest.param([("q", "regional centres")], id="query"),
    pytest.param([("q", '"x" OR y'), ("instrument", "basel"), ("instrument", "stockholm"),
                  ("theme", "waste"), ("sort", "document"), ("per_page", "20"), ("group", "1"),
                  ("page", "2")], id="everything"),
    pytest.param([("document", "UNEP(DTIE)/Hg/INC.1/10"), ("year", "2010")], id="filters-only"),
])
def test_args_round_trip(pairs):
    params = parse(pairs)
    assert parse(params.args()) == params


def test_toggled_adds_and_removes_a_value():
    params = SearchParams(filters={"instrument": ("basel",)})
    assert params.toggled("instrument", "stockholm") == {"instrument": ("basel", "stockholm")}
    assert params.toggled("instrument", "basel") == {"instrument": ()}
    assert SearchParams(filters=params.toggled("instrument", "basel")).args() == []


# -- compare: paragraphs per column and the instruments that are columns -----------------

KNOWN_INSTRUMENTS = {"basel", "paris", "unfccc", "none"}


def choose(pairs):
    return compare_choice(MultiDict(pairs), KNOWN_INSTRUMENTS)


@pytest.mark.parametrize("pairs, expected", [
    pytest.param([], CompareChoice(per_instrument=COMPARE_HITS_DEFAULT, columns=None), id="defaults"),
    pytest.param([("per_instrument", "7")], CompareChoice(per_instrument=7), id="per-instrument"),
    pytest.param([("per_instrument", str(COMPARE_HITS_MAX))], CompareChoice(per_instrument=COMPARE_HITS_MAX), id="the-most"),
    pytest.param([("per_instrument", " ")], CompareChoice(), id="empty-is-the-default"),
    pytest.param([("column", "paris"), ("column", "unfccc"), ("column", "paris"), ("column", " ")],
                 CompareChoice(columns=("paris", "unfccc")), id="columns-deduplicated-blank-dropped"),
    pytest.param([("column", "none")], CompareChoice(columns=("none",)), id="the-no-instrument-column"),
])
def test_compare_choice_accepted(pairs, expected):
    assert choose(pairs) == expected


@pytest.mark.parametrize("pairs, parameter", [
    pytest.param([("per_instrument", "0")], "per_instrument", id="zero"),
    pytest.param([("per_instrument", str(COMPARE_HITS_MAX + 1))], "per_instrument", id="too-many"),
    pytest.param([("per_instrument", "five")], "per_instrument", id="not-a-number"),
    pytest.param([("per_instrument", "2.5")], "per_instrument", id="not-whole"),
    pytest.param([("per_instrument", "2"), ("per_instrument", "3")], "per_instrument", id="twice"),
    pytest.param([("column", "ramsar")], "column", id="instrument-not-known"),
    pytest.param([("column", "Basel")], "column", id="ids-not-labels"),
    pytest.param([("column", f"c{n}") for n in range(COMPARE_COLUMNS_MAX + 1)], "column", id="unknown-before-too-many"),
])
def test_compare_choice_refused_with_the_parameter_named(pairs, parameter):
    assert_refused_naming(choose, pairs, parameter)


def test_compare_choice_bounds_the_number_of_columns():
    many = {f"c{n}" for n in range(COMPARE_COLUMNS_MAX + 1)}
    with pytest.raises(QueryError) as caught:
        compare_choice(MultiDict([("column", name) for name in sorted(many)]), many)
    assert caught.value.parameter == "column"


def test_compare_choice_args_leave_defaults_out():
    assert CompareChoice().args() == []
    assert choose([("column", "paris"), ("per_instrument", "3")]).args() == [("column", "paris"), ("per_instrument", "3")]
