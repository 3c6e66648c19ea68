"""The package's layers point one way, and no two files import each other (directly or round a circle).

Every ``import`` in every module under ``src/xxgk`` counts: at the top, under ``if TYPE_CHECKING:``,
inside functions, relative or absolute. Layers, lowest first (a module may import its own layer and
those below it, never one above):

    templates, model  the statutory declaration and the report model (and ``_version``, ``_address``: what a
                      web address looks like, for the root, the guard and the command line; ``names``: the
                      Chinese names of severities and levels)
    read              bytes → documents (text, cells, attachments); knows nothing of reports
    parse             documents → reports
    check             the rules, judging reports and plain data handed to them
    xxgk (the root)   the library's face: ``xxgk.parse()`` = read + parse + check
    guard             the same in a watched process (time and memory limits), for untrusted documents;
                      used by the store, the web and the command line
    db                one database: engine helpers, every table's metadata, the Alembic history.
                      Below the store, the register and the web, which all use it; above the
                      library's face only because it sits under the store, it imports nothing above templates.
    store             the reports' store
    register          an office's register of applications
    web               the web application
    cli               the command line (``xxgk/__main__.py`` with it)

``render`` (writing documents) stands beside templates: it may import templates and model only,
and only store and the layers above it may import it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "xxgk"

# Lowest first: a module may import from its own layer and those before it.
ORDER = ["templates", "read", "parse", "check", "root", "guard", "db", "store", "register", "web", "cli"]
RENDER_MAY_IMPORT = {"templates", "render"}
RENDER_USED_FROM = {"render", "store", "register", "web", "cli"}


@dataclass(frozen=True)
class Import:
    """One import statement's target, resolved to a module of the package."""

    source: str  # importing module, e.g. xxgk.read.fetch
    target: str  # imported module, e.g. xxgk.parse.report
    line: int
    text: str  # the statement as written


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def layer(module: str) -> str:
    """The layer a module belongs to (see the module's docstring)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    top = parts[1]
    if top in ("templates", "model", "names", "_version", "_address"):
        return "templates"
    if top == "__main__":
        return "cli"
    return top


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The package module a dotted name imports (the longest existing prefix), or None if outside."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """Every import in a module's file that names a module of the package."""
    code = path.read_text(encoding="utf-8")
    tree = ast.parse(code, filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                # ``from pkg import name``: a submodule if pkg has one by that name, else pkg itself.
                # The root's ``parse`` is the function ``xxgk.parse``, not the subpackage.
                sub = f"{origin}.{alias.name}"
                if sub in modules and sub != "xxgk.parse":
                    targets.append(sub)
                else:
                    targets.append(origin)
        for target in dict.fromkeys(resolve(name, modules) for name in targets):
            if target is not None and target != module:
                text = " ".join((ast.get_source_segment(code, node) or target).split())
                found.append(Import(module, target, getattr(node, "lineno", 0), text))
    return found


def all_imports() -> list[Import]:
    modules = module_files()
    return [imp for module, path in modules.items() for imp in imports_of(module, path, modules)]


def where(imp: Import) -> str:
    path = module_files()[imp.source].relative_to(SRC.parent)
    return f"{path}:{imp.line}: {imp.text}"


def wrong_way(imp: Import) -> str | None:
    """Why an import points the wrong way, or None if it is allowed."""
    low, high = layer(imp.source), layer(imp.target)
    if low == "render":
        return None if high in RENDER_MAY_IMPORT else f"render imports {high}"
    if high == "render":
        return None if low in RENDER_USED_FROM else f"{low} imports render (used from store upward only)"
    if ORDER.index(high) > ORDER.index(low):
        return f"{low} imports {high}, a higher layer"
    return None


def test_imports_point_down_the_layers() -> None:
    wrong = [f"{where(imp)}  ({why})" for imp in all_imports() if (why := wrong_way(imp))]
    assert not wrong, "imports against the layer order:\n" + "\n".join(wrong)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circles_between_files() -> None:
    imports = all_imports()
    edges: dict[str, set[str]] = {module: set() for module in module_files()}
    for imp in imports:
        edges[imp.source].add(imp.target)
    reports = []
    for component in cycles(edges):
        members = set(component)
        inside = [where(imp) for imp in imports if imp.source in members and imp.target in members]
        reports.append("circle through " + ", ".join(component) + ":\n  " + "\n  ".join(inside))
    assert not reports, "import circles:\n" + "\n".join(reports)


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    """The walker finds imports under TYPE_CHECKING, inside functions and relative ones."""
    modules = {"xxgk": PACKAGE / "__init__.py", "xxgk.read": PACKAGE, "xxgk.read.a": PACKAGE,
               "xxgk.read.b": PACKAGE, "xxgk.parse": PACKAGE, "xxgk.store": PACKAGE}
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from xxgk.store import Store\n"
        "def f():\n    from . import b\n    from ..parse import x\n"
        "from xxgk import parse\n"
    )
    probe = tmp_path / "a.py"
    probe.write_text(source, encoding="utf-8")
    found = {imp.target for imp in imports_of("xxgk.read.a", probe, modules)}
    assert found == {"xxgk.store", "xxgk.read.b", "xxgk.parse", "xxgk"}
    assert wrong_way(Import("xxgk.read.a", "xxgk.store", 3, "")) is not None
    assert wrong_way(Import("xxgk.read.a", "xxgk", 7, "")) is not None
    assert wrong_way(Import("xxgk.store.a", "xxgk.render", 1, "")) is None
    assert wrong_way(Import("xxgk.check.a", "xxgk.render", 1, "")) is not None
    assert wrong_way(Import("xxgk.render.a", "xxgk.read", 1, "")) is not None
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
