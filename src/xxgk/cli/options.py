"""Options shared by several commands (light: imported when the command line is built), and their checks."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Annotated, NoReturn

import typer

from xxgk.cli.database import EXIT_UNUSABLE

Trusted = Annotated[bool, typer.Option(
    "--trusted", help="文件可信：在本进程中读取，不设时间和内存上限（更快；来历不明的文件不要用）。"
                      "默认每份文件在受监视的子进程中读取（上限见环境变量 XXGK_READ_SECONDS、XXGK_READ_MEMORY_MB）")]


def _stop(message: str) -> NoReturn:
    """A usage error: one line on stderr, exit status 2."""
    sys.stderr.write(" ".join(message.split()) + "\n")
    raise typer.Exit(EXIT_UNUSABLE)


def rule_ids(given: list[str] | None) -> tuple[str, ...]:
    """The rule ids of ``--rule`` (given any number of times), in the registry's spelling whatever their case;
    an id no rule has ends the command, naming the known ids closest to it (a typo matched nothing silently)."""
    if not given:
        return ()
    from xxgk.check.rule_ids import UnknownRule
    from xxgk.check.rule_ids import rule_ids as known_ids

    try:
        return known_ids(given)
    except UnknownRule as err:
        _stop(f"错误：--rule {err}（xxgk rules 列出全部规则）")


def level_id(value: str | None, levels: Mapping[str, str]) -> str | None:
    """The level id ``--level`` names: an id of ``levels`` (id → Chinese name) or its Chinese name (政府、部门、
    乡镇、乡镇街道、乡镇（街道）、未识别 …); a wrong one ends the command listing both forms."""
    if value is None:
        return None
    from xxgk.store.roster_file import level_word

    text = value.strip()
    found = text.lower() if text.lower() in levels else level_word(text) or {n: i for i, n in levels.items()}.get(text)
    if found is None or found not in levels:
        _stop(f"错误：--level 的级别应为 {'、'.join(f'{n}/{i}' for i, n in levels.items())} 之一：{value}")
    return found
