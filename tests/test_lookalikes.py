"""Documents about the annual reports that are not one: refused as "not a report", never stored as a clean report.

A reviewer's folder holds them beside the reports: the superior's notice on compiling the reports, an agency's
政府信息公开指南 (whose last part is about its annual report) and a 政务公开工作要点. Each says 政府信息公开 and
年度报告 in its sentences; none has a report's title, its statutory parts or its tables.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import xxgk
from xxgk.read import ReadError

LOOKALIKES = sorted((Path(__file__).parent / "data" / "lookalikes").iterdir())


@pytest.mark.parametrize("path", LOOKALIKES, ids=[p.stem for p in LOOKALIKES])
def test_a_document_about_the_reports_is_no_report(path: Path) -> None:
    with pytest.raises(ReadError, match="内容不像政府信息公开工作年度报告"):
        xxgk.parse(path)
    result = subprocess.run([sys.executable, "-m", "xxgk.cli", "parse", str(path), "--json"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "内容不像政府信息公开工作年度报告" in result.stderr and not result.stdout
