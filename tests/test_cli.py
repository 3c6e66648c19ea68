"""The ``xxgk`` command as a user runs it: real reports, bad input, exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import report_path

XXGK = [sys.executable, "-m", "xxgk.cli"]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*XXGK, *args], capture_output=True, text=True, timeout=120, input=None)


def test_parse_json_is_the_contract() -> None:
    proc = run("parse", str(report_path("seed_001_a8be0d3400cd1f54")), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "xxgk.report/1"
    assert data["meta"]["agency"] == "重庆市武隆区人民政府办公室"
    assert data["tables"]["requests"]["total_processed"]["total"] == 7
    assert set(data) >= {"source", "meta", "sections", "tables", "figures", "findings"}


def test_several_files_give_json_lines() -> None:
    files = [str(report_path(n)) for n in ("seed_001_a8be0d3400cd1f54", "seed_002_f821463d77e6db60")]
    proc = run("parse", *files, "--json")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().split("\n")
    assert [json.loads(x)["meta"]["year"] for x in lines] == [2022, 2020]


def test_terminal_output_draws_tables_and_findings() -> None:
    proc = run("parse", str(report_path("seed_002_f821463d77e6db60")))
    assert proc.returncode == 0, proc.stderr
    assert "收到和处理政府信息公开申请情况" in proc.stdout
    assert "3.要求提供公开出版物" in proc.stdout
    assert "PARSE-ROW-SHORT" in proc.stdout  # the flagged row is listed with its rule


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "为空"),
        (b"   \n\n  ", "为空"),
        (bytes(range(256)) * 20, "文本"),
        ("这是一段与年度报告无关的文字。今天天气很好。".encode(), "年度报告"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ],
)
def test_bad_input_one_line_error_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "input.txt"
    f.write_bytes(content)
    proc = run("parse", str(f))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path) -> None:
    proc = run("parse", str(tmp_path / "nope.txt"), "--json")
    assert proc.returncode == 2 and "找不到文件" in proc.stderr and "Traceback" not in proc.stderr


def test_gb18030_file_reads_like_utf8(tmp_path: Path) -> None:
    text = report_path("seed_001_a8be0d3400cd1f54").read_text(encoding="utf-8")
    f = tmp_path / "gbk.txt"
    f.write_bytes(text.encode("gb18030"))
    proc = run("parse", str(f), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tables"]["requests"]["new_received"]["total"] == 5


def test_parse_and_check_every_report_of_a_compilation(tmp_path: Path) -> None:
    """``--all``: each report of a 汇编 on its own JSON line (parse) or record (check); without it, the first."""
    from test_compilation import _city_compilation

    _, text = _city_compilation(["dev_003", "dev_d105"])
    path = tmp_path / "汇编.txt"
    path.write_text(text, encoding="utf-8")
    every = run("parse", str(path), "--all", "--json")
    assert every.returncode == 0, every.stderr
    reports = [json.loads(line) for line in every.stdout.strip().split("\n")]
    assert [r["meta"]["agency"] for r in reports] == ["淮安市洪泽区人民政府", "石家庄市桥西区中山街道办事处"]
    assert [[f["rule"] for f in r["findings"] if f["rule"].startswith("PARSE-COMPILATION")] for r in reports] \
        == [["PARSE-COMPILATION-PART"], ["PARSE-COMPILATION-PART"]]
    first = run("parse", str(path), "--json")
    assert json.loads(first.stdout)["meta"]["agency"] == "淮安市洪泽区人民政府"
    assert "PARSE-COMPILATION" in {f["rule"] for f in json.loads(first.stdout)["findings"]}
    checked = run("check", str(path), "--all", "--json")
    records = [json.loads(line) for line in checked.stdout.strip().split("\n")]
    assert [r["meta"]["year"] for r in records] == [2024, 2021] and all(r["file"] == str(path) for r in records)
    drawn = run("parse", str(path), "--all")
    assert drawn.returncode == 0 and "石家庄市桥西区中山街道办事处" in drawn.stdout and "淮安市洪泽区人民政府" in drawn.stdout
