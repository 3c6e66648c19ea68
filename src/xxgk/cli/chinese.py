"""Chinese for what Typer (and the Click it vendors) writes by itself: usage lines, help headings, the help
option, the commands' one-line summaries, and the messages of usage errors.

Typer 0.29 vendors Click with its strings hard-coded in English (no gettext catalog to supply), so the CLI's own
classes put them into Chinese at the points where they are written: a help formatter for the help pages and usage
lines, and the top command group, which rewrites a usage error raised anywhere below it before Typer shows it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

import typer
from typer import Abort, Exit
from typer._click.core import Context
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    FileError,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer._click.formatting import HelpFormatter
from typer._click.utils import echo
from typer.core import TyperCommand, TyperGroup

_T = TypeVar("_T")
HEADINGS = {"Arguments": "参数", "Options": "选项", "Commands": "命令"}
HELP_OPTION = "显示本帮助并退出"
USAGE = "用法："
# A command's summary in its group's list: its help's first sentence, cut to this many characters.
SUMMARY_CHARACTERS = 60

# The notes Typer appends to an option's help in brackets, "[default: 5; 1<=x<=64; required]", and their Chinese.
_NOTE = re.compile(r"\s*\[([^\[\]]+)\]$")
_NOTE_PARTS = ((re.compile(r"^default: (.*)$", re.S), r"默认：\1"), (re.compile(r"^env var: (.*)$", re.S), r"环境变量：\1"),
               (re.compile(r"^required$"), "必填"), (re.compile(r"^(-?[\d.]+)<=x<=(-?[\d.]+)$"), r"\1 至 \2"),
               (re.compile(r"^x>=(-?[\d.]+)$"), r"不小于 \1"), (re.compile(r"^x<=(-?[\d.]+)$"), r"不大于 \1"))
# The kinds of value Typer shows beside an option (``--year <int>``).
_KINDS = {"int": "整数", "str": "文本", "path": "路径", "float": "数字", "Path": "路径", "bool": "是否", "date": "日期"}
# ``<int range>``/``<float range>`` for a bounded option: its bounds are said in its notes, so the kind is enough.
_KIND = re.compile(r"<(?:list\[)?(\w+)(?: range)?\]?>")
_METAVARS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
# Click's, Typer's and pydantic's messages, as they are written, and what to say instead.
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), s) for p, s in (
    (r"^No such option: (.+)$", r"没有这个选项：\1"),
    (r"^No such command '(.+)'\.$", r"没有这个命令：\1"),
    (r"^Missing command\.$", "缺少命令"),
    (r"^Option '(.+)' requires an argument\.$", r"选项 \1 后面要有一个值"),
    (r"^Option '(.+)' requires (\d+) arguments\.$", r"选项 \1 后面要有 \2 个值"),
    (r"^Option '(.+)' does not take a value\.$", r"选项 \1 不带值"),
    (r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", r"多出的参数：\1"),
    (r"^Argument '(.+)' takes (\d+) values\.$", r"参数 \1 要有 \2 个值"),
    (r"^'(.*)' is not one of (.+)\.$", r"“\1”不是可选的值（可选：\2）"),
    (r"^(?:File|Path) '(.+)' does not exist\.$", r"文件不存在：\1"),
    (r"^Directory '(.+)' does not exist\.$", r"文件夹不存在：\1"),
    (r"^\w+ '(.+)' is a directory\.$", r"\1 是文件夹，这里要的是文件"),
    (r"^\w+ '(.+)' is a file\.$", r"\1 是文件，这里要的是文件夹"),
    (r"^\w+ '(.+)' is not readable\.$", r"无法读取：\1"),
    (r"^\w+ '(.+)' is not writable\.$", r"无法写入：\1"),
    (r"^Value (.+) is not a valid (.+)\.$", r"值 \1 无效"),
    (r"^Input should be a valid integer.*$", "应为整数"),
    (r"^Input should be a valid number.*$", "应为数字"),
    (r"^Input should be a valid boolean.*$", "应为 true 或 false"),
    (r"^Input should be a valid date.*$", "应为日期，如 2025-01-31"),
    (r"^Input should be greater than or equal to (.+)$", r"不能小于 \1"),
    (r"^Input should be less than or equal to (.+)$", r"不能大于 \1"),
    (r"^Input should be greater than (.+)$", r"应大于 \1"),
    (r"^Input should be less than (.+)$", r"应小于 \1"),
    (r"^Input should be (.+)$", r"应为 \1"),
    (r"^Choose from:\s*(.+)$", r"可选：\1"),
))


def in_chinese(message: str) -> str:
    """A message of Click, Typer or pydantic in Chinese (one it does not know, as it is)."""
    message = message.strip()
    for pattern, said in _MESSAGES:
        if pattern.match(message):
            return pattern.sub(said, message)
    return message


def _hint(error: BadParameter) -> str:
    """The parameter an error is about, as the user types it ('--year' / '-y', or FILES)."""
    hint: str | Sequence[str] | None = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    if hint is None:
        return ""
    return (hint if isinstance(hint, str) else " / ".join(hint)).replace("'", "")


def error_message(error: ClickException) -> str:
    """What a usage error says, in Chinese."""
    if isinstance(error, MissingParameter):
        kind = "选项" if (error.param_type or (error.param.param_type_name if error.param else "")) == "option" else "参数"
        extra = error.param.get_missing_message(ctx=error.ctx) if error.param is not None else None
        said = f"缺少{kind} {_hint(error)}".rstrip()
        return f"{said}（{in_chinese(extra)}）" if extra else said
    if isinstance(error, BadParameter):
        hint = _hint(error)
        return f"{hint} 的值无效：{in_chinese(error.message)}" if hint else f"值无效：{in_chinese(error.message)}"
    if isinstance(error, NoSuchOption):
        said = in_chinese(error.message)
        return f"{said}（是不是：{'、'.join(sorted(error.possibilities))}）" if error.possibilities else said
    if isinstance(error, FileError):
        return f"无法打开文件 {error.ui_filename}：{error.message}"
    return in_chinese(error.message)


class ChineseUsageError(UsageError):
    """A usage error shown in Chinese: the usage line, where to find help, and what was wrong."""

    def __init__(self, error: ClickException) -> None:
        super().__init__(error_message(error), getattr(error, "ctx", None))
        self.exit_code = error.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        """Write the error to standard error (or ``file``)."""
        file = file if file is not None else sys.stderr
        ctx = self.ctx
        if ctx is not None:
            echo(ctx.get_usage(), file=file, color=ctx.color)
            if ctx.command.get_help_option(ctx) is not None:
                echo(f"帮助：{ctx.command_path} {ctx.help_option_names[0]}", file=file, color=ctx.color)
            echo("", file=file)
        echo(f"错误：{self.format_message()}", file=file, color=ctx.color if ctx is not None else None)


# Punctuation that must not begin a line (it stays at the end of the line before, a column over if need be).
_NO_LINE_START = set("，。、；：！？）》」』】”’,.;:!?)]")
# Punctuation that must not end a line (it goes to the next line, with what it opens).
_NO_LINE_END = set("（《「『【“‘([")
# What is never broken: a run of Latin letters, digits and ASCII punctuation (an option, a path, an id).
_TOKENS = re.compile(r"[!-~]+|\s+|.", re.S)


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns: broken between Chinese characters or at spaces, never inside
    a Latin word, never before closing punctuation (the character before it goes to the next line with it) and
    never after opening punctuation."""
    lines: list[str] = []
    line: list[str] = []
    for token in _TOKENS.findall(" ".join(text.split())):
        if token.isspace() and not line:
            continue
        if sum(map(display_width, line)) + display_width(token) > width and not token.isspace() and line:
            carry = _carried(line) if token[0] in _NO_LINE_START else []
            while len(line) > 1 and line[-1][-1] in _NO_LINE_END:
                carry.insert(0, line.pop())
            lines.append("".join(line).rstrip())
            line = carry
        line.append(token)
    if line:
        lines.append("".join(line).rstrip())
    return lines or [""]


