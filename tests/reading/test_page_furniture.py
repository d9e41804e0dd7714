"""Page furniture recognised by its form (job numbers, barcodes, page numbers, the symbol), as a table."""
import pytest

from indexer.reading.pdf.layout import is_furniture

SYMBOL = "A/77/L.82"


@pytest.mark.parametrize(
    "text, top, expected",
    [
        pytest.param("23-15249 (E) 080823", False, True, id="job-number"),
        pytest.param("23-15249* (E)  080823  090823", False, True, id="draft-job-number-reissued"),
        pytest.param("23-15249 (F)", False, True, id="french-edition"),
        pytest.param("2/4 23-15249", False, True, id="page-count-first"),
        pytest.param("GE.15-02345 (E)", False, True, id="geneva-job-number"),
        pytest.param("V.15-01234 (E) 020315", False, True, id="vienna-job-number"),
        pytest.param("K1503487 150515", False, True, id="nairobi-job-number"),
        pytest.param("*2315249*", False, True, id="barcode"),
        pytest.param("Page 3 of 20", True, True, id="page-of-pages"),
        pytest.param("A/77/L.82", True, True, id="symbol"),
        pytest.param("United Nations A/77/L.82", True, True, id="masthead"),
        pytest.param("A/77/L.82 3", False, True, id="symbol-and-page"),
        pytest.param("23 Parties reported 15249 tonnes", False, False, id="numbers-in-a-sentence"),
        pytest.param("2023-15249", False, False, id="not-a-job-number"),
        pytest.param("K12 and 150515", False, False, id="words-around-numbers"),
        pytest.param("1. Decides to continue its work", True, False, id="paragraph"),
    ],
)
def test_furniture_by_form(text, top, expected):
    assert is_furniture(text, SYMBOL, top) is expected
