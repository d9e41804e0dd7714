"""A PDF some of whose pages are images of text (scanned) is read, with a warning naming those pages."""
import pytest

from indexer.reading.pdf.layout import PdfUnreadable, read_pdf
from pdf_objects import pdf_of_objects

PROSE = b"BT /F1 11 Tf 72 700 Td 14 TL " + b" ".join(
    b"(%d. The Parties shall report on the measures taken to implement this Convention.) '" % n for n in range(1, 9)
) + b" ET"
HEADER = b"BT /F1 9 Tf 72 760 Td (UNEP/X/1/2) Tj ET"
# An image drawn over the whole page (612 x 792 points), as a scanner writes it.
FULL_PAGE_IMAGE = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
# A figure over a tenth of the page.
SMALL_FIGURE = b"q 150 0 0 100 72 300 cm /Im1 Do Q"


def pdf_of(pages: list[bytes]) -> bytes:
    """A PDF whose pages show the given content streams, with font F1 and a 1x1 image Im1."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
               b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"]
    kids = []
    for content in pages:
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_of_objects(objects)


def image_warnings(tmp_path, pages):
    path = tmp_path / "case.pdf"
    path.write_bytes(pdf_of(pages))
    return [w for w in read_pdf(path).warnings if "image" in w]


@pytest.mark.parametrize(
    "pages, expected",
    [
        pytest.param([PROSE, PROSE], [], id="text-only"),
        pytest.param([PROSE, HEADER + FULL_PAGE_IMAGE, PROSE, FULL_PAGE_IMAGE], ["pages 2, 4 are images"],
                     id="scanned-pages-among-text"),
        pytest.param([PROSE, HEADER + FULL_PAGE_IMAGE], ["page 2 is an image"], id="one-scanned-page"),
        pytest.param([PROSE + SMALL_FIGURE, PROSE], [], id="a-figure-beside-text"),
        pytest.param([PROSE + FULL_PAGE_IMAGE, PROSE], [], id="text-over-a-background-image"),
    ],
)
def test_pages_that_are_images_are_named(tmp_path, pages, expected):
    warnings = image_warnings(tmp_path, pages)
    assert [w.split(" with ")[0] for w in warnings] == expected
    assert all("run OCR" in w for w in warnings)


def test_a_pdf_of_images_only_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_of([FULL_PAGE_IMAGE, FULL_PAGE_IMAGE]))
    with pytest.raises(PdfUnreadable, match="no text layer"):
        read_pdf(path)
