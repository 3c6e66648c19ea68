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
import re
from typing import TYPE_CHECKING, Any

from xxgk._version import __version__

if TYPE_CHECKING:
    from xxgk.model import Finding, Report
    from xxgk.read import Document, ReadError

__all__ = ["Document", "Finding", "ReadError", "Report", "__version__", "parse", "parse_document", "parse_text"]

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
    """Recognise and check the report in a document that has been read."""
    from xxgk.check import check_report
    from xxgk.parse.report import parse_document as recognise

    report = recognise(doc)
    seen = {(f.rule, f.where) for f in report.findings}
    report.findings.extend(f for f in check_report(report) if (f.rule, f.where) not in seen)
    return report


def parse(source: str | os.PathLike[str] | bytes, name: str | None = None) -> Report:
    """Read a report file (path or bytes; text, HTML, …) or web address into a checked Report."""
    if isinstance(source, str) and re.match(r"\s*[A-Za-z][A-Za-z0-9+.-]*://", source):
        from xxgk.parse.source import read_url  # httpx is loaded only for web addresses

        return parse_document(read_url(source))
    from xxgk.read import read

    return parse_document(read(source, name))


def parse_text(text: str, name: str = "text") -> Report:
    """Read a report given as text."""
    from xxgk.read.document import DocumentBuilder
    from xxgk.read.drawn import unbox

    builder = DocumentBuilder()
    builder.add_text(unbox(text.replace("\r\n", "\n").replace("\r", "\n")))  # as a text file's (read/text.py)
    return parse_document(builder.build(name, "text", text.encode("utf-8")))
