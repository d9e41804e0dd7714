"""PDF files written byte by byte from their numbered objects, for tests that need exact content streams."""
from __future__ import annotations


def pdf_of_objects(objects: list[bytes], version: bytes = b"1.4") -> bytes:
    """A PDF whose objects 1, 2, ... are ``objects`` (object 1 the catalog), with its
    cross-reference table and trailer."""
    out = bytearray(b"%PDF-" + version + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
