"""The document → its metadata: title, reporting body, year covered, dates, period.

The title names the body and the year (``parse/title.py``); the dates are the page's stamps
(``parse/dates.py``); where the title does not give the year, the text's own statements do
(``parse/year.py``). Where the title does not name the body, the signature under the text
does, with a note saying so. What cannot be known is None, with a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.model import Finding
from xxgk.parse.dates import (
    BARE_DATE_LINES,
    FURNITURE,
    NAVIGATION,
    dated_alone,
    find_period,
    find_published_below,
    find_signed,
    find_signed_lost,
    stamp_to_iso,
)
from xxgk.parse.dates import find_published as _find_published
from xxgk.parse.lost import LOST_MARKS, count_lost, mark_lost
from xxgk.parse.normalize import compact, normalize
from xxgk.parse.title import (
    BODY_END,
    REPORT_WORDS,
    Stated,
    Title,
    TitleLines,
    about_the_reports,
    agency_and_year,
    clean_agency,
    find_title,
    is_name_line,
    is_site_line,
    is_tail,
    same_body,
    scope_after,
    split_scope,
    strip_furniture,
)
from xxgk.parse.year import year_from_text
from xxgk.read.document import TEXT_LAYER_CONFIDENCE, Document

__all__ = ["MetaRead", "PartOf", "agency_and_year", "clean_agency", "file_published", "find_published", "find_title",
           "read_meta"]

_YEAR = r"((?:19|20)\d{2})"
# The preamble naming the report: "现公布荷塘区桂花街道办事处2019年政府信息公开工作年度报告".
_PROSE_TITLE = re.compile(rf"([\u4e00-\u9fff()（）]{{0,40}}?){_YEAR}年度?(?:{REPORT_WORDS.pattern})")
_MARK_RUNS = re.compile(f"([{LOST_MARKS}]+)")
_PROSE_LINE = re.compile(r"[。；;]|^\s*[一二三四五六七八九十]+\s*[、.]")


@dataclass(slots=True)
class MetaRead:
    title: str | None
    agency: str | None
    year: int | None
    published: str | None
    signed: str | None
    period: dict[str, str | None] | None
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PartOf:
    """A report read from a file that holds several, after the first (``xxgk parse --all``): where its own
    lines begin, and what the file prints for all of them."""

    first_line: int  # its title's line: the lines above are the file's head and the other reports
    lead: tuple[str, ...] = ()  # its page's furniture printed just above its title (normalised): its own stamps
    shared: str | None = None  # the date the whole file is published on (its head's stamp, its page's metadata)
    shared_from: str = ""  # where that date is printed, as the finding says it
    year: int | None = None  # the year the file's reports cover (its first report's): the date is theirs only


def file_published(head: list[str], page_published: str | None) -> tuple[str, str] | None:
    """The date a file holding several reports is published on as a whole, and where it stands: the stamp its
    head prints (``head``: its lines above its contents and its first report's text), else its page's metadata.

    A date printed alone (``2025年1月20日``, under a notice's or a cover's issuer) is when it was signed or
    issued, not a publication: never taken."""
    norm_lines = ["" if dated_alone(line) else line for line in map(normalize, head)]
    if (printed := find_published(norm_lines)) is not None:
        return printed, "开头印出的发布日期"
    if page_published and (stamp := stamp_to_iso(page_published)):
        return stamp, "网页元数据中的发布时间"
    return None


def find_published(norm_lines: list[str]) -> str | None:
    """The page's publication date (``日期:2023-01-30``, ``发布时间: 2023-02-14 09:50``)."""
    # A bare date is looked for in the first lines only, so the body's start matters only there
    # (a site's menus can be hundreds of lines long).
    return _find_published(norm_lines, body_start(norm_lines[:BARE_DATE_LINES]))


def body_start(norm_lines: list[str]) -> int:
    """Index of the first line of the report's text (prose or a numbered heading)."""
    for i, line in enumerate(norm_lines):
        if _PROSE_LINE.search(line) and len(compact(line)) > 12:
            return i
    return len(norm_lines)


# How far above its first statutory heading a report's title and stamps are looked for. A site's
# menus can push the report hundreds of lines down the page: the head of the page alone misses it.
_ABOVE_HEADING = 40
_HEAD_LINES = 80


def read_meta(doc: Document, norm: str, opening: tuple[int, int] | None = None,
              first_heading: int | None = None, part: PartOf | None = None) -> MetaRead:
    """Everything the contract's ``meta`` holds except the template (which the tables decide).

    ``opening``: the document offsets of the report's opening (up to its second section);
    ``first_heading``: the line of its first statutory heading, when one was found; ``part``: where a later
    report of a compilation begins, and the date the file prints for all of them.
    """
    lines = doc.text.split("\n")
    norm_lines = norm.split("\n")
    if part is not None:  # a later report of a compilation: read from its title on, as a file of its own
        lines, norm_lines, norm, first_heading, opening = _from_line(part.first_line, lines, norm_lines, norm,
                                                                     first_heading, opening)
    period = find_period(norm)
    signed, signed_at = find_signed(norm_lines)
    lost_date = find_signed_lost(norm_lines) if signed_at is None else None
    signer_at = signed_at if lost_date is None else lost_date[2]
    signer = _signer(norm_lines, signer_at) if signer_at is not None else None
    stated = _stated(norm, period, signer)
    title = _title_near_report(lines, norm_lines, first_heading, stated)
    agency = title.agency if title else None
    year = title.year if title else None
    findings: list[Finding] = []
    published = _published_near_report(norm_lines, first_heading, signed_at, part.lead if part is not None else ())
    if published is None and doc.page_published and (published := stamp_to_iso(doc.page_published)):
        findings.append(Finding(rule="PARSE-PUBLISHED-METADATA", severity="info", where="meta.published",
                                message=f"页面上没有印出发布日期，发布日期取自网页元数据（{doc.page_published}）"))
    if published is None and doc.listed_published and (published := stamp_to_iso(doc.listed_published)):
        findings.append(Finding(rule="PARSE-PUBLISHED-LIST", severity="info", where="meta.published",
                                message=f"报告和网页上都没有印出发布日期，发布日期取自年报栏目列表中该报告链接旁的日期"
                                        f"（{doc.listed_published}）"))
    if title is not None and title.year is not None and stated.year is not None and title.year != stated.year:
        # Every title on the page names another year than the text states: either may be the slip (a period
        # copied from last year's report, a title from it). The one the page's date fits is taken, failing
        # that the title's; the reader is told to check it either way.
        year = _year_the_date_fits((title.year, stated.year), published) or title.year
        findings.append(_year_conflict(title.year, stated.year, year, published))
    if agency is None or year is None:
        prose_agency, prose_year = _agency_from_prose(norm)
        if agency is not None and prose_agency is not None and not same_body(agency, prose_agency):
            prose_year = None  # another body's report named above this one (a sidebar's list): not its year
        agency = agency or prose_agency
        year = year or prose_year
    for page_title in (doc.page_article_title, doc.page_title):
        if page_title is None or (agency is not None and year is not None):
            continue
        # The page's own titles where the text prints none: its metadata's ArticleTitle, its
        # <title> (``某局2022年政府信息公开工作年度报告_某市人民政府``).
        page = find_title([page_title], [normalize(page_title)])
        if page is not None and (page.agency or page.year):
            if title is None:
                title = page
            agency = agency or page.agency
            year = year or page.year
    if year is None:
        found = year_from_text(norm, period["start"] if period else None, published, opening)
        year = found.year
        if year is None:
            findings.append(Finding(rule="PARSE-YEAR-UNKNOWN", severity="info", where="meta.year",
                                    message=f"未能确定报告年度：{found.how}"))
    if published is None and part is not None and part.shared is not None and year is not None and year == part.year:
        published = part.shared
        findings.append(_shared_date(part, year))
    if lost_date is not None and year is not None:
        signed = _signed_lost(lost_date[0], lost_date[1], year, findings)
    if agency is None and signer:
        agency = signer
        findings.append(Finding(rule="PARSE-AGENCY-SIGNATURE", severity="info", where="meta.agency",
                                message=f"标题中没有报告机关名称，机关名称取自文末落款“{signer}”"))
    if agency is None and (untitled := _agency_untitled(norm, norm_lines, signer_at)) is not None:
        agency = untitled[0]
        findings.append(untitled[1])
    if agency is not None and (scoped := _scope(agency, title.text if title else None)) is not None:
        agency = scoped[0]
        findings.append(scoped[1])
    if agency is not None and (damaged := _damaged_name(agency, stated.names, signer)) is not None:
        agency = damaged[0]
        findings.append(damaged[1])
    if agency is not None and (pictured := _agency_from_picture(doc, norm, agency)) is not None:
        findings.append(pictured)
    return MetaRead(
        title=title.text if title else None,
        agency=agency,
        year=year,
        published=published,
        signed=signed,
        period=period,
        findings=findings,
    )


def _from_line(skip: int, lines: list[str], norm_lines: list[str], norm: str, first_heading: int | None,
               opening: tuple[int, int] | None) -> tuple[list[str], list[str], str, int | None, tuple[int, int] | None]:
    """The text from line ``skip`` on, and the positions in it: the head of the page is looked at by line counts and
    character counts (its first 80 lines, its first 6000 characters), which the lines above would use up."""
    start = sum(len(line) + 1 for line in norm_lines[:skip])
    return (lines[skip:], norm_lines[skip:], norm[start:], first_heading - skip if first_heading is not None else None,
            (max(0, opening[0] - start), max(0, opening[1] - start)) if opening is not None else None)


def _shared_date(part: PartOf, year: int) -> Finding:
    """PARSE-PUBLISHED-COMPILATION: a report of a compilation dated by the whole file's date."""
    return Finding(rule="PARSE-PUBLISHED-COMPILATION", severity="info", where="meta.published",
                   message=(f"这份报告没有印出自己的发布日期，发布日期取自整个文件（汇编或页面）{part.shared_from}"
                            f"（{part.shared}）：文件所收{year}年度的各份报告共用这一日期，请核对"))


def _year_the_date_fits(years: tuple[int, int], published: str | None) -> int | None:
    """Of two years a report may cover, the only one its publication date fits: a report for a year is
    published in the next one (by 31 March at the latest, often later), never before the year ends."""
    if published is None:
        return None
    fits = [year for year in years if int(published[:4]) == year + 1]
    return fits[0] if len(fits) == 1 else None


def _year_conflict(titled: int, stated: int, taken: int, published: str | None) -> Finding:
    """PARSE-YEAR-CONFLICT: which year was taken, and why."""
    if taken == titled and (published is None or _year_the_date_fits((titled, stated), published) is None):
        why = "取标题中的年度"
    else:
        which = "标题中的" if taken == titled else "正文所述的"
        why = f"发布日期（{published}）合于{taken}年度的报告，取{which}年度"
    return Finding(rule="PARSE-YEAR-CONFLICT", severity="warning", where="meta.year",
                   message=f"标题中的年度（{titled}年）与正文所述年度（{stated}年）不一致，{why}，请核对")


def _signed_lost(printed: str, readings: list[str], year: int, findings: list[Finding]) -> str | None:
    """A signing date that lost its 年 and 月 (``2023130日``): the one reading that falls when a report for
    ``year`` is signed (the next year, or the year's last days), with a note; else None, said why."""
    fits = [found for found in readings if f"{year}-12-20" <= found <= f"{year + 1}-12-31"]
    if len(fits) == 1:
        findings.append(Finding(rule="PARSE-DATE-LOST", severity="info", where="meta.signed",
                                message=f"落款日期“{printed}”中的“年”“月”在抓取中丢失，只有一种读法是{year}年度报告的"
                                        f"落款日期，读作{fits[0]}"))
        return fits[0]
    if len(fits) > 1:
        findings.append(Finding(rule="PARSE-DATE-LOST", severity="info", where="meta.signed",
                                message=f"落款日期“{printed}”中的“年”“月”在抓取中丢失，可读作{'或'.join(fits)}，不采用"))
    return None


def _scope(agency: str, title: str | None) -> tuple[str, Finding] | None:
    """PARSE-AGENCY-SCOPE: the body's name without the bracket stating what the report covers (``某县人民政府（含直属
    部门）`` → ``某县人民政府``), or the bracket printed after the report's name; the reviewer is told the scope."""
    if (scoped := split_scope(agency)) is not None:
        name, scope = scoped
        message = (f"机关名称后的括注“{scope}”说明报告的范围，不是机关名称的一部分：机关名称取“{name}”，"
                   "报告所涵盖的范围以括注为准，请核对")
    elif title is not None and (after := scope_after(title)) is not None:
        name = agency
        message = f"报告名称后的括注“{after}”说明报告的范围（机关名称为“{name}”），报告所涵盖的范围以括注为准，请核对"
    else:
        return None
    return name, Finding(rule="PARSE-AGENCY-SCOPE", severity="info", where="meta.agency", message=message)


def _damaged_name(agency: str, names: tuple[str, ...], signer: str | None) -> tuple[str, Finding] | None:
    """A body's name with characters lost in the crawl (``浙江�温州市…``, ``西峰区民政府``): the intact name the
    text names elsewhere (the preamble's, the signature's) that it is, else itself with a warning; None if whole."""
    lost = count_lost(agency)
    for name in names:
        if name == agency or count_lost(name) or not (_fills_marks(agency, name) if lost else _one_dropped(agency, name)):
            continue
        where = "文末落款" if name == signer else "引言"
        how = "有字符在抓取或解码时丢失" if lost else f"比{where}中的名称少一个字（抓取中丢失）"
        return name, Finding(rule="PARSE-AGENCY-DAMAGED", severity="info", where="meta.agency",
                             message=f"机关名称“{agency}”{how}，取{where}中完整的名称“{name}”")
    if lost:
        return agency, Finding(rule="PARSE-AGENCY-DAMAGED", severity="warning", where="meta.agency",
                               message=f"机关名称“{agency}”有{lost}个字符在抓取或解码时丢失，正文中没有完整的名称可以补回，请核对")
    return None


def _agency_from_picture(doc: Document, norm: str, agency: str) -> Finding | None:
    """PARSE-OCR-AGENCY where the body's name was read from a picture: OCR confuses look-alike characters
    (信都区 as 信郡区) and loses the first one of a large title, so the name is to be checked against the
    picture, the more so where the text names the body elsewhere one character apart."""
    read = [line.confidence for line in doc.lines if line.confidence is not None and agency in compact(line.text)]
    if not read:
        return None
    # A scan's own OCR layer was recognised by the program that made the file, not by us.
    how = "取自PDF自带的文字识别层" if min(min(c) for c in read) >= TEXT_LAYER_CONFIDENCE else "由图片识别（OCR）读出"
    others = sorted(_one_apart(agency, compact(norm)))
    if others:
        return Finding(rule="PARSE-OCR-AGENCY", severity="warning", where="meta.agency",
                       message=f"机关名称“{agency}”{how}，正文另一处识别为“{'”“'.join(others)}”，"
                               "两者相差一个字，请对照原图核对")
    return Finding(rule="PARSE-OCR-AGENCY", severity="info", where="meta.agency",
                   message=f"机关名称“{agency}”{how}，请对照原图核对")


def _one_apart(name: str, text: str) -> set[str]:
    """The strings in ``text`` that are ``name`` with one character inside it replaced, or with one more
    character before it (the first character of a large title is the one OCR loses)."""
    if len(name) < 4:
        return set()
    variants = [re.escape(name[:k]) + "[\u4e00-\u9fff]" + re.escape(name[k + 1 :]) for k in range(1, len(name) - 1)]
    # One more character only where a name can start (after punctuation, at a line's start), not 现公布某局….
    pattern = "|".join(["(?:^|(?<=[\\s,.:;，。：；、]))[\u4e00-\u9fff]" + re.escape(name), *variants])
    return {m.group() for m in re.finditer(pattern, text)} - {name}


def _fills_marks(damaged: str, name: str) -> bool:
    """Whether ``name`` is ``damaged`` with each run of lost marks in it standing for one to three characters
    (a character wrongly decoded can leave up to three marks)."""
    pattern = "".join(".{1,3}" if k % 2 else re.escape(part)
                      for k, part in enumerate(_MARK_RUNS.split(mark_lost(damaged))))
    return re.fullmatch(pattern, name) is not None


def _one_dropped(damaged: str, name: str) -> bool:
    """Whether ``damaged`` is ``name`` with one character inside it dropped (``西峰区民政府``, ``西峰区人民政府``):
    a name cut at either end (``西峰区人民政府``, ``庆阳市西峰区人民政府``) is only shorter, not damaged."""
    if len(name) != len(damaged) + 1 or len(damaged) < 4 or damaged in name:
        return False
    return any(name[:k] + name[k + 1 :] == damaged for k in range(1, len(name) - 1))


# The preamble naming the report as the one published: ``特向社会公布某局2022年政府信息公开工作年度报告``.
_PUBLISHED_NAMED = re.compile(
    rf"(?:公布|发布|现将)([\u4e00-\u9fff()（）]{{2,40}}?){_YEAR}年度?(?:{REPORT_WORDS.pattern})"
)


def _stated(norm: str, period: dict[str, str | None] | None, signer: str | None) -> Stated:
    """What the report's text says of itself: the year of its statistical period (or of the report its
    preamble publishes), the bodies its preamble and its signature name."""
    names = [signer] if signer else []
    year = None
    if period and period["start"] and (period["end"] is None or period["end"][:4] == period["start"][:4]):
        year = int(period["start"][:4])
    head = compact(norm[:6000])
    for m in _PUBLISHED_NAMED.finditer(head):
        if about_the_reports(m.group(1), head[m.end() : m.end() + 8]) or _inside_book_marks(head, m.start(1)):
            continue
        name = clean_agency(m.group(1))
        if name and not name.startswith(("我", "本")):
            names.append(name)
        year = year or int(m.group(2))
        break
    return Stated(year, tuple(names))


def _report_window(first_heading: int | None) -> tuple[int, int] | None:
    """The lines just above (and at) the first statutory heading, when the head of the page does not reach them."""
    if first_heading is None or first_heading - _ABOVE_HEADING < _HEAD_LINES // 2:
        return None
    return first_heading - _ABOVE_HEADING, first_heading + 1


def _title_near_report(lines: list[str], norm_lines: list[str], first_heading: int | None,
                       stated: Stated | None = None) -> Title | None:
    """The title at the head of the page or, below a site's menus, just above the report's first heading.

    The one above the report wins when it names both the body and the year: a menu may name
    some report too.
    """
    window = _report_window(first_heading)
    if window is not None:
        known = TitleLines()  # the two searches look at some lines alike
        near = find_title(lines[window[0]:window[1]], norm_lines[window[0]:window[1]], known, stated)
        head = find_title(lines, norm_lines, known, stated)
        if near is not None and near.agency and near.year:
            # The same title at the head of the page with the body's whole name: the one near the
            # report lost the name's first characters to a line break (``…80485_平`` / ``潭综合实验区…``).
            if head is not None and is_tail(near, head):
                return head
            return near
        if near is None or (head is not None and (head.year is not None, head.agency is not None)
                            > (near.year is not None, near.agency is not None)):
            return head
        return near
    return find_title(lines, norm_lines, stated=stated)


def _published_near_report(norm_lines: list[str], first_heading: int | None, signed_at: int | None,
                           lead: tuple[str, ...] = ()) -> str | None:
    """The publication stamp at the head of the page or, below a site's menus, above the report's first
    heading; failing both, the page's stamp printed under the article (``发布日期：… 浏览次数：412``).

    ``lead``: a compilation's report's page furniture printed just above its title, whose stamps are its own."""
    if lead:
        n = len(lead)
        norm_lines = [*lead, *norm_lines]
        first_heading = first_heading + n if first_heading is not None else None
        signed_at = signed_at + n if signed_at is not None else None
    found = find_published(norm_lines)
    window = _report_window(first_heading)
    if found is None and window is not None:
        found = find_published(norm_lines[window[0]:window[1]])
    if found is not None:
        return found
    return find_published_below(norm_lines[signed_at + 1:] if signed_at is not None else norm_lines)


def _agency_from_prose(norm: str) -> tuple[str | None, int | None]:
    """``现公布荷塘区桂花街道办事处2019年政府信息公开工作年度报告`` in the preamble."""
    head = compact(norm[:3000])
    for m in _PROSE_TITLE.finditer(head):
        # A notice cited by the preamble (《某办关于做好2022年…年度报告编制发布工作的通知》) is not the report.
        if about_the_reports(m.group(1), head[m.end() : m.end() + 8]) or _inside_book_marks(head, m.start(1)):
            continue
        return clean_agency(m.group(1)), int(m.group(2))
    return None, None


def _inside_book_marks(text: str, at: int) -> bool:
    """Whether a position is inside 《…》 (the name of a cited document)."""
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


def _signer(norm_lines: list[str], signed_at: int) -> str | None:
    """The body's name on the line just above the signing date, if it reads as one."""
    for j in range(signed_at - 1, max(-1, signed_at - 3), -1):
        line = norm_lines[j].strip()
        if not line:
            continue
        name = compact(strip_furniture(line))
        if is_name_line(line) and BODY_END.search(name) and 3 <= len(name) <= 30:
            return clean_agency(name)
        return None
    return None



# The preamble saying who compiled the report: ``本报告根据《条例》规定，由某机关编制``, ``本年度报告由某局负责编制``.
_COMPILED_BY = re.compile(
    r"本(?:年度)?报告[^。；;由]{0,80}由([\u4e00-\u9fff()（）]{2,40}?)(?:根据[^。；;]{0,80}?|负责|组织|牵头|汇总)?编制"
)
# How many lines with text at the end of the page a signature without its date is looked for in.
_END_LINES = 12


def _agency_untitled(norm: str, norm_lines: list[str], signed_at: int | None) -> tuple[str, Finding] | None:
    """The body where neither a title nor a dated signature names it: the name the report ends with (a
    signature without its date), or the preamble's ``本报告由某机关编制``; the preamble's when the two differ."""
    compiler = _compiled_by(norm)
    ender = _name_at_end(norm_lines) if signed_at is None else None
    if ender is not None and (compiler is None or same_body(ender, compiler)):
        return ender, Finding(rule="PARSE-AGENCY-SIGNATURE", severity="info", where="meta.agency",
                              message=f"标题中没有报告机关名称，机关名称取自文末落款“{ender}”")
    if compiler is not None:
        return compiler, Finding(rule="PARSE-AGENCY-PREAMBLE", severity="info", where="meta.agency",
                                 message=f"标题中没有报告机关名称，机关名称取自引言“由{compiler}编制”")
    return None


def _compiled_by(norm: str) -> str | None:
    """The body the preamble says compiled the report (not ``本机关``, ``我局``)."""
    m = _COMPILED_BY.search(compact(norm[:6000]))
    if m is None or _inside_book_marks(m.string, m.start(1)):
        return None
    name = clean_agency(m.group(1))
    if name is None or name.startswith(("我", "本")) or not BODY_END.search(name):
        return None
    return name


def _name_at_end(norm_lines: list[str]) -> str | None:
    """A body's name ending the report with no date under it: the last line that is not the site's (its footer,
    links, buttons), set under a line of prose (a menu's items stand among other short lines)."""
    filled = [line for line in reversed(norm_lines) if line.strip()][:_END_LINES]
    for k, line in enumerate(filled):
        if _site_furniture(line):
            continue
        name = compact(strip_furniture(line))
        above = filled[k + 1] if k + 1 < len(filled) else ""
        if (is_name_line(line) and BODY_END.search(name) and 3 <= len(name) <= 30
                and "。" in above and not _site_furniture(above)):
            return clean_agency(name)
        return None
    return None


def _site_furniture(line: str) -> bool:
    """A line of the page around the report at its end: footer, links to other pages, buttons."""
    return is_site_line(line) or bool(NAVIGATION.match(line) or FURNITURE.search(line))
