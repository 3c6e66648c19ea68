"""The roster (名录): the bodies that must publish, stored; and whose each stored report is.

A report belongs to a roster body when a harvest found it on the body's site, when a user said so,
or by its name: the same name (or one of the body's other names) when only one body bears it, or
one in the same region; the same body once the region is left out (``洪泽区统计局`` and
``淮安市洪泽区统计局`` in 320813); or another year of the same agency already belongs to it. Two
bodies of one name in different districts stay two: a report naming neither district belongs to
neither (``detail`` says so) until a harvest or a user settles it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import StoreError, writing
from xxgk.render.spreadsheet import csv_row, csv_writer, xlsx_append
from xxgk.store.agencies import FUZZY_THRESHOLD, body_of, display_name, name_key, same_body_score
from xxgk.store.divisions import Divisions, Region
from xxgk.store.merge import merge_by_roster
from xxgk.store.regions import divisions_for
from xxgk.store.roster_file import HEADINGS, LEVELS, RosterEntry, check_rows, read_rows

# Links a user or a harvest made are kept when the roster changes; the others are worked out again.
FIRM = ("harvest", "manual")
METHOD_NAMES = {"harvest": "采集", "manual": "人工指定", "name": "名称", "agency": "同一机关其他年度", "none": "未匹配"}


@dataclass(frozen=True, slots=True)
class Body:
    """A roster body as shown: its region's names from the table in force."""

    id: int
    name: str
    level: str
    region_code: str
    region: Region
    parent_id: int | None
    parent: str | None
    site: str | None
    column_url: str | None
    aliases: tuple[str, ...]
    note: str | None

    @property
    def level_name(self) -> str:
        return LEVELS.get(self.level, self.level)


@dataclass(slots=True)
class Imported:
    """What an import did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    names: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # agencies merged because the roster names them as one body


def _now() -> datetime:
    return datetime.now(UTC)


def import_roster(engine: Engine, path: Path) -> Imported:
    """Store the bodies of a roster file (added, or updated when the same name and region are stored)."""
    with writing(engine) as conn:
        table = divisions_for(conn)
        entries = check_rows(read_rows(path), table)
        done = store_entries(conn, entries, table)
        relink(conn)
        done.merged = [f"{m.merged} → {m.kept}" for m in merge_by_roster(conn)]
    return done


def store_entries(conn: Connection, entries: list[RosterEntry], table: Divisions) -> Imported:
    """Insert or update the entries, then set each one's superior (by name, within the roster)."""
    b = roster_schema.RosterBody
    stored = {(row.key, row.region_code): row for row in conn.execute(select(b))}
    done = Imported()
    ids: dict[int, int] = {}  # line → body id
    for entry in entries:
        values = {"name": entry.name, "level": entry.level, "site": entry.site, "column_url": entry.column_url,
                  "aliases": list(entry.aliases), "note": entry.note}
        key = name_key(entry.name) or entry.name
        old = stored.get((key, entry.region_code))
        if old is None:
            ids[entry.line] = int(conn.execute(insert(b).values(
                key=key, region_code=entry.region_code, created_at=_now(), updated_at=_now(), **values)
                .returning(b.id)).scalar_one())
            done.added += 1
            done.names.append(entry.name)
        else:
            ids[entry.line] = old.id
            if any(getattr(old, k) != v for k, v in values.items()):
                conn.execute(update(b).where(b.id == old.id).values(updated_at=_now(), **values))
                done.updated += 1
            else:
                done.unchanged += 1
    bodies = _index(conn)
    problems = []
    for entry in entries:
        if entry.parent is None:
            continue
        parent = _parent(bodies, entry.parent, entry.region_code, table)
        if parent is None:
            problems.append(f"第 {entry.line} 行：名录中找不到上级机关“{entry.parent}”（或有多个同名机关）")
        else:
            conn.execute(update(b).where(b.id == ids[entry.line]).values(parent_id=parent))
    if problems:
        raise StoreError("名录有误，未导入任何一行：" + "；".join(problems[:30]))
    return done


def _parent(bodies: list[Any], name: str, region_code: str, table: Divisions) -> int | None:
    """The roster body named ``name`` that contains (or shares) the region ``region_code``; None if none or several."""
    key = name_key(name)
    named = [b for b in bodies if b.key == key or key in {name_key(a) for a in b.aliases or []}]
    near = [b for b in named if b.region_code == region_code or table.contains(b.region_code, region_code)]
    chosen = near if near else named
    return int(chosen[0].id) if len(chosen) == 1 else None


def _index(conn: Connection) -> list[Any]:
    b = roster_schema.RosterBody
    return list(conn.execute(select(b.id, b.key, b.aliases, b.region_code, b.level, b.name)))


