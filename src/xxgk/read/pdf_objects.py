"""What a PDF page holds for reading: its characters with their boxes and its visible ruling edges.

Two sources give the same objects: PDFium (pypdfium2, fast: the default) and pdfminer (through
pdfplumber: slower, used when PDFium cannot open a file, so that damaged files get the same
messages as before). Coordinates are pdfplumber's: points from the top-left corner of the page
as it is shown (its rotation applied).
"""

from __future__ import annotations

import ctypes
import itertools
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from xxgk.read.pdf_fonts import install_stand_in_fonts

# An edge as pdfplumber's table finder takes it (x0, x1, top, bottom, width, height, orientation).
Edge = dict[str, Any]


# Fonts that map ideographs to the radicals' code points (⼈⺠ for 人民: common in Chinese PDFs);
# the Kangxi radicals have compatibility decompositions, the supplement's simplified forms do not.
_SUPPLEMENT = dict(zip(
    "⺁⺇⺌⺟⺠⺩⺫⺮⻄⻅⻆⻈⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻥⻦⻨⻩⻬⻮⻰⻳",
    "厂几小母民王目竹西见角讠贝车长门青韦页风飞食马鱼鸟麦黄齐齿龙龟", strict=True))
RADICALS = str.maketrans({
    **{chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)},
    **_SUPPLEMENT,
})


def radicals_to_ideographs(text: str) -> str:
    """Turn radicals printed for ideographs back into the ideographs (⼈⺠ → 人民)."""
    return text.translate(RADICALS) if any("\u2e80" <= ch <= "\u2fdf" for ch in text) else text


# Symbol fonts (and fonts made from them) put ASCII at U+F020-U+F07E: PDF makers that copy such a font's
# codes into its ToUnicode map give digits as U+F030-U+F039 (a title's year, every number of a table).
PRIVATE_ASCII = str.maketrans({chr(0xF000 + c): chr(c) for c in range(0x21, 0x7F)})


def private_to_ascii(text: str) -> str:
    """Turn ASCII given at the Symbol-font code points (U+F021-U+F07E) back into ASCII."""
    return text.translate(PRIVATE_ASCII) if any("\uf021" <= ch <= "\uf07e" for ch in text) else text


# Degrees from upright (or from a quarter turn: a landscape table set sideways) past which a
# character is not the report's text but a watermark laid across the page (下载时间：… at 30-45°)
# or the ring of a drawn seal. A scan's text layer may lean a degree or two with the scan.
SLANTED = 10.0


def slanted(degrees: float) -> bool:
    """Tell whether a character drawn at this angle lies askew: not within SLANTED of a multiple of 90°."""
    off = degrees % 90.0
    return SLANTED < off < 90.0 - SLANTED


@dataclass(slots=True)
class Glyph:
    """One character as printed: its text, its box, its font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class PageObjects:
    """A page's characters (printed ones, white space left out) and visible edges."""

    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    undecodable: int = 0  # characters whose font gives no Unicode text
    # Those of them that are printed, with their code as text (a font's code for "0" is often "0", but not
    # always: the glyph names tell, read/pdf_names.py): the ink of a table's cells that cannot be read.
    unmapped: list[Glyph] = field(default_factory=list)
    slanted: int = 0  # characters drawn askew (a watermark, a seal's ring): left out of ``glyphs``
    cut: bool = False  # more characters than the page limit: the rest left out
    drawn: int = 0  # path objects on the page (a drawing has thousands)
    blank: bool = False  # nothing at all is drawn on the page (no text, image or path)
    # Text objects PDFium could not lay out (a font not embedded in the file that it cannot stand in
    # for: common in Chinese PDFs); their characters are missing from ``glyphs``.
    unplaced: int = 0
    # The text of filled form fields and free-text annotations, laid out across their boxes: a table's
    # numbers typed into a form (or noted on the page) are not in the page's content.
    annotated: list[Glyph] = field(default_factory=list)
    # Characters drawn invisible (render mode 3 or 7) over a picture of the whole page: the text layer an
    # OCR program (ABBYY, Acrobat, WPS) lays over a scan. Such text is OCR output, not the report's own text.
    ocr_layer: int = 0
    # A picture covers (nearly) the whole page: a scanned page (its few characters, if any, a page number or a stamp
    # added over the scan, or the invisible layer an OCR program laid over it).
    scanned: bool = False
    # The boxes (x0, top, x1, bottom) of pictures big enough to hold a table (a table pasted as a picture
    # into a Word file printed to PDF); logos, seals and icons are smaller.
    pictures: list[tuple[float, float, float, float]] = field(default_factory=list)


