"""Cells of a table region → which run of numbers belongs to which template row.

Rows are matched by their labels and the template's order, never by position alone: the
cells are grouped into runs of numbers, each run is scored against every row label by the
text around it, and a monotone alignment picks the best assignment (rows may be missing,
runs may be noise).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from xxgk.parse.cells import Cell
from xxgk.parse.lost import MARK, ORDINAL, spells
from xxgk.parse.memo import by_identity
from xxgk.parse.normalize import norm_label
from xxgk.parse.vocabulary import header_words
from xxgk.templates import Row

# Scores: an exact label beats a fuzzy one; text right next to the numbers beats text far off.
_EXACT = 1.0
# A label printed after its numbers (PDF text in reading order) is weak evidence: it must
# not let the alignment shift every row by one.
_AFTER_NUMBERS = 0.45
_FUZZY_MIN = 0.75
# Another row's number (``4.``, ``(五)``, ``三、``): an exact label with one between it and the numbers is not theirs.
_NUMBERED = re.compile(r"(?<![\d.])\d{1,2}\.(?=[^\d])|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、"
                       r"|\(\d{1,2}\)|[①-⑩]")
_CONTEXT = 80  # characters of text on each side of a run worth looking at
# A label spelt around its numbers (below exact, above fuzzy); with pieces of the spanning column
# beside it skipped, weaker. Forms this long at least; skipped pieces this long at most, this many.
_WRAPPED, _WRAPPED_SKIPPING = 0.95, 0.85
_WRAP_MIN, _WRAP_GAP, _WRAP_PIECES = 4, 6, 3


@dataclass(slots=True)
class Run:
    """Consecutive number/blank cells, with the text before and after them."""

    cells: list[Cell]
    pre: str
    post: str
    has_numbers: bool = False
    # The text cell right before the numbers (its row's label, or the part of it on their line).
    beside: str = ""

    def __post_init__(self) -> None:
        self.has_numbers = any(c.kind in ("number", "na") for c in self.cells)


def cells_to_runs(cells: list[Cell]) -> list[Run]:
    """Group cells into runs of values, keeping the compact text between them."""
    runs: list[Run] = []
    texts: list[str] = []
    current: list[Cell] = []
    for cell in cells:
        if cell.kind == "text":
            if current:
                runs.append(Run(current, "".join(texts), "", beside=texts[-1] if texts else ""))
                current, texts = [], []
            texts.append(cell.norm)
        else:
            current.append(cell)
    if current:
        runs.append(Run(current, "".join(texts), "", beside=texts[-1] if texts else ""))
        texts = []
    for i, run in enumerate(runs):
        run.pre = run.pre[-_CONTEXT:]
        run.post = runs[i + 1].pre[:_CONTEXT] if i + 1 < len(runs) else "".join(texts)[:_CONTEXT]
    return runs


def row_forms(row: Row) -> tuple[str, ...]:
    """The comparable spellings of a row label, longest first."""
    return _row_forms(row)[0]


def printed_forms(row: Row) -> tuple[str, ...]:
    """The row's labels as declared, and without their list marker: ``row_forms`` but the markers
    written otherwise (enough for matching a garbled label, which does not hinge on its marker)."""
    return _row_forms(row)[1]


def short_cores(row: Row) -> tuple[str, ...]:
    """The row's labels without their list marker where that leaves fewer than four characters (``总计``)."""
    return _row_forms(row)[2]


@by_identity
def _row_forms(row: Row) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    printed: set[str] = set()
    marked: set[str] = set()
    short: set[str] = set()
    for label in row.labels():
        f = norm_label(label)
        printed.add(f)
        marked.update(_marked_otherwise(f))
        core = ORDINAL.sub("", f)
        if len(core) >= 4:
            printed.add(core)
        elif len(core) >= 2:
            short.add(core)
    return (tuple(sorted(printed | marked, key=len, reverse=True)), tuple(sorted(printed, key=len, reverse=True)),
            tuple(short))


