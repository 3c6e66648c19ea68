"""The 行政区划代码 table (province, prefecture and county levels) and finding its divisions in a body's name.

The table shipped with xxgk (``divisions.csv``, its source and date in its header) is the Ministry
of Civil Affairs' current list, with the names each division had since 2000 (洪泽县 → 洪泽区
320813) and the zones whose extent is one division (平潭综合实验区 → 平潭县 350128). A newer
table (the ministry publishes one each year: 行政区划代码, 单位名称) is loaded into a database with
``xxgk regions load``; ``read_table`` reads it.

Finding a name's region is careful: a county name that several counties share (朝阳区, 鼓楼区)
says nothing unless the name also gives its province or prefecture (北京市朝阳区); short forms
(江苏, 淮安) are taken only at the start of a name or right after the division that contains them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from xxgk.db.engine import StoreError
from xxgk.read.document import ReadError
from xxgk.read.files import MB, regular_file_bytes

PACKAGED = Path(__file__).with_name("divisions.csv")
_CODE = re.compile(r"^\d{6}$")
_SEPARATORS = re.compile(r"[;；、,，\s]+")
# The 55 minority peoples, named in autonomous prefectures' names (红河哈尼族彝族自治州 → 红河), 族 sometimes left out.
_PEOPLE_NAMES = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
                 "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
                 "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺")
_PEOPLES = re.compile("(?:" + "|".join(sorted(_PEOPLE_NAMES.split(), key=len, reverse=True)) + ")族?$")
_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
_CITY_SUFFIXES = ("市", "地区", "盟")
# Province-level rows a complete table has at least (31 on the mainland).
MIN_PROVINCES = 31
MAX_NAME = 24
MAX_TABLE_BYTES = 20 * MB  # the ministry's whole table, townships included, is a few MB


@dataclass(frozen=True, slots=True)
class Division:
    """One division: its 6-digit code, name, level (1 province, 2 prefecture, 3 county) and other names."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def level(self) -> int:
        if self.code.endswith("0000"):
            return 1
        return 2 if self.code.endswith("00") else 3


@dataclass(frozen=True, slots=True)
class Region:
    """Where a body sits; codes are 6-digit administrative division codes."""

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

    @property
    def label(self) -> str:
        """The names joined (``江苏省淮安市洪泽区``), or "" when unknown."""
        return "".join(p for p in (self.province, self.city, self.county) if p)


@dataclass(frozen=True, slots=True)
class Located:
    """A name split into the region it names and the rest (the body: ``人民政府``, ``统计局``)."""

    region: Region
    rest: str


@dataclass(frozen=True, slots=True)
class _Hit:
    """A run of a name that spells divisions: where it starts and ends, and which divisions it may be."""

    start: int
    end: int
    codes: frozenset[str]


