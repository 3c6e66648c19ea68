"""Questions asked of a store filled with the real reports: list filters, stats, compare, export.

Every figure is checked against values computed here, independently, from the contract JSON of
the same reports (``Store.get``), never against numbers written into the test. Runs on SQLite
and, when XXGK_TEST_DATABASE_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import math
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from conftest import CORPUS
from xxgk.cli.main import app
from xxgk.model import SEVERITY_NAMES, Report
from xxgk.store import Store
from xxgk.store.compare import AgencyNotFound, AmbiguousAgency, compare
from xxgk.store.export import META_LABELS, SCOPE_NAMES, export, findings_path
from xxgk.store.query import LEVELS, Filters, QueryError, cell_columns, list_reports
from xxgk.store.stats import outcome_rows, rule_counts, stats

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store per backend with every real report of tests/data/corpus and examples/ (ingested once)."""
    url, drop = _database(request.param, tmp_path_factory)
    store = Store(url)
    summary = store.ingest([CORPUS, EXAMPLES], workers=2)
    assert summary.failed == 0 and summary.ok > 10
    try:
        yield store
    finally:
        store.close()
        drop()


def _database(backend: str, factory: pytest.TempPathFactory) -> tuple[str, Any]:
    """An empty database on the backend, and how to drop it."""
    if backend == "sqlite":
        return f"sqlite:///{factory.mktemp('query') / 'store.db'}", lambda: None
    server = os.environ.get("XXGK_TEST_DATABASE_URL")
    if not server:
        pytest.skip("PostgreSQL: set XXGK_TEST_DATABASE_URL to run the query tests on it")
    from sqlalchemy import create_engine, make_url, text

    name = f"xxgk_q_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def contracts(store: Store) -> dict[int, Report]:
    """Every stored report's contract JSON, by report id."""
    out = {}
    for row in store.reports():
        report = store.get(row.id)
        assert report is not None
        out[row.id] = report
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _close(a: Any, b: Any) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


# ---------------------------------------------------------------------------------------------
# list
# ---------------------------------------------------------------------------------------------

def test_list_has_every_report_and_its_metadata(filled: Store) -> None:
    frame = list_reports(filled.engine)
    data = contracts(filled)
    assert sorted(frame["report_id"]) == sorted(data)
    for row in frame.itertuples(index=False):
        report = data[int(row.report_id)]  # type: ignore[arg-type]
        assert (None if _missing(row.year) else row.year) == report.meta.year
        assert (None if _missing(row.title) else row.title) == report.meta.title
        assert row.errors == sum(f.severity == "error" for f in report.findings)


def test_list_filters(filled: Store) -> None:
    everything = list_reports(filled.engine)
    data = contracts(filled)
    year = int(everything["year"].dropna().mode()[0])
    by_year = list_reports(filled.engine, Filters(years=(year,)))
    assert set(by_year["report_id"]) == {i for i, r in data.items() if r.meta.year == year}

    wrong = list_reports(filled.engine, Filters(has_errors=True))
    assert set(wrong["report_id"]) == {i for i, r in data.items() if any(f.severity == "error" for f in r.findings)}
    right = list_reports(filled.engine, Filters(has_errors=False))
    assert set(right["report_id"]) | set(wrong["report_id"]) == set(data) and not set(right["report_id"]) & set(
        wrong["report_id"])

    rule = rule_counts(filled.engine)["rule"].iloc[0]
    with_rule = list_reports(filled.engine, Filters(rule=rule))
    assert set(with_rule["report_id"]) == {f.report_id for f in filled.findings(rule=rule)}

    agencies = filled.agencies()
    placed = next(a for a in agencies if a.province and a.city)
    assert placed.province is not None
    for region in (placed.province, placed.province[:2], placed.city_code, placed.city):
        found = list_reports(filled.engine, Filters(region=region))
        assert placed.id in set(found["agency_id"])
        assert set(found["province"]) == {placed.province}

    level = list_reports(filled.engine, Filters(level=placed.level))
    assert set(level["level"]) == {placed.level}
    part = placed.name[-4:]
    named = list_reports(filled.engine, Filters(agency=part))
    assert placed.id in set(named["agency_id"])
    assert all(part in name for name in named["agency"])

    with pytest.raises(QueryError):
        list_reports(filled.engine, Filters(level="ministry"))


