"""Reading PDF files with pdfplumber: text lines in reading order, ruled tables as cell grids.

On each page, tables drawn with ruling lines become rows of exact cells (a merged cell's text
at its origin, "" where it spans), placed at their height among the page's text lines; the
rest of the text is grouped into lines from the characters' positions. Tables that go on
over a page break are just rows in order (the parser aligns rows by their labels).
Characters printed twice to fake bold type are kept once. Pages without a text layer
(scans) are rendered and read with OCR when the ``xxgk[ocr]`` extra is installed.
"""

from __future__ import annotations

import bisect
import io
import itertools
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pdfminer.pdftypes
import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from xxgk.read.document import Document, DocumentBuilder, ReadError
from xxgk.read.lines import is_cjk, join_wrapped

if TYPE_CHECKING:
    from xxgk.read.ocr import PdfScans

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

OCR_MESSAGE = "PDF 没有可提取的文字（可能是扫描件），需要 OCR：pip install 'xxgk[ocr]'"
OCR_EMPTY_MESSAGE = "PDF 没有可提取的文字（可能是扫描件），需要 OCR；已用 OCR 识别，但没有识别出文字（页面可能空白或不清晰）"


def read_pdf(raw: bytes, name: str) -> Document:
    """Turn the bytes of a PDF file into a Document of text lines and table rows."""
    _BoundedZlib.skipped = 0
    truncated = not _has_end_marker(raw)
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except PdfminerException as err:
        raise _open_error(err.args[0] if err.args else err, truncated) from err
    except Exception as err:  # pdfminer raises many kinds for damaged files
        raise _open_error(err, truncated) from err
    try:
        return _read_pages(pdf, raw, name, truncated)
    finally:
        pdf.close()


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


def _read_pages(pdf: PDF, raw: bytes, name: str, truncated: bool) -> Document:
    builder = DocumentBuilder()
    notes: list[str] = []
    started = time.monotonic()
    pages_read = chars_seen = failed = undecodable = 0
    textless: list[int] = []
    # Pages without a text layer (scans, fonts without encodings) are read with OCR, if installed.
    scans = _scanner(raw)
    scanned: list[int] = []
    try:
        for number, page in enumerate(_pages(pdf), start=1):
            if number > MAX_PAGES:
                notes.append(f"PDF 超过 {MAX_PAGES} 页，只读取了前 {MAX_PAGES} 页")
                break
            if time.monotonic() - started > MAX_SECONDS:
                notes.append(f"PDF 读取超时（超过 {MAX_SECONDS:.0f} 秒），第 {number} 页起未读取")
                break
            try:
                content = _read_page(page)
            except Exception as err:  # a damaged page: read the others
                failed += 1
                notes.append(f"PDF 第 {number} 页无法读取（{_one_line(err)}）")
                continue
            finally:
                page.close()
            pages_read += 1
            chars_seen += content.chars
            undecodable += content.undecodable
            if content.chars == 0:
                if scans is not None and _ocr_page(scans, number, builder, notes):
                    scanned.append(number)
                    continue
                textless.append(number)
            if content.cut:
                notes.append(f"PDF 第 {number} 页字符过多（超过 {MAX_CHARS_PER_PAGE} 个），只读取了一部分")
            for item in content.items:
                if isinstance(item, str):
                    builder.add_text(item)
                else:
                    builder.add_row(item)
    except PdfminerException as err:  # the page tree itself is broken
        if pages_read == 0:
            raise _open_error(err.args[0] if err.args else err, truncated) from err
        notes.append(f"PDF 文件已损坏：第 {pages_read + failed + 1} 页起无法读取")
    finally:
        if scans is not None:
            scans.close()
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
    if truncated:
        notes.append("PDF 文件不完整（缺少文件结尾标记），内容可能有缺失")
    if textless:
        shown = "、".join(map(str, textless[:10])) + ("等" if len(textless) > 10 else "")
        hint = "（需要 OCR：pip install 'xxgk[ocr]'）" if scans is None else ""
        notes.append(f"PDF 第 {shown} 页没有可提取的文字（可能是扫描图片），其中的内容未读取{hint}")
    if scanned:
        shown = "、".join(map(str, scanned[:10])) + ("等" if len(scanned) > 10 else "")
        notes.append(f"PDF 第 {shown} 页没有文字层（扫描件），内容由 OCR 识别，请对照原文核对")
    if undecodable:
        notes.append(f"PDF 中有 {undecodable} 个字符无法解码（字体缺少编码信息），已略去")
    if _BoundedZlib.skipped:
        notes.append(f"PDF 中有 {_BoundedZlib.skipped} 个数据流解压后过大，已跳过")
    return builder.build(name, "pdf", raw, notes)


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
class _PageContent:
    """A page as lines of text (str) and table rows (list of cells), top to bottom."""

    items: list[str | list[str]] = field(default_factory=list)
    chars: int = 0
    undecodable: int = 0
    cut: bool = False  # more characters than MAX_CHARS_PER_PAGE