@dataclass(slots=True)
class Divisions:
    """A 行政区划代码 table, indexed for finding divisions in names."""

    rows: dict[str, Division]
    source: str
    _full: dict[str, set[str]] = field(default_factory=dict)
    _short: dict[str, set[str]] = field(default_factory=dict)
    _located: dict[str, Located] = field(default_factory=dict)
    _regions: dict[str, Region] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for division in self.rows.values():
            for name in (division.name, *division.aliases):
                # Two characters (城区, 矿区, 和县) are words too: taken only where short forms are.
                (self._full if len(name) > 2 else self._short).setdefault(name, set()).add(division.code)
                if division.level < 3:
                    for short in short_names(name, division.level):
                        self._short.setdefault(short, set()).add(division.code)

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, code: str) -> Division | None:
        return self.rows.get(code)

    def parent(self, code: str) -> str | None:
        """The code of the division containing this one (a county of a municipality: the province)."""
        division = self.rows.get(code)
        if division is None or division.level == 1:
            return None
        city = code[:4] + "00"
        if division.level == 3 and city in self.rows:
            return city
        return code[:2] + "0000"

    def contains(self, outer: str, inner: str) -> bool:
        """Whether division ``outer`` contains division ``inner`` (at any depth)."""
        current = self.parent(inner)
        while current is not None:
            if current == outer:
                return True
            current = self.parent(current)
        return False

    def region(self, code: str) -> Region:
        """The region a code stands for, with the names of the divisions above it (unknown code: unknown region)."""
        found = self._regions.get(code)
        if found is None:
            found = self._regions[code] = self._region(code)
        return found

    def _region(self, code: str) -> Region:
        division = self.rows.get(code)
        if division is None:
            return Region()
        chain: dict[int, Division] = {}
        current: str | None = code
        while current is not None and (d := self.rows.get(current)) is not None:
            chain[d.level] = d
            current = self.parent(current)
        province, city, county = chain.get(1), chain.get(2), chain.get(3)
        return Region(province=province.name if province else None, province_code=province.code if province else None,
                      city=city.name if city else None, city_code=city.code if city else None,
                      county=county.name if county else None, county_code=county.code if county else None)

    def children(self, code: str | None) -> list[Division]:
        """The divisions directly under ``code`` (the provinces for None)."""
        return [d for d in self.rows.values() if (d.level == 1 if code is None else self.parent(d.code) == code)]

    def find(self, text: str) -> list[Division]:
        """Divisions whose name (or other name) is ``text`` exactly, or begins with it, or short form is it."""
        text = text.strip()
        exact = self._full.get(text, set()) | self._short.get(text, set())
        if exact:
            return [self.rows[c] for c in sorted(exact)]
        return [d for d in self.rows.values() if d.name.startswith(text)] if len(text) >= 2 else []

    def locate(self, name: str) -> Located:
        """Split a body's name into the region it names (as far as it tells) and the rest of the name."""
        found = self._located.get(name)
        if found is None:
            if len(self._located) > 100_000:  # bounded memory in long runs
                self._located.clear()
            found = self._located[name] = self._locate(name)
        return found

    def _locate(self, name: str) -> Located:
        first = next(self._hits(name, 0, anywhere=True), None)
        if first is None:
            return Located(Region(), name)
        chain = [first]
        while (following := self._next(name, chain[-1])) is not None:
            chain.append(following)
        code = _settle(chain)
        if code is None:  # a county name that several counties share, nothing above it named: do not guess
            return Located(Region(), name)
        return Located(self.region(code), name[: first.start] + name[chain[-1].end:])

    def _next(self, name: str, after: _Hit) -> _Hit | None:
        """The run right after ``after`` that names a division inside one of its divisions, if any."""
        for hit in self._hits(name, after.end, anywhere=False):
            inside = frozenset(c for c in hit.codes if any(self.contains(o, c) for o in after.codes))
            if inside:
                return _Hit(hit.start, hit.end, inside)
        return None

    def _hits(self, name: str, start: int, anywhere: bool) -> Iterator[_Hit]:
        """Runs of ``name`` that spell divisions, from ``start`` on (only at ``start`` unless ``anywhere``), longest first.

        Short forms count only at the beginning of the name or right after another division.
        """
        for position in range(start, len(name) if anywhere else start + 1):
            short_ok = position == start
            for length in range(min(MAX_NAME, len(name) - position), 1, -1):
                piece = name[position:position + length]
                codes = self._full.get(piece) or (self._short.get(piece) if short_ok else None)
                if codes:
                    yield _Hit(position, position + length, frozenset(codes))


def _settle(chain: list[_Hit]) -> str | None:
    """The one division the chain of runs names (the innermost), or None when it stays ambiguous.

    Each run after the first holds only divisions inside the run before it (``_next``).
    """
    innermost = chain[-1].codes
    return next(iter(innermost)) if len(innermost) == 1 else None


def short_names(name: str, level: int) -> list[str]:
    """The short forms a province or prefecture is written with (``江苏省`` → 江苏; ``红河哈尼族彝族自治州`` → 红河州, 红河)."""
    shorts: list[str] = []
    if name.endswith("自治州"):
        stem = name[: -len("自治州")]
        while (match := _PEOPLES.search(stem)) is not None and match.start() >= 2:
            stem = stem[: match.start()]
        return [stem + "州", stem] if len(stem) >= 2 else []
    for suffix in _PROVINCE_SUFFIXES if level == 1 else _CITY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            shorts.append(name[: -len(suffix)])
            break
    return shorts


@cache
def packaged() -> Divisions:
    """The table shipped with xxgk."""
    return parse_table(PACKAGED.read_text(encoding="utf-8"), "xxgk 内置：" + _header_source(PACKAGED))


