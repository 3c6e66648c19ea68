"""Rich consoles and tables for the commands' output, imported when a command prints (not for ``--help``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr) that does not colour numbers by itself."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def new_table(*headers: str, **options: Any) -> Table:
    """A Rich table with these column headers."""
    from rich.table import Table

    return Table(*headers, **options)


def plain(value: str, style: str = "") -> Text:
    """Text shown as it is written, never read as Rich markup (report text may hold ``[bold]`` or ``[ocr]``)."""
    from rich.text import Text

    return Text(value, style=style)
