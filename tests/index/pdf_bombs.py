"""Hostile PDFs written byte by byte, for the budget tests: small files that cost a
great deal to read."""
from __future__ import annotations

import zlib

from pdf_objects import pdf_of_objects

# A text-showing operator line repeated to fill a content stream: every
# repetition is a run of text for the reader to place.
TEXT_LINE = b"BT /F1 10 Tf 72 700 Td (Parties shall take measures) Tj ET\n"


def deflated(chunk: bytes, total: int) -> bytes:
    """``chunk`` repeated to ``total`` bytes, Flate-compressed a block at a time
    (the whole never sits in memory)."""
    packer = zlib.compressobj(9)
    block = chunk * max(1, (1 << 22) // len(chunk))
    out, written = [], 0
    while written < total:
        piece = block[: total - written]
        out.append(packer.compress(piece))
        written += len(piece)
    out.append(packer.flush())
    return b"".join(out)


def pdf_with_stream(stream: bytes, pages: int, filtered: bool = True) -> bytes:
    """A PDF of ``pages`` pages that all draw the same content stream ``stream``."""
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        (f"<< /Length {len(stream)}" + (" /Filter /FlateDecode" if filtered else "") + " >>\nstream\n").encode()
        + stream + b"\nendstream",
    ]
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    return pdf_of_objects(objects, version=b"1.7")


def shared_stream_bomb(stream_mb: int = 72, pages: int = 14) -> bytes:
    """About 72 KB on disk: one ``stream_mb`` MB content stream of text shared by every page."""
    return pdf_with_stream(deflated(TEXT_LINE, stream_mb * 1_000_000), pages)


def single_stream_bomb(size: int = 1 << 30) -> bytes:
    """About 1 MB on disk: one page whose content stream inflates to ``size`` bytes of spaces."""
    return pdf_with_stream(deflated(b" ", size), 1)
