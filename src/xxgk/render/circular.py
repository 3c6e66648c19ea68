"""The circular (通报) as a Word file, from a template an office edits in Word: docxtpl fills it.

The template is Jinja2 inside a .docx (``{{ total }}``, ``{%tr for r in ranking %}`` for the rows of
a table); its placeholders are listed in docs/circular.md. It is filled by ``render/word_template.py``:
in Jinja's sandbox with every value escaped for XML, so neither the template nor a report's text
(quoted in the problems) can run code or break the document, and a placeholder the context lacks is
an error naming it, never a blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xxgk.render.word_template import TemplateKind, WordTemplateError, fill

TEMPLATE = Path(__file__).with_name("circular_template.docx")


class CircularError(WordTemplateError):
    """A template that cannot be filled; ``str(err)`` is Chinese and names the placeholder."""


KIND = TemplateKind("通报模板", "docs/circular.md", CircularError)


def fill_circular(context: Mapping[str, Any], template: Path | None = None) -> bytes:
    """The circular: the template (the packaged one by default) filled with ``context``, as .docx bytes."""
    return fill(KIND, template or TEMPLATE, context)
