"""Reading PDF files with pdfplumber: text lines in reading order, ruled tables as cell grids.

On each page, tables drawn with ruling lines become rows of exact cells (a merged cell's text
at its origin, "" where it spans), placed at their height among the page's text lines; the
rest of the text is grouped into lines from the characters' positions. Tables that go on
over a page break are just rows in order (the parser aligns rows by their labels).
Characters printed twice to fake bold type are kept once. A page whose text leans a degree or two (a scan fed in
askew under its OCR layer) is read as if upright. Pages without a text layer
(scans) are rendered and read with OCR when the ``xxgk[ocr]`` extra is installed.
"""

from __future__ import annotations

import bisect
import io
import itertools
import logging
import math
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import pdfminer.pdftypes
import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils.exceptions import PdfminerException

from xxgk.read.document import TEXT_LAYER_CONFIDENCE, Document, DocumentBuilder, ReadError
from xxgk.read.furniture import PageLines, page_furniture
from xxgk.read.lines import is_cjk, join_wrapped
from xxgk.read.pdf_names import GlyphNames
from xxgk.read.pdf_objects import (
    Edge,
    Glyph,
    PageObjects,
    PdfiumPages,
    Straighten,
    holds_table,
    private_to_ascii,
    radicals_to_ideographs,
    scan_pieces,
    shown_angle,
    skew_of,
    slanted,
    straighten,
)
from xxgk.read.pdf_reread import (
    MAX_RUNS,
    Box,
    Neighbours,
    PagePictures,
    glyphs_to_runs,
    half_width,
    run_box,
    run_to_glyphs,
)

if TYPE_CHECKING:
    from xxgk.read.ocr import Item, PdfScans

MAX_PAGES = 200
# Wall-clock budget for one file; pages after it are left out (with a note).
MAX_SECONDS = 60.0
# A decompressed stream larger than this is a bomb, not a report page (pdfminer would
# otherwise inflate it whole in memory).
MAX_STREAM_BYTES = 64 * 1024 * 1024
# Pages with more drawn edges than this are drawings: no table search (it is quadratic).
MAX_EDGES = 3000
MAX_CHARS_PER_PAGE = 60_000
# A cell holding more text than this is a column of the page layout, not a value or a label.
MAX_CELL_CHARS = 500

# Reads boxes of a page's picture: each box's text and OCR confidence (``pdf_reread.PagePictures.read``).
Reread = Callable[[Sequence[Box], Sequence[bool]], list[tuple[str, float]]]

# What a table cell's character reads as when its font gives no text for it (no Unicode map, no glyph names).
LOST = "\ufffd"
_LOST_RUN = re.compile(LOST + "+")

OCR_MESSAGE = "PDF 没有可提取的文字（可能是扫描件），需要 OCR：pip install 'xxgk[ocr]'"
OCR_EMPTY_MESSAGE = "PDF 没有可提取的文字（可能是扫描件），需要 OCR；已用 OCR 识别，但没有识别出文字（页面可能空白或不清晰）"


def read_pdf(raw: bytes, name: str) -> Document:
    """Turn the bytes of a PDF file into a Document of text lines and table rows.

    PDFium reads the pages; files it cannot open, and files with a stream that would inflate
    past ``MAX_STREAM_BYTES``, are read by pdfminer instead (with bounded inflating), so that
    their damage is named the same way.
    """
    _BoundedZlib.skipped = 0
    truncated = not _has_end_marker(raw)
    safe = _defuse_bombs(raw)
    defused = _BoundedZlib.skipped
    with quiet_pdfminer():
        try:
            pages = PdfiumPages(safe)
        except Exception:
            pass
        else:
            try:
                return _read_pages(_pdfium_pages(pages, safe), raw, name, truncated, safe)
            except _PdfiumCannotPlace:
                _BoundedZlib.skipped = defused  # pdfminer reads the text from the file's own character maps
            finally:
                pages.close()
        try:
            pdf = pdfplumber.open(io.BytesIO(safe))
        except PdfminerException as err:
            raise _open_error(err.args[0] if err.args else err, truncated) from err
        except Exception as err:  # pdfminer raises many kinds for damaged files
            raise _open_error(err, truncated) from err
        try:
            return _read_pages(_pdfminer_pages(pdf), raw, name, truncated, safe)
        finally:
            pdf.close()


@contextmanager
def quiet_pdfminer() -> Iterator[None]:
    """Keep pdfminer's complaints about fonts and damaged objects below WARNING while we read.

    pdfminer logs a warning for every font without a usable FontBBox (Type 3 fonts: hundreds
    of lines for one printed page); what matters of them reaches the user as notes. The
    records are passed on at DEBUG, so a caller who wants them can still see them. (A filter
    on a logger sees only its own records, so it goes on each of pdfminer's loggers; readers in
    other threads share them, hence the count.)
    """
    global _quieted
    with _quiet_lock:
        if _quieted == 0:
            for logger in _pdfminer_loggers():
                logger.addFilter(_demote)
        _quieted += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quieted -= 1
            if _quieted == 0:
                for logger in _pdfminer_loggers():
                    logger.removeFilter(_demote)


_quiet_lock = threading.Lock()
_quieted = 0


def _pdfminer_loggers() -> list[logging.Logger]:
    names = [name for name in list(logging.root.manager.loggerDict) if name.split(".")[0] == "pdfminer"]
    return [logging.getLogger(name) for name in ["pdfminer", *names]]


def _demote(record: logging.LogRecord) -> bool:
    """A logging filter: pdfminer's warnings and errors become DEBUG records (kept if DEBUG is wanted)."""
    if record.levelno > logging.DEBUG:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
    return True


def _open_error(err: BaseException, truncated: bool) -> ReadError:
    """Turn pdfminer's complaint on opening a file into our one-line message."""
    if isinstance(err, PDFPasswordIncorrect):
        return ReadError("PDF 已加密（需要打开密码），请取消密码后重试")
    if isinstance(err, PDFEncryptionError):
        return ReadError(f"PDF 已加密，且加密方式无法处理（{_one_line(err)}）")
    if truncated:
        return ReadError("PDF 文件已损坏或不完整（文件被截断）")
    return ReadError(f"PDF 文件已损坏或不完整（{_one_line(err)}）")


