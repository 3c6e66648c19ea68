"""The normalised document → where each statutory section and table lies in it."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, compress

from xxgk.parse.normalize import norm_label
from xxgk.parse.vocabulary import table_labels
from xxgk.templates import SECTION_IDS, statutory

_CJK = re.compile(r"[\u4e00-\u9fff]")
_NON_SPACES = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Heading:
    section: str
    start: int  # offset of the heading in the document text
    end: int  # offset just after the heading words
    text: str  # the heading as published


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


class CompactText:
    """The normalised text without white space, with a map back to document offsets."""

    def __init__(self, norm: str) -> None:
        words = norm.split()  # str.split's white space is the regex's \s, four times faster
        self.text = "".join(words)
        # Each run of non-space characters (a word): where it starts in the compact text and in the
        # document (a map per run, not per character: a page has a few thousand runs and 100,000 characters).
        self._sizes = sizes = list(map(len, words))
        self._doc_starts = _word_starts(norm, sizes)
        self._compact_starts = list(accumulate(sizes, initial=0))[:-1]
        self.length = len(norm)

    def to_doc(self, pos: int) -> int:
        """Document offset of compact position ``pos`` (``len`` maps to the end of the text)."""
        if pos >= len(self.text):
            return self.length
        run = bisect_right(self._compact_starts, pos) - 1
        return self._doc_starts[run] + pos - self._compact_starts[run]

    def from_doc(self, offset: int) -> int:
        """The first compact position at or after document ``offset``."""
        run = bisect_right(self._doc_starts, offset) - 1
        if run >= 0 and offset < self._doc_starts[run] + self._sizes[run]:  # inside a run
            return self._compact_starts[run] + offset - self._doc_starts[run]
        if run + 1 < len(self._compact_starts):  # in the space before the next run
            return self._compact_starts[run + 1]
        return len(self.text)


def _word_starts(text: str, sizes: list[int]) -> list[int]:
    """Where each of ``text.split()``'s words (their lengths ``sizes``) starts in ``text``."""
    if len(text) - sum(sizes) == text.count(" ") + text.count("\n"):
        # White space is spaces and line breaks only (as good as always): cut at each of them, in C
        # (a regex's \S+ costs ten times as much: its engine enters every position).
        pieces = text.replace("\n", " ").split(" ")
        return list(compress(accumulate([len(p) + 1 for p in pieces], initial=0), pieces))
    return [m.start() for m in _NON_SPACES.finditer(text)]


