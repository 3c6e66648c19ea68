"""``xxgk render``: write a report out as a Word, PDF, HTML or Markdown document in the official form."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

EXIT_UNREADABLE = 2


class Format(StrEnum):
    docx = "docx"
    pdf = "pdf"
    html = "html"
    md = "md"


def render_cmd(
    source: Annotated[Path, typer.Argument(help="报告文件，或 xxgk parse --json 输出的报告 JSON", show_default=False)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认：与输入同名，扩展名按格式）")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.docx,
    font: Annotated[Path | None, typer.Option("--font", help="PDF 嵌入的中文字体文件（TTF/OTF/TTC；默认用阅读器自带的宋体）")] = None,
) -> None:
    """按法定格式（表格合并单元格与官方模板一致）输出 Word、PDF、网页（HTML）或 Markdown 文件。"""
    from xxgk.cli.reports import error, load_report, reading_pool
    from xxgk.read import ReadError

    try:
        with reading_pool() as pool:
            report = load_report(source, pool)
    except ReadError as e:
        error(f"错误：{e}" if source.name in str(e) else f"错误：{source.name}：{e}")
        raise typer.Exit(EXIT_UNREADABLE) from e
    target = output or source.with_suffix(f".{fmt.value}")
    if target.resolve() == source.resolve():
        error(f"错误：输出文件与输入文件相同：{target}")
        raise typer.Exit(EXIT_UNREADABLE)
    if font is not None and not font.is_file():
        error(f"错误：找不到字体文件：{font}")
        raise typer.Exit(EXIT_UNREADABLE)
    if fmt is Format.pdf:
        from xxgk.render.pdf import report_to_pdf

        try:
            data = report_to_pdf(report, font)
        except Exception as e:  # a font ReportLab cannot use: say so, no traceback
            error(f"错误：无法生成 PDF（{type(e).__name__}: {e}）")
            raise typer.Exit(EXIT_UNREADABLE) from e
    elif fmt is Format.html:
        from xxgk.render.html import report_to_html

        data = report_to_html(report).encode("utf-8")
    elif fmt is Format.md:
        from xxgk.render.markdown import report_to_markdown

        data = report_to_markdown(report).encode("utf-8")
    else:
        from xxgk.render.docx import report_to_docx

        data = report_to_docx(report)
    try:
        target.write_bytes(data)
    except OSError as e:
        error(f"错误：无法写入 {target}（{e.strerror or e}）")
        raise typer.Exit(EXIT_UNREADABLE) from e
    typer.echo(f"已写入 {target}")
