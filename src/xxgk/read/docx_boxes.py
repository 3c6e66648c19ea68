"""Text placed at a position in a Word document: text boxes, shapes with text and frames.

Converters lay out a PDF opened in Word this way: LibreOffice's PDF import puts every run of
text in a text box of its own at its place on the page; Word's PDF Reflow does so (text boxes,
``w:framePr`` frames) for the parts it cannot reflow. Such text has no reading order in the
file, only positions: it is read as a PDF page is (``xxgk.read.pdf.read_positioned``), each
paragraph of a box a piece of text at its place, grouped into lines top to bottom and left to
right. A box given twice (``mc:AlternateContent``: DrawingML and its VML fallback) is read once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_V = "urn:schemas-microsoft-com:vml"
_EMU_PER_POINT = 12700

_TXBX = qn("w:txbxContent")
_CHOICE, _FALLBACK = f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"
_ANCHOR, _INLINE = f"{{{_WP}}}anchor", f"{{{_WP}}}inline"
_POSITION_H, _POSITION_V = f"{{{_WP}}}positionH", f"{{{_WP}}}positionV"
_POS_OFFSET, _EXTENT = f"{{{_WP}}}posOffset", f"{{{_WP}}}extent"
_PICT, _DRAWING = qn("w:pict"), qn("w:drawing")
_FRAME_PR = f"{qn('w:pPr')}/{qn('w:framePr')}"
_SZ = qn("w:sz")
_P, _TBL = qn("w:p"), qn("w:tbl")
_VML_SHAPES = frozenset(f"{{{_V}}}{tag}" for tag in ("shape", "rect", "roundrect", "oval", "group"))
_STYLE_LENGTH = re.compile(r"(-?\d+(?:\.\d+)?)\s*(pt|in|cm|mm|px|emu)?$")
_UNIT_POINTS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "emu": 1 / _EMU_PER_POINT, None: 1.0}


@dataclass(slots=True)
class Placed:
    """A text box or frame: its box on the page (points), and what holds its paragraphs and tables.

    ``page_relative``: the position is measured from the page or its margins, not from the
    paragraph the box is anchored in. ``content`` is a ``w:txbxContent`` or a framed ``w:p``.
    """

    x: float
    y: float
    width: float
    height: float
    content: Any
    page_relative: bool

    def font_size(self) -> float:
        """The largest font size (points) of the text inside, or the box's height when none is set."""
        sizes = [int(v) / 2 for sz in self.content.iter(_SZ) if (v := sz.get(qn("w:val"), "")).isdigit()]
        return max(sizes) if sizes and max(sizes) > 0 else max(self.height, 1.0)


def boxes_in(p: Any) -> list[Placed]:
    """The text boxes anchored in a paragraph, each once, in the order they are written."""
    out: list[Placed] = []
    for container in _drawing_containers(p):
        placed = _drawingml_box(container) if container.tag == _DRAWING else _vml_box(container)
        out.extend(placed)
    return out


def frame_of(p: Any) -> Placed | None:
    """A paragraph laid out in a frame at a fixed place (``w:framePr`` with ``w:x``/``w:y``), or None."""
    frame = p.find(_FRAME_PR)
    if frame is None or frame.get(qn("w:dropCap"), "none") != "none":
        return None  # a drop cap belongs to the paragraph after it
    x, y = _twips(frame.get(qn("w:x"))), _twips(frame.get(qn("w:y")))
    if y is None:
        return None  # placed where the text flows: read in order
    width = _twips(frame.get(qn("w:w"))) or 0.0
    height = _twips(frame.get(qn("w:h"))) or 0.0
    relative = frame.get(qn("w:vAnchor"), "page") in ("page", "margin")
    return Placed(x or 0.0, y, width, abs(height), p, relative)


def _twips(value: str | None) -> float | None:
    try:
        return int(value) / 20 if value is not None else None
    except ValueError:
        return None


