"""Characters lost in crawling or decoding, put back where the declaration's words leave one choice.

A crawl that cannot carry a character prints a mark for it: ``?`` (a page written in an encoding
that lacks it), U+FFFD (a wrong decoding), a PDF's missing glyph shown as □ or ■, and 〓 (the
typesetter's mark for a character it cannot set). Normalisation turns each into ``MARK`` (U+FFFD;
``?`` only beside an ideograph or between digits: elsewhere it is a question mark or a link's). Where a
mark stands inside a word the statutory declaration spells (a row or column label, a caption, a
section heading, the report's name) and the word's other characters are printed around it, the
mark is that word's character: it is put back in the normalised text (same length, the text as
printed keeps its marks), so every search for a label, a heading or the title finds the word.

Only where the choice is plain: at least three of the word's characters printed and at most a
third of them lost (a label mostly lost matches nothing), and every word that fits around the
mark asks for the same character (``行政处?`` is 行政处罚; in ``第二十条第(?)项`` the mark could
be 一, 五, 六, 八 or 九 and stays a mark) or all of them are spellings of one thing (``存在的主要
问题?改进情况`` is the heading of part 五 whether the mark was 及 or 和). A word of two or three characters (规章, 自然人) is
too short to be told inside a text: one character lost is put back only where it stands alone in
its cell (white space or ``|`` around it), as a table prints its labels, and one word fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MARK = "\ufffd"
# The marks tools print for a character they could not carry (each one character long), but ``?``.
LOST_MARKS = "\ufffd\u25a1\u25a0\u3013"
# ``?`` for a lost character (so are those in a run with it): beside an ideograph or Chinese punctuation
# (``行政处?``, ``第(?)项``), between digits (``2020?1?1日``), in brackets, before a pinyin gloss (``?(guī)章``).
_CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_QUESTIONS = re.compile(r"\?+")
_MIN_PRINTED = 3
_LOST_SHARE = 3  # at most one character in this many lost
# A list marker in front of a compact label (``一、``, ``(三)``, ``1.``): the label is also looked for
# without it (its ``(三)`` lost, say). The row matcher strips it alike (parse/rows.py imports it).
ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+\.)")
_MARKS = re.compile(re.escape(MARK))
_SHORT = (2, 3)  # lengths of the words only put back standing alone
_APART = frozenset(" \n|")  # what stands around a cell of a table in normalised text

Entry = tuple[str, int]  # a word and the index of the character a mark may stand for


def mark_lost(text: str) -> str:
    """Each ``?`` that stands for a lost character → ``MARK`` (same length)."""
    return _QUESTIONS.sub(_lost_run, text) if "?" in text else text


def _lost_run(m: re.Match[str]) -> str:
    text, start, end = m.string, m.start(), m.end()
    before, after = text[start - 1 : start], text[end : end + 1]
    lost = (_CJK.match(before) or _CJK.match(after) or ((before + after).isdigit() and len(before + after) == 2)
            or before + after == "()" or _GLOSS.match(text, end))
    return MARK * (end - start) if lost else m.group()


def count_lost(text: str) -> int:
    """How many characters the text as printed marks as lost."""
    marked = mark_lost(text)
    # Counted only where present: str.count visits every character, ``in`` skips to the first.
    return sum(marked.count(ch) for ch in LOST_MARKS if ch in marked)


def spells(printed: str, word: str) -> bool:
    """Whether ``printed`` is ``word``'s beginning, some of its characters lost (marks)."""
    return len(printed) <= len(word) and all(a in (b, MARK) for a, b in zip(printed, word, strict=False))


