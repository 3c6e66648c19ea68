"""A report → a Word document in the official form, through a Word template an office may edit (docxtpl).

The template (``report_template.docx`` by default, exported by ``xxgk report template``) holds the
letterhead, fonts, page setup and fixed wording; its placeholders (docs/report-template.md) take the
title, agency, year, each section's heading and prose, the date and the signature. Each statutory
table is built here from the declaration (``render/grid.py``) as a sub-document with the official
form's merged cells, so no template spells a label. The template is filled in Jinja's sandbox with
every value escaped for XML; an unknown placeholder is an error, never a silent blank.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from lxml.etree import LxmlError

from xxgk.model import Report
from xxgk.render.circular import clean
from xxgk.render.grid import Grid
from xxgk.render.outline import ReportParts, SectionPart, report_parts
from xxgk.templates import statutory

TEMPLATE = Path(__file__).with_name("report_template.docx")
PLACEHOLDERS = "docs/report-template.md"
# An office's template is a few dozen KB (a letterhead image: a few hundred); far beyond is not a template.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
# ZIP bombs: what its parts may declare, decompressed (the reader stops at the declared size), and their number.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")
_TAG = re.compile(r"\{[{%].*?[%}]\}")
_SECT_PR = qn("w:sectPr")
# A template's parts that docxtpl fills, their paragraphs and their text.
_FILLED_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_BRACKET = re.compile(r"\{[{%#]|[}%#]\}")
_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
# Jinja's words for the commonest slips, in Chinese.
_SYNTAX = ((re.compile(r"Unexpected end of template"), "缺少结束标记（如 {%p endfor %}、{%p endif %}）"),
           (re.compile(r"No filter named '([^']*)'"), "没有名为 \\1 的过滤器"),
           (re.compile(r"Encountered unknown tag '([^']*)'"), "不认识的标记 \\1（或缺少与之配对的开始标记）"),
           (re.compile(r"unexpected '([^']*)'"), "多余的 \\1"))


class ReportTemplateError(ValueError):
    """A report template that cannot be filled; ``str(err)`` is Chinese and names the placeholder."""


def report_to_docx(report: Report, template: Path | None = None) -> bytes:
    """The .docx of the report: the template (the packaged one by default) filled with the report's parts."""
    raw = template_bytes(template)
    document: Any = None
    try:
        _check_brackets(raw)
        document = DocxTemplate(io.BytesIO(raw))
        context = report_context(report_parts(report), document)
        document.render(context, jinja_env=SandboxedEnvironment(autoescape=True, undefined=StrictUndefined),
                        autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except ReportTemplateError:
        raise
    except TemplateError as err:
        raise ReportTemplateError(_placeholder_error(err, document)) from err
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, PackageNotFoundError, LxmlError) as err:
        raise ReportTemplateError(f"报告模板不是有效的 Word（.docx）文件（{_name(template)}）") from err
    return out.getvalue()


def _check_brackets(raw: bytes) -> None:
    """Refuse a placeholder whose brackets do not pair (``{{ title }``): Jinja would swallow the text up to the next."""
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        parts = [n for n in package.namelist() if _FILLED_PART.fullmatch(n)]
        for name in parts:
            xml = package.read(name).decode("utf-8", "replace")
            for paragraph in _PARAGRAPH.findall(xml):
                text = "".join(_TEXT.findall(paragraph))
                if _unpaired(text):
                    raise ReportTemplateError(f"报告模板中的占位符括号不配对：“{text[:80]}”（每个 {{{{ 应有 }}}}，"
                                              f"每个 {{% 应有 %}}；可用的占位符见 {PLACEHOLDERS}）")


def _unpaired(text: str) -> bool:
    """Whether the paragraph's text opens a tag it does not close, or closes one it did not open."""
    expect = None
    for bracket in _BRACKET.findall(text):
        if bracket in _CLOSING:
            if expect is not None:
                return True
            expect = _CLOSING[bracket]
        elif bracket == expect:
            expect = None
        elif bracket != "#}" or expect is not None:  # a lone ``#}`` is text, a misplaced closer is not
            return True
    return expect is not None


def template_bytes(template: Path | None = None) -> bytes:
    """The template's bytes, refused (in Chinese) when it is unreadable, too large or a ZIP bomb."""
    source = template or TEMPLATE
    try:
        if source.stat().st_size > MAX_TEMPLATE_BYTES:
            raise ReportTemplateError(
                f"报告模板过大（超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB），不像是 Word 模板：{_name(template)}")
        raw = source.read_bytes()
    except OSError as err:
        raise ReportTemplateError(f"无法读取报告模板：{_name(template)}（{err.strerror or err}）") from err
    try:
        infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise ReportTemplateError(f"报告模板不是有效的 Word（.docx）文件（已损坏或不完整）：{_name(template)}") from err
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise ReportTemplateError(f"报告模板解压后过大或部件过多，可能是压缩炸弹：{_name(template)}")
    return raw


