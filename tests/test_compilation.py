"""A document holding several annual reports (a 汇编, a page of a government's and its departments' reports):
the first report is read from its own text only, and a finding names the others; single reports are not cut."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

import xxgk
from xxgk.model import Report

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
EXAMPLES = Path(__file__).parent.parent / "examples"


def _text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return data


def _tables(report: Report) -> dict[str, Any]:
    """The tables as the JSON contract writes them (absent ones as None)."""
    return {tid: (None if t is None else json.loads(json.dumps(t, default=lambda m: m.model_dump())))
            for tid, t in report.tables.items()}


def _agrees(report: Report, name: str) -> None:
    """Every cell the corpus answer of ``name`` gives (a stub's answer gives the rows it prints) is read so."""
    got = _tables(report)
    for tid, rows in _expected(name)["tables"].items():
        if rows is None:
            assert got[tid] is None, tid
            continue
        for row, cells in rows.items():
            assert got[tid] is not None and got[tid][row] == cells, (tid, row)


def _compilation(report: Report) -> list[str]:
    return [f.message for f in report.findings if f.rule == "PARSE-COMPILATION"]


def _paged(text: str, header: str, every: int = 40) -> str:
    """PDF text: a page number and the running header every ``every`` lines."""
    lines = text.split("\n")
    out: list[str] = []
    for k in range(0, len(lines), every):
        out += [*lines[k:k + every], f"— {k // every + 1} —", "", header]
    return "\n".join(out)


def _title(name: str) -> str:
    """The report's title as its text prints it (one line)."""
    return next(line.strip() for line in _text(name).split("\n") if ("年度报告" in line or "年度報告" in line) and len(line.strip()) < 60)


def test_a_city_compilation_with_contents_and_page_headers() -> None:
    """汇编 title, 目录 with page numbers, three reports, the compilation's title as every page's header."""
    names = ["dev_031", "dev_003", "dev_d105"]
    head = "淮安市2023年度政府信息公开工作年度报告汇编"
    contents = [f"{_title(n)}{'…' * 10}{3 + 9 * i}" for i, n in enumerate(names)]
    text = "\n".join([head, "", "目  录", *contents, ""]) + "\n" + "\n\n".join(_paged(_text(n), head) for n in names)
    report = xxgk.parse_text(text)
    alone = xxgk.parse_text(_paged(_text("dev_031"), head))  # the first report alone, paged the same way
    assert report.meta.agency == "麻阳苗族自治县板栗树乡人民政府" == alone.meta.agency
    assert report.meta.year == 2022
    assert _tables(report) == _tables(alone)
    _agrees(report, "dev_031")
    (message,) = _compilation(report)
    assert "3份" in message and "《淮安市洪泽区人民政府2024年" in message and "石家庄市桥西区中山街道办事处" in message
    assert [f.where for f in report.findings if f.rule == "PARSE-COMPILATION"] == ["source"]


def test_the_issue_s_own_example_two_reports_under_a_compilation_title() -> None:
    """洪泽区 2023 then 淮安市 2024 under 淮安市…汇编: 淮安市 (the compilation's) was the agency, 表三/表四 mixed."""
    hongze = (EXAMPLES / "hongze_2023.txt").read_text(encoding="utf-8")
    huaian = (EXAMPLES / "huaian_2024.txt").read_text(encoding="utf-8")
    report = xxgk.parse_text(f"淮安市2023年度政府信息公开工作年度报告汇编\n\n{hongze}\n{huaian}")
    alone = xxgk.parse_text(hongze)
    assert (report.meta.agency, report.meta.year) == ("洪泽区人民政府", 2023)
    assert _tables(report) == _tables(alone)
    assert {f.rule for f in report.findings} - {f.rule for f in alone.findings} == {"PARSE-COMPILATION"}
    assert "《淮安市人民政府2024年政府信息公开工作年度报告》" in _compilation(report)[0]


def test_reports_pasted_one_after_another() -> None:
    """A county page with its townships' reports pasted back to back, no contents."""
    report = xxgk.parse_text(_text("dev_003") + "\n\n" + _text("dev_031") + "\n\n" + _text("dev_d105"))
    assert report.meta.agency == "淮安市洪泽区人民政府"
    assert _tables(report) == _tables(xxgk.parse_text(_text("dev_003")))
    assert "3份" in _compilation(report)[0]


def _legacy(body: str, year: int, parts: list[str]) -> str:
    """A free-form report of the 2007 条例, its parts numbered 一、 on."""
    lines = [f"{body}{year}年政府信息公开工作年度报告",
             f"根据《中华人民共和国政府信息公开条例》要求，现公布{body}{year}年度政府信息公开工作年度报告。"]
    for k, part in enumerate(parts):
        lines += [f"{'一二三四五六'[k]}、{part}", f"{year}年，本机关{part}良好，全年公开信息{k + 12}条，未收取费用。"]
    return "\n".join([*lines, body, f"{year + 1}年3月1日"])


def test_legacy_reports_in_a_compilation() -> None:
    """Reports of the 2007 条例: one opens with 概述, the next with 一、主动公开… (no overview at all)."""
    text = "\n\n".join([
        _legacy("梧州市商务局", 2012, ["概述", "主动公开政府信息情况", "依申请公开政府信息情况", "存在的主要问题和改进措施"]),
        _legacy("梧州市统计局", 2012, ["主动公开政府信息情况", "依申请公开政府信息情况", "政府信息公开的收费及减免情况"]),
        _legacy("梧州市审计局", 2012, ["主动公开政府信息情况", "咨询处理情况", "存在的主要问题和改进措施"])])
    report = xxgk.parse_text(text)
    assert (report.meta.agency, report.meta.year, report.meta.template) == ("梧州市商务局", 2012, "legacy")
    assert report.sections["problems"].present and "梧州市统计局" not in (report.sections["problems"].text or "")
    (message,) = _compilation(report)
    assert "3份" in message and "梧州市审计局" in message


def _cms_page() -> bytes:
    """A CMS page titled …汇编 carrying two departments' reports under one 发布时间."""
    rows = "".join(f"<tr><td>{label}</td><td>{n}</td><td>0</td><td>{n}</td></tr>"
                   for label, n in (("规章", 1), ("行政规范性文件", 2)))

    def article(body: str, n: int) -> str:
        return (f'<p style="text-align:center"><b>{body}2023年政府信息公开工作年度报告</b></p>'
                f"<p>一、总体情况</p><p>2023年，{body}全面推进政务公开，主动公开信息{n}条。</p>"
                f"<p>二、主动公开政府信息情况</p><table><tr><td>信息内容</td><td>本年制发件数</td>"
                f"<td>本年废止件数</td><td>现行有效件数</td></tr>{rows.replace('>1<', f'>{n}<')}</table>"
                "<p>三、收到和处理政府信息公开申请情况</p><p>本年度未收到申请。</p>"
                "<p>五、存在的主要问题及改进情况</p><p>公开质量有待提高。</p><p>六、其他需要报告的事项</p><p>无。</p>")

    page = ("<html><head><title>宿迁市2023年度政府信息公开工作年度报告汇编_宿迁市人民政府</title></head><body>"
            "<div>首页 &gt; 政务公开 &gt; 年报</div><h1>宿迁市2023年度政府信息公开工作年度报告汇编</h1>"
            "<div>发布时间：2024-01-25 10:00 来源：宿迁市人民政府办公室</div>"
            + article("宿迁市财政局", 7) + article("宿迁市教育局", 9) + "</body></html>")
    return page.encode()


def test_a_page_with_a_compilation_title_keeps_its_stamp() -> None:
    """A CMS page titled …汇编: the page's date is every report's; the <title> naming the compilation is no report's."""
    report = xxgk.parse(_cms_page(), "page.html")
    assert (report.meta.agency, report.meta.year, report.meta.published) == ("宿迁市财政局", 2023, "2024-01-25")
    assert report.tables["active"] is not None
    assert report.tables["active"]["regulations"]["issued"] == 7
    assert "《宿迁市教育局2023年政府信息公开工作年度报告》" in _compilation(report)[0]
    assert "xxgk parse --all" in _compilation(report)[0]


# --- every report of a compilation (xxgk.parse_all, xxgk parse --all) ---------------------------------------


def _parts(report: Report) -> list[str]:
    return [f.message for f in report.findings if f.rule == "PARSE-COMPILATION-PART"]


def _city_compilation(names: list[str]) -> tuple[str, str]:
    """A 汇编: its title, a contents page with page numbers, the reports paged under the title as header."""
    head = "淮安市2023年度政府信息公开工作年度报告汇编"
    contents = [f"{_title(n)}{'…' * 10}{3 + 9 * i}" for i, n in enumerate(names)]
    return head, "\n".join([head, "", "目  录", *contents, ""]) + "\n" + "\n\n".join(_paged(_text(n), head) for n in names)


def test_every_report_of_a_compilation_is_read_on_its_own() -> None:
    """Each report of a city's 汇编 reads as it does alone (same tables, agency, year, dates, findings), in order."""
    names = ["dev_031", "dev_003", "dev_d105"]
    head, text = _city_compilation(names)
    reports = xxgk.parse_document_all(_document(text))
    assert len(reports) == 3
    for k, (report, name) in enumerate(zip(reports, names, strict=True)):
        alone = xxgk.parse_text(_paged(_text(name), head))
        assert _tables(report) == _tables(alone), name
        assert report.meta.model_dump(exclude={"preamble"}) == alone.meta.model_dump(exclude={"preamble"}), name
        _agrees(report, name)
        assert {(f.rule, f.where) for f in report.findings} - {(f.rule, f.where) for f in alone.findings} \
            == {("PARSE-COMPILATION-PART", "source")}, name
        (part,) = _parts(report)
        assert "3份" in part and f"第{k + 1}份《" in part and not _compilation(report)
    assert [r.meta.agency for r in reports] == ["麻阳苗族自治县板栗树乡人民政府", "淮安市洪泽区人民政府",
                                                "石家庄市桥西区中山街道办事处"]


def test_every_report_of_a_page_shares_its_stamp_but_not_its_title() -> None:
    """The page's 发布时间 stands for each report that prints none (and says so); its <title> (the compilation's)
    names none of them."""
    first, second = xxgk.parse_all(_cms_page(), "page.html")
    assert (second.meta.agency, second.meta.year, second.meta.published) == ("宿迁市教育局", 2023, "2024-01-25")
    assert _rules(second, "meta.published") == ["PARSE-PUBLISHED-COMPILATION"]
    assert "2024-01-25" in next(f.message for f in second.findings if f.rule == "PARSE-PUBLISHED-COMPILATION")
    assert second.meta.title == "宿迁市教育局2023年政府信息公开工作年度报告"
    assert second.tables["active"] is not None and second.tables["active"]["regulations"]["issued"] == 9
    assert first.tables["active"] is not None and first.tables["active"]["regulations"]["issued"] == 7


def _rules(report: Report, where: str) -> list[str]:
    return [f.rule for f in report.findings if f.where == where]


def _dates(reports: list[Report]) -> list[tuple[str | None, int | None, str | None, str | None]]:
    return [(r.meta.agency, r.meta.year, r.meta.published, r.meta.signed) for r in reports]


def test_a_notice_s_signing_date_is_no_report_s_publication() -> None:
    """A notice publishing its attachments, signed 2025年3月20日: no report is published that day. One prints its own
    发布时间 (taken), the others none (null, TIME-NO-DATE): 2021 and 2022 reports were TIME-LATE by the notice's date."""
    names = ["dev_003", "dev_d105", "dev_031"]
    notice = ["关于公布淮安市各部门2024年度政府信息公开工作年度报告的通知", "各县（区）人民政府，市各委办局：",
              "    现将淮安市各部门2024年度政府信息公开工作年度报告予以公布，请各单位认真对照检查。",
              "附件：" + "；".join(f"{i + 1}.{_title(n)}" for i, n in enumerate(names)), "淮安市人民政府办公室", "2025年3月20日", ""]
    text = "\n".join(notice) + "\n" + "\n\n".join(f"附件{i + 1}\n{_text(n)}" for i, n in enumerate(names))
    reports = xxgk.parse_document_all(_document(text))
    assert _dates(reports) == [("淮安市洪泽区人民政府", 2024, None, None), ("石家庄市桥西区中山街道办事处", 2021, "2022-01-30", None),
                               ("麻阳苗族自治县板栗树乡人民政府", 2022, None, None)]
    assert [_rules(r, "meta.published") for r in reports] == [["TIME-NO-DATE"], [], ["TIME-NO-DATE"]]
    assert xxgk.parse_text(text).meta.published is None  # the first report read alone (xxgk parse)


def test_a_report_s_stamp_printed_above_its_title_is_its_own() -> None:
    """Crawled pages pasted one after another, each page's 标题/发布时间 block above its text: the block falls after the
    report above, and is the next report's, not the one above's."""
    reports = xxgk.parse_document_all(_document(_text("dev_003") + "\n\n\n" + _text("dev_010")))
    assert _dates(reports) == [("淮安市洪泽区人民政府", 2024, None, None), ("平潭综合实验区", 2023, "2024-03-08", None)]
    assert "2024-03-08" not in (reports[0].sections["other"].text or "")


def test_a_page_s_date_stands_only_for_the_year_it_publishes() -> None:
    """A page of 2023 reports under one 发布时间 that also carries a 2021 report, and one report printing its own
    date: the page's date is the 2023 reports' only, a report's own date is its own."""
    page = _cms_page().decode()
    old = ('<p style="text-align:center"><b>宿迁市民政局2021年政府信息公开工作年度报告</b></p>'
           "<p>一、总体情况</p><p>2021年，宿迁市民政局全面推进政务公开。</p><p>二、主动公开政府信息情况</p><p>略。</p>"
           "<p>三、收到和处理政府信息公开申请情况</p><p>本年度未收到申请。</p>")
    own = ('<p style="text-align:center"><b>宿迁市商务局2023年政府信息公开工作年度报告</b></p><p>发布日期：2024-01-30</p>'
           "<p>一、总体情况</p><p>2023年，宿迁市商务局全面推进政务公开。</p><p>二、主动公开政府信息情况</p><p>略。</p>"
           "<p>三、收到和处理政府信息公开申请情况</p><p>本年度未收到申请。</p>")
    reports = xxgk.parse_all(page.replace("</body>", old + own + "</body>").encode(), "page.html")
    assert [(r.meta.agency, r.meta.year, r.meta.published) for r in reports] == [
        ("宿迁市财政局", 2023, "2024-01-25"), ("宿迁市教育局", 2023, "2024-01-25"), ("宿迁市民政局", 2021, None),
        ("宿迁市商务局", 2023, "2024-01-30")]
    assert [_rules(r, "meta.published") for r in reports] == [[], ["PARSE-PUBLISHED-COMPILATION"], ["TIME-NO-DATE"], []]


def test_a_word_compilation_after_an_issuing_notice() -> None:
    """A 汇编 in Word (tests/data/compilation): contents, then the first report under its issuing notice (signed
    2025年1月20日), then printed web pages, one with a 相关阅读 list of other years' reports in its header. Each
    report's date is its page's own (or null beside a signing date only), never the notice's; a link in the list
    is no report's title."""
    reports = xxgk.parse_all(DATA / "compilation" / "notice_then_printed_pages.docx")
    assert [(r.meta.title, r.meta.year, r.meta.published, r.meta.signed) for r in reports] == [
        ("宣城市生态环境局2024年政府信息公开工作年度报告", 2024, None, "2025-01-20"),
        ("安徽省人民政府2023年政府信息公开工作年度报告", 2023, "2024-03-11", None),
        ("江门市蓬江区人力资源和社会保障局2019年政府信息公开工作年度报告", 2019, None, "2020-01-22"),
        ("安徽省人民政府2024年政府信息公开工作年度报告", 2024, "2025-01-25", None)]
    assert not any(f.rule in ("TIME-LATE", "TIME-EARLY", "PARSE-YEAR-CONFLICT") for r in reports for f in r.findings)
    assert [r.meta.period["start"] if r.meta.period else None for r in reports] == [
        "2024-01-01", "2023-01-01", "2019-01-01", "2024-01-01"]


def test_every_legacy_report_of_a_compilation() -> None:
    """Reports of the 2007 条例 back to back: each its own agency, and its own 存在的主要问题 text."""
    text = "\n\n".join([
        _legacy("梧州市商务局", 2012, ["概述", "主动公开政府信息情况", "依申请公开政府信息情况", "存在的主要问题和改进措施"]),
        _legacy("梧州市统计局", 2012, ["主动公开政府信息情况", "依申请公开政府信息情况", "存在的主要问题和改进措施"]),
        _legacy("梧州市审计局", 2012, ["主动公开政府信息情况", "咨询处理情况", "存在的主要问题和改进措施"])])
    reports = xxgk.parse_document_all(_document(text))
    assert [(r.meta.agency, r.meta.year, r.meta.template) for r in reports] == [
        ("梧州市商务局", 2012, "legacy"), ("梧州市统计局", 2012, "legacy"), ("梧州市审计局", 2012, "legacy")]
    problems = [r.sections["problems"].text or "" for r in reports]
    assert "梧州市统计局" not in problems[0] and "梧州市审计局" not in problems[1]


def test_a_single_report_is_one_of_one() -> None:
    """parse_all on a document of one report: that report, as parse reads it, with nothing said of parts."""
    text = _single("links")
    (report,) = xxgk.parse_document_all(_document(text))
    assert report.to_dict() == xxgk.parse_text(text).to_dict()
    assert not _parts(report)


def _document(text: str) -> xxgk.Document:
    """A text as ``xxgk.parse_text`` reads it."""
    from xxgk.read.document import DocumentBuilder

    builder = DocumentBuilder()
    builder.add_text(text)
    return builder.build("text", "text", text.encode("utf-8"))


def test_a_word_compilation() -> None:
    """A 汇编 in Word: a contents page (title, tab, page), each report after a page break."""
    docx = pytest.importorskip("docx")
    out = docx.Document()
    out.add_paragraph("滁州市2022年度政府信息公开工作年度报告汇编")
    out.add_paragraph("目录")
    names = ["dev_031", "dev_003"]
    for i, n in enumerate(names):
        out.add_paragraph(f"{_title(n)}\t{2 + 8 * i}")
    for n in names:
        out.add_page_break()
        for line in _text(n).split("\n"):
            out.add_paragraph("".join(ch for ch in line if ch.isprintable()))
    buf = io.BytesIO()
    out.save(buf)
    report = xxgk.parse(buf.getvalue(), "huibian.docx")
    assert report.meta.agency == "麻阳苗族自治县板栗树乡人民政府"
    _agrees(report, "dev_031")
    assert "2份" in _compilation(report)[0]


def _single(kind: str) -> str:
    """dev_003 (one report) with what a single report carries that names other reports or repeats its parts."""
    text = _text("dev_003")
    title = _title("dev_003")
    if kind == "mention":  # last year's report named in prose and as a link on a line of its own
        return re.sub(r"(六、[^\n]*\n)", r"\1本机关上年度报告见《淮安市洪泽区人民政府2023年政府信息公开工作年度报告》。\n",
                      text, count=1) + "\n淮安市洪泽区人民政府2023年政府信息公开工作年度报告\n"
    if kind == "links":
        return text + "\n相关信息\n淮安市洪泽区财政局2024年政府信息公开工作年度报告\n淮安市洪泽区教育局2024年政府信息公开工作年度报告\n"
    if kind == "notice":
        return ("关于公布淮安市洪泽区人民政府2024年政府信息公开工作年度报告的通知\n各镇人民政府、区各部门：\n"
                f"现将年度报告予以公布。\n附件：{title}\n\n{text}")
    if kind == "excerpt":
        return text[: text.index("五、")]
    if kind == "appendix":  # 附表: the tables again, under a title that goes on after the report's name
        return text + f"\n附件\n{title}附表\n" + text[text.index("二、") : text.index("五、")]
    if kind == "headers":  # its own title as every page's running header
        return _paged(text, title, every=25)
    return f"{title}\n{text}"  # kind == "twice": the page's heading and the article's title


@pytest.mark.parametrize("kind", ["mention", "links", "notice", "excerpt", "appendix", "headers", "twice"])
def test_a_single_report_is_not_cut(kind: str) -> None:
    report = xxgk.parse_text(_single(kind))
    assert not _compilation(report)
    assert report.meta.agency == "淮安市洪泽区人民政府"
    if kind != "headers":  # a running header inside a table row is another matter
        _agrees(report, "dev_003")


def test_a_contents_page_of_parts_is_no_report() -> None:
    """A 汇编's contents listing each report's parts with their pages: the entries open no report."""
    parts = "\n".join(f"{h}……{p}" for h, p in (("一、总体情况", 3), ("二、主动公开政府信息情况", 4),
                                              ("三、收到和处理政府信息公开申请情况", 5)))
    toc = f"目录\n{_title('dev_003')}\n{parts}\n{_title('dev_031')}\n{parts}\n\n"
    report = xxgk.parse_text(toc + _text("dev_003") + "\n\n" + _text("dev_031"))
    assert "2份" in _compilation(report)[0]
    _agrees(report, "dev_003")


def test_a_list_of_links_above_a_report_opens_none() -> None:
    """A printed page's header: its info box names the report, a 相关阅读 list of the body's other years' reports (each
    with its date) comes before the text. The last link was taken for the report's title (2019 for a 2021 report)."""
    body = _text("dev_d105").split("\n", 2)[2]  # the text under its title and its 发布时间 line
    page = "\n".join(["名称：石家庄市桥西区中山街道办事处2021年政府信息公开工作年度报告", "发布日期：2022-01-30", "相关阅读",
                      "石家庄市桥西区中山街道办事处2020年政府信息公开工作年度报告 2021-01-28",
                      "石家庄市桥西区中山街道办事处2019年政府信息公开工作年度报告 2020-01-20", body])
    first, second = xxgk.parse_document_all(_document(_text("dev_003") + "\n" + page))
    assert (second.meta.title, second.meta.year) == ("石家庄市桥西区中山街道办事处2021年政府信息公开工作年度报告", 2021)
    assert "PARSE-YEAR-CONFLICT" not in {f.rule for f in second.findings}
    assert "2019年" not in _parts(first)[0] + _parts(second)[0]


def test_a_report_cut_short_after_its_first_part_is_one_of_them() -> None:
    """A page of reports pasted one after another, one of them crawled only to its first part (乐清市审计局's page: its
    title twice, its info box, the overview cut off): it is a report of its own, from its first title on. Read alone it
    opened none (a second part was required), so its text ran into the report above."""
    yueqing = (EXAMPLES / "yueqing_shenji_2020.txt").read_text(encoding="utf-8")
    reports = xxgk.parse_document_all(_document(_text("dev_003") + "\n\n" + yueqing + "\n\n" + _text("dev_031")))
    assert [(r.meta.agency, r.meta.year) for r in reports] == [
        ("淮安市洪泽区人民政府", 2024), ("乐清市审计局", 2020), ("麻阳苗族自治县板栗树乡人民政府", 2022)]
    assert "乐清" not in (reports[0].sections["other"].text or "")
    assert reports[1].meta.published == "2021-01-20"
    assert _tables(reports[0]) == _tables(xxgk.parse_text(_text("dev_003")))


def test_a_first_part_alone_at_the_end_opens_no_report() -> None:
    """After a report, a link to another year's report with its opening lines (a page's 相关 block without its heading):
    what stands last, cut after one part, is no report of its own."""
    snippet = ("淮安市洪泽区人民政府2023年政府信息公开工作年度报告\n一、总体情况\n"
               "2023年，洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导。全面推进政务公开。")
    for text in (_text("dev_003") + "\n\n" + snippet, (EXAMPLES / "yueqing_shenji_2020.txt").read_text(encoding="utf-8")):
        assert not _compilation(xxgk.parse_text(text))


def test_a_legacy_report_with_unnumbered_parts_in_a_compilation() -> None:
    """A 2013 report crawled from an encyclopaedia page (its parts' numbers lost, 概述 alone on a line, an info box
    repeating its title as 中文名) attached to a notice after a 2024 report: it opened no report (its first part found,
    主動公開政府信息情況, is not numbered 一), so the file read as one report."""
    sichuan = (EXAMPLES / "sichuan_waiban_2013.txt").read_text(encoding="utf-8")
    reports = xxgk.parse_document_all(_document(f"附件1\n{_text('dev_003')}\n\n附件2\n{sichuan}"))
    assert [(r.meta.agency, r.meta.year, r.meta.template) for r in reports] == [
        ("淮安市洪泽区人民政府", 2024, "2021"), ("四川省人民政府外事办公室", 2013, "legacy")]
    assert reports[1].meta.title == "2013年四川省人民政府外事辦公室政府信息公開工作年度報告"
    assert "加強組織領導" not in (reports[0].sections["other"].text or "")
    alone = xxgk.parse_text(sichuan)
    assert _tables(reports[1]) == _tables(alone) and reports[1].sections["active"].text == alone.sections["active"].text


def test_a_crawler_s_local_path_is_no_report_s_title() -> None:
    """A crawled page's head (标题:, 发布时间:, 本地目录: …/87885_平潭…报告): the report begins at its 标题 line, and the
    finding names it by its title, not by the folder the crawler saved it in."""
    report = xxgk.parse_text(_text("dev_003") + "\n\n\n" + _text("dev_010"))
    (message,) = _compilation(report)
    assert "《平潭综合实验区2023年度政府信息公开工作年度报告》" in message and "zwgk" not in message
