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


# A small report as county sites print it, below whatever the page prints above it ({head}) and above
# whatever it prints under the signature ({foot}).
_REPORT = """{head}
XX市XX区民政局2022年政府信息公开工作年度报告
{stamp}
根据《中华人民共和国政府信息公开条例》要求，编制本报告。本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。
一、总体情况
2022年，我局全年主动公开政府信息120条。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
无。
XX市XX区民政局
2023年1月16日
{foot}
"""


def _meta(head: str = "首页 > 年报", stamp: str = "", foot: str = "") -> xxgk.model.Meta:
    return xxgk.parse_text(_REPORT.format(head=head, stamp=stamp, foot=foot)).meta


@pytest.mark.parametrize(
    "head",
    [
        "| 发布机构 | XX区民政局 | 发布日期 | 2023-01-19 |",  # a Markdown info box
        "发布机构 | XX区民政局 | 发布日期 | 2023-01-19 |",  # an HTML one, as read/html prints a <table>'s row
        "索引号： | 0143-2023-00004 | 生成日期： | 2023-01-18 |\n发布机构： | XX区民政局 | 发布日期： | 2023-01-19 |",
        "| 文号 | | 成文日期 | 2023-01-16 |\n| 索引号 | 0143-2023-00004 | 发布日期 | 2023-01-19 |",
        "当前位置：首页 > 年报 |\n发布日期 | 2023-01-19 | 浏览次数 | 106 |",  # a page laid out in tables
    ],
)
def test_the_stamp_in_table_cells(head: str) -> None:
    """The label in one cell, its date in the next: the cell separator stands between them."""
    assert _meta(head).published == "2023-01-19"


def test_the_stamp_in_an_html_info_box() -> None:
    page = ("<html><body><table><tr><td>发布机构</td><td>XX区民政局</td><td>成文日期</td><td>2023-01-16</td></tr>"
            "<tr><td>发布日期</td><td>2023-01-19</td></tr></table>"
            "<h1>XX市XX区民政局2022年政府信息公开工作年度报告</h1><p>本报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。</p>"
            "<p>一、总体情况</p><p>我局全年主动公开政府信息120条。</p><p>二、主动公开政府信息情况</p></body></html>")
    assert xxgk.parse(page.encode(), "page.html").meta.published == "2023-01-19"


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("成文日期\n2023-01-16\n发布日期\n2023-01-30", "2023-01-30"),
        ("索引号\nSM-2023-00031\n生成日期\n2023-01-16\n发布日期\n2023-01-18", "2023-01-18"),
        ("发布机构\n塘厦镇\n成文日期\n2023-01-16", None),  # only the date it was written: no publication date
        ("生成日期：\n\n2023-01-16", None),
        ("今天是：\n2024年5月8日", None),
    ],
)
def test_an_info_box_crawled_as_label_and_value_lines(head: str, published: str | None) -> None:
    """Each date keeps the label above it: one under 成文日期 or 生成日期 is never taken for the publication."""
    assert _meta("首页 > 年报\n" + head).published == published


@pytest.mark.parametrize(
    "head",
    [
        "相关信息\nXX市XX区民政局2021年政府信息公开工作年度报告",
        "上一篇：XX市XX区民政局2021年政府信息公开工作年度报告\n下一篇：XX市XX区民政局关于2023年春节慰问工作的通知",
        "相关信息\n· XX市XX区财政局2022年政府信息公开工作年度报告 2023-01-16\n"
        "· XX市XX区民政局2021年政府信息公开工作年度报告 2022-01-20",
    ],
)
def test_other_reports_titles_above_the_report(head: str) -> None:
    """A sidebar's list or a link to the previous report above the title: never this report's body or year."""
    meta = _meta(head, "发布日期：2023-01-19")
    assert (meta.agency, meta.year, meta.title) == ("XX市XX区民政局", 2022, "XX市XX区民政局2022年政府信息公开工作年度报告")
    assert meta.published == "2023-01-19"


