"""Every Word template an office edits (the report, the letters, the circular) is filled with the same guards.

An office edits its templates in Word; a typo in a placeholder (``{{ applicnat }}``) used to leave a
blank in a letter sent to a citizen, or in a circular. Now it is a Chinese error naming the
placeholder as the template writes it, exit status 2, and no file; a template too large, a ZIP bomb
or a broken file is refused before it is opened, for each kind of template alike.
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

from xxgk.cli.main import app as cli
from xxgk.register import Register
from xxgk.register.letters import TEMPLATES, kinds_for, letter_context
from xxgk.render import word_template
from xxgk.render.circular import TEMPLATE as CIRCULAR
from xxgk.render.circular import CircularError, fill_circular
from xxgk.render.docx import TEMPLATE as REPORT
from xxgk.render.docx import ReportTemplateError, report_to_docx
from xxgk.render.letter import LetterError, fill_docx
from xxgk.store import Store
from xxgk.store.circular import circular_context
from xxgk.store.monitor import monitor
from xxgk.store.roster import import_roster

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from make_circular_template import build as build_circular

ROOT = Path(__file__).resolve().parents[1]
LETTER = TEMPLATES / "correction.docx"


def _run(*args: str) -> Any:
    return CliRunner(env={"XXGK_DATABASE_URL": None}).invoke(cli, list(args))


def _retype(source: Path, target: Path, old: str, new: str) -> None:
    """A copy of the template with one placeholder typed differently, as an office might in Word."""
    document = Document(str(source))
    done = False
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text, done = run.text.replace(old, new), True
    assert done, old
    document.save(str(target))


@pytest.fixture
def register_db(tmp_path: Path) -> tuple[str, int]:
    """A register with one application that has a 补正 step: (database, the application's id)."""
    db = f"sqlite:///{tmp_path / 'r.db'}"
    with Register(db) as register:
        app = register.add({"reference": "T-001", "received": date(2025, 3, 3), "channel": "letter",
                            "applicant_type": "natural_person", "applicant_name": "欧阳测试",
                            "request": "某道路改造工程的批复文件", "correction_notice": date(2025, 3, 5),
                            "correction_deadline": date(2025, 3, 20)})
    return db, app.id or 0


def test_a_typo_in_a_letter_template_is_named_and_no_letter_is_written(
        register_db: tuple[str, int], tmp_path: Path) -> None:
    db, app_id = register_db
    own = tmp_path / "本局模板"
    own.mkdir()
    _retype(LETTER, own / "correction.docx", "{{ applicant }}", "{{ applicnat }}")
    assert _run("register", "office", f"文书模板文件夹={own}", "--db", db).exit_code == 0
    out = tmp_path / "补正.docx"
    for target in (out, tmp_path / "补正.pdf"):
        result = _run("register", "letter", str(app_id), "补正", "-o", str(target), "--db", db)
        assert result.exit_code == 2, result.output
        assert "本机关的文书模板 correction.docx：文书模板中的占位符有误：没有“applicnat”（模板中写作 {{ applicnat }}）" \
            in result.output
        assert "README.md“告知书”一节" in result.output and "Traceback" not in result.output
        assert not target.exists()
    # The shipped template, for comparison, names the applicant.
    shutil.copyfile(LETTER, own / "correction.docx")
    made = _run("register", "letter", str(app_id), "补正", "-o", str(out), "--db", db)
    assert made.exit_code == 0 and "欧阳测试" in "\n".join(p.text for p in Document(str(out)).paragraphs)


def test_a_typo_in_a_letter_template_is_a_bad_request_on_the_web(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'xxgk[web]')")
    from test_web import login, make_client

    client = make_client(tmp_path)
    login(client, "clerk")
    own = tmp_path / "本局模板"
    own.mkdir()
    _retype(LETTER, own / "correction.docx", "{{ correction_deadline }}", "{{ correction_dedline }}")
    with Register(f"sqlite:///{tmp_path / 'web.db'}") as register:
        app = register.add({"reference": "W-001", "received": date(2025, 3, 3), "channel": "letter",
                            "applicant_type": "natural_person", "applicant_name": "欧阳网页",
                            "request": "某文件", "correction_notice": date(2025, 3, 5),
                            "correction_deadline": date(2025, 3, 20)})
        register.set_office({"templates": str(own)})
    refused = client.get(f"/register/applications/{app.id}/letters/correction.docx")
    assert refused.status_code == 400 and "没有“correction_dedline”" in refused.text  # the office's to fix, not a missing page


@pytest.fixture
def store_db(tmp_path: Path) -> str:
    """A store whose roster has two bodies of one county, neither with a report."""
    roster = tmp_path / "名录.csv"
    roster.write_text("名称,级别,行政区划代码\n重庆市武隆区人民政府,政府,500156\n重庆市武隆区统计局,部门,500156\n",
                      encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Store(db) as store:
        import_roster(store.engine, roster)
    return db


def test_a_typo_in_a_circular_template_is_named_and_nothing_is_written(store_db: str, tmp_path: Path) -> None:
    edited = tmp_path / "通报模板.docx"
    _retype(CIRCULAR, edited, "{{ missing_names }}", "{{ missing_name }}")
    out = tmp_path / "通报.docx"
    result = _run("circular", "--year", "2022", "--region", "500156", "-o", str(out), "--template", str(edited),
                  "--today", "2023-04-10", "--db", store_db)
    assert result.exit_code == 2, result.output
    assert "通报模板中的占位符有误：没有“missing_name”（模板中写作 {{ missing_name }}）" in result.output
    assert "docs/circular.md" in result.output and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "通报-附件.xlsx").exists()
    # The shipped one fills every placeholder, conditions on counts of zero included.
    made = _run("circular", "--year", "2022", "--region", "500156", "-o", str(out), "--today", "2023-04-10",
                "--db", store_db)
    assert made.exit_code == 0, made.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "重庆市武隆区统计局" in text and "{{" not in text and "{%" not in text


def test_every_documented_placeholder_is_in_the_context_and_no_other(
        register_db: tuple[str, int], store_db: str) -> None:
    """Unknown names are errors now: what the docs list is exactly what a template may use."""
    letters_doc = (ROOT / "docs" / "letter-template.md").read_text(encoding="utf-8").split("## 占位符")[1]
    listed = re.findall(r"^\| `\{\{ (\w+) \}\}` \|", letters_doc, flags=re.M)
    db, app_id = register_db
    with Register(db) as register:
        app = register.get(app_id)
        kinds = kinds_for(app)
        for kind in kinds:
            assert listed == list(letter_context(app, kind, register.office(), date.today()))
    circular_doc = (ROOT / "docs" / "circular.md").read_text(encoding="utf-8").split("## 占位符")[1].split("表格的一行")[0]
    documented = {line.split("`")[1].strip("{} ") for line in circular_doc.splitlines() if line.startswith("| `")}
    documented |= set(re.findall(r"、`\{\{ (\w+) \}\}`", circular_doc))
    with Store(store_db) as store:
        result = monitor(store.engine, 2022, region="500156", today=date(2023, 4, 10))
        context = circular_context(store.engine, result, "某办", "附件.xlsx", "某区")
    assert documented == set(context)


def _report(path: Path) -> bytes:
    return report_to_docx(Register("sqlite://").build(2024, "某局"), path)


# Each kind of template: its packaged file, how it is filled from a path, its error and its name in messages.
KINDS: list[tuple[Path, Callable[[Path], bytes], type[Exception], str]] = [
    (REPORT, _report, ReportTemplateError, "报告模板"),
    (LETTER, lambda path: fill_docx(path, {"applicant": "甲"}), LetterError, "文书模板"),
    (CIRCULAR, lambda path: fill_circular({"total": 1}, path), CircularError, "通报模板"),
]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A small ZIP whose one part declares 300 MB unpacked (zeros compress a thousandfold)."""
    out = io.BytesIO()
    with (zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
          package.open("word/document.xml", "w", force_zip64=True) as part):
        for _ in range(300):
            part.write(bytes(1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(("packaged", "render", "error", "name"), KINDS, ids=[k[3] for k in KINDS])
def test_an_oversized_bomb_or_broken_template_is_refused_in_chinese(
        packaged: Path, render: Callable[[Path], bytes], error: type[Exception], name: str, bomb: bytes,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "t.docx"
    template.write_bytes(bomb)
    with pytest.raises(error, match=f"{name}解压后过大或部件过多，可能是压缩炸弹：t.docx"):
        render(template)
    for raw in (b"not a Word file", packaged.read_bytes()[:3000]):
        template.write_bytes(raw)
        with pytest.raises(error, match=f"{name}不是有效的 Word"):
            render(template)
    with pytest.raises(error, match=f"找不到{name}：无.docx"):
        render(tmp_path / "无.docx")
    shutil.copyfile(packaged, template)
    monkeypatch.setattr(word_template, "MAX_TEMPLATE_BYTES", 1000)
    with pytest.raises(error, match=f"{name}过大"):
        render(template)


@pytest.mark.parametrize(("packaged", "render", "error", "name"), KINDS, ids=[k[3] for k in KINDS])
def test_a_template_s_slips_are_named_for_each_kind(
        packaged: Path, render: Callable[[Path], bytes], error: type[Exception], name: str, tmp_path: Path) -> None:
    template = tmp_path / "t.docx"
    assert packaged.is_file()
    for paragraph, said in (("{{ nosuchname }}", "没有“nosuchname”（模板中写作 {{ nosuchname }}）"),
                            ("{{ nosuchname 个", "占位符有误，括号不配对：“{{ nosuchname 个”"),
                            ("{{ ''.__class__.__mro__ }}", "占位符不被允许：不能访问属性 __class__"),
                            ("{% if x %}未结束", "缺少结束标记")):
        document = Document()  # one paragraph: the placeholder the context lacks is the only one
        document.add_paragraph(paragraph)
        document.save(str(template))
        with pytest.raises(error, match=None) as raised:
            render(template)
        assert str(raised.value).startswith(name) and said in str(raised.value), str(raised.value)
        assert isinstance(raised.value, word_template.WordTemplateError)


def test_the_packaged_circular_template_is_what_its_script_writes() -> None:
    # An edit made to the .docx alone (not to the script) would be lost the next time the script is run.
    assert CIRCULAR.read_bytes() == build_circular(), "run tests/tools/make_circular_template.py"
