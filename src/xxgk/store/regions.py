"""An agency's region (province / city / county) from its name, with the 行政区划代码 table; overrides from a user's file.

The table (``divisions.py``) knows the administrative divisions, their short forms and former
names (``淮安市洪泽区`` and ``洪泽县`` → 江苏省淮安市洪泽区, 320813). Where a name gives only a
county whose name several counties share (``朝阳区``), the region is left unknown rather than
guessed. A database may hold a newer table (``xxgk regions load``), which replaces the packaged
one there; the override table (name → region) settles what names alone cannot.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from xxgk.db import roster_schema
from xxgk.db.engine import StoreError
from xxgk.store.divisions import Divisions, Located, Region, divisions_from_rows, merged_aliases, packaged

__all__ = ["Located", "Override", "Region", "divisions_for", "locate", "locate_many", "read_overrides",
           "store_divisions"]

_CODE = re.compile(r"^\d{6}$")


def locate(name: str, table: Divisions | None = None) -> Located:
    """Turn an agency name into its region (as far as the name tells) and the rest of the name."""
    return (table or packaged()).locate(name)


def locate_many(names: Iterable[str], table: Divisions | None = None) -> None:
    """Locate several names ahead of use (the table keeps what it found)."""
    for name in names:
        locate(name, table)


# The tables loaded into databases, by what identifies the load (so each is read once per process).
_loaded: dict[tuple[str, int, datetime], Divisions] = {}


def divisions_for(conn: Connection) -> Divisions:
    """The table in force in this database: the newest one loaded into it, else the packaged one."""
    t = roster_schema.RegionTable
    newest = conn.execute(select(t.id, t.source, t.loaded_at).order_by(t.id.desc()).limit(1)).first()
    if newest is None:
        return packaged()
    key = (str(conn.engine.url), int(newest.id), newest.loaded_at)
    if key not in _loaded:
        d = roster_schema.RegionDivision
        rows = [["code", "name", "aliases"], *([r.code, r.name, r.aliases] for r in conn.execute(select(d)))]
        _loaded[key] = divisions_from_rows(rows, str(newest.source))
    return _loaded[key]


def store_divisions(conn: Connection, table: Divisions) -> Divisions:
    """Make ``table`` the one in force in this database (keeping the former names the current one knows)."""
    table = merged_aliases(table, divisions_for(conn))
    d, t = roster_schema.RegionDivision, roster_schema.RegionTable
    conn.execute(delete(d))
    rows = [{"code": x.code, "name": x.name, "aliases": ";".join(x.aliases)} for x in table.rows.values()]
    for start in range(0, len(rows), 1000):
        conn.execute(insert(d), rows[start:start + 1000])
    conn.execute(insert(t).values(source=table.source, rows=len(rows), loaded_at=datetime.now(UTC)))
    return table


@dataclass(frozen=True, slots=True)
class Override:
    """One line of a user's region table: a name (or a name's beginning) and its region."""

    name: str
    region: Region


_FIELDS = ("province", "province_code", "city", "city_code", "county", "county_code")


def read_overrides(path: Path) -> list[Override]:
    """Turn a TOML (``[[region]]`` tables) or CSV (header ``name,province,city,county,…``) file into overrides."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise StoreError(f"无法读取地区对照表：{path}（{err.strerror or err}）") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise StoreError(f"地区对照表应为 UTF-8 编码：{path}") from err
    if path.suffix.lower() == ".toml":
        try:
            records = tomllib.loads(text).get("region", [])
        except tomllib.TOMLDecodeError as err:
            raise StoreError(f"地区对照表 TOML 格式错误：{path}（{err}）") from err
        except RecursionError:  # nested thousands deep: tomllib recurses
            raise StoreError(f"地区对照表 TOML 格式错误：{path}（数组或表嵌套过深）") from None
    else:
        records = list(csv.DictReader(io.StringIO(text)))
    if not isinstance(records, list) or not records:
        raise StoreError(f"地区对照表中没有记录：{path}（TOML 用 [[region]]，CSV 需有 name 列）")
    return [_override(r, path, i + 1) for i, r in enumerate(records)]


def _override(record: Any, path: Path, number: int) -> Override:
    """One record of the table, checked."""
    if not isinstance(record, dict):
        raise StoreError(f"地区对照表第 {number} 条格式错误：{path}")
    name = str(record.get("name") or "").strip()
    if len(name) < 2:
        raise StoreError(f"地区对照表第 {number} 条缺少名称（name，至少两个字）：{path}")
    values = {f: (str(record.get(f) or "").strip() or None) for f in _FIELDS}
    for field in ("province_code", "city_code", "county_code"):
        code = values[field]
        if code is not None and not _CODE.match(code):
            raise StoreError(f"地区对照表第 {number} 条的 {field} 应为6位行政区划代码：{code}")
    if not any(values.values()):
        raise StoreError(f"地区对照表第 {number} 条没有给出任何地区：{name}")
    return Override(name, Region(**values))
