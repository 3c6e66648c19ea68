"""A Word template an office edits (docxtpl: Jinja2 inside a .docx), filled with every guard in one place.

The annual report (``render/docx.py``), the letters (``render/letter.py``) and the circular
(``render/circular.py``) are all filled here, so each has the same guards: the file's size and
what its ZIP declares (a bomb is refused before anything is unpacked), placeholders whose brackets
do not pair, Jinja's sandbox with every value escaped for XML, and ``StrictUndefined``: a
placeholder the context lacks (an office's typo, ``{{ applicnat }}``) is an error naming it as the
template writes it, never a silent blank in a letter sent to a citizen. Every message is Chinese
and says which template (报告模板, 文书模板, 通报模板) and where its placeholders are listed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml.etree import LxmlError

# An office's template is a few dozen KB (a letterhead image: a few hundred); far beyond is not a template.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
# ZIP bombs: what its parts may declare, decompressed (the reader stops at the declared size), and their number.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 10_000
# Characters XML 1.0 forbids (a pasted control character would make Word refuse the file).
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")
_UNSAFE = re.compile(r"attribute '([^']+)'")
_TAG = re.compile(r"\{[{%].*?[%}]\}")
# A template's parts that docxtpl fills, their paragraphs and their text.
_FILLED_PART = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_BRACKET = re.compile(r"\{[{%#]|[}%#]\}")
_CLOSING = {"{{": "}}", "{%": "%}", "{#": "#}"}
# Jinja's words for the commonest slips, in Chinese.
_SYNTAX = ((re.compile(r"Unexpected end of template"), "缺少结束标记（如 {%p endfor %}、{%p endif %}）"),
           (re.compile(r"No filter named '([^']*)'"), "没有名为 \\1 的过滤器"),
           (re.compile(r"Encountered unknown tag '([^']*)'"), "不认识的标记 \\1（或缺少与之配对的开始标记）"),
           (re.compile(r"unexpected '([^']*)'"), "多余的 \\1"))


class WordTemplateError(ValueError):
    """A template that cannot be filled; ``str(err)`` is Chinese and names the placeholder."""


@dataclass(frozen=True, slots=True)
class TemplateKind:
    """What a template is, for its messages: ``报告模板``, where its placeholders are listed, its error class."""

    name: str
    placeholders: str
    error: type[WordTemplateError]


Context = Mapping[str, Any] | Callable[[Any], Mapping[str, Any]]


def clean(value: Any) -> Any:
    """A value fit for the document: text without characters XML forbids, containers cleaned throughout."""
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub("", value)
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def fill(kind: TemplateKind, template: Path | bytes, context: Context) -> bytes:
    """The template filled with ``context`` (or what it makes of the opened template), as .docx bytes."""
    raw = template_bytes(kind, template)
    name = _name(template)
    document: Any = None
    try:
        _check_brackets(kind, raw)
        document = DocxTemplate(io.BytesIO(raw))
        values = context(document) if callable(context) else context
        document.render(clean(values), jinja_env=SandboxedEnvironment(autoescape=True, undefined=StrictUndefined),
                        autoescape=True)
        out = io.BytesIO()
        document.save(out)
    except WordTemplateError:
        raise
    except TemplateError as err:
        raise kind.error(_placeholder_error(kind, err, document)) from err
    except (TypeError, ArithmeticError) as err:  # ``{{ total - missing_names }}``: arithmetic on the wrong values
        raise kind.error(f"{kind.name}中的占位符有误：无法计算（{str(err)[:80]}）{_where(kind)}") from err
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, PackageNotFoundError, LxmlError) as err:
        raise kind.error(f"{kind.name}不是有效的 Word（.docx）文件{name}") from err
    return out.getvalue()


def template_bytes(kind: TemplateKind, template: Path | bytes) -> bytes:
    """The template's bytes, refused (in Chinese) when it is unreadable, too large or a ZIP bomb."""
    name = _name(template)
    too_large = f"{kind.name}过大（超过 {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB），不像是 Word 模板{name}"
    if isinstance(template, bytes):
        raw = template
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise kind.error(too_large)
    else:
        try:
            if template.stat().st_size > MAX_TEMPLATE_BYTES:
                raise kind.error(too_large)
            raw = template.read_bytes()
        except FileNotFoundError as err:
            raise kind.error(f"找不到{kind.name}{name}") from err
        except OSError as err:
            raise kind.error(f"无法读取{kind.name}{name}（{err.strerror or err}）") from err
    try:
        infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        raise kind.error(f"{kind.name}不是有效的 Word（.docx）文件（已损坏或不完整）{name}") from err
    if len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise kind.error(f"{kind.name}解压后过大或部件过多，可能是压缩炸弹{name}")
    return raw


