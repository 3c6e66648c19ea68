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
from contextlib import contextmanager
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


# A page whose characters lean, most of them by the same small angle, is straightened before its lines and tables
# are built: a scan fed in askew (its OCR layer follows the print) or text a program drew turned by a degree. Across
# a table's width a row leaning 1.5° drifts more than a line's height, so its cells would fall onto other rows.
# Leaning less than SKEW_LEAST is no drift worth undoing (a line of 500 pt drifts 2.6 pt at 0.3°).
SKEW_LEAST = 0.3
# Characters needed to tell a page's lean, and the share of the page's characters that must lean alike.
_SKEW_CHARS = 20
_SKEW_SHARE = 0.6
_SKEW_SPREAD = 1.0  # degrees from the median a character may lean and still lean alike


def skew_of(angles: list[float], total: int) -> float:
    """The page's lean in degrees (counter-clockwise as shown) from its characters' angles, 0.0 when it is upright
    or its characters do not lean alike (most of the ``total`` characters within ``_SKEW_SPREAD`` of the median)."""
    upright = [a for a in angles if abs(a) <= SLANTED]
    if len(upright) < _SKEW_CHARS:
        return 0.0
    upright.sort()
    middle = upright[len(upright) // 2]
    alike = sum(1 for a in upright if abs(a - middle) <= _SKEW_SPREAD)
    if not SKEW_LEAST <= abs(middle) <= SLANTED or alike < _SKEW_SHARE * total:
        return 0.0
    return middle


def shown_angle(degrees: float, rotation: int = 0) -> float:
    """An angle in user space (counter-clockwise) as shown on the page turned by ``rotation``, in (-180, 180]."""
    off = (degrees - rotation) % 360.0
    return off - 360.0 if off > 180.0 else off


@dataclass(frozen=True, slots=True)
class Straighten:
    """Turns a leaning page's points back upright: about the page's centre, by minus its lean (degrees, shown)."""

    degrees: float
    width: float
    height: float

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point (y down) as it lies once the page is upright."""
        t = math.radians(self.degrees)
        cx, cy = self.width / 2, self.height / 2
        dx, dy = x - cx, y - cy
        return cx + dx * math.cos(t) - dy * math.sin(t), cy + dx * math.sin(t) + dy * math.cos(t)

    def glyph(self, g: Glyph) -> Glyph:
        """A character's box upright: its centre turned, its size that of the box before it was turned (the box
        given is the upright box around the turned character, larger by the lean)."""
        t = math.radians(abs(self.degrees))
        c, s = math.cos(t), math.sin(t)
        wide, high = g.x1 - g.x0, g.bottom - g.top
        w = max((wide * c - high * s) / (c * c - s * s), 0.0)
        h = max((high * c - wide * s) / (c * c - s * s), 0.0)
        if w <= 0 or h <= 0:  # (a box too thin to undo: keep its size)
            w, h = wide, high
        x, y = self.point(g.cx, g.cy)
        size = h if high > 0 and g.size == high else g.size
        return Glyph(g.text, x - w / 2, x + w / 2, y - h / 2, y + h / 2, size)

    def moved(self, g: Glyph) -> Glyph:
        """A character laid out upright (an annotation's) moved with the page, its box kept."""
        x, y = self.point(g.cx, g.cy)
        w, h = (g.x1 - g.x0) / 2, (g.bottom - g.top) / 2
        return Glyph(g.text, x - w, x + w, y - h, y + h, g.size)

    def edge(self, a: tuple[float, float], b: tuple[float, float]) -> Edge | None:
        """A straight segment (shown points) upright, as an edge if it then runs along or across the page."""
        (x0, y0), (x1, y1) = self.point(*a), self.point(*b)
        length = math.hypot(x1 - x0, y1 - y0)
        if length <= 0:
            return None
        left, right, top, bottom = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        # (a rule drawn with the page's lean, its ends rounded: within a hair of level once turned back)
        if bottom - top <= _LEVEL * length:
            y = (y0 + y1) / 2
            return {"x0": left, "x1": right, "top": y, "bottom": y, "width": right - left, "height": 0.0,
                    "orientation": "h", "object_type": "line"}
        if right - left <= _LEVEL * length:
            x = (x0 + x1) / 2
            return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                    "orientation": "v", "object_type": "line"}
        return None