def bodies(engine: Engine, *, region: str | None = None, level: str | None = None,
           text: str | None = None) -> list[Body]:
    """The roster (filtered by region code or name, level, part of the name), by region and name."""
    b = roster_schema.RosterBody
    with engine.connect() as conn:
        table = divisions_for(conn)
        rows = list(conn.execute(select(b.id, b.name, b.level, b.region_code, b.parent_id, b.site, b.column_url,
                                        b.aliases, b.note).order_by(b.region_code, b.level, b.name)))
    names = {row.id: row.name for row in rows}
    codes = region_codes(table, region) if region else None
    inside: dict[str, bool] = {}
    out = []
    for row in rows:
        if codes is not None:
            if row.region_code not in inside:
                inside[row.region_code] = any(row.region_code == c or table.contains(c, row.region_code) for c in codes)
            if not inside[row.region_code]:
                continue
        if level and row.level != level:
            continue
        if text and display_name(text) not in row.name and not any(display_name(text) in a for a in row.aliases or []):
            continue
        out.append(Body(row.id, row.name, row.level, row.region_code, table.region(row.region_code), row.parent_id,
                        names.get(row.parent_id) if row.parent_id else None, row.site, row.column_url,
                        tuple(row.aliases or ()), row.note))
    return out


def region_codes(table: Divisions, region: str) -> list[str]:
    """The divisions a region filter means: a code, or a name (``淮安市洪泽区``, ``洪泽``); StoreError if none."""
    region = region.strip()
    if region.isdigit() and len(region) == 6:
        if table.get(region) is None:
            raise StoreError(f"区划代码表中没有代码 {region}")
        return [region]
    located = table.locate(region).region
    if located.known and located.code:
        return [located.code]
    found = table.find(region)
    if not found:
        raise StoreError(f"无法识别地区：{region}（可用6位行政区划代码）")
    return [d.code for d in found]


def export_roster(engine: Engine, path: Path) -> int:
    """Write the roster to a CSV (UTF-8 with BOM) or XLSX file that ``import_roster`` reads back; returns rows."""
    rows = [_export_row(body) for body in bodies(engine)]
    header = list(HEADINGS.values())
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "名录"
        for row in (header, *rows):
            xlsx_append(sheet, row)
        sheet.freeze_panes = "A2"
        book.save(path)
    else:
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerows(csv_row(row) for row in (header, *rows))
        path.write_text(out.getvalue(), encoding="utf-8-sig")
    return len(rows)


def _export_row(body: Body) -> list[str]:
    return [body.name, LEVELS.get(body.level, body.level), body.region_code, body.region.label, body.parent or "",
            body.site or "", body.column_url or "", "；".join(body.aliases), body.note or ""]


def save_body(engine: Engine, values: dict[str, str], body_id: int | None = None) -> int:
    """Add a body (``body_id`` None) or change one, from a form's fields (the file's columns); returns its id."""
    with writing(engine) as conn:
        table = divisions_for(conn)
        (entry,) = check_rows([(2, {key: values.get(key, "") for key in HEADINGS})], table)
        b = roster_schema.RosterBody
        fields = {"name": entry.name, "key": name_key(entry.name) or entry.name, "level": entry.level,
                  "region_code": entry.region_code, "site": entry.site, "column_url": entry.column_url,
                  "aliases": list(entry.aliases), "note": entry.note, "updated_at": _now()}
        clash = conn.execute(select(b.id).where(b.key == fields["key"], b.region_code == entry.region_code)).scalar()
        if clash is not None and clash != body_id:
            raise StoreError(f"名录中已有同一地区的同名机关：{entry.name}")
        parent = None
        if entry.parent:
            parent = _parent(_index(conn), entry.parent, entry.region_code, table)
            if parent is None or parent == body_id:
                raise StoreError(f"名录中找不到上级机关“{entry.parent}”（或有多个同名机关）")
        if body_id is None:
            body_id = int(conn.execute(insert(b).values(created_at=_now(), parent_id=parent, **fields)
                                       .returning(b.id)).scalar_one())
        elif conn.execute(update(b).where(b.id == body_id).values(parent_id=parent, **fields)).rowcount == 0:
            raise StoreError(f"名录中没有第 {body_id} 号机关")
        relink(conn)
        return body_id


def delete_body(engine: Engine, body_id: int) -> None:
    """Remove a body from the roster (its reports stay stored)."""
    b = roster_schema.RosterBody
    with writing(engine) as conn:
        if conn.execute(delete(b).where(b.id == body_id)).rowcount == 0:
            raise StoreError(f"名录中没有第 {body_id} 号机关")
        relink(conn)


def set_owner(engine: Engine, report_id: int, body_id: int | None, method: str = "manual") -> None:
    """Say whose a report is (a user, or a harvest that found it on the body's site)."""
    with writing(engine) as conn:
        link(conn, report_id, body_id, method)


def link(conn: Connection, report_id: int, body_id: int | None, method: str, detail: str | None = None) -> None:
    """Record whose a report is, replacing what was recorded."""
    t = roster_schema.RosterReport
    conn.execute(delete(t).where(t.report_id == report_id))
    conn.execute(insert(t).values(report_id=report_id, body_id=body_id, method=method, detail=detail,
                                  linked_at=_now()))


def relink(conn: Connection) -> int:
    """Work out again whose every report is, except where a harvest or a user said (after the roster changed)."""
    t = roster_schema.RosterReport
    conn.execute(delete(t).where(t.method.not_in(FIRM)))
    return link_new(conn)


