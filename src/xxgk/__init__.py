"""xxgk: read, check and store government information disclosure annual reports.

>>> import xxgk
>>> report = xxgk.parse("报告.html")      # a path, or the bytes of a file
>>> report.tables["requests"]["new_received"]["total"]
>>> report.to_dict()                      # the contract JSON (xxgk.report/1)

Importing the package is cheap: the readers, the parser and the rules are imported when first
used, so that ``xxgk --help`` and a command that never reads a report do not pay for them.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

from xxgk._address import is_web_address
from xxgk._version import __version__

if TYPE_CHECKING:
    from xxgk.model import Finding, Report
    from xxgk.read import Document, ReadError

__all__ = ["Document", "Finding", "ReadError", "Report", "__version__", "parse", "parse_all", "parse_document",
           "parse_document_all", "parse_text"]

# Names of the public API imported on first use: name → module.
_LAZY = {"Finding": "xxgk.model", "Report": "xxgk.model", "Document": "xxgk.read", "ReadError": "xxgk.read"}

# The (empty) subpackage ``xxgk.parse`` is imported first so that the function ``parse`` below,
# the documented API, is what ``xxgk.parse`` names afterwards.
importlib.import_module("xxgk.parse")


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'xxgk' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def parse_document(doc: Document) -> Report:
    """Recognise and check the report in a document that has been read (the first, where it holds several)."""
    from xxgk.parse.report import parse_document as recognise

    return _checked(recognise(doc))


def parse_document_all(doc: Document) -> list[Report]:
    """Recognise and check every report a document holds (a 汇编: each from its own text), in order."""
    from xxgk.parse.report import parse_documents

    return [_checked(report) for report in parse_documents(doc)]


def _checked(report: Report) -> Report:
    """The report with the rules' findings added (those the parser has not already made at the same place)."""
    from xxgk.check import check_report

    seen = {(f.rule, f.where) for f in report.findings}
    report.findings.extend(f for f in check_report(report) if (f.rule, f.where) not in seen)
    return report


def parse_all(source: str | os.PathLike[str] | bytes, name: str | None = None) -> list[Report]:
    """Like ``parse``, but every report of a document that holds several (one report: a list of one)."""
    return parse_document_all(_read_source(source, name))


def _read_source(source: str | os.PathLike[str] | bytes, name: str | None) -> Document:
    """A path, the bytes of a file or a web address, read into a Document."""
    if is_web_address(source):
        from xxgk.parse.source import read_url  # httpx is loaded only for web addresses

        return read_url(source)
    from xxgk.read import read

    return read(source, name)


def parse(source: str | os.PathLike[str] | bytes, name: str | None = None) -> Report:
    """Read a report file (path or bytes; text, HTML, …) or web address into a checked Report."""
    return parse_document(_read_source(source, name))


def parse_text(text: str, name: str = "text") -> Report:
    """Read a report given as text."""
    from xxgk.read.document import DocumentBuilder
    from xxgk.read.drawn import unbox

    builder = DocumentBuilder()
    builder.add_text(unbox(text.replace("\r\n", "\n").replace("\r", "\n")))  # as a text file's (read/text.py)
    return parse_document(builder.build(name, "text", text.encode("utf-8")))