_LEVEL = 0.003  # about 0.17°


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
    # Characters no reader can see on a scanned page (invisible, white on the scan's paper, or under the scan): the
    # text layer an OCR program (ABBYY, Acrobat, WPS) lays over a scan. Such text is OCR output, not the report's own.
    ocr_layer: int = 0
    # Pictures cover (nearly) the whole page, one or several together: a scanned page (its few characters, if any, a
    # page number or a stamp added over the scan, or the layer an OCR program laid over it).
    scanned: bool = False
    # The boxes (x0, top, x1, bottom) of pictures big enough to hold a table (a table pasted as a picture
    # into a Word file printed to PDF); logos, seals and icons are smaller.
    pictures: list[tuple[float, float, float, float]] = field(default_factory=list)
    # The lean (degrees, counter-clockwise) undone: the characters' boxes and the edges are as on the page upright.
    skew: float = 0.0


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
    painted = _Painted(max_paths + 1)
    _walk(painted, page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0, _IDENTITY)
    shown = [_shown(view, p.box) for p in painted.pictures]
    pieces = scan_pieces(shown, out.width, out.height) or []
    scan = [painted.pictures[k] for k in pieces]
    out.scanned = bool(scan)
    # (the pieces of a scan are no pictures of tables on a page of text)
    out.pictures = [box for k, box in enumerate(shown) if k not in pieces and holds_table(box, out.width, out.height)]
    textpage = page.get_textpage()
    try:
        _glyphs(textpage, view, out, max_chars, _Layer(page.pdf.raw, page.raw, scan, painted.texts) if scan else None)
    finally:
        textpage.close()
    _annotations(page.raw, view, out)
    turn = straighten(out)
    out.unplaced = painted.unplaced
    out.drawn = len(painted.paths)
    if 0 < len(painted.paths) <= max_paths:
        for obj, matrix in painted.paths:
            out.edges.extend(_path_edges(obj, matrix, view, turn))
    return out


def straighten(out: PageObjects) -> Straighten | None:
    """Turn a leaning page's characters upright (``out.skew``: the lean measured), and tell how its edges turn;
    None (and ``skew`` 0) for an upright page, or one with characters no font maps (read back from the picture
    where they lie as drawn)."""
    if not out.skew or out.unmapped:
        out.skew = 0.0
        return None
    turn = Straighten(out.skew, out.width, out.height)
    out.glyphs = [turn.glyph(g) for g in out.glyphs]
    out.annotated = [turn.moved(g) for g in out.annotated]
    return turn


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
# Pictures that together cover a box that size, filling this much of it, are a scan cut into bands or tiles; a
# picture smaller than this share of the page is no piece of one (a speck), and more pieces than this are no scan's
# (a page of icons: their union is not worked out).
_FILLED = 0.9
_SPECK = 0.001
_MAX_PIECES = 200
# Pictures of a page kept at most (a hostile page may draw one a million times).
_MAX_PICTURES = 500


# A picture at least this share of the page's width, and this many points high, may hold a table.
_TABLE_WIDTH = 0.3
_TABLE_HEIGHT = 40.0


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


def scan_pieces(boxes: list[tuple[float, float, float, float]], width: float, height: float) -> list[int] | None:
    """Which of a page's pictures (boxes x0, top, x1, bottom on the shown page) make it a scan: one covering (nearly)
    the whole page, or several that together do (a scan cut into bands or tiles, each too small alone); None when
    the page is no scan."""
    inside = [(k, (max(b[0], 0.0), max(b[1], 0.0), min(b[2], width), min(b[3], height))) for k, b in enumerate(boxes)]
    pieces = [(k, b) for k, b in inside if b[2] > b[0] and b[3] > b[1]
              and (b[2] - b[0]) * (b[3] - b[1]) >= _SPECK * width * height]
    for k, b in pieces:
        if page_sized(b, width, height):
            return [k]
    least = _FILLED * _PAGE_SIZED * width * _PAGE_SIZED * height
    if not 2 <= len(pieces) <= _MAX_PIECES or sum((b[2] - b[0]) * (b[3] - b[1]) for _, b in pieces) < least:
        return None
    covered = [b for _, b in pieces]
    x0, top = min(b[0] for b in covered), min(b[1] for b in covered)
    x1, bottom = max(b[2] for b in covered), max(b[3] for b in covered)
    if not page_sized((x0, top, x1, bottom), width, height) \
            or _union_area(covered) < _FILLED * (x1 - x0) * (bottom - top):
        return None
    return [k for k, _ in pieces]


