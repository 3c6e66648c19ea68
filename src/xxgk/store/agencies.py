"""Agencies as entities: every spelling of a body's name, across years, matched to one agency.

Matching is conservative, because merging two bodies would mix their numbers:

1. a spelling seen before → its agency;
2. the same normalised name (width, 繁→简, punctuation, ``关于…的``) → that agency;
3. otherwise, only among agencies of the same region (same province/city/county codes, region
   known) and the same level: the names without their region (``洪泽区人民政府`` and
   ``淮安市洪泽区人民政府`` are both ``人民政府`` in 320813) compared with rapidfuzz; a match
   needs a score of at least ``FUZZY_THRESHOLD``, the same last character (局 ≠ 委员会) and the
   same ordinals and digits (第一分局 ≠ 第二分局);
4. otherwise a new agency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from xxgk.check.agency import classify_body
from xxgk.db import store_schema as schema
from xxgk.db.base import Base
from xxgk.parse.meta import agency_and_year
from xxgk.parse.normalize import to_simplified
from xxgk.store.regions import Located, Override, Region, divisions_for, locate, locate_many

FUZZY_THRESHOLD = 90.0
NAME_MAX = 200

_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)
_ABOUT = re.compile(r"^关于|的$")
# Spellings of one thing that say nothing about which body it is.
_FILLER = re.compile(r"[和与及、暨]")
_ORDINALS = re.compile(r"[0-9一二三四五六七八九十百零〇]")


def display_name(raw: str) -> str:
    """Turn a name as read into the form shown to people: simplified, no spaces, full-width brackets."""
    text = unicodedata.normalize("NFKC", to_simplified(raw))
    text = "".join(text.split()).replace("(", "（").replace(")", "）")
    return text[:NAME_MAX]


def name_key(raw: str) -> str:
    """Turn a name into the key names are matched by: no punctuation, no ``关于…的``, no report title."""
    text = display_name(raw)
    if "信息公开" in text:  # a whole title given as the name: ``XX局2021年政府信息公开工作年度报告``
        agency, _ = agency_and_year(text)
        text = agency or text
    text = _NOT_WORD.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _ABOUT.sub("", text)
    return text


def body_of(located: Located) -> str:
    """The body without its region, in a comparable form (``人民政府`` → ``政府``; a bare region → ``政府``)."""
    rest = _FILLER.sub("", located.rest.replace("人民政府", "政府"))
    return rest or "政府"


def same_body_score(a: str, b: str) -> float | None:
    """How alike two region-less bodies are (0–100), or None when they cannot be one body."""
    if a == b:
        return 100.0
    if len(a) < 4 or len(b) < 4 or a[-1] != b[-1]:
        return None
    if _ORDINALS.findall(a) != _ORDINALS.findall(b):
        return None
    return float(fuzz.ratio(a, b))


@dataclass(frozen=True, slots=True)
class Match:
    """Which agency a spelling belongs to, and how that was decided."""

    agency_id: int
    method: str  # new | same | region | fuzzy | manual
    score: float | None = None


Codes = tuple[str | None, str | None, str | None]  # province, city, county codes
_AGENCIES = Base.metadata.tables["agencies"]
_NAMES = Base.metadata.tables["agency_names"]
_NEW_AGENCY = insert(_AGENCIES).returning(_AGENCIES.c.id)
_NEW_NAME = insert(_NAMES)


class AgencyResolver:
    """Finds or creates the agency for each name, inside the caller's transaction (one writer).

    ``prepare`` reads at once what a batch's names need (the spellings and keys already stored,
    the agencies of their regions), so resolving a name queries nothing unless it adds a row.
    """

    def __init__(self, conn: Connection, seen: dict[str, int] | None = None) -> None:
        self.conn = conn
        # Name → agency id; a writer keeps it across its batches (agencies are never deleted).
        self._seen: dict[str, int] = {} if seen is None else seen
        self.overrides = load_overrides(conn)
        self.table = divisions_for(conn)
        self._asked: set[str] = set()  # names looked up in this transaction
        self._keys: dict[str, tuple[int, str, Codes]] = {}  # key → agency id, level, codes (of the names asked)
        self._regions: set[Codes] = set()  # regions whose agencies are in ``_bodies``
        self._bodies: dict[tuple[str, Codes], list[tuple[int, str]]] = {}  # (level, codes) → (agency, body) per name

    def prepare(self, names: Iterable[str | None]) -> None:
        """Look up at once what these names need: stored spellings, stored keys, regions and their agencies."""
        wanted = {n for n in (display_name(raw) for raw in names if raw) if n and n not in self._seen}
        wanted -= self._asked
        keys = {n: name_key(n) for n in wanted if name_key(n)}
        if not keys:
            return
        self._asked |= set(keys)
        locate_many(keys.values(), self.table)
        n, a = schema.AgencyName, schema.Agency
        self._seen.update(self._chunked(select(n.name, n.agency_id), n.name, sorted(keys)))
        rest = {name: key for name, key in keys.items() if name not in self._seen}
        for key, agency_id, level, *codes in self._chunked(
                select(a.key, a.id, a.level, a.province_code, a.city_code, a.county_code), a.key,
                sorted(set(rest.values()))):
            self._keys[key] = (agency_id, level, (codes[0], codes[1], codes[2]))
        regions = {_codes(region_for(key, locate(key, self.table).region, self.overrides)[0]) for key in rest.values()
                   if key not in self._keys}
        self._load_bodies({codes for codes in regions if any(codes)})

    def _chunked(self, query: Any, column: Any, values: list[str]) -> list[Any]:
        """Rows of ``query`` where ``column`` is one of ``values`` (500 at a time)."""
        return [row for start in range(0, len(values), 500)
                for row in self.conn.execute(query.where(column.in_(values[start:start + 500])))]

    def _load_bodies(self, regions: set[Codes]) -> None:
        """The agencies of these regions with each of their names' body (what fuzzy matching compares)."""
        todo = regions - self._regions
        if not todo:
            return
        self._regions |= todo
        a, n = schema.Agency, schema.AgencyName
        counties = sorted({c[2] for c in todo if c[2]})
        cities = sorted({c[1] for c in todo if c[1] and not c[2]})
        provinces = sorted({c[0] for c in todo if c[0] and not c[1] and not c[2]})
        rows = self.conn.execute(
            select(a.id, a.level, a.province_code, a.city_code, a.county_code, n.name).join(n, n.agency_id == a.id)
            .where(or_(a.county_code.in_(counties), and_(a.county_code.is_(None), a.city_code.in_(cities)),
                       and_(a.county_code.is_(None), a.city_code.is_(None), a.province_code.in_(provinces))))
            .order_by(n.id)).all()
        rows = [row for row in rows if (row[2], row[3], row[4]) in todo]
        for agency_id, level, *codes, name in rows:
            self._bodies.setdefault((level, (codes[0], codes[1], codes[2])), []).append(
                (agency_id, body_of(locate(name_key(name), self.table))))

    def resolve(self, raw: str | None, wording: str | None = None) -> int | None:
        """The agency id for a name as read (None when there is no name)."""
        if not raw or not (name := display_name(raw)) or not name_key(name):
            return None
        if name not in self._seen:
            self.prepare([name])
        if name in self._seen:
            return self._seen[name]
        match = self._match(name, wording)
        self.conn.execute(_NEW_NAME, {"name": name, "agency_id": match.agency_id, "method": match.method,
                                      "score": match.score, "created_at": _now()})
        self._seen[name] = match.agency_id
        return match.agency_id

    def _match(self, name: str, wording: str | None) -> Match:
        key = name_key(name)
        located = locate(key, self.table)
        body = body_of(located)
        same = self._keys.get(key)
        if same is not None:
            self._bodies.get((same[1], same[2]), []).append((same[0], body))
            return Match(same[0], "same")
        region, overridden = region_for(key, located.region, self.overrides)
        level = classify_body(name, wording)
        codes = _codes(region)
        if region.known:
            self._load_bodies({codes})
            best = self._closest(body, codes, level.kind)
            if best is not None:
                self._bodies[(level.kind, codes)].append((best.agency_id, body))
                return best
        agency_id = self.conn.execute(_NEW_AGENCY, {
            "name": name, "key": key, "level": level.kind, "level_reason": level.reason,
            "region_overridden": overridden, "created_at": _now(), **_region_columns(region)}).scalar_one()
        self._keys[key] = (agency_id, level.kind, codes)
        if region.known:
            self._bodies.setdefault((level.kind, codes), []).append((agency_id, body))
        return Match(agency_id, "new")

    def _closest(self, body: str, codes: Codes, level: str) -> Match | None:
        """The agency of the same region and level whose name is most like ``body``, if like enough."""
        best: Match | None = None
        for agency_id, other in self._bodies.get((level, codes), []):
            score = same_body_score(body, other)
            if score is not None and score >= FUZZY_THRESHOLD and (best is None or score > (best.score or 0)):
                best = Match(agency_id, "region" if score == 100 else "fuzzy", score)
        return best