@pytest.mark.parametrize(("listed", "year"), [(2022, 2022), (2021, None)])
def test_another_bodys_report_above_a_title_without_year(listed: int, year: int | None) -> None:
    """热点推荐 above a title naming no year: the body the signature names; the year the text states, or
    none (with a finding) where the text's statements and the listed report's year disagree."""
    text = _REPORT.format(head=f"热点推荐\nXX市XX区财政局{listed}年政府信息公开工作年度报告\nXX区2023年春季学期开学通知",
                          stamp="发布时间：2023-01-18", foot="").replace("民政局2022年政府", "民政局政府", 1)
    report = xxgk.parse_text(text)
    assert (report.meta.agency, report.meta.year) == ("XX市XX区民政局", year)
    assert [f.rule for f in report.findings if f.where == "meta.year"] == ([] if year else ["PARSE-YEAR-UNKNOWN"])
    assert not [f for f in report.findings if f.rule.startswith("TIME-")]


@pytest.mark.parametrize(
    ("titled", "stamp", "year"),
    [
        (2021, "", 2021),  # no date to tell: the title's year
        (2021, "发布日期：2023-01-19", 2022),  # a 2022 report is published in 2023: the title's year is the slip
        (2023, "发布日期：2023-01-19", 2022),  # a title naming the year it was published in
        (2021, "发布日期：2022-01-19", 2021),  # the period copied from last year's report
        (2021, "发布日期：2025-06-19", 2021),  # a page stamped years later (a site's move): no year fits
    ],
)
def test_a_title_whose_year_the_text_contradicts_is_said_so(titled: int, stamp: str, year: int) -> None:
    """The only title names another year than the period: the year the publication date fits is taken (either
    may be copied from last year's report), else the title's; with a warning either way, never silently."""
    text = _REPORT.format(head="首页", stamp=stamp, foot="").replace("民政局2022年政府", f"民政局{titled}年政府", 1)
    report = xxgk.parse_text(text)
    assert report.meta.year == year
    assert [f.rule for f in report.findings if f.where == "meta.year"] == ["PARSE-YEAR-CONFLICT"]
    # No error rests on a year the parser doubts: late, early, the template's year are warnings that say why.
    doubted = [f for f in report.findings if f.rule.startswith(("TIME-", "FORM-TEMPLATE-YEAR"))]
    assert all(f.severity != "error" and "年度存疑" in f.message for f in doubted if f.severity != "info")
    assert not [f for f in report.findings if f.severity == "error" and f.where.startswith("meta")]


def test_a_doubted_years_late_report_is_a_warning() -> None:
    """Title 2021, period 2022, published in 2025: neither year fits, the title's is kept and the report is late
    by it, which the reader is told as a warning that names the doubt."""
    text = _REPORT.format(head="首页", stamp="发布日期：2025-06-19", foot="").replace("民政局2022年政府", "民政局2021年政府", 1)
    late = [f for f in xxgk.parse_text(text).findings if f.rule == "TIME-LATE"]
    assert [f.severity for f in late] == ["warning"] and "年度存疑" in late[0].message


@pytest.mark.parametrize(
    ("foot", "published"),
    [
        ("发布日期：2023-01-30   浏览次数：412\n【打印本页】【关闭窗口】\n上一篇：XX市XX区民政局2021年政府信息公开工作年度报告",
         "2023-01-30"),
        ("发布时间：2023-01-30\n【打印本页】【关闭窗口】", "2023-01-30"),
        ("", None),  # the signing date is not the publication
        ("上一篇：XX区民政局召开年度工作会议\n相关阅读\nXX区民政局开展节前慰问 发布时间：2023-02-10 浏览次数：33", None),
        ("联系电话：0571-12345678", None),
    ],
)
def test_the_stamp_under_the_article(foot: str, published: str | None) -> None:
    """Printed after the signature, with the page's furniture beside it, below a report longer than the head
    of the page that is searched first."""
    long = "\n".join(f"（{k}）本机关认真落实政务公开工作要点第{k}项任务。" for k in range(1, 90))
    text = _REPORT.format(head="首页 > 年报", stamp="", foot=foot).replace("无。", long, 1)
    assert xxgk.parse_text(text).meta.published == published


def test_a_crawlers_key_is_not_part_of_the_title() -> None:
    meta = _meta("url: https://www.example.gov.cn/art/2023/1/19/art_1.html\ntitle: XX市XX区民政局2022年政府信息公开工作年度报告")
    assert (meta.agency, meta.year) == ("XX市XX区民政局", 2022)


