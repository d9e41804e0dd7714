"""Compare: one column per primary instrument, each matching unit in one column only.

On the whole shared corpus, where the Paris Agreement (a child of the UNFCCC in
the vocabulary) and the UNFCCC both have units: a Paris unit is tagged with
the UNFCCC too, but its column is the Paris Agreement's alone.
"""
from __future__ import annotations

import pytest

from indexer.search.results import NO_INSTRUMENT
from indexer.search.service import QueryError


def column_uids(view) -> dict[str, list[str]]:
    return {column.instrument: [hit.uid for hit in column.hits] for column in view.columns}


def every_column(service, query, **options):
    """The compare view of a query with every instrument that has units as a column."""
    instruments = [v.value for v in service.compare(query).instruments]
    return service.compare(query, chosen=tuple(instruments), **options)


@pytest.mark.parametrize("query", ["parties", "technology transfer", "mercury"])
def test_a_unit_is_in_one_column_only_its_primary_instruments(service, query):
    view = every_column(service, query, per_instrument=20)
    seen = [uid for uids in column_uids(view).values() for uid in uids]
    assert seen and len(seen) == len(set(seen))
    for column in view.columns:
        for hit in column.hits:
            assert (hit.primary_instrument or NO_INSTRUMENT) == column.instrument
    # Counted once each: the columns' totals add up to the matching units.
    assert sum(column.total for column in view.columns) == view.total == service.search(query).total


def test_a_protocol_and_its_convention_have_a_column_each(service, vocabulary):
    assert vocabulary.instrument("paris").parent == "unfccc"
    view = every_column(service, "parties")
    columns = column_uids(view)
    assert columns["paris"] and columns["unfccc"]
    paris_unit = service.search("parties", {"instrument": ["paris"]}).hits[0]
    # Tagged with its parent too, shown under its own instrument only.
    assert "unfccc" in paris_unit.instruments
    assert not set(columns["paris"]) & set(columns["unfccc"])


def test_per_instrument_and_chosen_columns_are_honoured(service):
    view = service.compare("mercury", per_instrument=2, chosen=("basel", "minamata", "ramsar"))
    assert [c.instrument for c in view.columns] == ["minamata", "basel", "ramsar"]
    assert [len(c.hits) for c in view.columns] == [2, 2, 0]
    assert view.columns[-1].total == 0
    listed = {v.value: v.selected for v in view.instruments}
    assert listed["ramsar"] and listed["minamata"] and not listed.get("stockholm", False)


def test_default_columns_are_the_instruments_with_most_units(service):
    view = service.compare("parties", instruments=3)
    counts = [v.count for v in view.instruments]
    assert counts == sorted(counts, reverse=True)
    assert [c.instrument for c in view.columns] == [v.value for v in view.instruments[:3]]
    assert all(len(c.hits) == min(5, c.total) for c in view.columns)


def test_per_instrument_below_one_is_refused(service):
    with pytest.raises(QueryError) as caught:
        service.compare("mercury", per_instrument=0)
    assert caught.value.parameter == "per_instrument"
