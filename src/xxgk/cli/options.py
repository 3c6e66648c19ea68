"""Options shared by several commands (light: imported when the command line is built)."""

from __future__ import annotations

from typing import Annotated

import typer

Trusted = Annotated[bool, typer.Option(
    "--trusted", help="文件可信：在本进程中读取，不设时间和内存上限（更快；来历不明的文件不要用）。"
                      "默认每份文件在受监视的子进程中读取（上限见环境变量 XXGK_READ_SECONDS、XXGK_READ_MEMORY_MB）")]
