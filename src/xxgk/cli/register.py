"""``xxgk register …`` and ``xxgk report …``: the register and the annual report it produces.

A thin layer over ``xxgk.register.Register``. Personal data (applicant name, contact, ID
number) is masked in every list and export unless ``--show-personal`` is given.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from xxgk.cli.chinese import Typer
from xxgk.cli.database import opened as open_database
from xxgk.cli.holidays import holidays_app
from xxgk.cli.output import console, new_table, plain
from xxgk.cli.render import Font, Format, FormatOption, Output, Source, Template, render_report
from xxgk.cli.store import Db

if TYPE_CHECKING:
    from rich.console import Console

    from xxgk.register import Application, Case, Register
    from xxgk.register.api import VoidEvent
    from xxgk.register.importer import ImportKind

EXIT_ERRORS = 1
EXIT_UNUSABLE = 2

register_app = Typer(help="依申请公开登记簿：登记、修改、查询、到期提醒、导入台账", no_args_is_help=True)
case_app = Typer(help="复议、诉讼案件（表四）", no_args_is_help=True)
report_app = Typer(help="由登记簿生成年度报告，并按法定格式输出", no_args_is_help=True)
register_app.add_typer(case_app, name="case")
register_app.add_typer(holidays_app, name="holidays")

ShowPersonal = Annotated[bool, typer.Option("--show-personal", help="显示申请人姓名、联系方式、证件号码（默认遮盖）")]
Assignments = Annotated[list[str] | None, typer.Argument(
    help="其他项目，写作 项目=值（例：答复日期=2025-03-20 办理结果=予以公开；项目名见 README 的导入列）",
    show_default=False)]
CaseAssignments = Annotated[list[str] | None, typer.Argument(
    help="其他项目，写作 项目=值（例：案件编号=FY-2025-01 关联申请=2025-011 审结日期=2025-06-01 审理结果=维持；"
         "关联申请填申请序号或申请编号）", show_default=False)]


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class LedgerKind(StrEnum):
    applications = "applications"
    cases = "cases"
    proactive = "proactive"


def _error(message: str) -> None:
    """One line (or a few, for row errors) on stderr."""
    sys.stderr.write(message.rstrip() + "\n")


@contextmanager
def opened(url: str | None) -> Iterator[Register]:
    """The register at ``url``; its errors as Chinese messages with exit status 2."""
    from xxgk.register import Register, RegisterError

    with open_database(Register, url, (RegisterError,)) as db:
        yield db


def _day(text: str | None, what: str) -> date | None:
    """A date option (YYYY-MM-DD, 2025/3/3, 2025年3月3日) or a Chinese error."""
    from xxgk.register.importer import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as err:
        _error(f"错误：{what}{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err


def _fields(pairs: list[str], kind: ImportKind, given: dict[str, Any]) -> dict[str, Any]:
    """``项目=值`` arguments (plus options already given) → field values, converted as the importer does."""
    from xxgk.register.importer import cells_to_fields, columns_for

    names = columns_for(kind)
    cells = {k: v for k, v in given.items() if v is not None}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        field = names.get(name.strip())
        if not sep or field is None:
            _error(f"错误：无法识别的项目：{name.strip()[:40]}（应写作 项目=值）")
            raise typer.Exit(EXIT_UNUSABLE)
        cells[field] = value.strip() or None
    values, problems = cells_to_fields({k: v for k, v in cells.items() if v is not None})
    if problems:
        _error("错误：" + "；".join(problems))
        raise typer.Exit(EXIT_UNUSABLE)
    values.update({k: None for k, v in cells.items() if v is None})
    return values


def _warn_future(record: Application | Case) -> None:
    """A warning on stderr when a date of a step taken lies after today (a slip of the year, most likely)."""
    from xxgk.register.model import future_warning
    from xxgk.register.public import china_today

    warning = future_warning(record, china_today())
    if warning:
        _error(warning)


def _label(field: str, value: str | None) -> str:
    """A stored id shown as the form prints it."""
    from xxgk.register.labels import shown_value

    return shown_value(field, value)


def _print_application(out: Console, app: Application, show_personal: bool,
                       history: list[VoidEvent] | None = None) -> None:
    from xxgk.register.deadlines import answer_deadline
    from xxgk.register.errors import CalendarError
    from xxgk.register.model import FIELDS, china_time
    from xxgk.register.privacy import shown

    data = shown(app, show_personal)
    table = new_table(show_header=False, box=None)
    for field, value in data.items():
        if value is None or field == "id":
            continue
        table.add_row(FIELDS.get(field, field), plain(_label(field, value)))
    out.print(f"[bold]第 {app.id} 号申请[/bold]" + ("  [bold red]已作废[/bold red]" if app.voided else ""))
    out.print(table)
    if history:
        out.print("[bold]作废记录[/bold]")
        for event in history:
            out.print(plain(f"{china_time(event.at)}  {event.name}  {event.by}" + (f"  {event.reason}" if event.reason else "")),
                      soft_wrap=True)
    if app.voided:
        out.print(plain(f"已作废，不计入年度报告和到期提醒，不再计算答复期限；恢复：xxgk register restore {app.id}"),
                  soft_wrap=True)
        return
    try:
        out.print("[bold]答复期限[/bold]")
        out.print(plain(answer_deadline(app).explain()), soft_wrap=True)
    except CalendarError as err:
        out.print(plain(str(err), style="yellow"), soft_wrap=True)


@register_app.command("add")
def add_cmd(
    assignments: Assignments = None,
    received: Annotated[str | None, typer.Option("--received", help="收到日期（条例第三十一条：当面提交为提交之日，邮寄为签收之日，网络、传真为双方确认之日）")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="申请方式：网络、信函、当面、传真、其他")] = None,
    applicant_type: Annotated[str | None, typer.Option("--type", help="申请人类型：自然人或五类法人或其他组织之一")] = None,
    name: Annotated[str | None, typer.Option("--name", help="申请人姓名或名称")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="联系方式")] = None,
    id_number: Annotated[str | None, typer.Option("--id-number", help="证件号码")] = None,
    request: Annotated[str | None, typer.Option("--request", help="申请公开的内容")] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="申请编号（本机关自编，不可重复）")] = None,
    db: Db = None,
    show_personal: ShowPersonal = False,
) -> None:
    """登记一件政府信息公开申请，并显示其答复期限。"""
    values = _fields(assignments or [], "applications", {
        "received": received, "channel": channel, "applicant_type": applicant_type, "applicant_name": name,
        "applicant_contact": contact, "applicant_id_number": id_number, "request": request, "reference": reference})
    out = console()
    with opened(db) as register:
        app = register.add(values)
    out.print(f"已登记第 {app.id} 号申请")
    _print_application(out, app, show_personal)
    _warn_future(app)


@register_app.command("edit")
def edit_cmd(
    app_id: Annotated[int, typer.Argument(help="申请序号（xxgk register list 中的“序号”）")],
    assignments: Assignments = None,
    db: Db = None,
    show_personal: ShowPersonal = False,
) -> None:
    """修改一件申请（补正、征求意见、延期、收费、答复日期与办理结果等），写作 项目=值；值留空表示清除。"""
    if not assignments:
        _error("错误：请给出要修改的项目，例：答复日期=2025-03-20 办理结果=予以公开")
        raise typer.Exit(EXIT_UNUSABLE)
    values = _fields(assignments, "applications", {})
    out = console()
    with opened(db) as register:
        app = register.edit(app_id, values)
    out.print(f"已修改第 {app.id} 号申请")
    _print_application(out, app, show_personal)
    _warn_future(app)


@register_app.command("show")
def show_cmd(
    app_id: Annotated[int, typer.Argument(help="申请序号")],
    db: Db = None,
    show_personal: ShowPersonal = False,
) -> None:
    """显示一件申请及其答复期限的计算过程。"""
    out = console()
    with opened(db) as register:
        app = register.get(app_id)
        history = register.void_history(app_id)
    _print_application(out, app, show_personal, history)


def _cli_user() -> str:
    """Who voids or restores from the command line: the system's user name, and that it was the CLI."""
    import getpass

    try:
        return f"{getpass.getuser()[:80]}（命令行）"
    except (OSError, KeyError, ImportError):  # no login name (a container's uid without a passwd entry)
        return "（命令行）"