# --- PDFium -----------------------------------------------------------------------------------

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
_LINETO = pdfium_c.FPDF_SEGMENT_LINETO
# Paint no deeper than this in nested form objects (a hostile file can nest them without end).
_MAX_FORM_DEPTH = 12
# A path of more segments than this is a drawing or a glyph outline, not a table rule.
_MAX_SEGMENTS = 400


class PdfiumPages:
    """A PDF opened with PDFium; ``pages()`` yields each page's objects in turn."""

    def __init__(self, raw: bytes) -> None:
        install_stand_in_fonts()
        self._doc = pdfium.PdfDocument(raw)

    def __len__(self) -> int:
        return len(self._doc)

    def close(self) -> None:
        self._doc.close()

    def page(self, index: int, max_chars: int, max_paths: int) -> PageObjects:
        """The objects of page ``index`` (0-based), at most ``max_chars`` characters."""
        page = self._doc[index]
        try:
            return _page_objects(page, max_chars, max_paths)
        finally:
            page.close()


def _page_objects(page: Any, max_chars: int, max_paths: int) -> PageObjects:
    left, bottom, right, top = page.get_mediabox()
    view = _View(left, bottom, right, top, page.get_rotation())
    out = PageObjects(width=view.width, height=view.height, blank=pdfium_c.FPDFPage_CountObjects(page.raw) == 0)
    pictures = _picture_boxes(page.raw)
    out.pictures = [box for box in (_shown(view, b) for b in pictures) if holds_table(box, out.width, out.height)]
    textpage = page.get_textpage()
    try:
        out.scanned = _scanned(pictures, left, bottom, right, top)
        _glyphs(textpage, view, out, max_chars, out.scanned)
    finally:
        textpage.close()
    _annotations(page.raw, view, out)
    paths: list[Any] = []
    out.unplaced = _collect_paths(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject,
                                  paths, 0, max_paths + 1)
    out.drawn = len(paths)
    if 0 < len(paths) <= max_paths:
        for obj, matrix in paths:
            out.edges.extend(_path_edges(obj, matrix, view))
    return out


@dataclass(frozen=True, slots=True)
class _View:
    """Turns PDF user space (y up) into the shown page's space (y down from the top, rotation applied)."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @property
    def width(self) -> float:
        w, h = self.right - self.left, self.top - self.bottom
        return h if self.rotation in (90, 270) else w

    @property
    def height(self) -> float:
        w, h = self.right - self.left, self.top - self.bottom
        return w if self.rotation in (90, 270) else h

    def point(self, x: float, y: float) -> tuple[float, float]:
        dx, dy = x - self.left, self.top - y  # from the top-left corner, y down
        if self.rotation == 90:
            return self.top - self.bottom - dy, dx
        if self.rotation == 180:
            return self.right - self.left - dx, self.top - self.bottom - dy
        if self.rotation == 270:
            return dy, self.right - self.left - dx
        return dx, dy

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """A box in user space → (x0, x1, top, bottom) on the shown page."""
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)


_WIDGET, _FREE_TEXT = pdfium_c.FPDF_ANNOT_WIDGET, pdfium_c.FPDF_ANNOT_FREETEXT
_UNSEEN = pdfium_c.FPDF_ANNOT_FLAG_HIDDEN | pdfium_c.FPDF_ANNOT_FLAG_NOVIEW
# Annotations read on one page at most, and the longest text taken from one (a cell's value is short).
_MAX_ANNOTATIONS = 2000
_MAX_ANNOTATION_CHARS = 40


def _annotations(page: Any, view: _View, out: PageObjects) -> None:
    """The shown text of a page's filled text fields (/V) and free-text notes (/Contents), laid across their boxes."""
    rect = pdfium_c.FS_RECTF()
    for i in range(min(pdfium_c.FPDFPage_GetAnnotCount(page), _MAX_ANNOTATIONS)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, i)
        if not annot:
            continue
        try:
            kind = pdfium_c.FPDFAnnot_GetSubtype(annot)
            key = b"V" if kind == _WIDGET else b"Contents" if kind == _FREE_TEXT else None
            if key is None or pdfium_c.FPDFAnnot_GetFlags(annot) & _UNSEEN \
                    or pdfium_c.FPDFAnnot_GetValueType(annot, key) != pdfium_c.FPDF_OBJECT_STRING \
                    or not pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                continue
            text = "".join(_string_value(annot, key).split())
            if 0 < len(text) <= _MAX_ANNOTATION_CHARS:
                out.annotated.extend(_laid_out(text, *view.box(rect.left, rect.bottom, rect.right, rect.top)))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)


