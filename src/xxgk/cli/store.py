"""The store's commands (``ingest``, ``reparse``, ``recheck``, ``findings``, ``agencies``): a thin layer over
``xxgk.store.Store``.

``xxgk.store`` (SQLAlchemy, Alembic) is imported inside the commands, so that ``xxgk parse``
does not pay for it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.cli.database import opened as open_database
from xxgk.cli.options import Trusted, rule_ids
from xxgk.cli.output import console, new_table, plain
from xxgk.names import LEVEL_NAMES, SEVERITY_NAMES

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from xxgk.store import Store, Summary
    from xxgk.store.merge import Merged

EXIT_FAILED_ITEMS = 1
EXIT_UNUSABLE = 2

Db = Annotated[str | None, typer.Option(
    "--db", help="数据库：文件路径（如 reports.db）或地址（sqlite:///…、postgresql+psycopg://…）；"
                 "默认取环境变量 XXGK_DATABASE_URL，否则为当前文件夹的 xxgk.db", show_default=False)]
Workers = Annotated[int | None, typer.Option(
    "--workers", "-j", min=1, max=64, help="并行进程数（默认等于 CPU 核数）", show_default=False)]


def _error(message: str) -> None:
    """One line on stderr, never wrapped (scripts read it)."""
    sys.stderr.write(" ".join(message.split()) + "\n")


def _merged(store: Store, keep: str, other: str) -> Merged:
    """Merge the agencies, or end with the reason (and the agencies a name may mean) in Chinese, exit 2."""
    from xxgk.store.compare import AmbiguousAgency
    from xxgk.store.query import QueryError

    try:
        return store.merge_agencies(keep, other)
    except QueryError as err:
        _error(f"错误：{err}")
        for candidate in err.candidates if isinstance(err, AmbiguousAgency) else []:
            _error(f"  {candidate.id}  {candidate.name}（{candidate.reports} 份报告）")
        raise typer.Exit(EXIT_UNUSABLE) from err


@contextmanager
def opened(url: str | None, *, existing: bool = False) -> Iterator[Store]:
    """The store at ``url`` (created when missing, unless ``existing``); its errors as Chinese messages with
    exit status 2."""
    from xxgk.store import Store

    with open_database(Store, url, (), existing=existing) as db:
        yield db


@contextmanager
def reading(url: str | None) -> Iterator[Store]:
    """The store at ``url`` for a command that only reads it: a missing database is an error, never created."""
    with opened(url, existing=True) as store:
        yield store


def named_database(store: Store) -> str:
    """``（数据库：…）``: the database a command looked in (an SQLite file by its full path), for its "nothing
    found" line."""
    url = store.engine.url
    file = url.database or ""
    if url.get_backend_name() == "sqlite" and file not in ("", ":memory:") and not file.startswith("file:"):
        return f"（数据库：{Path(file).expanduser().absolute()}）"
    return f"（数据库：{store.url}）"


@contextmanager
def _bar(console: Console, total: int, quiet: bool) -> Iterator[Progress | None]:
    """A progress bar on stderr (none with ``--quiet`` or when stderr is not a terminal)."""
    if quiet or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as progress:
        yield progress


def _print_summary(out: Console, verb: str, summary: Summary) -> None:
    from rich.text import Text

    skipped = f"跳过（已入库）{summary.skipped} 份，" if verb == "入库" else ""
    if summary.unfinished_runs:
        runs = "、".join(f"第 {i} 次" for i in summary.unfinished_runs)
        out.print(f"上次入库（{runs}）未正常结束：已补做其涉及机关的跨报告检查", soft_wrap=True)
    parts = f"（含汇编，共 {summary.reports} 份报告）" if summary.reports > summary.ok else ""
    out.print(f"{verb}完成：成功 {summary.ok} 份{parts}，{skipped}失败 {summary.failed} 份")
    for failure in summary.failures[:50]:
        out.print(Text.assemble("  ", ("失败", "red"), f" {failure.source}：{failure.error}"), soft_wrap=True)
    if len(summary.failures) > 50:
        out.print(f"  另有 {len(summary.failures) - 50} 份失败（见数据库 ingest_items 表）")


def _suffixes(paths: list[Path]) -> str:
    """``.zip 2 个、无扩展名 1 个``: the kinds of files passed over, most first."""
    from collections import Counter

    counts = Counter(p.suffix.lower() or "无扩展名" for p in paths)
    return "、".join(f"{suffix} {n} 个" for suffix, n in counts.most_common(8)) + ("等" if len(counts) > 8 else "")