@register_app.command("void")
def void_cmd(
    app_id: Annotated[int, typer.Argument(help="申请序号（xxgk register list 中的“序号”）")],
    reason: Annotated[str, typer.Option("--reason", help="作废原因（例：重复登记，见第12号；误登记）")],
    db: Db = None,
) -> None:
    """作废一件重复登记或误登记的申请：保留记录（作废原因、作废人、时间），不再计入年度报告、到期提醒和默认列表。"""
    with opened(db) as register:
        done = register.void(app_id, reason, _cli_user())
    typer.echo(f"已作废第 {app_id} 号申请（原因：{done.application.void_reason}）。它不再计入年度报告、到期提醒和默认列表"
               f"（register list --all 仍列出）；如需撤销：xxgk register restore {app_id}")
    for warning in done.warnings:
        _error(f"注意：{warning}")


@register_app.command("restore")
def restore_cmd(
    app_id: Annotated[int, typer.Argument(help="申请序号")],
    reason: Annotated[str | None, typer.Option("--reason", help="恢复原因（可不填，例：误作废）")] = None,
    db: Db = None,
) -> None:
    """恢复一件已作废的申请：重新计入年度报告、到期提醒和列表（作废和恢复都留在其作废记录中）。"""
    with opened(db) as register:
        register.restore(app_id, _cli_user(), reason)
    typer.echo(f"已恢复第 {app_id} 号申请")