@dataclass(slots=True)
class _Char:
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


def _read_page(page: Page) -> _PageContent:
    content = _PageContent()
    objects = page.objects
    raw_chars = objects.get("char", [])
    if len(raw_chars) > MAX_CHARS_PER_PAGE:
        content.cut = True
        raw_chars = raw_chars[:MAX_CHARS_PER_PAGE]
    chars: list[_Char] = []
    for c in _dedupe(raw_chars):
        text = c.get("text") or ""
        if text.startswith("(cid:"):
            content.undecodable += 1
            continue
        if not text.strip():
            continue
        top, bottom = float(c["top"]), float(c["bottom"])
        size = float(c.get("size") or (bottom - top) or 10.0)
        chars.append(_Char(text, float(c["x0"]), float(c["x1"]), top, bottom, size))
    content.chars = len(chars)
    if not chars:
        return content
    tables = _tables(page, objects)
    in_table: set[int] = set()
    # (top, order, items): tables before lines at the same height, tables in their own order.
    blocks: list[tuple[float, int, list[str | list[str]]]] = []
    for order, table in enumerate(tables):
        members = [i for i, ch in enumerate(chars) if table.contains(ch)]
        rows = table.grid([chars[i] for i in members])
        if rows is None:  # a frame around text, not a table: its text is read as lines
            continue
        in_table.update(members)
        blocks.append((table.top, order, [*rows]))
    free = [ch for i, ch in enumerate(chars) if i not in in_table]
    blocks.extend((line.top, len(tables), [line.text]) for line in _lines(free))
    blocks.sort(key=lambda block: (block[0], block[1]))
    for _, _, items in blocks:
        content.items.extend(items)
    return content