def _check_brackets(kind: TemplateKind, raw: bytes) -> None:
    """Refuse a placeholder whose brackets do not pair (``{{ title }``): Jinja would swallow the text up to the next."""
    with zipfile.ZipFile(io.BytesIO(raw)) as package:
        parts = [n for n in package.namelist() if _FILLED_PART.fullmatch(n)]
        for part in parts:
            xml = package.read(part).decode("utf-8", "replace")
            for paragraph in _PARAGRAPH.findall(xml):
                text = "".join(_TEXT.findall(paragraph))
                if _unpaired(text):
                    raise kind.error(f"{kind.name}中的占位符有误，括号不配对：“{text[:80]}”（每个 {{{{ 应有 }}}}，"
                                     f"每个 {{% 应有 %}}；可用的占位符见 {kind.placeholders}）")


def _unpaired(text: str) -> bool:
    """Whether the paragraph's text opens a tag it does not close, or closes one it did not open."""
    expect = None
    for bracket in _BRACKET.findall(text):
        if bracket in _CLOSING:
            if expect is not None:
                return True
            expect = _CLOSING[bracket]
        elif bracket == expect:
            expect = None
        elif bracket != "#}" or expect is not None:  # a lone ``#}`` is text, a misplaced closer is not
            return True
    return expect is not None


def _placeholder_error(kind: TemplateKind, err: TemplateError, document: Any) -> str:
    """What is wrong with a placeholder, in Chinese, quoting it as the template writes it."""
    where = _where(kind)
    if isinstance(err, UndefinedError):
        found = _UNDEFINED.search(str(err))
        name = next((g for g in found.groups() if g), "") if found else ""
        quoted = _quote(document, name) if name else ""
        return f"{kind.name}中的占位符有误：没有“{name or str(err)[:60]}”{quoted}{where}"
    if isinstance(err, SecurityError):
        found = _UNSAFE.search(str(err))
        what = f"：不能访问属性 {found.group(1)}" if found else f"（{str(err)[:100]}）"
        return f"{kind.name}中的占位符不被允许{what}{where}"
    if isinstance(err, TemplateSyntaxError):
        said = str(err)
        for pattern, chinese in _SYNTAX:
            found = pattern.search(said)
            if found:
                said = f"{found.expand(chinese)}；{said[:80]}"
                break
        near = " ".join(" ".join(getattr(err, "docx_context", ())).split())[:120]
        return f"{kind.name}中的占位符写法有误（{said[:120]}）" + (f"，出错处附近的文字：{near}" if near else "") + where
    return f"{kind.name}中的占位符有误（{type(err).__name__}：{str(err)[:100]}）{where}"


def _quote(document: Any, name: str) -> str:
    """The template's tag that uses ``name`` (``{{ agnecy }}``), to find it in Word; blank if not found."""
    try:
        text = re.sub(r"<[^>]+>", "", document.get_xml())
    except (AttributeError, ValueError):
        return ""
    tag = next((t for t in _TAG.findall(text) if re.search(rf"\b{re.escape(name)}\b", t)), "")
    return f"（模板中写作 {tag[:80]}）" if tag else ""


def _where(kind: TemplateKind) -> str:
    return f"（可用的占位符见 {kind.placeholders}）"


def _name(template: Path | bytes) -> str:
    """``：report.docx`` to end a message with, or nothing for a template given as bytes."""
    return f"：{template.name}" if isinstance(template, Path) else ""
