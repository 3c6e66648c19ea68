"""Deeply nested HTML is refused before the parser sees it (its time grows with the depth).

The audit's page: 100,000 nested ``<div>`` (1.1 MB) took 53 s in the parser. The pre-scan's
count is held against the parser's own tree (Lexbor) on the shapes real and hostile pages take.
Pages of at most ``SCAN_ABOVE_TAGS`` tags are not counted (the parser's worst case there is a
fraction of a second: bench figures in xxgk.read.html_depth): they are read at any depth.
"""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import DATA
from hostile import formatting_html, nested_html
from xxgk.read import ReadError, read_bytes
from xxgk.read.html_depth import MAX_DEPTH, SCAN_ABOVE_TAGS, check_nesting, formatting_cost, nesting_depth


def lexbor_depth(text: str) -> int:
    """The depth of the deepest element in the parser's tree (html = 1)."""
    tree = LexborHTMLParser(text)
    deepest, stack = 0, [(tree.root, 1)]
    while stack:
        node, depth = stack.pop()
        if node is None:
            continue
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            if child.is_element_node:
                stack.append((child, depth + 1))
            child = child.next
    return deepest


def test_the_audits_page_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ReadError, match=r"^网页的标签嵌套过深（超过 1000 层），无法读取"):
        read_bytes(nested_html(100_000), "deep.html")


