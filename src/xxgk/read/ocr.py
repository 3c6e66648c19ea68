"""Reading images with OCR (the optional extra ``xxgk[ocr]``): page images → text lines and table rows.

RapidOCR (PP-OCR models on ONNX Runtime, shipped inside its wheel: nothing is downloaded)
finds and reads the text boxes of a page. Tables drawn with ruling lines (``ruling.py``)
give each box its cell, merged cells included, so a table image becomes the same grid of
rows the HTML and DOCX readers give; boxes outside tables become lines of text, and lines
of several boxes far apart (a table without rules) become rows, their columns clustered by
position. Every row carries each cell's recognition confidence: the parser confirms OCR
numbers with the tables' arithmetic (``parse/confirm.py``) and leaves unconfirmed ones null.
"""

from __future__ import annotations

import importlib.util
import logging
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PIL import Image

from xxgk.read.document import Document, DocumentBuilder, ReadError
from xxgk.read.image import ImageInfo, image_info, image_to_pages
from xxgk.read.lines import join_wrapped

if TYPE_CHECKING:  # numpy and OpenCV come with the extra: imported only when OCR runs
    from xxgk.read.ruling import TableGrid

INSTALL_HINT = "pip install 'xxgk[ocr]'"
UNAVAILABLE = f"读取图片需要 OCR 组件，请先安装：{INSTALL_HINT}"
# Images embedded in a web page or a Word file that are OCR'd: a table image is wide and
# not tiny; icons, logos, QR codes and seals are smaller. At most so many per document.
MIN_TABLE_WIDTH = 300
MIN_TABLE_HEIGHT = 80
MIN_TABLE_PIXELS = 100_000
MAX_EMBEDDED_IMAGES = 12
# OCR time for one document's images; images after it are left out (with a note).
MAX_OCR_SECONDS = 120.0
# A box read with less confidence than this is dropped as noise (RapidOCR's default).
MIN_BOX_SCORE = 0.5
# Ink: darker than this (0-255), as in ruling.py.
INK_LEVEL = 160


class OcrUnavailable(ReadError):
    """The OCR extra is not installed."""


@dataclass(frozen=True, slots=True)
class Rect:
    """Bounds in page pixels."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Box(Rect):
    """A text box read by OCR: its bounds, text and confidence."""

    text: str = ""
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Region(Rect):
    """Where a line of text was detected; ``spill``: it crosses a cell's wall."""

    spill: bool = False

    def spilled(self) -> Region:
        """The same region, marked as crossing a wall (its text may belong to two cells)."""
        return Region(self.left, self.top, self.right, self.bottom, True)

    def read(self, text: str, score: float) -> Box:
        """The text read in this region."""
        return Box(self.left, self.top, self.right, self.bottom, text, score)


@dataclass(slots=True)
class Item:
    """What a page yields, top to bottom: a line of text, or a table row with one confidence per cell."""

    top: float
    cells: list[str]
    confidence: list[float]
    row: bool


# --- the engine ---------------------------------------------------------------------------


@cache
def ocr_available() -> bool:
    """Tell whether the OCR extra is installed (without loading it: a text PDF need not pay for OCR)."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


@cache
def _engine() -> Any:
    """The RapidOCR engine (loaded once per process), or OcrUnavailable."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as err:  # not installed, or installed without what it needs (libGL for OpenCV, ...)
        reason = "" if err.name == "rapidocr_onnxruntime" else f"（已安装但无法加载：{err}）"
        raise OcrUnavailable(UNAVAILABLE + reason) from err
    # RapidOCR logs every run at INFO: the CLI's output is ours alone.
    logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    # Pages are bounded in pixels by image.py; without this RapidOCR shrinks tall pages to 2000 px.
    return RapidOCR(max_side_len=2000, text_score=MIN_BOX_SCORE, use_cls=False, intra_op_num_threads=1, inter_op_num_threads=1)


def page_to_regions(page: Image.Image) -> list[Region]:
    """Turn a greyscale page into the places where text detection finds lines of text."""
    import numpy as np

    engine = _engine()
    try:
        result, _ = engine(np.asarray(page.convert("RGB")), use_cls=False, use_rec=False)
    except Exception as err:  # onnxruntime/OpenCV errors on odd images: one line, no traceback
        raise ReadError(f"图片无法识别（OCR 出错：{type(err).__name__}）") from err
    regions: list[Region] = []
    for quad in result or []:
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        if max(xs) - min(xs) >= 2 and max(ys) - min(ys) >= 2:
            regions.append(Region(min(xs), min(ys), max(xs), max(ys)))
    return regions