def _union_area(boxes: list[tuple[float, float, float, float]]) -> float:
    """The area the boxes (x0, y0, x1, y1) cover together (each point once)."""
    xs = sorted({x for b in boxes for x in (b[0], b[2])})
    area = 0.0
    for a, b in itertools.pairwise(xs):
        spans = sorted((box[1], box[3]) for box in boxes if box[0] <= a and box[2] >= b)
        covered, reach = 0.0, -math.inf
        for y0, y1 in spans:
            covered += max(0.0, y1 - max(y0, reach))
            reach = max(reach, y1)
        area += covered * (b - a)
    return area


def _glyphs(textpage: Any, view: _View, out: PageObjects, max_chars: int, layer: _Layer | None) -> None:
    """The page's printed characters into ``out``; on a scanned page (``layer``), those no reader can see counted
    as OCR text."""
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
    tight = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
    tight_refs = [ctypes.byref(v) for v in tight]
    glyphs = out.glyphs
    box = view.box
    leans: list[float] = []  # the kept characters' angles as shown (degrees)
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
        if turned >= 0:
            leans.append(shown_angle(-math.degrees(turned), view.rotation))  # (PDFium's angle turns clockwise)
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
        if layer is not None and layer.unseen(raw, i, (rect.left, rect.bottom, rect.right, rect.top)):
            out.ocr_layer += 1
        glyphs.append(Glyph(ch, x0, x1, top, bottom, size))
    if layer is not None:
        out.ocr_layer += layer.white_unseen()
    out.skew = skew_of(leans, len(glyphs) + len(out.unmapped))


@dataclass(frozen=True, slots=True)
class _Picture:
    """A picture as painted: its bounds (x0, y0, x1, y1, in user space), its place in the page's painting order,
    and its object (to tell, if need be, whether it hides what lies under it)."""

    box: tuple[float, float, float, float]
    order: int
    obj: Any


@dataclass(slots=True)
class _Painted:
    """What painting a page draws, forms looked into: its paths (with the matrix of the forms they sit in), its
    pictures, the painting order of its text objects (by address) and how many of them PDFium could not lay out."""

    limit: int  # paths kept at most
    paths: list[tuple[Any, tuple[float, ...]]] = field(default_factory=list)
    pictures: list[_Picture] = field(default_factory=list)
    texts: dict[int, int] = field(default_factory=dict)
    unplaced: int = 0
    order: int = 0  # objects painted so far


