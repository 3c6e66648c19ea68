"""The questions asked of the store (``list``, ``stats``, ``compare``, ``export``): Rich tables, or JSON/CSV for scripts.

A thin layer over ``xxgk.store.query``/``stats``/``compare``/``export``; those (and pandas)
are imported inside the commands, so that ``xxgk parse`` does not pay for them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from xxgk.cli.options import level_id, rule_ids
from xxgk.cli.output import console, plain
from xxgk.cli.store import EXIT_UNUSABLE, Db, named_database, reading

if TYPE_CHECKING:
    import pandas as pd

    from xxgk.store import Store
    from xxgk.store.query import Filters

Years = Annotated[list[int] | None, typer.Option("--year", "-y", help="统计年度（可多次给出）", show_default=False)]
Region = Annotated[str | None, typer.Option(
    "--region", help="地区：省、市、县（区）名称（可只写开头，如 江苏、淮安市）或6位行政区划代码", show_default=False)]
Level = Annotated[str | None, typer.Option(
    "--level", help="机关级别：政府、部门、乡镇（街道）、未识别，或写作 government、department、township、unknown",
    show_default=False)]
Errors = Annotated[bool | None, typer.Option(
    "--errors/--no-errors", help="只列出有（或没有）“错误”级别问题的报告", show_default=False)]
Rule = Annotated[list[str] | None, typer.Option(
    "--rule", help="只列出有这条规则问题的报告（规则 id 见 xxgk rules，不分大小写；可多次给出：有其中任一规则的问题）",
    show_default=False)]
AgencyPart = Annotated[str | None, typer.Option("--agency", help="机关名称中的一部分（任何一种写法）",
                                                show_default=False)]
AsJson = Annotated[bool, typer.Option("--json", help="输出 JSON Lines（每行一条记录）")]
AsCsv = Annotated[bool, typer.Option("--csv", help="输出 CSV（UTF-8，带 BOM：Excel 可直接打开）")]



def _error(message: str) -> None:
    """One line on stderr, never wrapped (scripts read it)."""
    sys.stderr.write(" ".join(message.split()) + "\n")


def _filters(years: list[int] | None, region: str | None, level: str | None, errors: bool | None,
             rules: list[str] | None, agency: str | None) -> Filters:
    """The command line's filters, checked (a Chinese error and exit 2 when one is wrong)."""
    from xxgk.store.query import LEVELS, Filters, QueryError

    try:
        return Filters(tuple(years or ()), region, level_id(level, LEVELS), errors, rule_ids(rules) or None,
                       agency).validate()
    except QueryError as err:
        _error(f"错误：{err}")
        raise typer.Exit(EXIT_UNUSABLE) from err


def _machine(frame: pd.DataFrame, as_json: bool, as_csv: bool) -> bool:
    """Write the frame as JSON Lines or CSV on stdout when asked; whether it was."""
    if as_json:
        import json

        for record in json.loads(_whole(frame).to_json(orient="records", force_ascii=False)):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return True
    if as_csv:
        import io

        from xxgk.render.spreadsheet import frame_to_csv

        text = io.StringIO()
        frame_to_csv(_whole(frame), text)
        _write_bytes(text.getvalue().encode("utf-8-sig"))
        return True
    return False


def _whole(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with each column of floats that are all whole numbers (sums of counts) as integers: ``670``,
    not ``670.0``."""
    floats = [c for c in frame.columns if frame[c].dtype.kind == "f"]
    whole = [c for c in floats if frame[c].dropna().map(lambda v: float(v).is_integer()).all()]
    return frame.astype(dict.fromkeys(whole, "Int64")) if whole else frame


def _write_bytes(data: bytes) -> None:
    """Bytes on stdout as they are: the CSV's UTF-8 with its BOM (Excel on Chinese Windows reads UTF-8 without
    one as GBK), whatever encoding the console's text layer has."""
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a text-only stream (embedding code): the text with its BOM character
        sys.stdout.write(data.decode("utf-8"))
        return
    binary.write(data)
    binary.flush()


def _count(store: Store, filters: Filters) -> int:
    """How many reports match."""
    from sqlalchemy import func, select

    from xxgk.store.query import reports_query

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(reports_query(filters).subquery())).scalar_one())


def _nothing(store: Store) -> str:
    """The line saying nothing matched, naming the database; an empty database is said to be empty."""
    if not store.count():
        return f"数据库中还没有报告{named_database(store)}：先用 xxgk ingest 报告文件或文件夹 读入报告"
    return f"没有符合条件的报告{named_database(store)}"


def list_cmd(years: Years = None, region: Region = None, level: Level = None, errors: Errors = None,
             rule: Rule = None, agency: AgencyPart = None, as_json: AsJson = False, as_csv: AsCsv = False,
             db: Db = None) -> None:
    """列出数据库中的报告（可按年度、地区、级别、是否有错误、规则、机关名称筛选），每份报告一行。"""
    from xxgk.store.query import list_reports

    filters = _filters(years, region, level, errors, rule, agency)
    with reading(db) as store:
        frame = list_reports(store.engine, filters)
        nothing = _nothing(store) if frame.empty else ""
    if _machine(frame, as_json, as_csv):
        return
    if nothing:
        console().print(plain(nothing + "。"), soft_wrap=True)
        return
    from xxgk.cli.views import draw_list

    draw_list(console(), frame)


