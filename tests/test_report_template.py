"""The annual report as a Word template an office edits (docxtpl): exported, edited in Word, reused.

The judge is the round trip through xxgk's own reader: a report built from a register, rendered with
the packaged template and with one an office has edited (a red header, its own fonts, a fixed
paragraph, the agency in the page header), parses back (``xxgk parse --json``) to the same numbers.
A template that cannot be filled is a Chinese error naming the placeholder, exit status 2, no file.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from typer.testing import CliRunner

from test_web import csrf, login, make_client
from xxgk.cli.main import app as cli
from xxgk.register import Register
from xxgk.render.docx import TEMPLATE, ReportTemplateError, report_to_docx
from xxgk.templates import statutory

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from make_report_template import build as build_template

RED_HEADER = "某某市某某局文件"
FIXED = "本报告电子版可在本机关门户网站“政府信息公开”专栏查阅。"
PROSE = "## 一、总体情况\n\n本年度共收到政府信息公开申请{{received}}件。\n\n## 五、存在的主要问题及改进情况\n\n" \
        "登记流程仍需规范，下一年度将逐件核对。\n\n## 六、其他需要报告的事项\n\n无其他需要报告的事项。\n"


def _run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, dict[str, Any], str]:
    """A demo register and the report JSON built from it: (folder, report, database)."""
    db = f"sqlite:///{tmp_path / 'register.db'}"
    assert _run("demo-register", "--db", db).exit_code == 0
    register = Register(db)
    year = max(a.received.year for a in register.applications())
    register.close()
    (tmp_path / "prose.md").write_text(PROSE, encoding="utf-8")
    result = _run("report", "build", "--year", str(year), "--agency", "某某市某某局", "--prose", str(tmp_path / "prose.md"),
                  "--date", f"{year + 1}-01-20", "-o", str(tmp_path / "r.json"), "--db", db)
    assert result.exit_code == 0, result.output
    return tmp_path, json.loads((tmp_path / "r.json").read_text(encoding="utf-8")), db


def _parsed(path: Path) -> dict[str, Any]:
    """What ``xxgk parse FILE --json`` reads from a rendered document."""
    result = _run("parse", str(path), "--json")
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _texts(path: Path) -> list[str]:
    """Every text of the document's body, page headers and footers, one per paragraph."""
    with zipfile.ZipFile(path) as package:
        parts = [n for n in package.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        xml = "".join(package.read(n).decode("utf-8") for n in parts)
    return ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)]


def _edit(template: Path, target: Path) -> None:
    """What an office does in Word: a red header on top, its own body font, a fixed paragraph, the agency in the header."""
    document = Document(str(template))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "仿宋_GB2312", Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")
    first = document.paragraphs[0]
    red = first.insert_paragraph_before()
    red.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = red.add_run(RED_HEADER)
    run.font.color.rgb, run.font.size, run.font.bold = RGBColor(0xFF, 0, 0), Pt(36), True
    signature = next(p for p in document.paragraphs if "{{ agency }}" in p.text)
    signature.insert_paragraph_before(FIXED)
    document.sections[0].header.paragraphs[0].text = "{{ agency }}{{ year }}年度报告"
    document.save(str(target))


def test_the_shipped_template_is_the_script_s_and_spells_no_label() -> None:
    assert TEMPLATE.read_bytes() == build_template(), "run tests/tools/make_report_template.py"
    text = "".join(t for t in _texts(TEMPLATE))
    declared = statutory()
    labels = {s.heading for s in declared.sections} | {t.title for t in declared.tables}
    for table in declared.tables:
        for fmt in table.templates:
            labels |= {r.label_for(fmt) for r in table.rows_for(fmt)} | {c.label_for(fmt) for c in table.columns_for(fmt)}
    assert not [label for label in labels if label and len(label) > 1 and label in text]
    assert all(f"tables.{t.id}" in text for t in declared.tables)


def test_built_in_and_edited_templates_render_the_register_s_numbers(built: tuple[Path, dict[str, Any], str]) -> None:
    folder, report, db = built
    exported = folder / "模板.docx"
    assert _run("report", "template", "-o", str(exported)).exit_code == 0
    assert exported.read_bytes() == TEMPLATE.read_bytes()
    again = _run("report", "template", "-o", str(exported))
    assert again.exit_code == 2 and "已存在" in again.output  # an office's edited copy is never overwritten
    _edit(exported, folder / "本局模板.docx")
    for name, template in (("plain.docx", []), ("edited.docx", ["--template", str(folder / "本局模板.docx")])):
        out = folder / name
        result = _run("report", "render", str(folder / "r.json"), "-o", str(out), *template, "--db", db)
        assert result.exit_code == 0, result.output
        back = _parsed(out)
        assert back["tables"] == report["tables"], name
        assert (back["meta"]["year"], back["meta"]["agency"]) == (report["meta"]["year"], "某某市某某局")
        texts = _texts(out)
        assert not [t for t in texts if "{{" in t or "{%" in t]
        signed = [p.text for p in Document(str(out)).paragraphs[-2:]]
        assert "登记流程仍需规范，下一年度将逐件核对。" in texts and signed == ["某某市某某局", f"{report['meta']['year'] + 1}年1月20日"]
    edited = Document(str(folder / "edited.docx"))
    first = edited.paragraphs[0]
    assert first.text == RED_HEADER and first.runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert edited.styles["Normal"].font.name == "仿宋_GB2312"
    assert FIXED in _texts(folder / "edited.docx")
    assert edited.sections[0].header.paragraphs[0].text == f"某某市某某局{report['meta']['year']}年度报告"