def _walk(painted: _Painted, container: Any, count_of: Any, get: Any, depth: int, matrix: tuple[float, ...]) -> None:
    """Go through the objects of a page or form in painting order, gathering what ``_Painted`` holds."""
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    for i in range(count_of(container)):
        obj = get(container, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        painted.order += 1
        if kind == _PATH:
            if len(painted.paths) < painted.limit:
                painted.paths.append((obj, matrix))
        elif kind == _TEXT:
            painted.texts[_address(obj)] = painted.order
            # Without extent and in a font the file does not hold: PDFium had nothing to lay it out with.
            if pdfium_c.FPDFPageObj_GetBounds(obj, *refs) and box[0].value == box[2].value \
                    and box[1].value == box[3].value \
                    and not pdfium_c.FPDFFont_GetIsEmbedded(pdfium_c.FPDFTextObj_GetFont(obj)):
                painted.unplaced += 1
        elif kind == _IMAGE:
            if pdfium_c.FPDFPageObj_GetBounds(obj, *refs) and len(painted.pictures) < _MAX_PICTURES:
                # (bounds inside a form are in the form's space: its placing matrix takes them onto the page)
                painted.pictures.append(_Picture(_mapped(matrix, *(v.value for v in box)), painted.order, obj))
        elif kind == _FORM and depth < _MAX_FORM_DEPTH:
            _walk(painted, obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1,
                  _multiply(_matrix(obj), matrix))


def _address(obj: Any) -> int:
    """A page object's handle as a number (the text page names the same objects)."""
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def _mapped(m: tuple[float, ...], x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    """The bounds of a box after a matrix."""
    if m == _IDENTITY:
        return x0, y0, x1, y1
    a, b, c, d, e, f = m
    xs, ys = zip(*((a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


_FILLS = {pdfium_c.FPDF_TEXTRENDERMODE_FILL, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE,
          pdfium_c.FPDF_TEXTRENDERMODE_FILL_CLIP, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE_CLIP}
_STROKES = {pdfium_c.FPDF_TEXTRENDERMODE_STROKE, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE,
            pdfium_c.FPDF_TEXTRENDERMODE_STROKE_CLIP, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE_CLIP}
# A picture rendered to more pixels than this (at 72 dpi) is not looked at (a hostile page size).
_MAX_LOOKED_AT = 12_000_000
# White text is the paper's colour where the picture under it is this light on average (0-255): a scan's paper
# with the strokes of its print; white text on a dark picture (a cover's banner) is printed to be seen.
_LIGHT = 160
_SAMPLES = 4  # points looked at across and down each character's box


class _Layer:
    """Tells the characters over a scanned page that no reader can see: the text an OCR program laid over the
    scan, however it was drawn (invisible, in the paper's white, or under the picture that then covers it)."""

    def __init__(self, document: Any, page: Any, scan: list[_Picture], texts: dict[int, int]) -> None:
        self._document, self._page = document, page
        self._scan = scan
        self._texts = texts  # text objects' painting order, by address
        self._hiding: dict[int, bool] = {}  # by picture's order: whether it hides what it covers
        # White characters over the scan, by the picture under them: their boxes (x0, y0, x1, y1, user space).
        self._white: dict[int, list[tuple[float, float, float, float]]] = {}

    def unseen(self, textpage: Any, i: int, box: tuple[float, float, float, float]) -> bool:
        """Whether character ``i`` of the text page (its box in user space) cannot be seen; white ones are
        kept for ``white_unseen``."""
        obj = pdfium_c.FPDFText_GetTextObject(textpage, i)
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
        if mode in _INVISIBLE:
            return True
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        over = [p for p in self._scan if p.box[0] <= x <= p.box[2] and p.box[1] <= y <= p.box[3]]
        if not over:
            return False
        order = self._texts.get(_address(obj))
        if order is not None and any(p.order > order and self._hides(p) for p in over):
            return True
        if _paper_coloured(textpage, i, mode):
            self._white.setdefault(over[-1].order, []).append(box)
        return False

    def white_unseen(self) -> int:
        """How many white characters lie on the scan's paper (all or none: the picture under them, on average)."""
        count = sum(len(boxes) for boxes in self._white.values())
        if not count:
            return 0
        by_order = {p.order: p for p in self._scan}
        total = looked = 0
        for order, boxes in self._white.items():
            seen = _brightness(self._document, self._page, by_order[order], boxes)
            if seen is None:
                return 0
            total, looked = total + seen[0], looked + seen[1]
        return count if looked and total >= _LIGHT * looked else 0

    def _hides(self, picture: _Picture) -> bool:
        """Whether a picture is opaque everywhere (a scan), not a watermark or a stamp that lets the text show."""
        if picture.order not in self._hiding:
            self._hiding[picture.order] = _opaque(self._document, self._page, picture)
        return self._hiding[picture.order]


def _paper_coloured(textpage: Any, i: int, mode: int) -> bool:
    """Whether a character is painted only in white (the paper's colour) or not at all (fully transparent)."""
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    refs = (ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a))

    def unseen(get: Any) -> bool:
        return bool(get(textpage, i, *refs)) and (a.value == 0 or _white(r.value, g.value, b.value))

    fills, strokes = mode in _FILLS, mode in _STROKES
    return (fills or strokes) and (not fills or unseen(pdfium_c.FPDFText_GetFillColor)) \
        and (not strokes or unseen(pdfium_c.FPDFText_GetStrokeColor))


@contextmanager
def _rendered(document: Any, page: Any, picture: _Picture) -> Iterator[tuple[bytes, int, int, int] | None]:
    """A picture as painted (its masks applied, at 72 dpi, upright in user space): its BGRA bytes, width, height
    and stride; None when it cannot be (or is too big to be) rendered."""
    x0, y0, x1, y1 = picture.box
    bitmap = None
    if (x1 - x0) * (y1 - y0) <= _MAX_LOOKED_AT:
        bitmap = pdfium_c.FPDFImageObj_GetRenderedBitmap(document, page, picture.obj)
    if not bitmap:
        yield None
        return
    try:
        width, height = pdfium_c.FPDFBitmap_GetWidth(bitmap), pdfium_c.FPDFBitmap_GetHeight(bitmap)
        stride = pdfium_c.FPDFBitmap_GetStride(bitmap)
        if pdfium_c.FPDFBitmap_GetFormat(bitmap) != pdfium_c.FPDFBitmap_BGRA or width <= 0 or height <= 0:
            yield None
            return
        yield ctypes.string_at(pdfium_c.FPDFBitmap_GetBuffer(bitmap), stride * height), width, height, stride
    finally:
        pdfium_c.FPDFBitmap_Destroy(bitmap)


def _opaque(document: Any, page: Any, picture: _Picture) -> bool:
    """Whether a picture, as painted (its masks applied), covers its whole box: a scan, not a stamped watermark."""
    if pdfium_c.FPDFPageObj_HasTransparency(picture.obj):
        return False
    with _rendered(document, page, picture) as painted:
        if painted is None:
            return False
        alpha = painted[0][3::4]
        return alpha.count(255) >= _FILLED * len(alpha)


def _brightness(document: Any, page: Any, picture: _Picture,
                boxes: list[tuple[float, float, float, float]]) -> tuple[int, int] | None:
    """The summed grey (0-255, on white paper) of points of a picture under the boxes, and how many points."""
    with _rendered(document, page, picture) as painted:
        if painted is None:
            return None
        data, width, height, stride = painted
        left, bottom, right, top = picture.box
        sx, sy = width / max(right - left, 1e-6), height / max(top - bottom, 1e-6)
        total = looked = 0
        for x0, y0, x1, y1 in boxes:
            for u in range(_SAMPLES):
                col = min(width - 1, max(0, int((x0 + (u + 0.5) * (x1 - x0) / _SAMPLES - left) * sx)))
                for v in range(_SAMPLES):
                    row = min(height - 1, max(0, int((top - y0 - (v + 0.5) * (y1 - y0) / _SAMPLES) * sy)))
                    at = row * stride + col * 4
                    alpha = data[at + 3]
                    grey = (data[at] + data[at + 1] + data[at + 2]) // 3
                    total += (grey * alpha + 255 * (255 - alpha)) // 255
                    looked += 1
        return total, looked


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


def _visible(obj: Any, segments: int, turn: Straighten | None = None) -> bool:
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
            wide, high = right.value - left.value, top.value - bottom.value
            # (a thin bar drawn with the page's lean: its bounds are the lean's drift higher or wider)
            drift = 0.0 if turn is None else abs(math.sin(math.radians(turn.degrees))) * max(wide, high)
            return min(wide, high) <= 3 + drift
    return False


def _white(r: int, g: int, b: int) -> bool:
    return min(r, g, b) >= 242  # 0.95 of full intensity


def _path_edges(obj: Any, outer: tuple[float, ...], view: _View, turn: Straighten | None = None) -> list[Edge]:
    """The horizontal and vertical straight pieces of a visible path (curves are not table rules); on a leaning
    page (``turn``), those that run along or across it once it is upright."""
    segments = pdfium_c.FPDFPath_CountSegments(obj)
    if segments <= 1 or segments > _MAX_SEGMENTS or not _visible(obj, segments, turn):
        return []
    if turn is not None:  # (a thin box's bounds lean with it: its sides tell)
        return list(_segment_edges(obj, segments, outer, view, turn))
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


def _segment_edges(obj: Any, segments: int, outer: tuple[float, ...], view: _View,
                   turn: Straighten | None = None) -> Iterator[Edge]:
    """The straight horizontal and vertical segments of a path, each an edge (``turn``: of the page upright)."""
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
            if turn is not None:
                edge = turn.edge(view.point(x0, y0), view.point(x1, y1))
                if edge is not None:
                    yield edge
                continue
            left, right, top, bottom = view.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            if abs(top - bottom) < 0.01 and right - left > 0:
                yield {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
                       "height": 0.0, "orientation": "h", "object_type": "line"}
            elif abs(left - right) < 0.01 and bottom - top > 0:
                yield {"x0": left, "x1": left, "top": top, "bottom": bottom, "width": 0.0,
                       "height": bottom - top, "orientation": "v", "object_type": "line"}