def recognise(crops: list[Image.Image]) -> list[tuple[str, float]]:
    """Read one line of text in each crop of a page: (text, confidence) each."""
    from xxgk.read.recognise import crops_to_texts

    try:
        return crops_to_texts(_engine(), crops)
    except Exception as err:  # onnxruntime errors on odd crops: one line, no traceback
        raise ReadError(f"图片无法识别（OCR 出错：{type(err).__name__}）") from err


# --- a page → items -----------------------------------------------------------------------


def page_to_items(page: Image.Image) -> list[Item]:
    """Turn a page image into its lines of text and table rows, top to bottom.

    Detection finds the lines of text; ruled tables give each its cell. A cell holding one
    line is read from its own crop (detection misses a lone "0" in a wide cell); a cell of
    several lines, and text outside tables, is read line by line as detected. All crops
    go to the recogniser in one batch.
    """
    import numpy as np

    from xxgk.read.ruling import page_to_tables

    regions = page_to_regions(page)
    tables = page_to_tables(np.asarray(page))
    line_height = statistics.median(r.height for r in regions) if regions else 0.0
    free: list[Region] = []
    inside: dict[int, list[Region]] = {}
    for region in regions:
        owner = next((i for i, t in enumerate(tables) if t.contains(region.cx, region.cy)), None)
        if owner is None:
            free.append(region)
        else:
            inside.setdefault(owner, []).append(region)
    # What to read: (table index or -1, cell origin or None, region, crop).
    jobs: list[tuple[int, tuple[int, int] | None, Region, Image.Image]] = []
    for index, table in enumerate(tables):
        by_cell: dict[tuple[int, int], list[Region]] = {}
        for region in inside.get(index, []):
            by_cell.setdefault(table.cell_at(region.cx, region.cy), []).append(region)
        for cell in sorted({o for row in table.origin for o in row}):
            bounds = table.cell_box(cell)
            members = by_cell.get(cell, [])
            crop = _ink_crop(page, bounds, line_height) if len(_lines(members)) <= 1 else None
            if crop is not None:
                left, top, right, bottom = bounds
                jobs.append((index, cell, Region(left, top, right, bottom), crop))
                continue
            for region in members:
                spill = _spills(region, bounds[0], bounds[2])
                jobs.append((index, cell, region.spilled() if spill else region, _crop(page, region)))
    jobs.extend((-1, None, region, _crop(page, region)) for region in free)
    readings = recognise([job[3] for job in jobs])
    cells: dict[tuple[int, tuple[int, int]], list[Box]] = {}
    loose: list[Box] = []
    for (index, origin, region, _), (text, score) in zip(jobs, readings, strict=True):
        if not text or score < MIN_BOX_SCORE:
            continue  # ink that reads as nothing: a mark or noise, not a value
        read = region.read(text, 0.0 if region.spill else score)
        if origin is None:
            loose.append(read)
        else:
            cells.setdefault((index, origin), []).append(read)
    items: list[Item] = []
    for index, table in enumerate(tables):
        items.extend(_table_items(table, {o: b for (i, o), b in cells.items() if i == index}))
    items.extend(_free_items(loose))
    items.sort(key=lambda item: item.top)
    return items


def _crop(page: Image.Image, region: Region) -> Image.Image:
    """The part of the page a detected line of text covers."""
    return page.crop((int(region.left), int(region.top), int(region.right) + 1, int(region.bottom) + 1))


def _table_items(table: TableGrid, cells: dict[tuple[int, int], list[Box]]) -> list[Item]:
    """Turn a ruled table and the text read in its cells into rows: a merged cell's text at its origin."""
    texts = {o: join_wrapped([_line_text(line) for line in _lines(boxes)]) for o, boxes in cells.items()}
    scores = {o: min(b.score for b in boxes) for o, boxes in cells.items()}
    used = [c for c in range(table.columns) if any((r, c) in texts for r in range(table.rows))]
    rows: list[Item] = []
    for r in range(table.rows):
        row = [texts.get((r, c), "") for c in used]
        if any(row):
            rows.append(Item(float(table.ys[r]), row, [scores.get((r, c), 1.0) for c in used], True))
    return rows


