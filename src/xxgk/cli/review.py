"""The reviewer's commands: ``roster``, ``regions``, ``harvest``, ``monitor``, ``grade``, ``circular``.

A thin layer over ``xxgk.store.roster``, ``harvest``, ``monitor``, ``grade`` and ``circular``, all
imported inside the commands (the CLI starts without loading them). Names, addresses, reasons and
paths come from rosters, sites and users: they are printed as Rich ``Text`` (``plain``,
``Text.assemble``), never as markup, so ``[市直]`` in a name is shown, not taken for a style.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.cli.chinese import Typer
from xxgk.cli.options import level_id
from xxgk.cli.output import console, new_table, plain
from xxgk.cli.store import EXIT_FAILED_ITEMS, EXIT_UNUSABLE, Db, named_database, opened, reading

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from xxgk.store.grade import Grade, Profile
    from xxgk.store.monitor import Monitor
    from xxgk.store.scores import Scored

roster_app = Typer(help="名录：应当发布年度报告的机关（导入、导出、列出）", no_args_is_help=True)
regions_app = Typer(help="行政区划代码表：查看内置表的来源、查询地区、载入新的代码表", no_args_is_help=True)

Year = Annotated[int, typer.Option("--year", "-y", help="报告的统计年度（如 2025：2026年初发布的报告）")]
Region = Annotated[str | None, typer.Option(
    "--region", help="地区：6位行政区划代码或名称（如 330382、淮安市洪泽区）", show_default=False)]
# ``xxgk harvest``: it went through every body, but for some whether they published cannot be said (未能核实):
# a script must be able to tell incomplete coverage from full success without reading the table.
EXIT_UNVERIFIED = 3

Level = Annotated[str | None, typer.Option(
    "--level", help="机关级别：政府、部门、乡镇（街道），或写作 government、department、township", show_default=False)]
ProfileOption = Annotated[Path | None, typer.Option(
    "--profile", help="评分细则（TOML；默认为内置细则，见 docs/grading.md）", show_default=False)]


def _error(message: str) -> None:
    sys.stderr.write(" ".join(message.split()) + "\n")


def _level(level: str | None) -> str | None:
    """The roster level ``--level`` names (its id or its Chinese name); a wrong one ends the command."""
    from xxgk.store.roster_file import LEVELS

    return level_id(level, LEVELS)


def _profile(path: Path | None) -> Profile:
    from xxgk.store import StoreError
    from xxgk.store.grade import load_profile

    try:
        return load_profile(path)
    except StoreError as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err


# --- roster -------------------------------------------------------------------------------------------


@roster_app.command("import")
def roster_import_cmd(
    file: Annotated[Path, typer.Argument(help="名录文件（.xlsx 或 .csv）：名称、级别、行政区划代码、上级机关、网站、年报栏目…")],
    db: Db = None,
) -> None:
    """导入名录：每个应当发布年度报告的机关一行。同名同地区的机关更新，其余新增；任何一行有误则整份不导入。"""
    from xxgk.store.roster import import_roster

    out = console()
    with opened(db) as store:
        done = import_roster(store.engine, file)
    out.print(plain(f"名录导入完成：新增 {done.added} 个机关，更新 {done.updated} 个，未变 {done.unchanged} 个"))
    if done.merged:
        out.print(plain(f"按名录的其他名称合并了 {len(done.merged)} 个机关（其报告归入同一机关，跨报告问题已重新计算）："
                        + "；".join(done.merged)), soft_wrap=True)


@roster_app.command("export")
def roster_export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件（.xlsx 或 .csv），可再导入")],
    db: Db = None,
) -> None:
    """导出名录（列与导入时相同）。"""
    from xxgk.store.roster import export_roster

    with reading(db) as store:
        count = export_roster(store.engine, output)
    console().print(plain(f"已导出 {count} 个机关：{output}"), soft_wrap=True)


@roster_app.command("list")
def roster_list_cmd(
    region: Region = None,
    level: Level = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON Lines")] = False,
    db: Db = None,
) -> None:
    """列出名录中的机关（按地区、级别）。"""
    from xxgk.store.roster import bodies

    level = _level(level)
    with reading(db) as store:
        found = bodies(store.engine, region=region, level=level)
    if as_json:
        for b in found:
            sys.stdout.write(json.dumps({"id": b.id, "name": b.name, "level": b.level, "region_code": b.region_code,
                                         "region": b.region.label, "parent": b.parent, "site": b.site,
                                         "column_url": b.column_url, "aliases": list(b.aliases)},
                                        ensure_ascii=False) + "\n")
        return
    headers = ("id", "机关", "级别", "地区", "上级机关", "年报栏目")
    rows = [(str(b.id), b.name, b.level_name, f"{b.region.label}（{b.region_code}）", b.parent or "",
             b.column_url or b.site or "") for b in found]
    if found and not console().is_terminal:  # piped: one whole line a body (a table would cut names to 80 columns)
        for row in (headers, *rows):
            sys.stdout.write("\t".join(" ".join(cell.split()) for cell in row) + "\n")
        return
    table = new_table(*headers)
    for row in rows:
        table.add_row(*(plain(cell) for cell in row))
    if not found:
        console().print(plain(f"名录中没有{'符合条件的' if region or level else ''}机关{named_database(store)}"
                              f"{'' if region or level else '：先用 xxgk roster import 名录文件 导入名录'}"), soft_wrap=True)
        return
    console().print(table)
    console().print(f"共 {len(found)} 个机关")


# --- regions ------------------------------------------------------------------------------------------


@regions_app.command("show")
def regions_show_cmd(
    names: Annotated[list[str] | None, typer.Argument(help="机关名称或地区名称，查看识别出的地区", show_default=False)] = None,
    db: Db = None,
) -> None:
    """显示正在使用的行政区划代码表（来源、日期、条数），并识别给出的名称所在的地区。"""
    from xxgk.cli.database import missing_file
    from xxgk.store.divisions import packaged
    from xxgk.store.regions import divisions_for

    out = console()
    if missing_file(db) is not None:  # no database: the packaged table is the one in force (none is created)
        table = packaged()
    else:
        with opened(db) as store, store.engine.connect() as conn:
            table = divisions_for(conn)
    out.print(plain(f"行政区划代码表：{table.source}，共 {len(table)} 个区划"), soft_wrap=True)
    for name in names or []:
        located = table.locate(name)
        where = f"{located.region.label}（{located.region.code}）" if located.region.known else "未识别（或有重名）"
        out.print(plain(f"  {name} → {where}"), soft_wrap=True)


@regions_app.command("load")
def regions_load_cmd(
    file: Annotated[Path, typer.Argument(help="行政区划代码表（CSV 或 XLSX；列：行政区划代码、单位名称，可另有 曾用名）")],
    db: Db = None,
) -> None:
    """载入新的行政区划代码表（如民政部每年公布的代码表），取代内置表；已有机关的地区随之更新。"""
    from xxgk.db.engine import writing
    from xxgk.store.agencies import apply_regions
    from xxgk.store.divisions import read_table
    from xxgk.store.regions import store_divisions
    from xxgk.store.roster import relink

    out = console()
    with opened(db) as store:
        table = read_table(file)
        with writing(store.engine) as conn:
            stored = store_divisions(conn, table)
            changed = apply_regions(conn)
            relink(conn)
    out.print(plain(f"已载入行政区划代码表：{file}（{len(stored)} 个区划），{changed} 个机关的地区已更新"), soft_wrap=True)


# --- harvest ------------------------------------------------------------------------------------------


@contextmanager
def _bars(quiet: bool, total: int) -> Iterator[object]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = console(stderr=True)
    if quiet or not err.is_terminal:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        yield progress


def harvest_cmd(
    year: Year,
    region: Region = None,
    level: Level = None,
    name: Annotated[str | None, typer.Option("--name", help="只采集名称中含有这段文字的机关", show_default=False)] = None,
    rate: Annotated[float, typer.Option("--rate", min=0.01, max=10, help="每个网站每秒最多请求次数")] = 1.0,
    threads: Annotated[int, typer.Option("--threads", min=1, max=32, help="同时采集的机关数（同一网站仍逐个请求）")] = 4,
    retries: Annotated[int, typer.Option("--retries", min=0, max=10, help="服务器繁忙或超时时重试次数（间隔逐次加倍）")] = 2,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="允许访问内网和本机地址（默认拒绝）")] = False,
    no_images: Annotated[bool, typer.Option("--no-images", help="不下载报告网页中的图片（图片中的表格将无法识别）")] = False,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, max=200,
                                           help="每个年报栏目最多查看的列表页数（达到上限仍未找到时说明未能核实）")] = 8,
    restart: Annotated[bool, typer.Option("--restart", help="不接续上次中断的采集，全部重新访问")] = False,
    workers: Annotated[int | None, typer.Option("--workers", "-j", min=1, max=64, help="入库的并行进程数",
                                                show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    db: Db = None,
) -> None:
    """采集名录中各机关网站上的年度报告：访问年报栏目（含翻页），找到该年度的报告，下载后入库。

    礼貌访问：每个网站每秒至多一次请求（--rate），遵守 robots.txt，条件请求（ETag/Last-Modified：
    再次采集时未变化的内容不重新下载），失败时间隔加倍重试。中断后再次运行即从中断处继续。
    退出状态：0 完成，每个机关都已找到或确认未找到；1 有机关采集失败（可能同时有未能核实的）；
    2 数据库无法打开或名录为空；3 没有失败，但有机关未能核实（年报栏目没有读完或报告的附件未能下载，
    是否发布无法判断）；130 被中断（再次运行即从中断处继续）。
    """
    from xxgk.read.crawl import CrawlSettings
    from xxgk.read.fetch_http import FetchLimits
    from xxgk.store.harvest import HarvestOptions, harvest
    from xxgk.store.roster import bodies

    level = _level(level)
    out = console()
    settings = CrawlSettings(rate=rate, retries=retries,
                             limits=FetchLimits(allow_private=allow_private, retries=0, deadline=120.0))
    options = HarvestOptions(year=year, region=region, level=level, text=name, settings=settings, threads=threads,
                             workers=workers, max_pages=max_pages, max_images=0 if no_images else 20,
                             restart=restart)
    with reading(db) as store:
        total = len(bodies(store.engine, region=region, level=level, text=name))
        if total == 0:
            _error("错误：名录中没有符合条件的机关（先用 xxgk roster import 导入名录）")
            raise typer.Exit(EXIT_UNUSABLE)
        with _bars(quiet, total) as bars:
            from rich.progress import Progress

            progress = bars if isinstance(bars, Progress) else None
            crawl = progress.add_task("访问网站", total=total) if progress else None
            stored = progress.add_task("报告入库", total=None) if progress else None

            def advance(step: str, outcome: object) -> None:
                if progress is not None and crawl is not None and stored is not None:
                    progress.advance(crawl if step == "crawled" else stored)

            summary = harvest(store.engine, options, advance)
    table = new_table("机关", "结果", "说明")
    style = {"found": "green", "not_found": "yellow", "unverified": "magenta", "failed": "red"}
    for o in summary.outcomes:
        note = o.reason or (f"报告编号 {o.report_id}：{o.report_url}" if o.report_id else "")
        if o.resumed:
            note = ("（上次采集已下载，本次入库）" if o.downloaded_before else "（上次采集已完成）") + note
        table.add_row(plain(o.name), plain(o.status_name, style=style.get(o.status, "")), plain(note))
    out.print(table)
    out.print(f"{year}年度采集：已找到 {summary.count('found')} 个，未找到 {summary.count('not_found')} 个，"
              f"未能核实 {summary.count('unverified')} 个，失败 {summary.count('failed')} 个；本次请求 {summary.requests} 次，其中下载 {summary.downloads} 次"
              f"（其余为未变化或重试）")
    code = _harvest_exit(summary.count("failed"), summary.count("unverified"))
    if code:
        out.print(plain(_incomplete(summary.count("failed"), summary.count("unverified"), code)), soft_wrap=True)
        raise typer.Exit(code)


def _harvest_exit(failed: int, unverified: int) -> int:
    """The harvest's exit status: a failure first (its meaning kept), then bodies not verified, else 0."""
    return EXIT_FAILED_ITEMS if failed else EXIT_UNVERIFIED if unverified else 0


