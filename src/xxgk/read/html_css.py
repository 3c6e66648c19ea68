"""What a page's own stylesheets hide from the screen: the ``<style>`` rules a browser would apply to hide an element.

A page may keep a second copy of its tables hidden by a class (an old version under ``.old{display:none}``,
a print copy under ``@media screen{.print-only{display:none}}``, Bootstrap's ``.d-none``); read as text,
the later copy would overwrite the visible one. Only what surely hides on a screen is honoured: rules
whose selectors are simple (a tag, classes, an id: ``div.old``, ``.a, .b``), at the top of a sheet or
in ``@media screen``/``all``, and in width queries answered for a desktop screen 1280 px wide (a responsive
page's PC table beside its mobile cards: the PC table is read). ``@media print`` hides nothing here. A rule that shows the
element again (``.tab-pane.active{display:block}``, an inline ``style="display:block"``) wins as the
cascade says: ``!important`` first, then specificity, then the later rule. External sheets (``<link>``)
are not fetched: what they hide is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

# Where a rule applies: always on a screen, on some screens (a width query, @supports), never (print).
_ALWAYS, _SOMETIMES, _NEVER = 2, 1, 0
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_BRACE = re.compile(r"[{}]")
_DECLARATION = re.compile(r"(?:^|;)\s*(display|visibility)\s*:\s*([^;]*)")
# A selector matched to hide: a tag, classes and ids (``div.old``, ``.d-none``, ``#print``), no combinator.
_SIMPLE = re.compile(r"(?:[A-Za-z][A-Za-z0-9]*|\*)?(?:[.#][A-Za-z_\-][\w\-]*)*")
# What shows an element only on a user's act (hover, focus…) or styles generated content, not the element.
_NOT_SHOWING = re.compile(r"::|:(?:before|after|first-line|first-letter|hover|focus|active|visited|target|checked)\b",
                          re.I)
_STRINGS = re.compile(r"\"[^\"]*\"|'[^']*'")
_CLASS_LIKE = re.compile(r"\.[\w\-]|\[|:(?!:)[\w\-]")
_TYPE = re.compile(r"(?:^|[\s>+~(])[A-Za-z][\w\-]*")
# The last compound selector of a selector (what names the element matched), and its parts.
_LAST_COMPOUND = re.compile(r"[^\s>+~]+$")
_PARTS = re.compile(r"([.#]?)([\w\-]+)")
_NOT_NAMES = re.compile(r"\[[^\]]*\]|::?[\w\-]+(?:\([^)]*\))?")


class _Rule(NamedTuple):
    """A selector's say on one property (``display`` or ``visibility``): whether it hides, and its weight."""

    selector: str
    prop: str
    hides: bool
    weight: tuple[bool, tuple[int, int, int], int]  # !important, specificity, order in the page


# The most hiding and showing rules weighed: the cascade compares every candidate with every rule, and a
# stylesheet of thousands of rules would cost seconds (20,000 cost minutes); real pages' inline sheets hold tens.
_MOST_RULES = 500


def sheet_hidden(tree: LexborHTMLParser, styles: Iterable[LexborNode]) -> list[LexborNode]:
    """The elements the page's ``<style>`` elements hide on a screen (``display:none``, ``visibility:hidden``)."""
    hiding: list[_Rule] = []
    showing: list[_Rule] = []
    for sheet in styles:
        media = _media_context(sheet.attributes.get("media") or "")
        css = sheet.text(deep=True)
        lowered = css.lower()
        if media == _NEVER or ("none" not in lowered and "hidden" not in lowered):
            continue
        for selectors, declarations, where in _rules(css, media):
            for rule in _rule_says(selectors, declarations, len(hiding) + len(showing)):
                if rule.hides and where == _ALWAYS and _SIMPLE.fullmatch(rule.selector):
                    hiding.append(rule)
                elif not rule.hides or where == _ALWAYS:
                    showing.append(rule)  # a hide that may not apply counts for nothing, a show anywhere counts
    if not hiding or len(hiding) + len(showing) > _MOST_RULES:
        return []  # none, or a sheet too big to weigh per element (each candidate meets every rule): read as shown
    candidates = _selected(tree, sorted({rule.selector for rule in hiding}))
    if not candidates:
        return []
    shows = _relevant(showing, candidates)
    return [node for node in candidates if _cascade_hides(node, hiding, shows)]


def _rules(css: str, media: int) -> Iterator[tuple[str, str, int]]:
    """The style rules of a sheet: (selector list, declarations, where it applies), nested at-rules read through."""
    css = _COMMENT.sub(" ", css)
    contexts = [media]
    at = 0
    while (brace := _BRACE.search(css, at)) is not None:
        if brace.group() == "}":
            if len(contexts) > 1:
                contexts.pop()
            at = brace.end()
            continue
        prelude = css[at:brace.start()].rsplit(";", 1)[-1].strip()  # past @import …; and @charset …;
        if prelude.startswith("@"):
            contexts.append(min(contexts[-1], _at_rule_context(prelude)))
            at = brace.end()
            continue
        end = css.find("}", brace.end())
        if end < 0:
            return
        if contexts[-1] != _NEVER:
            yield prelude, css[brace.end():end], contexts[-1]
        at = end + 1


def _at_rule_context(prelude: str) -> int:
    """Where the rules inside an at-rule apply (``@media screen`` always, ``@media print`` never…)."""
    name, _, condition = prelude.partition(" ")
    name = name.lower()
    if name == "@media":
        return _media_context(condition)
    if name in ("@supports", "@layer", "@container", "@document", "@scope"):
        return _SOMETIMES
    return _NEVER  # @font-face, @keyframes, @page…: no rules for elements