def test_list_cli_json_csv_and_table(filled: Store) -> None:
    runner = CliRunner(env={"COLUMNS": "300"})
    db = ["--db", str(filled.engine.url.render_as_string(hide_password=False))]
    result = runner.invoke(app, ["list", "--json", *db])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == filled.count()
    result = runner.invoke(app, ["list", "--csv", "--errors", *db])
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 1 + len(filled.reports(has_errors=True))
    result = runner.invoke(app, ["list", *db])
    assert result.exit_code == 0 and f"共 {filled.count()} 份报告" in result.stdout
    result = runner.invoke(app, ["list", "--level", "ministry", *db])
    assert result.exit_code == 2 and "级别应为" in result.stderr


# ---------------------------------------------------------------------------------------------
# stats: each figure computed again here from the contract JSON
# ---------------------------------------------------------------------------------------------

def _cell(report: Report, row: str, column: str = "total", table: str = "requests") -> float | None:
    value = (report.tables.get(table) or {}).get(row, {}).get(column)
    return None if value is None else float(value)


def _complete(report: Report, rows: tuple[str, ...]) -> float | None:
    table = report.tables.get("requests") or {}
    present = [r for r in rows if r in table]
    values = [_cell(report, r) for r in present]
    if not present or any(v is None for v in values):
        return None
    return sum(v for v in values if v is not None)


def _expected_group(reports: list[Report]) -> dict[str, Any]:
    """The figures of one (year, province) group, from the contract JSON."""
    out: dict[str, Any] = {"reports": len(reports)}
    received = [v for r in reports if (v := _cell(r, "new_received")) is not None]
    out["received"], out["received_n"] = (sum(received) if received else None), len(received)
    mix: list[tuple[float, dict[str, float]]] = []
    for r in reports:
        processed = _cell(r, "total_processed")
        parts = {c: _complete(r, rows) for c, rows in outcome_rows().items()}
        complete = {c: v for c, v in parts.items() if v is not None}
        if processed is not None and len(complete) == len(parts):
            mix.append((processed, complete))
    out["outcomes_n"] = len(mix)
    den = sum(p for p, _ in mix)
    for category in outcome_rows():
        out[f"share_{category}"] = sum(parts[category] for _, parts in mix) / den if den else None
    disclosed = [(g + pg, p) for r in reports
                 if (g := _cell(r, "granted")) is not None and (pg := _cell(r, "partially_granted")) is not None
                 and (p := _cell(r, "total_processed")) is not None]
    out["disclosure_n"] = len(disclosed)
    den = sum(p for _, p in disclosed)
    out["disclosure_rate"] = sum(d for d, _ in disclosed) / den if den else None
    for name, groups in (("review", ["review"]), ("litigation", ["litigation_direct", "litigation_after_review"])):
        judged: list[tuple[float, float]] = []
        for r in reports:
            values = [[_cell(r, g, c, "review_litigation") for c in ("corrected", "total", "pending")] for g in groups]
            known = [[v for v in triple if v is not None] for triple in values]
            if all(len(triple) == 3 for triple in known):
                judged.append((sum(t[0] for t in known), sum(t[1] - t[2] for t in known)))
        out[f"{name}_n"] = len(judged)
        den = sum(c for _, c in judged)
        out[f"{name}_correction_rate"] = sum(c for c, _ in judged) / den if den else None
    out["late"] = sum(any(f.rule == "TIME-LATE" for f in r.findings) for r in reports)
    out["dated"] = sum(r.meta.published is not None and len(r.meta.published) == 10 for r in reports)
    out["errors"] = sum(any(f.severity == "error" for f in r.findings) for r in reports)
    return out


