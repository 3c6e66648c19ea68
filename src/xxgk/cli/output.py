"""Rich consoles and tables for the commands' output, imported when a command prints (not for ``--help``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


def console(stderr: bool = False) -> Console:
    """A console on stdout (or stderr) that does not colour numbers by itself."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def new_table(*headers: str, **options: Any) -> Table:
    """A Rich table with these column headers."""
    from rich.table import Table

    return Table(*headers, **options)