def region_for(key: str, found: Region, overrides: list[Override]) -> tuple[Region, bool]:
    """The region of an agency: the longest override whose name the key contains, else what its name says."""
    chosen = max((o for o in overrides if name_key(o.name) in key), key=lambda o: len(o.name), default=None)
    return (chosen.region, True) if chosen else (found, False)


def load_overrides(conn: Connection) -> list[Override]:
    """The region overrides stored in the database."""
    t = schema.RegionOverride
    return [Override(row.name, Region(row.province, row.province_code, row.city, row.city_code, row.county,
                                      row.county_code))
            for row in conn.execute(select(t)).all()]


def save_overrides(conn: Connection, overrides: list[Override]) -> int:
    """Store (insert or replace by name) overrides and re-apply regions to every agency; returns agencies changed."""
    t = schema.RegionOverride
    for o in overrides:
        key = name_key(o.name)
        conn.execute(delete(t).where(t.key == key))
        conn.execute(insert(t).values(key=key, name=o.name, **_region_columns(o.region)))
    return apply_regions(conn)


def apply_regions(conn: Connection) -> int:
    """Recompute every agency's region from its name and the overrides; returns how many changed."""
    overrides = load_overrides(conn)
    table = divisions_for(conn)
    a = schema.Agency
    changed = 0
    for row in conn.execute(select(a)).all():
        region, overridden = region_for(row.key, locate(row.key, table).region, overrides)
        columns = _region_columns(region)
        if any(getattr(row, c) != v for c, v in columns.items()) or row.region_overridden != overridden:
            conn.execute(update(a).where(a.id == row.id).values(region_overridden=overridden, **columns))
            changed += 1
    return changed