# A label's list marker as reports also write it: ``(七)`` as ``七)`` (its bracket lost in the crawl)
# or ``七、``; ``3.`` as ``(3)``, ``3)`` or ``③``. Short labels (``(七)总计``, ``3.其他``) are told
# from a column's header or another group's row only by their marker.
_MARKER = re.compile(r"\(([一二三四五六七八九十]+)\)|(\d{1,2})\.")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _marked_otherwise(form: str) -> tuple[str, ...]:
    """The other spellings of a compact label's leading list marker."""
    m = _MARKER.match(form)
    if m is None:
        return ()
    rest = form[m.end():]
    if m.group(1) is not None:
        return f"{m.group(1)}){rest}", f"{m.group(1)}、{rest}"
    n = int(m.group(2))
    circled = (_CIRCLED[n - 1] + rest,) if 1 <= n <= len(_CIRCLED) else ()
    return f"({n}){rest}", f"{n}){rest}", *circled


def label_score(forms: tuple[str, ...], run: Run, labels: tuple[str, ...] = ()) -> float:
    """How well the text around ``run`` names the row exactly (0 = not at all).

    ``labels``: every form of the table's row labels (for telling where another row's label begins).
    """
    best = 0.0
    pre = run.pre
    for f, top, low in _scored_forms(forms):
        if best >= top:
            continue  # the most this form can score (right before the numbers): no better than found
        i = pre.rfind(f)
        if i >= 0:
            gap = len(pre) - (i + len(f))
            end = i + len(f)
            if gap:  # (a label right before the numbers has no mark after it)
                end += _footnote_mark(pre[end:], run.post, labels)
            if gap and (_NUMBERED.search(pre, end) or _label_begins(pre[end:], labels)):
                # Another label stands between this one and the numbers, numbered (``3.要求提供公开出版物``
                # ``4.无正`` ``0 0 …``) or just its first characters (``申请人`` of ``申请人逾期未按…``): the
                # numbers are that row's, whose label goes on below them; if that row cannot be found,
                # they are left unplaced rather than given to this one.
                continue
            if gap and MARK in pre[i + len(f) :] and not _continued(forms, f, pre[i + len(f) :]):
                # Words with a lost character between this label and the numbers, not the rest of
                # it (``行政许可`` … ``行??罚`` ``4119``): the numbers may be that unreadable label's row.
                continue
            best = max(best, top - min(0.2, 0.004 * gap))
        elif run.has_numbers:
            j = run.post.find(f)
            if j >= 0:
                best = max(best, low - min(0.2, 0.004 * j))
    return best


@by_identity
def _scored_forms(forms: tuple[str, ...]) -> tuple[tuple[str, float, float], ...]:
    """Each form with the most it scores before the numbers and after them (less the distance)."""
    return tuple((f, _EXACT + 0.002 * len(f), _AFTER_NUMBERS + 0.002 * len(f)) for f in forms)


# A short label printed without its list marker (``总计`` for ``(七)总计``, ``其他`` for ``3.其他``) is also
# a column's header: it names a row only as the whole text between two rows' numbers.
_ALONE = 0.9


def alone_score(row: Row, run: Run, labels: frozenset[str]) -> float:
    """The row's short label, its marker left out, as all the text before these numbers: once, or
    repeated after its group's label (a grid's spanning cells, as Markdown repeats them)."""
    if not run.has_numbers or not run.pre:
        return 0.0
    for core in short_cores(row):
        if run.pre.endswith(core):
            head = run.pre
            while head.endswith(core):
                head = head[: -len(core)]
            if not head or head in labels or head in _captions(row) or _ANY_MARKER.fullmatch(head):
                return _ALONE
    return 0.0


# A list marker alone, of any number (items numbered otherwise than the form: 1 to 19 straight through, or
# ``7.总计`` for （七）总计): before a short label it makes it a row's, not a column's header.
_ANY_MARKER = re.compile(r"\d{1,2}[.、)]|\(\d{1,2}\)|[①-⑳]|\(?[一二三四五六七八九十]{1,3}[)、]")


# A footnote mark on a label (``行政许可①``, ``行政处罚(1)``), right after it.
_FOOTNOTE = re.compile(r"[①-⑩]|\(\d{1,2}\)")


