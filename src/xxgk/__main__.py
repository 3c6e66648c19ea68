"""``python -m xxgk``: the same as the ``xxgk`` command."""

from xxgk.cli.main import run

run()