def _one_line(err: BaseException) -> str:
    """An exception as a short one-line reason."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 160 else text[:160] + "…"


# A page's objects, or the error that kept it from being read.
PageResult = PageObjects | Exception


class _PdfiumCannotPlace(Exception):
    """PDFium left text out of a page (fonts not embedded that it cannot stand in for)."""


def _pdfium_pages(pages: PdfiumPages, raw: bytes) -> Iterator[PageResult]:
    """Each page's objects as PDFium reads them; _PdfiumCannotPlace when it would leave text out."""
    names = GlyphNames(raw)
    for index in range(len(pages)):
        try:
            objects = pages.page(index, MAX_CHARS_PER_PAGE, MAX_EDGES)
        except Exception as err:
            yield err
            continue
        if objects.unplaced:
            raise _PdfiumCannotPlace
        if objects.unmapped:
            _name_glyphs(objects, names, index)
        yield objects


def _name_glyphs(objects: PageObjects, names: GlyphNames, index: int) -> None:
    """Take the characters without a Unicode map whose glyphs the page's fonts name (Type 3 digits)."""
    named = names.named_characters(index, {g.text for g in objects.unmapped})
    if not named:
        return
    kept = [g for g in objects.unmapped if g.text in named]
    objects.glyphs.extend(Glyph(named[g.text], g.x0, g.x1, g.top, g.bottom, g.size) for g in kept)
    objects.unmapped = [g for g in objects.unmapped if g.text not in named]
    objects.undecodable -= len(kept)


def _pdfminer_pages(pdf: PDF) -> Iterator[PageResult]:
    """Each page's objects as pdfminer reads them (PdfminerException: the page tree is broken)."""
    for page in _pages(pdf):
        try:
            yield _miner_objects(page)
        except Exception as err:
            yield err
        finally:
            page.close()


def _miner_objects(page: Page) -> PageObjects:
    """A page's characters and visible edges from pdfminer's layout (pdfplumber's own objects cost more to make)."""
    height = float(page.height)
    layout = page.layout
    out = PageObjects(width=float(page.width), height=height, blank=len(layout) == 0)
    shapes: list[Any] = []
    pictures: list[tuple[float, float, float, float]] = []
    leans: list[float] = []  # the kept characters' angles (degrees; pdfminer's matrices have the page's rotation)
    stack: list[Any] = list(layout)
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if text.startswith("(cid:"):
                out.undecodable += 1
            elif text.strip():
                if len(out.glyphs) >= MAX_CHARS_PER_PAGE:
                    out.cut = True
                    continue
                a, b = obj.matrix[:2]
                if (a or b) and slanted(math.degrees(math.atan2(b, a))):
                    out.slanted += 1
                    continue
                if a or b:
                    leans.append(shown_angle(math.degrees(math.atan2(b, a))))
                top, bottom = height - obj.y1, height - obj.y0
                size = float(obj.size or (bottom - top) or 10.0)
                text = private_to_ascii(radicals_to_ideographs(text))
                out.glyphs.append(Glyph(text, obj.x0, obj.x1, top, bottom, size))
        elif isinstance(obj, LTCurve):  # lines and rectangles too
            shapes.append(obj)
        elif isinstance(obj, LTImage):
            pictures.append((float(obj.x0), height - float(obj.y1), float(obj.x1), height - float(obj.y0)))
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    out.glyphs.reverse()  # the stack read them last first (the order only breaks ties later)
    out.skew = skew_of(leans, len(out.glyphs))
    turn = straighten(out)
    pieces = scan_pieces(pictures, out.width, height) or []
    out.scanned = bool(pieces)
    out.pictures = [box for k, box in enumerate(pictures) if k not in pieces and holds_table(box, out.width, height)]
    out.drawn = len(shapes)
    if 0 < out.drawn <= MAX_EDGES:
        for shape in shapes:
            if _is_visible_edge(_shape_attributes(shape)):
                out.edges.extend(_shape_edges(shape, height, turn))
    return out


def _shape_attributes(shape: LTCurve) -> dict[str, Any]:
    kind = "line" if isinstance(shape, LTLine) else "rect" if isinstance(shape, LTRect) else "curve"
    return {"object_type": kind, "stroke": shape.stroke, "fill": shape.fill, "width": shape.width,
            "height": shape.height, "stroking_color": shape.stroking_color,
            "non_stroking_color": shape.non_stroking_color}


def _shape_edges(shape: LTCurve, height: float, turn: Straighten | None = None) -> list[Edge]:
    """The horizontal and vertical sides of a line, rectangle or curve (pdfplumber's ``obj_to_edges``; ``turn``: of
    the leaning page upright)."""
    points = [(float(x), height - float(y)) for x, y in shape.pts]
    if turn is not None:
        return [edge for a, b in itertools.pairwise(points) if (edge := turn.edge(a, b)) is not None]
    if isinstance(shape, LTRect):
        x0, x1, top, bottom = shape.x0, shape.x1, height - shape.y1, height - shape.y0
        points = [(x0, top), (x1, top), (x1, bottom), (x0, bottom), (x0, top)]
    edges: list[Edge] = []
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if ay == by and ax != bx:
            x0, x1 = min(ax, bx), max(ax, bx)
            edges.append({"x0": x0, "x1": x1, "top": ay, "bottom": ay, "width": x1 - x0, "height": 0.0,
                          "orientation": "h", "object_type": "line"})
        elif ax == bx and ay != by:
            top, bottom = min(ay, by), max(ay, by)
            edges.append({"x0": ax, "x1": ax, "top": top, "bottom": bottom, "width": 0.0,
                          "height": bottom - top, "orientation": "v", "object_type": "line"})
    return edges


