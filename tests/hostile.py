"""Hostile documents built byte by byte, as an attacker would send them (shared by the security tests)."""

from __future__ import annotations

CONTENT = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"


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


def looping_pdf() -> bytes:
    """The audit's 640 bytes: the page's resources are ``6 0 R``, object 6 is ``7 0 R`` and 7 is ``6 0 R``.

    pdfminer follows references until it reaches something that is not one: for ever.
    """
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 6 0 R /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(CONTENT) + CONTENT + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"7 0 R",
        b"6 0 R",
    ])


def self_length_pdf() -> bytes:
    """A page whose content stream's ``/Length`` is a reference to that stream itself."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length 4 0 R >>\nstream\n" + CONTENT + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def nested_html(depth: int, tag: str = "div") -> bytes:
    """A page of ``depth`` nested elements (the audit's 100,000 ``<div>`` are 1.1 MB)."""
    return (b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body>"
            + f"<{tag}>".encode() * depth + "政府信息公开工作年度报告".encode() + f"</{tag}>".encode() * depth
            + b"</body></html>")