def _incomplete(failed: int, unverified: int, code: int) -> str:
    """The summary's line saying the harvest is incomplete, and with which exit status."""
    parts = [f"{failed} 个机关采集失败"] if failed else []
    parts += [f"{unverified} 个机关未能核实（是否发布无法判断）"] if unverified else []
    return f"采集不完整：{'，'.join(parts)}；退出状态 {code}"


# --- monitor ------------------------------------------------------------------------------------------

STATUS_STYLE = {"missing": "bold red", "unverified": "magenta", "late": "red", "no_date": "yellow", "pending": "cyan",
                "on_time": "green"}


def monitor_cmd(
    year: Year,
    region: Region = None,
    level: Level = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="只列出：missing（未发布）、unverified（未能核实：采集未能读完年报栏目）、late（逾期）、no_date（无发布日期或日期早于统计年度结束）、pending（未到期）、on_time（按时）",
        show_default=False)] = None,
    profile: ProfileOption = None,
    today: Annotated[str | None, typer.Option("--today", help="按此日期判断是否已过期限（默认今天）",
                                              show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="导出 XLSX", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON Lines（每个机关一行）")] = False,
    db: Db = None,
) -> None:
    """名录中每个机关某年度报告的发布情况：发布日期、按时/逾期/未发布、错误与警告、得分；按地区逐级汇总，未发布的列在最前。

    退出状态：0 完成；2 数据库不存在或无法打开、名录为空（先用 xxgk roster import 导入）。
    """
    from xxgk.store.grade import STATUS_NAMES
    from xxgk.store.monitor import export_monitor, monitor
    from xxgk.store.roster import bodies

    level = _level(level)
    if status is not None and status not in STATUS_NAMES:
        _error(f"错误：--status 应为 {'、'.join(STATUS_NAMES)} 之一：{status}")
        raise typer.Exit(EXIT_UNUSABLE)
    day = _date(today)
    chosen = _profile(profile)
    with reading(db) as store:
        if not bodies(store.engine):
            _error(f"错误：名录为空{named_database(store)}：monitor 逐个检查名录中的机关，先用 xxgk roster import 名录文件 "
                   "导入应当发布年度报告的机关（名称、级别、行政区划代码…，见 xxgk roster import --help）")
            raise typer.Exit(EXIT_UNUSABLE)
        result = monitor(store.engine, year, region=region, level=level, status=status, profile=chosen, today=day)
    if output is not None:
        export_monitor(result, output)
    if as_json:
        for row in result.rows:
            sys.stdout.write(json.dumps(_row_record(row), ensure_ascii=False) + "\n")
        return
    _draw_monitor(console(), result)
    if output is not None:
        console().print(plain(f"已导出：{output}"), soft_wrap=True)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        _error(f"错误：日期应写作 2026-04-01：{text}")
        raise typer.Exit(EXIT_UNUSABLE) from err


def _row_record(row: object) -> dict[str, object]:
    from xxgk.store.monitor import Row

    assert isinstance(row, Row)
    return {"body_id": row.body.id, "body": row.body.name, "level": row.body.level, "region_code": row.body.region_code,
            "region": row.body.region.label, "status": row.status,
            "published": row.published.isoformat() if row.published else None,
            "deadline": row.deadline.isoformat() if row.deadline else None, "report_id": row.report_id,
            "errors": row.errors if row.report_id else None, "warnings": row.warnings if row.report_id else None,
            "score": row.grade.score if row.grade else None, "band": row.grade.band if row.grade else None,
            "rank": row.rank, "source": row.source, "harvest": row.harvest, "duplicates": row.others}


def _draw_monitor(out: Console, result: Monitor) -> None:
    from rich.text import Text

    from xxgk.store.grade import STATUS_NAMES
    from xxgk.store.monitor import STATUS_ORDER
    from xxgk.store.standing import CHOICE

    counts = result.counts
    out.print(Text.assemble((f"{result.year}年度报告发布情况", "bold"),
                            f"（{len(result.rows)} 个机关；判断日期 {result.today.isoformat()}；"
                            f"评分细则：{result.profile.name}）"))
    out.print("；".join(f"{STATUS_NAMES[s]} {counts[s]}" for s in STATUS_ORDER if counts[s]) or "名录中没有符合条件的机关")
    if result.duplicates:
        out.print(plain(f"另有 {result.duplicates} 份重复的报告未计：一个机关一年只计一份（{CHOICE}；"
                        f"见 COLL-DUPLICATE）"), soft_wrap=True)
    summary = new_table("地区", "机关数", *(STATUS_NAMES[s] for s in STATUS_ORDER))
    for root in result.roots:
        for depth, node in root.walk():
            summary.add_row(plain("  " * depth + node.name), str(node.total), *(str(node.counts[s] or "") for s in STATUS_ORDER))
    out.print(summary)
    table = new_table("机关", "级别", "地区", "状态", "发布日期", "期限", "错误", "警告", "得分", "排名")
    for row in result.rows:
        g = row.grade
        status = Text.assemble((row.status_name, STATUS_STYLE[row.status]),
                               ("\n" + row.harvest, "dim") if row.harvest else "")
        table.add_row(plain(row.body.name), row.body.level_name, plain(row.body.region.county or row.body.region.city or ""),
                      status,
                      row.published.isoformat() if row.published else "",
                      row.deadline.isoformat() if row.deadline else "",
                      str(row.errors) if row.report_id else "", str(row.warnings) if row.report_id else "",
                      plain(f"{g.score:g}（{g.band}）" if g else ""), str(row.rank or ""))
    out.print(table)


# --- grade --------------------------------------------------------------------------------------------


def grade_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="统计年度（不给出时为全部报告）", show_default=False)] = None,
    report: Annotated[int | None, typer.Option("--report", help="只显示这份报告（编号）的扣分明细", show_default=False)] = None,
    region: Region = None,
    level: Level = None,
    profile: ProfileOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="导出 XLSX（得分、排名、扣分明细）",
                                                show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON Lines（每份报告一行，含扣分明细）")] = False,
    db: Db = None,
) -> None:
    """按评分细则为报告评分（0–100 分及等次），列出每项扣分及其依据的问题；按地区、级别排名。"""
    from xxgk.store.scores import export_scores, grade_collection
    from xxgk.store.standing import CHOICE

    level = _level(level)
    chosen = _profile(profile)
    with reading(db) as store:
        graded = grade_collection(store.engine, chosen, year=year, region=region, level=level,
                                  report_ids=[report] if report is not None else None)
    scored = graded.scored
    if report is not None and not scored:
        _error(f"错误：库中没有第 {report} 号报告")
        raise typer.Exit(EXIT_UNUSABLE)
    if output is not None:
        export_scores(scored, output)
    out = console()
    if as_json:
        for s in scored:
            sys.stdout.write(json.dumps(s.record(), ensure_ascii=False) + "\n")
        return
    if report is not None:
        first = scored[0]
        standing = f"（重复：同一机关同一年度以第 {first.duplicate_of} 号报告为准，不参与排名）" if first.duplicate_of else ""
        _draw_breakdown(out, first.grade, first.label + standing)
        return
    if not scored:
        out.print(plain(f"没有符合条件的报告{named_database(store)}。"), soft_wrap=True)
        return
    out.print(_ranked(scored))
    left_out = (f"；另有 {graded.duplicates} 份重复的报告未评分（同一机关同一年度只计一份：{CHOICE}；"
                f"见 COLL-DUPLICATE）") if graded.duplicates else ""
    named = chosen.name if chosen.source == chosen.name else f"{chosen.name}（{chosen.source}）"
    out.print(plain(f"共 {len(scored)} 份报告{left_out}；排名在同一年度、地区、级别的报告之间；评分细则：{named}。"
                    f"xxgk grade --report 编号 查看扣分明细"), soft_wrap=True)
    if output is not None:
        out.print(plain(f"已导出：{output}"), soft_wrap=True)