def _read_pages(pages: Iterable[PageResult], raw: bytes, name: str, truncated: bool, safe: bytes) -> Document:
    """Read the pages into a Document (``raw``: the file as given; ``safe``: as read, bombs defused)."""
    notes: list[str] = []
    started = time.monotonic()
    pages_read = chars_seen = failed = undecodable = lost = 0
    textless: list[int] = []
    layered: list[int] = []  # scanned pages read from their own OCR layer
    # Pages without a text layer (scans, fonts without encodings) are read with OCR, if installed.
    scans = _scanner(safe)
    scanned: list[int] = []
    # Characters no font maps, and pictures of tables on pages of text, are read from the page's rendering with
    # the same OCR (pages listed in the notes).
    pictures = PagePictures(safe) if scans is not None else None
    reread: list[int] = []
    pictured: list[int] = []
    completed: list[int] = []  # scanned pages whose OCR layer left out tables, read from the picture
    budget = _Pictures()
    # Each page read: its number and content, or the number of a scanned page read with OCR.
    contents: list[tuple[int, _PageContent | DocumentBuilder]] = []
    try:
        for number, objects in enumerate(pages, start=1):
            if number > MAX_PAGES:
                notes.append(f"PDF 超过 {MAX_PAGES} 页，只读取了前 {MAX_PAGES} 页")
                break
            if time.monotonic() - started > MAX_SECONDS:
                notes.append(f"PDF 读取超时（超过 {MAX_SECONDS:.0f} 秒），第 {number} 页起未读取")
                break
            if isinstance(objects, PdfminerException):
                raise objects
            try:
                if isinstance(objects, Exception):
                    raise objects
                left_out = [] if pictures is None else _read_left_out(pictures, number, objects, budget, notes)
                content = _read_page(objects, None if pictures is None or not objects.unmapped
                                     else partial(pictures.read, number - 1))
                blank = objects.blank
            except Exception as err:  # a damaged page: read the others
                failed += 1
                notes.append(f"PDF 第 {number} 页无法读取（{_one_line(err)}）")
                continue
            pages_read += 1
            for top, block in left_out:
                _place(content, top, block)
            if content.ocr_layer:
                layered.append(number)
            if content.reread:
                reread.append(number)
            if pictures is not None and content.chars and objects.pictures and not content.ocr_layer \
                    and _read_pictures(pictures, number, objects, content, budget, notes):
                pictured.append(number)
            chars_seen += content.chars
            undecodable += content.undecodable - content.reread
            lost += content.lost
            if content.chars == 0 or _added_to_scan(objects, content):
                ocr = DocumentBuilder()
                # A page with nothing drawn on it has nothing to recognise either.
                if scans is not None and not blank and _ocr_page(scans, number, ocr, notes):
                    scanned.append(number)
                    contents.append((number, ocr))
                    continue
                textless.append(number)
            if content.cut:
                notes.append(f"PDF 第 {number} 页字符过多（超过 {MAX_CHARS_PER_PAGE} 个），只读取了一部分")
            if left_out:
                completed.append(number)
            contents.append((number, content))
    except PdfminerException as err:  # the page tree itself is broken
        if pages_read == 0:
            raise _open_error(err.args[0] if err.args else err, truncated) from err
        notes.append(f"PDF 文件已损坏：第 {pages_read + failed + 1} 页起无法读取")
    finally:
        if scans is not None:
            scans.close()
        if pictures is not None:
            pictures.close()
    if pages_read == 0:
        reason = "文件被截断" if truncated else "找不到可读取的页面"
        raise ReadError(f"PDF 文件已损坏或不完整（{reason}）：{name}")
    if chars_seen == 0 and not scanned:
        if _BoundedZlib.skipped:
            raise ReadError("PDF 中的数据流解压后过大（可能是恶意文件），无法读取")
        if undecodable and scans is None:
            raise ReadError("PDF 的文字无法解码（字体缺少编码信息），需要 OCR：pip install 'xxgk[ocr]'")
        if truncated or failed:
            raise ReadError(f"PDF 文件已损坏或不完整（没有读到文字）：{name}")
        raise ReadError(OCR_MESSAGE if scans is None else OCR_EMPTY_MESSAGE)
    builder = DocumentBuilder()
    _emit([content for _, content in contents], builder)
    if truncated:
        notes.append("PDF 文件不完整（缺少文件结尾标记），内容可能有缺失")
    if textless:
        shown = _pages_shown(textless)
        hint = "（需要 OCR：pip install 'xxgk[ocr]'）" if scans is None else ""
        notes.append(f"PDF 第 {shown} 页没有可提取的文字（可能是扫描图片），其中的内容未读取{hint}")
    if scanned:
        shown = _pages_shown(scanned)
        notes.append(f"PDF 第 {shown} 页没有文字层（扫描件），内容由 OCR 识别，请对照原文核对")
    if layered:
        shown = _pages_shown(layered)
        notes.append(f"PDF 第 {shown} 页是扫描图片，文字取自文件自带的文字识别层（OCR 文字层），可能有识别错误，"
                     "请对照原图核对")
    if completed:
        shown = _pages_shown(completed)
        notes.append(f"PDF 第 {shown} 页的文字识别层缺少页面上的表格（或表格的大部分），这些表格由 OCR 从图片识别，"
                     "请对照原图核对")
    if pictured:
        shown = _pages_shown(pictured)
        notes.append(f"PDF 第 {shown} 页有图片（可能是表格），其中的文字由 OCR 识别，请对照原图核对")
    if budget.skipped:
        notes.append(f"PDF 中有 {budget.skipped} 张可能是表格的图片超出识别数量上限（最多 {budget.read} 张），未识别")
    if reread:
        shown = _pages_shown(reread)
        notes.append(f"PDF 第 {shown} 页有字符的字体缺少编码信息，无法提取文字，这些字符按页面图像由 OCR 识别，"
                     "请对照原文核对")
    if lost:
        notes.append(f"PDF 中有 {undecodable} 个字符无法解码（字体缺少编码信息），其中表格的 {lost} 个单元格中的"
                     "文字（数字）无法读出，这些单元格不是空白，请对照原文")
    elif undecodable:
        notes.append(f"PDF 中有 {undecodable} 个字符无法解码（字体缺少编码信息），已略去")
    if _BoundedZlib.skipped:
        notes.append(f"PDF 中有 {_BoundedZlib.skipped} 个数据流解压后过大，已跳过")
    return builder.build(name, "pdf", raw, notes)