def _ink_crop(page: Image.Image, box: tuple[int, int, int, int], line_height: float) -> Image.Image | None:
    """The ink inside a cell (its rules left out) with a thin white margin, if it is one line; else None."""
    from PIL import ImageFilter, ImageOps

    left, top, right, bottom = box
    inner = page.crop((left + 4, top + 4, right - 3, bottom - 3))
    if inner.width < 4 or inner.height < 4:
        return None
    # Specks of a scan (isolated dots) are not ink of the cell's text.
    bounds = inner.filter(ImageFilter.MedianFilter(3)).point(lambda v: 255 if v < INK_LEVEL else 0).getbbox()
    if bounds is None:
        return None
    x0, y0, x1, y1 = bounds
    if line_height and y1 - y0 > 1.6 * line_height:
        return None  # several lines of text: detection's lines stand
    # A tight margin: the recogniser reads a lone digit best with little white around it.
    return ImageOps.expand(inner.crop((x0, y0, x1, y1)), border=4, fill=255)


def _spills(box: Region, left: float, right: float) -> bool:
    """Tell whether much of a box lies outside its cell's columns."""
    width = max(box.right - box.left, 1.0)
    outside = max(0.0, left - box.left) + max(0.0, box.right - right)
    return outside > 0.3 * width


class _Placed(Protocol):
    """Anything with bounds on the page (a detected region, a box read)."""

    @property
    def left(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def bottom(self) -> float: ...
    @property
    def cy(self) -> float: ...


P = TypeVar("P", bound=_Placed)


def _lines(boxes: list[P]) -> list[list[P]]:
    """Group boxes into lines: a box whose centre lies within a line's height joins it."""
    lines: list[list[P]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        if lines:
            last = lines[-1]
            top = min(b.top for b in last)
            bottom = max(b.bottom for b in last)
            if top <= box.cy <= bottom:
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.left) for line in lines]


def _line_text(line: list[Box]) -> str:
    """The text of one line of boxes, left to right, a space where a gap separates words."""
    return join_wrapped([b.text for b in line]) if len(line) > 1 else line[0].text


def _gap(line: list[Box]) -> float:
    """How far apart boxes must be to be separate cells of a table without rules."""
    height = statistics.median(b.height for b in line)
    return 1.5 * height


@dataclass(slots=True)
class _Block:
    """Consecutive lines of several far-apart boxes: a table without ruling lines."""

    lines: list[list[list[Box]]] = field(default_factory=list)


def _free_items(boxes: list[Box]) -> list[Item]:
    """Turn boxes outside ruled tables into lines of text and, for rule-less tables, rows."""
    items: list[Item] = []
    block = _Block()
    for line in _lines(boxes):
        groups = _split_at_gaps(line)
        if len(groups) > 1:
            block.lines.append(groups)
            continue
        items.extend(_block_items(block))
        block = _Block()
        items.append(Item(min(b.top for b in line), [_line_text(line)], [min(b.score for b in line)], False))
    items.extend(_block_items(block))
    return items


def _split_at_gaps(line: list[Box]) -> list[list[Box]]:
    """Split a line of boxes where the space between two is wider than a cell gap."""
    groups: list[list[Box]] = [[line[0]]]
    gap = _gap(line)
    for box in line[1:]:
        if box.left - groups[-1][-1].right > gap:
            groups.append([box])
        else:
            groups[-1].append(box)
    return groups


def _block_items(block: _Block) -> Iterator[Item]:
    """Rows of a table without rules: columns are the spans of x its cells occupy together."""
    if not block.lines:
        return
    spans: list[list[float]] = []
    for groups in block.lines:
        for g in groups:
            spans.append([min(b.left for b in g), max(b.right for b in g)])
    spans.sort()
    columns: list[list[float]] = []
    for left, right in spans:
        if columns and left <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    starts = [c[0] for c in columns]
    for groups in block.lines:
        cells = [""] * len(columns)
        scores = [1.0] * len(columns)
        for g in groups:
            index = max(i for i, s in enumerate(starts) if s <= min(b.left for b in g))
            text = _line_text(g)
            cells[index] = f"{cells[index]} {text}".strip()
            scores[index] = min(scores[index], *(b.score for b in g))
        yield Item(min(b.top for g in groups for b in g), cells, scores, True)


def items_to_builder(items: list[Item], builder: DocumentBuilder) -> int:
    """Feed a page's items into the builder; return how many lines and rows they made."""
    for item in items:
        if item.row:
            builder.add_row(item.cells, item.confidence)
        else:
            builder.add_text(item.cells[0], item.confidence[0])
    return len(items)


# --- readers ------------------------------------------------------------------------------


def read_image(raw: bytes, name: str) -> Document:
    """Turn an image file (PNG, JPEG, GIF, TIFF, BMP, WebP) into a Document with OCR."""
    pages = image_to_pages(raw)  # a broken file says so before we ask for the extra
    try:
        _engine()
    except OcrUnavailable as err:
        raise OcrUnavailable(f"{UNAVAILABLE}（{name}）") from err
    builder = DocumentBuilder()
    emitted = 0
    for page in pages:
        emitted += items_to_builder(page_to_items(page), builder)
    if emitted == 0:
        raise ReadError(f"图片中没有识别出文字：{name}")
    return builder.build(name, "image", raw)


