"""The PDF reader on hand-written content streams: how pieces of text become lines.

Each case is a one-page PDF written byte by byte (Helvetica, 12 pt), so the
operators are exactly those of the table: kerning inside TJ, a word set glyph
by glyph, a space glyph kerned back over, text inside form XObjects, columns.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.reading.pdf.layout import PdfUnreadable, read_pdf
from pdf_objects import pdf_of_objects


def tiny_pdf(content: bytes, forms: dict[str, tuple[bytes, str]] | None = None) -> bytes:
    """A valid one-page PDF showing ``content``; ``forms`` maps a name to (stream, /Matrix)."""
    forms = forms or {}
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        None,  # the page, once the form numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    xobjects = []
    for name, (stream, matrix) in forms.items():
        number = len(objects) + 1
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Matrix [%s] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Length %d >>\nstream\n%s\nendstream"
            % (matrix.encode(), len(stream), stream)
        )
        xobjects.append(b"/%s %d 0 R" % (name.encode(), number))
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects[2] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
        b"/Resources << /Font << /F1 4 0 R >> /XObject << %s >> >> >>" % (len(objects), b" ".join(xobjects))
    )
    return pdf_of_objects(objects)


def lines_of(tmp_path, content: bytes, forms=None) -> list[str]:
    path = tmp_path / "case.pdf"
    path.write_bytes(tiny_pdf(content, forms))
    return [line.text for line in read_pdf(path).lines if line.text]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"BT /F1 12 Tf 72 400 Td (The Parties agree) Tj ET", ["The Parties agree"]),
        # a word in two pieces with no gap stays one word
        (b"BT /F1 12 Tf 72 400 Td [(Agr) 0 (eement)] TJ ET", ["Agreement"]),
        # kerning of a few thousandths is not a word space; 300 thousandths is
        (b"BT /F1 12 Tf 72 400 Td [(Con)15(ven)-20(tion)-300(text)] TJ ET", ["Convention text"]),
        # one glyph per string, as some UN PDFs set whole lines
        (b"BT /F1 12 Tf 72 400 Td [(B)(a)(s)(e)(l)-400(C)(o)(n)(v)(.)] TJ ET", ["Basel Conv."]),
        # a space glyph kerned back over leaves no room: no word break
        (b"BT /F1 12 Tf 72 400 Td [(received )250(;)] TJ ET", ["received;"]),
        # separate text objects on one baseline, moved by Td
        (b"BT /F1 12 Tf 72 400 Td (regional) Tj ET BT /F1 12 Tf 123 400 Td (centres) Tj ET", ["regional centres"]),
        # text without height shows nothing and is not read
        (b"BT /F1 0 Tf 72 400 Td (hidden) Tj /F1 12 Tf (shown) Tj ET", ["shown"]),
        # letter spacing (Tc) inside a string does not split its word
        (b"BT /F1 12 Tf 3 Tc 72 400 Td (SUMMARY) Tj ET", ["SUMMARY"]),
        # word spacing (Tw) widens the space glyph
        (b"BT /F1 12 Tf 5 Tw 72 400 Td (a b) Tj ET", ["a b"]),
        # T* and ' move down by the leading: separate lines, top first
        (b"BT /F1 12 Tf 14 TL 72 400 Td (first) Tj T* (second) Tj (third) ' ET", ["first", "second", "third"]),
        # blocks far apart on one baseline are separate lines (masthead, table columns)
        (b"BT /F1 12 Tf 72 400 Td (United Nations) Tj 300 0 Td (A/RES/77/321) Tj ET",
         ["United Nations", "A/RES/77/321"]),
        # a string with nested parentheses and an escaped one
        (b"BT /F1 12 Tf 72 400 Td (para. 14 \\(a\\) and (b)) Tj ET", ["para. 14 (a) and (b)"]),
    ],
    ids=["plain", "pieces", "kerning", "glyph-by-glyph", "space-kerned-back", "two-text-objects",
         "no-height", "letter-spacing", "word-spacing", "leading", "columns", "parentheses"],
)
def test_text_pieces_become_lines(tmp_path, content, expected):
    assert lines_of(tmp_path, content) == expected


def test_text_inside_forms_is_read_where_the_form_puts_it(tmp_path):
    form = b"BT /F1 12 Tf 72 0 Td (Inside the form) Tj ET"
    content = (
        b"BT /F1 12 Tf 72 680 Td (Above) Tj ET "
        b"q 1 0 0 1 0 650 cm /Fm1 Do Q "           # the CTM moves the form up to y = 650 ...
        b"/Fm2 Do "                                 # ... and this one's /Matrix to y = 600
        b"BT /F1 12 Tf 72 550 Td (Below) Tj ET"
    )
    forms = {"Fm1": (form, "1 0 0 1 0 0"), "Fm2": (b"BT /F1 12 Tf 72 0 Td (Second form) Tj ET", "1 0 0 1 0 600")}
    assert lines_of(tmp_path, content, forms) == ["Above", "Inside the form", "Second form", "Below"]


def test_a_form_that_paints_itself_is_read_once(tmp_path):
    forms = {"Fm1": (b"BT /F1 12 Tf 72 400 Td (Once) Tj ET /Fm1 Do", "1 0 0 1 0 0")}
    assert lines_of(tmp_path, b"/Fm1 Do", forms) == ["Once"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    b"BT", b"ET", b"/F1 12 Tf", b"/F9 0 Tf", b"1 0 0 1 72 400 Tm", b"(text) Tj", b"<00410042> Tj",
    b"[(a) -300 (b) 20 <43>] TJ", b"q", b"Q", b"2 0 0 2 0 0 cm", b"5 Tc", b"-3 Tw", b"50 Tz", b"T*",
    b"14 TL", b"(x) '", b"1 2 (y) \"", b"3 Ts", b"0 -14 TD", b"/Fm1 Do", b"Tj", b"TJ", b"[ Tm",
]), max_size=40))
def test_any_operator_sequence_reads_or_says_no_text(tmp_path_factory, pieces):
    path = tmp_path_factory.mktemp("ops") / "case.pdf"
    forms = {"Fm1": (b"BT /F1 10 Tf 0 0 Td (in form) Tj ET /Fm1 Do", "1 0 0 1 0 300")}
    path.write_bytes(tiny_pdf(b" ".join(pieces), forms))
    try:
        document = read_pdf(path)
    except PdfUnreadable as error:
        assert "no text layer" in error.reason
    else:
        assert all(isinstance(line.text, str) for line in document.lines)