# A page-sized picture with at most this many characters over it, all in the page's top or bottom margin, is a scan:
# the characters are a page number, a stamp or a file name a program added, not the page's text (a cover's title
# printed over a background picture stands further in).
_ADDED_TO_SCAN = 40
_MARGIN = 0.12


def _pages_shown(numbers: list[int]) -> str:
    """Page numbers for a note: the first ten, then 等."""
    return "、".join(map(str, numbers[:10])) + ("等" if len(numbers) > 10 else "")


def _added_to_scan(objects: PageObjects, content: _PageContent) -> bool:
    """Whether a page is a scan with a few characters added over it in its margins (a page number, a stamp)."""
    if not objects.scanned or content.ocr_layer or content.chars > _ADDED_TO_SCAN:
        return False
    top, bottom = _MARGIN * objects.height, (1 - _MARGIN) * objects.height
    return all(g.cy < top or g.cy > bottom for g in objects.glyphs)


@dataclass(slots=True)
class _Pictures:
    """How many pictures on pages of text were read with OCR in one file, and how many were left out."""

    read: int = 0
    skipped: int = 0


# A picture with more of the page's text over it than this many characters is a background (a letterhead, a
# tinted panel): the text is the content.
_TEXT_OVER_PICTURE = 10


def _read_pictures(pictures: PagePictures, number: int, objects: PageObjects, content: _PageContent,
                   budget: _Pictures, notes: list[str]) -> int:
    """OCR the pictures that may hold a table on page ``number`` (which has text), each picture's lines and rows
    put among the page's where the picture stands; return how many yielded any."""
    read = 0
    for box in objects.pictures:
        x0, top, x1, bottom = box
        if sum(1 for g in objects.glyphs if x0 <= g.cx <= x1 and top <= g.cy <= bottom) > _TEXT_OVER_PICTURE:
            continue
        block = _picture_block(partial(pictures.picture_items, number - 1, box), number, top, budget, notes)
        _place(content, top, block)
        read += bool(block)
    return read


def _read_left_out(pictures: PagePictures, number: int, objects: PageObjects, budget: _Pictures,
                   notes: list[str]) -> list[tuple[float, list[_Item]]]:
    """OCR the ruled tables the picture of scanned page ``number`` shows that its OCR layer left out (whole, mostly
    or in part), as pictures of tables are read (within their budget): each one's top and block. The layer's
    characters over a table read are dropped from ``objects``: the picture's reading stands for the whole table."""
    if not (objects.scanned and _is_layer(objects)):
        return []
    try:
        tables = pictures.left_out_tables(number - 1, objects.glyphs, objects.skew, objects.width, objects.height)
    except ReadError:  # (a picture that cannot be looked at: the page is read from its layer, as without OCR)
        return []
    blocks: list[tuple[float, list[_Item]]] = []
    dropped: set[int] = set()
    for table in tables:
        block = _picture_block(partial(pictures.table_items, number - 1, table.corners), number, table.top, budget,
                               notes)
        if block:
            blocks.append((table.top, block))
            dropped.update(id(g) for g in table.glyphs)
    if dropped:
        objects.glyphs = [g for g in objects.glyphs if id(g) not in dropped]
    return blocks


def _picture_block(read: Callable[[], list[Item]], number: int, top: float, budget: _Pictures,
                   notes: list[str]) -> list[_Item]:
    """A picture that may hold a table on page ``number`` read with OCR (``read``), within the file's budget: its
    lines and rows as one block at its ``top``, in the order OCR read them (a hair apart, so that order is kept)."""
    # As many as a Word file's (the OCR extra is installed when this runs).
    from xxgk.read.ocr import MAX_EMBEDDED_IMAGES

    if budget.read >= MAX_EMBEDDED_IMAGES:
        budget.skipped += 1
        return []
    budget.read += 1
    try:
        items = read()
    except ReadError as err:
        notes.append(f"PDF 第 {number} 页的图片无法识别（{err}）")
        return []
    return [_Item(top + k * 1e-3, top + k * 1e-3, " | ".join(item.cells), item.cells if item.row else None,
                  scores=list(item.confidence)) for k, item in enumerate(items)]


def _place(content: _PageContent, top: float, block: list[_Item]) -> None:
    """Put a block of lines and rows among the page's where it stands (``top``)."""
    at = next((i for i, item in enumerate(content.items) if item.top > top), len(content.items))
    content.items[at:at] = block


def read_positioned(pages: list[PageObjects], builder: DocumentBuilder, furniture: bool = True) -> None:
    """Read pages of text placed by position (not from a PDF: a Word file's text boxes) as PDF pages are read.

    ``furniture``: whether the pages are real pages, whose repeated edges are page furniture.
    """
    _emit([_read_page(page) for page in pages], builder, furniture)


def _emit(pages: list[_PageContent | DocumentBuilder], builder: DocumentBuilder, furniture: bool = True) -> None:
    """Write the pages into the builder: page furniture left out, tables cut by page breaks rejoined."""
    texts = [p for p in pages if isinstance(p, _PageContent)]
    dropped = page_furniture([
        PageLines(p.height, [(item.top, item.bottom, item.text if item.cells is None else None) for item in p.items])
        for p in texts
    ]) if furniture else [set() for _ in texts]
    kept = [[item for i, item in enumerate(text.items) if i not in furniture]
            for text, furniture in zip(texts, dropped, strict=True)]
    _rejoin_split_rows(kept)
    read = iter(zip(texts, kept, strict=True))
    for page in pages:
        if isinstance(page, DocumentBuilder):
            builder.extend(page)
            continue
        text, items = next(read)
        # A scan's own OCR layer: marked as recognised text, so that its numbers are confirmed as OCR's are.
        layer = TEXT_LAYER_CONFIDENCE if text.ocr_layer else None
        for item in items:
            if item.cells is None:
                builder.add_text(item.text, layer if item.scores is None else min(x for x in item.scores if x is not None))
            else:
                builder.add_row(item.cells, _row_confidence(item, layer))