def _string_value(annot: Any, key: bytes) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if size <= 2 or size > 4 * _MAX_ANNOTATION_CHARS + 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


def _laid_out(text: str, x0: float, x1: float, top: float, bottom: float) -> list[Glyph]:
    """The characters of a text centred in a box, one after another (their size: the box's height, at most 10 pt)."""
    size = min(bottom - top, 10.0)
    if size <= 0 or x1 <= x0:
        return []
    width = min((x1 - x0) / len(text), 0.6 * size)
    left, middle = (x0 + x1 - width * len(text)) / 2, (top + bottom) / 2
    return [Glyph(ch, left + k * width, left + (k + 1) * width, middle - size / 2, middle + size / 2, size)
            for k, ch in enumerate(text)]


_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_INVISIBLE = (pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP)
# A picture covering this much of the page's width and height is a scan of the page.
_PAGE_SIZED = 0.8


# A picture at least this share of the page's width, and this many points high, may hold a table.
_TABLE_WIDTH = 0.3
_TABLE_HEIGHT = 40.0


def _picture_boxes(page: Any) -> list[tuple[float, float, float, float]]:
    """The bounds (x0, y0, x1, y1, in user space) of the page's pictures (its own, not those inside forms)."""
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    out: list[tuple[float, float, float, float]] = []
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == _IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
            x0, y0, x1, y1 = (v.value for v in box)
            out.append((x0, y0, x1, y1))
    return out