def stats_cmd(years: Years = None, region: Region = None, level: Level = None, errors: Errors = None,
              rule: Rule = None, agency: AgencyPart = None,
              by: Annotated[str, typer.Option("--by", help="按哪一级地区汇总：province（省）、city（市）、county（县区）")]
              = "province",
              as_json: AsJson = False, as_csv: AsCsv = False, db: Db = None) -> None:
    """按年度和地区汇总：报告数、收到申请数、办理结果构成、公开率、复议和诉讼纠错率、逾期公布、常见问题。

    \b
    公式（只计填写了相应单元格的报告，括号中为参与计算的报告数；分母为0时不计算）：
      收到申请 = Σ 表三“本年新收”总计
      办理结果构成 = Σ 各类结果 ÷ Σ 表三“总计”行的总计（只计六类结果都已填写的报告）
      公开率 = Σ（予以公开 + 部分公开）÷ Σ 表三“总计”行的总计
      复议纠错率 = Σ 行政复议“结果纠正” ÷ Σ（行政复议“总计” − “尚未审结”），即已审结案件中被纠正的比例
      诉讼纠错率 = 同上，行政诉讼两组（未经复议直接起诉、复议后起诉）合计
      逾期公布 = 首次公布晚于期限的机关年度数 / 有发布日期的机关年度数（更正后重新公布的不另计）
    """
    from xxgk.store.query import QueryError, RegionLevel
    from xxgk.store.stats import stats

    filters = _filters(years, region, level, errors, rule, agency)
    if by not in ("province", "city", "county"):
        _error(f"错误：--by 应为 province、city、county 之一：{by}")
        raise typer.Exit(EXIT_UNUSABLE)
    level_by: RegionLevel = "province" if by == "province" else "city" if by == "city" else "county"
    with reading(db) as store:
        try:
            frame = stats(store.engine, filters, level_by)
        except QueryError as err:
            _error(f"错误：{err}")
            raise typer.Exit(EXIT_UNUSABLE) from err
        nothing = _nothing(store) if frame.empty else ""
    if _machine(frame, as_json, as_csv):
        return
    if nothing:
        console().print(plain(nothing + "。"), soft_wrap=True)
        return
    from xxgk.cli.views import draw_stats

    draw_stats(console(), frame)


def compare_cmd(
    agency: Annotated[str, typer.Argument(help="机关 id 或名称（任何一种写法，或名称的一部分）", show_default=False)],
    all_columns: Annotated[bool, typer.Option("--all-columns", help="表三显示全部申请人列（默认只显示总计）")] = False,
    as_json: AsJson = False,
    db: Db = None,
) -> None:
    """同一机关逐年对比：表二、表三、表四各单元格按年度并列，标出变化，并列出各年度的问题。

    退出状态：0 成功；2 数据库无法打开、没有该机关或名称对应多个机关（列出候选）。
    """
    from xxgk.store.compare import AgencyNotFound, AmbiguousAgency, compare
    from xxgk.store.query import QueryError

    with reading(db) as store:
        try:
            result = compare(store.engine, agency)
        except AmbiguousAgency as err:
            _error(f"错误：{err}")
            for candidate in err.candidates:
                _error(f"  {candidate.id}  {candidate.name}（{candidate.reports} 份报告）")
            raise typer.Exit(EXIT_UNUSABLE) from err
        except QueryError as err:
            _error(f"错误：{err}{named_database(store) if isinstance(err, AgencyNotFound) else ''}")
            raise typer.Exit(EXIT_UNUSABLE) from err
    if as_json:
        import json

        record = {"agency": {"id": result.agency.id, "name": result.agency.name},
                  **{name: json.loads(getattr(result, name).to_json(orient="records", force_ascii=False))
                     for name in ("reports", "cells", "findings", "duplicates")}}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    from xxgk.cli.views import draw_comparison

    draw_comparison(console(), result, all_columns)


def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv、xlsx 或 parquet")] = "csv",
    years: Years = None, region: Region = None, level: Level = None, errors: Errors = None, rule: Rule = None,
    agency: AgencyPart = None, db: Db = None,
) -> None:
    """导出报告：每份报告一行，每个单元格一列（列名为约定的 id，如 requests.granted.total），另附问题表。

    CSV 与 Parquet 的问题写入同名的 -findings 文件；XLSX 为第二个工作表“问题”，首行为中文表头、第二行为 id。
    """
    from xxgk.store.export import FORMATS, export
    from xxgk.store.query import QueryError

    if fmt not in FORMATS:
        _error(f"错误：--format 应为 {'、'.join(FORMATS)} 之一：{fmt}")
        raise typer.Exit(EXIT_UNUSABLE)
    filters = _filters(years, region, level, errors, rule, agency)
    out = console()
    with reading(db) as store:
        try:
            written = export(store.engine, output, "csv" if fmt == "csv" else "xlsx" if fmt == "xlsx" else "parquet",
                             filters)
        except QueryError as err:
            _error(f"错误：{err}")
            raise typer.Exit(EXIT_UNUSABLE) from err
        nothing = _nothing(store) if not _count(store, filters) else ""
    if nothing:
        out.print(plain(f"{nothing}；导出的文件只有表头"), soft_wrap=True)
    for path in written:
        out.print(plain(f"已写入：{path}"), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the query commands to the ``xxgk`` command."""
    app.command("list")(list_cmd)
    app.command("stats")(stats_cmd)
    app.command("compare")(compare_cmd)
    app.command("export")(export_cmd)
