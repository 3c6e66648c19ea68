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

from rapidfuzz import fuzz
from sqlalchemy import Connection, delete, insert, select, update

from xxgk.check.agency import classify_body
from xxgk.parse.meta import agency_and_year
from xxgk.parse.normalize import to_simplified
from xxgk.store import schema
from xxgk.store.regions import Located, Override, Region, locate, locate_many

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


class AgencyResolver:
    """Finds or creates the agency for each name, inside the caller's transaction (one writer)."""

    def __init__(self, conn: Connection, seen: dict[str, int] | None = None) -> None:
        self.conn = conn
        # Name → agency id; a writer keeps it across its batches (agencies are never deleted).
        self._seen: dict[str, int] = {} if seen is None else seen
        self.overrides = load_overrides(conn)

    def prepare(self, names: Iterable[str | None]) -> None:
        """Look up the regions of a batch's new names at once (cpca is much faster per batch)."""
        locate_many(name_key(n) for n in names if n and display_name(n) not in self._seen)

    def resolve(self, raw: str | None, wording: str | None = None) -> int | None:
        """The agency id for a name as read (None when there is no name)."""
        if not raw or not (name := display_name(raw)) or not name_key(name):
            return None
        if name in self._seen:
            return self._seen[name]
        known = self.conn.execute(
            select(schema.AgencyName.agency_id).where(schema.AgencyName.name == name)).scalar()
        if known is None:
            match = self._match(name, wording)
            self.conn.execute(insert(schema.AgencyName).values(
                name=name, agency_id=match.agency_id, method=match.method, score=match.score, created_at=_now()))
            known = match.agency_id
        self._seen[name] = known
        return known

    def _match(self, name: str, wording: str | None) -> Match:
        key = name_key(name)
        same = self.conn.execute(select(schema.Agency.id).where(schema.Agency.key == key)).scalar()
        if same is not None:
            return Match(same, "same")
        located = locate(key)
        region, overridden = region_for(key, located.region, self.overrides)
        level = classify_body(name, wording)
        if region.known:
            best = self._closest(body_of(located), region, level.kind)
            if best is not None:
                return best
        agency_id = self.conn.execute(insert(schema.Agency).values(
            name=name, key=key, level=level.kind, level_reason=level.reason, region_overridden=overridden,
            created_at=_now(), **_region_columns(region)).returning(schema.Agency.id)).scalar_one()
        return Match(agency_id, "new")

    def _closest(self, body: str, region: Region, level: str) -> Match | None:
        """The agency of the same region and level whose name is most like ``body``, if like enough."""
        a, n = schema.Agency, schema.AgencyName
        rows = self.conn.execute(
            select(a.id, n.name).join(n, n.agency_id == a.id).where(
                a.level == level,
                *(getattr(a, column) == value if value is not None else getattr(a, column).is_(None)
                  for column, value in _codes(region).items()))).all()
        best: Match | None = None
        for agency_id, other in rows:
            score = same_body_score(body, body_of(locate(name_key(other))))
            if score is not None and score >= FUZZY_THRESHOLD and (best is None or score > (best.score or 0)):
                best = Match(agency_id, "region" if score == 100 else "fuzzy", score)
        return best


def region_for(key: str, found: Region, overrides: list[Override]) -> tuple[Region, bool]:
    """The region of an agency: the longest override whose name the key contains, else what cpca found."""
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
    a = schema.Agency
    changed = 0
    for row in conn.execute(select(a)).all():
        region, overridden = region_for(row.key, locate(row.key).region, overrides)
        columns = _region_columns(region)
        if any(getattr(row, c) != v for c, v in columns.items()) or row.region_overridden != overridden:
            conn.execute(update(a).where(a.id == row.id).values(region_overridden=overridden, **columns))
            changed += 1
    return changed


def _codes(region: Region) -> dict[str, str | None]:
    return {"province_code": region.province_code, "city_code": region.city_code, "county_code": region.county_code}


def _region_columns(region: Region) -> dict[str, str | None]:
    return {"province": region.province, "province_code": region.province_code, "city": region.city,
            "city_code": region.city_code, "county": region.county, "county_code": region.county_code}


def _now() -> datetime:
    return datetime.now(UTC)