def _ranked(scored: list[Scored]) -> Table:
    """The grades, one section per year, region and level (the group a rank is counted in) under its heading."""
    from itertools import groupby

    from rich.text import Text

    table = new_table("排名", "机关", "得分", "等次", "报告")
    for _, group in groupby(scored, key=lambda s: (s.year, s.region_code, s.level)):
        members = list(group)
        first = members[0]
        if table.rows:
            table.rows[-1].end_section = True
        heading = f"{first.year or '年度未识别'}年度 {first.region} {first.level_name}（{len(members)} 份）"
        table.add_row("", Text(heading, style="bold"), "", "", "")
        for s in members:
            table.add_row(str(s.rank or ""), plain(s.name), f"{s.grade.score:g}", plain(s.grade.band),
                          str(s.report_id))
    return table


def _draw_breakdown(out: Console, grade: Grade, label: str) -> None:
    from rich.text import Text

    out.print(Text.assemble((label, "bold"), f"：{grade.score:g} 分（{grade.band}）"), soft_wrap=True)
    for item in grade.indicators:
        out.print(Text.assemble("  ", (item.indicator.name, "bold"),
                                f"（满分 {item.indicator.weight:g}）：{item.score:g} 分",
                                (f"  依据：{item.indicator.basis}", "dim")), soft_wrap=True)
        for a in item.applied:
            line = Text(f"    −{a.points:g}  {a.reason}" + (f"：{a.detail}" if a.detail else ""))
            if a.finding:
                f = a.finding
                line.append(f"\n        问题 #{f.id} {f.rule}（{f.where}）：{f.message}", style="dim")
            out.print(line, soft_wrap=True)