@register_app.command("list")
def list_cmd(
    year: Annotated[int | None, typer.Option("--year", help="只列该年度收到、办结或跨年未结的申请")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="只列未办结的申请")] = False,
    answered: Annotated[bool, typer.Option("--answered", help="只列已办结的申请")] = False,
    reference: Annotated[str | None, typer.Option("--reference", help="申请编号或回执编号（含所填文字即可）")] = None,
    name: Annotated[str | None, typer.Option("--name", help="申请人姓名或名称（含所填文字即可；按真实姓名查找，显示仍遮盖）")] = None,
    request: Annotated[str | None, typer.Option("--request", help="申请内容中的词（多个词以空格分隔，须都出现）")] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="申请方式：网络、信函、当面、传真、其他")] = None,
    applicant_type: Annotated[str | None, typer.Option("--type", help="申请人类型（例：自然人、商业企业）")] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help="办理结果：表三的行名或一类（例：予以公开、1.属于国家秘密、不予公开）")] = None,
    received_from: Annotated[str | None, typer.Option("--from", help="收到日期起（含）")] = None,
    received_to: Annotated[str | None, typer.Option("--to", help="收到日期止（含）")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="连同已作废的申请一并列出（标明“已作废”）")] = False,
    voided_only: Annotated[bool, typer.Option("--voided", help="只列已作废的申请")] = False,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="输出格式：表格、JSON（每行一件）、CSV（可再导入）")]
    = ListFormat.table,
    db: Db = None,
    show_personal: ShowPersonal = False,
) -> None:
    """列出、查找登记的申请（申请人信息默认遮盖；已作废的申请默认不列出）。"""
    from xxgk.register import RegisterError
    from xxgk.register.model import FIELDS
    from xxgk.register.privacy import shown
    from xxgk.register.search import ApplicationQuery

    if (open_only and answered) or (show_all and voided_only):
        _error("错误：--open 与 --answered、--all 与 --voided 只能各选一个")
        raise typer.Exit(EXIT_UNUSABLE)
    try:
        query = ApplicationQuery.parse(
            year=year, status="open" if open_only else "answered" if answered else None, reference=reference,
            applicant=name, words=request, channel=channel, applicant_type=applicant_type, outcome=outcome,
            received_from=received_from, received_to=received_to,
            voided="include" if show_all else "only" if voided_only else None)
    except RegisterError as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err
    with opened(db) as register:
        found = register.search(query)
    rows = [shown(a, show_personal) for a in found.applications]
    if found.voided_left_out:
        what = "导出" if fmt is ListFormat.csv else "列出"
        _error(f"注意：另有 {found.voided_left_out} 件已作废的申请符合条件，未{what}（加 --all 一并{what}）")
    if fmt is ListFormat.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if fmt is ListFormat.csv:
        buffer = io.StringIO()
        fields = [f for f in rows[0] if f != "id"] if rows else []
        from xxgk.render.spreadsheet import csv_row, csv_writer

        buffer.write("\ufeff")  # a BOM: Excel on a Chinese Windows reads BOM-less CSV as GBK
        writer = csv_writer(buffer)  # formula-like text neutralised (docs/security.md)
        writer.writerow(csv_row(FIELDS.get(f, f) for f in fields))
        for row in rows:
            writer.writerow(csv_row(row[f] for f in fields))
        sys.stdout.write(buffer.getvalue())
        return
    out = console()
    table = new_table(title=f"政府信息公开申请（{len(rows)} 件）")
    for heading in ("序号", "编号", "收到日期", "方式", "申请人", "类型", "答复日期", "办理结果"):
        table.add_column(heading)
    for row in rows:
        result = plain(f"已作废：{row['void_reason']}", style="red") if row["voided_at"] else _label("outcome", row["outcome"])
        table.add_row(str(row["id"]), plain(row["reference"] or row["receipt_number"] or ""), row["received"],
                      _label("channel", row["channel"]),
                      plain(row["applicant_name"] or ""), _label("applicant_type", row["applicant_type"]),
                      row["answered"] or "未办结", result)
    out.print(table if rows else "没有符合条件的申请。")


