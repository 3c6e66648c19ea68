"""Ingest speed: reports per second into the store (SQLite, and PostgreSQL when a URL is given).

    python bench/ingest.py [--reports 10000] [--workers 2] [--postgres postgresql+psycopg://…]

The PostgreSQL URL may also come from ``XXGK_BENCH_PG_URL``.

Builds a corpus of ``--reports`` distinct report files in a temporary folder from the real
reports in examples/ and tests/data/corpus/: each copy multiplies every table number of a
report whose tables add up by the same integer (so every sum still holds), names another
agency (a real county of the packaged region table with the seed's kind of body) and moves the report to
another year of the same format. Then it ingests them with ``xxgk.store.Store`` and prints
reports per second (everything an ingest does: parse, check, store, the collection checks with
the copied-text search, the peers' refresh at the end), the time of ``stats`` over the stored
reports and of a full ``recheck``.
Nothing is asserted (speed is measured here, not in the test suite); the folder is removed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import xxgk
from xxgk.read import read

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted({p.read_bytes(): p for p in [*(ROOT / "examples").glob("*.txt"),
                                            *(ROOT / "tests" / "data" / "corpus").glob("*.txt")]}.values())
YEARS = {"2019": (2019, 2020), "2021": (2021, 2022, 2023, 2024)}


@dataclass(frozen=True, slots=True)
class Seed:
    """A real report whose numbers can be scaled: its text, where each number is, its agency and year."""

    name: str
    text: str
    spans: list[tuple[int, int, float]]  # offset, length, value of each table number
    agency: str
    body: str  # the agency's name without its region: 人民政府, 人民政府外事办公室 …
    year: int
    template: str


def seeds() -> list[Seed]:
    """The real reports fit to vary: tables read, sums holding, every number found at its place."""
    from xxgk.store.regions import locate

    out: list[Seed] = []
    for path in SEEDS:
        doc = read(path)
        report = xxgk.parse_document(doc)
        meta = report.meta
        if meta.template not in YEARS or not meta.agency or not meta.year or meta.agency not in doc.text:
            continue
        if any(f.rule.startswith("T") and f.severity == "error" for f in report.findings):
            continue  # the sums do not hold as published: scaling would not make a consistent report
        spans: list[tuple[int, int, float]] = []
        for key, source in report.provenance.items():
            table, row, column = _split(key)
            value = report.cell(table, row, column)
            if value is None or source.text != _shown(value) or doc.text[source.offset:].find(source.text) != 0:
                spans = []
                break
            spans.append((source.offset, len(source.text), float(value)))
        if len(spans) < 20 or len({s[0] for s in spans}) != len(spans):
            continue
        body = locate(meta.agency).rest or "人民政府"
        out.append(Seed(path.name, doc.text, sorted(spans), meta.agency, body, meta.year, meta.template))
    return out


def _split(key: str) -> tuple[str, str, str]:
    """``requests.denied.state_secret.total`` → table, row (dotted ids allowed), column."""
    table, rest = key.split(".", 1)
    row, column = rest.rsplit(".", 1)
    return table, row, column


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def counties() -> list[str]:
    """Real counties as ``省市县`` names (the packaged 行政区划代码 table), so the store finds their regions."""
    from xxgk.store.divisions import packaged

    table = packaged()
    return [table.region(d.code).label for d in table.rows.values() if d.level == 3]


def variant(seed: Seed, factor: int, agency: str, year: int, serial: int) -> str:
    """The seed with every table number times ``factor``, another agency and another year."""
    parts: list[str] = []
    last = 0
    for offset, length, value in seed.spans:
        parts.append(seed.text[last:offset])
        parts.append(_shown(value * factor))
        last = offset + length
    parts.append(seed.text[last:])
    text = "".join(parts).replace(seed.agency, agency)
    shift = {str(seed.year): str(year), str(seed.year + 1): str(year + 1)}
    text = re.sub(rf"{seed.year}|{seed.year + 1}", lambda m: shift[m.group(0)], text)
    return text + f"\n（样本编号 {serial}）\n"


def build_corpus(folder: Path, n: int) -> int:
    """Write ``n`` distinct reports into ``folder``; returns how many seeds they came from."""
    found = seeds()
    places = counties()
    for i in range(n):
        seed = found[i % len(found)]
        years = YEARS[seed.template]
        round_ = i // len(found)
        place = places[(round_ * 7919) % len(places)]
        agency = place + seed.body
        text = variant(seed, 1 + round_ % 9, agency, years[round_ % len(years)], i)
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
    return len(found)


def bench_ingest(url: str, folder: Path, workers: int) -> None:
    """Ingest the folder into an empty store and print the rate, then time the aggregate."""
    from xxgk.store import Store

    with Store(url) as store:
        start = time.perf_counter()
        summary = store.ingest([folder], workers=workers)
        seconds = time.perf_counter() - start
        print(f" {store.url.split(':')[0]:>10}: {summary.ok} reports in {seconds:.1f} s = "
              f"{summary.ok / seconds:.0f} reports/s ({workers} workers; skipped {summary.skipped}, "
              f"failed {summary.failed})")
        again = time.perf_counter()
        store.ingest([folder], workers=workers)
        print(f" {'':>10}  re-ingest (all skipped): {time.perf_counter() - again:.2f} s")
        bench_stats(store, url)
        start = time.perf_counter()
        done = store.recheck()
        print(f" {'':>10}  recheck ({done.agencies} agencies, {done.findings} collection findings): "
              f"{time.perf_counter() - start:.1f} s")


# The aggregate ``xxgk stats`` computes: per year and province, applications received,
# granted + partially granted over processed. Cells are summed per report first (the primary
# key's index covers that), then joined to the 10,000 reports rather than to every cell.
STATS_SQL = """
WITH per_report AS (
  SELECT report_id,
         SUM(CASE WHEN row_id = 'new_received' THEN value END) AS received,
         SUM(CASE WHEN row_id IN ('granted', 'partially_granted') THEN value END) AS granted,
         SUM(CASE WHEN row_id = 'total_processed' THEN value END) AS processed
  FROM cells
  WHERE table_id = 'requests' AND column_id = 'total'
    AND row_id IN ('new_received', 'granted', 'partially_granted', 'total_processed')
  GROUP BY report_id)
