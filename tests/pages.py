"""What pages print around a report, in every form met on real sites (a generator for the tests).

A :class:`layouts.Page` is the lines above the report (its title, the page's stamps), the
opening sentence of 一、总体情况 and the lines below it (a signature, a print footer). Each
form below comes from real reports (dev d101-d112, the seeds): a title as a Markdown heading,
broken over two lines, behind page furniture, with no year or no title at all; a publication
date under a dozen labels with spaces inside; stamps that are not the publication (a crawler's,
a browser's print header, 成文日期, the signing date); the year stated only in the text, next to
years that are not the report's (a policy's name, a document number, a plan for next year).

Every form is a function of the body's name, the year covered and the publication date, and
knows what the parser must read from it (``Expect``). No pytest in here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from layouts import Page

# Names as titles print them: full names, a township, a street office, an abbreviation.
AGENCIES = ("江川市自然资源局", "上海市科委", "江川市人民政府办公室", "桂花坪街道", "大五里镇")
SITE = "江川市人民政府"
REPORT = "政府信息公开工作年度报告"


@dataclass(frozen=True, slots=True)
class Expect:
    """What the parser must read. ``agency``/``year`` None: must be None (and say why)."""

    agency: str | None
    year: int | None
    published: str | None


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    page: Callable[[str, int, str], Page]  # (agency, year, published ISO date) → the page
    expect: Callable[[str, int, str], Expect]


# Menus of a county site as a page's text gives them: one short item a line, 20 menus of 10.
_MENUS = tuple(f"{menu}{item}" for menu in ("政务公开", "政策文件", "新闻中心", "办事服务", "互动交流", "走进江川",
                                            "专题专栏", "数据开放", "公共服务", "部门动态") * 2
               for item in ("概览", "通知公告", "工作动态", "政策解读", "规划计划", "统计信息", "人事信息",
                            "财政预决算", "重点领域", "常见问题"))


_CN = str.maketrans("0123456789", "〇一二三四五六七八九")


def _title(agency: str, year: int) -> str:
    return f"{agency}{year}年{REPORT}"


def _date(published: str) -> str:
    return f"发布日期：{published}"


def _all(agency: str, year: int, published: str) -> Expect:
    return Expect(agency, year, published)


def _titled(*lines: Callable[[str, int], str]) -> Callable[[str, int, str], Page]:
    """A page whose lines above the report are ``lines`` (of agency and year), then the date."""
    return lambda a, y, p: Page((*(f(a, y) for f in lines), _date(p)))


# ---------------------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------------------
TITLES: list[Form] = [
    Form("plain", _titled(_title), _all),
    Form("markdown_h1", _titled(lambda a, y: "# " + _title(a, y)), _all),
    Form("markdown_h2", _titled(lambda a, y: "## " + _title(a, y)), _all),
    Form("markdown_bold", _titled(lambda a, y: f"**{_title(a, y)}**"), _all),
    Form("year_du", _titled(lambda a, y: f"{a}{y}年度{REPORT}"), _all),
    Form("year_first", _titled(lambda a, y: f"{y}年{a}{REPORT}"), _all),
    Form("name_above", _titled(lambda a, y: a, lambda a, y: f"{y}年{REPORT}"), _all),
    Form("name_above_gap", lambda a, y, p: Page((a, "", f"  {y} 年{REPORT}", "", _date(p))), _all),
    Form("cut_after_year", _titled(lambda a, y: f"{a}{y}年度", lambda a, y: REPORT), _all),
    Form("cut_in_words", _titled(lambda a, y: f"{a}{y}年政府信息公开", lambda a, y: "工作年度报告"), _all),
    Form("page_label", _titled(lambda a, y: f"Page8-{_title(a, y)}"), _all),
    Form("page_label_spaced", _titled(lambda a, y: f"Page 8 - {_title(a, y)}"), _all),
    Form("page_of", _titled(lambda a, y: f"第3页 {_title(a, y)}"), _all),
    Form("site_after", _titled(lambda a, y: f"{_title(a, y)}_{SITE}"), _all),
    Form("site_after_dash", _titled(lambda a, y: f"{_title(a, y)} - {SITE}门户网站"), _all),
    Form("site_before", _titled(lambda a, y: f"{SITE}门户网站  {_title(a, y)}"), _all),
    Form("crumbs_on_line", _titled(lambda a, y: f"首页 > 政务公开 > 年度报告 > {_title(a, y)}"), _all),
    Form("location_on_line", _titled(lambda a, y: f"当前位置：首页 > 信息公开 > {_title(a, y)}"), _all),
    Form("crumbs_above", _titled(lambda a, y: f"首页 > 政务公开 > {a} > 信息公开年报", _title), _all),
    Form("menu_above", _titled(lambda a, y: "首页 政务公开 互动交流 办事服务", _title), _all),
    Form("bullet_fields_above", lambda a, y, p: Page((
        "  • 索引号:", "  • 001008003013022/2021-184383", "  • 组配分类:", "  • 信息公开年报",
        "  • 发布机构:", f"  • {a}", "  • 成文日期:", "  • 2011-01-05", "", _title(a, y), "", _title(a, y), "",
        f"发布日期: {p[:5]} {p[5:8]} {p[8:]} 08 : 32 浏览次数: 字体:[ ]")), _all),
    Form("letter_spaced", _titled(lambda a, y: " ".join(_title(a, y))), _all),
    Form("no_year", _titled(lambda a, y: f"{a}{REPORT}"), _all),
    Form("about", _titled(lambda a, y: f"{a}关于{y}年{REPORT}"), _all),
    Form("full_text", _titled(lambda a, y: f"{_title(a, y)}（全文）"), _all),
    Form("book_marks", _titled(lambda a, y: f"《{_title(a, y)}》"), _all),
    # Ministries' form: the year inside the report words.
    Form("year_in_words", _titled(lambda a, y: f"{a}政府信息公开工作{y}年度报告"), _all),
    Form("year_bracketed", _titled(lambda a, y: f"{a}{REPORT}（{y}年度）"), _all),
    Form("about_of", _titled(lambda a, y: f"{a}关于{y}年政府信息公开工作的年度报告"), _all),
    Form("annual_work_report", _titled(lambda a, y: f"{a}{y}年政府信息公开年度工作报告"), _all),
    Form("notice_of_issue", _titled(lambda a, y: f"关于印发《{_title(a, y)}》的通知"), _all),
    Form("name_in_brackets", _titled(lambda a, y: f"【{a}】{y}年{REPORT}"), _all),
    Form("year_without_nian", _titled(lambda a, y: f"{a}{y}{REPORT}"), _all),
    Form("about_situation", _titled(lambda a, y: f"{a}关于{y}年度政府信息公开工作情况的报告"), _all),
    Form("name_after_in_brackets", _titled(lambda a, y: f"{y}年度{REPORT}（{a}）"), _all),
    # A CMS's tag in front of the title: a column, not a body's name.
    Form("tag_before", _titled(lambda a, y: f"【年报】{_title(a, y)}"), _all),
    Form("tag_before_square", _titled(lambda a, y: f"[置顶]{_title(a, y)}"), _all),
    # The year's digits lost in the crawl (``某局年政府信息公开…``): the name without the ``年`` left behind.
    Form("year_digits_lost", _titled(lambda a, y: f"{a}年{REPORT}"), _all),
    Form("year_in_chinese_numerals", _titled(lambda a, y: f"{a}{str(y).translate(_CN)}年{REPORT}"), _all),
    Form("words_letter_spaced", _titled(lambda a, y: f"{a}{y} " + " ".join(f"年{REPORT}")), _all),
    # The breadcrumb's last item is its column, with no name: the line above is not a title's half.
    Form("crumbs_to_column_above", _titled(lambda a, y: "无障碍 关怀版", lambda a, y: "您当前的位置: 首页>政务公开 > 政府信息公开年报",
                                           lambda a, y: f"{a}{REPORT}（{y}年度）"), _all),
    # A site's drop-down menus and link lists above the report: the title is hundreds of lines down the page.
    Form("below_long_menus", lambda a, y, p: Page((*_MENUS, _title(a, y), _date(p))), _all),
    # No title: the body's name is nowhere but the signature; the year is in the text.
    Form("no_title", lambda a, y, p: Page((_date(p),)), lambda a, y, p: Expect(None, y, p)),
    Form("stamp_after_title", lambda a, y, p: Page((f"{_title(a, y)}发布时间：{p} 来源：本站",)), _all),
    # A related notice listed above the title (a site's links): it names its issuer, not the body.
    Form("notice_link_above", _titled(lambda a, y: f"{SITE}办公室关于做好{y}年政府信息公开工作年度报告编制发布工作的通知",
                                      _title), _all),
    # No title, and the opening cites the superior's notice about the reports: its issuer is not the body.
    Form("no_title_cites_notice", lambda a, y, p: Page((_date(p),), overview=(
        f"根据《{SITE}办公室关于做好{y}年政府信息公开工作年度报告编制发布工作的通知》要求，编制本报告。{y}年，本机关扎实推进政务公开。")),
        lambda a, y, p: Expect(None, y, p)),
    Form("no_title_signed", lambda a, y, p: Page((_date(p),), below=(a, f"{y + 1}年1月10日")),
         lambda a, y, p: Expect(a, y, p)),
    # A page's 信息索引 table as a crawl prints it: the title field as a row of cells, or under another label.
    Form("field_row", _titled(lambda a, y: f"| 标题： | {y}年{a}{REPORT} | | |"), _all),
    Form("field_row_no_colon", _titled(lambda a, y: f"| 名称 | {_title(a, y)} |"), _all),
    Form("field_file_name", _titled(lambda a, y: f"文件名称：{y}年{a}{REPORT}"), _all),
    # The title whole at the head of the page and again above the report, there with the name's first
    # characters wrapped onto the line before (a crawler's fixed-width lines, dev 012).
    Form("name_cut_above_report", lambda a, y, p: Page((_title(a, y), _date(p), *_MENUS,
                                                        f"本地目录: zwgk/zfxxgknb/80485_{a[:1]}", f"{a[1:]}{y}年{REPORT}")),
         _all),
]


# ---------------------------------------------------------------------------------------
# Publication dates: labels and ways of writing the date (year, month, day of ``published``)
# ---------------------------------------------------------------------------------------
def _ymd(p: str) -> tuple[str, str, str]:
    y, m, d = p.split("-")
    return y, m, d


DATE_FORMS: dict[str, Callable[[str], str]] = {
    "发布日期": lambda p: f"发布日期：{p}",
    "发布日期_spaced_time": lambda p: "发布日期: {}- {}- {} 08 : 32 浏览次数: 字体:[ ]".format(*_ymd(p)),
    "发布时间_cn": lambda p: "发布时间：{}年{}月{}日 15:52".format(*_ymd(p)),
    "发布时间_seconds": lambda p: f"发布时间:{p} 18:20:44",
    "发布时间_colon_spaced": lambda p: f"发布时间 : {p} 来源:桂花坪街道 字体大小:",
    "公开日期_slash": lambda p: "公开日期：{}/{}/{}".format(*(str(int(x)) for x in _ymd(p))),
    "日期_dots": lambda p: "日期：{}.{}.{}".format(*_ymd(p)),
    "时间": lambda p: f"时间：{p}",
    "发文日期": lambda p: f"发文日期：{p}",
    "来源_日期": lambda p: f"来源：{SITE}办公室    日期：{p}",
    "信息来源_发布时间": lambda p: f"信息来源：{SITE}  发布时间：{p} 10:20",
    "label_letter_spaced": lambda p: f"发 布 日 期：{p}",
    "bracketed": lambda p: f"【发布时间：{p}】",
    "label_bracketed": lambda p: f"【发布时间】{p}",
    "source_then_date": lambda p: f"来源：{SITE}办公室 {p}  浏览次数：12",
    "bare_with_source": lambda p: f"{p} 10:20 来源：{SITE}",
    "bare_alone": lambda p: p,
    "label_above_bullets": lambda p: f"  • 发布日期:\n  • {p}",
    # An info box crawled as label and value lines, or read from a <table> (a cell separator between them).
    "label_value_lines": lambda p: f"索引号\n0143-2023-00012\n发布日期\n{p}",
    "table_cells": lambda p: f"发布机构 | 江川市自然资源局 | 发布日期 | {p} |",
    "table_cells_colons": lambda p: f"| 发布机构： | 江川市自然资源局 | 发布日期： | {p} |",
    "weekday_source": lambda p: "{}年{}月{}日 星期三  来源：江川市自然资源局  【字体：大 中 小】".format(*_ymd(p)),
    "bare_bar_source": lambda p: f"{p} 16:35:12 | 来源：{SITE}",
    "no_padding": lambda p: "发布时间：{}-{}-{}".format(*(str(int(x)) for x in _ymd(p))),
}

# Stamps on the page that are not its publication date (``y``: the year published).
STAMPS: dict[str, Callable[[int], list[str]]] = {
    "采集时间": lambda y: [f"采集时间：{y + 2}-05-06 12:00:00"],
    "抓取时间": lambda y: [f"抓取时间: {y + 2}-05-06"],
    "print_header": lambda y: [f"{y + 2}/5/6 14:30", f"江川市自然资源局{y - 1}年{REPORT}"],
    "print_header_one_line": lambda y: [f"{y + 2}/5/6 下午2:30    {REPORT}"],
    "成文日期": lambda y: [f"成文日期：{y}-01-05"],
    "成文日期_bullets": lambda y: ["  • 成文日期:", f"  • {y}-01-05"],
    "成文日期_lines": lambda y: ["成文日期", f"{y}-01-05"],
    "生成日期_cells": lambda y: [f"| 索引号 | 0143-{y}-00012 | 生成日期 | {y}-01-05 |"],
    "today_weekday": lambda y: [f"{y + 1}年5月8日 星期三"],  # a site's header printing today's date
    "印发日期": lambda y: [f"印发日期：{y}-01-05"],
    "打印时间": lambda y: [f"打印时间：{y + 2}-05-06"],
}
# Below the report: a print footer, a signature.
FOOTERS: dict[str, Callable[[int], list[str]]] = {
    "print_footer": lambda y: ["https://www.jiangchuan.gov.cn/art/2023/1/18/art_1.html", "1/3"],
    "signature": lambda y: ["江川市自然资源局", f"{y}年1月10日"],
}


# ---------------------------------------------------------------------------------------
# The year stated in the text only (no title): the opening of 一、总体情况
# ---------------------------------------------------------------------------------------
# (name, overview text with {year} and {other}, a year not the report's; whether the year can be known)
YEAR_STATEMENTS: list[tuple[str, str, bool]] = [
    ("opening_comma", "{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开工作。", True),
    ("opening_no_comma", "{year}年我局政府信息公开工作在深化公开内容等方面取得了新的进展。", True),
    ("opening_du", "{year}年度，按照区委、区政府的要求，本单位高度重视政务公开工作。", True),
    ("period", "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本机关扎实推进政务公开工作。", True),
    ("period_short_end", "数据统计期限为{year}年1月1日至12月31日止。本机关扎实推进政务公开工作。", True),
    ("report_named", "现特向社会公布{year}年度我街道信息公开工作年度报告。本机关扎实推进政务公开工作。", True),
    ("mid_paragraph", "本局高度重视政府信息公开工作。{year}年，本局共主动公开政府信息227条。", True),
    # Years that are not the report's: a policy's name, a document number, a plan, a date.
    ("policy_year", "根据《江川市{other}年政务公开工作要点》（江政办发〔{other}〕3号）要求，本机关扎实推进政务公开工作。",
     False),
    ("plan_only", "{other}年，本机关将进一步加强政务公开工作。", False),
    ("date_only", "本机关于{other}年1月10日召开政务公开工作会议。", False),
    ("comparison_caption", "本机关扎实推进政务公开工作。\n附：{other}年度政府信息公开情况统计表（供对比）", False),
    ("opening_and_comparison_caption",
     "{year}年，本机关扎实推进政务公开工作。\n附：{other}年度收到和处理政府信息公开申请情况（供对比）", True),
    ("policy_and_opening",
     "{year}年，根据《江川市{other}年政务公开工作要点》（江政办发〔{other}〕3号），本机关扎实推进政务公开工作。{other}年，本机关将继续努力。",
     True),
]