def report_context(parts: ReportParts, document: Any) -> dict[str, Any]:
    """Every placeholder a template may use (docs/report-template.md): text cleaned, tables as sub-documents."""
    sections = {s.id: {"heading": s.heading, "paragraphs": list(s.paragraphs)} for s in parts.sections}
    by_section = {s.id: s for s in parts.sections}
    context: dict[str, Any] = clean({
        "title": parts.title, "dateline": parts.dateline, "published": parts.published, "year": parts.year,
        "agency": parts.agency, "date": parts.date, "preamble": list(parts.preamble), "sections": sections,
    })
    context["tables"] = {t.id: _fragment(document, by_section[t.section]) for t in statutory().tables}
    return context


class WordFragment:
    """Body XML a template takes where it says ``{{p tables.requests }}``: docxtpl's sub-document, made here.

    docxtpl's own ``Subdoc`` needs docxcompose (to copy a document's images and styles); a table
    needs neither, so a python-docx document's body is inserted as it is.
    """

    def __init__(self, page: Any) -> None:
        self.document = docx.Document()
        own = self.document.sections[0]
        # Laid out on the template's page, so a table is as wide as the template's text.
        for attr in ("page_width", "page_height", "left_margin", "right_margin"):
            value = getattr(page, attr)
            if value is not None:
                setattr(own, attr, value)

    def __html__(self) -> str:
        """The body's paragraphs and tables as XML (docxtpl inserts it unescaped)."""
        body = self.document.element.body
        return "".join(etree.tostring(child, encoding="unicode") for child in body if child.tag != _SECT_PR)

    __str__ = __html__


def _fragment(document: Any, section: SectionPart) -> WordFragment:
    """A table section as a fragment: its statutory table, or its prose when the report has no table."""
    fragment = WordFragment(document.get_docx().sections[-1])
    if section.grid is not None:
        _add_table(fragment.document, section.grid)
    else:
        for line in section.paragraphs:
            fragment.document.add_paragraph(clean(line))
    return fragment


def _add_table(document: Any, grid: Grid) -> None:
    """A table with the grid's merges made as Word makes them (gridSpan, vMerge), ruled on every side."""
    table = document.add_table(rows=grid.height, cols=grid.width)
    _rule(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 9 if grid.width > 10 else 10.5
    # Every cell taken once, before any merge (``table.cell`` lays out the whole table on each call:
    # seconds for a 表三). A merge keeps the other cells' elements, so these stay valid.
    at = [row.cells for row in table.rows]
    for cell in grid.cells:
        target = at[cell.row][cell.col]
        if cell.rows > 1 or cell.cols > 1:
            target = target.merge(at[cell.row + cell.rows - 1][cell.col + cell.cols - 1])
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
        # The cell's text in the template's body font, without the body's indent (an office's 首行缩进).
        fmt = paragraph.paragraph_format
        fmt.first_line_indent, fmt.left_indent, fmt.space_before, fmt.space_after = Pt(0), Pt(0), Pt(0), Pt(0)
        fmt.line_spacing = 1.0
        paragraph.add_run(cell.text).font.size = Pt(size)
    document.add_paragraph()


def _rule(table: Any) -> None:
    """Borders on the table itself: an office's template need not have the 网格型 (Table Grid) style."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    # Where the schema puts it (Word refuses a table whose properties are out of order).
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                           "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _placeholder_error(err: TemplateError, document: Any) -> str:
    """What is wrong with a placeholder, in Chinese, quoting it as the template writes it."""
    where = f"（可用的占位符见 {PLACEHOLDERS}）"
    if isinstance(err, UndefinedError):
        found = _UNDEFINED.search(str(err))
        name = next((g for g in found.groups() if g), "") if found else ""
        quoted = _quote(document, name) if name else ""
        return f"报告模板中的占位符有误：没有“{name or str(err)[:60]}”{quoted}{where}"
    if isinstance(err, SecurityError):
        return f"报告模板中的占位符不被允许（{str(err)[:100]}）"
    if isinstance(err, TemplateSyntaxError):
        said = str(err)
        for pattern, chinese in _SYNTAX:
            found = pattern.search(said)
            if found:
                said = f"{found.expand(chinese)}；{said[:80]}"
                break
        near = " ".join(" ".join(getattr(err, "docx_context", ())).split())[:120]
        return f"报告模板中的占位符写法有误（{said[:120]}）" + (f"，出错处附近的文字：{near}" if near else "") + where
    return f"报告模板中的占位符有误（{type(err).__name__}：{str(err)[:100]}）{where}"


def _quote(document: Any, name: str) -> str:
    """The template's tag that uses ``name`` (``{{ agnecy }}``), to find it in Word; blank if not found."""
    try:
        text = re.sub(r"<[^>]+>", "", document.get_xml())
    except (AttributeError, ValueError):
        return ""
    tag = next((t for t in _TAG.findall(text) if re.search(rf"\b{re.escape(name)}\b", t)), "")
    return f"（模板中写作 {tag[:80]}）" if tag else ""


def _name(template: Path | None) -> str:
    return template.name if template is not None else TEMPLATE.name
