"""An existing ledger (台账) in CSV or XLSX → register records, every row checked before anything is stored.

The first row names the columns (Chinese as below, or the field names); the kind of ledger
is told by its columns. A column the register computes (信息处理费（元）, in the register's own
CSV export) is read past: the fee is computed again from 收费方式 and 收费件数或页数. Choices may be written as the form prints them (``商业企业``,
``1.属于国家秘密``, ``维持``) or as the declaration's ids. Dates as ``2025-03-03``,
``2025/3/3`` or ``2025年3月3日``. Errors name the row and column, never a cell's content.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import ValidationError

from xxgk.read.document import ReadError
from xxgk.read.files import regular_file_bytes
from xxgk.register.choices import (
    ACTIVE,
    applicant_type_choices,
    case_kind_choices,
    case_result_choices,
    outcome_choices,
    pick,
)
from xxgk.register.errors import RegisterError
from xxgk.register.fees import FEE_METHODS
from xxgk.register.model import (
    CHANNELS,
    CONSULT_PARTIES,
    DELIVERIES,
    FIELDS,
    ID_TYPES,
    INFO_FORMS,
    Application,
    Case,
    ProactiveValue,
    chinese_errors,
)
from xxgk.render.spreadsheet import restore_text
from xxgk.templates import statutory

ImportKind = Literal["applications", "cases", "proactive"]
KINDS: dict[ImportKind, str] = {"applications": "申请登记", "cases": "复议诉讼", "proactive": "主动公开"}
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_ERRORS = 50

_APP_FIELDS = [f for f in Application.model_fields if f not in ("id", "fee_amount")]
# Columns ``register list -f csv`` writes that the register computes itself: read past, recomputed on import.
COMPUTED = ("fee_amount",)
_IGNORED = {h for f in COMPUTED for h in (f, FIELDS[f])}
_CASE_FIELDS = [f for f in Case.model_fields if f != "id"]
# A case names its application by 序号 (application_id) or by the 申请编号 a clerk knows: this input-only
# field holds the latter until the register looks it up (``Register.add_case``).
LINK = "application_reference"
_PROACTIVE_FIELDS = ["year", "row", "column", "value"]
# Other headings offices use for the same column.
_ALIASES: dict[ImportKind, dict[str, str]] = {
    "applications": {"编号": "reference", "申请日期": "received", "收到申请日期": "received",
                     "申请人姓名或名称": "applicant_name", "申请人姓名": "applicant_name", "联系电话": "applicant_contact",
                     "身份证号码": "applicant_id_number", "身份证号": "applicant_id_number", "申请内容描述": "request",
                     "延期天数": "extension_days", "收费件数": "fee_units", "收费页数": "fee_units",
                     "结果": "outcome", "答复结果": "outcome"},
    "cases": {"案件编号": "reference", "编号": "reference", "类型": "kind", "立案日期": "filed",
              "申请复议日期": "filed", "起诉日期": "filed", "结果": "result", FIELDS[LINK]: LINK},
    "proactive": {"统计年度": "year", "信息内容": "row"},
}


@dataclass
class Ledger:
    """The records read from a ledger, each with the line it came from."""

    kind: ImportKind
    lines: list[int] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # each case's application by 申请编号, if so given
    proactive: list[ProactiveValue] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.lines)


def columns_for(kind: ImportKind) -> dict[str, str]:
    """Heading → field for a kind of ledger: the Chinese names, the field names and the aliases."""
    fields = {"applications": _APP_FIELDS, "cases": _CASE_FIELDS, "proactive": _PROACTIVE_FIELDS}[kind]
    out = {FIELDS[f]: f for f in fields}
    out.update({f: f for f in fields})
    out.update(_ALIASES[kind])
    return out


def read_ledger(path: Path, kind: ImportKind | None = None) -> Ledger:
    """Read and check every row of a ledger file; a RegisterError lists the bad rows (nothing half-read)."""
    try:  # a regular file only: a link to a device or a FIFO would never end
        raw = regular_file_bytes(path, MAX_BYTES)
    except ReadError as err:
        raise RegisterError(str(err)) from err
    table = list(_rows(raw, path.name))
    if not table:
        raise RegisterError(f"文件中没有内容：{path.name}")
    header = [str(h or "").strip() for h in table[0][1]]
    kind = kind or _kind_of(header)
    mapping = columns_for(kind)
    unknown = [h for h in header if h and h not in mapping and not (kind == "applications" and h in _IGNORED)]
    if unknown:
        raise RegisterError(f"无法识别的列：{'、'.join(unknown[:10])}（{KINDS[kind]}台账可用的列见 README 的“登记簿”一节）")
    fields = [mapping.get(h) for h in header]
    ledger = Ledger(kind)
    errors: list[str] = []
    for line, cells in table[1:]:
        if all(_blank(c) for c in cells):
            continue
        record = {f: c for f, c in zip(fields, cells, strict=False) if f and not _blank(c)}
        problems = _add(ledger, record, line)
        errors += [f"第{line}行：{p}" for p in problems]
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        more = "（仅列出前几处）" if len(errors) >= MAX_ERRORS else ""
        raise RegisterError(f"导入失败，未导入任何内容{more}：\n" + "\n".join(errors[:MAX_ERRORS]))
    return ledger


def _kind_of(header: list[str]) -> ImportKind:
    """The kind of ledger its headings show."""
    kinds: tuple[ImportKind, ...] = ("cases", "proactive")
    for kind in kinds:
        fields = {columns_for(kind).get(h) for h in header}
        if {"kind", "filed"} <= fields or {"row", "column"} <= fields:
            return kind
    return "applications"


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _rows(raw: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) of the first sheet of an XLSX, or of a CSV (UTF-8 or GB18030)."""
    if raw.startswith(b"PK\x03\x04"):
        yield from _xlsx_rows(raw, name)
        return
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegisterError(f"不支持旧版 Excel（.xls）文件，请另存为 XLSX 或 CSV：{name}")
    if b"\x00" in raw[:4096]:
        raise RegisterError(f"不是 CSV 或 XLSX 文件：{name}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegisterError(f"无法识别文件编码（应为 UTF-8 或 GBK）：{name}")
    try:
        for n, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if n > MAX_ROWS + 1:
                raise RegisterError(f"行数过多（超过 {MAX_ROWS} 行）：{name}")
            yield n, [restore_text(cell) for cell in row]  # the apostrophe our CSV put before formula-like text
    except csv.Error as err:
        raise RegisterError(f"CSV 格式有误：{name}（{err}）") from err


def _xlsx_rows(raw: bytes, name: str) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise RegisterError(f"无法读取 XLSX 文件：{name}") from err
    try:
        sheet = book.worksheets[0]
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if n > MAX_ROWS + 1:
                raise RegisterError(f"行数过多（超过 {MAX_ROWS} 行）：{name}")
            yield n, list(row)
    finally:
        book.close()


_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_MOMENT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
                     r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$")


def parse_date(cell: Any) -> date:
    """A ledger cell as a date (a spreadsheet date, or ``2025-03-03``, ``2025/3/3``, ``2025年3月3日``)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    m = _DATE.match(str(cell))
    if not m:
        raise ValueError("应为日期（如 2025-03-03）")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as err:
        raise ValueError("不是有效的日期") from err


def parse_moment(cell: Any) -> datetime:
    """A ledger cell as a time (``2026-12-05 16:01:08+08:00``, as the export writes it; without a zone: China's)."""
    if isinstance(cell, datetime):
        return cell
    m = _MOMENT.match(str(cell))
    if not m:
        raise ValueError("应为时间（如 2026-12-05 16:01:08）")
    year, month, day, hour, minute, second, zone = m.groups()
    text = f"{int(year):04d}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    try:
        return datetime.fromisoformat(text + (zone or ""))
    except ValueError as err:
        raise ValueError("不是有效的时间") from err


def _choice(choices: dict[str, tuple[str, ...]], what: str, hint: str | None = None) -> Callable[[Any], str]:
    """A converter to a choice id; its error lists the choices (or gives ``hint`` where they are too many)."""
    valid = hint or "可填：" + "、".join(labels[0] for labels in choices.values())

    def convert(cell: Any) -> str:
        found = pick(str(cell), choices)
        if found is None:
            raise ValueError(f"无法识别的{what}（{valid}）")
        return found
    return convert


def _number(cell: Any) -> Any:
    if isinstance(cell, int | float):
        return cell
    text = str(cell).strip().replace(",", "")
    try:
        return float(text) if "." in text else int(text)
    except ValueError as err:
        raise ValueError("应为数字") from err


_MOMENT_FIELDS = {f for f, info in Application.model_fields.items() if datetime in get_args(info.annotation)}
_DATE_FIELDS = {f for f, info in {**Application.model_fields, **Case.model_fields}.items()
                if "date" in str(info.annotation)} - _MOMENT_FIELDS
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "channel": _choice({k: (v,) for k, v in CHANNELS.items()}, "申请方式"),
    "applicant_type": _choice(applicant_type_choices(), "申请人类型"),
    "outcome": _choice(outcome_choices(), "办理结果", "可填表三的行名，如" + "".join(
        f"“{outcome_choices()[o][0]}”" for o in ("granted", "denied.state_secret")) + "，或其 id，如 granted"),
    "fee_method": _choice({k: (v, v[:2]) for k, v in FEE_METHODS.items()}, "收费方式"),
    "applicant_id_type": _choice({k: (v,) for k, v in ID_TYPES.items()}, "证件类型"),
    "info_form": _choice({k: (v,) for k, v in INFO_FORMS.items()}, "信息形式"),
    "delivery": _choice({k: (v,) for k, v in DELIVERIES.items()}, "获取方式"),
    "fee_notice_delivery": _choice({k: (v,) for k, v in DELIVERIES.items()}, "送达方式"),
    "consult_party": _choice({k: (v,) for k, v in CONSULT_PARTIES.items()}, "征求意见对象"),
    "kind": _choice(case_kind_choices(), "案件类型"),
    "result": _choice(case_result_choices(), "审理结果"),
    "extension_days": _number, "fee_units": _number, "application_id": _number, "year": _number, "value": _number,
}


def _whole_number(cell: Any) -> bool:
    """Whether a cell holds a whole number (a 序号), as a number or as digits."""
    if isinstance(cell, int | float):
        return float(cell).is_integer()
    return str(cell).strip().replace(",", "").isdigit()


def cells_to_fields(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Cells → field values; problems named by column."""
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, cell in record.items():
        try:
            if name == "application_id" and not _whole_number(cell):
                out[LINK] = str(cell).strip()  # not a 序号: the application's 申请编号
            elif name in _MOMENT_FIELDS:
                out[name] = parse_moment(cell)
            elif name in _DATE_FIELDS:
                out[name] = parse_date(cell)
            elif name in _CONVERTERS:
                out[name] = _CONVERTERS[name](cell)
            else:
                out[name] = str(cell).strip() if not isinstance(cell, str) else cell.strip()
        except ValueError as err:
            problems.append(f"{FIELDS.get(name, name)}：{err}")
    return out, problems


def proactive_ids(record: dict[str, Any]) -> list[str]:
    """Turn 项目/栏目 as printed on table 二 (for the row's year) into the declaration's ids."""
    year = record.get("year")
    template = statutory().format_for_year(year) if isinstance(year, int) else None
    if template is None:
        return ["年度：应为2019年或以后的年度"]
    table = statutory().table_by_id(ACTIVE)
    rows = {r.id: r.labels() for r in table.rows_for(template)}
    row = pick(str(record.get("row", "")), rows)
    if row is None:
        return ["项目：无法识别的表二项目"]
    columns = {c.id: c.labels() for c in table.row_columns(table.row_by_id(row), template)}
    column = pick(str(record.get("column", "")), columns)
    if column is None:
        return ["栏目：该项目没有这一栏目"]
    record.update(row=row, column=column)
    return []


def _add(ledger: Ledger, cells: dict[str, Any], line: int) -> list[str]:
    """Check one row and add its record to the ledger; the row's problems otherwise."""
    record, problems = cells_to_fields(cells)
    if problems:
        return problems
    if ledger.kind == "proactive":
        problems = proactive_ids(record)
        if problems:
            return problems
    models: dict[ImportKind, type[Application] | type[Case] | type[ProactiveValue]] = {
        "applications": Application, "cases": Case, "proactive": ProactiveValue}
    link = record.pop(LINK, None) if ledger.kind == "cases" else None
    if link is not None and record.get("application_id") is not None:
        return [f"{FIELDS['application_id']}：申请序号和申请编号只填一项"]
    try:
        item = models[ledger.kind].model_validate(record)
    except ValidationError as err:
        return chinese_errors(err)
    ledger.lines.append(line)
    if isinstance(item, Application):
        ledger.applications.append(item)
    elif isinstance(item, Case):
        ledger.cases.append(item)
        ledger.links.append(link)
    else:
        ledger.proactive.append(item)
    return []