@pytest.mark.parametrize(
    ("head", "stamp", "published"),
    [
        ("首页", "2023年01月19日 星期四  来源：XX区民政局", "2023-01-19"),
        ("XX区人民政府网\n2024年5月8日 星期三", "", None),  # a site's header printing today's date
        ("今天是：2024年5月8日 星期三\n首页 | 政务公开", "", None),
        ("· XX市XX区财政局2022年政府信息公开工作年度报告 2023-01-16", "", None),  # a list's item, not a stamp
        # A WeChat article's account, date and IP location, as its page (or a long picture of it) prints them.
        ("点击上方蓝字 关注我们", "XX区民政局 2023-01-19 17:30 发表于四川", "2023-01-19"),
        ("", "原创 XX区民政局 2023年01月19日 09:05 发表于 江苏", "2023-01-19"),
        ("", "本文2023-01-19发表于《XX日报》", None),  # a line of prose, not the page's stamp
    ],
)
def test_an_unlabelled_date_beside_the_pages_furniture(head: str, stamp: str, published: str | None) -> None:
    """A date without a label is the page's stamp where 来源/字号/浏览 (or WeChat's 发表于 and a place) stand beside it;
    a weekday alone is today's."""
    assert _meta(head, stamp).published == published


def test_the_stamp_on_the_titles_line() -> None:
    text = _REPORT.format(head="首页", stamp="", foot="").replace(
        "工作年度报告\n", "工作年度报告 2023-01-19 来源：XX区民政局 字号：大 中 小\n", 1)
    meta = xxgk.parse_text(text).meta
    assert (meta.title, meta.agency, meta.published) == (
        "XX市XX区民政局2022年政府信息公开工作年度报告", "XX市XX区民政局", "2023-01-19")


# A 信息公开目录 box as county sites print it above the article, its labels padded with ideographic spaces to one
# width; each row as a crawler keeps it (one line), as a PDF of the page prints it, as label and value lines.
_PADDED_BOX = [
    "索　引　号：11350203/2024-00012　　成　文　日　期：2024-01-11\n名　　　称：XX市XX区民政局2022年政府信息公开工作年度报告\n"
    "发布机构：XX市XX区民政局　　　发　布　日　期：2024-01-14",
    "索 引 号： 11350203/2024-00012 成文日期： 2024-01-11\n名   称： XX市XX区民政局2022年政府信息公开工作年度报告\n"
    "发布机构： XX市XX区民政局 发布日期：    2024-01-14",
    "| 索　引　号 | 11350203/2024-00012 | 成　文　日　期 | 2024-01-11 |\n"
    "| 标　　　题 | XX市XX区民政局2022年政府信息公开工作年度报告 |\n| 发　布　机　构 | XX市XX区民政局 | 发　布　日　期 | 2024-01-14 |",
    "成　文　日　期\n2024-01-11\n发　布　日　期\n2024-01-14\n名　　　称：\nXX市XX区民政局2022年政府信息公开工作年度报告",
]


@pytest.mark.parametrize("box", _PADDED_BOX)
def test_labels_padded_with_spaces(box: str) -> None:
    """``名　　称：`` is the title's label, not part of the body's name (it was ``名称:XX市XX区民政局``, silently);
    ``成　文　日　期`` is not the publication, ``发　布　日　期`` is."""
    text = _REPORT.format(head=f"首页 > 政府信息公开 > 年报\n{box}", stamp="", foot="")
    text = text.replace("XX市XX区民政局2022年政府信息公开工作年度报告\n\n", "", 1) if "名" in box else text
    meta = xxgk.parse_text(text).meta
    assert (meta.agency, meta.year, meta.published) == ("XX市XX区民政局", 2022, "2024-01-14")
    assert meta.title == "XX市XX区民政局2022年政府信息公开工作年度报告"


@pytest.mark.parametrize("stamp", ["统　计　时　间：2023-01-05", "办 理 时 间：2023-01-05", "生　成　日　期：2023-01-05"])
def test_a_padded_label_of_another_date(stamp: str) -> None:
    """A date under another stamp's label is not the publication, however its label is spaced."""
    assert _meta(stamp=f"{stamp}\n发 布 时 间：2023-01-19").published == "2023-01-19"
    assert _meta(stamp=stamp).published is None