def refresh_agencies(conn: Connection, worded: dict[int, tuple[int, str | None]]) -> int:
    """Derive again, by today's rules, what an agency was given when its first report made it: its level
    (``classify_body`` of its name and that report's wording) and its region (its name, the overrides); returns how
    many changed.

    ``worded``: agency → (a report of it parsed again, that report's wording); an agency whose first report is not
    among them is left as it is. A roster's level is the roster body's own (``roster_bodies``), never this column.
    """
    a, r = schema.Agency, schema.Report
    if not worded:
        return 0
    ids = sorted(worded)
    first = {agency: report for agency, report in conn.execute(
        select(r.agency_id, func.min(r.id)).where(r.agency_id.in_(ids)).group_by(r.agency_id))}
    overrides = load_overrides(conn)
    table = divisions_for(conn)
    changed = 0
    for row in conn.execute(select(a).where(a.id.in_(ids))).all():
        report_id, wording = worded[row.id]
        if first.get(row.id) != report_id:
            continue
        level = classify_body(row.name, wording)
        region, overridden = region_for(row.key, locate(row.key, table).region, overrides)
        values: dict[str, Any] = {"level": level.kind, "level_reason": level.reason,
                                  "region_overridden": overridden, **_region_columns(region)}
        if any(getattr(row, column) != value for column, value in values.items()):
            conn.execute(update(a).where(a.id == row.id).values(**values))
            changed += 1
    return changed


def _codes(region: Region) -> Codes:
    return region.province_code, region.city_code, region.county_code


def _region_columns(region: Region) -> dict[str, str | None]:
    return {"province": region.province, "province_code": region.province_code, "city": region.city,
            "city_code": region.city_code, "county": region.county, "county_code": region.county_code}


def _now() -> datetime:
    return datetime.now(UTC)