def ingest_cmd(
    sources: Annotated[list[str] | None, typer.Argument(
        help="报告文件、文件夹（递归）、网址，或 @列表文件（每行一个路径或网址）", show_default=False)] = None,
    from_list: Annotated[list[Path] | None, typer.Option(
        "--from-list", help="列表文件：每行一个路径或网址（可多次给出）", show_default=False)] = None,
    workers: Workers = None,
    db: Db = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    trusted: Trusted = False,
) -> None:
    """把报告读入数据库：读取、检查、按机关归并，已入库的文件自动跳过，中断后重新运行即可继续。

    退出状态：0 全部成功或已入库；1 有文件失败（已记录原因，其余照常入库）；2 数据库无法打开或未给出文件。
    """
    from xxgk.cli.reports import reading_limits
    from xxgk.store.sources import expand_sources

    if not sources and not from_list:
        _error("错误：请给出要入库的文件、文件夹、网址或 @列表文件")
        raise typer.Exit(EXIT_UNUSABLE)
    arguments = list(sources or [])
    limits = reading_limits(trusted)
    passed: list[Path] = []
    items = expand_sources(arguments, from_list, passed)
    err, out = console(stderr=True), console()
    with opened(db) as store, _bar(err, len(items), quiet) as bar:
        task = bar.add_task("入库", total=len(items)) if bar else None
        summary = store.ingest_items(
            items, arguments + [f"@{p}" for p in from_list or []], workers=workers, limits=limits,
            progress=(lambda _: bar.advance(task)) if bar is not None and task is not None else None)
    _print_summary(out, "入库", summary)
    if passed:
        out.print(plain(f"文件夹中另有 {len(passed)} 个文件不是可读取的报告格式，未读取（{_suffixes(passed)}）；"
                        "如确是报告，可直接给出文件名"), soft_wrap=True)
    out.print(plain(f"数据库：{store.url}"), soft_wrap=True)
    if summary.failed:
        raise typer.Exit(EXIT_FAILED_ITEMS)


def reparse_cmd(
    everything: Annotated[bool, typer.Option("--all", help="重新读取全部报告（默认只读取旧版本解析的报告）")] = False,
    workers: Workers = None,
    db: Db = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    trusted: Trusted = False,
) -> None:
    """用当前版本重新解析已入库的报告（默认只处理由旧版本解析的），替换其单元格与问题。

    退出状态：0 成功；1 有报告无法重新读取（保留原结果）；2 数据库无法打开。
    """
    from xxgk.cli.reports import reading_limits
    from xxgk.parse.version import parser_version

    err, out = console(stderr=True), console()
    limits = reading_limits(trusted)
    with reading(db) as store:
        ids = store.outdated(everything)
        if not ids:
            out.print(f"没有需要重新解析的报告（当前解析器版本 {parser_version()}）")
            return
        with _bar(err, len(ids), quiet) as bar:
            task = bar.add_task("重新解析", total=len(ids)) if bar else None
            summary = store.reparse(ids, workers=workers, limits=limits,
                                    progress=(lambda _: bar.advance(task)) if bar is not None and task is not None
                                    else None)
    _print_summary(out, "重新解析", summary)
    if summary.failed:
        raise typer.Exit(EXIT_FAILED_ITEMS)


def recheck_cmd(
    db: Db = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
) -> None:
    """重新计算全库的跨报告问题（缺少年度、内容雷同、跨年度衔接）。

    入库时只重新计算本次涉及的机关及其同地区同级别机关；入库被中断后，或想让“套话”的统计、
    雷同比较与全库一致时，运行本命令。退出状态：0 完成；2 数据库无法打开。
    """
    err, out = console(stderr=True), console()
    with reading(db) as store, _bar(err, 0, quiet) as bar:
        task = bar.add_task("重新检查", total=None) if bar else None

        def advance(done: int, total: int) -> None:
            if bar is not None and task is not None:
                bar.update(task, completed=done, total=total)

        done = store.recheck(advance)
    out.print(f"重新检查完成：{done.agencies} 个机关，跨报告问题 {done.findings} 项（xxgk findings --scope collection 可列出）",
              soft_wrap=True)


SEVERITY_NAME = SEVERITY_NAMES
SCOPE_NAME = {"report": "单份报告", "collection": "跨报告"}