def link_pending(engine: Engine) -> int:
    """``link_new``, when the roster has bodies and some report is not yet examined: looked at first with a read,
    so that a question asked again and again (a web page) takes no write lock once every report is examined."""
    r, t, b = store_schema.Report, roster_schema.RosterReport, roster_schema.RosterBody
    with engine.connect() as conn:
        roster = conn.execute(select(b.id).limit(1)).first() is not None
        pending = roster and conn.execute(select(r.id).outerjoin(t, t.report_id == r.id)
                                          .where(t.report_id.is_(None)).limit(1)).first() is not None
    if not pending:
        return 0
    with writing(engine) as conn:
        return link_new(conn)


def link_new(conn: Connection) -> int:
    """Work out whose the reports not yet examined are; returns how many were examined."""
    r, a, t = store_schema.Report, store_schema.Agency, roster_schema.RosterReport
    rows = list(conn.execute(
        select(r.id, r.agency_name, r.agency_id, a.name.label("agency"), a.level, a.province_code, a.city_code,
               a.county_code)
        .outerjoin(a, a.id == r.agency_id).outerjoin(t, t.report_id == r.id).where(t.report_id.is_(None))))
    if not rows:
        return 0
    matcher = _Matcher(conn)
    records = []
    now = _now()
    for row in rows:
        body_id, method, detail = matcher.match(row)
        records.append({"report_id": row.id, "body_id": body_id, "method": method, "detail": detail,
                        "linked_at": now})
    for start in range(0, len(records), 1000):
        conn.execute(insert(t), records[start:start + 1000])
    return len(records)


class _Matcher:
    """The roster indexed for matching reports' names to bodies."""

    def __init__(self, conn: Connection) -> None:
        self.table = divisions_for(conn)
        self.by_key: dict[str, list[Any]] = {}
        self.by_region: dict[str, list[tuple[Any, str]]] = {}
        for body in _index(conn):
            for key in {body.key, *(name_key(x) for x in body.aliases or [])}:
                self.by_key.setdefault(key, []).append(body)
            for name in (body.name, *(body.aliases or [])):
                self.by_region.setdefault(body.region_code, []).append(
                    (body, body_of(self.table.locate(name_key(name)))))
        # Agencies some of whose reports a harvest or a user placed: their other years follow (region known).
        r, t, a = store_schema.Report, roster_schema.RosterReport, store_schema.Agency
        self.by_agency: dict[int, set[int]] = {}
        for agency_id, body_id in conn.execute(
                select(r.agency_id, t.body_id).join(t, t.report_id == r.id).join(a, a.id == r.agency_id)
                .where(t.method.in_((*FIRM, "name")), t.body_id.is_not(None), a.province_code.is_not(None))):
            if agency_id is not None and body_id is not None:
                self.by_agency.setdefault(int(agency_id), set()).add(int(body_id))

    def match(self, row: Any) -> tuple[int | None, str, str | None]:
        """The body a report belongs to, how that was decided, and (when none) why not."""
        codes = [c for c in (row.county_code, row.city_code, row.province_code) if c]
        keys = {name_key(n) for n in (row.agency_name, row.agency) if n} - {""}
        named = {b.id: b for key in keys for b in self.by_key.get(key, [])}
        if len(named) == 1:
            return next(iter(named)), "name", None
        if named:
            here = [b for b in named.values() if codes and b.region_code == codes[0]]
            if len(here) == 1:
                return int(here[0].id), "name", None
            shown = "、".join(sorted({f"{b.name}（{self.table.region(b.region_code).label}）" for b in named.values()}))
            return None, "none", f"名录中有多个同名机关，报告未写明是哪一个：{shown}"
        if codes:
            found = self._same_body(row, codes[0])
            if found is not None:
                return found, "name", None
        owners = self.by_agency.get(int(row.agency_id), set()) if row.agency_id is not None else set()
        if len(owners) == 1:
            return next(iter(owners)), "agency", None
        return None, "none", "名录中没有名称与地区相符的机关"

    def _same_body(self, row: Any, code: str) -> int | None:
        """The body of this region whose name without the region is the report's (or close to it)."""
        best: tuple[float, int] | None = None
        for name in {n for n in (row.agency_name, row.agency) if n}:
            mine = body_of(self.table.locate(name_key(name)))
            for body, theirs in self.by_region.get(code, []):
                if row.level and row.level != "unknown" and body.level != row.level:
                    continue
                score = same_body_score(mine, theirs)
                if score is not None and score >= FUZZY_THRESHOLD and (best is None or score > best[0]):
                    best = (score, int(body.id))
        return best[1] if best else None


def owners(conn: Connection, report_ids: Iterable[int]) -> dict[int, int | None]:
    """Report id → roster body id (None: examined, no body) for these reports."""
    t = roster_schema.RosterReport
    ids = list(report_ids)
    out: dict[int, int | None] = {}
    for start in range(0, len(ids), 500):
        out.update({int(rid): bid for rid, bid in conn.execute(
            select(t.report_id, t.body_id).where(t.report_id.in_(ids[start:start + 500])))})
    return out
