"""``xxgk register holidays …``: the office's imported holiday schedules (years chinese-calendar does not know).

A thin layer over ``Register.import_holidays`` and friends; the file format is
``xxgk.register.holidays`` (TOML, one year's State Council notice).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.cli.chinese import Typer
from xxgk.cli.database import opened as open_database
from xxgk.cli.output import console, new_table, plain
from xxgk.cli.store import Db

if TYPE_CHECKING:
    from xxgk.register import Register

EXIT_UNUSABLE = 2
MAX_FILE_BYTES = 100_000  # a year's notice is a few hundred bytes

holidays_app = Typer(
    help="节假日安排：chinesecalendar 尚未收录的年度，导入国务院办公厅公布的节假日安排通知", no_args_is_help=True)
Year = Annotated[int, typer.Argument(help="年度，如 2027", min=2000, max=2100)]


@contextmanager
def _opened(url: str | None) -> Iterator[Register]:
    from xxgk.register import Register, RegisterError

    with open_database(Register, url, (RegisterError,)) as db:
        yield db


def _fail(message: str) -> None:
    sys.stderr.write(f"错误：{message}\n")
    raise typer.Exit(EXIT_UNUSABLE)


def _read(file: Path) -> str:
    """The file's text (UTF-8, a regular file of bounded size), or a Chinese error and exit 2."""
    from xxgk.read.document import ReadError
    from xxgk.read.files import regular_file_bytes

    try:
        return regular_file_bytes(file, MAX_FILE_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError:
        _fail(f"{file.name}：不是 UTF-8 编码的文本文件，请用文本编辑器另存为 UTF-8")
    except ReadError as err:
        _fail(str(err))
    raise AssertionError("unreachable")


@holidays_app.command("template")
def template_cmd(year: Year) -> None:
    """输出某年节假日安排文件的空白模板（周末和法定固定日期只作注释提示，须照通知填写）。"""
    from xxgk.register.holidays import template

    sys.stdout.write(template(year))


@holidays_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="节假日安排文件（TOML，见 holidays template）", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="替换已导入的同年安排；或对 chinesecalendar 已收录的年度，以导入的通知为准")]
    = False,
    db: Db = None,
) -> None:
    """导入一年的节假日安排（国务院办公厅关于某年部分节假日安排的通知）；有误则不导入并指出行和项目。"""
    text = _read(file)
    with _opened(db) as register:
        schedule = register.import_holidays(text, replace=replace, name=file.name)
    typer.echo(f"已导入 {schedule.year} 年节假日安排：放假 {len(schedule.holidays)} 天，调休上班 {len(schedule.workdays)} 天；"
               f"依据：{schedule.source}")


@holidays_app.command("list")
def list_cmd(db: Db = None) -> None:
    """列出工作日历各年度的依据：chinesecalendar 收录的年度和本机关导入的年度。"""
    from xxgk.register.calendar import covered_years, source_of

    with _opened(db) as register:
        schedules = register.holiday_schedules()
    first, last = covered_years()
    table = new_table(title="工作日历")
    for heading in ("年度", "放假", "调休上班", "依据"):
        table.add_column(heading)
    table.add_row(f"{first}—{last}", "", "", source_of(last) if last not in {s.year for s in schedules}
                  else "chinesecalendar（其中导入的年度以导入的通知为准）")
    for s in schedules:
        table.add_row(str(s.year), f"{len(s.holidays)} 天", f"{len(s.workdays)} 天", plain(s.source + "（本机关导入）"))
    console().print(table)


@holidays_app.command("show")
def show_cmd(
    year: Year,
    toml: Annotated[bool, typer.Option("--toml", help="按导入文件的格式输出（可修改后 --replace 重新导入）")] = False,
    db: Db = None,
) -> None:
    """显示导入的某年节假日安排：每个放假日和调休上班日。"""
    from xxgk.register.holidays import WEEKDAYS, schedule_to_toml

    with _opened(db) as register:
        schedule = register.holiday_schedule(year)
    if toml:
        sys.stdout.write(schedule_to_toml(schedule))
        return
    out = console()
    out.print(plain(f"{schedule.year} 年节假日安排，依据：{schedule.source}"), soft_wrap=True)
    table = new_table()
    for heading in ("日期", "星期", "安排"):
        table.add_column(heading)
    days = [(d, "放假") for d in schedule.holidays] + [(d, "调休上班") for d in schedule.workdays]
    for day, kind in sorted(days):
        table.add_row(day.isoformat(), f"星期{WEEKDAYS[day.weekday()]}", kind)
    out.print(table)


@holidays_app.command("remove")
def remove_cmd(year: Year, db: Db = None) -> None:
    """删除导入的某年节假日安排（该年的期限随后按 chinesecalendar 计算，未收录则无法计算）。"""
    with _opened(db) as register:
        register.remove_holidays(year)
    typer.echo(f"已删除 {year} 年节假日安排")
