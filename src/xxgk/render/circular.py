"""The circular (通报) as a Word file, from a template an office edits in Word: docxtpl fills it.

The template is Jinja2 inside a .docx (``{{ total }}``, ``{%tr for r in ranking %}`` for the rows of
a table); its placeholders are listed in docs/circular.md. It is rendered in Jinja's sandbox with
every value escaped for XML, so neither the template nor a report's text (quoted in the problems)
can run code or break the document.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE = Path(__file__).with_name("circular_template.docx")
# Characters XML 1.0 forbids (a control character in a report's text would make Word refuse the file).
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class CircularError(ValueError):
    """A template that cannot be filled; ``str(err)`` is Chinese."""


def clean(value: Any) -> Any:
    """A value fit for the document: text without characters XML forbids, containers cleaned throughout."""
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub("", value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def fill_circular(context: Mapping[str, Any], template: Path | None = None) -> bytes:
    """The circular: the template (the packaged one by default) filled with ``context``, as .docx bytes."""
    source = template or TEMPLATE
    try:
        document = DocxTemplate(str(source))
        document.render(clean(context), jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except TemplateError as err:
        raise CircularError(f"通报模板中的占位符有误（{type(err).__name__}：{str(err)[:120]}）") from err
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, PackageNotFoundError) as err:  # not a Word file
        raise CircularError(f"通报模板不是有效的 Word（.docx）文件：{source}") from err
    return out.getvalue()
