"""Free-form reports of the 2007 条例 (years 2008–2018), generated (a generator for the tests).

Real legacy reports (dev d101, d102, d111, d112, dev 012) follow 第三十二条's six items in
their own words, often with a 咨询 or 收费及减免 part, numbered 一、 to 九、 (some 第一部分, （一）
or 1、), with or without a title, sometimes in traditional script, often only an excerpt. Their prose states figures
(主动公开政府信息N条, 收到申请N件, 收取费用N元, 行政复议N件) and may name 规范性文件, 行政许可 or
行政处罚 beside numbers, which must never be read as the statutory tables of 2019+ reports.

The wordings below are the ones real reports print (written out here, not taken from the
project's declaration, so that the test measures the declaration).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Each part: its heading wordings as printed, and a paragraph (with {year} and the figures).
HEADINGS: dict[str, tuple[str, ...]] = {
    "overview": ("概述", "总体情况", "基本情况", "政府信息公开工作概述"),
    "active": ("主动公开政府信息情况", "主动公开政府信息的情况", "政府信息公开情况", "主动公开情况"),
    "requests": ("依申请公开政府信息情况", "政府信息依申请公开办理情况", "依申请公开政府信息和不予公开政府信息的情况",
                 "行政机关依申请公开政府信息和不予公开政府信息的情况", "依申请公开情况"),
    "consultations": ("咨询处理情况", "政府信息公开咨询情况", "咨询情况"),
    "fees": ("政府信息公开的收费及减免情况", "收费及减免情况", "依申请信息公开收费情况", "政府信息公开收费情况"),
    "review_litigation": ("因政府信息公开申请行政复议、提起行政诉讼的情况", "复议、诉讼和申诉情况",
                          "因政府信息公开申请行政复议和提起行政诉讼的情况"),
    "problems": ("政府信息公开工作存在的主要问题及改进情况", "存在的主要问题和改进措施", "存在的问题和改进措施"),
    "other": ("其他需要报告的事项", "需要说明的事项"),
}
ORDER = ("overview", "active", "requests", "consultations", "fees", "review_litigation", "problems", "other")
NUMERALS = "一二三四五六七八九十"
# How a report numbers its parts (``{cn}``/``{n}``: the numeral, ``{sep}``: what follows it). Most number them
# 一、; others 第一部分, （一） or 1、 (never mixed with 一、 for the parts themselves).
STYLES: dict[str, str] = {"chinese": "{cn}{sep}", "part": "第{cn}部分{sep}", "bracketed": "（{cn}）",
                          "arabic": "{n}{sep}"}

PARAGRAPHS: dict[str, str] = {
    "overview": ("{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，建立健全工作机制，"
                 "全年制发规范性文件{norm}件，办理行政许可事项{licensing}件、行政处罚案件{punishment}件。"),
    "active": ("{year}年，本机关通过门户网站主动公开政府信息{items}条，其中工作动态{dyn}条，规范性文件{norm}件，"
               "行政许可{licensing}件，行政处罚{punishment}件，行政强制0件，行政事业性收费项目3项。"),
    "requests": "{year}年，本机关共收到政府信息公开申请{received}件，均已按时答复。",
    "consultations": "全年受理政府信息公开咨询{consult}人次。",
    "fees": "{year}年，本机关未收取任何政府信息公开费用，也没有减免情况。",
    "review_litigation": "{year}年，本机关未发生因政府信息公开申请行政复议、提起行政诉讼的情况。",
    "problems": "本机关政府信息公开工作仍存在公开内容不够全面等问题，下一步将加强培训、完善制度。",
    "other": "本机关无其他需要报告的事项。",
}
PREAMBLE = ("本报告根据《中华人民共和国政府信息公开条例》要求编制。全文包括概述、主动公开政府信息情况、"
            "依申请公开政府信息和不予公开政府信息情况、政府信息公开的收费及减免情况、"
            "因政府信息公开申请行政复议、提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进情况。"
            "本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")


@dataclass(frozen=True)
class LegacyReport:
    """One legacy report to print: which parts, in which words, how much of it."""

    year: int
    agency: str = "江川市民政局"
    titled: bool = True
    preamble: bool = True
    parts: tuple[str, ...] = ORDER
    wording: dict[str, int] = field(default_factory=dict)  # part → index into HEADINGS
    numbering: str = "、"  # what follows the numeral: "、", "." or " "
    style: str = "chinese"  # a key of STYLES
    cut: int | None = None  # an excerpt: the first ``cut`` characters only
    figures: dict[str, int] = field(default_factory=lambda: {
        "items": 146, "dyn": 85, "norm": 22, "licensing": 716, "punishment": 9, "received": 3, "consult": 57})

    def text(self) -> str:
        lines: list[str] = []
        if self.titled:
            lines += [f"{self.agency}{self.year}年政府信息公开工作年度报告", f"发布日期：{self.year + 1}-03-20", ""]
        if self.preamble:
            lines.append(PREAMBLE.format(year=self.year))
        for n, part in enumerate(self.parts):
            heading = HEADINGS[part][self.wording.get(part, 0) % len(HEADINGS[part])]
            number = STYLES[self.style].format(cn=NUMERALS[n], n=n + 1, sep=self.numbering)
            lines.append(f"{number}{heading}")
            lines.append(PARAGRAPHS[part].format(year=self.year, **self.figures))
        text = "\n".join(lines) + "\n"
        return text[: self.cut] if self.cut else text