def _row_confidence(item: _Item, layer: float | None) -> list[float] | None:
    """A table row's OCR confidence per cell: the layer's for a scan's own OCR layer; where some cells were read
    from the page's picture, theirs, and the text layer's cells of the row count as read with full confidence
    (the row's numbers are then confirmed together, as a row of a picture's table is)."""
    assert item.cells is not None
    if item.scores is None:
        return None if layer is None else [layer] * len(item.cells)
    fill = layer if layer is not None else 1.0
    return [fill if x is None else x for x in item.scores]


def _rejoin_split_rows(pages: list[list[_Item]]) -> None:
    """Join a table row that a page break cut in two: its top half ends one page, its bottom half starts the next.

    Such halves have no rule between them (the reader closed each with a rule of its own) and the
    same columns; their texts are joined cell by cell. Halves that both hold a number in the
    same column are not a cut row (a number is never split over two pages) and stay apart.
    """
    for before, after in itertools.pairwise(pages):
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        if last.cells is None or first.cells is None or not (last.open_below and first.open_above):
            continue
        if len(last.cells) != len(first.cells):
            continue
        if any(a and b and (_is_number(a) or _is_number(b)) for a, b in zip(last.cells, first.cells, strict=True)):
            continue
        joined = [join_wrapped([a, b]) for a, b in zip(last.cells, first.cells, strict=True)]
        before[-1] = _Item(last.top, first.bottom, " | ".join(joined), joined, scores=_joined_scores(last, first))
        del after[0]


def _joined_scores(a: _Item, b: _Item) -> list[float | None] | None:
    """The OCR confidence of each cell of two halves of a row joined: the lesser where both were read."""
    if a.scores is None and b.scores is None:
        return None
    assert a.cells is not None
    left, right = a.scores or [None] * len(a.cells), b.scores or [None] * len(a.cells)
    return [x if y is None else y if x is None else min(x, y) for x, y in zip(left, right, strict=True)]


def _is_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not any(is_cjk(ch) for ch in text)


def _scanner(raw: bytes) -> PdfScans | None:
    """A reader of scanned pages with OCR, or None when the OCR extra is not installed."""
    from xxgk.read.ocr import PdfScans, ocr_available  # the OCR module reads PDF text helpers from here

    return PdfScans(raw) if ocr_available() else None


def _ocr_page(scans: PdfScans, number: int, builder: DocumentBuilder, notes: list[str]) -> bool:
    """OCR a page without text into the builder; tell whether it yielded anything."""
    try:
        return scans.read(number - 1, builder) > 0
    except ReadError as err:
        notes.append(f"PDF 第 {number} 页无法识别（{err}）")
        return False


def _has_end_marker(raw: bytes) -> bool:
    """Tell whether the file ends as a PDF does (``%%EOF``, maybe followed by a little junk)."""
    return b"%%EOF" in raw[-4096:]


_FLATE_STREAM = re.compile(rb"<<((?:(?!>>\s*stream).){0,4000}?)>>\s*stream\r?\n", re.S)


def _defuse_bombs(raw: bytes) -> bytes:
    """The file with every deflated stream that inflates past ``MAX_STREAM_BYTES`` made empty.

    The stream's first bytes become an empty deflate stream (decoders stop at its end), so the
    file keeps its length and its cross-reference offsets. Counted in ``_BoundedZlib.skipped``.
    """
    out: bytearray | None = None
    for match in _FLATE_STREAM.finditer(raw):
        if b"/Fl" not in match.group(1):
            continue
        inflater = zlib.decompressobj()
        try:
            inflater.decompress(raw[match.end() : match.end() + MAX_STREAM_BYTES], MAX_STREAM_BYTES)
        except zlib.error:
            continue
        if inflater.unconsumed_tail and len(raw) - match.end() >= len(_EMPTY_DEFLATE):
            out = out if out is not None else bytearray(raw)
            out[match.end() : match.end() + len(_EMPTY_DEFLATE)] = _EMPTY_DEFLATE
            _BoundedZlib.skipped += 1
    return raw if out is None else bytes(out)


_EMPTY_DEFLATE = zlib.compress(b"")


def _pages(pdf: PDF) -> Iterator[Page]:
    """Yield the pages one at a time (pdfplumber's ``pages`` would set them all up first)."""
    doctop = 0.0
    generator = PDFPage.create_pages(pdf.doc)
    for number in itertools.count(1):
        try:
            page_obj = next(generator)
        except StopIteration:
            return
        except Exception as err:
            raise PdfminerException(err) from err
        page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
        doctop += float(page.height)
        yield page


# --- one page -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    """A line of text or a table row on a page, with its place (a row: its table's)."""

    top: float
    bottom: float
    text: str
    cells: list[str] | None = None
    open_above: bool = False  # a table row whose table runs on from the page before (no rule over it)
    open_below: bool = False  # ... runs on to the next page (no rule under it)
    # OCR confidence of what was read from the page's picture (characters no font maps): one per cell of a
    # row (None for a cell of the text layer), or one for a line; None when all of it is the text layer.
    scores: list[float | None] | None = None


@dataclass(slots=True)
class _PageContent:
    """A page as lines of text and table rows, top to bottom."""

    height: float
    items: list[_Item] = field(default_factory=list)
    chars: int = 0
    undecodable: int = 0
    cut: bool = False  # more characters than MAX_CHARS_PER_PAGE
    ocr_layer: bool = False  # the text is a scan's invisible OCR layer (most characters are)
    lost: int = 0  # table cells holding characters that could not be decoded
    reread: int = 0  # characters without a Unicode map read from the page's picture instead (OCR)