def _footnote_mark(gap: str, post: str, labels: tuple[str, ...]) -> int:
    """The length of the footnote mark that begins ``gap`` (0 if none): a mark a row's label does not
    go on from, after it or after the numbers (``(1)属于国家秘密``, ``(1)`` ``0 0 …`` ``属于国家秘密``)."""
    m = _FOOTNOTE.match(gap)
    if m is None:
        return 0
    mark, rest = m.group(), gap[m.end():]
    begins: tuple[str, ...] = ()
    if len(rest) >= 2:  # the mark and the text after it begin a label (or that text does)
        begins = (rest[:2], mark + rest[:2])
    elif not rest:  # the label goes on after the numbers
        if len(post) >= 2:
            begins = (mark + post[:2],)
    else:
        begins = (mark + rest,)
    if any(f.startswith(b) for f in labels for b in begins):
        return 0
    return m.end()


def _label_begins(gap: str, labels: tuple[str, ...]) -> bool:
    """Whether the text between a label and its numbers ends with the beginning of a row's label (the
    label going on after the numbers): three characters of it at least, or two that are all the text."""
    starts, longest = _label_starts(labels)
    if gap in starts:
        return True
    return any(gap[-k:] in starts for k in range(3, min(len(gap), longest) + 1))


@by_identity
def _label_starts(labels: tuple[str, ...]) -> tuple[frozenset[str], int]:
    """The beginnings of these labels (two characters up to all but the last), and the longest's length."""
    starts = frozenset(f[:k] for f in labels for k in range(2, len(f)))
    return starts, max((len(s) for s in starts), default=0)


def _captions(row: Row) -> tuple[str, ...]:
    """The comparable spellings of the captions over a row: its stub, its group, and the two together, each
    also without its list marker (a table printed unnumbered: ``其他处理`` over ``其他``)."""
    stub, group = (norm_label(t) if t else "" for t in (row.stub, row.group))
    bare_stub, bare_group = (ORDINAL.sub("", t) for t in (stub, group))
    return tuple(dict.fromkeys(c for c in (stub, group, stub + group, bare_stub, bare_group, bare_stub + bare_group) if c))


def _continued(forms: tuple[str, ...], form: str, gap: str) -> bool:
    """Whether ``gap`` is how a longer form of the same row goes on after ``form``, some of its
    characters lost (``逾期不补正`` ``、行??关?再处理…`` of 申请人无正当理由逾期不补正、行政机关不再处理…)."""
    for longer in forms:
        at = longer.find(form)
        rest = longer[at + len(form) :] if at >= 0 else ""
        if spells(gap, rest):
            return True
    return False


def named_past_a_header(forms: tuple[str, ...], run: Run) -> bool:
    """Whether the row's label stands only after these numbers, with a table's caption or a column's
    header in between (``447228`` ``- 3 -`` ``信息内容`` ``行政处罚``).

    PDF text read in blocks lists a block's labels, then its numbers, then the next block's caption
    and labels: a label past a header may be the next block's, and these numbers those of a label
    before them. Text read in columns also prints a block's numbers before its captions, and then
    the label after is theirs. Either may be: such a row's numbers are kept with a warning.
    """
    if not run.has_numbers:
        return False
    pre = run.pre
    for f in forms:
        if f in pre:
            return False
    header = header_words()
    for f in forms:
        j = run.post.find(f)
        if j > 0 and header.search(run.post, 0, j) is not None:
            return True
    return False


