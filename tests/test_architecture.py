"""The package's shape, read from the source with ``ast``: the plugin is a leaf (the engine never
depends on it), modules import each other without cycles, and the plugin uses other modules
through their public names only."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "saferegress"
PLUGIN = f"{PACKAGE}.plugin"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported saferegress module
    names: tuple[str, ...]  # names taken from it (``from target import a, b``)
    line: int
    #: Run when the module is imported (not inside a function). Imports under
    #: ``if TYPE_CHECKING:`` never run and are not counted.
    at_import: bool


def module_names() -> dict[str, Path]:
    modules = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = module_names()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, at_import: bool) -> Iterator[tuple[ast.stmt, bool]]:
    """Import statements under ``node``, each with whether it runs at import time."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, at_import
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(child, False)
        elif isinstance(child, ast.If) and _is_type_checking(child):
            yield from _walk_statements(child.orelse, at_import)  # typing-only: never run
        else:  # class bodies, if/try/with at module level: run at import
            yield from _walk(child, at_import)


def _walk_statements(
    statements: list[ast.stmt], at_import: bool
) -> Iterator[tuple[ast.stmt, bool]]:
    for statement in statements:
        yield from _walk(ast.Module(body=[statement], type_ignores=[]), at_import)


def _resolve(name: str) -> str | None:
    """The saferegress module ``name`` refers to (the longest prefix that is one)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node, at_import in _walk(tree, True):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name)
                if target is not None:
                    found.append(Import(module, target, (), node.lineno, at_import))
            continue
        assert isinstance(node, ast.ImportFrom)
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            origin = ".".join(base + ([node.module] if node.module else []))
        else:
            origin = node.module or ""
        if not (origin == PACKAGE or origin.startswith(PACKAGE + ".")):
            continue
        names = tuple(alias.name for alias in node.names)
        plain = []
        for name in names:  # ``from package import submodule`` imports the submodule
            if f"{origin}.{name}" in MODULES:
                found.append(Import(module, f"{origin}.{name}", (), node.lineno, at_import))
            else:
                plain.append(name)
        target = _resolve(origin)
        if plain and target is not None:
            found.append(Import(module, target, tuple(plain), node.lineno, at_import))
    return found


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def in_plugin(module: str) -> bool:
    return module == PLUGIN or module.startswith(PLUGIN + ".")


def cycles(at_import_only: bool) -> list[list[str]]:
    """Strongly connected components of the import graph with more than one module, each as
    one cycle through all its modules' edges (Tarjan)."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in ALL_IMPORTS:
        if imp.target != imp.source and (imp.at_import or not at_import_only):
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(_one_cycle(graph, set(component)))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A concrete cycle inside a strongly connected component, for the message."""
    start = min(component)
    path = [start]
    seen = {start}
    node = start
    while True:
        nxt = sorted(n for n in graph[node] if n in component)
        back = [n for n in nxt if n in seen]
        if back:
            first = path.index(back[0])
            return path[first:] + [back[0]]
        node = nxt[0]
        path.append(node)
        seen.add(node)


def describe(cycle: list[str]) -> str:
    return " -> ".join(cycle)


def test_the_scan_sees_the_package() -> None:
    # Guards the scan itself: a broken walker would make every test below pass vacuously.
    assert f"{PLUGIN}.hooks" in MODULES and f"{PACKAGE}.engine.runner" in MODULES
    hooks = {imp.target for imp in ALL_IMPORTS if imp.source == f"{PLUGIN}.hooks"}
    assert f"{PLUGIN}.items" in hooks
    runner = [imp for imp in ALL_IMPORTS if imp.source == f"{PACKAGE}.engine.runner"]
    assert any(imp.target == f"{PACKAGE}.suite.cases" and imp.at_import for imp in runner)
    assert any(imp.target == f"{PACKAGE}.backends" and not imp.at_import for imp in runner)


def test_nothing_outside_the_plugin_imports_it() -> None:
    offenders = [
        f"{MODULES[imp.source].relative_to(SRC)}:{imp.line}: imports {imp.target}"
        for imp in ALL_IMPORTS
        if in_plugin(imp.target) and not in_plugin(imp.source)
    ]
    assert not offenders, "the engine must not depend on the plugin:\n" + "\n".join(offenders)


def test_no_import_cycles_at_import_time() -> None:
    found = cycles(at_import_only=True)
    assert not found, "import cycles among saferegress modules:\n" + "\n".join(
        describe(c) for c in found
    )


def test_no_import_cycles_even_through_function_level_imports() -> None:
    # A function-level import defers a cycle to run time; it still ties the two modules
    # together (neither can be understood, moved or tested without the other).
    found = cycles(at_import_only=False)
    assert not found, "import cycles among saferegress modules (function-level too):\n" + (
        "\n".join(describe(c) for c in found)
    )


def test_the_plugin_takes_part_in_no_cycle_even_through_function_level_imports() -> None:
    found = [c for c in cycles(at_import_only=False) if any(in_plugin(m) for m in c)]
    assert not found, "cycles through the plugin:\n" + "\n".join(describe(c) for c in found)


@pytest.mark.parametrize("module", sorted(MODULES), ids=lambda m: m.removeprefix(f"{PACKAGE}."))
def test_no_module_imports_private_names(module: str) -> None:
    offenders = [
        f"{MODULES[module].relative_to(SRC)}:{imp.line}: {name} from {imp.target}"
        for imp in ALL_IMPORTS
        if imp.source == module and imp.target != module
        for name in imp.names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not offenders, "private names imported across modules:\n" + "\n".join(offenders)


def test_a_planted_cycle_and_a_planted_private_import_are_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The checks can fail: a cycle a -> b -> a and a private import are reported.
    planted = [
        Import("saferegress.plugin.hooks", "saferegress.engine.runner", ("_x",), 1, True),
        Import("saferegress.engine.runner", "saferegress.plugin.hooks", (), 1, True),
    ]
    monkeypatch.setattr(sys.modules[__name__], "ALL_IMPORTS", ALL_IMPORTS + planted)
    found = cycles(at_import_only=True)
    assert any("saferegress.plugin.hooks" in c and "saferegress.engine.runner" in c for c in found)
    deferred = [Import("saferegress.engine.specs", "saferegress.backends", (), 1, False)]
    monkeypatch.setattr(sys.modules[__name__], "ALL_IMPORTS", ALL_IMPORTS + deferred)
    with pytest.raises(AssertionError, match="saferegress.backends -> saferegress.engine.specs"):
        test_no_import_cycles_even_through_function_level_imports()
    monkeypatch.setattr(sys.modules[__name__], "ALL_IMPORTS", ALL_IMPORTS + planted)
    with pytest.raises(AssertionError, match="must not depend on the plugin"):
        test_nothing_outside_the_plugin_imports_it()
    with pytest.raises(AssertionError, match="_x from saferegress.engine.runner"):
        test_no_module_imports_private_names("saferegress.plugin.hooks")
