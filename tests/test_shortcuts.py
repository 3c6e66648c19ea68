"""Hand-written shortcuts in the table reader say what the patterns or loops they stand in for say.

Each shortcut spares a pattern or a comparison on every cell or label of every report; the plain form
it replaces is written out here, and random text drawn from the characters that matter (a label's, the
digits, points, brackets and other scripts' digits) must get the same answer from both.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from xxgk.parse.cells import _TRAILING_NUMBER, Cell, _trailing_number
from xxgk.parse.compilation import _HINTS, _hinted_lines
from xxgk.parse.header import (
    _STUB,
    _UNKNOWN,
    _item,
    _labels,
    _names_two,
    _read_order,
    _subsequence,
    _unknown_before_stub,
)
from xxgk.parse.rows import _FUZZY_MIN, Run, _in_order, fuzzy_score
from xxgk.templates import statutory

# Pieces a cell's text is made of where these shortcuts decide: Chinese, ASCII digits and points,
# brackets and quotes the look-behind names, Latin letters, spaces, and digits of other scripts.
_CELL = st.lists(st.sampled_from(["规范性文件", "件", "计", ")", "]", '"', "(", "（", "a", " ", "1", "23", "0", ".",
                                  "١", "３"]), min_size=1, max_size=9).map("".join)
_LABEL_CHARS = st.sampled_from(list("申请人逾期未按收费通知要求缴纳费用行政复议诉讼结果维持纠正其他"))


@settings(max_examples=3000, deadline=None)
@given(_CELL)
# The edges the pattern draws, besides what the search draws at random: points inside, before, after
# and twice; another script's digit before the ASCII ones; an opening bracket before them; no label.
@example("规范性文件1.2.3")
@example("规范性文件1..1")
@example("规范性文件.5")
@example("规范性文件5.")
@example("规范性文件12.5")
@example("文件١2")
@example("文件(12")
@example("文件)12")
@example("12")
def test_the_glued_number_is_where_its_pattern_finds_it(norm: str) -> None:
    m = _TRAILING_NUMBER.search(norm)
    assert _trailing_number(norm) == (m.start() if m else None)


def _spelt_in_order(form: str, text: str) -> bool:
    """The plain form: each character of ``form`` found in ``text`` after the one before it."""
    chars = iter(text)
    return all(ch in chars for ch in form)


@settings(max_examples=3000, deadline=None)
@given(st.text(_LABEL_CHARS, min_size=1, max_size=8), st.text(_LABEL_CHARS, max_size=30))
def test_a_form_spelt_in_order_is_what_the_plain_loop_says(form: str, text: str) -> None:
    assert bool(_in_order(form).match(text)) == _spelt_in_order(form, text)


def _plain_fuzzy_score(forms: tuple[str, ...], run: Run) -> float:
    """``fuzzy_score`` as it reads without its shortcuts: every long form compared, no bound, no cutoff."""
    best = 0.0
    for f in forms:
        if len(f) < 6:
            continue
        window = run.pre[-(2 * len(f) + 10) :] + (run.post[: len(f) // 2] if run.has_numbers else "")
        if len(window) < len(f) * 0.6:
            continue
        ratio = fuzz.partial_ratio(f, window) / 100.0
        if len(window) < len(f):
            ratio *= len(window) / len(f)
        if ratio >= _FUZZY_MIN:
            best = max(best, 0.9 * ratio)
    return best


_NUMBER = Cell("number", "12", "12", 0, 1, "none", 12, True)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.text(_LABEL_CHARS, min_size=3, max_size=14), min_size=1, max_size=3),
       st.text(_LABEL_CHARS, max_size=40), st.text(_LABEL_CHARS, max_size=12), st.booleans())
def test_the_fuzzy_score_is_what_comparing_every_form_gives(forms: list[str], pre: str, post: str,
                                                             numbers: bool) -> None:
    """``fuzzy_score`` spares the comparisons a bound on the window's characters rules out, and lets
    rapidfuzz stop below the threshold: the score is the same."""
    run = Run([_NUMBER] if numbers else [], pre, post)
    assert fuzzy_score(tuple(forms), run) == _plain_fuzzy_score(tuple(forms), run)


def test_the_shortcuts_see_real_cells() -> None:
    """The strategies above reach what matters: a glued number found, a form spelt across a gap."""
    assert _trailing_number("行政规范性文件6233440") == len("行政规范性文件")
    assert _trailing_number("数据1") == 2  # found; the caller leaves a single digit with its label
    assert _trailing_number("12") is None  # nothing before it: a number, not a label's
    assert _in_order("结果维持").match("结果 12 维 持")
    assert not _in_order("结果维持").match("维持结果")


def _plain_hinted_lines(text: str) -> list[int]:
    """Where each line naming a report begins, each word of ``_HINTS`` searched for whole."""
    starts: set[int] = set()
    for word in _HINTS:
        at = text.find(word)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(word, at + len(word))
    return sorted(starts)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.sampled_from(list("报報告年\n政 ")), max_size=40))
@example("报告")
@example("年报")
@example("報\n告年報")
@example("告报年")
def test_the_hinted_lines_are_those_the_words_name(text: str) -> None:
    """``_hinted_lines`` finds each word by its 报 or 報: the lines are those the whole words are found on."""
    assert _hinted_lines(text) == _plain_hinted_lines(text)


# Header cells: 表三's column words whole and run together, parts of them, a stub's word, other text.
_HEADER_PIECES = st.sampled_from(["自然人", "法人或其他组织", "商业企业", "科研机构", "总计", "申请人情况", "信息内容", "其他",
                                  "商业", "企业", "自然", "人", "本年新收", "规章", " ", "0"])


def _header_cells(pieces: list[tuple[str, int]]) -> list[Cell]:
    return [Cell("text", text, text.replace(" ", ""), i, line, "grid") for i, (text, line) in enumerate(pieces)]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(st.lists(_HEADER_PIECES, min_size=1, max_size=3).map("".join), st.integers(1, 3)),
                max_size=6), st.sampled_from(["2019", "2021"]))
def test_a_zone_of_fewer_than_two_column_words_has_no_header(pieces: list[tuple[str, int]], template: str) -> None:
    """``header_order`` returns None at once where ``_names_two`` says the cells print fewer than two column
    words: the full reading finds no order there either."""
    labels = _labels(statutory().table_by_id("requests"), template)
    zone = _header_cells(pieces)
    if not _names_two(zone, labels):
        assert _read_order(zone, labels) is None


def _plain_subsequence(part: list[int], whole: list[int]) -> bool:
    """``part`` is ``whole`` with some items left out: each item found after the one before."""
    at = 0
    for x in part:
        while at < len(whole) and whole[at] != x:
            at += 1
        if at == len(whole):
            return False
        at += 1
    return True


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=8), st.lists(st.integers(0, 4), max_size=12))
def test_a_subsequence_is_what_the_plain_scan_says(part: list[int], whole: list[int]) -> None:
    assert _subsequence(part, whole) == _plain_subsequence(part, whole)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["序号", "信息内容", "本年制发件数", "现行有效件数", "本年新制作数量", "备注", "规章"]),
                max_size=8), st.sampled_from(["2019", "2021"]))
def test_a_column_before_the_stub_is_what_the_kinds_say(words: list[str], template: str) -> None:
    """``_unknown_before_stub`` stops at the first cell heading the row labels: the same answer as the list
    of every cell's kind."""
    labels = _labels(statutory().table_by_id("active"), template)
    cells = _header_cells([(w, 1) for w in words])
    kinds = [_item(c, labels).kind for c in cells]
    plain = _UNKNOWN in kinds and _STUB in kinds and kinds.index(_UNKNOWN) < kinds.index(_STUB)
    assert _unknown_before_stub(cells, labels) == plain
