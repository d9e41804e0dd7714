"""Content-stream tokens: operators with their operands, as tables."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.reading.pdf.content_stream import operations, unescape


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET",
         [(b"BT", []), (b"Tf", ["/F1", 12.0]), (b"Td", [72.0, 700.0]), (b"Tj", [b"Hello"]), (b"ET", [])]),
        # TJ arrays mix strings and kerning numbers
        (b"[(Agr)-20(eement)-250(on)] TJ", [(b"TJ", [[b"Agr", -20.0, b"eement", -250.0, b"on"]])]),
        # hexadecimal strings, odd digit count padded, whitespace inside ignored
        (b"<00 48 0065> Tj <414> Tj", [(b"Tj", [b"\x00H\x00e"]), (b"Tj", [b"A@"])]),
        # nested parentheses and escapes
        (b"(a (b) c) Tj (x\\)y) Tj", [(b"Tj", [b"a (b) c"]), (b"Tj", [b"x)y"])]),
        # numbers in every written form
        (b"1 -2 +3 .5 -.25 4. 0 0 cm", [(b"cm", [1.0, -2.0, 3.0, 0.5, -0.25, 4.0, 0.0, 0.0])]),
        # operators with digits and symbols
        (b"0 0 d0 T* (a) ' 1 2 (b) \"", [(b"d0", [0.0, 0.0]), (b"T*", []), (b"'", [b"a"]), (b'"', [1.0, 2.0, b"b"])]),
        # marked content with a property dictionary; true/false/null are operands
        (b"/Span <</MCID 3 /ActualText (x) /On true>> BDC EMC",
         [(b"BDC", ["/Span", ("/MCID", 3.0, "/ActualText", b"x", "/On", "true")]), (b"EMC", [])]),
        # comments run to the end of the line
        (b"% a comment (not a string)\nBT ET", [(b"BT", []), (b"ET", [])]),
        # an inline image is skipped whole, binary data and all
        (b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00(\xff)] EI Q", [(b"q", []), (b"BI", []), (b"Q", [])]),
        # stray delimiters and an unclosed array do not raise
        (b") } BT ET", [(b"BT", []), (b"ET", [])]),
        (b"[(a) 1", []),
        (b"", []),
    ],
)
def test_operations(data, expected):
    assert list(operations(data)) == expected


@pytest.mark.parametrize(
    "body, expected",
    [
        (b"plain", b"plain"),
        (b"a\\nb\\tc", b"a\nb\tc"),
        (b"\\(\\)\\\\", b"()\\"),
        (b"\\101\\60\\0063", b"A0\x063"),  # octal: up to three digits
        (b"line\\\ncontinued", b"linecontinued"),
        (b"\\q", b"q"),  # an unknown escape stands for the character itself
    ],
)
def test_unescape(body, expected):
    assert unescape(body) == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_operators_not_exceptions(data):
    for operator, operands in operations(data):
        assert isinstance(operator, bytes) and isinstance(operands, list)