def _shown(view: _View, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Bounds in user space → (x0, top, x1, bottom) on the shown page."""
    x0, x1, top, bottom = view.box(*bounds)
    return x0, top, x1, bottom


def page_sized(box: tuple[float, float, float, float], width: float, height: float) -> bool:
    """Whether a picture's box (x0, top, x1, bottom) covers (nearly) the whole page, as a scan's does."""
    return (min(box[2], width) - max(box[0], 0.0) >= _PAGE_SIZED * width
            and min(box[3], height) - max(box[1], 0.0) >= _PAGE_SIZED * height)


def holds_table(box: tuple[float, float, float, float], width: float, height: float) -> bool:
    """Whether a picture's box (x0, top, x1, bottom) on the page is big enough to hold a table, and not the page's
    own scan (a page-sized picture is read as a scan)."""
    x0, top, x1, bottom = max(box[0], 0.0), max(box[1], 0.0), min(box[2], width), min(box[3], height)
    wide, high = x1 - x0, bottom - top
    return wide >= _TABLE_WIDTH * width and high >= _TABLE_HEIGHT \
        and not (wide >= _PAGE_SIZED * width and high >= _PAGE_SIZED * height)


def _scanned(pictures: list[tuple[float, float, float, float]], left: float, bottom: float, right: float,
             top: float) -> bool:
    """Tell whether a picture covers (nearly) the whole page, as a scanned page's does."""
    width, height = right - left, top - bottom
    return any(min(x1, right) - max(x0, left) >= _PAGE_SIZED * width
               and min(y1, top) - max(y0, bottom) >= _PAGE_SIZED * height for x0, y0, x1, y1 in pictures)


def _glyphs(textpage: Any, view: _View, out: PageObjects, max_chars: int, scanned: bool) -> None:
    """The page's printed characters into ``out``; on a scanned page, the invisible ones counted as OCR text."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    if count <= 0:
        return
    raw = textpage.raw
    # All the text at once (UTF-16, one unit per character index), then each printed character's box.
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = pdfium_c.FPDFText_GetText(raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    rect = pdfium_c.FS_RECTF()
    rect_p = ctypes.byref(rect)
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    font_size = pdfium_c.FPDFText_GetFontSize
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    tight_box = pdfium_c.FPDFText_GetCharBox
    angle = pdfium_c.FPDFText_GetCharAngle
    text_object, render_mode = pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDFTextObj_GetTextRenderMode
    tight = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
    tight_refs = [ctypes.byref(v) for v in tight]
    glyphs = out.glyphs
    box = view.box
    for i, ch in enumerate(text[:count]):
        unmapped = map_error(raw, i) == 1
        if (ch.isspace() or ch == "\ufffe") and not unmapped:  # (a code read as a control character is ink)
            continue
        unmapped = unmapped or ch < " "
        if unmapped:
            out.undecodable += 1
        if len(glyphs) + len(out.unmapped) >= max_chars:
            out.cut = True
            break
        turned = angle(raw, i)
        if turned > 0 and slanted(math.degrees(turned)):
            out.slanted += 1
            continue
        if not loose_box(raw, i, rect_p):
            continue
        x0, x1, top, bottom = box(rect.left, rect.bottom, rect.right, rect.top)
        if bottom - top > _TALL and tight_box(raw, i, *tight_refs):
            # PDFium's box from the font's ascent and descent is sometimes that of the font before
            # the text matrix shrinks it (characters set one by one down a narrow cell): the ink's box is right.
            inked = box(tight[0].value, tight[2].value, tight[1].value, tight[3].value)
            if 0 < inked[3] - inked[2] < (bottom - top) / 2:
                x0, x1, top, bottom = inked
        # The height of the font's box, as pdfminer sizes characters (the font size before the
        # text matrix's scaling would be 20 times too large in some Chinese PDFs).
        size = (bottom - top) or font_size(raw, i) or 10.0
        if unmapped:  # PDFium's text for it is the character's code (see ``unmapped``)
            out.unmapped.append(Glyph(ch, x0, x1, top, bottom, size))
            continue
        if "\u2e80" <= ch <= "\u2fdf":
            ch = ch.translate(RADICALS)
        elif "\uf021" <= ch <= "\uf07e":
            ch = ch.translate(PRIVATE_ASCII)
        if scanned and render_mode(text_object(raw, i)) in _INVISIBLE:
            out.ocr_layer += 1
        glyphs.append(Glyph(ch, x0, x1, top, bottom, size))


def _collect_paths(container: Any, count_of: Any, get: Any, into: list[Any], depth: int, limit: int,
                   matrix: tuple[float, ...] = (1, 0, 0, 1, 0, 0)) -> int:
    """Gather the path objects of a page or form, with the matrix of the forms they sit in.

    Returns the number of text objects PDFium could not lay out (no extent at all).
    """
    unplaced = 0
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    for i in range(count_of(container)):
        obj = get(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _PATH:
            if len(into) < limit:
                into.append((obj, matrix))
        elif kind == _TEXT:
            # Without extent and in a font the file does not hold: PDFium had nothing to lay it out with.
            if pdfium_c.FPDFPageObj_GetBounds(obj, *refs) and box[0].value == box[2].value \
                    and box[1].value == box[3].value \
                    and not pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj)):
                unplaced += 1
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            inner = _matrix(obj)
            unplaced += _collect_paths(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                                       into, depth + 1, limit, _multiply(inner, matrix))
    return unplaced


def _matrix(obj: Any) -> tuple[float, ...]:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1, 0, 0, 1, 0, 0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix of applying ``m`` then ``n``."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _visible(obj: Any, segments: int) -> bool:
    """Tell lines that can be seen: stroked (or a bare line) in a colour that is not white, or thin and filled.

    Wide filled boxes are shading behind text, and white ones paper over things: no rules.
    """
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    refs = (ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))
    if (stroke.value or segments == 2) and pdfium_c.FPDFPageObj_GetStrokeColor(obj, *refs) \
            and a.value > 0 and not _white(r.value, g.value, b.value):
        return True
    if fill.value and pdfium_c.FPDFPageObj_GetFillColor(obj, *refs) and a.value > 0 \
            and not _white(r.value, g.value, b.value):
        left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        if pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                          ctypes.byref(top)):
            return min(right.value - left.value, top.value - bottom.value) <= 3
    return False


def _white(r: int, g: int, b: int) -> bool:
    return min(r, g, b) >= 242  # 0.95 of full intensity


def _path_edges(obj: Any, outer: tuple[float, ...], view: _View) -> list[Edge]:
    """The horizontal and vertical straight pieces of a visible path (curves are not table rules)."""
    segments = pdfium_c.FPDFPath_CountSegments(obj)
    if segments <= 1 or segments > _MAX_SEGMENTS or not _visible(obj, segments):
        return []
    if segments <= 5 and outer == _IDENTITY:
        rule = _thin_rule(obj, view)
        if rule is not None:
            return [rule]
    return list(_segment_edges(obj, segments, outer, view))


_IDENTITY = (1, 0, 0, 1, 0, 0)
# A character box taller than this (points) is checked against the character's ink.
_TALL = 40.0


def _thin_rule(obj: Any, view: _View) -> Edge | None:
    """A line or a thin box (how browsers and word processors draw table rules) as one edge, from its bounds.

    The bounds take in the stroke's width: the rule lies along their middle.
    """
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    if not pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                          ctypes.byref(top)):
        return None
    x0, x1, y0, y1 = view.box(left.value, bottom.value, right.value, top.value)
    width, height = x1 - x0, y1 - y0
    if height <= _THIN < width:
        y = (y0 + y1) / 2
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": width, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    if width <= _THIN < height:
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": y0, "bottom": y1, "width": 0.0, "height": height,
                "orientation": "v", "object_type": "line"}
    return None


_THIN = 3.0  # points: a box this thin is drawn as a rule


def _segment_edges(obj: Any, segments: int, outer: tuple[float, ...], view: _View) -> Iterator[Edge]:
    """The straight horizontal and vertical segments of a path, each an edge."""
    a, b, c, d, e, f = _multiply(_matrix(obj), outer)
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []  # the current run of straight segments
    start: tuple[float, float] | None = None
    runs: list[list[tuple[float, float]]] = []
    for i in range(segments):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == _MOVETO:
            if len(points) > 1:
                runs.append(points)
            points = [(px, py)]
            start = (px, py)
        elif kind == _LINETO and points:
            points.append((px, py))
        else:  # a Bézier curve ends the straight run
            if len(points) > 1:
                runs.append(points)
            points = [(px, py)]
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and points:
            points.append(start)
    if len(points) > 1:
        runs.append(points)
    for run in runs:
        for (x0, y0), (x1, y1) in itertools.pairwise(run):
            left, right, top, bottom = view.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            if abs(top - bottom) < 0.01 and right - left > 0:
                yield {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
                       "height": 0.0, "orientation": "h", "object_type": "line"}
            elif abs(left - right) < 0.01 and bottom - top > 0:
                yield {"x0": left, "x1": left, "top": top, "bottom": bottom, "width": 0.0,
                       "height": bottom - top, "orientation": "v", "object_type": "line"}
