"""Characters lost in crawling or decoding: a share of a report's ideographs replaced by a mark.

A crawl that writes a page in an encoding that cannot carry some characters prints ``?`` for
each (Python's ``errors="replace"`` when encoding, iconv's ``//TRANSLIT``, a Java writer); a
wrong decoding prints U+FFFD ``�`` (``errors="replace"`` when decoding, a browser); a PDF whose
font lacks a glyph or its Unicode mapping shows ``□`` or ``■`` (and Chinese typesetting prints
``〓`` for a character it cannot set). :func:`lose` does that to a text, seeded, so that a test
reads the same damaged report every run.

No pytest in here.
"""

from __future__ import annotations

import random
import re

MARKS = ("?", "\ufffd", "\u25a1", "\u25a0", "\u3013")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")


def lose(text: str, rate: float, mark: str, seed: str | int = 0) -> str:
    """``text`` with about ``rate`` of its CJK ideographs replaced by ``mark`` (digits and
    punctuation are kept: a number with a lost digit is another class)."""
    rng = random.Random(f"{seed}:{rate}:{mark}")
    return _IDEOGRAPH.sub(lambda m: mark if rng.random() < rate else m.group(), text)
