"""Files that cannot be read: one ExtractionError each, naming the file and saying why."""
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from indexer.units.extract import SUPPORTED_SUFFIXES, ExtractionError, extract_document

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED_PDF = SHARED / "corpus" / "seed" / "UNEP-DTIE-Hg-INC.1-10.pdf"
needs_seed = pytest.mark.skipif(not SEED_PDF.is_file(), reason=f"reference corpus missing at {SEED_PDF}")


def failure(path: Path) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract_document(path)
    error = caught.value
    assert error.path == str(path)
    assert path.name in str(error)
    return error


@needs_seed
def test_corrupt_pdf(tmp_path):
    path = tmp_path / "truncated.pdf"
    data = SEED_PDF.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    assert "not a readable PDF" in failure(path).reason


def test_garbage_with_pdf_suffix(tmp_path):
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"this is not a PDF at all\n" * 20)
    assert "not a readable PDF" in failure(path).reason


@needs_seed
def test_encrypted_pdf(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(SEED_PDF))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    assert "encrypted PDF" in failure(path).reason


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert failure(path).reason == "empty file (0 bytes)"


def test_pdf_without_text_layer(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    assert "no text layer" in failure(path).reason and "OCR" in failure(path).reason


def test_text_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("1. Caf\u00e9 au lait.\n".encode("latin-1"))
    reason = failure(path).reason
    assert reason == "not UTF-8 text (byte 0xe9 at offset 6); save it as UTF-8"


def test_unknown_suffix(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04")
    reason = failure(path).reason
    assert "unsupported file type '.docx'" in reason and ".pdf" in reason


def test_missing_file(tmp_path):
    assert failure(tmp_path / "gone.txt").reason == "no such file"


def test_text_without_paragraphs(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n   \n\n", encoding="utf-8")
    assert failure(path).reason == "the file has no text"


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".pdf", ".txt", ".md"}
