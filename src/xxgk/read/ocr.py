"""Reading images with OCR (the optional extra ``xxgk[ocr]``): page images → text lines and table rows.

A page is prepared (``prepare.py``: paper whitened, tilt undone, text brought to a readable
size); tables drawn with ruling lines (``ruling.py``) give their grids, merged cells
included; every cell is cut into its lines of text with its borders left out, and so is the
text outside tables (``crops.py``); all the crops are recognised in one batch
(``recognise.py``: PP-OCR's recogniser, numbers decoded as numbers). No text detection runs
over the whole page. A ruled table becomes the same grid of rows the HTML and DOCX readers
give; text outside tables becomes lines, and lines of several pieces far apart (a table
without rules) become rows, their columns clustered by position. Every row carries each
cell's recognition confidence: the parser confirms OCR numbers with the tables' arithmetic
(``parse/confirm.py``) and leaves unconfirmed ones null.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from PIL import Image

from xxgk.read.document import Document, DocumentBuilder, ReadError
from xxgk.read.image import ImageInfo, image_info, image_to_pages
from xxgk.read.lines import join_wrapped

if TYPE_CHECKING:  # numpy and OpenCV come with the extra: imported only when OCR runs
    from xxgk.read.crops import TextLine
    from xxgk.read.recognise import Reading, Recogniser
    from xxgk.read.ruling import TableGrid

INSTALL_HINT = "pip install 'xxgk[ocr]'"
UNAVAILABLE = f"读取图片需要 OCR 组件，请先安装：{INSTALL_HINT}"
# Images embedded in a web page or a Word file that are OCR'd: a table image is wide and
# not tiny; icons, logos, QR codes and seals are smaller. At most so many per document.
MIN_TABLE_WIDTH = 200
MIN_TABLE_HEIGHT = 40
MIN_TABLE_PIXELS = 20_000
MAX_EMBEDDED_IMAGES = 12
# A picture of text or of a table is mostly paper (light, without colour) under dark ink; a photo
# or a banner heading has hardly any. Pictures with less paper than this share of their area are
# read within a count of their own, so photos and banners ahead of a report's tables do not use
# up the tables' share (they are still read: a dark-themed screenshot has no paper either).
MIN_PAPER_SHARE = 0.1
# OCR time for one document's images; images after it are left out (with a note).
MAX_OCR_SECONDS = 120.0
# A piece of text read with less confidence than this is noise (a mark, a speck), not text.
MIN_TEXT_SCORE = 0.3
# Pieces of a line of text further apart than this many text heights are cells of a table
# without rules.
CELL_GAP = 1.0
# A cell's text is looked for this many text heights inside its rules (a rule's blur or a JPEG's
# ringing is no text).
INSET = 0.12
# A piece of free text too tall to be a line is split where its ink leaves a gap this many text
# heights wide (between columns set closer than ``CELL_GAP``; within a line characters stand closer).
NARROW_GAP = 0.5
# Numbers of one row of a table without rules stand this many text heights apart at most, up or
# down (the rows' lines are a line apart).
ROW_SPREAD = 0.5
# The beginning of a long line of a cell read first, in text heights (about as many characters):
# enough to tell every template wording from every other.
PREFIX = 9.0
# A number read with less confidence than this is read again from other renderings of its crop
# (``crops.rereadings``), and the readings vote (``_vote``).
REREAD_BELOW = 0.9
# A table's text is measured on its own when it has this many characters (and parts); its own height
# stands when it is outside these shares of the page's.
TABLE_GLYPHS = 30
OWN_SIZE = (0.75, 1.33)
# A page whose text runs up and down is turned a quarter either way, and its longest lines (at most
# this many) read both ways: the way they read surer stands, when its readings are this sure on
# average and surer by this much than the other way's (text turned the wrong way reads as nonsense,
# at 0.2-0.35; turned right at 0.5-0.8, a blurred scan's long lines lowest).
TURN_SAMPLE = 12
TURN_SURE = 0.4
TURN_MARGIN = 0.15


class OcrUnavailable(ReadError):
    """The OCR extra is not installed."""


@dataclass(frozen=True, slots=True)
class Box:
    """Text read on a page: its bounds, text and confidence."""

    left: float
    top: float
    right: float
    bottom: float
    text: str
    score: float
    number: bool = False  # read as a number

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2


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
    from xxgk.read.recognise import model_file

    return (importlib.util.find_spec("onnxruntime") is not None and importlib.util.find_spec("cv2") is not None
            and model_file() is not None)


@cache
def _engine() -> Recogniser:
    """The recogniser (loaded once per process), or OcrUnavailable."""
    try:
        from xxgk.read.recognise import recogniser

        return recogniser()
    except ImportError as err:  # not installed, or installed without what it needs
        reason = f"（已安装但无法加载：{err}）" if err.name not in ("onnxruntime", "cv2", "numpy") else ""
        raise OcrUnavailable(UNAVAILABLE + reason) from err
    except (OSError, RuntimeError) as err:  # no model file, or one ONNX Runtime cannot load
        raise OcrUnavailable(f"{UNAVAILABLE}（{type(err).__name__}）") from err


def recognise(crops: list[Any], digits: list[bool] | None = None) -> list[Reading]:
    """Read one line of text in each crop of a page (``digits``: which can only hold a number or a mark)."""
    try:
        return _engine().read(crops, digits)
    except OcrUnavailable:
        raise
    except Exception as err:  # onnxruntime errors on odd crops: one line, no traceback
        raise ReadError(f"图片无法识别（OCR 出错：{type(err).__name__}）") from err


# --- a page → items -----------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    """The lines of one table cell (or of one piece of text outside tables), and what they read as."""

    table: int  # the table's index, or -1 outside tables
    place: tuple[int, int]  # the cell's origin in its table, or (band, piece) of free text
    lines: list[TextLine]
    labelled: bool  # may hold a template wording (a table's cell, a piece of a row-like line)
    readings: dict[int, Reading] = field(default_factory=dict)  # line index → reading
    prefix: Reading | None = None  # the reading of the first line's beginning
    text: str = ""
    confidence: float = 0.0
    number: bool = False
    size: float = 0.0  # the text height of its table, where it differs from the page's (0: the page's)

    def bounds(self) -> tuple[int, int, int, int]:
        return (min(line.left for line in self.lines), min(line.top for line in self.lines),
                max(line.right for line in self.lines), max(line.bottom for line in self.lines))


def page_to_items(page: Image.Image) -> list[Item]:
    """Turn a page image into its lines of text and table rows, top to bottom."""
    _engine()
    try:
        return _page_to_items(page)
    except (ReadError, MemoryError):
        raise
    except Exception as err:  # OpenCV/NumPy errors on odd pages: one line, no traceback
        raise ReadError(f"图片无法识别（OCR 出错：{type(err).__name__}）") from err


def _page_to_items(page: Image.Image) -> list[Item]:
    import numpy as np

    from xxgk.read.crops import region_lines, split_at_gaps
    from xxgk.read.prepare import prepare
    from xxgk.read.ruling import page_to_tables

    prepared = prepare(np.asarray(page.convert("L"), dtype=np.uint8))
    ruled = page_to_tables(prepared)
    turn = _quarter_turn(prepared.gray, prepared.ink, ruled.rules, prepared.text_height)
    if turn is not None:  # a landscape table printed or scanned across a portrait page
        prepared = prepare(np.asarray(page.convert("L").transpose(turn), dtype=np.uint8))
        ruled = page_to_tables(prepared)
    height = prepared.text_height
    ink = prepared.ink & ~ruled.rules
    units: list[_Unit] = []
    for index, table in enumerate(ruled.tables):
        size = _table_text_height(ink, table.box, height)
        inset = max(2, round(INSET * (size or height)))
        for origin in table.cells():
            left, top, right, bottom = table.cell_box(origin)
            lines = region_lines(ink, (left + inset, top + inset, right - inset, bottom - inset), size or height)
            if lines:
                units.append(_Unit(index, origin, lines, True, size=size))
    free = ink.copy()
    for table in ruled.tables:
        left, top, right, bottom = table.box
        free[max(top - 2, 0) : bottom + 3, max(left - 2, 0) : right + 3] = False
    whole = (0, 0, free.shape[1], free.shape[0])
    for band, line in enumerate(region_lines(free, whole, height)):
        pieces = [lines for part in split_at_gaps(free, line, CELL_GAP * height)
                  for lines in _piece_lines(free, part, height)]
        for piece, lines in enumerate(pieces):
            if lines:
                units.append(_Unit(-1, (band, piece), lines, len(pieces) > 1))
    units = _read_units(units, prepared.gray, ruled.rules, height)
    items: list[Item] = []
    for index, table in enumerate(ruled.tables):
        items.extend(_table_items(table, {u.place: u for u in units if u.table == index and u.text}))
    items.extend(_free_items([u for u in units if u.table < 0 and u.text]))
    items.sort(key=lambda item: item.top)
    return items


def _table_text_height(ink: Any, box: tuple[int, int, int, int], height: float) -> float:
    """The text height of a table whose print is of another size than the page's (0 when it is not).

    A WeChat article's 长图 sets its prose twice as large as its tables: lines of a table's cell read
    at the page's height run together (two lines fit in one) and its Chinese is taken for digits
    (lower than a line of the page).
    """
    from xxgk.read.prepare import text_height

    left, top, right, bottom = box
    own = text_height(ink[top:bottom, left:right], TABLE_GLYPHS)
    if not own or OWN_SIZE[0] * height <= own <= OWN_SIZE[1] * height:
        return 0.0
    return own


def _quarter_turn(gray: Any, ink: Any, rules: Any, height: float) -> Image.Transpose | None:
    """The quarter turn that makes a page whose text runs up and down upright: the way its longest lines read
    surer (None: its text runs across, or neither way reads surely).

    A landscape table printed across a portrait page, or scanned so, has its lines running up and
    down; which way up only reading tells (the recogniser reads lines left to right, and its
    direction classifier only tells a line upside down).
    """
    import numpy as np

    from xxgk.read.prepare import sideways_lines

    boxes = sideways_lines(ink & ~rules, height)[:TURN_SAMPLE]
    if not boxes:
        return None
    from xxgk.read.crops import TextLine, crop

    rows, columns = gray.shape
    sureness: dict[Image.Transpose, float] = {}
    for turn, quarters in ((Image.Transpose.ROTATE_270, -1), (Image.Transpose.ROTATE_90, 1)):
        turned, turned_rules = np.rot90(gray, quarters), np.rot90(rules, quarters)
        # Where each line's box lies on the page turned (a quarter clockwise, or counter-clockwise).
        lines = [TextLine(rows - bottom, left, rows - top, right) if quarters < 0
                 else TextLine(top, columns - right, bottom, columns - left) for left, top, right, bottom in boxes]
        readings = recognise([crop(turned, line, turned_rules, height) for line in lines])
        sureness[turn] = sum(r.confidence for r in readings) / len(readings)
    best, other = sorted(sureness, key=lambda turn: -sureness[turn])
    if sureness[best] < TURN_SURE or sureness[best] - sureness[other] < TURN_MARGIN:
        return None
    return best


def _piece_lines(ink: Any, part: TextLine, height: float) -> list[list[TextLine]]:
    """The lines of a piece of free text; a piece holding a block too tall to be a line is split at
    narrower gaps (two columns of wrapped labels side by side, a category beside its rows' labels,
    interleave into one block) into pieces of their own lines."""
    from xxgk.read.crops import LINE_FIT, region_lines, split_at_gaps

    lines = region_lines(ink, (part.left, part.top, part.right, part.bottom), height)
    if all(line.height <= LINE_FIT * height for line in lines):
        return [lines]
    narrower = split_at_gaps(ink, part, NARROW_GAP * height)
    if len(narrower) < 2:
        return [lines]
    return [region_lines(ink, (p.left, p.top, p.right, p.bottom), height) for p in narrower]


def _read_units(units: list[_Unit], gray: Any, rules: Any, height: float) -> list[_Unit]:
    """Recognise the units' lines in two batches, and set each unit's text; return the units.

    First every line of digits, every short line, and the beginning of each long first line
    of a cell: a beginning that reads as a template wording settles its cell, the rest of
    which is never read. Bands of free text with numbers stacked in them are then split into
    their rows (``_split_stacked``). Then everything not yet settled is read.
    """
    from xxgk.read.crops import LOW_LINE, TextLine, crop
    from xxgk.read.labels import snap

    first: list[tuple[_Unit, int, TextLine]] = []
    for unit in units:
        size = unit.size or height
        for k, line in enumerate(unit.lines):
            tall = line.height >= LOW_LINE * size
            if unit.labelled and tall and k == 0 and line.right - line.left > PREFIX * size:
                first.append((unit, -1, TextLine(line.left, line.top, line.left + int(PREFIX * size), line.bottom)))
            elif not (unit.labelled and tall and k > 0):
                first.append((unit, k, line))
            # (later lines of a cell's text wait for its first line)
    low = [j[2].height < LOW_LINE * (j[0].size or height) for j in first]
    crops = [crop(gray, j[2], rules, j[0].size or height) for j in first]
    for (unit, k, _), reading in zip(first, recognise(crops, low), strict=True):
        if k < 0:
            unit.prefix = reading
        else:
            unit.readings[k] = reading
    units = _split_stacked(units, height)
    second: list[tuple[_Unit, int]] = []
    for unit in units:
        if unit.prefix is not None:
            wording = snap(unit.prefix.text, prefix=True) if unit.prefix.confidence >= MIN_TEXT_SCORE else None
            if wording is not None:
                unit.text, unit.confidence = wording, unit.prefix.confidence
                continue
        second.extend((unit, k) for k in range(len(unit.lines)) if k not in unit.readings)
    crops = [crop(gray, unit.lines[k], rules, unit.size or height) for unit, k in second]
    low = [unit.lines[k].height < LOW_LINE * (unit.size or height) for unit, k in second]
    for (unit, k), reading in zip(second, recognise(crops, low), strict=True):
        unit.readings[k] = reading
    _reread(units, gray, rules, height)
    for unit in units:
        if unit.text:
            continue
        read = [unit.readings[k] for k in sorted(unit.readings)]
        read = [r for r in read if r.text and (r.confidence >= MIN_TEXT_SCORE or r.number)]
        if not read:
            continue  # ink that reads as nothing: a mark or noise, not a value
        unit.text = join_wrapped([r.text for r in read])
        unit.confidence = min(r.confidence for r in read)
        unit.number = len(read) == 1 and read[0].number
        if not unit.number and (unit.labelled or len(unit.lines) == 1):
            unit.text = snap(unit.text) or unit.text
    return units


def _reread(units: list[_Unit], gray: Any, rules: Any, height: float) -> None:
    """Read again every number read unsurely, from other renderings of its crop, and let the readings vote.

    One rendering of a small or coarse picture may read a digit unsurely or wrongly (an aliased
    "0" at 0.6, a jagged "3" as "8") where a smoothed or a binarised one reads it surely: a
    number all renderings read alike is as sure as the surest of them.
    """
    from xxgk.read.crops import LOW_LINE, crop, rereadings

    unsure = [(unit, k) for unit in units if not unit.text for k, reading in unit.readings.items()
              if reading.number and reading.confidence < REREAD_BELOW]
    if not unsure:
        return
    crops: list[Any] = []
    low: list[bool] = []
    for unit, k in unsure:
        line = unit.lines[k]
        size = unit.size or height
        again = rereadings(crop(gray, line, rules, size))
        crops.extend(again)
        low.extend([line.height < LOW_LINE * size] * len(again))
    readings = iter(recognise(crops, low))
    for unit, k in unsure:
        others = [next(readings) for _ in range(len(crops) // len(unsure))]
        unit.readings[k] = _vote([unit.readings[k], *others])


def _vote(readings: list[Reading]) -> Reading:
    """The reading of a crop that its renderings agree on.

    All alike: the number, as sure as the surest reading. A majority alike: the number, as sure
    as the least sure of them (a rendering read it otherwise). No majority: the first reading,
    as sure as the least sure of all.
    """
    from xxgk.read.recognise import Reading

    texts = [r.text for r in readings]
    best = max(set(texts), key=texts.count)
    agreeing = [r for r in readings if r.text == best]
    if len(agreeing) == len(readings):
        return max(agreeing, key=lambda r: r.confidence)
    if 2 * len(agreeing) > len(readings) and all(r.number for r in agreeing):
        return min(agreeing, key=lambda r: r.confidence)
    first = readings[0]
    return Reading(first.text, min(r.confidence for r in readings), first.number)


def _split_stacked(units: list[_Unit], height: float) -> list[_Unit]:
    """Split each band of free text in which numbers stand one above the other into its rows.

    Rows of a table without rules run together into one band when their labels wrap (or a
    label spans them) and leave no white between them; "1" above "1" in a column would then
    read as one number, 11. The lines of the band's pieces go to the row of numbers nearest them.
    """
    bands: dict[int, list[_Unit]] = {}
    for unit in units:
        if unit.table < 0:
            bands.setdefault(unit.place[0], []).append(unit)
    out = [unit for unit in units if unit.table >= 0]
    index = 0
    for band in sorted(bands):
        members = bands[band]
        rows = _stacked_rows(members, height)
        if len(rows) < 2:
            for unit in members:
                unit.place = (index, unit.place[1])
            out.extend(members)
            index += 1
            continue
        for unit in members:
            groups: dict[int, list[int]] = {}
            for k, line in enumerate(unit.lines):
                middle = (line.top + line.bottom) / 2
                groups.setdefault(min(range(len(rows)), key=lambda i: abs(rows[i] - middle)), []).append(k)
            for row, lines in groups.items():
                out.append(_Unit(-1, (index + row, unit.place[1]), [unit.lines[k] for k in lines], unit.labelled,
                                 {j: unit.readings[k] for j, k in enumerate(lines) if k in unit.readings},
                                 unit.prefix if lines[0] == 0 else None))
        index += len(rows)
    return out


def _stacked_rows(band: list[_Unit], height: float) -> list[float]:
    """The middles of the rows of numbers in a band of pieces, from the pieces read as numbers one above
    the other (none when no piece is)."""
    if len(band) < 2:
        return []
    middles = sorted((line.top + line.bottom) / 2 for unit in band if len(unit.lines) > 1
                     and all(k in unit.readings and unit.readings[k].number for k in range(len(unit.lines)))
                     for line in unit.lines)
    rows: list[list[float]] = []
    for middle in middles:
        if rows and middle - rows[-1][-1] <= ROW_SPREAD * height:
            rows[-1].append(middle)
        else:
            rows.append([middle])
    return [sum(row) / len(row) for row in rows]


def _table_items(table: TableGrid, cells: dict[tuple[int, int], _Unit]) -> list[Item]:
    """Turn a ruled table and the text read in its cells into rows, as the HTML reader does: a merged
    cell's text at its origin, "" below it, nothing to its right (so a row's blank cells stand
    where its values would)."""
    used = [c for c in range(table.columns) if any((r, c) in cells for r in range(table.rows))]
    rows: list[Item] = []
    for r in range(table.rows):
        kept = [c for c in used if table.origin[r][c][1] == c]
        row = [cells[(r, c)].text if (r, c) in cells else "" for c in kept]
        if any(row):
            scores = [cells[(r, c)].confidence if (r, c) in cells else 1.0 for c in kept]
            rows.append(Item(float(table.ys[r]), row, scores, True))
    return rows


def _free_items(units: list[_Unit]) -> list[Item]:
    """Turn the text outside ruled tables into lines of text and, for tables without rules, rows."""
    bands: dict[int, list[Box]] = {}
    for unit in sorted(units, key=lambda u: u.place):
        left, top, right, bottom = unit.bounds()
        bands.setdefault(unit.place[0], []).append(Box(left, top, right, bottom, unit.text, unit.confidence,
                                                       unit.number))
    items: list[Item] = []
    block: list[list[Box]] = []
    for band in sorted(bands):
        boxes = sorted(bands[band], key=lambda b: b.left)
        if len(boxes) > 1:
            block.append(boxes)
            continue
        items.extend(_block_items(block))
        block = []
        items.append(Item(boxes[0].top, [boxes[0].text], [boxes[0].score], False))
    items.extend(_block_items(block))
    return items


def _block_items(block: list[list[Box]]) -> Iterator[Item]:
    """Rows of a table without rules: columns where its numbers stand, and the spans of its labels left of them.

    Headers above the numbers (which may span several columns) go to the column under their
    middle, so that they do not run the columns of numbers together.
    """
    if not block:
        return
    boxes = [b for line in block for b in line]
    values = _spans([b for b in boxes if b.number])
    first_value = values[0][0] if values else float("inf")
    labels = _spans([b for b in boxes if not b.number and b.right <= first_value])
    columns = sorted(labels + values) or _spans(boxes)
    for line in block:
        cells = [""] * len(columns)
        scores = [1.0] * len(columns)
        for box in line:
            index = _column_of(box, columns)
            cells[index] = f"{cells[index]} {box.text}".strip()
            scores[index] = min(scores[index], box.score)
        yield Item(min(b.top for b in line), cells, scores, True)


def _spans(boxes: list[Box]) -> list[tuple[float, float]]:
    """The spans of x the boxes cover together (overlapping ones merged), left to right."""
    merged: list[list[float]] = []
    for left, right in sorted((b.left, b.right) for b in boxes):
        if merged and left <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], right)
        else:
            merged.append([left, right])
    return [(a, b) for a, b in merged]


def _column_of(box: Box, columns: list[tuple[float, float]]) -> int:
    """The column a box belongs to: the one under its middle, else the nearest."""
    for index, (left, right) in enumerate(columns):
        if left <= box.cx <= right:
            return index
    return min(range(len(columns)), key=lambda i: min(abs(box.cx - columns[i][0]), abs(box.cx - columns[i][1])))


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
    _unpapered: int = 0  # pictures read that look like no paper (photos, banners)
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
        if self._out_of_time():
            self._over_budget += 1
            return 0
        try:
            pages = image_to_pages(raw)
            if not pages or looks_like_paper(pages[0]):
                if self.read >= MAX_EMBEDDED_IMAGES:
                    self._over_budget += 1
                    return 0
                self.read += 1
            elif self._unpapered >= MAX_EMBEDDED_IMAGES:
                self._over_budget += 1
                return 0
            else:
                self._unpapered += 1
            emitted = 0
            for page in pages:
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
                         f"（文字或表格图片、照片等其他图片各最多 {MAX_EMBEDDED_IMAGES} 张，共 {MAX_OCR_SECONDS:.0f} 秒），未识别")
        return notes

    def _out_of_time(self) -> bool:
        now = time.monotonic()
        if self._started is None:
            self._started = now
        return now - self._started > MAX_OCR_SECONDS


def looks_like_paper(page: Image.Image) -> bool:
    """Whether at least ``MIN_PAPER_SHARE`` of a picture is paper: light (near its brightest) and colourless."""
    import numpy as np

    small = np.asarray(page.convert("RGB").resize((96, 96), Image.Resampling.BOX), dtype=np.int16)
    brightest, darkest = small.max(axis=2), small.min(axis=2)
    # Light relative to the picture's own white: a photographed page in dim light is paper too.
    light = brightest >= 0.75 * float(np.percentile(brightest, 95))
    colourless = brightest - darkest < 40
    return float((light & colourless).mean()) >= MIN_PAPER_SHARE


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
        from xxgk.read.image import MAX_OCR_PIXELS, to_grey

        _engine()
        try:
            import pypdfium2  # type: ignore[import-untyped]

            if self._document is None:
                self._document = pypdfium2.PdfDocument(self._raw)
            page = self._document[index]
            width, height = page.get_size()
            scale = min(self.DPI / 72, (MAX_OCR_PIXELS / max(width * height, 1.0)) ** 0.5)
            image = to_grey(page.render(scale=scale).to_pil())  # in colour: a red seal is taken out
        except Exception as err:  # pdfium's errors on damaged pages: one line, no traceback
            raise ReadError(f"页面无法转为图像（{type(err).__name__}）") from err
        return items_to_builder(page_to_items(image), builder)

    def close(self) -> None:
        """Let go of the rendered document."""
        if self._document is not None:
            self._document.close()
            self._document = None