def _header_source(path: Path) -> str:
    """The source line of a table file's header (``# 来源 …``), shortened."""
    for line in path.read_text(encoding="utf-8").splitlines()[:10]:
        if "抓取日期" in line:
            return "民政部行政区划代码，" + line.rsplit("抓取日期", 1)[1].replace("fetched", "").strip() + " 抓取"
    return path.name


_HEADERS = {"code": ("code", "行政区划代码", "区划代码", "代码"), "name": ("name", "单位名称", "名称", "区划名称"),
            "aliases": ("aliases", "曾用名", "其他名称", "别名")}


def parse_table(text: str, source: str) -> Divisions:
    """Turn the text of a table (CSV: code, name[, aliases]; ``#`` lines are comments) into Divisions."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    return divisions_from_rows(rows, source)


def divisions_from_rows(rows: list[list[str]], source: str) -> Divisions:
    """Turn a table's rows (the first one its header) into Divisions, checked; StoreError in Chinese when wrong."""
    if not rows:
        raise StoreError("区划代码表是空的")
    header = [str(h or "").strip() for h in rows[0]]
    columns = {key: next((i for i, h in enumerate(header) if h in names), None) for key, names in _HEADERS.items()}
    if columns["code"] is None or columns["name"] is None:
        raise StoreError("区划代码表第一行应为列名：行政区划代码（code）、单位名称（name），可另有 曾用名（aliases）")
    divisions: dict[str, Division] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [str(c or "").strip() for c in row]
        code = _cell(cells, columns["code"]).removesuffix(".0")  # a spreadsheet may hold the code as a number
        name = _cell(cells, columns["name"])
        if not code and not name:
            continue
        if not _CODE.match(code):
            raise StoreError(f"区划代码表第 {number} 行：代码应为6位数字：{code or '（空）'}")
        if not name:
            raise StoreError(f"区划代码表第 {number} 行：缺少名称（代码 {code}）")
        if code in divisions:
            raise StoreError(f"区划代码表第 {number} 行：代码重复：{code}")
        aliases = tuple(a for a in _SEPARATORS.split(_cell(cells, columns["aliases"])) if a and a != name)
        divisions[code] = Division(code, name, aliases)
    provinces = sum(d.level == 1 for d in divisions.values())
    if provinces < MIN_PROVINCES:
        raise StoreError(f"区划代码表只有 {provinces} 个省级区划，应为完整的全国表（至少 {MIN_PROVINCES} 个）")
    return Divisions(divisions, source)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def read_table(path: Path) -> Divisions:
    """Read a newer table from a file: CSV (UTF-8 or GBK) or XLSX, with the ministry's column names."""
    try:  # a regular file only (not a device or FIFO behind the name), within a size limit
        raw = regular_file_bytes(path, MAX_TABLE_BYTES)
    except ReadError as err:
        raise StoreError(f"区划代码表：{err}") from err
    source = f"{path.name}"
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return divisions_from_rows(_xlsx_rows(raw, path), source)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return parse_table(raw.decode(encoding), source)
        except UnicodeDecodeError:
            continue
    raise StoreError(f"区划代码表应为 UTF-8 或 GBK 编码的 CSV，或 XLSX：{path}")


def _xlsx_rows(raw: bytes, path: Path) -> list[list[str]]:
    """The first sheet's rows, from the first row holding a code column header on."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).worksheets[0]
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise StoreError(f"无法读取 XLSX 文件：{path}（{type(err).__name__}）") from err
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    for i, row in enumerate(rows[:20]):  # the ministry's sheet has a title row or two above the header
        if any(cell.strip() in _HEADERS["code"] for cell in row):
            return rows[i:]
    return rows


def merged_aliases(newer: Divisions, older: Divisions) -> Divisions:
    """A newer table keeping the older one's other names, and the older name of each division renamed since."""
    rows: dict[str, Division] = {}
    for code, division in newer.rows.items():
        before = older.rows.get(code)
        extra: Iterable[str] = ()
        if before is not None:
            extra = (*before.aliases, before.name)
        aliases = tuple(dict.fromkeys(a for a in (*division.aliases, *extra) if a != division.name))
        rows[code] = Division(code, division.name, aliases)
    return Divisions(rows, newer.source)