def _dedupe(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Drop characters printed again over themselves (fake bold: "总总计计" → "总计").

    The same glyph of the same font and size within ``tolerance`` points of one already kept
    is a copy. (pdfplumber's ``dedupe_chars`` does the same, in quadratic time.)
    """
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    kept: list[dict[str, Any]] = []
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        key = (c.get("text"), c.get("fontname"), round(float(c.get("size") or 0), 1))
        previous = groups.setdefault(key, [])
        duplicate = False
        for other in reversed(previous):
            if c["top"] - other["top"] > tolerance:
                break
            if abs(c["x0"] - other["x0"]) <= tolerance:
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


def _lines(chars: Iterable[_Char]) -> list[_Line]:
    """Group characters into lines (by vertical centre), left to right, spaces at gaps."""
    result: list[_Line] = []
    current: list[_Char] = []
    anchor = 0.0
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if current and ch.cy - anchor > 0.45 * min(ch.size, current[0].size):
            result.append(_make_line(current))
            current = []
        if not current:
            anchor = ch.cy
        current.append(ch)
    if current:
        result.append(_make_line(current))
    return result


def _make_line(chars: list[_Char]) -> _Line:
    chars.sort(key=lambda c: c.x0)
    parts: list[str] = []
    previous: _Char | None = None
    for ch in chars:
        if previous is not None and _spaced(previous, ch):
            parts.append(" ")
        parts.append(ch.text)
        previous = ch
    return _Line(min(c.top for c in chars), max(c.bottom for c in chars), "".join(parts))


def _spaced(a: _Char, b: _Char) -> bool:
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


def _tables(page: Page, objects: dict[str, list[dict[str, Any]]]) -> list[_Table]:
    """Find the tables drawn with visible ruling lines on a page.

    A table cut by a page break has no rule under its last row (or over its first): where
    two or more vertical rules end in the air at the same height, a rule is added there so
    that the row is still a row of cells.
    """
    drawn = sum(len(objects.get(kind, [])) for kind in ("line", "rect", "curve"))
    if drawn == 0 or drawn > MAX_EDGES:
        return []
    visible = page.filter(_is_visible_edge)
    edges = visible.edges
    closing = _closing_rules(edges)
    settings: dict[str, Any] = {"explicit_horizontal_lines": closing} if closing else {}
    return [_Table(t.cells) for t in visible.find_tables(settings)]


_NEAR = 3.0  # points: how close rules must be to meet (pdfplumber's snap/join tolerance)


def _closing_rules(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal rules closing tables whose vertical rules end without one (page breaks)."""
    horizontal = sorted(
        (float(e["top"]), float(e["x0"]), float(e["x1"]))
        for e in edges
        if e.get("orientation") == "h" and float(e["width"]) >= _NEAR
    )
    vertical = [e for e in edges if e.get("orientation") == "v" and float(e["height"]) >= _NEAR]
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
    rules: list[dict[str, Any]] = []
    loose.sort()
    group: list[tuple[float, float]] = []
    for end in [*loose, (float("inf"), 0.0)]:
        if group and end[0] - group[0][0] > _NEAR:
            if len(group) >= 2:
                y = group[0][0]
                x0, x1 = min(g[1] for g in group), max(g[1] for g in group)
                rules.append(
                    {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                     "width": x1 - x0, "height": 0.0}
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
    """A ruled table: its cells' boxes; turns the characters inside into a grid of texts."""

    def __init__(self, cells: list[tuple[float, float, float, float]]) -> None:
        self.cells = [tuple(map(float, c)) for c in cells]
        self.x0 = min(c[0] for c in self.cells)
        self.top = min(c[1] for c in self.cells)
        self.x1 = max(c[2] for c in self.cells)
        self.bottom = max(c[3] for c in self.cells)
        self.xs = sorted({c[0] for c in self.cells})
        self.ys = sorted({c[1] for c in self.cells})

    def contains(self, ch: _Char) -> bool:
        return self.x0 <= ch.cx < self.x1 and self.top <= ch.cy < self.bottom

    def grid(self, chars: list[_Char]) -> list[list[str]] | None:
        """The table's rows of cell texts, or None when it is not a data table.

        Each cell's text goes to the grid position of its top-left corner; positions a
        merged cell covers are "" below it and left out to its right (a cell spanning
        columns counts once in its row). Characters in no cell (a border missing at a page
        break) go to the position they lie in.
        """
        if len(self.xs) < 2:
            return None
        col = {x: i for i, x in enumerate(self.xs)}
        row = {y: i for i, y in enumerate(self.ys)}
        slots: dict[tuple[int, int], list[_Char]] = {}
        for ch in chars:
            cell = self._cell_of(ch)
            if cell is not None:
                key = (row[cell[1]], col[cell[0]])
            else:
                key = (_index(self.ys, ch.cy), _index(self.xs, ch.cx))
            slots.setdefault(key, []).append(ch)
        texts: dict[tuple[int, int], str] = {}
        for key, members in slots.items():
            text = join_wrapped([line.text for line in _lines(members)])
            if len(text) > MAX_CELL_CHARS:
                return None
            texts[key] = text
        right = self._covered_to_the_right(row)
        rows = [
            [texts.get((r, c), "") for c in range(len(self.xs)) if (r, c) not in right]
            for r in range(len(self.ys))
        ]
        return [r for r in rows if any(r)]

    def _covered_to_the_right(self, row: dict[float, int]) -> set[tuple[int, int]]:
        """Grid positions inside a merged cell but right of its first column, in every row it spans."""
        covered: set[tuple[int, int]] = set()
        for x0, top, x1, bottom in self.cells:
            first = self.xs.index(x0)
            last = sum(1 for x in self.xs if x < x1 - 0.5) - 1
            rows = range(row[top], sum(1 for y in self.ys if y < bottom - 0.5))
            covered.update((r, c) for r in rows for c in range(first + 1, last + 1))
        return covered

    def _cell_of(self, ch: _Char) -> tuple[float, ...] | None:
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


setattr(pdfminer.pdftypes, "zlib", _BoundedZlib)  # noqa: B010 (a module attribute mypy would refuse)
pdfminer.pdftypes.decompress_corrupted = _decompress_damaged
