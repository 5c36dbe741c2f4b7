"""Hostile PDFs for import and audit, written byte by byte (no PDF library needed).

``python make_pdfs.py DIR`` writes them into DIR to look at; tests call the functions.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from pathlib import Path


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF of ``objects`` (object 1 the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        packed = zlib.compress(data, 9)
        return (
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + (b"\nendstream")
        )
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pages_pdf(pages: int, text: bytes = b"(Page) Tj") -> bytes:
    """``pages`` pages sharing one content stream that prints ``text``."""
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        _FONT,
        _stream(b"BT /F1 12 Tf 72 720 Td " + text + b" ET"),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>"
    ] * pages
    return _pdf(objects)


def too_many_pages() -> bytes:
    return pages_pdf(600)


def inflating_text(megabytes: int = 60) -> bytes:
    """One page whose content stream inflates to ``megabytes`` MB of text-showing operators."""
    line = b"(0123456789 abcdefghij 0123456789 abcdefghij) Tj 0 -1 Td\n"
    return pages_pdf(1, line * (megabytes * 1024 * 1024 // len(line)))


def encrypted() -> bytes:
    """A PDF that names a standard security handler with a user password: pdftotext asks
    for the password (“Incorrect password”)."""
    ident = hashlib.md5(b"reportgen").digest()
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
        b"/O <" + (b"11" * 32) + b"> /U <" + (b"22" * 32) + b"> >>"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _FONT,
        _stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        encrypt,
    ]
    hex_id = ident.hex().encode()
    return _pdf(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (hex_id, hex_id))


def truncated() -> bytes:
    return pages_pdf(1)[:300]


HOSTILE = {
    "too_many_pages.pdf": too_many_pages,
    "inflating_text.pdf": inflating_text,
    "encrypted.pdf": encrypted,
    "truncated.pdf": truncated,
}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for name, make in HOSTILE.items():
        (target / name).write_bytes(make())
