"""The CLI speaks Chinese where Typer would write English: usage, help pages, summaries, usage errors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from xxgk.cli.chinese import Typer, display_width, in_chinese, summary, wrap
from xxgk.cli.main import app

ENGLISH = ("Usage:", "Options:", "Arguments:", "Commands:", "Show this message", "Error:", "Try '", "[default:",
           "required]", "<int>", "<str>", "<path>")


def _paths(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The argv of every command and group's help, the group's own first."""
    yield (*path, "-h")
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


ALL_HELP = list(_paths(get_command(app)))


def test_every_command_is_reached() -> None:
    assert len(ALL_HELP) > 40 and ("register", "case", "add", "-h") in ALL_HELP


@pytest.mark.parametrize("argv", ALL_HELP, ids=" ".join)
def test_every_help_page_is_chinese_and_fits_80_columns(argv: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, list(argv), terminal_width=80)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：") and "显示本帮助并退出" in result.output
    assert not [word for word in ENGLISH if word in result.output]
    # Kinds of value in Chinese (<整数>, not <int range>); a choice's values (<docx|pdf>) are what one types.
    assert not re.findall(r"<[^<>|\u4e00-\u9fff]*[A-Za-z][^<>|]*>", result.output)
    # Click measured Chinese by characters, so its lines ran to twice the terminal's width.
    assert [line for line in result.output.splitlines() if display_width(line) > 80] == []


@pytest.mark.parametrize(("argv", "said"), [
    (["parse"], "错误：缺少参数 files"),
    (["list", "--year", "abc"], "错误：--year / -y 的值无效：应为整数"),
    (["list", "--year"], "错误：选项 --year 后面要有一个值"),
    (["list", "--jso"], "错误：没有这个选项：--jso（是不是：--csv、--json）"),
    (["list", "surplus"], "错误：多出的参数：surplus"),
    (["no-such-command"], "错误：没有这个命令：no-such-command"),
    (["serve", "--port", "99999"], "错误：--port 的值无效：不能大于 65535"),
    (["register", "case", "add", "--bogus"], "错误：没有这个选项：--bogus"),
])
def test_usage_errors_are_chinese(argv: list[str], said: str) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[-1] == said
    if len(lines) > 1:  # (an option's missing value is found before the command's context exists: no usage then)
        assert lines[0].startswith("用法：") and lines[1].startswith("帮助：") and lines[1].endswith(" -h")


def test_a_group_without_a_command_shows_its_help() -> None:
    result = CliRunner().invoke(app, ["register"])
    assert result.exit_code == 2 and result.output.startswith("用法：") and "命令：" in result.output


def test_an_abort_is_chinese() -> None:
    small = Typer()

    @small.command()
    def stop() -> None:
        raise typer.Abort()

    @small.command()
    def other() -> None:
        """A second command, so that the app is a group."""

    result = CliRunner().invoke(small, ["stop"])
    assert result.exit_code == 1 and result.output == "已取消\n"


def test_a_message_it_does_not_know_stays_as_it_is() -> None:
    assert in_chinese("找不到文件：a.pdf") == "找不到文件：a.pdf"
    assert in_chinese("Something new in Typer.") == "Something new in Typer."


def test_wrap_breaks_between_chinese_characters_never_inside_a_word() -> None:
    text = "数据库地址（默认取环境变量 XXGK_DATABASE_URL，否则为 sqlite:///./xxgk.db）"
    lines = wrap(text, 30)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(display_width(line) <= 30 for line in lines)
    assert any("XXGK_DATABASE_URL" in line for line in lines) and any("sqlite:///./xxgk.db" in line for line in lines)
    assert not [line for line in lines if line[0] in "，。、；：）"]
    assert wrap("输出 Word、PDF、网页（HTML）或 Markdown 文件", 26) == ["输出 Word、PDF、网页", "（HTML）或 Markdown 文件"]


def test_summary_is_the_first_sentence_cut_where_it_is_too_long() -> None:
    assert summary("读取年度报告。\n\n更多说明。") == "读取年度报告。"
    long = "名录中每个机关某年度报告的发布情况：发布日期、按时/逾期/未发布、错误与警告、得分；按地区逐级汇总，未发布的列在最前。"
    assert summary(long) == long
    assert summary(long, 40) == "名录中每个机关某年度报告的发布情况：发布日期、按时/逾期/未发布、错误与警告…"