SELECT r.year, a.province, SUM(p.received) AS received, SUM(p.granted) / NULLIF(SUM(p.processed), 0) AS disclosure_rate
FROM per_report p JOIN reports r ON r.id = p.report_id LEFT JOIN agencies a ON a.id = r.agency_id
GROUP BY r.year, a.province
"""


def bench_stats(store: object, url: str) -> None:
    """Time the stats aggregate: ``xxgk stats`` if the command exists, else the SQL above."""
    from sqlalchemy import text

    engine = store.engine  # type: ignore[attr-defined]
    start = time.perf_counter()
    with engine.connect() as conn:
        groups = len(conn.execute(text(STATS_SQL)).all())
    print(f" {'':>10}  stats aggregate (SQL, {groups} year×province groups): {time.perf_counter() - start:.3f} s")
    from xxgk.store.stats import stats

    for by in ("province", "county"):
        start = time.perf_counter()
        frame = stats(engine, by=by)
        print(f" {'':>10}  xxgk.store.stats.stats(by={by!r}) ({len(frame)} groups, every figure): "
              f"{time.perf_counter() - start:.3f} s")
    command = [sys.executable, "-m", "xxgk", "stats", "--db", url]
    if "stats" in subprocess.run([sys.executable, "-m", "xxgk", "--help"], capture_output=True, text=True).stdout:
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
        print(f" {'':>10}  xxgk stats ({status}, whole command with start-up): {time.perf_counter() - start:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=10_000, help="reports to generate (default 10000)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--postgres", default=os.environ.get("XXGK_BENCH_PG_URL"),
                    help="also ingest into this PostgreSQL database (it should be empty; default $XXGK_BENCH_PG_URL)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-"))
    try:
        corpus = work / "reports"
        corpus.mkdir()
        start = time.perf_counter()
        used = build_corpus(corpus, args.reports)
        print(f"corpus: {args.reports} reports from {used} real ones in {time.perf_counter() - start:.1f} s")
        bench_ingest(f"sqlite:///{work / 'bench.db'}", corpus, args.workers)
        if args.postgres:
            bench_ingest(args.postgres, corpus, args.workers)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
