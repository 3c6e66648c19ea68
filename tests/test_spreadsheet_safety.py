"""Formula injection: report text and register fields that a spreadsheet would run stay text in every file we write.

A report whose 第五部分 is ``=cmd|' /C calc'!A0`` (quoted by CONTENT-PROBLEMS-EMPTY) and whose title
starts with ``-2+3`` goes through every CSV and XLSX writer: the web downloads (a report's, the 报告库's export),
``xxgk export``, ``xxgk list --csv`` and ``xxgk register list -f csv`` (whose CSV is imported back unchanged).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from conftest import CORPUS
from xxgk.cli.main import app as cli
from xxgk.register import Register
from xxgk.register.model import FIELDS
from xxgk.render.spreadsheet import (
    cell_text,
    csv_row,
    csv_writer,
    frame_to_csv,
    looks_like_formula,
    restore_text,
    xlsx_append,
)
from xxgk.store import Store

PAYLOAD = "=cmd|' /C calc'!A0"
QUOTED = "=cmd|'/Ccalc'!A0"  # as the finding quotes it (white space removed)
TITLE_START = "-2+3"
runner = CliRunner(env={"COLUMNS": "300"})


def evil_text() -> str:
    """seed_002 with a formula as its 第五部分 and a title that starts like a sum."""
    lines = next(CORPUS.glob("seed_002_*.txt")).read_text(encoding="utf-8").split("\n")
    five = lines.index("五、存在的主要问题及改进情况")
    lines[five + 1] = PAYLOAD
    lines[0] = TITLE_START + " " + lines[0]
    return "\n".join(lines)


@pytest.fixture
def evil_file(tmp_path: Path) -> Path:
    path = tmp_path / "evil.txt"
    path.write_text(evil_text(), encoding="utf-8")
    return path


def csv_fields(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def assert_inert(fields: list[list[str]]) -> None:
    """No CSV field a spreadsheet would run: text that looked like a formula starts with the apostrophe."""
    for row in fields:
        for value in row:
            try:
                float(value)
                continue  # a number (negative ones included) is data
            except ValueError:
                pass
            assert not looks_like_formula(value), (value, row[:3])


# --- the helper ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", " =1", "\u3000=1", "＝1+1",
                                  PAYLOAD, "'=1", "'"])
def test_formula_like_text_gets_the_apostrophe_and_comes_back(text: str) -> None:
    written = cell_text(text)
    assert written.startswith("'") and not looks_like_formula(written)
    assert restore_text(written) == text


@pytest.mark.parametrize("value", ["某某局", "2025-03-03", "", "a=1", "1-1", None, -1, -1.5, 0, 3])
def test_other_values_are_written_as_they_are(value: Any) -> None:
    assert cell_text(value) == value and restore_text(value) == value


@given(st.text(max_size=30))
def test_round_trip_and_never_a_formula(text: str) -> None:
    written = cell_text(text)
    assert restore_text(written) == text
    assert not looks_like_formula(written)


def test_numbers_stay_numbers_in_csv_and_xlsx(tmp_path: Path) -> None:
    frame = pd.DataFrame({"n": pd.array([-1, None, 3], dtype="Int64"), "x": [-1.5, 2.0, None],
                          "t": ["-1+1", "-1", None]})
    out = io.StringIO()
    frame_to_csv(frame, out)
    assert out.getvalue().splitlines() == ['"n","x","t"', "-1,-1.5,\"'-1+1\"", '"",2.0,"\'-1"', '3,"",""']
    back = pd.read_csv(io.StringIO(out.getvalue()))
    assert back["n"].tolist()[0] == -1 and back["x"].tolist()[0] == -1.5

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    xlsx_append(sheet, [-1, -1.5, "-1+1", "=1+1", "\x01控制字符", None])
    book.save(tmp_path / "t.xlsx")
    cells = load_workbook(tmp_path / "t.xlsx").active[1]  # type: ignore[index]
    assert [(c.value, c.data_type) for c in cells[:5]] == [
        (-1, "n"), (-1.5, "n"), ("-1+1", "s"), ("=1+1", "s"), ("\ufffd控制字符", "s")]
    assert cells[2].quotePrefix and cells[3].quotePrefix and not cells[4].quotePrefix


def test_csv_rows_quote_text_so_a_semicolon_cannot_start_a_cell() -> None:
    out = io.StringIO()
    csv_writer(out).writerow(csv_row(["a;=1+1", None, 5, "=2"]))
    assert out.getvalue().strip() == '"a;=1+1","",5,"\'=2"'


# --- the web downloads --------------------------------------------------------------------------


def xlsx_cells(content: bytes) -> dict[str, list[Any]]:
    book = load_workbook(io.BytesIO(content))
    return {name: [c for row in book[name].iter_rows(min_row=2) for c in row] for name in book.sheetnames}


def test_web_xlsx_keeps_the_quote_as_text(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    from test_web import csrf, login, make_client

    client = make_client(tmp_path)
    checked = client.post("/check", data={"csrf_token": csrf(client), "text": evil_text()})
    assert checked.status_code == 200
    cells = xlsx_cells(client.get(str(checked.url) + "/report.xlsx").content)
    quotes = [c for c in cells["问题"] if c.value == QUOTED]
    assert quotes and all(c.data_type == "s" and c.quotePrefix for c in quotes)
    numbers = [c for c in cells["表格"] if c.column == 5 and c.value is not None]
    assert numbers and all(c.data_type == "n" for c in numbers)
    assert not [c for sheet in cells.values() for c in sheet if c.data_type == "f"]

    # The same report stored, then downloaded from the collection.
    login(client, "reviewer")
    saved = client.post(str(checked.url) + "/save", data={"csrf_token": csrf(client)})
    assert saved.status_code == 200 and "/reports/" in str(saved.url)
    stored = xlsx_cells(client.get(str(saved.url) + "/report.xlsx").content)
    assert [c.data_type for c in stored["问题"] if c.value == QUOTED] == ["s"]


def test_web_collection_export_is_inert(evil_file: Path, tmp_path: Path) -> None:
    """The 报告库's export buttons: the title and the quote stay text in the CSVs and the workbook."""
    pytest.importorskip("fastapi")
    from test_web import make_client

    client = make_client(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'web.db'}") as store:
        assert store.ingest([evil_file], workers=1).ok == 1
    reports = csv_fields(client.get("/collection/export.csv").content.decode("utf-8-sig"))
    findings = csv_fields(client.get("/collection/export-findings.csv").content.decode("utf-8-sig"))
    assert_inert(reports)
    assert_inert(findings)
    assert reports[1][reports[0].index("title")].startswith("'" + TITLE_START)
    assert any("'" + QUOTED in row for row in findings)
    cells = xlsx_cells(client.get("/collection/export.xlsx").content)
    titles = [c for c in cells["报告"] if isinstance(c.value, str) and c.value.startswith(TITLE_START)]
    quotes = [c for c in cells["问题"] if c.value == QUOTED]
    assert titles and quotes and all(c.data_type == "s" and c.quotePrefix for c in titles + quotes)
    assert not [c for sheet in cells.values() for c in sheet if c.data_type == "f"]