def findings_cmd(
    scope: Annotated[str | None, typer.Option("--scope", help="report（单份报告）或 collection（跨年度等）",
                                              show_default=False)] = None,
    rule: Annotated[list[str] | None, typer.Option(
        "--rule", help="只列出这条规则的问题（可多次给出：任一规则；不分大小写）", show_default=False)] = None,
    severity: Annotated[str | None, typer.Option("--severity", help="error、warning 或 info",
                                                 show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON Lines（每行一个问题）")] = False,
    db: Db = None,
) -> None:
    """列出数据库中各报告的问题（单份报告的检查结果与跨报告的检查结果）。"""
    rules = rule_ids(rule)
    for value, allowed, option in ((scope, SCOPE_NAME, "--scope"), (severity, SEVERITY_NAME, "--severity")):
        if value is not None and value not in allowed:
            _error(f"错误：{option} 应为 {'、'.join(allowed)} 之一：{value}")
            raise typer.Exit(EXIT_UNUSABLE)
    out = console()
    with reading(db) as store:
        rows = store.findings(scope=scope, rule=rules or None, severity=severity)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
        return
    if not rows:
        out.print(plain(f"没有问题记录{named_database(store)}。"), soft_wrap=True)
        return
    from rich.text import Text

    current: tuple[int, str | None, int | None] | None = None
    hidden: dict[int, int] = {}
    for row in rows:
        if row.severity == "info" and severity is None:
            hidden[row.report_id] = hidden.get(row.report_id, 0) + 1  # counted, shown with --severity info
            continue
        if (row.report_id, row.agency, row.year) != current:
            current = (row.report_id, row.agency, row.year)
            out.print(Text.assemble("\n", (row.agency or "机关未识别", "bold"), f"  {row.year or '年度未识别'}年度  ",
                                    (f"报告 {row.report_id}", "dim")))
        tag = f"[{SEVERITY_NAME.get(row.severity, row.severity)}]"
        style = {"error": "red", "warning": "yellow"}.get(row.severity, "dim")
        extra = f"（{SCOPE_NAME['collection']}，对照报告 {row.related_report_id}）" if row.scope == "collection" else ""
        # Report text and hints (pip install 'xxgk[ocr]') as they are: Text, never markup.
        out.print(Text.assemble("  ", (tag, style), " ", (row.rule, "bold"), " ", (f"{row.where}：", "dim"),
                                row.message, extra), soft_wrap=True)
    counts = {s: sum(r.severity == s for r in rows) for s in SEVERITY_NAME}
    out.print("\n共 " + "，".join(f"{SEVERITY_NAME[s]} {n} 项" for s, n in counts.items() if n)
              + ("（提示未列出，--severity info 可见）" if hidden else ""))


def agencies_cmd(
    regions: Annotated[Path | None, typer.Option(
        "--regions", help="地区对照表（TOML 的 [[region]] 或 CSV：name,province,city,county 及 *_code 列），存入数据库并重新归属地区",
        show_default=False)] = None,
    merge: Annotated[str | None, typer.Option(
        "--merge", help="把这个机关（id、任一写法或名称）并入 --into 指定的机关：同一机关的不同写法（如简称）未能自动识别时使用",
        show_default=False)] = None,
    into: Annotated[str | None, typer.Option("--into", help="--merge 的机关并入的机关（保留其名称、级别、地区）",
                                             show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON Lines（每行一个机关）")] = False,
    db: Db = None,
) -> None:
    """列出数据库中的机关：名称、级别、地区，以及报告中出现过的各种写法；合并同一机关的不同写法。"""
    out = console()
    if (merge is None) != (into is None):
        _error("错误：--merge 与 --into 要一起给出（把 --merge 的机关并入 --into 的机关）")
        raise typer.Exit(2)
    with reading(db) as store:
        if merge is not None and into is not None:
            done = _merged(store, into, merge)
            out.print(plain(f"已将“{done.merged}”（id {done.merged_id}，{done.reports} 份报告，{done.names} 种写法）"
                            f"并入“{done.kept}”（id {done.kept_id}）；跨报告问题已重新计算"), soft_wrap=True)
            return
        if regions is not None:
            changed = store.load_regions(regions)
            out.print(plain(f"已载入地区对照表：{regions}，{changed} 个机关的地区已更新"))
        agencies = store.agencies()
    if as_json:
        for a in agencies:
            record = {c: getattr(a, c) for c in ("id", "name", "level", "province", "province_code", "city",
                                                 "city_code", "county", "county_code", "region_overridden")}
            record["names"] = [{"name": n.name, "method": n.method, "score": n.score} for n in a.names]
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if not agencies:
        out.print(plain(f"数据库中还没有机关{named_database(store)}：xxgk ingest 读入报告后即有"), soft_wrap=True)
        return
    table = new_table("id", "机关", "级别", "地区", "名称写法")
    for a in agencies:
        region = "".join(p for p in (a.province, a.city, a.county) if p) or "未识别"
        names = "、".join(n.name for n in a.names if n.name != a.name)
        table.add_row(str(a.id), plain(a.name), LEVEL_NAMES.get(a.level, a.level),
                      plain(region + ("（对照表）" if a.region_overridden else "")), plain(names))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the store's commands to the ``xxgk`` command."""
    app.command("ingest")(ingest_cmd)
    app.command("reparse")(reparse_cmd)
    app.command("recheck")(recheck_cmd)
    app.command("findings")(findings_cmd)
    app.command("agencies")(agencies_cmd)
