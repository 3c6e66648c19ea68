"""What ``xxgk ingest`` reads from a folder: every report format, pictures too; a saved page's own pictures and
other files are passed over, and the files passed over are told (``passed``)."""

from __future__ import annotations

from pathlib import Path

from xxgk.store.sources import expand_sources

CORPUS = Path(__file__).parent / "data" / "corpus"


def test_a_folder_gives_every_report_format_and_tells_what_it_passed_over(tmp_path: Path) -> None:
    text = (CORPUS / "dev_001.txt").read_bytes()
    for name in ("报告.txt", "报告.md", "截图.PNG", "长图.jpeg", "page.html", "扫描.tif"):
        (tmp_path / name).write_bytes(text)
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # the saved page's own picture
    (tmp_path / "other_files").mkdir()  # no page of that name beside it: a folder like any other
    (tmp_path / "other_files" / "表.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for name in ("报告汇总.zip", "台账.csv", ".hidden.txt", "README.md"):
        (tmp_path / name).write_bytes(b"x")
    passed: list[Path] = []
    items = expand_sources([str(tmp_path)], passed=passed)
    assert sorted(Path(i.source).relative_to(tmp_path).as_posix() for i in items) == sorted(
        ["报告.txt", "报告.md", "截图.PNG", "长图.jpeg", "page.html", "扫描.tif", "other_files/表.png"])
    assert sorted(p.name for p in passed) == ["台账.csv", "报告汇总.zip"]
