"""Benchmark: the monitor and grading on a synthetic roster of 3,000 bodies with 10,000 stored reports.

    python bench/review.py [--bodies 3000] [--reports 10000] [--db sqlite:///bench-review.db]

The store is filled directly (agencies, documents, reports, findings, the roster and whose each
report is), with findings drawn from the rules the default grading profile weighs, so that what is
timed is the monitor's and the grader's own work: ``monitor`` for one year (every body, its status,
its report's grade, ranks, the region tree) and grading every stored report. Prints both figures;
targets: monitor under 1 s, grading all under 30 s, on one core.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from xxgk.db import roster_schema, store_schema
from xxgk.db.engine import writing
from xxgk.store import Store
from xxgk.store.divisions import packaged
from xxgk.store.grade import default_profile
from xxgk.store.monitor import monitor
from xxgk.store.scores import score_reports

DEPARTMENTS = ["人民政府办公室", "发展和改革委员会", "教育委员会", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "规划和自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局"]
YEARS = (2024, 2023, 2022, 2021)


def fill(store: Store, bodies: int, reports: int, seed: int = 15) -> None:
    """A roster of ``bodies`` (a government, departments and townships per county) and ``reports`` stored reports."""
    rng = random.Random(seed)
    table = packaged()
    per_county = 1 + len(DEPARTMENTS) + 4
    counties = [d for d in table.rows.values() if d.level == 3][: (bodies + per_county - 1) // per_county]
    profile = default_profile()
    rules = [*sorted(profile.rules), "PARSE-CELL-BLANK"]
    now = datetime.now(UTC)
    roster: list[dict[str, object]] = []
    for county in counties:
        label = table.region(county.code).label
        names = [(label + "人民政府", "government")] + [(label + d, "department") for d in DEPARTMENTS]
        names += [(f"{label}第{i}镇人民政府", "township") for i in range(1, 5)]
        for name, level in names:
            if len(roster) < bodies:
                roster.append({"name": name, "key": name, "level": level, "region_code": county.code, "aliases": [],
                               "created_at": now, "updated_at": now})
    with writing(store.engine) as conn:
        conn.execute(insert(roster_schema.RosterBody), roster)
        agencies = [{"name": b["name"], "key": b["name"], "level": b["level"], "county_code": b["region_code"],
                     "region_overridden": False, "created_at": now} for b in roster]
        conn.execute(insert(store_schema.Agency), agencies)
    documents, stored, findings, owners = [], [], [], []
    slots = [(i, year) for year in YEARS for i in range(len(roster))]
    for report_id, (body_index, year) in enumerate(slots[:reports], start=1):
        deadline = profile.deadline(str(roster[body_index]["level"]), year)
        assert deadline is not None  # every level of the roster has one
        published = deadline - timedelta(days=rng.randint(-20, 40))
        documents.append({"id": report_id, "sha256": f"{report_id:064x}", "name": f"r{report_id}.html",
                          "origin": f"https://example.gov.cn/{report_id}.html", "format": "html", "size": 1000,
                          "created_at": now})
        count = rng.choice((0, 1, 2, 3, 5, 8, 12))
        stored.append({"id": report_id, "document_id": report_id, "agency_id": body_index + 1,
                       "agency_name": roster[body_index]["name"], "year": year, "template": "2021",
                       "title": f"{roster[body_index]['name']}{year}年政府信息公开工作年度报告", "published": published,
                       "parser_version": "bench", "data": {}, "errors": count // 3, "warnings": count - count // 3,
                       "infos": 0, "parsed_at": now})
        for _ in range(count):
            rule = rng.choice(rules)
            findings.append({"report_id": report_id, "scope": "collection" if rule.startswith("COLL") else "report",
                             "rule": rule, "severity": "warning", "location": "requests.granted.total",
                             "message": "基准测试中的问题", "quote": None})
        owners.append({"report_id": report_id, "body_id": body_index + 1, "method": "name", "linked_at": now})
    with writing(store.engine) as conn:
        for rows, model in ((documents, store_schema.Document), (stored, store_schema.Report),
                            (findings, store_schema.Finding), (owners, roster_schema.RosterReport)):
            for start in range(0, len(rows), 2000):
                conn.execute(insert(model), rows[start:start + 2000])


def timed(label: str, runs: int, work: object) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        result = work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    print(f"{label}: {best:.2f} s (best of {runs}) — {result}")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=3000)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    started = time.perf_counter()
    sum(range(10**7))
    print(f"machine: sum(range(10**7)) in {time.perf_counter() - started:.2f} s (about 0.2 s on an idle core: "
          "a shared, loaded machine makes every figure below slower by the same ratio)")
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench-review.db'}"
        with Store(url) as store:
            started = time.perf_counter()
            fill(store, args.bodies, args.reports)
            print(f"filled {args.bodies} bodies, {args.reports} reports in {time.perf_counter() - started:.1f} s ({url})")
            monitor(store.engine, YEARS[0])  # first look: the roster's reports examined once
            seconds = timed(f"monitor --year {YEARS[0]} ({args.bodies} bodies)", 3,
                            lambda: f"{len(monitor(store.engine, YEARS[0]).rows)} rows")
            graded = timed(f"grade all ({args.reports} reports)", 1,
                           lambda: f"{len(score_reports(store.engine, default_profile()))} reports graded")
    print(f"targets: monitor < 1 s ({'met' if seconds < 1 else 'NOT met'}), grading all < 30 s "
          f"({'met' if graded < 30 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