@register_app.command("due")
def due_cmd(
    today: Annotated[str | None, typer.Option("--today", help="按哪一天计算（默认今天）")] = None,
    within: Annotated[int, typer.Option("--within", min=0, max=60, help="列出几个工作日内到期的申请")] = 5,
    close_unpaid: Annotated[bool, typer.Option(
        "--close-unpaid", help="把缴费期限已过仍未缴费的申请按“逾期未按收费通知要求缴纳费用”办结")] = False,
    db: Db = None,
    show_personal: ShowPersonal = False,
) -> None:
    """列出已逾期、即将到期以及等待申请人补正或缴费的申请。退出状态：有逾期时为 1，有期限无法计算时为 2。"""
    from xxgk.register.api import DUE_STATUS
    from xxgk.register.privacy import mask_name

    day = _day(today, "--today ") or date.today()
    out = console()
    with opened(db) as register:
        if close_unpaid:
            closed = register.close_unpaid(day)
            out.print(f"已按逾期未缴费办结 {len(closed)} 件：{'、'.join(map(str, closed)) or '无'}")
        items = register.due(day, within)
    if not items:
        out.print(f"截至 {day.isoformat()}，没有逾期或 {within} 个工作日内到期的申请。")
        return
    table = new_table(title=f"到期提醒（{day.isoformat()}，{within} 个工作日内）")
    for heading in ("序号", "状态", "期限", "剩余工作日", "申请人", "收到日期", "说明"):
        table.add_column(heading)
    styles = {"overdue": "bold red", "unpaid": "yellow", "correction_expired": "yellow", "unknown": "magenta"}
    for item in items:
        app = item.application
        name = app.applicant_name if show_personal else mask_name(app.applicant_name)
        left = "" if item.days_left is None else str(item.days_left)
        note = item.problem or ""  # the full computation: xxgk register show ID
        style = styles.get(item.status, "")
        status = plain(DUE_STATUS[item.status], style=style)
        table.add_row(str(app.id), status, item.date.isoformat() if item.date else "", left, plain(name or ""),
                      app.received.isoformat(), plain(note))
    out.print(table)
    unknown = [i for i in items if i.status == "unknown"]
    if unknown:
        _error(f"错误：有 {len(unknown)} 件申请的期限无法计算（第 {'、'.join(str(i.application.id) for i in unknown[:20])} 号），"
               "上表不完整；请按上表说明导入相应年度的节假日安排：xxgk register holidays import 文件")
        raise typer.Exit(EXIT_UNUSABLE)
    if any(i.status == "overdue" for i in items):
        raise typer.Exit(EXIT_ERRORS)