def _read_page(objects: PageObjects, reread: Reread | None = None) -> _PageContent:
    """A page's objects → its lines and table rows; ``reread``: reads boxes of the page's picture (OCR)."""
    content = _PageContent(objects.height, undecodable=objects.undecodable, cut=objects.cut,
                           ocr_layer=_is_layer(objects))
    chars = _dedupe(objects.glyphs)
    content.chars = len(chars)
    if not chars and not (objects.unmapped and reread is not None):
        return content
    tables = _tables(objects)
    scores: dict[int, float] = {}  # characters read from the picture (by id): their OCR confidence
    unmapped = objects.unmapped
    if unmapped and reread is not None:
        unmapped = _read_back(unmapped, tables, reread, chars, scores)
        content.reread = len(objects.unmapped) - len(unmapped)
        content.chars = len(chars)
    # Ink in a table's cells that the font gives no text for: the cell is not blank, its text is lost
    # (one mark for the cell, as a crawl's lost character is: the parser says the number cannot be read).
    decoded = len(chars)
    chars.extend(Glyph(LOST, g.x0, g.x1, g.top, g.bottom, g.size) for g in unmapped
                 if any(table.contains(g) for table in tables))
    # A form's fields (or notes) typed into a table's cells are its values; elsewhere they are comments.
    chars.extend(g for g in objects.annotated if any(table.contains(g) for table in tables))
    in_table: set[int] = set()
    # (top, order, items): tables before lines at the same height, tables in their own order.
    blocks: list[tuple[float, int, list[_Item]]] = []
    for order, table in enumerate(tables):
        members = [i for i, ch in enumerate(chars) if table.contains(ch)]
        gridded = table.grid([chars[i] for i in members], scores)
        if gridded is None:  # a frame around text, not a table: its text is read as lines
            continue
        rows, row_scores = gridded
        in_table.update(members)
        if unmapped and len(chars) > decoded:
            rows = [[_LOST_RUN.sub(LOST, cell) for cell in row] for row in rows]
            content.lost += sum(LOST in cell for row in rows for cell in row)
        items = [_Item(table.top, table.bottom, "", row, scores=row_score if any(x is not None for x in row_score) else None)
                 for row, row_score in zip(rows, row_scores, strict=True)]
        if items:
            items[0].open_above = table.open_above
            items[-1].open_below = table.open_below
        blocks.append((table.top, order, items))
    free = [ch for i, ch in enumerate(chars) if i not in in_table and i < decoded]
    lines = _join_headings(_lines(free, scores))
    blocks.extend((line.top, len(tables), [_Item(line.top, line.bottom, line.text,
                                                 scores=None if line.score is None else [line.score])])
                  for line in lines)
    blocks.sort(key=lambda block: (block[0], block[1]))
    for _, _, items in blocks:
        content.items.extend(items)
    return content


def _is_layer(objects: PageObjects) -> bool:
    """Whether a page's text is a scan's invisible OCR layer (most of its characters are)."""
    return objects.ocr_layer * 2 > len(objects.glyphs)


def _read_back(unmapped: list[Glyph], tables: list[_Table], reread: Reread, chars: list[Glyph],
               scores: dict[int, float]) -> list[Glyph]:
    """Read the runs of characters no font maps from the page's picture: what is read joins ``chars``
    (its confidence in ``scores``); the characters of runs that read as nothing are returned."""
    def cell_of(g: Glyph) -> Box | None:
        return next((table.cell_box(g) for table in tables if table.contains(g)), None)

    every = glyphs_to_runs(unmapped, cell_of)
    runs, left = every[:MAX_RUNS], [g for run in every[MAX_RUNS:] for g in run]
    neighbours = Neighbours(chars)
    try:
        readings = reread([run_box(run, cell_of(run[0]), neighbours.beside(run)) for run in runs],
                          [cell_of(run[0]) is not None and half_width(run) for run in runs])
    except ReadError:  # a page PDFium cannot render: its characters stay unread, as without OCR
        return unmapped
    for run, (text, confidence) in zip(runs, readings, strict=True):
        read = run_to_glyphs(run, text)
        if not read:
            left.extend(run)
            continue
        chars.extend(read)
        scores.update((id(g), confidence) for g in read)
    return left


def _dedupe(chars: list[Glyph], tolerance: float = 1.0) -> list[Glyph]:
    """Drop characters printed again over themselves (fake bold: "总总计计" → "总计").

    The same glyph at the same size within ``tolerance`` points of one already kept is a copy.
    (pdfplumber's ``dedupe_chars`` does the same, in quadratic time.)
    """
    groups: dict[tuple[str, float], list[Glyph]] = {}
    kept: list[Glyph] = []
    for c in sorted(chars, key=lambda c: (c.top, c.x0)):
        previous = groups.setdefault((c.text, round(c.size, 1)), [])
        duplicate = False
        for other in reversed(previous):
            if c.top - other.top > tolerance:
                break
            if abs(c.x0 - other.x0) <= tolerance:
                duplicate = True
                break
        if duplicate:
            continue
        previous.append(c)
        kept.append(c)
    # Back to the order of the content stream is not needed: lines are built from positions.
    return kept


# --- text lines ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    top: float
    bottom: float
    text: str
    size: float = 0.0  # the largest font size on the line
    score: float | None = None  # the least OCR confidence of its characters read from the picture, if any


def _lines(chars: Iterable[Glyph], scores: Mapping[int, float] | None = None) -> list[_Line]:
    """Group characters into lines (by vertical centre), left to right, spaces at gaps.

    ``scores``: the OCR confidence of characters read from the page's picture (by id), for the line's score.
    """
    result: list[_Line] = []
    current: list[Glyph] = []
    anchor = 0.0
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if current and ch.cy - anchor > 0.45 * min(ch.size, current[0].size):
            result.append(_scored(_make_line(current), current, scores))
            current = []
        if not current:
            anchor = ch.cy
        current.append(ch)
    if current:
        result.append(_scored(_make_line(current), current, scores))
    return result


def _scored(line: _Line, chars: list[Glyph], scores: Mapping[int, float] | None) -> _Line:
    """The line with the least OCR confidence of its characters read from the picture (if any)."""
    if scores:
        read = [scores[id(ch)] for ch in chars if id(ch) in scores]
        if read:
            line.score = min(read)
    return line


def _make_line(chars: list[Glyph]) -> _Line:
    chars.sort(key=lambda c: c.x0)
    parts: list[str] = []
    previous: Glyph | None = None
    for ch in chars:
        if previous is not None and _spaced(previous, ch):
            parts.append(" ")
        parts.append(ch.text)
        previous = ch
    return _Line(min(c.top for c in chars), max(c.bottom for c in chars), "".join(parts),
                 max(c.size for c in chars))