class Restorer:
    """Finds, for each mark of a text, the one character the declared words put there."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        """``groups``: the words, comparable (normalised, no white space), the spellings of one thing together."""
        # The words are indexed by the characters beside each of their positions: a mark is
        # compared only with the words whose neighbours of that position are printed beside it.
        self._pair: dict[tuple[str, str], list[Entry]] = {}
        self._left: dict[str, list[Entry]] = {}
        self._right: dict[str, list[Entry]] = {}
        self._first: dict[str, list[Entry]] = {}  # the word's first character, by its second
        self._last: dict[str, list[Entry]] = {}  # the word's last character, by the one before
        self._owners: dict[str, set[int]] = {}  # each word's groups
        for g, group in enumerate(groups):
            for w in group:
                self._owners.setdefault(w, set()).add(g)
                self._owners.setdefault(ORDINAL.sub("", w), set()).add(g)
        forms = set(self._owners)
        self._short: dict[int, tuple[str, ...]] = {
            n: tuple(sorted(w for w in forms if len(w) == n and MARK not in w)) for n in _SHORT}
        for w in forms:
            if len(w) <= _MIN_PRINTED or MARK in w:
                continue
            for k in range(len(w)):
                if k:
                    self._left.setdefault(w[k - 1], []).append((w, k))
                if k + 1 < len(w):
                    self._right.setdefault(w[k + 1], []).append((w, k))
                if 0 < k < len(w) - 1:
                    self._pair.setdefault((w[k - 1], w[k + 1]), []).append((w, k))
                elif k == 0:
                    self._first.setdefault(w[1], []).append((w, k))
                else:
                    self._last.setdefault(w[k - 1], []).append((w, k))

    def restore(self, text: str) -> str:
        """``text`` (normalised) with each mark the declared words settle put back; same length.

        Words are compared without white space (labels break over lines), so the marks are found
        in the text run together; the k-th mark there is the k-th mark of the text.
        """
        joined = "".join(text.split())
        at = [m.start() for m in _MARKS.finditer(text)]
        chars: list[str] | None = None
        end = len(joined) - 1
        for n, q in enumerate(m.start() for m in _MARKS.finditer(joined)):
            p = at[n]
            if (q and joined[q - 1] == MARK and q < end and joined[q + 1] == MARK
                    and (text[p - 1] == MARK or text[p + 1] == MARK)):
                continue  # inside a run of marks: no word fits it, no cell holds it alone (a junk text's)
            ch = self._character(joined, q) or self._alone(text, p)
            if ch is not None:
                if chars is None:
                    chars = list(text)
                chars[p] = ch
        return text if chars is None else "".join(chars)

    def _character(self, joined: str, q: int) -> str | None:
        """The one character every declared word fitting around the mark at ``q`` puts there."""
        left = joined[q - 1] if q else MARK
        right = joined[q + 1] if q + 1 < len(joined) else MARK
        if left != MARK and right != MARK:
            entries = [*self._pair.get((left, right), ()), *self._first.get(right, ()), *self._last.get(left, ())]
        elif left != MARK:
            entries = self._left.get(left, [])
        elif right != MARK:
            entries = self._right.get(right, [])
        else:
            return None
        found: str | None = None
        owners: set[int] = set()
        for word, k in entries:
            start = q - k
            if start < 0 or start + len(word) > len(joined):
                continue
            lost = 0
            for a, b in zip(joined[start : start + len(word)], word, strict=True):
                if a != b:
                    if a != MARK:
                        break
                    lost += 1
            else:
                if len(word) - lost < _MIN_PRINTED or lost * _LOST_SHARE > len(word):
                    continue
                if found is None:
                    found, owners = word[k], set(self._owners[word])
                    continue
                owners &= self._owners[word]
                if found != word[k] and not owners:
                    return None  # two words of different things fit, asking for different characters: no guess
                found = min(found, word[k])  # spellings of one thing: either leads to it
        return found

    def _alone(self, text: str, p: int) -> str | None:
        """The character of the one short word that is the whole cell holding the mark at ``p``."""
        start, end = p, p + 1
        while start > 0 and text[start - 1] not in _APART and p - start < _SHORT[-1]:
            start -= 1
        while end < len(text) and text[end] not in _APART and end - p <= _SHORT[-1]:
            end += 1
        cell = text[start:end]
        if len(cell) not in self._short or cell.count(MARK) != 1:
            return None
        if (start and text[start - 1] not in _APART) or (end < len(text) and text[end] not in _APART):
            return None  # longer than a short word: inside a sentence
        found = {w[p - start] for w in self._short[len(cell)] if spells(cell, w)}
        return found.pop() if len(found) == 1 else None
