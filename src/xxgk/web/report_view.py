"""A report → what its page shows: the statutory tables as grids with the cells each finding is about.

The tables are the renderers' own grids (``render/grid.py`` through ``render/outline.py``): the
page adds only, per value cell, its key and the findings that point at it. A finding's ``where``
is ``table``, ``table.row`` or ``table.row.column`` (row ids contain dots), resolved against the
declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xxgk.model import SEVERITY_NAMES, Finding, Report
from xxgk.render.outline import report_outline
from xxgk.templates import statutory

_SEVERITY_ORDER = ("error", "warning", "info")
# The source shown beside the tables is cut here (a page must stay light).
MAX_SOURCE_CHARS = 300_000


@dataclass(frozen=True, slots=True)
class Target:
    """The cells a finding is about: a whole table, a row of it, or one cell."""

    table: str
    row: str | None = None
    column: str | None = None

    def covers(self, table: str, row: str, column: str) -> bool:
        """Whether the value cell (table, row, column) is one of these cells."""
        return (table == self.table and (self.row is None or row == self.row)
                and (self.column is None or column == self.column))


@dataclass(slots=True)
class CellView:
    text: str
    tag: str
    rows: int
    cols: int
    kind: str
    key: str | None = None
    findings: list[int] = field(default_factory=list)
    severity: str | None = None


@dataclass(slots=True)
class BlockView:
    kind: str
    text: str = ""
    table: str | None = None
    rows: list[list[CellView]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FindingView:
    index: int
    finding: Finding
    severity_name: str
    cells: tuple[str, ...]
    # Where in the source text the finding is (its own offset, else found from its quote or cells).
    offset: int | None


@dataclass(frozen=True, slots=True)
class SourceLine:
    number: int
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class ReportView:
    report: Report
    blocks: list[BlockView]
    findings: list[FindingView]
    source: list[SourceLine]
    source_cut: bool
    counts: dict[str, int]


def target_of(where: str) -> Target | None:
    """Turn a finding's ``where`` into the cells it names (None for meta, sections, figures…)."""
    table_id, _, rest = where.partition(".")
    tables = {t.id: t for t in statutory().tables}
    if table_id not in tables:
        return None
    table = tables[table_id]
    if not rest:
        return Target(table_id)
    rows = {r.id for r in table.rows}
    if rest in rows:
        return Target(table_id, rest)
    row, _, column = rest.rpartition(".")
    if row in rows and column in {c.id for c in table.columns}:
        return Target(table_id, row, column)
    return None


def _worst(severities: list[str]) -> str | None:
    return next((s for s in _SEVERITY_ORDER if s in severities), None)


def report_view(report: Report, text: str = "") -> ReportView:
    """The page's view of a report: tables with flagged cells, findings in order, the source lines."""
    targets = [target_of(f.where) for f in report.findings]
    blocks: list[BlockView] = []
    cells_of: dict[int, list[str]] = {i: [] for i in range(len(report.findings))}
    for block in report_outline(report):
        if block.grid is None:
            blocks.append(BlockView(block.kind, block.text))
            continue
        grid = block.grid
        rows: list[list[CellView]] = [[] for _ in range(grid.height)]
        for cell in sorted(grid.cells, key=lambda c: (c.row, c.col)):
            view = CellView(cell.text, "th" if cell.kind == "header" else "td", cell.rows, cell.cols, cell.kind)
            if cell.key is not None:
                view.key = ".".join((grid.table, *cell.key))
                view.findings = [i for i, t in enumerate(targets)
                                 if t is not None and t.covers(grid.table, *cell.key)]
                view.severity = _worst([report.findings[i].severity for i in view.findings])
                for i in view.findings:
                    cells_of[i].append(view.key)
            rows[cell.row].append(view)
        blocks.append(BlockView("table", table=grid.table, rows=rows))
    findings = sorted(
        (FindingView(i, f, SEVERITY_NAMES.get(f.severity, f.severity), tuple(cells_of[i]),
                     source_offset(report, f, targets[i], cells_of[i], text))
         for i, f in enumerate(report.findings)),
        key=lambda v: (_SEVERITY_ORDER.index(v.finding.severity) if v.finding.severity in _SEVERITY_ORDER else 9,
                       v.index))
    counts = {s: sum(f.severity == s for f in report.findings) for s in _SEVERITY_ORDER}
    shown = text[:MAX_SOURCE_CHARS]
    return ReportView(report, blocks, findings, source_lines(shown), len(text) > len(shown), counts)


def source_offset(report: Report, finding: Finding, target: Target | None, cells: list[str], text: str) -> int | None:
    """Where the finding is in the source: its offset, its quote, its cells' provenance, or its row's label."""
    if finding.offset is not None:
        return finding.offset
    if not text:
        return None
    if finding.quote and (at := text.find(finding.quote)) >= 0:
        return at
    read = [report.provenance[key].offset for key in cells if key in report.provenance]
    if read:
        return min(read)
    if target is not None and target.row is not None:
        row = statutory().table_by_id(target.table).row_by_id(target.row)
        found = [at for label in row.labels() if (at := text.find(label)) >= 0]
        if found:
            return min(found)
    return None


def source_lines(text: str) -> list[SourceLine]:
    """The document's text as numbered lines with their offsets (for highlighting a quoted sentence)."""
    out: list[SourceLine] = []
    offset = 0
    if not text:
        return out  # a stored report: its text is not kept apart from its file
    for number, line in enumerate(text.split("\n"), start=1):
        out.append(SourceLine(number, offset, line))
        offset += len(line) + 1
    return out
