"""COLL-DUPLICATE: one agency's report for one year held more than once, found on each of them.

The report standing for the agency-year (``standing.py``) names each of the others, each of them
names it; the finding says whether their tables are the same (a copy: info) or differ (two versions:
a warning naming a few differing cells with both values), and why the standing one was chosen.
Two reports that agree on every cell both read, one of them blank where the other has a number (a
table that was a picture, a page not read), are copies too: the finding says how many cells each did not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import PurePath
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import aliased

from xxgk.check.collection import CollectionFinding, StoredReport
from xxgk.check.rules import get
from xxgk.db import store_schema as schema
from xxgk.model import Finding, Number, Report
from xxgk.store.query import cell_columns
from xxgk.store.standing import cells_read

RULE = "COLL-DUPLICATE"
SHOWN_CELLS = 3  # the differing cells a finding names


def duplicated_years(conn: Connection, reports: list[StoredReport]) -> Iterator[CollectionFinding]:
    """COLL-DUPLICATE on each report of an agency-year held more than once: the standing report names each
    duplicate, each duplicate names the standing report."""
    by_year: dict[int, list[StoredReport]] = {}
    for stored in reports:
        if stored.year is not None:
            by_year.setdefault(stored.year, []).append(stored)
    held = {year: group for year, group in by_year.items() if len(group) > 1}
    if not held:
        return
    files = _files(conn, [s.id for group in held.values() for s in group])
    for year, (first, *others) in held.items():  # ``load_agency_reports`` puts the standing one first
        for other in others:
            differing = differing_cells(first.report, other.report)
            reason = _why(first.id, files[first.id], other.id, files[other.id])
            chosen = f"统计、评分、对比只计报告 {first.id}，不计报告 {other.id}（{reason}）"
            yield CollectionFinding(first.id, _finding(year, first, other, files, differing, chosen), other.id)
            turned = [(cell, b, a) for cell, a, b in differing]
            yield CollectionFinding(other.id, _finding(year, other, first, files, turned, chosen), first.id)


@dataclass(frozen=True, slots=True)
class _File:
    """Where a stored report came from, as a COLL-DUPLICATE message names it."""

    name: str
    part: int  # which report of its file, from 1
    parts: int  # how many reports the file holds (a 汇编: several)
    published: date | None
    read: int  # cells read (with a value)

    def __str__(self) -> str:
        return f"{self.name} 中的第 {self.part} 份" if self.parts > 1 else self.name


def _files(conn: Connection, report_ids: list[int]) -> dict[int, _File]:
    """The files of these reports."""
    return {row.id: _File(PurePath(row.name).name, row.part + 1, row.parts, row.published, row.read)
            for row in conn.execute(_files_query(), {"ids": report_ids})}


@cache
def _files_query() -> Any:
    """``_files``' statement, built once (an agency with a duplicated year asks it at each recompute)."""
    r, d = schema.Report, schema.Document
    sibling = aliased(schema.Report)
    parts = select(func.count()).where(sibling.document_id == r.document_id).scalar_subquery()
    return (select(r.id, d.name, r.part, parts.label("parts"), r.published, cells_read(r).label("read"))
            .join(d, d.id == r.document_id).where(r.id.in_(bindparam("ids", expanding=True))))


def _why(standing: int, mine: _File, other: int, theirs: _File) -> str:
    """Why the standing report was chosen over the other (``_key``'s terms, in order), in Chinese."""
    if mine.parts == 1 and theirs.parts > 1:
        return f"报告 {standing} 单独成文件，报告 {other} 是汇编中的一份"
    if mine.published and theirs.published and mine.published != theirs.published:
        return f"报告 {standing} 发布日期较晚：{mine.published.isoformat()}，报告 {other} 为{theirs.published.isoformat()}"
    if mine.published and not theirs.published:
        return f"报告 {standing} 有发布日期（{mine.published.isoformat()}），报告 {other} 没有"
    dated = "发布日期相同" if mine.published else "都没有发布日期"
    if mine.read != theirs.read:
        return f"{dated}，报告 {standing} 读出的单元格较多：{mine.read} 个，报告 {other} 为 {theirs.read} 个"
    return f"{dated}，报告 {standing} 入库较晚"