def _drawing_containers(p: Any) -> Iterator[Any]:
    """The w:drawing and w:pict elements of a paragraph, the fallback of alternate content left out.

    Text boxes inside another text box are reached through their outer box's content, not here.
    """
    stack = list(reversed(list(p)))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in (_FALLBACK, _TXBX):
            continue
        if tag in (_DRAWING, _PICT):
            yield element
        else:
            stack.extend(reversed(list(element)))


def _drawingml_box(drawing: Any) -> list[Placed]:
    """The text of a DrawingML shape (``wps:txbx``): anchored at a position, or inline in the text."""
    frame = drawing.find(_ANCHOR)
    if frame is None:
        frame = drawing.find(_INLINE)
    if frame is None:
        return []
    x, _ = _position(frame.find(_POSITION_H))
    y, v_page = _position(frame.find(_POSITION_V))
    extent = frame.find(_EXTENT)
    width = _emu(extent.get("cx")) if extent is not None else 0.0
    height = _emu(extent.get("cy")) if extent is not None else 0.0
    # A group holds several boxes; their offsets inside the group are small next to a page: the group's place is used.
    return [Placed(x, y, width, height, content, v_page) for content in _outer_contents(frame)]


def _position(element: Any) -> tuple[float, bool]:
    """A wp:positionH/V's offset (points) and whether it is measured from the page or its margins."""
    if element is None:
        return 0.0, False
    offset = element.find(_POS_OFFSET)
    value = _emu(offset.text) if offset is not None else 0.0
    return value, element.get("relativeFrom", "") in ("page", "margin", "topMargin", "leftMargin", "insideMargin")


def _emu(value: str | None) -> float:
    try:
        return int(value or 0) / _EMU_PER_POINT
    except ValueError:
        return 0.0


def _vml_box(pict: Any) -> list[Placed]:
    """The text of legacy VML shapes (``v:textbox``), placed by their ``style`` (margin-left/top, width, height)."""
    out: list[Placed] = []
    for shape in pict.iter(*_VML_SHAPES):
        contents = [c for c in _outer_contents(shape) if _nearest_shape(c, shape)]
        if not contents:
            continue
        style = _style(shape.get("style", ""))
        absolute = style.get("position") == "absolute"
        x = _length(style.get("margin-left")) or _length(style.get("left")) or 0.0
        y = _length(style.get("margin-top")) or _length(style.get("top")) or 0.0
        page = style.get("mso-position-vertical-relative", "") in ("page", "margin")
        out.extend(Placed(x, y, _length(style.get("width")) or 0.0, _length(style.get("height")) or 0.0,
                          content, page or not absolute) for content in contents)
    return out


def _nearest_shape(content: Any, shape: Any) -> bool:
    """Tell whether ``shape`` is the innermost VML shape around ``content`` (groups hold shapes)."""
    parent = content.getparent()
    while parent is not None and parent.tag not in _VML_SHAPES:
        parent = parent.getparent()
    return parent is shape


def _outer_contents(element: Any) -> list[Any]:
    """The w:txbxContent elements under an element, not those nested inside another one."""
    out: list[Any] = []
    stack = list(reversed(list(element)))
    while stack:
        child = stack.pop()
        if not isinstance(child.tag, str):
            continue
        if child.tag == _TXBX:
            out.append(child)
        else:
            stack.extend(reversed(list(child)))
    return out


def _style(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {key.strip().lower(): value.strip() for key, value in pairs}


def _length(value: str | None) -> float | None:
    if not value:
        return None
    match = _STYLE_LENGTH.match(value.strip().lower())
    if match is None:
        return None
    return float(match.group(1)) * _UNIT_POINTS[match.group(2)]


def has_table(content: Any) -> bool:
    """Tell whether a box holds a table (then it is read as blocks, not as pieces of text)."""
    return content.tag != _P and content.find(f".//{_TBL}") is not None
