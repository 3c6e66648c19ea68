"""Hostile documents built byte by byte, as an attacker would send them (shared by the security tests)."""

from __future__ import annotations

import functools
import zlib

from xxgk.read.pdf import MAX_PAGES

CONTENT = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"
# The same text at size 0: PDFium gives it no extent, counts it as text it could not place, and the
# reader hands the whole file to its fallback, pdfminer (xxgk.read.pdf: _PdfiumCannotPlace).
UNPLACEABLE = b"BT /F1 0 Tf 72 720 Td (hello) Tj ET"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these object bodies (numbered from 1, the first the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def looping_pdf(content: bytes = CONTENT) -> bytes:
    """The audit's 640 bytes: the page's resources are ``6 0 R``, object 6 is ``7 0 R`` and 7 is ``6 0 R``.

    pdfminer as published follows references until it reaches something that is not one: for
    ever (xxgk's reader now stops at the cycle). PDFium, the default reader, reads it at once.
    With ``content=UNPLACEABLE`` the file goes to pdfminer, the reader that looped.
    """
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 6 0 R /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"7 0 R",
        b"6 0 R",
    ])


def self_length_pdf(content: bytes = CONTENT) -> bytes:
    """A page whose content stream's ``/Length`` is a reference to that stream itself.

    (``content=UNPLACEABLE``: read by pdfminer, as ``looping_pdf``.)
    """
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length 4 0 R >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


@functools.cache
def heavy_pdf() -> bytes:
    """A 35 KB PDF that takes pdfminer hours: the guard's tests' document that does not finish in time.

    Its 200 pages (the reader's page limit) share one content stream: a size-0 glyph (so PDFium
    cannot place its text and the reader falls back to pdfminer, see ``UNPLACEABLE``), then a
    million ``q Q`` (save and restore the graphics state), 4 MB inflated from 4 KB. pdfminer copies
    the whole graphics state at every ``q``, in Python: about 30 s a page on the 2-core test
    machine, so the file would take 100 minutes. No loop and no test switch: the work is real,
    and only limits end it. The reader's own budget (``read.pdf.MAX_SECONDS``, 60 s, checked
    between pages) would stop it after a minute on any machine, far past the few seconds the
    tests allow; on this machine the first page alone outlasts them.
    """
    stream = zlib.compress(UNPLACEABLE + b"\n" + b"q Q\n" * 1_000_000, 9)
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
             b"/Contents 3 0 R >>"] * MAX_PAGES
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(MAX_PAGES))
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % MAX_PAGES,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *pages,
    ])


def formatting_html(count: int, attributes: int, tag: str = "b") -> bytes:
    """A page of ``count`` open formatting elements of ``attributes`` attributes each, alike but the last.

    The parser compares each new one with those open, attribute by attribute: 990 of 200 attributes
    (1.2 MB, 990 levels deep: under the depth limit) took Lexbor 42 s.
    """
    same = " ".join(f"a{j}=1" for j in range(attributes - 1))
    return (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
            + "".join(f"<{tag} {same} id={i}>" for i in range(count)).encode()
            + "政府信息公开工作年度报告".encode() + b"</body></html>")


def nested_html(depth: int, tag: str = "div") -> bytes:
    """A page of ``depth`` nested elements (the audit's 100,000 ``<div>`` are 1.1 MB)."""
    return (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>"
            + f"<{tag}>".encode() * depth + "政府信息公开工作年度报告".encode() + f"</{tag}>".encode() * depth
            + b"</body></html>")
