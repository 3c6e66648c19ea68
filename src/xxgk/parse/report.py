"""A read document → the structured report (meta, sections, tables, figures, findings)."""

from __future__ import annotations

from functools import partial

from pydantic import TypeAdapter

from xxgk.model import CellSource, Finding, Meta, Report, Section, Source
from xxgk.parse.addressed import read_addressed
from xxgk.parse.compilation import (
    compilation_finding,
    file_head,
    find_reports,
    first_report,
    lead_in,
    nth_report,
    part_finding,
)
from xxgk.parse.confirm import confirm_ocr_rows
from xxgk.parse.copies import read_own
from xxgk.parse.figures import extract_figures
from xxgk.parse.listed import read_listed
from xxgk.parse.lost import count_lost
from xxgk.parse.meta import MetaRead, PartOf, file_published, read_meta
from xxgk.parse.normalize import normalize
from xxgk.parse.regions import (
    CompactText,
    Heading,
    find_headings,
    find_legacy_headings,
    find_misnumbered,
    legacy_words,
    prose_only,
    table_regions,
    table_words,
)
from xxgk.parse.stated import confirm_by_prose
from xxgk.parse.tables import TableRead, TableReader, holds_markdown, region_to_cells
from xxgk.read.document import Document, ReadError
from xxgk.templates import SECTION_IDS, TABLE_IDS, statutory

# Where each number was read, validated as one dict in one pass: half the cost of building a model
# per number (a table has a few hundred).
_PROVENANCE = TypeAdapter(dict[str, CellSource])


def parse_document(doc: Document) -> Report:
    """Recognise the annual report in a document (the first, where it holds several)."""
    norm = normalize(doc.text)
    parts = find_reports(doc.text, norm)
    if not parts:
        return _recognise(doc, norm)
    # Every number and the title from the first report's text only; a finding names the others.
    narrowed = first_report(doc, parts)
    return _recognise(narrowed, normalize(narrowed.text), compilation_finding(parts))


def parse_documents(doc: Document) -> list[Report]:
    """Recognise every annual report a document holds, each from its own text (a 汇编: one per part)."""
    norm = normalize(doc.text)
    parts = find_reports(doc.text, norm)
    if not parts:
        return [_recognise(doc, norm)]
    # Each part opens with a report's title and its first numbered part: each is recognised as a report.
    first = first_report(doc, parts)
    reports = [_recognise(first, normalize(first.text), part_finding(parts, 0))]
    shared, shared_from = file_published(file_head(doc, parts), doc.page_published) or (None, "")
    for k in range(1, len(parts)):
        narrowed = nth_report(doc, parts, k)
        # Its dates from its own lines; where it prints none, the file's date if it covers the file's year.
        part = PartOf(doc.text.count("\n", 0, parts[k].start), tuple(map(normalize, lead_in(doc, parts, k))),
                      shared=shared, shared_from=shared_from, year=reports[0].meta.year)
        reports.append(_recognise(narrowed, normalize(narrowed.text), part_finding(parts, k), part))
    return reports


