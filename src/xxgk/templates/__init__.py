"""The statutory templates, loaded from the one declaration in ``statutory.toml``.

Everything that needs a row, a column, a label or an arithmetic relation asks this module.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import cache, cached_property
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TemplateId = Literal["2019", "2021"]
TEMPLATE_IDS: tuple[TemplateId, ...] = ("2019", "2021")
ColumnKind = Literal["count", "signed", "money"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _per_template(value: str | dict[str, str], template: str) -> str:
    if isinstance(value, str):
        return value
    return value.get(template) or next(iter(value.values()))


class Section(_Frozen):
    id: str
    heading: str
    ordinal: str
    keywords: tuple[str, ...]


class LegacySection(_Frozen):
    """A part of the free-form report of the 2007 条例 (reports for 2008–2018)."""

    id: str
    section: str | None = None  # the contract's section id it answers to
    keywords: tuple[str, ...]
    # Words only a legacy report uses (a 2019+ report has no 收费及减免 or 咨询 part).
    distinctive: tuple[str, ...] = ()


# The unit a column's label prints: 本年收费金额（单位：万元）.
_UNIT = re.compile(r"[（(]单位[：:]\s*([^）)\s]+)\s*[）)]")


class Column(_Frozen):
    id: str
    label: str | dict[str, str]
    templates: tuple[TemplateId, ...]
    kind: ColumnKind = "count"
    group: str | None = None
    prose: tuple[str, ...] = ()  # verbs the report's text states this quantity with

    def label_for(self, template: str) -> str:
        return _per_template(self.label, template)

    def labels(self) -> tuple[str, ...]:
        return (self.label,) if isinstance(self.label, str) else tuple(self.label.values())

    def unit_for(self, template: str) -> str | None:
        """The unit the column's label declares (``万元``), None where it declares none."""
        m = _UNIT.search(self.label_for(template))
        return m.group(1) if m else None


class Row(_Frozen):
    id: str
    label: str | dict[str, str]
    templates: tuple[TemplateId, ...]
    variants: tuple[str, ...] = ()
    caption: str | None = None
    stub: str | None = None
    group: str | None = None
    columns: dict[str, tuple[str, ...]] | None = None

    def label_for(self, template: str) -> str:
        return _per_template(self.label, template)

    def labels(self) -> tuple[str, ...]:
        """Every spelling of this row worth looking for: official labels, then variants."""
        official = (self.label,) if isinstance(self.label, str) else tuple(self.label.values())
        return official + self.variants


class Table(_Frozen):
    id: str
    section: str
    title: str
    templates: tuple[TemplateId, ...]
    markers: tuple[str, ...]
    columns: tuple[Column, ...] = Field(alias="column")
    rows: tuple[Row, ...] = Field(alias="row")
    row_header: str | None = None
    column_header: str | None = None
    note: str | None = None
    layout: Literal["rows", "groups_in_one_line"] = "rows"

    # The lookups below are asked for every cell of every report: each answer is worked out once
    # (the declaration never changes) and kept on the table.

    def rows_for(self, template: str) -> tuple[Row, ...]:
        found = self._rows_for.get(template)
        if found is None:
            found = self._rows_for[template] = tuple(r for r in self.rows if template in r.templates)
        return found

    def columns_for(self, template: str) -> tuple[Column, ...]:
        found = self._columns_for.get(template)
        if found is None:
            found = self._columns_for[template] = tuple(c for c in self.columns if template in c.templates)
        return found

    def column_by_id(self, column_id: str) -> Column:
        return self._column_index[column_id]

    def row_columns(self, row: Row, template: str) -> tuple[Column, ...]:
        """The columns of one row: declared on the row (table 二) or the table's own."""
        if row.columns is None:
            return self.columns_for(template)
        found = self._row_columns.get((row.id, template))
        if found is None:
            found = tuple(self.column_by_id(i) for i in row.columns.get(template, ()))
            self._row_columns[(row.id, template)] = found
        return found

    def row_by_id(self, row_id: str) -> Row:
        return self._row_index[row_id]

    @cached_property
    def _column_index(self) -> dict[str, Column]:
        return {c.id: c for c in reversed(self.columns)}  # reversed: the first of a repeated id wins

    @cached_property
    def _row_index(self) -> dict[str, Row]:
        return {r.id: r for r in reversed(self.rows)}

    @cached_property
    def _rows_for(self) -> dict[str, tuple[Row, ...]]:
        return {}

    @cached_property
    def _columns_for(self) -> dict[str, tuple[Column, ...]]:
        return {}

    @cached_property
    def _row_columns(self) -> dict[tuple[str, str], tuple[Column, ...]]:
        return {}


