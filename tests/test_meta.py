"""The report's title: the body's name on the line above a title that starts with the year."""

from __future__ import annotations

from pathlib import Path

import pytest

import xxgk

CORPUS_DEV_003 = Path(__file__).parent / "data" / "corpus" / "dev_003.txt"
BODY = "\n一、总体情况\n本机关全年主动公开信息。\n二、主动公开政府信息情况\n"


@pytest.mark.parametrize(
    ("above", "title"),
    [
        ("淮安市人民政府", "淮安市人民政府2022年政府信息公开工作年度报告"),
        ("淮 安 市 人 民 政 府", "淮安市人民政府2022年政府信息公开工作年度报告"),  # letter-spaced PDF text
        ("首页 政务公开 关于我们", "2022年政府信息公开工作年度报告"),  # a site's menu is not a name
        ("当前位置：首页 > 政务公开", "2022年政府信息公开工作年度报告"),
        ("各有关单位：现将报告公布如下。", "2022年政府信息公开工作年度报告"),
    ],
)
def test_name_above_a_title_starting_with_the_year(above: str, title: str) -> None:
    report = xxgk.parse_text(f"{above}\n2022年政府信息公开工作年度报告{BODY}")
    assert report.meta.title == title


def test_every_publication_stamp_holds_a_key_character() -> None:
    """Lines without one of the key characters are skipped before the stamp's searches: every
    label, and every stamp pattern's own words, must hold one, else its stamps would go unseen."""
    from xxgk.parse.dates import _LABELLED, _LABELS, LABEL_KEYS

    for label, _ in _LABELS:
        assert any(key in label for key in LABEL_KEYS), label
    for pattern, _, _ in _LABELLED:  # the labels, and the words of stamps that have none (来源：…)
        assert any(key in pattern.pattern for key in LABEL_KEYS), pattern.pattern
    for stamp in ("发布日期：2023-01-30", "来源：某区人民政府 2023-01-30", "【发布时间】2023-01-30", "发 布 于 2023-01-30"):
        page = f"{stamp}\n某区人民政府2022年政府信息公开工作年度报告\n一、总体情况\n".encode()
        assert xxgk.parse(page, "page.txt").meta.published == "2023-01-30", stamp


def test_the_period_is_searched_from_the_first_character_its_labels_begin_with() -> None:
    """The period's search starts at the first of ``PERIOD_FIRSTS``: every label begins with one."""
    from importlib import import_module

    from xxgk.parse.dates import _PERIOD, PERIOD_FIRSTS, find_period

    sre = import_module("re._constants")
    parser = import_module("re._parser")
    op, (_, alternatives) = next(iter(parser.parse(_PERIOD.pattern)))  # the labels' group, (?:统计期限|…)
    assert op is sre.BRANCH
    firsts = [next(iter(alternative)) for alternative in alternatives]
    assert all(op is sre.LITERAL and chr(ch) in PERIOD_FIRSTS for op, ch in firsts)
    text = "首页\n时事新闻\n本报告统计期限自2022年1月1日起至2022年12月31日止。"
    assert find_period(text) == {"start": "2022-01-01", "end": "2022-12-31", "text": "统计期限自2022年1月1日起至2022年12月31日"}


def test_preamble_is_the_opening_with_white_space_collapsed_whatever_its_spacing() -> None:
    """The preamble is worked out from the first 3000 characters when they suffice: it is still the
    whole opening with white space collapsed, cut at 1500 characters (menus of mostly white space,
    words cut at 3000, no heading at all)."""
    import random

    from xxgk.parse.regions import Heading
    from xxgk.parse.report import _preamble

    rng = random.Random(4)
    pieces = ("政府", " ", "\n", "信息公开", "\t", "a")
    for _ in range(400):
        text = "".join(rng.choice(pieces) * rng.choice((1, 1, 2, 600)) for _ in range(rng.randint(0, 2500)))
        headings = {} if rng.random() < 0.2 else {"active": Heading("active", rng.randint(0, len(text)), 0, "")}
        first = min((h.start for h in headings.values()), default=min(len(text), 1500))
        assert _preamble(text, headings) == (" ".join(text[:first].split())[:1500] or None)


def test_a_title_is_never_taken_for_the_bodys_name() -> None:
    """A page printing a title without a year above the report's own (``2024 年…报告``, dev 003): the
    preamble's pattern saw the first title where a body's name stands. A body's name never holds the
    report's name; the name is left unknown rather than given as the title."""
    text = (CORPUS_DEV_003.read_text(encoding="utf-8")).split("\n", 2)[2]
    report = xxgk.parse_text("江川市自然资源局政府信息公开工作年度报告\n" + text)
    assert report.meta.agency is None or "报告" not in report.meta.agency
    assert report.meta.year == 2024
