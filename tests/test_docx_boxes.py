"""Word documents whose text stands in text boxes and frames (a PDF opened in Word), read by place.

The documents are built in the shapes converters write (tests/reflow.py); the real conversions
(LibreOffice's PDF import of printed reports, and Word-reflow-shaped reports) are read whole in
tests/test_printed.py.
"""

from __future__ import annotations

from reflow import Reflow, box_xml, para_xml
from xxgk.read import Document, read_bytes


def _items(doc: Document) -> list[object]:
    return [line.cells if line.cells is not None else line.text for line in doc.lines]


def _read(reflow: Reflow) -> list[object]:
    return _items(read_bytes(reflow.docx(), "t.docx"))


def test_boxes_are_read_once_top_to_bottom_then_left_to_right() -> None:
    """Boxes written in any order come out by place; a box given twice (DrawingML and VML fallback) once."""
    out = Reflow()
    out.parts.append("<w:p>" + "".join([
        box_xml(1, 300, 120, 30, 14, "乙", 10.5, fallback=True),
        box_xml(2, 60, 120, 30, 14, "甲", 10.5, fallback=True),
        box_xml(3, 60, 80, 120, 20, "报告标题", 16, fallback=True),
        box_xml(4, 60, 160, 30, 14, "丙", 10.5, fallback=False),
    ]) + "</w:p>")
    assert _read(out) == ["报告标题", "甲 乙", "丙"]


def test_a_box_is_read_where_its_anchor_stands_in_the_text() -> None:
    out = Reflow()
    out.text("前文")
    out.box(60, 400, "框中的文字")
    out.text("后文")
    assert _read(out) == ["前文", "框中的文字", "后文"]


def test_a_box_anchored_in_a_paragraph_with_text_comes_after_that_text() -> None:
    out = Reflow()
    out.box(60, 400, "框中的文字", anchor_text="段落文字")
    out.text("后文")
    assert _read(out) == ["段落文字", "框中的文字", "后文"]


def test_frames_are_read_by_their_place_as_lines() -> None:
    """Framed paragraphs (w:framePr), one per cell, written column by column: read row by row."""
    out = Reflow()
    out.text("二、主动公开政府信息情况")
    out.framed([["规章", "1", "0", "11"], ["行政规范性文件", "8", "26", "66"]], 100)
    out.text("三、收到和处理政府信息公开申请情况")
    assert _read(out) == ["二、主动公开政府信息情况", "规章 1 0 11", "行政规范性文件 8 26 66",
                          "三、收到和处理政府信息公开申请情况"]


def test_legacy_vml_text_boxes_are_read() -> None:
    out = Reflow()
    shape = ('<w:r><w:pict><v:shape id="b{n}" style="position:absolute;margin-left:{x}pt;margin-top:{y}pt;'
             'width:80pt;height:14pt"><v:textbox><w:txbxContent>{p}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    out.parts.append("<w:p>" + shape.format(n=1, x=60, y=200, p=para_xml("第二行")) +
                     shape.format(n=2, x=60, y=100, p=para_xml("第一行")) + "</w:p>")
    assert _read(out) == ["第一行", "第二行"]


def test_pages_of_boxes_in_one_paragraph_lose_their_running_header_and_footer() -> None:
    """LibreOffice's PDF import: every page's boxes in one paragraph, placed from it; pages start over at the top."""
    out = Reflow()
    boxes = []
    for page in (1, 2):
        boxes += [box_xml(10 * page + 1, 40, 14, 200, 10, "12/3/26, 6:37 PM 某某区2022年政府信息公开工作年度报告", 8,
                          fallback=True, relative="paragraph"),
                  box_xml(10 * page + 2, 60, 300, 200, 14, f"第{page}页的正文", 10.5, fallback=True,
                          relative="paragraph"),
                  box_xml(10 * page + 3, 40, 820, 200, 10, f"http://www.example.gov.cn/a.html {page}/2", 8,
                          fallback=True, relative="paragraph")]
    out.parts.append("<w:p>" + "".join(boxes) + "</w:p>")
    assert _read(out) == ["第1页的正文", "第2页的正文"]


def test_a_table_inside_a_box_gives_its_rows() -> None:
    out = Reflow()
    table = ("<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
             f"<w:tr><w:tc>{para_xml('规章')}</w:tc><w:tc>{para_xml('3')}</w:tc></w:tr>"
             f"<w:tr><w:tc>{para_xml('行政规范性文件')}</w:tc><w:tc>{para_xml('5')}</w:tc></w:tr></w:tbl>")
    out.parts.append("<w:p>" + box_xml(1, 60, 300, 300, 60, "", 10.5, fallback=True, content=table + para_xml("")) +
                     box_xml(2, 60, 100, 100, 14, "表上的标题", 10.5, fallback=False) + "</w:p>")
    assert _read(out) == ["表上的标题", ("规章", "3"), ("行政规范性文件", "5")]
