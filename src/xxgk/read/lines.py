"""Text lines as readers find them: which characters are Chinese, and joining a cell's wrapped lines.

Shared by the PDF, Word and OCR readers (each wraps a cell's text into lines its own way).
"""

from __future__ import annotations


def is_cjk(char: str) -> bool:
    """CJK ideographs and full-width punctuation/forms."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x2E80 <= code <= 0x2FDF
        or 0x20000 <= code <= 0x2FA1F
    )


def join_wrapped(lines: list[str]) -> str:
    """Join the wrapped lines of a cell: no space where Chinese text was wrapped.

    Only between two Chinese characters: a number or a Latin word keeps its space, so that
    "秘密" + "2.其他" does not become "秘密2.其他".
    """
    out = ""
    for line in filter(None, lines):
        if out and not (is_cjk(out[-1]) and is_cjk(line[0])):
            out += " "
        out += line
    return out