def padded(page: bytes) -> bytes:
    """The page after enough shallow paragraphs to have it counted (more than SCAN_ABOVE_TAGS tags)."""
    head, body = page.split(b"<body>")
    return head + b"<body>" + "<p>政府信息公开</p>".encode() * (SCAN_ABOVE_TAGS // 2) + body


@pytest.mark.parametrize("tag", ["div", "font", "span", "ul", "blockquote", "b"])
def test_pages_just_too_deep_are_refused_and_just_deep_enough_are_read(tag: str) -> None:
    with pytest.raises(ReadError, match="嵌套过深"):
        read_bytes(padded(nested_html(MAX_DEPTH + 10, tag)), "deep.html")
    assert read_bytes(padded(nested_html(MAX_DEPTH - 10, tag)), "ok.html").format == "html"


@pytest.mark.parametrize("tag", ["div", "font", "span", "ul", "blockquote", "b"])
def test_a_small_page_is_read_at_any_depth(tag: str) -> None:
    page = nested_html(SCAN_ABOVE_TAGS // 2 - 10, tag)  # 2,490 levels, not counted
    assert page.count(b"<") <= SCAN_ABOVE_TAGS
    assert "政府信息公开工作年度报告" in read_bytes(page, "deep.html").text


@pytest.mark.parametrize("as_bytes", [False, True])
def test_only_pages_of_more_tags_than_the_bound_are_counted(monkeypatch: pytest.MonkeyPatch, as_bytes: bool) -> None:
    # A page is given as text, or as its UTF-8 bytes (the HTML reader's UTF-8 pages): counted alike.
    import xxgk.read.html_depth as html_depth

    counted: list[str] = []

    def counting(text: str, stop_above: int) -> int:
        counted.append(text)
        return 0

    def page(tags: int) -> str | bytes:
        text = "<div>政府信息" * tags
        return text.encode("utf-8") if as_bytes else text

    monkeypatch.setattr(html_depth, "nesting_depth", counting)
    check_nesting(page(SCAN_ABOVE_TAGS))
    assert counted == []
    check_nesting(page(SCAN_ABOVE_TAGS + 1))
    assert counted == ["<div>政府信息" * (SCAN_ABOVE_TAGS + 1)]  # the scan is given the text


def test_a_real_page_is_not_counted() -> None:
    page = (DATA / "html" / "report_2021.html").read_text(encoding="utf-8")
    assert page.count("<") <= SCAN_ABOVE_TAGS


def test_a_deep_small_page_hiding_an_element_at_every_level_is_read() -> None:
    """Hidden elements' ancestors are found in one pass (each chain stops at one already found), not per level."""
    levels = SCAN_ABOVE_TAGS // 4 - 10
    body = '<div style="display:none">隐藏</div><div>' * levels + "可见的文字" + "</div>" * levels
    page = f"<html><body>{body}</body></html>".encode()
    doc = read_bytes(page, "deep.html")
    assert doc.text == "可见的文字"


def test_deeply_nested_tables_in_a_small_page_are_read_as_text() -> None:
    """Every table holds the next: none is a data table, each read once (no search of its subtree per table)."""
    levels = SCAN_ABOVE_TAGS // 4 - 10
    page = ("<html><body>" + "".join(f"<table><tr><td>第{i}层" for i in range(levels))).encode()
    doc = read_bytes(page, "deep.html")
    assert [line.text for line in doc.lines] == [f"第{i}层" for i in range(levels)]
    assert all(line.cells is None for line in doc.lines)


# Shapes of real and hostile pages: the pre-scan counts what the parser builds, give or take
# the html/body and implied tbody levels.
SHAPES = {
    "nested div": "<div>" * 3000,
    "unclosed font": "<font>a" * 3000,
    "unclosed p": "<p>a" * 3000,
    "unclosed li": "<ul>" + "<li>a" * 3000,
    "unclosed td": "<table><tr>" + "<td>a" * 3000,
    "unclosed tr": "<table>" + "<tr><td>a" * 3000,
    "nested tables": "<table><tr><td>" * 400,
    "self-closed div": "<div/>" * 3000,
    "svg shapes": "<svg>" + "<path/>" * 3000 + "</svg>",
    "tags in a script": "<script>" + "<div>" * 3000 + "</script>",
    "tags in a comment": "<!--" + "<div>" * 3000 + "-->",
    "tags in an unclosed comment": "<!--" + "<div>" * 3000,
    "dl": "<dl>" + "<dt>a<dd>b" * 1500,
    "options": "<select>" + "<option>a" * 3000,
    "headings": "<h1>a<h2>b" * 1500,
    "nested lists": "<ul><li>" * 1500,
    "unclosed a": "<a href=x>x" * 3000,
    "end tags out of scope": "<div><table></div>" * 300,
    "stray end tags": "</div>" * 3000 + "<div>" * 50,
    "balanced": ("<div><p><span>x</span></p><table><tr><td>1</td></tr></table></div>") * 3000,
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_count_follows_the_parsers_tree(shape: str) -> None:
    page = "<html><body>" + SHAPES[shape]
    counted, built = nesting_depth(page, 100_000), lexbor_depth(page)
    assert built - 2 * (built // 100 + 2) <= counted <= built + 2, (counted, built)


def test_a_real_page_is_shallow() -> None:
    page = (DATA / "html" / "report_2021.html").read_text(encoding="utf-8")
    assert nesting_depth(page) == lexbor_depth(page) - 2  # html and body are not counted


def test_depth_across_the_scans_chunks() -> None:
    filler = "<p>" + "x" * 100 + "</p>"
    page = filler * 20_000 + "<div>" * 1500 + filler * 20_000  # about 5 MB: several chunks
    assert nesting_depth(page, 100_000) == 1501  # and the <p> in the last <div>


def test_a_harvested_list_page_nested_too_deep_is_refused_before_parsing() -> None:
    from xxgk.read.crawl_links import image_sources, page_links

    page = nested_html(100_000).decode()
    for read in (lambda: page_links(page, "http://x.test/nb/"), lambda: image_sources(page, "http://x.test/nb/", 5)):
        with pytest.raises(ReadError, match="嵌套过深"):
            read()


def test_every_html_parser_is_preceded_by_the_depth_check() -> None:
    """A function anywhere in the package that builds a Lexbor tree checks the page's nesting first."""
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parents[1] / "src" / "xxgk"
    unchecked = []
    for path in sorted(src.rglob("*.py")):
        for func in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            called = {n.func.id for n in ast.walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            if {"LexborHTMLParser", "HTMLParser"} & called and "check_nesting" not in called:
                unchecked.append(f"{path.relative_to(src)} {func.name}")
    assert not unchecked, f"call xxgk.read.html_depth.check_nesting before parsing: {unchecked}"


@pytest.mark.parametrize(("count", "attributes", "tag"), [(990, 200, "b"), (4900, 15, "font"), (2000, 17, "a")])
def test_many_open_formatting_elements_with_many_attributes_are_refused(count: int, attributes: int, tag: str) -> None:
    """Shallow enough for the depth limit, but the parser would take 10–80 s over them."""
    with pytest.raises(ReadError, match=r"^网页中未闭合的带属性格式标签过多（\d+ 个），无法读取"):
        read_bytes(formatting_html(count, attributes, tag), "heavy.html")


@pytest.mark.parametrize(("count", "attributes"), [(300, 100), (4900, 2)])
def test_fewer_or_lighter_formatting_elements_are_read(count: int, attributes: int) -> None:
    """Under the bound (Lexbor about 1 s and 0.3 s on these): read."""
    assert "政府信息公开工作年度报告" in read_bytes(formatting_html(count, attributes), "ok.html").text


def test_closed_or_sloppy_links_cost_nothing_like_the_bound() -> None:
    real = (DATA / "html" / "report_2021.html").read_text(encoding="utf-8")
    assert formatting_cost(real)[0] < 1e6
    closed = "<p><a href='/x?a=1&b=2' title='链接' target=_blank>链接</a></p>" * 5000
    assert formatting_cost(closed) == (0.0, 1)
    unclosed = "<p><a href='/x?a=1&b=2' title='链接' target=_blank>链接" * 3000  # never closed: counted as open
    cost, most = formatting_cost(unclosed)
    assert most == 3000 and cost < 1e9
    check_nesting(unclosed)