def test_the_office_s_templates_folder_is_used_by_the_cli_and_the_web(
        built: tuple[Path, dict[str, Any], str], tmp_path: Path) -> None:
    folder, report, db = built
    own = tmp_path / "本局模板"
    own.mkdir()
    _edit(TEMPLATE, own / "report.docx")
    assert _run("register", "office", f"文书模板文件夹={own}", "--db", db).exit_code == 0
    result = _run("report", "render", str(folder / "r.json"), "-o", str(folder / "o.docx"), "--db", db)
    assert result.exit_code == 0 and "使用本机关的报告模板" in result.output, result.output
    assert _texts(folder / "o.docx")[0] == RED_HEADER
    assert _parsed(folder / "o.docx")["tables"] == report["tables"]

    (tmp_path / "web").mkdir()
    client = make_client(tmp_path / "web")
    login(client, "clerk")
    web: Any = client.app.state.web  # type: ignore[attr-defined]
    web.register.set_office({"templates": str(own)})
    year = report["meta"]["year"]
    page = client.post("/register/report", data={"csrf_token": csrf(client, "/register/report"), "year": str(year),
                                                 "agency": "示例县测试局", "prose": "", "published": ""})
    docx = client.get(str(page.url) + "/report.docx")
    assert docx.status_code == 200
    (tmp_path / "web.docx").write_bytes(docx.content)
    assert _texts(tmp_path / "web.docx")[0] == RED_HEADER
    shutil.copyfile(TEMPLATE, own / "report.docx")
    _retype(own / "report.docx", "{{ agency }}", "{{ agnecy }}")
    refused = client.get(str(page.url) + "/report.docx")
    assert refused.status_code == 400 and "agnecy" in refused.text


def _retype(path: Path, old: str, new: str) -> None:
    """The template with one placeholder typed differently, as an office might in Word."""
    document = Document(str(path))
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace(old, new)
    document.save(str(path))


@pytest.mark.parametrize(("old", "new", "said"), [
    ("{{ agency }}", "{{ agnecy }}", "没有“agnecy”（模板中写作 {{ agnecy }}）"),
    ("{{ sections.overview.heading }}", "{{ sections.overveiw.heading }}", "没有“overveiw”"),
    ("{{ title }}", "{{ title }", "括号不配对：“{{ title }”"),
    ("{{ title }}", "{{ title.__class__.__mro__ }}", "不被允许"),
    ("{{ date }}", "{{ date|nosuchfilter }}", "没有名为 nosuchfilter 的过滤器"),
    ("{%p endif %}", "", "缺少结束标记"),
])
def test_a_wrong_placeholder_is_a_chinese_error_naming_it(built: tuple[Path, dict[str, Any], str], old: str,
                                                         new: str, said: str) -> None:
    folder = built[0]
    template = folder / "错.docx"
    shutil.copyfile(TEMPLATE, template)
    _retype(template, old, new)
    result = _run("report", "render", str(folder / "r.json"), "-o", str(folder / "o.docx"), "--template", str(template))
    assert result.exit_code == 2 and said in result.output, result.output
    assert "Traceback" not in result.output and not (folder / "o.docx").exists()


def _truncated_part() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    return out.getvalue()


@pytest.mark.parametrize(("raw", "said"), [
    (b"not a Word file", "不是有效的 Word"),
    (TEMPLATE.read_bytes()[:3000], "不是有效的 Word"),
    (_truncated_part(), "不是有效的 Word"),
])
def test_a_broken_template_is_refused(tmp_path: Path, raw: bytes, said: str) -> None:
    (tmp_path / "t.docx").write_bytes(raw)
    register = Register(f"sqlite:///{tmp_path / 'r.db'}")
    report = register.build(2024, "某局")
    register.close()
    with pytest.raises(ReportTemplateError, match=said):
        report_to_docx(report, tmp_path / "t.docx")


def test_template_only_for_word_and_must_exist(built: tuple[Path, dict[str, Any], str]) -> None:
    folder, _, _ = built
    pdf = _run("render", str(folder / "r.json"), "-f", "pdf", "--template", str(TEMPLATE))
    assert pdf.exit_code == 2 and "只用于 Word" in pdf.output
    missing = _run("render", str(folder / "r.json"), "--template", str(folder / "无.docx"))
    assert missing.exit_code == 2 and "找不到报告模板" in missing.output


@pytest.mark.parametrize(("bound", "said"), [("MAX_UNPACKED_BYTES", "压缩炸弹"), ("MAX_TEMPLATE_BYTES", "报告模板过大")])
def test_a_template_beyond_the_bounds_is_not_opened(monkeypatch: pytest.MonkeyPatch, bound: str, said: str) -> None:
    import xxgk.render.docx as module
    from xxgk.render import word_template

    monkeypatch.setattr(word_template, bound, 1000)
    with pytest.raises(ReportTemplateError, match=said):
        word_template.template_bytes(module.KIND, TEMPLATE)
