"""Word documents in the shapes Word's PDF Reflow gives a PDF: flowing text, Word tables, and text
boxes and frames placed on the page for what it cannot reflow (used by tests and by
tests/tools/word_reflow.py).
"""

from __future__ import annotations

import io
import zipfile
from html import escape

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = (
    f'xmlns:w="{_W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'mc:Ignorable="wps"'
)
_EMU = 12700  # per point
PAGE_W, PAGE_H = 595.0, 842.0


def run_xml(text: str, size: float = 10.5) -> str:
    return f'<w:r><w:rPr><w:sz w:val="{round(size * 2)}"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para_xml(text: str, size: float = 10.5, frame: str = "") -> str:
    return f"<w:p><w:pPr>{frame}</w:pPr>{run_xml(text, size)}</w:p>"


def box_xml(n: int, x: float, y: float, w: float, h: float, text: str, size: float, fallback: bool,
            relative: str = "page", content: str = "") -> str:
    """A text box placed on the page (or from its paragraph: ``relative``); with its VML fallback, as Word
    writes it, when ``fallback``. ``content``: the box's own body XML instead of one paragraph of ``text``."""
    content = f"<w:txbxContent>{content or para_xml(text, size)}</w:txbxContent>"
    drawing = (
        f'<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{n}" '
        f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="{relative}"><wp:posOffset>{round(x * _EMU)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{relative}"><wp:posOffset>{round(y * _EMU)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{round(w * _EMU)}" cy="{round(h * _EMU)}"/><wp:wrapNone/>'
        f'<wp:docPr id="{n}" name="Text Box {n}"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{round(w * _EMU)}" cy="{round(h * _EMU)}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx>'
        '<wps:bodyPr lIns="0" tIns="0" rIns="0" bIns="0"/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
    )
    if not fallback:
        return f"<w:r>{drawing}</w:r>"
    vml = (
        f'<w:pict><v:shape id="Text Box {n}" type="#_x0000_t202" style="position:absolute;margin-left:{x:.1f}pt;'
        f'margin-top:{y:.1f}pt;width:{w:.1f}pt;height:{h:.1f}pt;mso-position-horizontal-relative:page;'
        f'mso-position-vertical-relative:page"><v:textbox>{content}</v:textbox></v:shape></w:pict>'
    )
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>")


def _width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E80 else 0.55 * size for ch in text) + 2


class Reflow:
    """Builds the body: flowing paragraphs, Word tables, boxes and frames placed on pages."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.boxes = 0
        self.page = 1

    def box(self, x: float, y: float, text: str, size: float = 10.5, anchor_text: str = "") -> None:
        self.boxes += 1
        run = box_xml(self.boxes, x, y, _width(text, size), size * 1.3, text, size, fallback=self.boxes % 2 == 1)
        self.parts.append(f"<w:p>{run_xml(anchor_text) if anchor_text else ''}{run}</w:p>")

    def page_furniture(self, title: str) -> None:
        """A running header and a page number, in boxes at the page's edges, as on every printed page."""
        self.box(36, 14, title, 8)
        self.box(PAGE_W / 2 - 10, PAGE_H - 28, f"{self.page}/3", 8)
        self.page += 1

    def text(self, line: str, size: float = 10.5) -> None:
        self.parts.append(para_xml(line, size))

    def table(self, rows: list[list[str]]) -> None:
        """A real Word table (what reflow recognises), merged header cells as gridSpan."""
        width = max(len(r) for r in rows)
        grid = "".join('<w:gridCol w:w="600"/>' for _ in range(width))
        body = []
        for row in rows:
            cells = []
            for i, cell in enumerate(row):
                span = f'<w:tcPr><w:gridSpan w:val="{width - len(row) + 1}"/></w:tcPr>' if i == 0 and len(row) < width else ""
                cells.append(f"<w:tc>{span}{para_xml(cell, 9)}</w:tc>")
            body.append(f"<w:tr>{''.join(cells)}</w:tr>")
        self.parts.append(f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")

    def boxed_table(self, rows: list[list[str]], top: float) -> None:
        """A table reflow could not recognise: a box per cell placed on the page, all anchored in one paragraph."""
        runs = []
        for r, row in enumerate(rows):
            y = top + 18 * r
            x = 30.0
            widths = [170.0] + [min(50.0, (PAGE_W - 220) / max(len(row) - 1, 1))] * (len(row) - 1)
            for cell, w in zip(row, widths, strict=False):
                if cell:
                    self.boxes += 1
                    runs.append(box_xml(self.boxes, x + 2, y, min(w - 4, _width(cell, 9)), 12, cell, 9, fallback=True))
                x += w
        self.parts.append(f"<w:p>{''.join(runs)}</w:p>")

    def framed(self, rows: list[list[str]], top: float) -> None:
        """Rows as framed paragraphs (``w:framePr``) placed on the page, one frame per cell."""
        for r, row in enumerate(rows):
            x = 30.0
            for i, cell in enumerate(row):
                w = 160.0 if i == 0 else min(42.0, (PAGE_W - 220) / max(len(row) - 1, 1))
                if cell:
                    frame = (f'<w:framePr w:w="{round(w * 20)}" w:hSpace="0" w:wrap="auto" w:vAnchor="page" '
                             f'w:hAnchor="page" w:x="{round(x * 20)}" w:y="{round((top + 16 * r) * 20)}"/>')
                    self.parts.append(para_xml(cell, 8, frame))
                x += w

    def docx(self) -> bytes:
        sect = (f'<w:sectPr><w:pgSz w:w="{round(PAGE_W * 20)}" w:h="{round(PAGE_H * 20)}"/>'
                '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440"/></w:sectPr>')
        document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>{"".join(self.parts)}{sect}</w:body></w:document>'
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(_entry("[Content_Types].xml"), (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                "</Types>"))
            z.writestr(_entry("_rels/.rels"), (
                '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"))
            z.writestr(_entry("word/document.xml"), document)
        return buffer.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry with a fixed date, so that the same document gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
