"""Digits run together in a row of 表二, cut the way the report's own prose confirms.

表二 has no arithmetic: ``行政规范性文件6233440`` can be 62/33/440 or 6/233/440 or …, and
the row is null. When the report's text states one of the row's quantities (``制发规范性文件
62件``; the verbs of each column are declared in ``statutory.toml`` as ``prose``), only the cuts
that agree with it remain; the cells all of them agree on are taken, with a finding that
quotes the sentence. A statement no cut agrees with speaks of something else and is ignored.
"""

from __future__ import annotations

import re
from functools import cache

from xxgk.model import Finding
from xxgk.parse.cells import Cell
from xxgk.parse.digits import bounded, splits
from xxgk.parse.normalize import compact
from xxgk.parse.rows import row_forms
from xxgk.parse.tables import TableRead
from xxgk.templates import Column, Row, Table

_GAP = r"[^\d,.。;:!?、\n]"
_UNIT = r"(?:件|个|部|项|份|篇)"
_NUMBER = re.compile(rf"{_GAP}{{0,4}}?(\d+){_UNIT}")
_SENTENCES = re.compile(r"[^。;!?\n]+")
_OTHER_TIME = re.compile(r"上年|去年|历年|同比|截至|截止")


@cache
def _label(forms: tuple[str, ...]) -> re.Pattern[str]:
    """A row's label in prose (``规章`` but not ``规章制度``)."""
    return re.compile("(?:" + "|".join(re.escape(f) for f in forms) + ")(?!制度|性)")


def _verbs(columns: tuple[Column, ...]) -> tuple[tuple[re.Pattern[str], int], ...]:
    """Each column's verbs, longest first, with the column's index."""
    return _verb_patterns(tuple(c.prose for c in columns))


@cache
def _verb_patterns(proses: tuple[tuple[str, ...], ...]) -> tuple[tuple[re.Pattern[str], int], ...]:
    pairs = [(v, i) for i, prose in enumerate(proses) for v in prose]
    return tuple((re.compile(re.escape(v)), i) for v, i in sorted(pairs, key=lambda p: -len(p[0])))


def statements(prose: str, row: Row, columns: tuple[Column, ...],
               others: tuple[Row, ...]) -> list[tuple[int, int, str]]:
    """(column index, value, sentence) for each quantity of the row the prose states.

    ``制发规范性文件62件``: a verb before the label, the number after it; ``规范性文件制发62件，
    废止33件，现行有效440件``: verbs after the label, each with its number, until another row's
    label (``others``) or the end of the sentence.
    """
    out: list[tuple[int, int, str]] = []
    label = _label(row_forms(row))
    other = _label(tuple(f for r in others for f in row_forms(r) if f not in row_forms(row))) if others else None
    verbs = _verbs(columns)
    for sm in _SENTENCES.finditer(prose):
        sentence = sm.group()
        for lm in label.finditer(sentence):
            # Quote the clause (lines joined without a full stop may make a sentence a page long).
            lo = max(sentence.rfind(",", 0, lm.start()) + 1, lm.start() - 24)
            quote = sentence[lo:][:70]
            if _OTHER_TIME.search(sentence, max(0, lm.start() - 10), lm.start()):
                continue
            before = sentence[max(0, lm.start() - 12) : lm.start()]
            number = _NUMBER.match(sentence, lm.end())
            for vp, i in verbs:
                hit = list(vp.finditer(before))
                if hit and number and not re.search(r"\d|[,、]", before[hit[-1].end() :]):
                    out.append((i, int(number.group(1)), quote))
                    break
            stop = other.search(sentence, lm.end()) if other else None
            tail_end = stop.start() if stop else len(sentence)
            pos = lm.end()
            while pos < tail_end:
                found = [(m, i) for vp, i in verbs if (m := vp.search(sentence, pos, tail_end))]
                if not found:
                    break
                m, i = min(found, key=lambda f: (f[0].start(), -len(f[0].group())))
                n = _NUMBER.match(sentence, m.end())
                if n and n.end() <= tail_end:
                    out.append((i, int(n.group(1)), quote))
                pos = m.end()
    return out


def confirm_by_prose(read: TableRead, table: Table, text: str) -> None:
    """Cut the glued rows of ``read`` where the report's prose (``text``) settles the cut."""
    if read.data is None or not read.glued or read.template is None:
        return
    prose = compact(text)
    for row_id, cells in list(read.glued.items()):
        row = table.row_by_id(row_id)
        columns = table.row_columns(row, read.template)
        found = bounded(splits([c.norm for c in cells], len(columns)))
        if not found:
            continue
        agreeing: list[tuple[int, ...]] = list(found)
        quotes: list[str] = []
        others = tuple(r for r in table.rows_for(read.template) if r.id != row_id)
        for i, value, quote in statements(prose, row, columns, others):
            narrowed = [c for c in agreeing if c[i] == value]
            if narrowed:
                agreeing, quotes = narrowed, [*quotes, quote]
        if not quotes:
            continue
        settled = {i: agreeing[0][i] for i in range(len(columns)) if len({c[i] for c in agreeing}) == 1}
        _apply(read, table, row, columns, cells, settled, quotes)


def _apply(read: TableRead, table: Table, row: Row, columns: tuple[Column, ...], cells: list[Cell],
           settled: dict[int, int], quotes: list[str]) -> None:
    assert read.data is not None and read.template is not None
    where = f"{table.id}.{row.id}"
    label = row.label_for(read.template)
    digits = "".join(c.norm for c in cells)
    for i, value in settled.items():
        read.data[row.id][columns[i].id] = value
        read.sources[f"{where}.{columns[i].id}"] = cells[0]
    read.findings = [f for f in read.findings if not (f.where == where and f.rule == "PARSE-DIGITS-AMBIGUOUS")]
    said = "；".join(f"“{q}”" for q in dict.fromkeys(quotes))
    cut = "、".join(f"{columns[i].label_for(read.template)}{v}" for i, v in sorted(settled.items()))
    read.findings.append(Finding(
        rule="PARSE-DIGITS-PROSE", severity="info", where=where,
        message=f"“{label}”的数字连在一起（“{digits}”），正文{said}印证了拆分：{cut}"))
    left = [columns[i].label_for(read.template) for i in range(len(columns)) if i not in settled]
    if left:
        read.findings.append(Finding(
            rule="PARSE-DIGITS-AMBIGUOUS", severity="warning", where=where,
            message=f"“{label}”的数字连在一起（“{digits}”），正文只印证了部分数值，{'、'.join(left)}仍无法确定，按空缺处理，请核对原文"))
    del read.glued[row.id]
