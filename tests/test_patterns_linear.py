"""Patterns rewritten so that a long run of spaces, leaders or tabs costs linear time say what the old forms said.

In the old forms two adjacent ``\\s*`` (or a run matched from every position inside it) could share one run
of spaces, so a text browser's padded table row (``|  行政许可      |  3  |``) or a long ``-layout`` line cost
cubic time in its length: a box-drawn report took seconds, a hostile line minutes. The old forms are written
out here; random text drawn from the characters that matter must get the same answer from both.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xxgk.parse.cells import _MARKDOWN_RULE
from xxgk.parse.compilation import _CONTENTS_ENTRY
from xxgk.parse.dates import _DATE_ALONE, _LABEL_ALONE

_OLD_RULE = re.compile(r"\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?)?\s*")
_OLD_CONTENTS = re.compile(r"(?:[.…·．。_\-—]{2,}|\t|\s{2,}|[.…·]\s)\s*\d{1,4}\s*$|\t\s*\d{1,4}\s*$")
_OLD_LABEL = re.compile(r"^\s*(?:[•·●\-*|]\s*)?(?P<label>[\u4e00-\u9fff\s]{2,16}?)\s*(?P<colon>[:：])?\s*\|?\s*$")
_OLD_DATE_END = re.compile(r"\s*\|?\s*$")


def _text(pieces: list[str], size: int = 10) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=size).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_text([" ", "  ", "\t", "|", "-", "---", ":", "a"]))
@example("|---|:---:|")
@example("  | --- | --- |  ")
@example("---|---")
@example("|---")
def test_the_markdown_rule_is_the_old_one(line: str) -> None:
    assert bool(_MARKDOWN_RULE.fullmatch(line)) == bool(_OLD_RULE.fullmatch(line))


@settings(max_examples=1500, deadline=None)
@given(_text([" ", "  ", "\t", ".", "…", "·", "—", "-", "_", "．", "。", "1", "12", "12345", "目", "\n"]))
@example("某局2022年报告……12")
@example("某局2022年报告\t3")
@example("某局2022年报告  3")
@example("某局2022年报告. 3")
@example("某局2022年报告 3")
def test_a_contents_entry_is_the_old_one(line: str) -> None:
    assert bool(_CONTENTS_ENTRY.search(line)) == bool(_OLD_CONTENTS.search(line))


@settings(max_examples=1500, deadline=None)
@given(_text([" ", "\t", "发布", "日", "期", "时间", ":", "：", "|", "•", "-", "x"]))
@example("• 发布日期:")
@example("成文日期")
@example("发 布 日 期 ：  |")
def test_a_label_alone_is_the_old_one_where_it_names_two_characters(line: str) -> None:
    """The old form also took one character with a space borrowed (`` 日:``): no label of a date is one character."""
    old, new = _OLD_LABEL.match(line), _LABEL_ALONE.match(line)
    if old is not None and len(old.group("label").strip()) < 2:
        assert new is None
        return
    before = (old.group("label"), old.group("colon")) if old else None
    after = (new.group("label"), new.group("colon")) if new else None
    assert after == before


@settings(max_examples=800, deadline=None)
@given(_text([" ", "\t", "|", "x"], 8))
def test_a_date_alone_ends_as_before(tail: str) -> None:
    line = "2023-01-20 10:30" + tail
    old = re.match(r"^\s*(?:[•·●\-*|]\s*)?(?P<date>.{16})" + _OLD_DATE_END.pattern, line)
    assert bool(_DATE_ALONE.match(line)) == bool(old)
