"""The report as data: the JSON contract of ``xxgk.report/1`` (docs/report-json.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from xxgk.names import SEVERITY_NAMES as SEVERITY_NAMES

SCHEMA = "xxgk.report/1"

Severity = Literal["error", "warning", "info"]
# What people read for each severity (the ids stay in the JSON and in the columns programs read).
Number = int | float
# A table: row id -> column id -> value (None where the document has no number there).
TableData = dict[str, dict[str, Number | None]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Source(_Model):
    name: str
    sha256: str
    format: str


class Meta(_Model):
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    template: Literal["2019", "2021", "legacy"] | None = None
    signed: str | None = None
    period: dict[str, str | None] | None = None
    # The text before the first statutory heading (whose report it is, on whose behalf).
    preamble: str | None = None


class Section(_Model):
    present: bool = False
    heading: str | None = None
    offset: int | None = None
    text: str | None = None


class Figure(_Model):
    key: str
    value: Number
    approximate: bool = False
    quote: str
    offset: int | None = None


class Finding(_Model):
    rule: str
    severity: Severity
    where: str
    message: str
    quote: str | None = None
    offset: int | None = None


class CellSource(_Model):
    """Where a number was read: offset and line in the document text, and the text itself."""

    offset: int
    line: int
    text: str


class Report(_Model):
    schema_: str = Field(default=SCHEMA, alias="schema")
    source: Source
    meta: Meta = Field(default_factory=Meta)
    sections: dict[str, Section] = Field(default_factory=dict)
    tables: dict[str, TableData | None] = Field(default_factory=dict)
    figures: list[Figure] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    provenance: dict[str, CellSource] = Field(default_factory=dict)

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_dict(self) -> dict[str, Any]:
        """The contract JSON as plain Python data."""
        return self.model_dump(by_alias=True, mode="json", exclude_none=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls.model_validate(data)

    def cell(self, table: str, row: str, column: str) -> Number | None:
        t = self.tables.get(table)
        if not t or row not in t:
            return None
        return t[row].get(column)
