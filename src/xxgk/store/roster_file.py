"""A roster file (名录, CSV or XLSX) → checked entries, and roster entries → a file; every row checked first.

The first row names the columns (Chinese or English, below). Errors name the row and column;
a file with any error is refused whole, so a roster is never half imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from xxgk.check.agency import classify_body
from xxgk.db.engine import StoreError
from xxgk.names import LEVEL_NAMES
from xxgk.read.document import ReadError
from xxgk.read.files import regular_file_bytes
from xxgk.render.spreadsheet import restore_text
from xxgk.store.agencies import display_name
from xxgk.store.divisions import Divisions

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_ERRORS = 30
LEVELS = {level: name for level, name in LEVEL_NAMES.items() if level != "unknown"}
_LEVEL_WORDS = {"政府": "government", "人民政府": "government", "本级政府": "government", "部门": "department",
                "乡镇": "township", "街道": "township", "乡镇（街道）": "township", "乡镇(街道)": "township",
                "乡镇街道": "township", "乡": "township", "镇": "township"}
# Column → the headings it may have.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "机关名称", "单位名称", "机关", "name"),
    "level": ("级别", "层级", "类型", "level"),
    "region_code": ("行政区划代码", "区划代码", "地区代码", "region_code", "code"),
    "region": ("地区", "所在地区", "region"),
    "parent": ("上级机关", "上级", "主管机关", "parent"),
    "site": ("网站", "门户网站", "网址", "site"),
    "column_url": ("年报栏目", "信息公开年报栏目", "年报栏目地址", "column_url"),
    "aliases": ("其他名称", "曾用名", "别名", "aliases"),
    "note": ("备注", "note"),
}
HEADINGS = {key: names[0] for key, names in COLUMNS.items()}
_CODE = re.compile(r"^\d{6}$")
_SEPARATORS = re.compile(r"[;；、\n]+")


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One body of a roster file, checked: its region is a code of the table in force."""

    line: int
    name: str
    level: str
    region_code: str
    parent: str | None = None
    site: str | None = None
    column_url: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV (UTF-8 or GBK) or XLSX file as column → text, with their line numbers."""
    try:  # a regular file only: a link to /dev/zero or a FIFO named 名录.csv is refused, not read for ever
        raw = regular_file_bytes(path, MAX_BYTES)
    except ReadError as err:
        raise StoreError(f"名录文件：{err}") from err
    table = _xlsx(raw, path) if raw[:2] == b"PK" else _csv(raw, path)
    if not table:
        raise StoreError(f"名录文件是空的：{path}")
    header = [h.strip() for h in table[0]]
    index = {key: next((i for i, h in enumerate(header) if h in names), None) for key, names in COLUMNS.items()}
    if index["name"] is None:
        raise StoreError("名录第一行应为列名，至少有“名称”一列（另可有 级别、行政区划代码、地区、上级机关、网站、年报栏目、其他名称、备注）")
    if len(table) > MAX_ROWS + 1:
        raise StoreError(f"名录行数过多（超过 {MAX_ROWS} 行）")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        row = {key: (cells[i].strip() if i is not None and i < len(cells) else "") for key, i in index.items()}
        if any(row.values()):
            rows.append((number, row))
    return rows


def _csv(raw: bytes, path: Path) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:  # the apostrophe ``export_roster`` (or register export) put before formula-like text goes again
            return [[restore_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as err:
            raise StoreError(f"名录 CSV 格式有误：{path}（{err}）") from err
    raise StoreError(f"名录应为 UTF-8 或 GBK 编码的 CSV，或 XLSX：{path}")


def _xlsx(raw: bytes, path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
        return [["" if v is None else _text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise StoreError(f"无法读取 XLSX 文件：{path}（{type(err).__name__}）") from err


def _text(value: object) -> str:
    """A cell as text (a code typed as a number keeps its digits)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_rows(rows: list[tuple[int, dict[str, str]]], table: Divisions) -> list[RosterEntry]:
    """Turn rows into entries, or raise StoreError listing every row's problem (up to ``MAX_ERRORS``)."""
    entries: list[RosterEntry] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in rows:
        try:
            entry = _entry(number, row, table)
        except ValueError as err:
            errors.append(f"第 {number} 行：{err}")
            continue
        key = (display_name(entry.name), entry.region_code)
        if key in seen:
            errors.append(f"第 {number} 行：与第 {seen[key]} 行是同一机关（名称、地区相同）")
            continue
        seen[key] = number
        entries.append(entry)
    if errors:
        more = f"（另有 {len(errors) - MAX_ERRORS} 处）" if len(errors) > MAX_ERRORS else ""
        raise StoreError("名录有误，未导入任何一行：" + "；".join(errors[:MAX_ERRORS]) + more)
    if not entries:
        raise StoreError("名录中没有机关")
    return entries


def _entry(number: int, row: dict[str, str], table: Divisions) -> RosterEntry:
    name = display_name(row["name"])
    if len(name) < 2:
        raise ValueError("缺少名称（至少两个字）")
    return RosterEntry(
        line=number, name=name, level=_level(row["level"], name), region_code=_region(row, name, table),
        parent=display_name(row["parent"]) or None, site=_url(row["site"], "网站"),
        column_url=_url(row["column_url"], "年报栏目"),
        aliases=tuple(dict.fromkeys(a for a in (display_name(x) for x in _SEPARATORS.split(row["aliases"]))
                                    if a and a != name)),
        note=row["note"] or None)


def level_word(text: str) -> str | None:
    """The level a word names (政府, 乡镇街道, 乡镇（街道）… or the ids), or None."""
    text = text.strip()
    return text if text in LEVELS else _LEVEL_WORDS.get(text)


def _level(text: str, name: str) -> str:
    """The level as written (政府/部门/乡镇（街道） or the ids), or told from the name when the cell is empty."""
    text = text.strip()
    if found := level_word(text):
        return found
    if text:
        raise ValueError(f"级别应为 政府、部门 或 乡镇（街道）：{text}")
    kind = classify_body(name).kind
    if kind == "unknown":
        raise ValueError(f"无法从名称判断级别，请填写“级别”（政府、部门 或 乡镇（街道））：{name}")
    return kind


def _region(row: dict[str, str], name: str, table: Divisions) -> str:
    """The region's code: as given (checked against the table), from the region's name, or from the body's name."""
    code = row["region_code"].strip()
    if code:
        if not _CODE.match(code):
            raise ValueError(f"行政区划代码应为6位数字：{code}")
        if table.get(code) is None:
            raise ValueError(f"区划代码表中没有代码 {code}（如为新设区划，可用 xxgk regions load 载入新的代码表）")
        return code
    for text, what in ((row["region"], "地区"), (name, "名称")):
        if text:
            region = table.locate(text).region
            if region.known and region.code:
                return region.code
            if what == "地区":
                raise ValueError(f"无法识别地区“{text}”（或有重名），请填写行政区划代码")
    raise ValueError("无法从名称确定地区，请填写行政区划代码或地区")


def _url(text: str, what: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if not text.lower().startswith(("http://", "https://")):
        raise ValueError(f"{what}应为 http:// 或 https:// 开头的网址：{text[:80]}")
    return text