def _cells(report: Report) -> dict[str, Number | None]:
    """A report's cells by contract id (``requests.granted.total``)."""
    return {f"{table}.{row}.{column}": value for table, rows in report.tables.items() for row, columns in
            (rows or {}).items() for column, value in columns.items()}


Difference = tuple[str, Number | None, Number | None]  # a cell's id, its value in one report and in the other


def differing_cells(one: Report, other: Report) -> list[Difference]:
    """The cells whose values differ between two reports (a cell one of them lacks counts as blank), in
    the declaration's order."""
    mine, theirs = _cells(one), _cells(other)
    names = _cell_names()
    ids = [i for i in mine.keys() | theirs.keys() if mine.get(i) != theirs.get(i)]
    return [(i, mine.get(i), theirs.get(i)) for i in sorted(ids, key=lambda i: (names.get(i, (len(names), ""))[0], i))]


@cache
def _cell_names() -> dict[str, tuple[int, str]]:
    """Each cell's place in the declaration and its name as a reviewer says it: 表三“（一）予以公开｜总计”."""
    out = {}
    for place, column in enumerate(cell_columns()):
        heading, rest = column.label.split("｜", 1)
        out[column.id] = (place, f"表{heading.split('、')[0]}“{rest}”")
    return out


def _shown(value: Number | None) -> str:
    """A cell's value in a message: whole numbers without ``.0``, blank said so."""
    if value is None:
        return "空白"
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _name(cell: str) -> str:
    """A cell as a reviewer names it (its id when the declaration does not have it)."""
    return _cell_names().get(cell, (0, cell))[1]


def _finding(year: int, mine: StoredReport, theirs: StoredReport, files: dict[int, _File],
             differing: list[Difference], chosen: str) -> Finding:
    """The COLL-DUPLICATE finding on ``mine``, naming ``theirs``: info for a copy, a warning for two versions."""
    head = (f"库中本机关{year}年度的报告不止一份：本报告（{files[mine.id]}）之外另有库内报告 {theirs.id}"
            f"（{files[theirs.id]}）")
    # A number against a blank is a cell one of them did not read, not a version's change.
    conflicting = [(cell, a, b) for cell, a, b in differing if a is not None and b is not None]
    if not differing:
        same = ("两份都没有读出表格数字，无法比较" if not _cells(mine.report)
                else "两份的表格数字完全相同，是同一报告的副本")
        return get(RULE).finding("meta.year", f"{head}，{same}；{chosen}")
    if not conflicting:
        return get(RULE).finding(differing[0][0], f"{head}，{_copies(mine, theirs, differing)}；{chosen}")
    shown = "；".join(f"{_name(cell)} 本报告为{_shown(a)}、报告 {theirs.id} 为{_shown(b)}"
                     for cell, a, b in conflicting[:SHOWN_CELLS])
    more = f"等 {len(conflicting)} 个单元格" if len(conflicting) > SHOWN_CELLS else f"共 {len(conflicting)} 个单元格"
    return get(RULE).finding(conflicting[0][0], f"{head}，两份的表格数字不同，是不同的版本（{shown}，{more}不一致）；"
                                                f"{chosen}，请核对哪一份是正式公布的", severity="warning")


def _copies(mine: StoredReport, theirs: StoredReport, differing: list[Difference]) -> str:
    """Two reports differing only by a number against a blank: copies, and which cells each did not read."""
    read = {cell for cell, value in _cells(mine.report).items() if value is not None}
    shared = any(value is not None and cell in read for cell, value in _cells(theirs.report).items())
    mine_blank = [cell for cell, a, _ in differing if a is None]
    theirs_blank = [cell for cell, _, b in differing if b is None]
    unread = [f"{who}有 {len(cells)} 个单元格未读出（{other}读出了数字，如{_name(cells[0])}）"
              for who, other, cells in (("本报告", f"报告 {theirs.id} ", mine_blank),
                                        (f"报告 {theirs.id} ", "本报告", theirs_blank)) if cells]
    same = ("两份都读出的单元格数字完全相同，是同一报告的副本" if shared
            else "两份没有都读出的单元格，无法比较是否为同一版本")
    return f"{same}：{'，'.join(unread)}"