@pytest.mark.parametrize(
    "head",
    [
        # A narrow page printed to PDF: the title wraps, each half with the sidebar's text beside it.
        "主办单位：XX市人民政府\nXX市XX区民政局2022年 网站标识码：3202130001\n政府信息公开工作年度报告 相关链接：政府信息公开指南",
        # The sidebar's wrapped lines read between the title's halves (ICP备案号, 公安机关备案号 broken).
        "首页\nXX市XX区民政局2022年 备案号：粤 备 号 公\nICP ICP 86972154 安\n机关备案号：40808626682729\n"
        "政府信息公开工作年度报告",
    ],
)
def test_a_title_wrapped_beside_a_sidebar(head: str) -> None:
    """The sidebar's text beside a title's line, and its lines between the halves, are not the title: the body's
    name was lost (null) or the title read ``…2022年网站标识码：3202130001政府信息公开…``."""
    text = _REPORT.format(head=head, stamp="发布时间：2023-01-19", foot="").replace(
        "XX市XX区民政局2022年政府信息公开工作年度报告\n", "", 1)
    meta = xxgk.parse_text(text).meta
    assert (meta.title, meta.agency, meta.year) == ("XX市XX区民政局2022年政府信息公开工作年度报告", "XX市XX区民政局", 2022)


@pytest.mark.parametrize(
    ("printed", "signature", "agency", "severity"),
    [
        ("甘肃省庆阳市西峰区民政府", "甘肃省庆阳市西峰区人民政府", "甘肃省庆阳市西峰区人民政府", "info"),  # 人 dropped
        ("浙江\ufffd温州市鹿城区五马街道办事处", "浙江省温州市鹿城区五马街道办事处", "浙江省温州市鹿城区五马街道办事处", "info"),
        ("青海省海东市乐都?统计局", "青海省海东市乐都区统计局", "青海省海东市乐都区统计局", "info"),  # a GBK page
        ("浙江\ufffd温州市鹿城区五马街道办事处", "", "浙江\ufffd温州市鹿城区五马街道办事处", "warning"),  # nothing to restore
        ("西峰区人民政府", "甘肃省庆阳市西峰区人民政府", "西峰区人民政府", None),  # shorter, not damaged
        ("庆阳市西峰区财政局", "庆阳市西峰区人民政府", "庆阳市西峰区财政局", None),  # another body signs: not a drop
    ],
)
def test_a_name_damaged_in_the_crawl(printed: str, signature: str, agency: str, severity: str | None) -> None:
    """The title's name lost a character (a mark, or dropped): the intact one of the signature is taken, said so;
    a name with a mark and nothing to restore it from is kept with a warning, never silently."""
    text = _REPORT.format(head="首页", stamp="发布日期：2023-01-19", foot="").replace(
        "XX市XX区民政局2022年政府", f"{printed}2022年政府", 1).replace("XX市XX区民政局\n2023年1月16日", f"{signature}\n2023年1月16日")
    report = xxgk.parse_text(text)
    assert report.meta.agency == agency
    assert [f.severity for f in report.findings if f.rule == "PARSE-AGENCY-DAMAGED"] == ([severity] if severity else [])


@pytest.mark.parametrize(
    ("printed", "signed", "note"),
    [
        ("2023130日", "2023-01-30", "读作2023-01-30"),  # 2023年13月0日 is no date: one reading
        ("20230130日", "2023-01-30", "读作2023-01-30"),  # 2023年0月130日 is no date
        ("2023121日", None, "可读作2023-01-21或2023-12-01"),  # two readings in the window: null
        ("20221228日", "2022-12-28", "读作2022-12-28"),  # the covered year's last days
        ("2022128日", None, None),  # 2022-01-28 or 2022-12-08: both before the year's last days
        ("2024130日", None, None),  # no reading when a 2022 report is signed
    ],
)
def test_a_signing_date_that_lost_its_year_and_month(printed: str, signed: str | None, note: str | None) -> None:
    """``2023130日`` as the only stamp: taken only when one reading is a valid date when the report is signed."""
    text = _REPORT.format(head="首页", stamp="", foot="").replace("2023年1月16日", printed)
    report = xxgk.parse_text(text)
    assert report.meta.signed == signed
    notes = [f.message for f in report.findings if f.rule == "PARSE-DATE-LOST"]
    assert [note is not None and note in m for m in notes] == ([True] if note else [])