@dataclass(slots=True)
class EmbeddedImages:
    """OCRs the images inside one web page or Word file, within bounds; misses become notes."""

    where: str  # "网页" or "Word 文件", for the notes
    notes: list[str] = field(default_factory=list)
    read: int = 0
    _unfetched: list[str] = field(default_factory=list)
    _missing_extra: int = 0
    _over_budget: int = 0
    _started: float | None = None

    def add(self, fetch: Callable[[], bytes | None], label: str, builder: DocumentBuilder) -> int:
        """OCR one image (its bytes from ``fetch``) into the builder if it may hold a table; return lines made."""
        try:
            raw = fetch()
        except Exception:  # a resolver's failure is a missing image, not a crash
            raw = None
        if raw is None:
            self._unfetched.append(label)
            return 0
        try:
            info = image_info(raw)
        except ReadError as err:
            self.notes.append(f"{self.where}中的图片无法读取（{err}）：{_short(label)}")
            return 0
        if not _may_hold_table(info):
            return 0
        if not ocr_available():
            self._missing_extra += 1
            return 0
        if self.read >= MAX_EMBEDDED_IMAGES or self._out_of_time():
            self._over_budget += 1
            return 0
        self.read += 1
        try:
            emitted = 0
            for page in image_to_pages(raw):
                emitted += items_to_builder(page_to_items(page), builder)
        except ReadError as err:
            self.notes.append(f"{self.where}中的图片无法识别（{err}）：{_short(label)}")
            return 0
        if emitted == 0:
            self.notes.append(f"{self.where}中的图片没有识别出文字：{_short(label)}")
        return emitted

    def finish(self) -> list[str]:
        """The notes, with the counts of images left out."""
        notes = list(self.notes)
        if self._unfetched:
            notes.append(f"{self.where}中有 {len(self._unfetched)} 张图片无法获取，未识别（如 {_short(self._unfetched[0])}）")
        if self._missing_extra:
            notes.append(f"{self.where}中有 {self._missing_extra} 张可能是表格的图片未识别（需要 OCR 组件：{INSTALL_HINT}）")
        if self._over_budget:
            notes.append(f"{self.where}中有 {self._over_budget} 张图片超出识别数量或时间上限"
                         f"（最多 {MAX_EMBEDDED_IMAGES} 张、{MAX_OCR_SECONDS:.0f} 秒），未识别")
        return notes

    def _out_of_time(self) -> bool:
        now = time.monotonic()
        if self._started is None:
            self._started = now
        return now - self._started > MAX_OCR_SECONDS


def _may_hold_table(info: ImageInfo) -> bool:
    """Tell a picture that may be a table (wide enough, big enough) from icons, logos and QR codes."""
    return (info.width >= MIN_TABLE_WIDTH and info.height >= MIN_TABLE_HEIGHT
            and info.width * info.height >= MIN_TABLE_PIXELS)


def _short(label: str) -> str:
    """An image reference fit for a one-line note (data: URIs are long)."""
    text = " ".join(label.split())
    if text.startswith("data:"):
        return text[:30] + "…"
    return text if len(text) <= 120 else text[:120] + "…"


class PdfScans:
    """Reads the scanned pages of one PDF with OCR: each rendered with pypdfium2, the file opened once."""

    # Rendering resolution (dpi) for OCR, lowered for large pages to stay within MAX_OCR_PIXELS.
    DPI = 200

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._document: Any = None

    def read(self, index: int, builder: DocumentBuilder) -> int:
        """OCR page ``index`` (0-based) into the builder; return the lines and rows it made, or raise ReadError."""
        from xxgk.read.image import MAX_OCR_PIXELS

        _engine()
        try:
            import pypdfium2  # type: ignore[import-untyped]

            if self._document is None:
                self._document = pypdfium2.PdfDocument(self._raw)
            page = self._document[index]
            width, height = page.get_size()
            scale = min(self.DPI / 72, (MAX_OCR_PIXELS / max(width * height, 1.0)) ** 0.5)
            image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
        except Exception as err:  # pdfium's errors on damaged pages: one line, no traceback
            raise ReadError(f"页面无法转为图像（{type(err).__name__}）") from err
        return items_to_builder(page_to_items(image), builder)

    def close(self) -> None:
        """Let go of the rendered document."""
        if self._document is not None:
            self._document.close()
            self._document = None
