"""Grading reports: a scoring profile (TOML) of indicators and their deductions, applied to the checker's findings.

The profile (``grade_profile.toml`` shipped, or an office's own 考核细则 in the same form) names,
for each indicator, the rules whose findings cost points; the one deduction not read from a
finding is lateness, which depends on the deadline of the body's level and is linked to the TIME-LATE finding when
the checker made one. The deadlines are the law's, declared once (``xxgk.templates``: the regulation each report year
falls under, the 2007 条例's 31 March up to 2018); a profile may set its own (``[deadlines]``, and
``[deadlines.until_YYYY]`` for the reports up to YYYY), as an evaluator's rules sometimes do. Every deduction keeps
the finding that caused it, so a score can always be traced to the report.

Lateness is the agency-year's, judged by its first publication (``year_timeliness``): ``grade``,
``stats``, ``monitor`` and ``circular`` all ask it here, so none of them calls a year on time
that another calls late.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from xxgk.check import RULES
from xxgk.check.causes import causes, places
from xxgk.check.timeliness import before_year_end
from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import StoreError
from xxgk.store.standing import same_agency_year
from xxgk.templates import BODY_LEVELS, Regulation, statutory

PACKAGED_PROFILE = Path(__file__).with_name("grade_profile.toml")
LEVELS_WITH_DEADLINES = BODY_LEVELS
STATUS_NAMES = {"on_time": "按时", "late": "逾期", "no_date": "无发布日期或日期有误", "missing": "未发布", "pending": "未到期",
                "unverified": "未能核实"}


@dataclass(frozen=True, slots=True)
class Deduction:
    """Points lost when a report has findings of ``rules`` (or, for ``status``, when it was published late).

    ``each``: once per cause (``xxgk.check.causes``: the findings one wrong number explains count once), not once per
    report; ``follow_totals``: a finding on a total that its parts' findings explain is no cause of its own.
    """

    points: float
    reason: str
    rules: tuple[str, ...] = ()
    status: str | None = None
    each: bool = False
    cap: float | None = None
    follow_totals: bool = True


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    weight: float
    basis: str
    deductions: tuple[Deduction, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """A scoring profile: indicators (weights add up to 100), bands, deadlines by level."""

    name: str
    version: str
    source: str
    indicators: tuple[Indicator, ...]
    bands: tuple[tuple[str, float], ...]  # (name, lowest score), highest first
    deadlines: dict[str, tuple[int, int]]  # level → (month, day) of the following year
    # Report years up to a last year under an earlier law ([deadlines.until_YYYY]): last year → its deadlines, basis.
    earlier: tuple[Earlier, ...] = ()

    @property
    def rules(self) -> frozenset[str]:
        """The rules whose findings cost points (TIME-LATE too: lateness links to it)."""
        return frozenset({r for i in self.indicators for d in i.deductions for r in d.rules} | {"TIME-LATE"})

    def band(self, score: float) -> str:
        return next((name for name, low in self.bands if score >= low), self.bands[-1][0])

    def deadline(self, level: str | None, year: int) -> date | None:
        """The publication deadline of a body of this level for the report of ``year`` (None: level unknown)."""
        found = self.deadlines_for(year).get(level or "")
        return date(year + 1, found[0], found[1]) if found else None

    def latest(self, year: int) -> date | None:
        """The latest deadline of any level for the report of ``year``."""
        return max((d for d in (self.deadline(level, year) for level in LEVELS_WITH_DEADLINES) if d), default=None)

    def deadlines_for(self, year: int) -> dict[str, tuple[int, int]]:
        """Level → (month, day) of the deadlines for the report of ``year``."""
        earlier = self.earlier_for(year)
        return earlier.deadlines if earlier else self.deadlines

    def earlier_for(self, year: int | None) -> Earlier | None:
        """The earlier law's deadlines a report of ``year`` was due by, if one was (the 2007 条例's up to 2018)."""
        return min((e for e in self.earlier if year is not None and year <= e.last_year),
                   key=lambda e: e.last_year, default=None)


@dataclass(frozen=True, slots=True)
class Earlier:
    """Deadlines of the reports up to ``last_year``, under an earlier law (``basis``)."""

    last_year: int
    deadlines: dict[str, tuple[int, int]]
    basis: str


@dataclass(frozen=True, slots=True)
class FindingFact:
    """A stored finding as grading sees it."""

    id: int
    rule: str
    severity: str
    where: str
    message: str
    quote: str | None
    scope: str
    related_report_id: int | None


@dataclass(slots=True)
class ReportFacts:
    """What a report's grade is computed from."""

    report_id: int
    year: int | None
    published: date | None
    level: str | None
    findings: list[FindingFact] = field(default_factory=list)
    dates: list[date | None] = field(default_factory=list)  # of the other reports of its agency-year

    @property
    def first_published(self) -> date | None:
        """The publication its agency-year's timeliness is judged by (``first_publication``)."""
        return first_publication([self.published, *self.dates], self.year)