@register_app.command("letter")
def letter_cmd(
    app_id: Annotated[int, typer.Argument(help="申请序号")],
    kind: Annotated[str | None, typer.Argument(
        help="文书：补正、延期、征求意见、收费、答复，或文书的 id（不给则列出该申请可出具的文书）", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（.docx 或 .pdf；默认按编号和文书名命名）")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="docx 或 pdf（默认按输出文件的扩展名，否则 docx）")] = None,
    today: Annotated[str | None, typer.Option("--today", help="该步骤未登记日期时文书的落款日期（默认今天）")] = None,
    font: Annotated[Path | None, typer.Option("--font", help="PDF 嵌入的中文字体文件（默认使用阅读器自带的宋体）")] = None,
    db: Db = None,
) -> None:
    """出具告知书（Word 或 PDF）：补正、延期、征求意见、收费，以及按办理结果的答复书，均引用所依据的条款。"""
    from xxgk.register.letters import kinds_for

    day = _day(today, "--today ")
    chosen = (fmt or (output.suffix.lstrip(".").lower() if output and output.suffix else "docx")).lower()
    if chosen not in ("docx", "pdf"):
        _error("错误：文书格式应为 docx 或 pdf")
        raise typer.Exit(EXIT_UNUSABLE)
    with opened(db) as register:
        app = register.get(app_id)
        if kind is None and not app.voided:  # a 作废 one: the register says why it writes none
            table = new_table(title=f"第 {app_id} 号申请可出具的文书")
            for heading in ("文书", "id", "依据"):
                table.add_column(heading, overflow="fold")
            for k in kinds_for(app):
                table.add_row(k.name, k.id, k.basis(app))
            console().print(table)
            return
        letter = register.letter(app_id, kind or "", "pdf" if chosen == "pdf" else "docx", day, font)
    target = output or Path(letter.filename)
    try:
        target.write_bytes(letter.content)
    except OSError as err:
        _error(f"错误：无法写入 {target}（{err.strerror or err}）")
        raise typer.Exit(EXIT_UNUSABLE) from err
    typer.echo(f"已写入{letter.kind.name}：{target}（依据{letter.kind.basis(app)}）")


@register_app.command("letter-templates")
def letter_templates_cmd(
    folder: Annotated[Path, typer.Argument(help="复制到的文件夹（在 Word 中修改后，用 xxgk register office 文书模板文件夹=… 启用）")],
) -> None:
    """把 xxgk 自带的告知书 Word 模板复制到一个文件夹，供本机关按自己的格式修改。"""
    import shutil

    from xxgk.register.letters import KINDS, TEMPLATES

    try:
        folder.mkdir(parents=True, exist_ok=True)
        copied = 0
        for k in KINDS:
            target = folder / k.file
            if not target.exists():  # never overwrite an office's edited copy
                shutil.copyfile(TEMPLATES / k.file, target)
                copied += 1
    except OSError as err:
        _error(f"错误：无法写入 {folder}（{err.strerror or err}）")
        raise typer.Exit(EXIT_UNUSABLE) from err
    typer.echo(f"已复制 {copied} 个模板到 {folder}（已有的同名文件未覆盖）")


@register_app.command("office")
def office_cmd(
    assignments: Annotated[list[str] | None, typer.Argument(
        help="设置，写作 名称=值：机关名称、印章、联系地址、联系电话、复议机关、人民法院、文书模板文件夹、申请须提供证件（是/否）；"
             "值留空表示清除；不给则显示当前设置", show_default=False)] = None,
    db: Db = None,
) -> None:
    """设置本机关的信息：告知书的落款与联系方式、复议机关和人民法院、文书模板文件夹、网上申请是否须提供证件。"""
    from xxgk.register.office import OFFICE_FIELDS

    names = {v: k for k, v in OFFICE_FIELDS.items()} | {k: k for k in OFFICE_FIELDS}
    changes: dict[str, str | None] = {}
    for pair in assignments or []:
        name, sep, value = pair.partition("=")
        key = names.get(name.strip())
        if not sep or key is None:
            _error(f"错误：无法识别的设置：{name.strip()[:40]}（可设置：{'、'.join(OFFICE_FIELDS.values())}）")
            raise typer.Exit(EXIT_UNUSABLE)
        changes[key] = value.strip() or None
    with opened(db) as register:
        office = register.set_office(changes) if changes else register.office()
    table = new_table(show_header=False, box=None)
    for key, label in OFFICE_FIELDS.items():
        value = getattr(office, key)
        table.add_row(label, ("是" if value else "否") if key == "require_id" else (value or "（未设置）"))
    console().print(table)


@register_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="台账文件（CSV 或 XLSX，第一行为列名）", show_default=False)],
    kind: Annotated[LedgerKind | None, typer.Option(
        "--kind", help="台账种类（默认按列名判断）：applications 申请、cases 复议诉讼、proactive 主动公开")] = None,
    db: Db = None,
) -> None:
    """导入已有台账：每一行都检查无误才导入，有任何一行有误则一行也不导入，并列出出错的行。"""
    from xxgk.register.importer import KINDS

    with opened(db) as register:
        result = register.import_file(file, kind.value if kind else None)
    typer.echo(f"已导入{KINDS[result.kind]}台账 {result.rows} 行：{file.name}")
    if result.future_lines:
        lines = "、".join(map(str, result.future_lines[:20])) + ("等" if len(result.future_lines) > 20 else "")
        _error(f"注意：第{lines}行有晚于今天的收到、答复等日期（已经发生的事项的日期），请核对是否误填了年份（已按所填导入）")