def test_stats_equal_figures_computed_from_the_contract_json(filled: Store) -> None:
    data = contracts(filled)
    provinces = {row.id: row.province for row in filled.reports()}
    groups: dict[tuple[Any, Any], list[Report]] = {}
    for report_id, report in data.items():
        groups.setdefault((report.meta.year, provinces[report_id]), []).append(report)
    frame = stats(filled.engine)
    assert int(frame["reports"].sum()) == len(data)
    assert len(frame) == len(groups)
    compared = 0
    for row in frame.to_dict("records"):
        year = None if _missing(row["year"]) else int(row["year"])
        province = None if row["region_code"] is None or _missing(row["region_code"]) else row["region"]
        expected = _expected_group(groups[(year, province)])
        for key, value in expected.items():
            assert _close(row[key], value), (year, province, key, row[key], value)
            compared += 1
    assert compared > 100
    # Something real was computed: at least one rate and one received total.
    assert frame["disclosure_rate"].notna().any() and frame["received"].notna().any()


def test_stats_zero_denominators_are_null_not_zero(filled: Store) -> None:
    frame = stats(filled.engine)
    # Groups whose reports have no readable 表三 still report their size, with null rates and n = 0.
    empty = frame[frame["disclosure_n"] == 0]
    assert not empty.empty
    assert empty["disclosure_rate"].isna().all()
    assert empty[[c for c in frame.columns if c.startswith("share_")]].isna().all().all()


def test_stats_by_city_and_county_and_filters(filled: Store) -> None:
    total = filled.count()
    for by in ("city", "county"):
        frame = stats(filled.engine, by=by)
        assert int(frame["reports"].sum()) == total
    agency = next(a for a in filled.agencies() if a.county)
    county = stats(filled.engine, by="county")
    assert any(agency.county in region for region in county["region"])
    year_only = stats(filled.engine, Filters(years=(2024,)))
    assert set(year_only["year"].dropna()) == {2024}
    assert int(year_only["reports"].sum()) == len(filled.reports(year=2024))
    # A Python caller's list of years is taken as the tuple (filters are hashed for the cache).
    assert stats(filled.engine, Filters(years=[2024])).equals(year_only)  # type: ignore[arg-type]
    with pytest.raises(QueryError):
        stats(filled.engine, by="planet")  # type: ignore[arg-type]


def test_stats_cli(filled: Store) -> None:
    runner = CliRunner(env={"COLUMNS": "80"})
    db = ["--db", str(filled.engine.url.render_as_string(hide_password=False))]
    result = runner.invoke(app, ["stats", *db])
    assert result.exit_code == 0, result.output
    assert "公开率" in result.stdout and "办理结果" in result.stdout
    # CliRunner's terminal is 80 columns wide: one block per year and region, the categories without numbering.
    labels = [statutory_label.split("）")[-1] for statutory_label in _outcome_heads()]
    assert all(label in result.stdout for label in labels)
    assert "…" not in result.stdout and max(cell_len(line.rstrip()) for line in result.stdout.splitlines()) <= 80
    result = runner.invoke(app, ["stats", "--json", "--by", "city", *db])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(r["reports"] for r in rows) == filled.count()
    assert runner.invoke(app, ["stats", "--by", "planet", *db]).exit_code == 2


def test_stats_wide_terminal_draws_tables(filled: Store) -> None:
    """With room enough (here 250 columns) the figures are two tables, nothing cut short."""
    from xxgk.cli.views import draw_stats

    console = Console(width=250, file=io.StringIO(), highlight=False)
    draw_stats(console, stats(filled.engine))
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "办理结果构成" in shown and "收到申请（报告数）" in shown and "…" not in shown
    assert all(label in shown for label in _outcome_heads())


def _outcome_heads() -> list[str]:
    from xxgk.cli.views import outcome_labels

    heads = list(outcome_labels().values())
    assert len(heads) == 6 and len(set(heads)) == 6
    return heads


# ---------------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------------

def _agency_with_years(store: Store) -> tuple[int, str, list[int]]:
    years: dict[int, list[int]] = {}
    for row in store.reports():
        if row.agency_id is not None and row.year is not None:
            years.setdefault(row.agency_id, []).append(row.id)
    agency_id = next(a for a, ids in years.items() if len(ids) >= 2)
    name = next(a.name for a in store.agencies() if a.id == agency_id)
    return agency_id, name, years[agency_id]


