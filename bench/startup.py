"""Start-up: how long ``xxgk --help`` and ``xxgk parse`` of one small text file take, as whole processes.

``xxgk parse`` reads the file in a watched process (forked from the command, limits on time and
memory); ``--trusted`` reads it in the command's own process. The gap between the two lines is
what the guard costs a one-off command.

    python bench/startup.py [--runs 15]

Runs each command ``--runs`` times in turn with the interpreter of this environment, after one
warm-up run each (which also writes the bytecode caches), and prints the median and the spread
of the wall time and of the CPU time (user + system, from the operating system's accounting of
the finished child). Two yardsticks run beside them: the bare interpreter (``python -c pass``)
and the Typer application alone, its floor. Nothing is asserted: speed is measured here, not in
the test suite (``tests/test_cli_startup.py`` checks instead that the commands import nothing heavy).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL_REPORT = ROOT / "examples" / "wulong_2022.txt"
TYPER_ALONE = "import typer; app = typer.Typer(rich_markup_mode=None); app.command()(lambda: None); app(['--help'])"


def commands() -> dict[str, list[str]]:
    py = sys.executable
    return {
        "python -c pass": [py, "-c", "pass"],
        "typer --help (floor)": [py, "-c", TYPER_ALONE],
        "xxgk --help": [py, "-m", "xxgk.cli", "--help"],
        f"parse {SMALL_REPORT.name} (watched)": [py, "-m", "xxgk.cli", "parse", str(SMALL_REPORT)],
        f"parse {SMALL_REPORT.name} --trusted": [py, "-m", "xxgk.cli", "parse", "--trusted", str(SMALL_REPORT)],
        f"parse {SMALL_REPORT.name} --json": [py, "-m", "xxgk.cli", "parse", str(SMALL_REPORT), "--json"],
    }


def timed(argv: list[str]) -> tuple[float, float]:
    """Run a command; its wall time and CPU time (user + system) in seconds."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env, timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    runs = max(1, min(args.runs, 200))
    todo = commands()
    for argv in todo.values():  # warm-up: bytecode caches, disk cache
        timed(argv)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in todo}
    for _ in range(runs):  # in turn, so that a change in the machine's load touches every command alike
        for name, argv in todo.items():
            results[name].append(timed(argv))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"xxgk start-up, {runs} runs each, {os.cpu_count()} cores, load average {load}")
    print(f"{'command':<34} {'wall median':>12} {'(min–max)':>16} {'cpu median':>11}")
    for name, found in results.items():
        walls = sorted(w for w, _ in found)
        cpus = [c for _, c in found]
        print(f"{name:<34} {statistics.median(walls) * 1000:9.0f} ms {walls[0] * 1000:7.0f}–{walls[-1] * 1000:<6.0f} ms"
              f" {statistics.median(cpus) * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