@dataclass(frozen=True, slots=True)
class Applied:
    """One deduction applied to a report: the points, why, and the finding behind it (None: computed); ``also``: the
    other findings of the same cause, which cost nothing more."""

    points: float
    reason: str
    finding: FindingFact | None
    detail: str | None = None
    also: tuple[FindingFact, ...] = ()


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    indicator: Indicator
    lost: float
    applied: tuple[Applied, ...]

    @property
    def score(self) -> float:
        return self.indicator.weight - self.lost


@dataclass(frozen=True, slots=True)
class Grade:
    report_id: int
    score: float
    band: str
    indicators: tuple[IndicatorScore, ...]
    status: str  # on_time | late | no_date
    deadline: date | None


def timeliness(published: date | None, year: int | None, level: str | None,
               profile: Profile) -> tuple[str, date | None]:
    """``on_time``, ``late`` or ``no_date``, and the deadline that applies (None when the level has none).

    A date before the covered year has ended (TIME-EARLY: the date or the year is wrong) is no date to judge by.
    """
    if year is None:
        return ("no_date" if published is None else "on_time"), None
    due = profile.deadline(level, year) or profile.latest(year)  # level unknown: the latest, so as not to wrong it
    if published is None or before_year_end(published, year):
        return "no_date", due
    return ("late" if due is not None and published > due else "on_time"), due


def first_publication(dates: Iterable[date | None], year: int | None) -> date | None:
    """The publication an agency-year's timeliness is judged by: the earliest of its reports' dates after the covered
    year's end. A correction published again after the deadline does not make an on-time year late, and a year first
    published late stays late; a date on or before the year's end (TIME-EARLY) is none to judge by."""
    known = [d for d in dates if d is not None]
    return min((d for d in known if year is None or not before_year_end(d, year)), default=None)


def year_timeliness(dates: Iterable[date | None], year: int | None, level: str | None,
                    profile: Profile) -> tuple[str, date | None]:
    """``timeliness`` of an agency-year (or a roster body's year) from its reports' publication dates, by the first
    publication: the one answer grade, stats, monitor and circular give."""
    return timeliness(first_publication(dates, year), year, level, profile)


def grade(facts: ReportFacts, profile: Profile) -> Grade:
    """The report's score (0–100), band, and every deduction with its finding."""
    status, due = year_timeliness([facts.published, *facts.dates], facts.year, facts.level, profile)
    by_rule: dict[str, list[FindingFact]] = {}
    for finding in facts.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    scores = []
    for indicator in profile.indicators:
        applied: list[Applied] = []
        for deduction in indicator.deductions:
            if deduction.status == status or any(rule in by_rule for rule in deduction.rules):
                applied.extend(_apply(deduction, facts, by_rule, status, due, profile.earlier_for(facts.year)))
        lost = min(indicator.weight, sum(a.points for a in applied)) if applied else 0.0
        scores.append(IndicatorScore(indicator, lost, tuple(applied)))
    score = round(max(0.0, 100.0 - sum(s.lost for s in scores)), 1)
    return Grade(facts.report_id, score, profile.band(score), tuple(scores), status, due)


def _apply(deduction: Deduction, facts: ReportFacts, by_rule: dict[str, list[FindingFact]], status: str,
           due: date | None, earlier: Earlier | None) -> Iterator[Applied]:
    if deduction.status is not None:
        if status == deduction.status:
            late = next(iter(by_rule.get("TIME-LATE", ())), None)
            first = facts.first_published
            law = f"（{earlier.basis}）" if earlier is not None and earlier.basis else ""
            detail = f"发布于{first.isoformat()}，晚于期限{due.isoformat()}{law}" if first and due else None
            yield Applied(deduction.points, deduction.reason, late, detail)
        return
    matching = [f for rule in deduction.rules for f in by_rule.get(rule, ())]
    if not matching:
        return
    if len(deduction.rules) > 1:
        matching.sort(key=lambda f: f.id)
    if not deduction.each:
        yield Applied(deduction.points, deduction.reason, matching[0])
        return
    left = deduction.cap if deduction.cap is not None else float("inf")
    for group in causes([places(f.rule, f.where, deduction.follow_totals) for f in matching]):
        points = min(deduction.points, left)
        if points <= 0:
            break
        left -= points
        lead, *also = (matching[i] for i in group)
        # Each one said with its rule and place: a reviewer reading the deduction should not have to look ids up.
        named = "、".join(f"#{f.id}（{f.rule}，{f.where}）" for f in also)
        detail = f"同一原因还引起问题 {named}，不重复扣分" if also else None
        yield Applied(points, deduction.reason, lead, detail, tuple(also))


