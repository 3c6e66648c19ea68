"""The office's Markdown prose → the report's preamble and section texts, placeholders filled.

Headings name the six sections (``## 一、总体情况`` or just ``## 总体情况``); a first heading
that names none is the report's title; text before the first section is the preamble.
Placeholders ``{{requests.new_received.total}}`` (table.row.column, the contract ids) or
``{{received}}`` (a named figure) are replaced by the computed numbers; an unknown one, or
one whose number is not in the register, is an error, never a blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from xxgk.register.errors import RegisterError
from xxgk.templates import statutory

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
Lookup = Callable[[str], str | None]


@dataclass
class Prose:
    """The Markdown's parts: title (if it has one), preamble, and text per section id."""

    title: str | None = None
    preamble: str = ""
    sections: dict[str, str] = field(default_factory=dict)


def fill_placeholders(markdown: str, lookup: Lookup, named: Mapping[str, str]) -> str:
    """``markdown`` with every ``{{name}}`` replaced by its value; a Chinese error naming the line otherwise."""
    out: list[str] = []
    for number, line in enumerate(markdown.splitlines(keepends=True), start=1):
        def replace(m: re.Match[str], number: int = number) -> str:
            name = m.group(1)
            value = lookup(name)
            if value is None:
                shown = name if len(name) <= 60 else name[:60] + "…"
                raise RegisterError(
                    f"Markdown 第{number}行的占位符 {{{{{shown}}}}} 无法识别或其数值尚未登记；可用：表.行.列"
                    f"（如 requests.new_received.total）或 {'、'.join(named)}")
            return value

        out.append(PLACEHOLDER.sub(replace, line))
    return "".join(out)


def section_of(heading: str) -> str | None:
    """The section id a heading names (by ordinal or by the statutory wording), None for another heading."""
    bare = "".join(heading.split()).replace("（", "(").replace("）", ")")
    for section in statutory().sections:
        if bare.startswith(section.ordinal + "、") or bare == section.heading:
            return section.id
    for section in statutory().sections:
        if any(bare.endswith(k) or bare == k for k in section.keywords):
            return section.id
    return None


def split_prose(markdown: str) -> Prose:
    """Markdown (placeholders already filled) → title, preamble and section texts (one paragraph a line)."""
    prose = Prose()
    current: str | None = None
    parts: dict[str | None, list[str]] = {None: []}
    tokens = MarkdownIt("commonmark").parse(markdown)
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        text = _plain(token)
        if tokens[i - 1].type == "heading_open":
            section = section_of(text)
            if section is None and current is None and prose.title is None and not parts[None]:
                prose.title = text
                continue
            if section is not None:
                current = section
                parts.setdefault(section, [])
                continue
        if text.strip():
            parts.setdefault(current, []).append(text.strip())
    prose.preamble = "\n".join(parts.pop(None))
    prose.sections = {sid: "\n".join(lines) for sid, lines in parts.items() if sid is not None}
    return prose


def _plain(token: Token) -> str:
    """An inline token's text without Markdown marks; soft breaks join lines (Chinese has no spaces)."""
    out: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(child.content)
    return "".join(out)