# --- circular -----------------------------------------------------------------------------------------


def circular_cmd(
    year: Year,
    output: Annotated[Path, typer.Option("--output", "-o", help="通报（.docx）")],
    region: Region = None,
    level: Level = None,
    profile: ProfileOption = None,
    template: Annotated[Path | None, typer.Option(
        "--template", help="通报的 Word 模板（docxtpl；默认为内置模板，可用 xxgk circular-template 导出后修改）",
        show_default=False)] = None,
    annex: Annotated[Path | None, typer.Option("--annex", help="附件 XLSX（默认与通报同名，加“-附件”）",
                                               show_default=False)] = None,
    issuer: Annotated[str, typer.Option("--issuer", help="发文机关")] = "（发文机关）",
    today: Annotated[str | None, typer.Option("--today", help="通报日期与判断期限的日期（默认今天）",
                                              show_default=False)] = None,
    db: Db = None,
) -> None:
    """起草年度报告情况通报（Word）：机关总数、按时/逾期/未发布（列出名称）、常见问题及示例、得分排名，另附各机关问题清单（XLSX）。"""
    from xxgk.store import StoreError
    from xxgk.store.circular import write_circular

    level = _level(level)
    chosen = _profile(profile)
    day = _date(today)
    annex = annex or output.with_name(output.stem + "-附件.xlsx")
    with reading(db) as store:
        try:
            written = write_circular(store.engine, year, output, annex, region=region, level=level, profile=chosen,
                                     template=template, issuer=issuer, today=day)
        except StoreError as err:
            _error(f"错误：{err}")
            raise typer.Exit(EXIT_UNUSABLE) from err
    out = console()
    out.print(plain(f"已生成通报：{output}（{written.bodies} 个机关，按时 {written.on_time}，逾期 {written.late}，"
                    f"未发布 {written.missing}" + (f"，未能核实 {written.unverified}" if written.unverified else "")
                    + "）"), soft_wrap=True)
    out.print(plain(f"附件：{annex}"), soft_wrap=True)


def circular_template_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="写出内置的通报模板（.docx），供修改后用 --template 使用")],
) -> None:
    """导出内置的通报 Word 模板（docxtpl 占位符见 docs/circular.md）。"""
    from xxgk.render.circular import TEMPLATE

    output.write_bytes(TEMPLATE.read_bytes())
    console().print(plain(f"已写出通报模板：{output}"), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the reviewer's commands to the ``xxgk`` command."""
    app.add_typer(roster_app, name="roster")
    app.add_typer(regions_app, name="regions")
    app.command("harvest")(harvest_cmd)
    app.command("monitor")(monitor_cmd)
    app.command("grade")(grade_cmd)
    app.command("circular")(circular_cmd)
    app.command("circular-template")(circular_template_cmd)