def test_compare_shows_one_agency_year_by_year(filled: Store) -> None:
    agency_id, name, report_ids = _agency_with_years(filled)
    result = compare(filled.engine, name)
    assert result.agency.id == agency_id
    assert sorted(result.reports["report_id"]) == sorted(report_ids)
    data = {i: report for i in report_ids if (report := filled.get(i)) is not None}
    assert len(data) == len(report_ids)
    labels = dict(zip(result.reports["report_id"], result.reports["label"], strict=True))
    years = [data[i].meta.year or 0 for i in result.reports["report_id"]]
    assert years == sorted(years)
    checked = 0
    for record in result.cells.to_dict("records"):
        for report_id, report in data.items():
            value = report.cell(record["table"], record["row"], record["column"])
            assert _close(record[labels[report_id]], value)
            checked += 1
        first, last = (record[labels[i]] for i in list(result.reports["report_id"])[-2:])
        if not _missing(first) and not _missing(last):
            assert _close(record["change"], last - first)
    assert checked > 50
    assert result.cells["changed"].any()
    assert set(result.findings["report_id"]) <= set(report_ids)
    stored = {(f.report_id, f.rule) for f in filled.findings() if f.report_id in report_ids}
    assert {(r, rule) for r, rule in zip(result.findings["report_id"], result.findings["rule"], strict=True)} == stored
    # By id and by another spelling of the name
    assert compare(filled.engine, agency_id).agency.id == agency_id
    spellings = {n.name for a in filled.agencies() if a.id == agency_id for n in a.names}
    assert spellings
    for spelling in spellings:
        assert compare(filled.engine, spelling).agency.id == agency_id


def test_compare_change_has_no_float_noise(filled: Store) -> None:
    """洪泽区 charged 7730.28 万元 in 2023 and 7545 in 2024: the change is −185.28, as a person writes it."""
    cells = compare(filled.engine, "洪泽区人民政府").cells
    fees = cells[(cells["table"] == "active") & (cells["row"] == "fees") & (cells["column"] == "amount")]
    assert list(fees["change"]) == [-185.28]


def test_compare_ambiguous_and_unknown(filled: Store) -> None:
    names = [a.name for a in filled.agencies()]
    common = next(s for s in ("人民政府", "办公室") if sum(s in n for n in names) > 1)
    with pytest.raises(AmbiguousAgency) as err:
        compare(filled.engine, common)
    assert len(err.value.candidates) == sum(common in n for n in names)
    with pytest.raises(AgencyNotFound):
        compare(filled.engine, "不存在的机关名称")
    runner = CliRunner(env={"COLUMNS": "300"})
    db = ["--db", str(filled.engine.url.render_as_string(hide_password=False))]
    result = runner.invoke(app, ["compare", common, *db])
    assert result.exit_code == 2
    assert "对应" in result.stderr and all(str(c.id) in result.stderr for c in err.value.candidates)
    _, name, _ = _agency_with_years(filled)
    result = runner.invoke(app, ["compare", name, *db])
    assert result.exit_code == 0 and name in result.stdout and "变化" in result.stdout
    result = runner.invoke(app, ["compare", name, "--json", *db])
    assert result.exit_code == 0 and json.loads(result.stdout)["agency"]["name"] == name


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------

def _assert_cells_equal_contract(frame: pd.DataFrame, store: Store) -> None:
    data = contracts(store)
    assert sorted(int(i) for i in frame["report_id"]) == sorted(data)
    columns = cell_columns()
    assert [c.id for c in columns] == [c for c in frame.columns if c not in META_LABELS]
    filled = 0
    for record in frame.to_dict("records"):
        report = data[int(record["report_id"])]
        for column in columns:
            expected = report.cell(column.table, column.row, column.column)
            assert _close(record[column.id], expected), (record["report_id"], column.id)
            filled += expected is not None
    assert filled > 300


