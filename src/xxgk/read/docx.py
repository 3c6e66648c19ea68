"""Reading Word documents: .docx with python-docx, legacy .doc/.wps through LibreOffice.

The body is read in document order: paragraphs become lines, data tables become rows of
their exact cell grid (merged cells, horizontal ``gridSpan`` and vertical ``vMerge``, give
their text once at the origin and "" in the positions they cover). Tables that only lay
out the page (one cell, tables inside cells, whole passages in a cell) are read as the
paragraphs and tables they hold, as the HTML reader does. Text in text boxes and frames
(how converters lay out a PDF opened in Word) is read by its place on the page, as a PDF's
text is (``xxgk.read.docx_boxes``), where its anchor stands in the text.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.package import Package
from lxml import etree

from xxgk.read.document import Document, DocumentBuilder, ReadError
from xxgk.read.docx_boxes import Placed, boxes_in, frame_of, has_table
from xxgk.read.lines import is_cjk, join_wrapped
from xxgk.read.ocr import EmbeddedImages
from xxgk.read.pdf import read_positioned
from xxgk.read.pdf_objects import Glyph, PageObjects

# ZIP bombs: what a report's .docx never comes near (they are a few MB with their images).
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all entries, uncompressed
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # the main document XML, uncompressed
MAX_ENTRIES = 10_000
# An entry this large must not compress better than this (XML compresses ~10-30x).
_RATIO_FLOOR = 8 * 1024 * 1024
MAX_RATIO = 100
# Merged cells wider than this are malformed (the statutory tables have 15 columns).
_MAX_SPAN = 1000
# Beyond these a table cell is a column of the page layout, not a value or a label.
_MAX_CELL_PARAGRAPHS = 8
_MAX_CELL_CHARS = 1000
# LibreOffice converting a legacy .doc: the first start with a fresh profile takes seconds.
CONVERT_TIMEOUT = 90

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (qn(t) for t in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))
_T, _TAB, _BR, _CR = (qn(t) for t in ("w:t", "w:tab", "w:br", "w:cr"))
_NO_BREAK_HYPHEN, _R, _RPR = qn("w:noBreakHyphen"), qn("w:r"), qn("w:rPr")
_VANISH = qn("w:vanish")
_VAL = qn("w:val")
# Subtrees whose text is not the paragraph's visible text: deletions (tracked changes), field
# codes, ruby annotations, text boxes, and the fallback copy of alternate content.
_SKIP = frozenset(
    {
        qn("w:del"),
        qn("w:moveFrom"),
        qn("w:instrText"),
        qn("w:delInstrText"),
        qn("w:rt"),
        qn("w:txbxContent"),
        qn("w:pPr"),
        qn("w:rPr"),
        qn("w:fldData"),
        f"{{{_MC}}}Fallback",
    }
)
# Containers whose children are body-level blocks (content controls, custom XML, ...).
_BLOCK_WRAPPERS = frozenset({_SDT, _SDT_CONTENT, qn("w:customXml"), qn("w:smartTag")})


def read_docx(raw: bytes, name: str) -> Document:
    """Turn the bytes of a .docx (or .docm, .dotx) file into a Document of lines and table rows."""
    return _read(raw, name, raw, "docx")


def read_legacy_word(raw: bytes, name: str) -> Document:
    """Turn an OLE2 file (Word 97-2003 .doc, WPS .wps) into a Document, through LibreOffice."""
    if _utf16(b"EncryptedPackage") in raw:
        raise ReadError(f"Word 文件已加密（设有打开密码），请取消密码后重试：{name}")
    if _utf16(b"WordDocument") not in raw:
        if _utf16(b"Workbook") in raw or _utf16(b"Book") in raw:
            raise ReadError(f"暂不支持读取 Excel 文件（.xls）：{name}")
        if _utf16(b"PowerPoint Document") in raw:
            raise ReadError(f"暂不支持读取 PowerPoint 文件（.ppt）：{name}")
        raise ReadError(f"无法识别的旧版 Office 文件（不是完整的 .doc/.wps 文档，可能已损坏）：{name}")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReadError("旧版 Word（.doc/.wps）文件请先另存为 .docx，或安装 LibreOffice 后重试")
    converted = _convert_with_libreoffice(soffice, raw)
    return _read(converted, name, raw, "doc")


def _utf16(name: bytes) -> bytes:
    """An OLE2 directory entry name as stored (UTF-16-LE)."""
    return name.decode("ascii").encode("utf-16-le")


def _convert_with_libreoffice(soffice: str, raw: bytes) -> bytes:
    """Turn legacy Word bytes into .docx bytes with a headless LibreOffice, bounded in time."""
    with tempfile.TemporaryDirectory(prefix="xxgk-doc-") as tmp:
        folder = Path(tmp)
        source = folder / "report.doc"
        source.write_bytes(raw)
        out = folder / "out"
        # A profile of its own: a LibreOffice already running would otherwise take the job over.
        profile = (folder / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                cwd=tmp,
            )
        except OSError as err:
            raise ReadError(f"无法启动 LibreOffice 转换旧版 Word 文件：{_one_line(err)}") from err
        try:
            process.wait(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired as err:
            raise ReadError(f"旧版 Word 文件转换超时（超过 {CONVERT_TIMEOUT} 秒），请另存为 .docx 后重试") from err
        finally:
            # The launcher may leave its office process behind: end the whole session we started.
            if process.poll() is None or _group_alive(process.pid):
                _kill_group(process.pid)
                process.wait()
        result = out / "report.docx"
        if not result.is_file():
            raise ReadError("旧版 Word 文件无法转换（文件可能已损坏），请另存为 .docx 后重试")
        return result.read_bytes()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except OSError:
        return False
    return True


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pgid, signal.SIGKILL)


def _read(docx: bytes, name: str, raw: bytes, fmt: str) -> Document:
    """Read .docx bytes; ``raw`` is the file as given (hashed), ``fmt`` its format name."""
    _check_zip(docx)
    body, numbering, pictures = _body(docx)
    builder = DocumentBuilder()
    embedded = EmbeddedImages("Word 文件")
    emitted = _Renderer(builder, numbering, pictures, embedded, _page_size(body)).blocks(body)
    notes = embedded.finish()
    if emitted == 0:
        if notes:  # only images, and they could not be read: say why
            raise ReadError(f"Word 文件中没有可读取的文字；{notes[0]}：{name}")
        raise ReadError(f"Word 文件中没有可读取的文字（内容可能只是图片或文本框）：{name}")
    return builder.build(name, fmt, raw, notes)


def _check_zip(raw: bytes) -> None:
    """Refuse broken ZIP files and ZIP bombs before anything is decompressed."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise ReadError("Word 文件已损坏或不完整（不是完整的 ZIP 压缩包，可能被截断）") from err
    if len(infos) > MAX_ENTRIES:
        raise ReadError(f"Word 文件包含的部件过多（超过 {MAX_ENTRIES} 个），可能是恶意文件")
    total = 0
    for info in infos:
        # The ZIP reader stops at the declared size, so declared sizes bound what is decompressed.
        total += info.file_size
        if info.filename == "word/document.xml" and info.file_size > MAX_DOCUMENT_BYTES:
            raise ReadError(
                f"Word 文件正文解压后过大（超过 {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB），可能是压缩炸弹"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(f"Word 文件的压缩比异常（{info.filename}），可能是压缩炸弹")
    if total > MAX_TOTAL_BYTES:
        raise ReadError(f"Word 文件解压后过大（超过 {MAX_TOTAL_BYTES // (1024 * 1024)} MB），可能是压缩炸弹")


def _body(raw: bytes) -> tuple[Any, _Numbering, dict[str, Part]]:
    """Turn .docx bytes into the ``w:body`` element of the main document part, its numbering and images."""
    try:
        package = Package.open(io.BytesIO(raw))
        part = package.main_document_part
        element = _xml(part)
        numbering = _Numbering(_related_xml(part, RT.NUMBERING), _related_xml(part, RT.STYLES))
        # Pictures in the body point at image parts by relationship id (a:blip r:embed, v:imagedata r:id).
        pictures = {rid: rel.target_part for rid, rel in part.rels.items()
                    if rel.reltype == RT.IMAGE and not rel.is_external}
    except (PackageNotFoundError, KeyError) as err:
        raise ReadError("Word 文件已损坏或不完整（找不到正文 word/document.xml）") from err
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise ReadError("Word 文件已损坏或不完整（压缩数据损坏或被截断）") from err
    except etree.XMLSyntaxError as err:
        raise ReadError(f"Word 文件已损坏或不完整（XML 格式错误：{_one_line(err)}）") from err
    except Exception as err:  # python-docx raises many kinds for damaged files
        raise ReadError(f"Word 文件已损坏或不完整（无法解析文件结构：{type(err).__name__}）") from err
    body = element.find(qn("w:body"))
    if body is None:
        raise ReadError("Word 文件已损坏或不完整（正文中没有 w:body）")
    return body, numbering, pictures


def _xml(part: Part) -> Any:
    """A package part's XML root (.docm/.dotx main parts are not loaded as XML by python-docx)."""
    return part.element if isinstance(part, XmlPart) else parse_xml(part.blob)


def _related_xml(part: Part, reltype: str) -> Any:
    """The XML root of the part related to ``part`` by ``reltype``, or None if there is none."""
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return _xml(rel.target_part)
    return None


def _one_line(err: BaseException) -> str:
    """An exception as a short one-line reason."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 160 else text[:160] + "…"


class _Renderer:
    """Feeds body blocks into the builder, counting the lines and rows produced.

    Text boxes and frames are gathered while the paragraphs that anchor them have no text of
    their own, then read together by their places (``_placed``).
    """

    def __init__(self, builder: DocumentBuilder, numbering: _Numbering, pictures: dict[str, Part],
                 embedded: EmbeddedImages, page: tuple[float, float]) -> None:
        self._builder = builder
        self._numbering = numbering
        self._pictures = pictures
        self._embedded = embedded
        self._page = page
        self._count = 0
        self._anchors = 0  # paragraphs seen, numbering the anchors of pending boxes
        self._pending: list[tuple[int, Placed]] = []

    def blocks(self, parent: Any) -> int:
        """Feed the paragraphs and tables under a body, cell or content control, in order."""
        for element in _block_children(parent):
            if element.tag == _P:
                self._paragraph(element)
            else:
                self._flush()
                self._table(element)
        self._flush()
        return self._count

    def _paragraph(self, p: Any) -> None:
        self._anchors += 1
        frame = frame_of(p)
        if frame is not None:
            self._pending.append((self._anchors, frame))
            return
        lines = [line.rstrip() for line in self._numbering.text(p).split("\n") if line.strip()]
        if lines:
            self._flush()
        for line in lines:
            self._builder.add_text(line)
            self._count += 1
        self._pending.extend((self._anchors, box) for box in boxes_in(p))
        # A table pasted as a picture: read with OCR where it stands.
        for rid in _picture_ids(p):
            part = self._pictures.get(rid)
            if part is not None:
                self._count += self._embedded.add(_blob_of(part), str(part.partname), self._builder)

    def _flush(self) -> None:
        """Read the boxes and frames gathered so far, by their places."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        for part in _placed(pending, self._page):
            if isinstance(part, Placed):  # a box holding a table: its blocks, in order
                self.blocks(part.content)
                continue
            pages, furniture = part
            sub = DocumentBuilder()
            read_positioned([self._page_objects(page) for page in pages], sub, furniture)
            self._builder.extend(sub)
            self._count += sub.count()

    def _page_objects(self, boxes: list[Placed]) -> PageObjects:
        """A page of boxes as a PDF page's objects: each line of each box a piece of text at its place."""
        width, height = self._page
        page = PageObjects(width, max(height, *(box.y + box.height for box in boxes)))
        for box in boxes:
            paragraphs = [box.content] if box.content.tag == _P else list(_block_children(box.content))
            lines = [" ".join(line.split()) for p in paragraphs for line in _paragraph_lines(self._numbering, p)]
            lines = [line for line in lines if line]
            if not lines:
                continue
            size = box.font_size()
            step = max(box.height / len(lines), size) if box.height else 1.2 * size
            # A line's height as a PDF's glyphs have it (ascent to descent), bounded for tall frames.
            tall = min(step, 1.5 * size)
            for i, line in enumerate(lines):
                wide = sum(1.0 if is_cjk(ch) else 0.55 for ch in line) * size
                right = box.x + (min(box.width, wide) if box.width > 0 else wide)
                top = box.y + i * step
                page.glyphs.append(Glyph(line, box.x, right, top, top + tall, size))
        return page

    def _table(self, tbl: Any) -> None:
        grid = _data_grid(tbl, self._numbering.text)
        if grid is None:  # a layout table: read what its cells hold, in order
            for tr in _rows(tbl):
                for tc in _cells(tr):
                    self.blocks(tc)
            return
        for row in grid:
            self._builder.add_row(row)
            self._count += 1


def _paragraph_lines(numbering: _Numbering, p: Any) -> list[str]:
    """A paragraph's visible lines (its list number in front)."""
    return numbering.text(p).split("\n")


# A box this far (a share of the page's height) above the one written before it starts a new page.
_PAGE_TURN = 0.5


def _placed(pending: list[tuple[int, Placed]], page: tuple[float, float]) -> list[Placed | tuple[list[list[Placed]], bool]]:
    """Sort boxes into pages of positioned text (and whether they are real pages), boxes holding tables apart.

    Boxes placed on the page (or all anchored in one paragraph, as LibreOffice's PDF import
    writes them) are read page by page, a page ending where the next box stands well above the
    last one; their furniture (repeated headers, footers) is then left out. Boxes placed
    relative to different paragraphs are read paragraph after paragraph.
    """
    one_page = all(box.page_relative for _, box in pending) or len({anchor for anchor, _ in pending}) == 1
    pages: list[list[Placed]] = []
    previous = pending[0][0]
    for anchor, box in pending:
        if one_page:
            turn = bool(pages) and box.y < pages[-1][-1].y - _PAGE_TURN * page[1]
        else:
            turn = anchor != previous
        if not pages or turn:
            pages.append([])
        pages[-1].append(box)
        previous = anchor
    rich = any(has_table(box.content) for _, box in pending)
    if not rich:
        return [(pages, one_page)]
    out: list[Placed | tuple[list[list[Placed]], bool]] = []
    for boxes in pages:
        run: list[Placed] = []
        for box in sorted(boxes, key=lambda b: (b.y, b.x)):
            if has_table(box.content):
                if run:
                    out.append(([run], False))
                    run = []
                out.append(box)
            else:
                run.append(box)
        if run:
            out.append(([run], False))
    return out


def _page_size(body: Any) -> tuple[float, float]:
    """The page's width and height in points (the body's section properties; A4 if not given)."""
    size = body.find(f"{qn('w:sectPr')}/{qn('w:pgSz')}")
    width = _int_attr(size, qn("w:w"), 11906) if size is not None else 11906
    height = _int_attr(size, qn("w:h"), 16838) if size is not None else 16838
    return (width or 11906) / 20, (height or 16838) / 20


_BLIP_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_VML_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"


def _blob_of(part: Part) -> Callable[[], bytes]:
    """A package part's bytes, read when asked for."""
    return lambda: bytes(part.blob)


def _picture_ids(p: Any) -> list[str]:
    """The relationship ids of the pictures in a paragraph (DrawingML and legacy VML), in order."""
    ids: list[str] = []
    for element in p.iter(_BLIP, _IMAGEDATA):
        rid = element.get(_BLIP_EMBED) if element.tag == _BLIP else element.get(_VML_ID)
        if rid and rid not in ids:
            ids.append(rid)
    return ids


def _block_children(parent: Any) -> Iterator[Any]:
    """Yield the w:p and w:tbl elements under a container, through content controls."""
    stack = list(reversed(list(parent)))
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag in (_P, _TBL):
            yield element
        elif tag in _BLOCK_WRAPPERS:
            stack.extend(reversed(list(element)))


def _rows(tbl: Any) -> Iterator[Any]:
    """Yield a table's w:tr elements, through content controls, not into nested tables."""
    yield from _children_through_wrappers(tbl, _TR)


def _cells(tr: Any) -> Iterator[Any]:
    """Yield a row's w:tc elements, through content controls."""
    yield from _children_through_wrappers(tr, _TC)


def _children_through_wrappers(parent: Any, tag: str) -> Iterator[Any]:
    stack = list(reversed(list(parent)))
    while stack:
        element = stack.pop()
        if element.tag == tag:
            yield element
        elif element.tag in _BLOCK_WRAPPERS:
            stack.extend(reversed(list(element)))


def _paragraph_text(p: Any) -> str:
    """Turn a w:p into its visible text; line breaks become newlines, tabs stay tabs."""
    parts: list[str] = []
    stack = list(reversed(list(p)))
    while stack:
        element = stack.pop()
        tag = element.tag
        if not isinstance(tag, str) or tag in _SKIP:  # comments, processing instructions
            continue
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _R and _hidden(element):
            continue
        else:
            stack.extend(reversed(list(element)))
    return "".join(parts)


def _hidden(run: Any) -> bool:
    """Tell whether a run is hidden text (``w:vanish``)."""
    rpr = run.find(_RPR)
    if rpr is None:
        return False
    vanish = rpr.find(_VANISH)
    return vanish is not None and vanish.get(_VAL, "true") not in ("0", "false", "off")


def _int_val(element: Any, path: str, default: int) -> int:
    """The integer ``w:val`` of a property element, or the default."""
    found = element.find(path)
    if found is None:
        return default
    try:
        return int(found.get(_VAL, default))
    except (TypeError, ValueError):
        return default


_TCPR, _TRPR = qn("w:tcPr"), qn("w:trPr")
_VMERGE = f"{_TCPR}/{qn('w:vMerge')}"
_HMERGE = f"{_TCPR}/{qn('w:hMerge')}"
_GRID_BEFORE = f"{_TRPR}/{qn('w:gridBefore')}"


def _data_grid(tbl: Any, text_of: Callable[[Any], str]) -> list[list[str]] | None:
    """Turn a data table into its grid of cell texts; None for a table that lays out the page.

    Each cell appears once, a cell spanning columns (``gridSpan``) included; a cell
    continuing a merge (``vMerge``/``hMerge`` without ``restart``) is "". ``gridBefore``
    positions are "". Rows with no text at all are spacers and are left out.
    """
    rows: list[list[str]] = []
    cell_count = 0
    for tr in _rows(tbl):
        row = [""] * max(0, min(_int_val(tr, _GRID_BEFORE, 0), _MAX_SPAN))
        for tc in _cells(tr):
            cell_count += 1
            if tc.find(f".//{_TBL}") is not None:
                return None
            if _continues(tc, _HMERGE):
                continue  # the legacy horizontal merge: the cell to its left holds the text
            lines = [
                " ".join(line.split())
                for p in _block_children(tc)
                for line in text_of(p).split("\n")
            ]
            # Wrapped Chinese text joins without a space ("商业\n企业" is one label).
            text = join_wrapped(lines)
            if sum(1 for line in lines if line) > _MAX_CELL_PARAGRAPHS or len(text) > _MAX_CELL_CHARS:
                return None
            if _continues(tc, _VMERGE):
                text = ""
            # A cell spanning columns (gridSpan) counts once in its row: blank positions
            # beside it would read as blank values.
            row.append(text)
        rows.append(row)
    if cell_count <= 1:
        return None
    return [row for row in rows if any(row)]


def _continues(tc: Any, path: str) -> bool:
    """Tell whether a cell is covered by a merge (vertical or horizontal) that starts before it."""
    merge = tc.find(path)
    return merge is not None and merge.get(_VAL, "continue") != "restart"


# --- automatic numbering ------------------------------------------------------------------------

_NUMPR = f"{qn('w:pPr')}/{qn('w:numPr')}"
_PSTYLE = f"{qn('w:pPr')}/{qn('w:pStyle')}"
_W_ID = {name: qn(f"w:{name}") for name in ("numId", "abstractNumId", "ilvl", "styleId")}
_CHINESE_DIGITS = "零一二三四五六七八九"
_MAX_LEVELS = 9


class _Numbering:
    """Automatic list numbers ("一、", "（二）", "3.") that Word shows but does not store as text.

    Word's AutoFormat turns a typed "一、" into a numbered list, so headings and row labels
    can carry their numbers only in numbering.xml. Counters run in document order, shared
    by lists of the same abstract definition, lower levels restarting under a higher one.
    Each paragraph's text is computed once (a layout table's cells are walked twice).
    """

    def __init__(self, numbering: Any, styles: Any) -> None:
        # abstractNumId -> level -> (start, numFmt, lvlText)
        self._abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        # numId -> (abstractNumId, level -> start override)
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._style_numpr: dict[str, tuple[str | None, int]] = {}
        self._counters: dict[str, list[int]] = {}
        self._started: set[str] = set()
        self._texts: dict[Any, str] = {}
        if numbering is not None:
            self._load_numbering(numbering)
        if styles is not None:
            self._load_styles(styles)

    def _load_numbering(self, root: Any) -> None:
        for abstract in root.iterfind(qn("w:abstractNum")):
            levels: dict[int, tuple[int, str, str]] = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                level = _int_attr(lvl, _W_ID["ilvl"], 0)
                start = _int_val(lvl, qn("w:start"), 1)
                fmt = _str_val(lvl, qn("w:numFmt"), "decimal")
                text = _str_val(lvl, qn("w:lvlText"), "")
                levels[level] = (start, fmt, text)
            self._abstract[abstract.get(_W_ID["abstractNumId"], "")] = levels
        for num in root.iterfind(qn("w:num")):
            overrides = {
                _int_attr(o, _W_ID["ilvl"], 0): _int_val(o, qn("w:startOverride"), 1)
                for o in num.iterfind(qn("w:lvlOverride"))
                if o.find(qn("w:startOverride")) is not None
            }
            self._nums[num.get(_W_ID["numId"], "")] = (_str_val(num, qn("w:abstractNumId"), ""), overrides)

    def _load_styles(self, root: Any) -> None:
        based_on: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for style in root.iterfind(qn("w:style")):
            style_id = style.get(_W_ID["styleId"], "")
            parent = _str_val(style, qn("w:basedOn"), "")
            if parent:
                based_on[style_id] = parent
            numpr = style.find(_NUMPR)
            if numpr is not None:
                own_num = _str_val(numpr, qn("w:numId"), "")
                own_level = _int_val(numpr, qn("w:ilvl"), -1)
                own[style_id] = (own_num or None, own_level if own_level >= 0 else None)
        for style_id in own.keys() | based_on.keys():
            num_id: str | None = None
            level: int | None = None
            current: str | None = style_id
            for _ in range(10):  # basedOn chains are short; cycles are malformed
                if current is None:
                    break
                found = own.get(current)
                if found is not None:
                    num_id = num_id if num_id is not None else found[0]
                    level = level if level is not None else found[1]
                current = based_on.get(current)
            if num_id is not None:
                self._style_numpr[style_id] = (num_id, level or 0)

    def text(self, p: Any) -> str:
        """The paragraph's visible text, with its list number in front when it has one."""
        cached = self._texts.get(p)
        if cached is None:
            text = _paragraph_text(p)
            label = self._label(p) if text.strip() else ""
            if label and text and label[-1].isalnum() and text[0].isalnum():
                label += " "
            cached = self._texts[p] = label + text
        return cached

    def _label(self, p: Any) -> str:
        num_id: str | None = None
        level: int | None = None
        numpr = p.find(_NUMPR)
        if numpr is not None:
            num_id = _str_val(numpr, qn("w:numId"), "") or None
            found = _int_val(numpr, qn("w:ilvl"), -1)
            level = found if found >= 0 else None
        style = p.find(_PSTYLE)
        if style is not None and (num_id is None or level is None):
            from_style = self._style_numpr.get(style.get(_VAL, ""))
            if from_style is not None:
                num_id = num_id if num_id is not None else from_style[0]
                level = level if level is not None else from_style[1]
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        level = min(max(level or 0, 0), _MAX_LEVELS - 1)
        abstract_id, overrides = self._nums[num_id]
        levels = self._abstract.get(abstract_id)
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(abstract_id, [0] * _MAX_LEVELS)
        starts = [levels.get(i, (1, "", ""))[0] for i in range(_MAX_LEVELS)]
        if num_id not in self._started:  # a list instance restarting where it says so
            self._started.add(num_id)
            for i, start in overrides.items():
                if 0 <= i < _MAX_LEVELS:
                    counters[i] = start - 1
                    starts[i] = start
        counters[level] = counters[level] + 1 if counters[level] else starts[level]
        for deeper in range(level + 1, _MAX_LEVELS):
            counters[deeper] = 0
        _, fmt, pattern = levels[level]
        if fmt in ("bullet", "none"):
            return ""

        def number(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            if not 0 <= i < _MAX_LEVELS:
                return ""
            value = counters[i] or starts[i]
            return _format_number(value, levels.get(i, (1, "decimal", ""))[1])

        return re.sub(r"%([1-9])", number, pattern)


def _str_val(element: Any, tag: str, default: str) -> str:
    found = element.find(tag)
    if found is None:
        return default
    value = found.get(_VAL)
    return default if value is None else str(value)


def _int_attr(element: Any, name: str, default: int) -> int:
    try:
        return int(element.get(name, default))
    except (TypeError, ValueError):
        return default


def _format_number(value: int, fmt: str) -> str:
    """A list counter in a Word number format (the ones Chinese documents use, else decimal)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital"):
        return _chinese(value) if fmt != "ideographDigital" else "".join(_CHINESE_DIGITS[int(d)] for d in str(value))
    if fmt in ("ideographTraditional", "ideographZodiac"):
        stems = "甲乙丙丁戊己庚辛壬癸" if fmt == "ideographTraditional" else "子丑寅卯辰巳午未申酉戌亥"
        return stems[(value - 1) % len(stems)]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _chinese(value: int) -> str:
    """1-9999 in Chinese numerals as counted in lists: 一, 十, 十一, 二十三, 一百零五."""
    if value <= 0 or value >= 10000:
        return str(value)
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out = ""
    zero = False
    for size, unit in units:
        digit = value // size % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if digit == 1 and unit == "十" and not out else _CHINESE_DIGITS[digit]) + unit
    return out


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = ""
    for size, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= size:
            out += letters
            value -= size
    return out
