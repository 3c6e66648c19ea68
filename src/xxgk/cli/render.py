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


Source = Annotated[Path, typer.Argument(help="报告文件，或 xxgk parse --json 输出的报告 JSON", show_default=False)]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="输出文件（默认：与输入同名，扩展名按格式）")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="输出格式")]
Font = Annotated[Path | None, typer.Option("--font", help="PDF 嵌入的中文字体文件（TTF/OTF/TTC；默认用阅读器自带的宋体）")]
Template = Annotated[Path | None, typer.Option(
    "--template", help="Word 输出所用的报告模板（docxtpl；默认为内置模板，可用 xxgk report template 导出后在 Word 中修改，"
                       "占位符见 docs/report-template.md）", show_default=False)]


def render_cmd(source: Source, output: Output = None, fmt: FormatOption = Format.docx, font: Font = None,
               template: Template = None) -> None:
    """按法定格式（表格合并单元格与官方模板一致）输出 Word、PDF、网页（HTML）或 Markdown 文件；Word 可用本机关的模板。"""
    render_report(source, output, fmt, font, template)


def render_report(source: Path, output: Path | None, fmt: Format, font: Path | None, template: Path | None) -> None:
    """Write ``source`` out in ``fmt`` (Word through ``template`` when given); Chinese errors, exit 2."""
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
    if template is not None and fmt is not Format.docx:
        error("错误：--template 只用于 Word（docx）输出")
        raise typer.Exit(EXIT_UNREADABLE)
    if template is not None and not template.is_file():
        error(f"错误：找不到报告模板：{template}")
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
        from xxgk.render.docx import ReportTemplateError, report_to_docx

        try:
            data = report_to_docx(report, template)
        except ReportTemplateError as e:
            error(f"错误：{e}")
            raise typer.Exit(EXIT_UNREADABLE) from e
    try:
        target.write_bytes(data)
    except OSError as e:
        error(f"错误：无法写入 {target}（{e.strerror or e}）")
        raise typer.Exit(EXIT_UNREADABLE) from e
    typer.echo(f"已写入 {target}")
