"""Write the circular's Word template (通报, docxtpl) shipped in ``src/xxgk/render/circular_template.docx``.

    python tests/tools/make_circular_template.py           # writes the template
    python tests/tools/make_circular_template.py --check   # only tells whether the shipped one differs

An office opens the template in Word and changes its wording, fonts and letterhead; the
placeholders (Jinja2, docs/circular.md) are filled by ``xxgk circular``. The layout is the usual
one of an official document: the issuing body and the title centred, the addressee, indented
paragraphs with numbered headings, a table, the annex line, the issuer and the date on the right.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from packaged_docx import stable, write_or_check

OUT = Path(__file__).resolve().parents[2] / "src" / "xxgk" / "render" / "circular_template.docx"
TITLE_FONT, BODY_FONT, HEAD_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"

BODY = [
    ("heading", "一、发布情况"),
    ("body", "根据《中华人民共和国政府信息公开条例》第四十九条、第五十条的规定，{{ region }}名录内 {{ total }} 个机关应当公布"
             "{{ year }}年度政府信息公开工作年度报告。截至{{ as_of }}，已公布 {{ published }} 个，其中按时公布 {{ on_time }} 个"
             "{% if late %}、逾期公布 {{ late }} 个{% endif %}{% if no_date %}、发布日期无法核实 {{ no_date }} 个{% endif %}；"
             "未公布 {{ missing }} 个{% if pending %}，尚未到公布期限 {{ pending }} 个{% endif %}"
             "{% if unverified %}；另有 {{ unverified }} 个机关的网站或年报栏目未能访问、读完，是否公布未能核实{% endif %}。"),
    ("body", "（一）未公布年度报告的机关（{{ missing }} 个）：{% if missing %}{{ missing_names }}。{% else %}无。{% endif %}"
             "{% if unverified %}以下机关是否公布未能核实（网站或年报栏目未能访问、读完），请予核实：{{ unverified_names }}。{% endif %}"),
    ("body", "（二）逾期公布年度报告的机关（{{ late }} 个）：{% if late %}{{ late_names }}。{% else %}无。{% endif %}"),
    ("heading", "二、存在的主要问题"),
    ("body", "经逐份检查，已公布的报告中较为常见的问题如下（括号内为规则编号，示例引自报告原文）："),
    ("loop", "{%p for p in problems %}"),
    ("body", "{{ loop.index }}．{{ p.title }}（{{ p.rule }}），涉及 {{ p.reports }} 份报告。例如{{ p.example_body }}"
             "（报告编号 {{ p.example_report }}）：{{ p.example }}"),
    ("loop", "{%p endfor %}"),
    ("heading", "三、评分与排名"),
    ("body", "按照《{{ profile }}》，对已公布的 {{ graded }} 份报告评分，平均 {{ average }} 分；{{ bands }}。"
             "同一地区、同一级别的机关排名如下（得分相同者名次并列）："),
    ("table", ""),
    ("heading", "四、有关要求"),
    ("body", "请未公布年度报告的机关立即公布；逾期公布或存在上述问题的机关，对照附件所列问题逐项核实整改，"
             "并于收到本通报之日起 15 个工作日内将整改情况报送{{ issuer }}。"),
    ("blank", ""),
    ("body", "附件：{{ annex }}（各机关年度报告问题清单）"),
    ("blank", ""),
    ("signature", "{{ issuer }}"),
    ("signature", "{{ date }}"),
]
COLUMNS = [("名次", "r.rank", 14), ("机关", "r.name", 58), ("级别", "r.level", 18), ("得分", "r.score", 16),
           ("等次", "r.band", 16), ("发布情况", "r.status", 20), ("报告编号", "r.report_id", 18)]


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)  # type: ignore[attr-defined]


def build() -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    for text, size in (("{{ issuer }}", 16), ("关于{{ region }}{{ year }}年度政府信息公开工作年度报告发布情况的通报", 22)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), TITLE_FONT, size)
    p = doc.add_paragraph()
    _font(p.add_run("各有关单位："), BODY_FONT, 16)
    for kind, text in BODY:
        if kind == "table":
            table = doc.add_table(rows=3, cols=len(COLUMNS))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            rows = table.rows
            for i, (head, field, width) in enumerate(COLUMNS):
                for row, value in ((rows[0], head), (rows[2], f"{{{{ {field} }}}}")):
                    cell = row.cells[i]
                    cell.width = Mm(width)
                    _font(cell.paragraphs[0].add_run(value), BODY_FONT, 12, bold=row is rows[0])
            _font(rows[1].cells[0].paragraphs[0].add_run("{%tr for r in ranking %}"), BODY_FONT, 12)
            row = table.add_row()
            _font(row.cells[0].paragraphs[0].add_run("{%tr endfor %}"), BODY_FONT, 12)
            continue
        p = doc.add_paragraph()
        if kind == "signature":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind in ("body", "loop"):
            p.paragraph_format.first_line_indent = Pt(32)
        if text:
            _font(p.add_run(text), HEAD_FONT if kind == "heading" else BODY_FONT, 16)
    out = io.BytesIO()
    doc.save(out)
    return stable(out.getvalue())


def main() -> int:
    return write_or_check(__doc__, OUT, build)


if __name__ == "__main__":
    sys.exit(main())