def _recognise(doc: Document, norm: str, compiled: Finding | None = None, part: PartOf | None = None) -> Report:
    """The report in a document that holds one (``compiled``: what to say of the compilation it came from;
    ``part``: where a later report of it begins)."""
    ct = CompactText(norm)
    headings = find_headings(ct, doc.text)
    first = min((h.start for h in headings.values()), default=None)
    meta = read_meta(doc, norm, _opening(headings, len(doc.text)),
                     first_heading=doc.text.count("\n", 0, first) if first is not None else None, part=part)
    # A legacy report's parts matter only where the year does not rule the 2019+ formats in.
    due = statutory().format_for_year(meta.year) if meta.year else None
    legacy_headings = find_legacy_headings(ct, doc.text) if due is None else {}
    if due is not None:  # numbered 一 to 六 by the format: a part printed under another numeral is still there
        headings = find_misnumbered(ct, doc.text, headings)
    maybe_legacy = _maybe_legacy(meta.year, legacy_headings, ct)
    regions = table_regions(ct, headings, norm)
    reads: dict[str, TableRead] = {}
    hint: str | None = None  # the format a table before showed; else the year's is the likeliest
    from_ocr = any(line.confidence is not None for line in doc.lines)  # some text was read from a picture
    markdown = holds_markdown(norm) if regions else False  # a property of the document: found once
    for tid in TABLE_IDS:
        span = regions.get(tid)
        table = statutory().table_by_id(tid)
        if span is None:
            reads[tid] = TableRead(None)
            continue
        cells = region_to_cells(doc, norm, span, markdown)
        reader = partial(TableReader(table, strict=maybe_legacy).read, template_hint=hint or due)
        # Last year's table or a sub-unit's beside the report's own: the own one is read.
        reads[tid] = read_own(table, cells, reader, meta.year, meta.agency)
        if (named := read_addressed(table, cells, hint or due, reads[tid])) is not None:
            # No grid read: each number may name its row and column itself (mobile cards, transposed).
            reads[tid] = named
        if not maybe_legacy and (listed := read_listed(table, doc.text, norm, span.start, span.end, hint or due,
                                                       reads[tid])) is not None:
            # No grid: a list or prose naming each number's row and column (1.规章：本年制发0件，…); not in a
            # report of the 2007 条例, whose prose may name 规范性文件 and 行政许可 without any statutory table.
            reads[tid] = listed
        if reads[tid].data is not None and not reads[tid].sources and prose_only(norm, span):
            # Not a number placed, each one in a sentence: prose in the words of the table's rows.
            reads[tid] = TableRead(None)
            continue
        # Digits run together in 表二 are cut only where the report's own prose settles the cut.
        confirm_by_prose(reads[tid], table, norm)
        # Numbers read from an image stand only where the arithmetic (or OCR itself) vouches for them.
        if from_ocr:
            confirm_ocr_rows(doc, tid, reads[tid])
        if reads[tid].data is not None and reads[tid].printed:
            hint = hint or reads[tid].template
    if not _looks_like_report(meta, headings, legacy_headings, reads, ct):
        raise ReadError("内容不像政府信息公开工作年度报告：未找到报告标题、章节标题或统计表格")

    template = decide_template(reads, maybe_legacy)
    sections = _sections(headings, doc.text)
    if template == "legacy":
        sections = _sections(_as_contract_sections(legacy_headings) or headings, doc.text)
    report = Report(
        source=Source(name=doc.name, sha256=doc.sha256, format=doc.format),
        meta=_meta(meta, template, _preamble(doc.text, headings)),
        sections=sections,
        figures=extract_figures(doc.text, norm),
        provenance=_PROVENANCE.validate_python(
            {key: {"offset": cell.offset, "line": cell.line, "text": cell.text}
             for tid in TABLE_IDS for key, cell in reads[tid].sources.items()}),
    )
    report.findings.extend(meta.findings)
    if compiled is not None:
        report.findings.append(compiled)
    for tid in TABLE_IDS:
        read = reads[tid]
        report.tables[tid] = read.data
        report.findings.extend(read.findings)
        table = statutory().table_by_id(tid)
        if read.data is None and template == "legacy":
            report.findings.append(Finding(
                rule="PARSE-TABLE-LEGACY", severity="info", where=tid,
                message=f"2019年以前的报告没有法定格式的“{table.title}”表，只提取正文中的数字"))

    if lost := count_lost(doc.text):
        report.findings.append(Finding(
            rule="PARSE-CHARS-LOST", severity="info", where="source",
            message=(f"原文中有{lost}个字符在抓取或解码时丢失（印作 ?、� 等）：表格和章节标题中其余的字能唯一确定的，"
                     "按法定写法识别；原文和机关名称中丢失的字无法补回，请核对原件")))
    for note in doc.notes:
        report.findings.append(Finding(rule="READ-NOTE", severity="warning", where="source", message=note))
    for remark in doc.remarks:
        report.findings.append(Finding(rule="READ-SOURCE", severity="info", where="source", message=remark))
    return report


def _maybe_legacy(year: int | None, legacy_headings: dict[str, Heading], ct: CompactText) -> bool:
    """A report that may be a free-form one of the 2007 条例: its year is before the first
    statutory format, or (no year) it is laid out in the legacy parts, with words only they use."""
    if year is not None:
        return statutory().format_for_year(year) is None
    return len(legacy_headings) >= 2 and bool(legacy_words(ct, legacy_headings))