def _carried(line: list[str]) -> list[str]:
    """The tokens at the end of ``line`` that go to the next line with the closing punctuation that follows them
    (taken off ``line``): the punctuation already there, and the word or character before it."""
    at = len(line)
    while at > 0 and line[at - 1][0] in _NO_LINE_START:
        at -= 1
    at = max(at - 1, 0)
    if at == 0 or not "".join(line[:at]).strip():
        return []
    carry = line[at:]
    del line[at:]
    return carry


def _joined(lines: list[str]) -> str:
    """A paragraph's lines as one text: joined by a space between Latin words, by nothing between Chinese."""
    text = ""
    for line in (line.strip() for line in lines):
        wide = (text and display_width(text[-1]) == 2) or (line and display_width(line[0]) == 2)
        text = f"{text}{'' if wide or not text else ' '}{line}"
    return text


class ChineseFormatter(HelpFormatter):
    """Help pages and usage lines with Chinese headings and notes, laid out by the columns Chinese takes."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, 用法：…"""
        for english, chinese in _METAVARS.items():
            args = args.replace(english, chinese)
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        """A section's heading (参数：, 选项：, 命令：)."""
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        """A help text, its paragraphs wrapped to the width (a paragraph under a ``\\b`` line as it is)."""
        indent = " " * self.current_indent
        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":  # lines kept as they are, only those too long wrapped
                paragraphs.append("\n".join(self._raw(line) for line in lines[1:]))
            else:
                paragraphs.append("\n".join(indent + line for line in wrap(_joined(lines), self._room(0))))
        self.write("\n\n".join(paragraphs) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """The rows of options or commands (the kinds of value and the bracketed notes in Chinese), the second
        column aligned and wrapped by the columns each character takes."""
        rows = [(_KIND.sub(_kind, term), _notes_in_chinese(text)) for term, text in rows]
        first = min(max((display_width(term) for term, _ in rows), default=0), col_max)
        margin = " " * (self.current_indent + first + col_spacing)
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            gap = first + col_spacing - display_width(term)
            self.write(" " * gap if gap >= col_spacing else "\n" + margin)
            lines = wrap(text, self._room(first + col_spacing))
            self.write(lines[0] + "\n" + "".join(f"{margin}{line}\n" for line in lines[1:]))

    def _raw(self, line: str) -> str:
        """A line of a paragraph kept as it is, wrapped if it is too long (its next lines indented two more)."""
        lead = " " * (self.current_indent + len(line) - len(line.lstrip()))
        first, *rest = wrap(line, self._room(len(lead) - self.current_indent))
        return "\n".join([lead + first, *(f"{lead}  {more}" for more in rest)])

    def _room(self, taken: int) -> int:
        """Columns left for text after the indent and ``taken`` columns."""
        return max(self.width - self.current_indent - taken, 20)


def _kind(match: re.Match[str]) -> str:
    """A kind of value (``<int>``, or ``<list[str]>`` for an option given more than once) in Chinese."""
    return f"<{_KINDS.get(match.group(1), match.group(1))}>"


def _notes_in_chinese(text: str) -> str:
    """An option's help with Typer's note in brackets at its end put into Chinese (a bracket of other words stays)."""
    match = _NOTE.search(text)
    if match is None:
        return text
    parts = []
    for part in match.group(1).split("; "):
        for pattern, said in _NOTE_PARTS:
            if pattern.match(part):
                parts.append(pattern.sub(said, part))
                break
        else:
            return text
    return f"{text[:match.start()]}  [{'；'.join(parts)}]"


class ChineseContext(Context):
    """A context whose help and usage are written by ChineseFormatter."""

    formatter_class = ChineseFormatter


def summary(help_text: str | None, limit: int = SUMMARY_CHARACTERS) -> str:
    """A command's one-line summary: the first sentence of its help, cut (with …) where it is too long."""
    first = (help_text or "").strip().split("\n\n", 1)[0].replace("\n", "")
    end = first.find("。")
    sentence = first[: end + 1] if end != -1 else first
    if len(sentence) <= limit:
        return sentence
    cut = max(sentence.rfind(mark, 0, limit) for mark in "，；、：")
    return sentence[: cut if cut > limit // 2 else limit - 1] + "…"


class _Chinese:
    """What the CLI's commands and groups share: the Chinese context, help option and summary."""

    context_class: type[Context] = ChineseContext
    short_help: str | None
    help: str | None

    def get_help_option(self, ctx: Context) -> Any:
        """The -h/--help option, described in Chinese."""
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        """The summary shown in the group's list of commands (Click cuts Chinese text at spaces it does not have)."""
        return summary(self.short_help or self.help)


class ChineseCommand(_Chinese, TyperCommand):
    """A command of the xxgk CLI."""


class ChineseGroup(_Chinese, TyperGroup):
    """A command group of the xxgk CLI; the top one puts the usage errors raised below it into Chinese."""

    def make_context(self, info_name: str | None, args: list[str], parent: Context | None = None,
                     **extra: Any) -> Context:
        """Make the context, a usage error in it put into Chinese."""
        return _translated(lambda: super(ChineseGroup, self).make_context(info_name, args, parent, **extra))

    def invoke(self, ctx: Context) -> Any:
        """Run the command, a usage error or an abort in it put into Chinese."""
        try:
            return _translated(lambda: super(ChineseGroup, self).invoke(ctx))
        except Abort:
            echo("已取消", file=sys.stderr)
            raise Exit(1) from None


def _translated(call: Callable[[], _T]) -> _T:
    """``call()``, a usage error from it raised again in Chinese (a help page shown for no arguments passes)."""
    try:
        return call()
    except (NoArgsIsHelpError, ChineseUsageError):
        raise
    except ClickException as error:
        try:
            chinese = ChineseUsageError(error)
        except Exception:  # (Typer's internals changed: better its English than a traceback)
            raise error from None
        raise chinese from None


class Typer(typer.Typer):
    """typer.Typer whose groups and commands write their help and errors in Chinese."""

    def __init__(self, **settings: Any) -> None:
        settings.setdefault("cls", ChineseGroup)
        super().__init__(**settings)

    def command(self, name: str | None = None, *, cls: type[TyperCommand] | None = None,
                **settings: Any) -> Callable[[Any], Any]:
        """Register a command (a ChineseCommand unless ``cls`` says otherwise)."""
        return super().command(name, cls=cls or ChineseCommand, **settings)