@cache
def _heading_pattern(section_id: str, misnumbered: bool = False) -> re.Pattern[str]:
    """Section ``section_id``'s heading by its ordinal, or (``misnumbered``) by another one."""
    sec = statutory().section_by_id(section_id)
    words = sorted({norm_label(k) for k in sec.keywords}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    # Another numeral, not one in brackets: "（四）…" is a subheading.
    ordinal = r"(?<![(\[])[一二三四五六七八九十]{1,2}" if misnumbered else sec.ordinal
    # "五、" then up to a few words of the agency's own ("政府信息公开工作") then the keyword.
    return re.compile(rf"{ordinal}[、.,:]?(?:[^。;:!?\d]{{0,10}}?)(?:{alternatives})")


def find_headings(ct: CompactText, text: str) -> dict[str, Heading]:
    """The six statutory headings, each wherever it stands as a heading.

    Each is sought over the whole text, not after the one before it: a report that prints 五 before
    四 has both (the checker says the order is wrong), and neither's text runs into the other's.
    """
    found: dict[str, Heading] = {}
    for sid in SECTION_IDS:
        m = _first_heading(_heading_pattern(sid), ct, text)
        if m is not None:
            found[sid] = _heading(sid, m, ct, text)
    contents = _contents(ct, found)
    if contents:  # the parts are those after the contents, where printed again
        after = ct.from_doc(contents[-1].end)
        for h in contents:
            m = _first_heading(_heading_pattern(h.section), ct, text, after)
            if m is not None:
                found[h.section] = _heading(h.section, m, ct, text)
    return found


def _contents(ct: CompactText, found: dict[str, Heading]) -> list[Heading]:
    """The headings of a table of contents (or a list of the parts) that opens the report, if any.

    Headings one after the other with no word between them (page numbers and leader dots at most),
    the first 一: the overview of a report is never empty, a contents page's always is.
    """
    ordered = sorted(found.values(), key=lambda h: h.start)
    first = next((i for i, h in enumerate(ordered) if h.section == SECTION_IDS[0]), None)
    if first is None:
        return []
    run = [ordered[first]]
    for h in ordered[first + 1 :]:
        if _CJK.search(ct.text, ct.from_doc(run[-1].end), ct.from_doc(h.start)):
            break
        run.append(h)
    return run if len(run) >= 3 else []


def find_misnumbered(ct: CompactText, text: str, found: dict[str, Heading]) -> dict[str, Heading]:
    """Headings of sections not ``found`` that print another numeral ("四、存在的主要问题…" for 五).

    Only for a report the year puts in the 2019+ formats: a legacy report numbers its parts its own
    way (六、存在的主要问题…). The checker says the numeral is wrong; the section is there.
    """
    taken = [(h.start, h.end) for h in found.values()]
    out = dict(found)
    for sid in SECTION_IDS:
        if sid in found:
            continue
        m = _first_heading(_heading_pattern(sid, misnumbered=True), ct, text)
        if m is not None and not any(a <= ct.to_doc(m.start()) < b for a, b in taken):
            out[sid] = _heading(sid, m, ct, text)
    return out


def _heading(sid: str, m: re.Match[str], ct: CompactText, text: str) -> Heading:
    """The heading of section ``sid`` that ``m`` (in the compact text) found, in document offsets."""
    start = ct.to_doc(m.start())
    end = ct.to_doc(m.end() - 1) + 1
    return Heading(sid, start, end, " ".join(text[start:end].split()))


def _first_heading(pattern: re.Pattern[str], ct: CompactText, text: str, pos: int = 0) -> re.Match[str] | None:
    """The first match from ``pos`` on a line of its own, else the first after a break.

    A heading on its own line beats one inside a sentence (a preamble that lists the six parts
    with their numbers); run-together text has no lines to go by. The search stops at the
    first on its own line: what follows cannot be chosen.
    """
    after_break: re.Match[str] | None = None
    for m in pattern.finditer(ct.text, pos):
        if _at_line_start(text, ct.to_doc(m.start())):
            return m
        if after_break is None and _after_break(ct, m.start()):
            after_break = m
    return after_break


# How legacy reports number their parts. A Chinese numeral ("三、", "四.") is the common one; the others
# number the parts where no part is numbered so: "（一）主动公开…" is otherwise a subheading of a part or of a
# 2019+ report's 总体情况, and "1." an item of a list.
_NUMBERINGS: tuple[str, ...] = (
    # Its first numeral first, then what stands before it: a lookbehind first would be tried at every character.
    r"[一二三四五六七八九十](?<![(\[].)[一二三四五六七八九十]?[、.,:]?",
    r"第[一二三四五六七八九十]{1,2}部分[、.,:]?",
    r"\([一二三四五六七八九十]{1,2}\)[、.,:]?",
    r"[1-9]\d?[、.,:](?!\d)",
)
_ARABIC = len(_NUMBERINGS) - 1
# Before a number in text run together (no line to go by), what makes it a piece of a longer number.
_DIGITS_AND_POINT = frozenset("0123456789.")


@cache
def _legacy_pattern(legacy_id: str, numbering: int = 0) -> re.Pattern[str]:
    sec = next(s for s in statutory().legacy_sections if s.id == legacy_id)
    words = sorted({norm_label(k) for k in sec.keywords}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"{_NUMBERINGS[numbering]}(?:[^。;:!?\d()]{{0,10}}?)(?:{alternatives})")


def find_legacy_headings(ct: CompactText, text: str) -> dict[str, Heading]:
    """The parts of a legacy (2008–2018) report, by their numbered headings on a line of their own."""
    found: dict[str, Heading] = {}
    for numbering in range(len(_NUMBERINGS)):
        found = _numbered_legacy_headings(ct, text, numbering)
        if found:  # the first numbering any part is numbered in is the parts' own
            break
    if len(found) < len(statutory().legacy_sections):
        _unnumbered_legacy_headings(text, found)
    return found


def _numbered_legacy_headings(ct: CompactText, text: str, numbering: int) -> dict[str, Heading]:
    """The legacy parts whose headings are numbered in the ``numbering``-th of ``_NUMBERINGS``."""
    found: dict[str, Heading] = {}
    for sec in statutory().legacy_sections:
        for m in _legacy_pattern(sec.id, numbering).finditer(ct.text):
            start = ct.to_doc(m.start())
            if _at_line_start(text, start) or (_after_break(ct, m.start()) and not (
                    numbering == _ARABIC and ct.text[m.start() - 1 : m.start()] in _DIGITS_AND_POINT)):
                end = ct.to_doc(m.end() - 1) + 1
                found[sec.id] = Heading(sec.id, start, end, " ".join(text[start:end].split()))
                break
    return found


@cache
def _legacy_heading_words() -> dict[str, str]:
    """Every legacy part's heading words (comparable form) → the part's id."""
    return {norm_label(k): sec.id for sec in statutory().legacy_sections for k in sec.keywords}


def _unnumbered_legacy_headings(text: str, found: dict[str, Heading]) -> None:
    """Add the parts whose heading stands alone on its line without its number (lost in the crawl:
    ``主動公開政府信息情況``): the whole line is the heading's words, nothing else."""
    words = _legacy_heading_words()
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if 4 <= len(stripped) <= 40:
            sid = words.get(norm_label(stripped).rstrip(":："))
            if sid is not None and sid not in found:
                start = offset + line.index(stripped[0])
                found[sid] = Heading(sid, start, start + len(stripped), " ".join(stripped.split()))
        offset += len(line) + 1


def legacy_words(ct: CompactText, headings: dict[str, Heading], head: int = 1500) -> set[str]:
    """The legacy parts named by words only a legacy report uses: in a heading, or in the opening
    lines that list the report's parts (``本报告包括：概述，…，政府信息公开的收费及减免情况…``)."""
    in_headings: set[str] = set()
    listed: set[str] = set()
    opening = ct.text[:head]
    for sec in statutory().legacy_sections:
        h = headings.get(sec.id)
        heading = norm_label(h.text) if h else ""
        if any(norm_label(w) in heading for w in sec.distinctive):
            in_headings.add(sec.id)
        if any(norm_label(w) in opening for w in sec.distinctive):
            listed.add(sec.id)
    # A list of the parts names several; one such word alone is a 2019+ overview's subheading.
    return in_headings | (listed if len(listed) >= 3 else set())


def _at_line_start(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def _after_break(ct: CompactText, cpos: int) -> bool:
    """Follows punctuation or a number, not a word (headings in text run together)."""
    return cpos == 0 or not _CJK.match(ct.text[cpos - 1])


def find_marker(ct: CompactText, markers: tuple[str, ...], start: int, end: int) -> int | None:
    """Compact position of the first of ``markers`` in ``[start, end)``, if any."""
    best: int | None = None
    for marker in markers:
        i = ct.text.find(norm_label(marker), start, end)
        if i >= 0 and (best is None or i < best):
            best = i
    return best


@cache
def _fallback_markers(table_id: str) -> tuple[str, ...]:
    """Words that name their table unmistakably where nothing opens it: column headers of four
    characters or more (``本年新制作数量``, ``商业企业``) and long row labels (``结转下年度继续办理``)."""
    table = statutory().table_by_id(table_id)
    columns = [lab for c in table.columns for lab in c.labels() if len(norm_label(lab)) >= 4]
    rows = [lab for r in table.rows for lab in r.labels() if len(norm_label(lab)) >= 8]
    return tuple(columns + rows)


def table_words(ct: CompactText) -> int:
    """How many of the statutory tables' own words (markers, column headers, long row labels)
    the text prints: a page of a report's tables has several, whatever else it lacks."""
    words = {norm_label(w) for t in statutory().tables for w in (*t.markers, *_fallback_markers(t.id))}
    return sum(1 for w in words if w in ct.text)


def table_regions(ct: CompactText, headings: dict[str, Heading], norm: str) -> dict[str, Span | None]:
    """Where tables 二, 三 and 四 lie (document offsets); None where nothing marks one.

    A table ends where the next one starts or at the heading of 五 or 六; where what follows it is
    not marked by its heading (a crawl that dropped the headings), at the first paragraph of prose
    after its numbers at the latest (``prose_after``).
    """
    n = len(ct.text)

    def after(section: str) -> int | None:
        h = headings.get(section)
        return ct.from_doc(h.end) if h else None

    def before(*sections: str, lo: int) -> int:
        # The nearest after ``lo``, not the first of them found: a report may print 五 before 四.
        return min((p for s in sections if (h := headings.get(s)) and (p := ct.from_doc(h.start)) > lo), default=n)

    tables = {t.id: t for t in statutory().tables}
    starts: dict[str, int | None] = {}
    by_heading = {t: headings.get(tables[t].section) is not None for t in tables}  # else found by its words
    floor = after("overview") or 0
    # Table 二
    a = after("active")
    if a is None:
        hi = before("requests", "review_litigation", "problems", lo=floor)
        a = find_marker(ct, tables["active"].markers, floor, hi)
        if a is None:
            # A page that begins inside 表二: its first column header or long row label.
            a = find_marker(ct, _fallback_markers("active"), floor, hi)
    starts["active"] = a
    # Table 三
    r = after("requests")
    if r is None:
        lo = a if a is not None else floor
        hi = before("review_litigation", "problems", "other", lo=lo)
        r = find_marker(ct, tables["requests"].markers, lo, hi)
        if r is None and a is None:
            # A page or an excerpt that begins inside 表三: its first column header or long row label.
            r = find_marker(ct, _fallback_markers("requests"), lo, hi)
    starts["requests"] = r
    # Table 四
    v = after("review_litigation")
    if v is None:
        lo = r if r is not None else (a if a is not None else floor)
        m = find_marker(ct, tables["review_litigation"].markers, lo, before("problems", "other", lo=lo))
        if m is not None:
            first_group = tables["review_litigation"].rows[0].label_for("2021")
            head = ct.text.rfind(norm_label(first_group), max(lo, m - 40), m)
            v = head if head >= 0 else m
    starts["review_litigation"] = v

    order = ["active", "requests", "review_litigation"]
    spans: dict[str, Span | None] = {}
    for i, tid in enumerate(order):
        s = starts[tid]
        if s is None:
            spans[tid] = None
            continue
        ends = [(e, by_heading[t]) for t in order[i + 1 :] if (e := starts[t]) is not None and e > s]
        closing = before("problems", "other", lo=s)
        ends.append((closing, True) if closing < n else (n, False))
        end, at_heading = min(ends)
        if not at_heading:  # the next heading is not printed: the prose after the table is not its
            end = min(end, ct.from_doc(prose_after(norm, ct.to_doc(s))))
        spans[tid] = Span(ct.to_doc(s), ct.to_doc(end))
    return spans


# A sentence of prose: a line of this many characters at least (white space aside) holding a comma
# or a full stop. No statutory label is as long with one, except those ``table_labels`` knows.
_PROSE_CHARS = 20
_SENTENCE_MARKS = (",", "。", ";")


def prose_after(norm: str, start: int) -> int:
    """Where the first line of prose after the table at document offset ``start`` begins (the end of
    the text if none).

    Prose is a line of ``_PROSE_CHARS`` or more with a comma, a full stop or a semicolon that is no
    table row (no ``|`` or tab) and prints none of the tables' labels (``（二）部分公开（区分处理的，
    只计这一情形…）`` is a row's). Only prose after a line of numbers counts: a sentence that
    introduces the table (``2024年，本机关…情况如下：``) stands before its values.
    """
    labels = table_labels()
    pos = start
    values = False
    for line in norm[start:].split("\n"):
        compact = "".join(line.split())
        prose = (len(compact) >= _PROSE_CHARS and any(mark in compact for mark in _SENTENCE_MARKS)
                 and "|" not in compact and "\t" not in line and not _prints_label(compact, labels))
        if prose and values:
            return pos
        values = values or (not prose and any(ch.isdigit() for ch in compact))
        pos += len(line) + 1
    return len(norm)


def _prints_label(compact: str, labels: tuple[re.Pattern[str], str]) -> bool:
    """Whether a line prints a label of the tables, or a piece of one beside its numbers (a long label
    wrapped: ``（二）部分公开（区分处理的，只计这一情 4 0 0``)."""
    pattern, joined = labels
    words = norm_label(compact)
    return pattern.search(words) is not None or norm_label(_DIGITS.sub("", compact)) in joined


_DIGITS = re.compile(r"\d+")

# A number as a sentence writes it: with its unit (本年新制作4件, 申请64件, 收费0元, 占12.5%).
_COUNTED = re.compile(r"\d+(?:\.\d+)?\s*(?:万|余|多)?\s*(?:件|条|人次|次|个|项|元|篇|份|宗|起|家|年|月|日|号|%)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def prose_only(norm: str, span: Span) -> bool:
    """Whether every number in ``span`` stands in a sentence with its unit (``规范性文件：本年新制作4件，
    本年新公开4件``): a report that writes the table's rows in prose, not a table. A table's cells are bare."""
    numbers = 0
    for line in norm[span.start : span.end].split("\n"):
        found = len(_NUMBER.findall(line))
        if not found:
            continue
        if "|" in line or "\t" in line or not any(mark in line for mark in _SENTENCE_MARKS):
            return False
        if found != len(_COUNTED.findall(line)):
            return False
        numbers += found
    return numbers > 0
