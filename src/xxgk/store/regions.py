"""An agency's region (province / city / county) from its name, with cpca; overrides from a user's file.

cpca knows the administrative divisions and their short forms (``淮安市洪泽区`` and ``洪泽区`` →
江苏省淮安市洪泽区, 320813). Where a name gives only a county whose name several counties share
(``朝阳区``), the region is left unknown rather than guessed. Its table predates some renamings
(``武隆县`` → ``武隆区``): the override table is the remedy.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from xxgk.db.engine import StoreError

_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True, slots=True)
class Region:
    """Where an agency sits; codes are 6-digit administrative division codes."""

    province: str | None = None
    province_code: str | None = None
    city: str | None = None
    city_code: str | None = None
    county: str | None = None
    county_code: str | None = None

    @property
    def code(self) -> str | None:
        """The most specific code known."""
        return self.county_code or self.city_code or self.province_code

    @property
    def known(self) -> bool:
        return self.code is not None


@dataclass(frozen=True, slots=True)
class Located:
    """A name split into the region it names and the rest (the body: ``人民政府``, ``统计局``)."""

    region: Region
    rest: str


@cache
def _cpca() -> Any:
    """The cpca module (imported on first use: it loads its division table)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns on import
        import cpca  # type: ignore[import-untyped]
    return cpca


@cache
def _county_name_counts() -> Counter[str]:
    """How many counties bear each county name (``朝阳区``: 2)."""
    return Counter(a.name for a in _cpca().ad_2_addr_dict.values() if a.rank == 2)


def _text(value: Any) -> str | None:
    """cpca's cells: a name, or NaN/None where a level is unknown."""
    return value if isinstance(value, str) and value else None


_located: dict[str, Located] = {}


def locate(name: str) -> Located:
    """Turn an agency name into its region (as far as the name tells) and the rest of the name."""
    if name not in _located:
        locate_many([name])
    return _located[name]


def locate_many(names: Iterable[str]) -> None:
    """Locate several names with one call to cpca (it builds a DataFrame per call: batch them)."""
    todo = sorted({n for n in names if n not in _located})
    if not todo:
        return
    if len(_located) > 100_000:  # bounded memory in long runs
        _located.clear()
    table = _cpca().transform(todo)
    for name, (_, row) in zip(todo, table.iterrows(), strict=True):
        _located[name] = _located_from(name, row)


def _located_from(name: str, row: Any) -> Located:
    """One row of cpca's result → the region, unless a county name alone leaves it in doubt."""
    adcode = _text(row["adcode"])
    if adcode is None:
        return Located(Region(), name)
    province, city, county = _text(row["省"]), _text(row["市"]), _text(row["区"])
    rest = _text(row["地址"]) or ""
    if city == "市辖区":  # municipalities: the city level is the province itself
        city = None
    if county and _county_name_counts()[county] > 1 and not _names_parent(name, province, city):
        # ``朝阳区人民政府``: Beijing's or Changchun's? The name does not say: do not guess.
        return Located(Region(), name)
    region = Region(
        province=province,
        province_code=adcode[:2] + "0000" if province else None,
        city=city,
        city_code=adcode[:4] + "00" if city else None,
        county=county,
        county_code=adcode if county else None,
    )
    return Located(region, rest)


def _names_parent(name: str, province: str | None, city: str | None) -> bool:
    """Whether the name spells the province or city (in full or short: ``长春``) before the county."""
    return any(parent and (parent in name or _short(parent) in name) for parent in (province, city))


def _short(place: str) -> str:
    """``长春市`` → ``长春``, ``广西壮族自治区`` → ``广西``."""
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市", "自治州", "地区", "盟"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


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