@pytest.mark.parametrize("label", ["附件：", "附件:", "附件\u3000", "附：", "附件一：", "附件1："])
def test_the_attachment_label_of_a_notice_is_not_part_of_the_name(label: str) -> None:
    """A report published as the attachment of a 红头 notice: ``附件：某局…报告`` (it was ``附件:某局``, silently)."""
    notice = "XX市XX区民政局关于公布2022年政府信息公开工作年度报告的通知\n各科室：\n现将年度报告予以公布。\n\n"
    text = _REPORT.format(head="", stamp="", foot="").replace(
        "XX市XX区民政局2022年政府信息公开工作年度报告", notice + label + "XX市XX区民政局2022年政府信息公开工作年度报告", 1)
    meta = xxgk.parse_text(text).meta
    assert (meta.agency, meta.year) == ("XX市XX区民政局", 2022)


@pytest.mark.parametrize(
    ("printed", "agency", "scope"),
    [
        ("淮安市洪泽区人民政府（含区政府各部门）", "淮安市洪泽区人民政府", "（含区政府各部门）"),
        ("淮安市洪泽区人民政府(本级)", "淮安市洪泽区人民政府", "（本级）"),
        ("淮安市洪泽区财政局（本级及所属单位）", "淮安市洪泽区财政局", "（本级及所属单位）"),
        ("淮安市洪泽区教育局（包括局属学校等事业单位）", "淮安市洪泽区教育局", "（包括局属学校等事业单位）"),
        ("淮安市洪泽区水利局（局机关）", "淮安市洪泽区水利局", "（局机关）"),
        ("淮安市洪泽区民政局（直属各单位）", "淮安市洪泽区民政局", "（直属各单位）"),
        # A body's other name in brackets names it: a 挂牌 name, a joint office, a committee's office.
        ("淮安市洪泽区自然资源和规划局（淮安市洪泽区林业局）", "淮安市洪泽区自然资源和规划局（淮安市洪泽区林业局）", None),
        ("中共淮安市洪泽区委办公室（淮安市洪泽区人民政府办公室）", "中共淮安市洪泽区委办公室（淮安市洪泽区人民政府办公室）", None),
        ("淮安市洪泽区机关事务管理局（区直属机关工委）", "淮安市洪泽区机关事务管理局（区直属机关工委）", None),
    ],
)
def test_a_bracket_stating_the_report_s_scope_is_no_part_of_the_name(printed: str, agency: str, scope: str | None) -> None:
    """A PDF's title, the body's name above the year, with what the report covers in brackets after the name: the name
    is the body's (it was ``淮安市洪泽区人民政府（含区政府各部门）``), the scope said in a note; a name in brackets stays."""
    text = CORPUS_DEV_003.read_text(encoding="utf-8").replace("淮安市洪泽区人民政府\n2024 年", f"{printed}\n2024 年", 1)
    report = xxgk.parse_text(text)
    assert (report.meta.agency, report.meta.year) == (agency, 2024)
    assert report.meta.title is not None and report.meta.title.startswith(printed.replace("(", "（").replace(")", "）")[:10])
    notes = [f for f in report.findings if f.rule == "PARSE-AGENCY-SCOPE"]
    assert [(f.severity, f.where) for f in notes] == ([("info", "meta.agency")] if scope else [])
    if scope:
        assert f"“{scope}”" in notes[0].message and f"机关名称取“{agency}”" in notes[0].message


def test_a_scope_after_the_report_s_name_is_said() -> None:
    """``…年度报告（含区政府各部门）``: the name before the year is the body's as before; the scope is said."""
    text = CORPUS_DEV_003.read_text(encoding="utf-8").replace(
        "2024 年政府信息公开工作年度报告\n", "2024 年政府信息公开工作年度报告（含区政府各部门）\n", 1)
    report = xxgk.parse_text(text)
    assert report.meta.agency == "淮安市洪泽区人民政府"
    (note,) = [f.message for f in report.findings if f.rule == "PARSE-AGENCY-SCOPE"]
    assert "“（含区政府各部门）”" in note