def _media_context(media: str) -> int:
    """Where a media query list applies: every screen (``screen``, ``all``, none given), some, or never (print).

    Width queries are answered for a desktop screen: a responsive page's PC table is read, its mobile cards
    (``@media (min-width:769px){.m-only{display:none}}``) are not, as a reviewer at a desk sees the page."""
    queries = [" ".join(query.split()) for query in media.lower().split(",")]
    if not media.strip():
        return _ALWAYS
    on_desktop = [_on_desktop(query) for query in queries]
    if any(on_desktop):
        return _ALWAYS
    if all(answer is False or query.removeprefix("only ").split(" ")[0] in ("print", "speech")
           for query, answer in zip(queries, on_desktop, strict=True)):
        return _NEVER
    return _SOMETIMES


# The screen width a page is read at (px), and a query's width conditions (``(min-width: 769px)``).
_DESKTOP_WIDTH = 1280
_WIDTH = re.compile(r"\(\s*(min|max)-width\s*:\s*(\d+(?:\.\d+)?)px\s*\)")
_MEDIA_TYPE = re.compile(r"^(?:only\s+)?(?:screen|all)(?:\s+and\s+|$)")


def _on_desktop(query: str) -> bool | None:
    """Whether a media query holds on a desktop screen: None where it asks more than the type and width."""
    rest = _MEDIA_TYPE.sub("", query, count=1)
    if not rest:
        return True if _MEDIA_TYPE.match(query) else None
    answers: list[bool] = []
    for condition in rest.split(" and "):
        m = _WIDTH.fullmatch(condition.strip())
        if m is None:
            return None
        width = float(m.group(2))
        answers.append(width <= _DESKTOP_WIDTH if m.group(1) == "min" else width >= _DESKTOP_WIDTH)
    return all(answers)


def _rule_says(selectors: str, declarations: str, order: int) -> Iterator[_Rule]:
    """What a rule says of ``display`` and ``visibility``, once per selector of its list."""
    said = declared(declarations)
    if not said:
        return
    for selector in (part.strip() for part in selectors.split(",")):
        if not selector or _NOT_SHOWING.search(selector):
            continue
        specificity = _specificity(selector)
        for prop, (hides, important) in said.items():
            yield _Rule(selector, prop, hides, (important, specificity, order))


def declared(declarations: str) -> dict[str, tuple[bool, bool]]:
    """What declarations say of ``display`` and ``visibility``: per property, (whether it hides, !important)."""
    said: dict[str, tuple[bool, bool]] = {}
    lowered = declarations.lower()
    if "display" not in lowered and "visibility" not in lowered:
        return said
    for prop, value in _DECLARATION.findall(lowered):
        important = "!" in value and "important" in value
        if said.get(prop, (False, False))[1] and not important:
            continue  # an earlier !important declaration in the same block wins
        word = value.split("!")[0].strip()
        said[prop] = (word == "none" if prop == "display" else word in ("hidden", "collapse"), important)
    return said


def _specificity(selector: str) -> tuple[int, int, int]:
    """A selector's specificity (ids, classes/attributes/pseudo-classes, types), counted closely enough."""
    bare = _STRINGS.sub("", selector)
    return bare.count("#"), len(_CLASS_LIKE.findall(bare)), len(_TYPE.findall(bare))


def _relevant(showing: list[_Rule], candidates: set[LexborNode]) -> list[_Rule]:
    """The showing rules that may match a candidate: their last compound names none of its tag, id or classes otherwise."""
    names: set[str] = set()
    for node in candidates:
        attributes = node.attributes
        names.add(node.tag or "")
        names.add("#" + (attributes.get("id") or ""))
        names.update("." + name for name in (attributes.get("class") or "").split())
    out = []
    for rule in showing:
        last = _LAST_COMPOUND.search(rule.selector)
        compound = _NOT_NAMES.sub("", last.group() if last else "")
        if all((sign + name if sign else name.lower()) in names for sign, name in _PARTS.findall(compound)):
            out.append(rule)
    return out


def _selected(tree: LexborHTMLParser, selectors: list[str]) -> set[LexborNode]:
    """The elements any of these selectors match (one search of the page; one per selector if Lexbor refuses the list)."""
    try:
        return set(tree.css(", ".join(selectors)))
    except SelectolaxError:  # a selector Lexbor cannot parse
        return {node for selector in selectors for node in _safe_css(tree, selector)}


def _safe_css(tree: LexborHTMLParser, selector: str) -> list[LexborNode]:
    """The elements a selector matches; none if Lexbor cannot read it."""
    try:
        return list(tree.css(selector))
    except SelectolaxError:
        return []


def _cascade_hides(node: LexborNode, hiding: list[_Rule], showing: list[_Rule]) -> bool:
    """Whether the cascade leaves the element hidden: the weightiest rule that matches it hides, per property."""
    inline = declared(node.attributes.get("style") or "")
    for prop in ("display", "visibility"):
        weights = [(rule.weight, rule.hides) for rule in hiding if rule.prop == prop and _matches(node, rule)]
        if not weights:
            continue
        weights += [(rule.weight, rule.hides) for rule in showing if rule.prop == prop and _matches(node, rule)]
        weight, hides = max(weights)
        if prop in inline:  # the element's own style outweighs every rule but an !important one
            inline_hides, important = inline[prop]
            if important or not weight[0]:
                hides = inline_hides
        if hides:
            return True
    return False


def _matches(node: LexborNode, rule: _Rule) -> bool:
    """Whether a rule's selector matches the element (a selector Lexbor cannot read matches nothing)."""
    try:
        return bool(node.css_matches(rule.selector))
    except SelectolaxError:  # a selector Lexbor cannot parse
        return False