def fuzzy_score(forms: tuple[str, ...], run: Run) -> float:
    """Labels garbled by the crawl (characters lost, words broken around the numbers)."""
    best = 0.0
    pre, post, has_numbers = run.pre, run.post, run.has_numbers
    for f, n, chars, repeats in _fuzzy_forms(forms):
        window = pre[-(2 * n + 10) :]
        if has_numbers:
            window += post[: n // 2]
        if len(window) < n * 0.6:
            continue
        if len(window) >= n:
            # A cheap bound first, which spares the comparison most windows (another row's label) call
            # for. The ratio is 2·matched / (n + len(piece)) for a piece of the window, matched characters
            # at most as many as the piece's: no more than 2·c / (c + n), c the characters of the form the
            # window holds at all (each distinct one counted once, plus every repeat).
            c = min(n, sum(map(window.__contains__, chars)) + repeats)
            if 2 * c < _FUZZY_MIN * (c + n):
                continue
        ratio = fuzz.partial_ratio(f, window, score_cutoff=_FUZZY_MIN * 100) / 100.0
        if len(window) < n:
            ratio *= len(window) / n
        if ratio >= _FUZZY_MIN:
            best = max(best, 0.9 * ratio)
    return best


@by_identity
def _fuzzy_forms(forms: tuple[str, ...]) -> tuple[tuple[str, int, frozenset[str], int], ...]:
    """The forms worth a fuzzy comparison (six characters or more), each with its length, its
    characters and how many of them repeat."""
    return tuple((f, len(f), frozenset(f), len(f) - len(set(f))) for f in forms if len(f) >= 6)


def wrapped_score(forms: tuple[str, ...], run: Run) -> float:
    """A label wrapped around its numbers: a tall cell's lines before and after the line holding them.

    Text read line by line from a page (a PDF's text, a converter's text boxes) gives a label of
    several lines as pieces before and after its numbers (``行政`` ``2910`` ``许可``), and a spanning
    cell beside it as pieces in between (``(三)1.属于`` ``不予公国家`` ``2 0 …`` ``开秘密``). The label
    is found when it is spelt, in order, by text ending just before the numbers and text starting
    just after them; short pieces of the neighbouring column in between make it weaker evidence.
    """
    if not run.has_numbers:
        return 0.0
    best = 0.0
    head = frozenset(run.post[: _WRAP_GAP + 1])
    for f in forms:
        # Quick refusals: the form's last character after the numbers, one of its characters right after them.
        if len(f) < _WRAP_MIN or f[-1] not in run.post or head.isdisjoint(f):
            continue
        before, after = run.pre[-(len(f) + 2 * _WRAP_GAP):], run.post[: len(f) + 2 * _WRAP_GAP]
        if not _in_order(f).match(before + after):  # not even spelt in order, gaps aside
            continue
        gaps = _wrapped_gaps(f, before, after, run.beside)
        if gaps is not None:
            best = max(best, (_WRAPPED if gaps == 0 else _WRAPPED_SKIPPING) + 0.002 * len(f))
    return best


_IN_ORDER: dict[str, re.Pattern[str]] = {}


def _in_order(form: str) -> re.Pattern[str]:
    """Matches a text that holds the form's characters in order, anything between them.

    Each character is taken where it first comes (an atomic group): one pass over the text.
    """
    pattern = _IN_ORDER.get(form)
    if pattern is None:
        pattern = _IN_ORDER[form] = re.compile("".join(f"(?>[^{re.escape(ch)}]*){re.escape(ch)}" for ch in form))
    return pattern


def spelt_across(forms: tuple[str, ...], run: Run) -> float:
    """A label split by its numbers with nothing else around them: the text before ends with its
    beginning, the text after starts with the rest (``2.申请`` ``6 0 … 6`` ``人逾期未按…``); 0 if none is."""
    pre, post = run.pre, run.post
    last, first = pre[-1], post[0]
    best = 0.0
    for f in forms:
        if len(f) < _WRAP_MIN or last not in f or first not in f:
            continue
        k = f.find(first, 1)
        while k > 0:
            if pre.endswith(f[:k]) and post.startswith(f[k:]):
                best = max(best, _WRAPPED + 0.002 * len(f))
                break
            k = f.find(first, k + 1)
    return best


def _wrapped_gaps(form: str, before: str, after: str, beside: str = "") -> int | None:
    """Foreign pieces skipped when ``form`` is spelt across the numbers (None: it is not).

    Part of the form on each side; each piece skipped (including what stands between the form and
    the numbers) is at most ``_WRAP_GAP`` characters (the stub's and a group's pieces side by side),
    and there are at most ``_WRAP_PIECES`` of them or one for every two characters of a longer form
    (a label of five lines has a piece of each spanning column on every line).
    """
    window = before + _NUMBERS + after
    pattern = _wrapped_pattern(form)
    at = 0
    while (m := pattern.search(window, at)) is not None:
        if m.start() < len(before) < m.end() - 1:  # part of the form on each side of the numbers
            skipped = next((gap.split(_NUMBERS, 1)[0] for gap in m.groups() if _NUMBERS in gap), "")
            if skipped and len(beside) > len(skipped) and beside.endswith(skipped):
                # The cell beside the numbers holds part of the form and then other words: it is
                # another row's label (``行政处?`` ``2776`` ``?政强制`` spells 行政强制 across 2776
                # only by skipping 处罚's end), not a neighbouring column's piece on the line.
                return None
            pieces = sum(len(piece) > 0 for gap in m.groups() for piece in gap.split(_NUMBERS))
            return pieces if pieces <= max(_WRAP_PIECES, len(form) // 2) else None
        at = m.start() + 1
    return None


_NUMBERS = "\x00"  # where the numbers stand between the text before and after them
_WRAPPED_PATTERNS: dict[str, re.Pattern[str]] = {}


def _wrapped_pattern(form: str) -> re.Pattern[str]:
    """The form's characters in order, each gap a short foreign piece (or two, around the numbers).

    Each character is taken where it first comes after the previous one, for good (an atomic
    group): without that a text that repeats the form's characters makes the search try every
    way of picking them, exponential in the form's length (a crafted table line took hours).
    """
    pattern = _WRAPPED_PATTERNS.get(form)
    if pattern is None:
        piece = f"[^{_NUMBERS}]{{0,{_WRAP_GAP}}}?"
        gap = f"({piece}(?:{_NUMBERS}{piece})?)"
        pattern = re.compile(re.escape(form[0]) + "".join(f"(?>{gap}{re.escape(ch)})" for ch in form[1:]))
        _WRAPPED_PATTERNS[form] = pattern
    return pattern


def _candidates(rows: tuple[Row, ...]) -> tuple[re.Pattern[str], dict[str, list[int]]]:
    """One pattern that finds any row's label form (a quick filter before exact scoring), and
    each form's rows (by index)."""
    forms = sorted({f for r in rows for f in row_forms(r)}, key=len, reverse=True)
    owners: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        for f in row_forms(r):
            owners.setdefault(f, []).append(i)
    return re.compile("|".join(re.escape(f) for f in forms)), owners


def _pairs(rows: tuple[Row, ...]) -> dict[str, tuple[int, ...]]:
    """Every two neighbouring characters of a row's forms → the rows (by index) whose forms hold them."""
    owners: dict[str, set[int]] = {}
    for i, r in enumerate(rows):
        for f in row_forms(r):
            for k in range(1, len(f)):
                owners.setdefault(f[k - 1 : k + 1], set()).add(i)
    return {pair: tuple(sorted(held)) for pair, held in owners.items()}


class _Index(NamedTuple):
    """What aligning runs to a format's rows asks of its rows' labels."""

    pattern: re.Pattern[str]  # see _candidates
    owners: dict[str, list[int]]
    labels: tuple[str, ...]  # every form of the rows' labels
    label_set: frozenset[str]
    pairs: dict[str, tuple[int, ...]]  # see _pairs
    forms: tuple[tuple[str, ...], ...]  # each row's forms (row_forms)


@by_identity
def _index(rows: tuple[Row, ...]) -> _Index:
    """The rows' index (a format's rows: the templates hand out the same tuple each time)."""
    pattern, owners = _candidates(rows)
    return _Index(pattern, owners, tuple(owners), frozenset(owners), _pairs(rows), tuple(row_forms(r) for r in rows))


def exact_scores(rows: tuple[Row, ...], runs: list[Run]) -> list[dict[int, float]]:
    """Per row, run index → exact label score, for the runs whose text holds one of the row's
    label forms (the others score 0 and are left out)."""
    index = _index(rows)
    pattern, owners, labels, forms = index.pattern, index.owners, index.labels, index.forms
    score: list[dict[int, float]] = [{} for _ in rows]
    # The rows whose forms a text holds: a run's text after it is the next run's before it (all of
    # it, in a grid), so each text is searched once.
    held: dict[str, set[int]] = {}
    for j, run in enumerate(runs):
        found = held.get(run.pre)
        if found is None:
            found = held[run.pre] = {i for f in pattern.findall(run.pre) for i in owners[f]}
        if run.has_numbers:
            after = held.get(run.post)
            if after is None:
                after = held[run.post] = {i for f in pattern.findall(run.post) for i in owners[f]}
            found = found | after
        for i in found:
            if (s := label_score(forms[i], run, labels)) > 0:
                score[i][j] = s
    return score


def align(rows: tuple[Row, ...], runs: list[Run]) -> dict[int, int]:
    """Row index → run index: the monotone assignment with the best total label score."""
    n, m = len(rows), len(runs)
    score = exact_scores(rows, runs)
    index = _index(rows)
    label_set = index.label_set
    # Wrapped and fuzzy matching are weaker: only for rows no run names exactly. A label spelt
    # across its numbers with nothing foreign in between counts for every row, though: a tall cell
    # whose first line stands beside the numbers (``2.申请`` ``6 0 … 6`` ``人逾期未按…``) puts the
    # whole label of the row above it, or a short form of it, before the next run.
    named = [bool(line) for line in score]  # a row's scores hold only the runs that name it
    for i, r in enumerate(rows):
        if not named[i]:
            forms = index.forms[i]
            printed = printed_forms(r)
            weak = (wrapped_score(forms, run) or fuzzy_score(printed, run) or alone_score(r, run, label_set)
                    for run in runs)
            score[i] = {j: s for j, s in enumerate(weak) if s > 0}
    pairs = index.pairs
    for j, run in enumerate(runs):
        if run.has_numbers and run.pre and run.post:
            # Only rows with a form holding the two characters that meet at the numbers can be spelt across them.
            for i in pairs.get(run.pre[-1] + run.post[0], ()):
                if named[i] and (spelt := spelt_across(index.forms[i], run)) > score[i].get(j, 0.0):
                    score[i][j] = spelt
    # best[i][j]: best total using rows[:i] and runs[:j]: the best of skipping the row (best[i-1][j]),
    # skipping the run (best[i][j-1]) and matching them (best[i-1][j-1] + score). A row's line is the
    # running maximum of the line above, raised where the row has a score: a row's label stands
    # before a run or two, so a line is worked out from its few raised entries, not cell by cell.
    best = [[0.0] * (m + 1)]
    for i in range(n):
        above = best[i]
        raised = {j + 1: above[j] + s for j, s in score[i].items() if above[j] + s > above[j + 1]}
        best.append(_running_max(above, raised) if raised else above)
    # Back from the end, each step as the cell-by-cell choice made it: on a tie the later of skip
    # row, skip run, match.
    result: dict[int, int] = {}
    i, j = n, m
    while i > 0 and j > 0:
        line, above = best[i], best[i - 1]
        up, left = above[j], line[j - 1]
        s = score[i - 1].get(j - 1, 0.0)
        if s > 0 and above[j - 1] + s >= (left if left >= up else up):
            result[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif left >= up:
            j -= 1
        else:
            i -= 1
    return result


def _running_max(line: list[float], raised: dict[int, float]) -> list[float]:
    """A running maximum (``line``, non-decreasing) with some entries raised, as a running maximum
    again: each raised value carried on until the line reaches it (what ``accumulate(…, max)``
    gives, filled in by slices)."""
    out = line[:]
    positions = sorted(raised)
    carry = 0.0
    for k, p in enumerate(positions):
        carry = max(carry, raised[p])
        out[p] = carry
        end = positions[k + 1] if k + 1 < len(positions) else len(line)
        stop = bisect_left(line, carry, p + 1, end)
        out[p + 1 : stop] = [carry] * (stop - p - 1)
    return out


def label_present(row: Row, text: str) -> bool:
    """Whether the row's label is printed in the region's text at all (a row without numbers)."""
    return any(f in text for f in row_forms(row))


def region_text(cells: list[Cell]) -> str:
    """All the text cells of a region, compact, in order."""
    return "".join([c.norm for c in cells if c.kind == "text"])
