"""Facet values as columns (indexer.search.results.FacetValues) behave as the tuple of values they stand for."""
import pytest

from indexer.search.results import FacetValue, FacetValues
from indexer.search.serialize import facet_json

VALUES = (FacetValue("basel", "Basel Convention", 12, True), FacetValue("paris", "Paris Agreement", 3, False))
COLUMNS = FacetValues(("basel", "paris"), ("Basel Convention", "Paris Agreement"), (12, 3), (True, False))


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(len, id="length"),
        pytest.param(list, id="iteration"),
        pytest.param(lambda v: v[1], id="index"),
        pytest.param(lambda v: v[-1], id="from-the-end"),
        pytest.param(lambda v: v[:1], id="slice"),
        pytest.param(lambda v: [x for x in v if x.selected], id="filtered"),
        pytest.param(lambda v: VALUES[0] in v, id="membership"),
        pytest.param(facet_json, id="json"),
    ],
)
def test_columns_read_as_the_tuple_of_values(read):
    assert read(COLUMNS) == read(VALUES)


def test_equal_to_the_tuple_and_to_equal_columns_never_to_others():
    assert COLUMNS == VALUES and COLUMNS == FacetValues(*zip(*VALUES))
    assert hash(COLUMNS) == hash(FacetValues(*zip(*VALUES)))
    assert COLUMNS != VALUES[:1] and COLUMNS != "basel"
    assert FacetValues((), (), (), ()) == ()