# --- the CLI and the store ----------------------------------------------------------------------


def test_export_and_list_csv_and_xlsx(evil_file: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = Store(url)
    try:
        assert store.ingest([evil_file], workers=1).ok == 1
    finally:
        store.close()
    db = ["--db", url]
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"reports.{fmt}"
        result = runner.invoke(cli, ["export", "-o", str(out), "--format", fmt, *db])
        assert result.exit_code == 0, result.output
    reports = csv_fields((tmp_path / "reports.csv").read_text(encoding="utf-8-sig"))
    findings = csv_fields((tmp_path / "reports-findings.csv").read_text(encoding="utf-8-sig"))
    assert_inert(reports)
    assert_inert(findings)
    title = reports[0].index("title")
    assert reports[1][title].startswith("'" + TITLE_START)
    assert any("'" + QUOTED in row for row in findings)
    raw = (tmp_path / "reports.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ',0,' in raw or ',"",' in raw  # numbers bare, missing values an empty quoted field
    book = load_workbook(tmp_path / "reports.xlsx")
    row = {c.value: c for c in book["报告"][2]}
    column = row["title"].column
    assert column is not None
    cell = book["报告"].cell(row=3, column=column)
    assert isinstance(cell.value, str) and cell.value.startswith(TITLE_START) and cell.data_type == "s" and cell.quotePrefix
    assert not [c for sheet in book for r in sheet.iter_rows() for c in r if c.data_type == "f"]

    listed = runner.invoke(cli, ["list", "--csv", *db])
    assert listed.exit_code == 0, listed.output
    assert_inert(csv_fields(listed.output))
    assert "'" + TITLE_START in listed.output


def test_register_csv_is_inert_and_imports_back_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    values = {"reference": "+86-1", "applicant_name": "@某某", "applicant_contact": "-1+1",
              "request": PAYLOAD, "note": "'=已加引号"}
    register = Register(url)
    try:
        register.add({"received": "2025-03-03", "channel": "online", "applicant_type": "natural_person", **values})
    finally:
        register.close()
    shown = runner.invoke(cli, ["register", "list", "-f", "csv", "--show-personal", "--db", url])
    assert shown.exit_code == 0, shown.output
    fields = csv_fields(shown.output)
    assert_inert(fields)
    assert "'" + PAYLOAD in fields[1]
    # 信息处理费（元） is computed by the register, not imported: the rest goes back in as written.
    fee = fields[0].index(FIELDS["fee_amount"])
    path = tmp_path / "ledger.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([r[:fee] + r[fee + 1:] for r in fields])
    other = Register(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other.import_file(path)
        imported = other.applications()[0]
    finally:
        other.close()
    assert {k: getattr(imported, k) for k in values} == values


# --- every writer, including the ones still to come ----------------------------------------------

SRC = Path(__file__).resolve().parents[1] / "src" / "xxgk"
HELPER = SRC / "render" / "spreadsheet.py"


def test_every_csv_and_xlsx_writer_goes_through_the_helper() -> None:
    """A new CSV or XLSX writer anywhere in the package must use xxgk.render.spreadsheet (docs/security.md)."""
    import ast

    offenders: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        if path == HELPER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses_helper = any(isinstance(n, ast.ImportFrom) and n.module == "xxgk.render.spreadsheet"
                          for n in ast.walk(tree))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner, name = node.func.value, node.func.attr
                if name in ("to_csv", "to_excel") or (
                        name in ("writer", "DictWriter") and isinstance(owner, ast.Name) and owner.id == "csv"):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
            if isinstance(node, ast.ImportFrom) and node.module == "openpyxl" and not uses_helper and any(
                    a.name == "Workbook" for a in node.names):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno} Workbook without xlsx_append")
    assert not offenders, f"write CSV/XLSX with xxgk.render.spreadsheet (docs/security.md): {offenders}"
