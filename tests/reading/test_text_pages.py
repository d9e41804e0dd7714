"""Pages of a plain-text document: real ones from form feeds or printed numbers, none otherwise."""
import pytest

from indexer.reading.readers import read_text
from indexer.units.un_layout import split_units


@pytest.mark.parametrize(
    "text, pages, warned",
    [
        pytest.param("1. First paragraph.\n\n2. Second paragraph.\n", [None, None], True, id="no-breaks-no-pages"),
        # A form feed is a page break.
        pytest.param("1. First paragraph.\n\f\n2. Second paragraph.\n", [1, 2], False, id="form-feed"),
    ],
)
def test_units_have_pages_only_where_the_text_has_them(tmp_path, text, pages, warned):
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    raw = read_text(path)
    units = split_units(raw.lines, "S")
    assert [u.page for u in units] == pages
    assert any("no page" in w for w in raw.warnings) is warned