# --- profiles ---------------------------------------------------------------------------------------


@cache
def default_profile() -> Profile:
    """The profile shipped with xxgk (docs/grading.md explains it)."""
    return parse_profile(PACKAGED_PROFILE.read_text(encoding="utf-8"), "xxgk 默认评分细则")


def load_profile(path: Path | None = None) -> Profile:
    """A profile from a TOML file (the default one when ``path`` is None); StoreError in Chinese when wrong."""
    if path is None:
        return default_profile()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise StoreError(f"无法读取评分细则：{path}（应为 UTF-8 编码的 TOML 文件）") from err
    return parse_profile(text, str(path))


def parse_profile(text: str, source: str) -> Profile:
    """Turn a profile's TOML text into a checked Profile."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise StoreError(f"评分细则 TOML 格式错误：{source}（{err}）") from err
    except RecursionError:  # nested thousands deep: tomllib recurses
        raise StoreError(f"评分细则 TOML 格式错误：{source}（数组或表嵌套过深）") from None
    head = data.get("profile", {})
    indicators = tuple(_indicator(raw, i + 1, source) for i, raw in enumerate(_list(data, "indicator", source)))
    total = sum(i.weight for i in indicators)
    if abs(total - 100) > 1e-6:
        raise StoreError(f"评分细则各指标的权重（weight）之和应为 100，现为 {total:g}：{source}")
    if len({i.id for i in indicators}) != len(indicators):
        raise StoreError(f"评分细则中指标 id 重复：{source}")
    bands = tuple(sorted(((str(b.get("name", "")), _number(b.get("min"), "band.min", source))
                          for b in _list(data, "band", source)), key=lambda b: -b[1]))
    if not bands or any(not name for name, _ in bands) or bands[-1][1] > 0:
        raise StoreError(f"评分细则的等次（[[band]]）应有名称，最低一档的 min 应为 0：{source}")
    raw = data.get("deadlines", {})
    if not isinstance(raw, dict):
        raise StoreError(f"评分细则的 [deadlines] 格式错误：{source}")
    own = {k: v for k, v in raw.items() if not isinstance(v, dict)}
    return Profile(str(head.get("name") or Path(source).stem), str(head.get("version") or ""), source, indicators,
                   bands, _deadlines(own, "[deadlines]", source, statutory_deadlines(statutory().in_force())),
                   _earlier({k: v for k, v in raw.items() if isinstance(v, dict)}, source))


def _list(data: dict[str, Any], key: str, source: str) -> list[dict[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise StoreError(f"评分细则中缺少 [[{key}]]：{source}")
    return value


def _number(value: Any, what: str, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise StoreError(f"评分细则中 {what} 应为非负数：{source}")
    return float(value)


def _indicator(raw: dict[str, Any], number: int, source: str) -> Indicator:
    where = f"第 {number} 个指标"
    ident, name = str(raw.get("id") or ""), str(raw.get("name") or "")
    if not ident or not name:
        raise StoreError(f"评分细则{where}缺少 id 或 name：{source}")
    deductions = tuple(_deduction(d, f"{where}（{name}）", source) for d in raw.get("deduction", []))
    return Indicator(ident, name, _number(raw.get("weight"), f"{name}.weight", source), str(raw.get("basis") or ""),
                     deductions)


def _deduction(raw: dict[str, Any], where: str, source: str) -> Deduction:
    rules = tuple(str(r) for r in raw.get("rules", []))
    status = raw.get("status")
    unknown = [r for r in rules if r not in RULES]
    if unknown:
        raise StoreError(f"评分细则{where}中的规则不存在：{'、'.join(unknown)}（xxgk rules 列出全部规则）：{source}")
    if status is not None and status != "late":
        raise StoreError(f"评分细则{where}中 status 只能为 \"late\"（逾期公布）：{source}")
    if not rules and status is None:
        raise StoreError(f"评分细则{where}的扣分项应给出 rules 或 status：{source}")
    cap = raw.get("cap")
    return Deduction(points=_number(raw.get("points"), "points", source), reason=str(raw.get("reason") or "扣分"),
                     rules=rules, status=status, each=bool(raw.get("each", False)),
                     cap=_number(cap, "cap", source) if cap is not None else None,
                     follow_totals=bool(raw.get("follow_totals", True)))


_UNTIL = re.compile(r"until_(\d{4})")


def statutory_deadlines(law: Regulation) -> dict[str, tuple[int, int]]:
    """Level → (month, day) of a regulation's deadlines; a level it names none for (乡镇、街道 in 第四十九条, set
    locally) gets its latest, the only date that wrongs no body."""
    return {level: (law.deadline_for(level) or law.latest()).month_day for level in LEVELS_WITH_DEADLINES}


def _deadlines(raw: dict[str, Any], table: str, source: str,
               default: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    out = dict(default)
    for level, text in raw.items():
        if level not in LEVELS_WITH_DEADLINES:
            raise StoreError(f"评分细则 {table} 的级别应为 {'、'.join(LEVELS_WITH_DEADLINES)}：{level}")
        try:
            month, day = (int(x) for x in str(text).split("-"))
            date(2001, month, day)
        except ValueError as err:
            raise StoreError(f"评分细则 {table} 中 {level} 的期限应写作 \"月-日\"（如 \"01-31\"）：{text}") from err
        out[level] = (month, day)
    return out


def _earlier(raw: dict[str, Any], source: str) -> tuple[Earlier, ...]:
    """The deadlines of the reports up to a year under an earlier regulation: the declared ones (the 2007 条例's,
    every level 31 March, up to 2018), each replaced by the profile's ``[deadlines.until_YYYY]`` for that year
    if it has one (its levels not named there keep the law's, its ``basis`` is said with the deduction)."""
    out = {law.last_year: Earlier(law.last_year, statutory_deadlines(law), _basis(law))
           for law in statutory().regulations if law.last_year is not None}
    for key, table in raw.items():
        found = _UNTIL.fullmatch(key)
        if found is None:
            raise StoreError(f"评分细则 [deadlines.{key}] 应写作 [deadlines.until_年份]（如 until_2018）：{source}")
        last = int(found.group(1))
        levels = {k: v for k, v in table.items() if k != "basis"}
        law = statutory_deadlines(statutory().regulation_for(last))
        out[last] = Earlier(last, _deadlines(levels, f"[deadlines.{key}]", source, law), str(table.get("basis") or ""))
    return tuple(sorted(out.values(), key=lambda e: e.last_year))


def _basis(law: Regulation) -> str:
    """What a deduction says of an earlier regulation's deadlines: its articles, as the checker quotes them."""
    return "；".join(f"{law.name}{d.article}：{d.says}" for d in law.deadlines)


# --- the store's side ---------------------------------------------------------------------------------


def report_facts(conn: Connection, report_ids: Iterable[int], rules: Iterable[str] | None = None,
                 details: bool = True) -> dict[int, ReportFacts]:
    """What grading needs of these stored reports: year, dates (their own and their agency-year's others'), the
    level of their body, their findings.

    ``rules``: only findings of these rules (those a profile weighs); ``details`` False leaves out the
    findings' messages and quotes (a score needs only which findings there are).
    """
    r, a, f = store_schema.Report, store_schema.Agency, store_schema.Finding
    t, b = roster_schema.RosterReport, roster_schema.RosterBody
    other = aliased(r)
    ids = sorted(set(report_ids))
    facts: dict[int, ReportFacts] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for row in conn.execute(
                select(r.id, r.year, r.published, a.level.label("agency_level"), b.level.label("body_level"),
                       other.published.label("also"))
                .outerjoin(a, a.id == r.agency_id).outerjoin(t, t.report_id == r.id)
                .outerjoin(b, b.id == t.body_id).outerjoin(other, same_agency_year(other, r.agency_id, r.year, r.id))
                .where(r.id.in_(chunk))):
            if row.id not in facts:
                facts[row.id] = ReportFacts(row.id, row.year, row.published, row.body_level or row.agency_level)
            facts[row.id].dates.append(row.also)
        query = (select(f.id, f.report_id, f.rule, f.severity, f.location, f.message, f.quote, f.scope,
                        f.related_report_id) if details else select(f.id, f.report_id, f.rule, f.location))
        query = query.where(f.report_id.in_(chunk))
        if rules is not None:
            query = query.where(f.rule.in_(sorted(set(rules))))
        for found in conn.execute(query.order_by(f.id)):
            facts[found.report_id].findings.append(
                FindingFact(found.id, found.rule, found.severity, found.location, found.message, found.quote,
                            found.scope, found.related_report_id) if details
                else FindingFact(found.id, found.rule, "", found.location, "", None, "", None))  # where: its cause
    return facts


def grade_reports(conn: Connection, report_ids: Iterable[int], profile: Profile,
                  details: bool = True) -> dict[int, Grade]:
    """The grades of these stored reports (``details`` False: the deductions' findings without their text)."""
    facts = report_facts(conn, report_ids, profile.rules, details)
    return {rid: grade(one, profile) for rid, one in facts.items()}


def ranks(scores: dict[int, float]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4) of the keys by score, highest first."""
    ordered = sorted(scores.items(), key=lambda kv: -kv[1])
    out: dict[int, int] = {}
    for position, (key, score) in enumerate(ordered, start=1):
        out[key] = position if position == 1 or score != ordered[position - 2][1] else out[ordered[position - 2][0]]
    return out