class Relation(_Frozen):
    id: str
    table: str
    each: Literal["row", "column"]
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    basis: str
    statement: str

    def expand(self, ids: tuple[str, ...] | list[str], present: set[str] | list[str]) -> list[str]:
        """Expand ``prefix.*`` patterns and drop ids that the table as read does not have."""
        have = list(present)
        out: list[str] = []
        for i in ids:
            if i.endswith(".*"):
                out.extend(p for p in have if p.startswith(i[:-1]))
            elif i in have:
                out.append(i)
        return out


class ReportName(_Frozen):
    """How a report names itself in its title: a subject, then a name (工作, the year and 的 may
    stand between them)."""

    subjects: tuple[str, ...]
    names: tuple[str, ...]

    def words(self) -> tuple[str, ...]:
        """Every spelling of the name as one word, with and without 工作 after the subject."""
        return tuple(f"{subject}{work}{name}" for subject in self.subjects for work in ("", "工作")
                     for name in self.names if not (work and name.startswith("工作")))


class Format(_Frozen):
    id: TemplateId
    document: str
    first_year: int


BodyLevel = Literal["government", "department", "township"]
BODY_LEVELS: tuple[BodyLevel, ...] = ("government", "department", "township")


class Deadline(_Frozen):
    """A publication deadline a regulation sets: the month-day, after the report's year, by which the bodies of
    ``levels`` (none: every body) publish their report."""

    due: str
    article: str
    who: str
    says: str
    levels: tuple[BodyLevel, ...] = ()

    @field_validator("due")
    @classmethod
    def _month_day(cls, due: str) -> str:
        month, day = (int(x) for x in due.split("-"))
        date(2001, month, day)  # a real day of a year (29 February is none)
        return due

    @property
    def month_day(self) -> tuple[int, int]:
        """(month, day) of ``due``."""
        month, day = self.due.split("-")
        return int(month), int(day)

    @property
    def spoken(self) -> str:
        """The date as the law writes it: 3月31日."""
        month, day = self.month_day
        return f"{month}月{day}日"

    def on(self, year: int) -> date:
        """The deadline of the report for ``year``."""
        return date(year + 1, *self.month_day)


class Regulation(_Frozen):
    """A regulation the reports up to ``last_year`` (None: every later one) fall under, with its deadlines."""

    name: str
    short: str
    last_year: int | None = None
    deadlines: tuple[Deadline, ...] = Field(alias="deadline")

    def deadline_for(self, level: str | None) -> Deadline | None:
        """The deadline binding a body of ``level``; None where the regulation names none for it."""
        return next((d for d in self.deadlines if not d.levels or level in d.levels), None)

    def earliest(self) -> Deadline:
        """The first of its deadlines in the year (the day a report may already be due)."""
        return min(self.deadlines, key=lambda d: d.month_day)

    def latest(self) -> Deadline:
        """The last of its deadlines in the year (the only one that wrongs no body it does not name)."""
        return max(self.deadlines, key=lambda d: d.month_day)

    def basis(self) -> str:
        """Its deadlines as a rule's basis says them: 条例第四十九条：县级以上人民政府部门1月31日前，…."""
        by_article: dict[str, list[str]] = {}
        for d in self.deadlines:
            by_article.setdefault(d.article, []).append(f"{d.who}{d.spoken}前")
        return "；".join(f"{self.short}{article}：{'，'.join(said)}" for article, said in by_article.items())