@case_app.command("add")
def case_add_cmd(
    assignments: CaseAssignments = None,
    kind: Annotated[str | None, typer.Option("--kind", help="类型：表四的三类之一（例：行政复议、复议后起诉）")] = None,
    filed: Annotated[str | None, typer.Option("--filed", help="收到复议申请或起诉的日期")] = None,
    decided: Annotated[str | None, typer.Option("--decided", help="审结日期")] = None,
    result: Annotated[str | None, typer.Option("--result", help="结果：维持、纠正、其他")] = None,
    db: Db = None,
) -> None:
    """登记一件政府信息公开行政复议或行政诉讼案件。"""
    values = _fields(assignments or [], "cases", {"kind": kind, "filed": filed, "decided": decided, "result": result})
    with opened(db) as register:
        case = register.add_case(values)
    typer.echo(f"已登记第 {case.id} 号案件")
    _warn_future(case)


@case_app.command("edit")
def case_edit_cmd(
    case_id: Annotated[int, typer.Argument(help="案件序号")],
    assignments: CaseAssignments = None,
    db: Db = None,
) -> None:
    """修改一件复议或诉讼案件（如 审结日期=2025-06-01 审理结果=维持）。"""
    values = _fields(assignments or [], "cases", {})
    with opened(db) as register:
        case = register.edit_case(case_id, values)
    typer.echo(f"已修改第 {case.id} 号案件")
    _warn_future(case)


@case_app.command("list")
def case_list_cmd(
    year: Annotated[int | None, typer.Option("--year", help="只列该年度收到或年初未审结的案件")] = None,
    db: Db = None,
) -> None:
    """列出复议、诉讼案件。"""
    with opened(db) as register:
        cases = register.cases(year=year)
    table = new_table(title=f"复议、诉讼案件（{len(cases)} 件）")
    for heading in ("序号", "编号", "类型", "收到日期", "审结日期", "结果", "关联申请"):
        table.add_column(heading)
    for c in cases:
        table.add_row(str(c.id), plain(c.reference or ""), _label("kind", c.kind), c.filed.isoformat(),
                      c.decided.isoformat() if c.decided else "", _label("result", c.result) if c.result else "",
                      str(c.application_id or ""))
    console().print(table)


@register_app.command("proactive")
def proactive_cmd(
    year: Annotated[int, typer.Argument(help="统计年度")],
    values: Annotated[list[str] | None, typer.Argument(
        help="项目.栏目=数值，例：行政许可.本年处理决定数量=1234、规章.现行有效件数=15（不给则显示已录入的数）",
        show_default=False)] = None,
    db: Db = None,
) -> None:
    """录入或查看表二（主动公开政府信息情况）的数字。"""
    from xxgk.register.build import active_table
    from xxgk.register.choices import ACTIVE
    from xxgk.register.importer import cells_to_fields, proactive_ids
    from xxgk.register.model import ProactiveValue, validated
    from xxgk.templates import statutory

    with opened(db) as register:
        if values:
            entries: list[ProactiveValue] = []
            for text in values:
                target, sep, number = text.partition("=")
                row, _, column = target.partition(".")
                if not sep:
                    _error(f"错误：应写作 项目.栏目=数值：{text[:40]}")
                    raise typer.Exit(EXIT_UNUSABLE)
                fields, problems = cells_to_fields({"year": year, "row": row, "column": column, "value": number})
                problems = problems or proactive_ids(fields)
                if problems:
                    _error("错误：" + "；".join(problems))
                    raise typer.Exit(EXIT_UNUSABLE)
                entries.append(validated(ProactiveValue, fields))
            register.set_proactive(entries)
            typer.echo(f"已录入 {len(entries)} 个数字")
        stored = register.proactive(year)
    template = statutory().format_for_year(year) or "2021"
    table_decl = statutory().table_by_id(ACTIVE)
    data = active_table(stored, year, template)
    table = new_table(title=f"{year}年度 {table_decl.title}")
    for heading in ("项目", "栏目", "数值"):
        table.add_column(heading)
    for row_id, cells in data.items():
        item = table_decl.row_by_id(row_id)
        for column_id, value in cells.items():
            table.add_row(item.label_for(template), table_decl.column_by_id(column_id).label_for(template),
                          "未录入" if value is None else str(value))
    console().print(table)


