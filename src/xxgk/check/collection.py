"""Rules over a collection of stored reports (scope "collection"): reports missing, text copied (内容雷同), a year
held more than once.

They need the other reports of the store, so ``xxgk check`` on files does not run them; the
store gathers the data they judge (an agency's reports, its peers' years, the copied-text search
in ``xxgk.store.similarity``) and runs them after each ingest through ``xxgk.store.collection``.
Here: their registry entries, the judgement on plain data, and the findings' wording. Being conservative matters: a missing report is claimed only between two
years the agency did report, or when nearly all of its peers have the next year's report.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from xxgk.check.rules import get, rule
from xxgk.model import Finding, Report
from xxgk.templates import statutory

# "Behind its peers": at least this many peers (same level, same province) have last year's
# report, and at least this share of them have this year's too.
MIN_PEERS = 3
PEER_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A stored report as collection checks see it: ids, and a Report with meta and tables only."""

    id: int
    agency_id: int
    year: int | None
    report: Report


@dataclass(frozen=True, slots=True)
class CollectionFinding:
    """A finding on one stored report, maybe naming the other report it was compared with."""

    report_id: int
    finding: Finding
    related_report_id: int | None = None


def _inert(*_: object) -> Iterator[Finding]:
    """Registry entry only: the store runs these rules (see the module docstring)."""
    return iter(())


rule("COLL-MISSING-YEAR", "warning", "同一机关缺少中间某一年度的报告（库中有前后两年的报告）（库内多份报告比较）",
     "条例第四十九条：每年均应公布上一年度报告", "库中有某局2021、2023年度报告，没有2022年度报告",
     scope="collection")(_inert)
rule("COLL-MISSING-LATEST", "info", "同地区同级别的机关大多已有下一年度的报告，本机关没有（库内多份报告比较）",
     "条例第四十九条：每年均应公布上一年度报告（也可能只是尚未收录）",
     "同省5个部门中有5个已有2024年度报告，某局只有到2023年度的报告", scope="collection")(_inert)
rule("COLL-COPY-PREVIOUS", "warning", "正文（一、五、六部分）与本机关上一年度报告大段雷同（库内多份报告比较）",
     "国办公开办函〔2021〕30号（四）明确责任：年度报告内容雷同、敷衍塞责的依法追责",
     "2023年度报告第五部分与2022年度报告第五部分重复率92%", scope="collection")(_inert)
rule("COLL-COPY-OTHER", "warning", "正文（一、五、六部分）与其他机关同一年度的报告大段雷同（库内多份报告比较）",
     "国办公开办函〔2021〕30号（四）明确责任：年度报告内容雷同、敷衍塞责的依法追责",
     "某局与另一局2023年度报告的第五部分重复率88%", scope="collection")(_inert)
rule("COLL-DUPLICATE", "info", "同一机关同一年度的报告库中不止一份：副本（表格数字相同，或只是一份有单元格未读出）为提示，"
     "不同的版本（数字不同）为警告；统计、评分、对比只计其中一份（单独成文件的先于汇编中的一份，其次发布日期最晚的，"
     "再次读出的单元格较多的，最后是最后入库的）（库内多份报告比较）",
     "每个机关每年一份年度报告（条例第四十九条）；同一报告重复入库会使汇总重复计算",
     "同一报告先后下载两次（换行符不同）、PDF 与 Word 各一份、汇编中的一份又单独入库，或更正后重新发布", scope="collection")(_inert)


def _section(kind: str) -> str:
    """The section's statutory heading (``五、存在的主要问题及改进情况``)."""
    return statutory().section_by_id(kind).heading


def copied_from_previous(kind: str, year: int, share: float) -> Finding:
    """The finding for a section repeating last year's report of the same agency."""
    return get("COLL-COPY-PREVIOUS").finding(
        f"sections.{kind}",
        f"“{_section(kind)}”部分与本机关{year - 1}年度报告的相应部分重复率为{share:.0%}"
        f"（不计各报告共有的套话），内容可能照搬上年")


def copied_from_other(kind: str, year: int, share: float, agency: str | None, report_id: int) -> Finding:
    """The finding for a section repeating another agency's report of the same year."""
    other = f"“{agency}”" if agency else "另一机关"
    return get("COLL-COPY-OTHER").finding(
        f"sections.{kind}",
        f"“{_section(kind)}”部分与{other}{year}年度报告（库内报告 {report_id}）的相应部分重复率为{share:.0%}"
        f"（不计各报告共有的套话），内容雷同")


def gaps(years: set[int]) -> Iterator[tuple[int, int, int]]:
    """The years missing between two reported ones, each with the years before and after it
    (2021 and 2023 but not 2022 → (2022, 2021, 2023))."""
    reported = sorted(years)
    for before, after in itertools.pairwise(reported):
        for year in range(before + 1, after):
            yield year, before, after


def behind_peers(latest: int, peers: dict[int, set[int]]) -> tuple[int, int] | None:
    """(peers with ``latest``'s report, of which with the next year's) when nearly all moved on without us."""
    with_latest = [years for years in peers.values() if latest in years]
    moved_on = sum(latest + 1 in years for years in with_latest)
    if len(with_latest) >= MIN_PEERS and moved_on >= PEER_SHARE * len(with_latest):
        return len(with_latest), moved_on
    return None


def missing_reports(reports: list[StoredReport], peers: dict[int, set[int]]) -> Iterator[CollectionFinding]:
    """Reports one agency should have in the store: a year between two reported ones, or the year its peers
    (the years reported by each agency of the same level and province) have."""
    by_year = {s.year: s for s in sorted(reports, key=lambda s: s.id) if s.year is not None}
    if not by_year:
        return
    for year, before, after in gaps(set(by_year)):
        yield CollectionFinding(by_year[after].id, get("COLL-MISSING-YEAR").finding(
            "meta.year", f"库中有本机关{before}年度和{after}年度的报告，缺少{year}年度的报告"), by_year[before].id)
    latest = max(by_year)
    found = behind_peers(latest, peers)
    if found is not None:
        with_latest, moved_on = found
        yield CollectionFinding(by_year[latest].id, get("COLL-MISSING-LATEST").finding(
            "meta.year",
            f"库中同地区同级别的机关有{latest}年度报告的{with_latest}个中，{moved_on}个已有{latest + 1}年度报告；"
            f"本机关只有到{latest}年度的报告，缺少{latest + 1}年度的报告（或尚未收录）"))