def test_export_csv_round_trips(filled: Store, tmp_path: Path) -> None:
    path = tmp_path / "reports.csv"
    written = export(filled.engine, path, "csv")
    assert written == [path, findings_path(path, "csv")]
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read it as UTF-8
    _assert_cells_equal_contract(pd.read_csv(path, encoding="utf-8-sig"), filled)
    findings = pd.read_csv(written[1], encoding="utf-8-sig")
    assert len(findings) == len(filled.findings())


def test_export_parquet_round_trips(filled: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "reports.parquet"
    written = export(filled.engine, path, "parquet")
    _assert_cells_equal_contract(pd.read_parquet(path), filled)
    schema = pq.read_schema(path)
    first = cell_columns()[0]
    assert schema.field(first.id).metadata[b"label"].decode() == first.label
    assert len(pd.read_parquet(written[1])) == len(filled.findings())


def test_export_xlsx_is_readable_by_a_person_and_a_program(filled: Store, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "reports.xlsx"
    assert export(filled.engine, path, "xlsx", Filters(years=(2022, 2023, 2024))) == [path]
    book = openpyxl.load_workbook(path)
    sheet = book["报告"]
    chinese = [c.value for c in sheet[1]]
    ids = [c.value for c in sheet[2]]
    columns = cell_columns()
    for column in columns:
        assert chinese[ids.index(column.id)] == column.label
    assert all("｜" in chinese[ids.index(c.id)] for c in columns)
    assert sheet.freeze_panes == "C3"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.column_dimensions["A"].width > 0
    frame = pd.read_excel(path, sheet_name="报告", header=1)
    assert set(frame["year"]) <= {2022, 2023, 2024}
    data = contracts(filled)
    for record in frame.to_dict("records"):
        report = data[int(record["report_id"])]
        for column in columns:
            assert _close(record[column.id], report.cell(column.table, column.row, column.column))
    assert "问题" in book.sheetnames
    expected = sum(1 for f in filled.findings() if f.year in (2022, 2023, 2024))
    assert book["问题"].max_row - 2 == expected


def test_export_names_levels_scopes_and_severities_in_chinese_beside_their_ids(filled: Store, tmp_path: Path) -> None:
    """People read 政府, 跨报告, 警告; programs keep filtering on the ids, in the columns they had."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "reports.csv"
    written = export(filled.engine, path, "csv")
    reports = pd.read_csv(path, encoding="utf-8-sig")
    findings = pd.read_csv(written[1], encoding="utf-8-sig")
    pairs = ((reports, "level", LEVELS), (findings, "scope", SCOPE_NAMES), (findings, "severity", SEVERITY_NAMES))
    for frame, column, names in pairs:
        columns = list(frame.columns)
        assert columns.index(f"{column}_name") == columns.index(column) + 1
        ids = frame[column].dropna()
        assert len(ids) and set(ids) <= set(names)
        assert (frame.loc[ids.index, f"{column}_name"] == ids.map(names)).all()
    assert {"本报告", "跨报告"} <= set(findings["scope_name"]) and "警告" in set(findings["severity_name"])
    xlsx = tmp_path / "reports.xlsx"
    export(filled.engine, xlsx, "xlsx")
    sheet = openpyxl.load_workbook(xlsx)["问题"]
    header, keys = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[keys.index("severity_name")] == "级别（中文）" and header[keys.index("severity")] == "级别"
    values = {(row[keys.index("severity")], row[keys.index("severity_name")]) for row in sheet.iter_rows(
        min_row=3, values_only=True)}
    assert values <= set(SEVERITY_NAMES.items()) and ("warning", "警告") in values


def test_export_cli_errors(filled: Store, tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "300"})
    db = ["--db", str(filled.engine.url.render_as_string(hide_password=False))]
    result = runner.invoke(app, ["export", "--format", "pdf", "-o", str(tmp_path / "x.pdf"), *db])
    assert result.exit_code == 2 and "--format 应为" in result.stderr
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "missing" / "x.csv"), *db])
    assert result.exit_code == 2 and "不存在" in result.stderr
    result = runner.invoke(app, ["export", "-f", "csv", "-o", str(tmp_path / "ok.csv"), "--year", "2024", *db])
    assert result.exit_code == 0 and (tmp_path / "ok-findings.csv").is_file()