def _as_contract_sections(legacy_headings: dict[str, Heading]) -> dict[str, Heading]:
    """The legacy parts that answer to the contract's sections, under the contract's ids."""
    out: dict[str, Heading] = {}
    for sec in statutory().legacy_sections:
        h = legacy_headings.get(sec.id)
        if h is not None and sec.section is not None:
            out[sec.section] = Heading(sec.section, h.start, h.end, h.text)
    return out


def decide_template(reads: dict[str, TableRead], maybe_legacy: bool = False) -> str | None:
    """The format the tables' own layout tells (表二's, else 表三's); legacy for free-form pre-2019
    reports; None when no table tells it (表四 alone is the same in both formats).

    Never the year's: a report in the other year's format is what the checker points out.
    """
    for tid in ("active", "requests"):
        r = reads[tid]
        if r.data is not None and r.printed is not None:
            return r.printed
    if maybe_legacy and all(r.data is None for r in reads.values()):
        return "legacy"
    return None


# Legacy parts whose headings name disclosure itself (主动公开政府信息, 依申请公开政府信息): with another
# numbered part they make an excerpt of a report even where the phrase 政府信息公开 is not printed.
_DISCLOSURE_PARTS = frozenset({"active", "requests"})


def _looks_like_report(meta: MetaRead, headings: dict[str, Heading], legacy_headings: dict[str, Heading],
                       reads: dict[str, TableRead], ct: CompactText) -> bool:
    if meta.title or len(headings) >= 2 or any(r.data is not None for r in reads.values()):
        return True
    if (headings and "政府信息公开" in ct.text) or table_words(ct) >= 3:
        return True  # a page of a report: one of its statutory headings, or its tables' words
    # An excerpt of a legacy report: two of its numbered parts, one of them about disclosure. Words alone (政府信息公开
    # and 年度报告 in a sentence) are no report: a notice on compiling the reports, a 指南 or a 工作要点 says them too.
    return len(legacy_headings) >= 2 and ("政府信息公开" in ct.text or bool(legacy_headings.keys() & _DISCLOSURE_PARTS))


def _opening(headings: dict[str, Heading], length: int) -> tuple[int, int]:
    """The report's own opening: the text before its second statutory section."""
    later = sorted(h.start for sid, h in headings.items() if sid != "overview")
    return 0, later[0] if later else min(length, 3000)


def _preamble(text: str, headings: dict[str, Heading]) -> str | None:
    """The opening text, up to the first statutory heading (at most a page of it)."""
    first = min((h.start for h in headings.values()), default=min(len(text), 1500))
    # White space collapsed from a prefix is a prefix of it collapsed from the whole: 3000 characters
    # give the first 1500 unless they are mostly white space (a site's menus can run to thousands).
    body = " ".join(text[: min(first, 3000)].split())
    if len(body) < 1500 and first > 3000:
        body = " ".join(text[:first].split())
    return body[:1500] or None


def _meta(meta: MetaRead, template: str | None, preamble: str | None) -> Meta:
    return Meta(
        preamble=preamble,
        title=meta.title,
        agency=meta.agency,
        year=meta.year,
        published=meta.published,
        template=template,  # type: ignore[arg-type]
        signed=meta.signed,
        period=meta.period,
    )


def _sections(headings: dict[str, Heading], text: str) -> dict[str, Section]:
    """Which of the six sections are present, with their text (heading to next heading)."""
    ordered = sorted(headings.values(), key=lambda h: h.start)
    out: dict[str, Section] = {}
    for sid in SECTION_IDS:
        h = headings.get(sid)
        if h is None:
            out[sid] = Section(present=False)
            continue
        later = [o.start for o in ordered if o.start > h.start]
        end = min(later) if later else len(text)
        # Stripped of white space, a body is empty or holds text: no need to take the white space out.
        body = text[h.end : end].strip()
        out[sid] = Section(present=True, heading=h.text, offset=h.start, text=body)
    return out