@report_app.command("build")
def build_cmd(
    year: Annotated[int, typer.Option("--year", help="统计年度")],
    agency: Annotated[str, typer.Option("--agency", help="报告机关名称")],
    prose: Annotated[Path | None, typer.Option(
        "--prose", help="一、五、六部分正文的 Markdown 文件（可用 {{received}} 等占位符）")] = None,
    published: Annotated[str | None, typer.Option("--date", help="落款和发布日期")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出的报告 JSON（默认 报告-年度.json）")] = None,
    db: Db = None,
) -> None:
    """由登记簿计算表二、表三、表四，组装六个部分，写出报告 JSON（再用 xxgk report render 输出文档）。"""
    from xxgk.cli.terminal import draw_findings

    markdown = ""
    if prose is not None:
        try:
            markdown = prose.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            _error(f"错误：无法读取 Markdown 文件：{prose.name}（应为 UTF-8 文本）")
            raise typer.Exit(EXIT_UNUSABLE) from err
    day = _day(published, "--date ")
    with opened(db) as register:
        report = register.build(year, agency, markdown, day)
    target = output or Path(f"报告-{year}.json")
    try:
        target.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as err:
        _error(f"错误：无法写入 {target}（{err.strerror or err}）")
        raise typer.Exit(EXIT_UNUSABLE) from err
    out = console()
    out.print(plain(f"已写入 {target}"))
    draw_findings(out, report.findings)
    if any(f.severity == "error" for f in report.findings):
        raise typer.Exit(EXIT_ERRORS)


def report_render_cmd(source: Source, output: Output = None, fmt: FormatOption = Format.docx, font: Font = None,
                      template: Template = None, db: Db = None) -> None:
    """按法定格式输出 Word、PDF、网页（HTML）或 Markdown 文件；Word 用 --template 给出的模板，否则用登记簿设置的
    文书模板文件夹中的 report.docx（xxgk register office 文书模板文件夹=…），都没有则用内置模板。"""
    from xxgk.cli.database import missing_file

    if template is None and fmt is Format.docx and missing_file(db) is None:
        with opened(db) as register:
            template = register.office().report_template()
        if template is not None:
            console().print(plain(f"使用本机关的报告模板：{template}"), soft_wrap=True)
    render_report(source, output, fmt, font, template)


@report_app.command("template")
def report_template_cmd(
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="写出内置的年度报告模板（.docx），在 Word 中修改后用 xxgk report render --template 使用，"
                               "或命名为 report.docx 放入文书模板文件夹")],
) -> None:
    """导出内置的年度报告 Word 模板（docxtpl 占位符见 docs/report-template.md）；不覆盖已有的文件。"""
    from xxgk.render.docx import TEMPLATE

    if output.exists():
        _error(f"错误：{output} 已存在（不覆盖本机关修改过的模板；请换一个文件名，或先删除它）")
        raise typer.Exit(EXIT_UNUSABLE)
    try:
        output.write_bytes(TEMPLATE.read_bytes())
    except OSError as err:
        _error(f"错误：无法写入 {output}（{err.strerror or err}）")
        raise typer.Exit(EXIT_UNUSABLE) from err
    console().print(plain(f"已写出年度报告模板：{output}"), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``register`` and ``report`` to the main command."""
    report_app.command("render")(report_render_cmd)
    app.add_typer(register_app, name="register")
    app.add_typer(report_app, name="report")
