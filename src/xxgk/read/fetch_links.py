"""A web page → the attachments it links (附件: .pdf, .docx, ...), the likeliest report first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from xxgk.read.html_depth import check_nesting

# Document formats a report is attached in, by how well we read them (Excel is listed so
# that the user hears the tables were in a format we cannot read).
_FORMATS = {".pdf": 3, ".docx": 3, ".doc": 2, ".wps": 2, ".xlsx": 1, ".xls": 1}
_FILE_NAME = re.compile(r"\.(pdf|docx?|wps|xlsx?)$", re.IGNORECASE)
# Words naming the annual report, and words naming other things pages attach (forms, guides).
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告")
_DISCLOSURE_WORDS = re.compile(r"政府信息公开|政务公开|信息公开")
_OTHER_WORDS = re.compile(r"申请表|登记表|指南|目录|模板|样表|须知|说明书")
_ATTACHMENT_WORDS = re.compile(r"附件|下载|全文")
# Download scripts of government CMSs: the link text or a parameter names the file.
_DOWNLOAD_PATH = re.compile(r"down|attach|file|getfile", re.IGNORECASE)
# Each link's text is looked at, not kept: a hostile page may make it huge.
_MAX_TEXT = 300
_MAX_LINKS = 5000


@dataclass(frozen=True, slots=True)
class Attachment:
    """A linked file that may hold the report: its absolute URL and what the page calls it."""

    url: str
    label: str
    rank: tuple[int, int, int, int]


def attachment_links(html: str, page_url: str) -> list[Attachment]:
    """Turn a page's HTML into the document files it links, the likeliest report first."""
    check_nesting(html)  # before the parser: its time grows with the depth
    tree = LexborHTMLParser(html)
    base = page_url
    if (node := tree.css_first("base[href]")) is not None:
        base = urljoin(page_url, (node.attributes.get("href") or "").strip())
    found: dict[str, Attachment] = {}
    for position, (target, label) in enumerate(_targets(tree)):
        if position >= _MAX_LINKS:
            break
        attachment = _attachment(base, page_url, target, label, position)
        if attachment is not None and attachment.url not in found:
            found[attachment.url] = attachment
    return sorted(found.values(), key=lambda a: a.rank, reverse=True)


def _targets(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Turn a parsed page into (address, label) pairs: links, embedded viewers and objects."""
    targets: list[tuple[str, str]] = []
    for node in tree.css("a[href], iframe[src], embed[src], object[data]"):
        attrs = node.attributes
        target = attrs.get("href") or attrs.get("src") or attrs.get("data") or ""
        text = node.text(deep=True, separator="", strip=True)[:_MAX_TEXT] if node.tag == "a" else ""
        label = " ".join(filter(None, (text, attrs.get("title") or "", attrs.get("download") or "")))
        targets.append((target.strip(), " ".join(label.split())))
    return targets


def _attachment(base: str, page_url: str, target: str, label: str, position: int) -> Attachment | None:
    """Turn one link into an Attachment if it points at a document file, else None."""
    if not target or target.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    url = urljoin(base, target)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or url.split("#")[0] == page_url.split("#")[0]:
        return None
    name = _file_name(parts.path)
    for key, value in parse_qsl(parts.query):
        if name is not None:
            break
        value = unquote(value).strip()
        if not _FILE_NAME.search(value):
            continue
        if "/" in value:
            # A viewer (``viewer.html?file=/uploads/x.pdf``): the parameter is the file's address.
            url = urljoin(url, value)
            name = _file_name(urlsplit(url).path)
        elif key.lower() in ("filename", "fname", "name", "file", "title") or _DOWNLOAD_PATH.search(parts.path):
            name = value  # ``downfile.jsp?...&filename=xxx.pdf``: this link downloads it
    if name is None and _DOWNLOAD_PATH.search(parts.path) and (match := _FILE_NAME.search(label)):
        name = label[: match.end()]  # "附件：xx年度报告.pdf" linking to ``/download?id=123``
    kind = _FILE_NAME.search(name) if name is not None else None
    if name is None or kind is None:
        return None
    extension = "." + kind.group(1).lower()
    words = f"{label} {name}"
    about_report = -1 if _OTHER_WORDS.search(words) else (
        2 if _REPORT_WORDS.search(words) else 1 if _DISCLOSURE_WORDS.search(words) else 0
    )
    rank = (about_report, _FORMATS[extension], 1 if _ATTACHMENT_WORDS.search(label) else 0, -position)
    return Attachment(url=url, label=label or name, rank=rank)


def _file_name(path: str) -> str | None:
    """Turn a URL path into its file name if that is a document file, else None."""
    name = unquote(path.rsplit("/", 1)[-1])
    return name if _FILE_NAME.search(name) else None
