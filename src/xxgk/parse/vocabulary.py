"""The statutory tables' own words, as ``norm_label`` gives them, for telling table text from the rest; and the
words that mark a table or a caption as another year's, printed beside the report's own."""

from __future__ import annotations

import re
from functools import cache

from xxgk.parse.normalize import norm_label
from xxgk.templates import statutory

# Words of comparison: a copy printed beside the report's own (``附：2022年度…统计表（供对比）``).
COMPARED = ("供对比", "对比", "参考")
# Words naming a year before the report's.
EARLIER = ("上年", "上一年", "去年", "往年", "同期")

# Words shorter than this (总计, 自然人) stand in prose and in labels of every kind.
_MIN_CHARS = 4


@cache
def header_words() -> re.Pattern[str]:
    """Finds a table's caption or a column's header (``信息内容``, ``本年处理决定数量``)."""
    words = {norm_label(w) for t in statutory().tables for w in t.markers}
    words |= {norm_label(lab) for t in statutory().tables for c in t.columns for lab in c.labels()}
    return _any_of(words)


@cache
def table_labels() -> tuple[re.Pattern[str], str]:
    """Finds any caption, column header or row label of the tables; and all of them joined by line
    breaks, to find a piece of one in (a long label wrapped beside its numbers)."""
    words = {norm_label(w) for t in statutory().tables for w in t.markers}
    for t in statutory().tables:
        words |= {norm_label(lab) for r in t.rows for lab in r.labels()}
        words |= {norm_label(lab) for c in t.columns for lab in c.labels()}
    return _any_of(words), "\n".join(sorted(words))


def _any_of(words: set[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted((w for w in words if len(w) >= _MIN_CHARS), key=len, reverse=True))))