class Statutory(_Frozen):
    formats: tuple[Format, ...] = Field(alias="format")
    regulations: tuple[Regulation, ...] = Field(alias="regulation")
    sections: tuple[Section, ...] = Field(alias="section")
    tables: tuple[Table, ...] = Field(alias="table")
    relations: tuple[Relation, ...] = Field(alias="relation")
    legacy_sections: tuple[LegacySection, ...] = Field(alias="legacy_section")
    report_name: ReportName

    @field_validator("tables")
    @classmethod
    def _unique_ids(cls, tables: tuple[Table, ...]) -> tuple[Table, ...]:
        for t in tables:
            ids = [r.id for r in t.rows]
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate row id in table {t.id}")
            col_ids = {c.id for c in t.columns}
            for r in t.rows:
                for tpl, cols in (r.columns or {}).items():
                    missing = set(cols) - col_ids
                    if missing:
                        raise ValueError(f"{t.id}.{r.id} ({tpl}) names unknown columns {missing}")
        return tables

    def word_groups(self) -> tuple[tuple[str, ...], ...]:
        """Every word the declaration spells for finding things in a report, in groups of the
        spellings of one thing: the report's name, each section's heading and wordings, each
        table's title, captions, column and row labels with their variants."""
        groups: list[tuple[str, ...]] = [self.report_name.words()]
        groups += [(sec.heading, *sec.keywords) for sec in self.sections]
        groups += [(*leg.keywords, *leg.distinctive) for leg in self.legacy_sections]
        for t in self.tables:
            groups += [(w,) for w in (t.title, *t.markers, t.row_header, t.column_header, t.note) if w]
            groups += [c.labels() for c in t.columns]
            for r in t.rows:
                groups += [r.labels(), *((w,) for w in (r.caption, r.stub, r.group) if w)]
        return tuple(groups)

    @field_validator("regulations")
    @classmethod
    def _one_in_force(cls, regulations: tuple[Regulation, ...]) -> tuple[Regulation, ...]:
        if [r.last_year for r in regulations].count(None) != 1:
            raise ValueError("exactly one regulation has no last_year: the one in force")
        for r in regulations:
            if not r.deadlines:
                raise ValueError(f"{r.name} sets no deadline")
            for d in r.deadlines:
                if d.spoken not in d.says:
                    raise ValueError(f"{r.name} {d.article}: {d.says!r} does not say {d.spoken}")
        return regulations

    def regulation_for(self, year: int) -> Regulation:
        """The regulation the report for ``year`` falls under (its publication deadlines), whatever its layout."""
        ending = [r for r in self.regulations if r.last_year is not None and year <= r.last_year]
        return min(ending, key=lambda r: r.last_year or 0) if ending else self.in_force()

    def in_force(self) -> Regulation:
        """The regulation the latest reports fall under."""
        return next(r for r in self.regulations if r.last_year is None)

    def first_year(self, template: str) -> int:
        """The first report year the format applies to."""
        return next(f.first_year for f in self.formats if f.id == template)

    def format_for_year(self, year: int) -> str | None:
        """The format a report for ``year`` is due in; None before the first format."""
        due = [f for f in self.formats if f.first_year <= year]
        return max(due, key=lambda f: f.first_year).id if due else None

    def table_by_id(self, table_id: str) -> Table:
        return self._table_index[table_id]

    @cached_property
    def _table_index(self) -> dict[str, Table]:
        return {t.id: t for t in reversed(self.tables)}  # reversed: the first of a repeated id wins

    def section_by_id(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def relations_for(self, table_id: str) -> tuple[Relation, ...]:
        found = self._relations_for.get(table_id)
        if found is None:
            found = self._relations_for[table_id] = tuple(r for r in self.relations if r.table == table_id)
        return found

    @cached_property
    def _relations_for(self) -> dict[str, tuple[Relation, ...]]:
        return {}


@cache
def statutory() -> Statutory:
    """The parsed declaration (read once per process)."""
    raw = resources.files(__package__).joinpath("statutory.toml").read_text(encoding="utf-8")
    return Statutory.model_validate(tomllib.loads(raw))


TABLE_IDS = ("active", "requests", "review_litigation")
SECTION_IDS = ("overview", "active", "requests", "review_litigation", "problems", "other")