# A heading is printed this much larger than the page's body text.
_HEADING_SCALE = 1.25


def _join_headings(lines: list[_Line]) -> list[_Line]:
    """Join the lines of a heading wrapped in its large type (a title over two lines is one title).

    Only lines in the same type, clearly larger than the page's usual text, one right under the other.
    """
    if len(lines) < 2:
        return lines
    sizes = sorted(line.size for line in lines)
    body = sizes[len(sizes) // 2]
    out = [lines[0]]
    for line in lines[1:]:
        last = out[-1]
        if (last.size >= _HEADING_SCALE * body and abs(line.size - last.size) <= 0.05 * last.size
                and 0 <= line.top - last.bottom <= 0.8 * last.size):
            out[-1] = _Line(last.top, line.bottom, join_wrapped([last.text, line.text]), last.size)
        else:
            out.append(line)
    return out


def _spaced(a: Glyph, b: Glyph) -> bool:
    """Tell whether the gap between two neighbouring characters is a space between words.

    Chinese text is spread out to justify lines, so between two CJK characters only a gap of
    about a character's width counts; elsewhere (numbers, Latin) a fifth of that does.
    """
    gap = b.x0 - a.x1
    size = min(a.size, b.size)
    if is_cjk(a.text[-1]) and is_cjk(b.text[0]):
        return gap > 0.9 * size
    return gap > 0.2 * size


# --- tables -------------------------------------------------------------------------------


def _tables(objects: PageObjects) -> list[_Table]:
    """Find the tables drawn with visible ruling lines on a page (pdfplumber's table finder).

    A table cut by a page break has no rule under its last row (or over its first): where
    two or more vertical rules end in the air at the same height, a rule is added there so
    that the row is still a row of cells, and the table is marked open on that side.
    """
    if not objects.edges:
        return []
    edges = [e for e in objects.edges if e["orientation"] in ("h", "v") and _length(e) >= 1]
    closing = _closing_rules(edges)
    merged = merge_edges(edges + closing, _NEAR, _NEAR, _NEAR, _NEAR)
    merged = [e for e in merged if _length(e) >= _NEAR]
    cells = intersections_to_cells(edges_to_intersections(merged, _NEAR, _NEAR))
    opened = [rule["top"] for rule in closing]
    return [_Table(group, opened) for group in cells_to_tables(cells)]


def _length(edge: Edge) -> float:
    return float(edge["width"] if edge["orientation"] == "h" else edge["height"])


_NEAR = 3.0  # points: how close rules must be to meet (pdfplumber's snap/join tolerance)


def _closing_rules(edges: list[Edge]) -> list[Edge]:
    """Horizontal rules closing tables whose vertical rules end without one (page breaks)."""
    horizontal = sorted(
        (float(e["top"]), float(e["x0"]), float(e["x1"]))
        for e in edges
        if e["orientation"] == "h" and float(e["width"]) >= _NEAR
    )
    vertical = [e for e in edges if e["orientation"] == "v" and float(e["height"]) >= _NEAR]
    heights = [h[0] for h in horizontal]

    def met(x: float, y: float) -> bool:
        start = bisect.bisect_left(heights, y - _NEAR)
        end = bisect.bisect_right(heights, y + _NEAR)
        return any(x0 - _NEAR <= x <= x1 + _NEAR for _, x0, x1 in horizontal[start:end])

    loose: list[tuple[float, float]] = []  # (y, x) of vertical rules' ends that meet nothing
    for v in vertical:
        x = float(v["x0"])
        for y in (float(v["top"]), float(v["bottom"])):
            if not met(x, y):
                loose.append((y, x))
    rules: list[Edge] = []
    loose.sort()
    group: list[tuple[float, float]] = []
    for end in [*loose, (float("inf"), 0.0)]:
        if group and end[0] - group[0][0] > _NEAR:
            if len(group) >= 2:
                y = group[0][0]
                x0, x1 = min(g[1] for g in group), max(g[1] for g in group)
                rules.append(
                    {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                     "width": x1 - x0, "height": 0.0, "orientation": "h"}
                )
            group = []
        group.append(end)
    return rules


def _is_visible_edge(obj: dict[str, Any]) -> bool:
    """Keep characters and the lines that can be seen: not white, not white-filled boxes."""
    kind = obj.get("object_type")
    if kind not in ("line", "rect", "curve"):
        return True
    if (kind == "line" or obj.get("stroke")) and not _is_white(obj.get("stroking_color")):
        return True
    if obj.get("fill") and not _is_white(obj.get("non_stroking_color")):
        # Filled shapes draw rules only when thin; wide ones are shading behind text.
        return min(float(obj.get("width", 0)), float(obj.get("height", 0))) <= 3
    return False


def _is_white(color: Any) -> bool:
    """Tell whether a pdfplumber colour (gray, RGB or CMYK tuple) is white or nearly so."""
    if not isinstance(color, (tuple, list)) or not color:
        return False
    try:
        values = [float(v) for v in color]
    except (TypeError, ValueError):
        return False
    if len(values) == 4:  # CMYK: no ink
        return all(v <= 0.05 for v in values)
    return all(v >= 0.95 for v in values)


class _Table:
    """A ruled table: its cells' boxes; turns the characters inside into a grid of texts.

    ``opened``: the heights of rules added where a page break cut the table (``_closing_rules``).
    """

    def __init__(self, cells: list[tuple[float, float, float, float]], opened: list[float] = ()) -> None:  # type: ignore[assignment]
        self.cells = [tuple(map(float, c)) for c in cells]
        self.x0 = min(c[0] for c in self.cells)
        self.top = min(c[1] for c in self.cells)
        self.x1 = max(c[2] for c in self.cells)
        self.bottom = max(c[3] for c in self.cells)
        self.open_above = any(abs(y - self.top) <= _NEAR for y in opened)
        self.open_below = any(abs(y - self.bottom) <= _NEAR for y in opened)
        self.xs = sorted({c[0] for c in self.cells})
        self.ys = sorted({c[1] for c in self.cells})

    def contains(self, ch: Glyph) -> bool:
        return self.x0 <= ch.cx < self.x1 and self.top <= ch.cy < self.bottom

    def grid(self, chars: list[Glyph], scores: Mapping[int, float] | None = None) \
            -> tuple[list[list[str]], list[list[float | None]]] | None:
        """The table's rows of cell texts, and each cell's OCR confidence (None: the text layer's), or None
        when it is not a data table.

        Each cell's text goes to the grid position of its top-left corner; positions a
        merged cell covers are "" below it and left out to its right (a cell spanning
        columns counts once in its row). Characters in no cell (a border missing at a page
        break) go to the position they lie in. ``scores``: the OCR confidence of characters read
        from the page's picture (by id); a cell's is the least of its characters'.
        """
        if len(self.xs) < 2:
            return None
        col = {x: i for i, x in enumerate(self.xs)}
        row = {y: i for i, y in enumerate(self.ys)}
        slots: dict[tuple[int, int], list[Glyph]] = {}
        for ch in chars:
            cell = self._cell_of(ch)
            if cell is not None:
                key = (row[cell[1]], col[cell[0]])
            else:
                key = (_index(self.ys, ch.cy), _index(self.xs, ch.cx))
            slots.setdefault(key, []).append(ch)
        texts: dict[tuple[int, int], str] = {}
        read: dict[tuple[int, int], float] = {}
        for key, members in slots.items():
            text = join_wrapped([line.text for line in _lines(members)])
            if len(text) > MAX_CELL_CHARS:
                return None
            texts[key] = text
            if scores and (found := [scores[id(ch)] for ch in members if id(ch) in scores]):
                read[key] = min(found)
        right = self._covered_to_the_right(row)
        keys = [[(r, c) for c in range(len(self.xs)) if (r, c) not in right] for r in range(len(self.ys))]
        kept = [row_keys for row_keys in keys if any(texts.get(key) for key in row_keys)]
        return ([[texts.get(key, "") for key in row_keys] for row_keys in kept],
                [[read.get(key) for key in row_keys] for row_keys in kept])

    def _covered_to_the_right(self, row: dict[float, int]) -> set[tuple[int, int]]:
        """Grid positions inside a merged cell but right of its first column, in every row it spans."""
        covered: set[tuple[int, int]] = set()
        for x0, top, x1, bottom in self.cells:
            first = self.xs.index(x0)
            last = sum(1 for x in self.xs if x < x1 - 0.5) - 1
            rows = range(row[top], sum(1 for y in self.ys if y < bottom - 0.5))
            covered.update((r, c) for r in rows for c in range(first + 1, last + 1))
        return covered

    def cell_box(self, ch: Glyph) -> Box | None:
        """The box of the cell a character lies in (None: in none)."""
        cell = self._cell_of(ch)
        return None if cell is None else (cell[0], cell[1], cell[2], cell[3])

    def _cell_of(self, ch: Glyph) -> tuple[float, ...] | None:
        cx, cy = ch.cx, ch.cy
        for cell in self.cells:
            if cell[0] <= cx < cell[2] and cell[1] <= cy < cell[3]:
                return cell
        return None


def _index(edges: list[float], value: float) -> int:
    """The index of the last edge at or before a value (0 if none)."""
    index = 0
    for i, edge in enumerate(edges):
        if edge <= value:
            index = i
    return index


# --- bounded decompression ------------------------------------------------------------------


class _BoundedZlib:
    """Stands in for ``zlib`` inside pdfminer: inflating stops at ``MAX_STREAM_BYTES``.

    pdfminer inflates every stream whole in memory, and recovers damaged streams one byte
    at a time (quadratic): a small hostile or truncated file could take all memory or
    minutes. Streams over the limit are counted in ``skipped`` and read as empty.
    """

    error = zlib.error
    skipped = 0

    @staticmethod
    def decompress(data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, MAX_STREAM_BYTES)
        if inflater.unconsumed_tail:
            _BoundedZlib.skipped += 1
            return b""
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> Any:
        return zlib.decompressobj(*args, **kwargs)


def _decompress_damaged(data: bytes) -> bytes:
    """What a damaged (truncated, bad checksum) deflate stream holds, up to the limit."""
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    total = 0
    # Small steps: a step of 16 KiB inflates to 16 MiB at most, checked against the limit.
    for start in range(0, len(data), 16384):
        try:
            piece = inflater.decompress(data[start : start + 16384])
        except zlib.error:
            break
        total += len(piece)
        if total > MAX_STREAM_BYTES:
            _BoundedZlib.skipped += 1
            return b""
        pieces.append(piece)
        if inflater.eof:
            break
    return b"".join(pieces)


# --- references that come back on themselves ------------------------------------------------


def _resolve_to_the_end(ref: PDFObjRef, default: object = None) -> Any:
    """What a reference finally refers to, following references to references; a chain that
    comes back on itself (``6 0 R`` → ``7 0 R`` → ``6 0 R``) refers to nothing, as a missing object does.

    Stands in for ``PDFObjRef.resolve``: pdfminer's ``resolve1`` and ``resolve_all`` call it until
    they get something that is not a reference, which on such a chain is never (the audit's
    looping PDF, read by pdfminer when PDFium cannot place its text). Every module of pdfminer
    imports ``resolve1`` by name, so the one method they all end in is the place to stop the loop.
    """
    seen: set[int] = set()
    target: object = ref
    while isinstance(target, PDFObjRef):
        if target.objid in seen or target.doc is None:
            return default
        seen.add(target.objid)
        try:
            target = target.doc.getobj(target.objid)
        except PDFObjectNotFound:
            return default
    return target


setattr(pdfminer.pdftypes, "zlib", _BoundedZlib)  # noqa: B010 (a module attribute mypy would refuse)
pdfminer.pdftypes.decompress_corrupted = _decompress_damaged
setattr(PDFObjRef, "resolve", _resolve_to_the_end)  # noqa: B010 (a method mypy would not let be assigned)
