"""The shape of src/: no import cycles, nothing imports the package root, no global state in the build."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"
PACKAGE = "pyreact_asgi"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, modules: set[str], this: str, is_package: bool) -> set[str]:
    """Every module of the package that ``tree`` imports, lazily inside functions too; ``if TYPE_CHECKING:``
    blocks never run, so they are left out."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = this.split(".") if is_package else this.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {name for name in found if name in modules and name != this}


def import_graph() -> dict[str, set[str]]:
    """Returns module → the modules of the package it imports, read from the source with ast."""
    paths = {_module_name(path): path for path in (SRC / PACKAGE).rglob("*.py")}
    modules = set(paths)
    return {
        name: _imports(ast.parse(path.read_text()), modules, name, path.name == "__init__.py")
        for name, path in paths.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Returns the strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_architecture_graph_sees_the_modules_and_their_imports() -> None:
    graph = import_graph()
    assert "pyreact_asgi.state.tree" in graph["pyreact_asgi.state.base"]
    assert "pyreact_asgi.state.base" not in graph["pyreact_asgi.state.tree"]  # only under TYPE_CHECKING


def test_architecture_cycle_finder_finds_lazy_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]


def test_architecture_src_has_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, f"Import cycles in src/: {sorted(sorted(c) for c in found)}"


def test_architecture_no_module_imports_the_package_root() -> None:
    # The root imports app.py and, through it, nearly everything: importing it back makes a circle.
    graph = import_graph()
    assert sorted(name for name, targets in graph.items() if PACKAGE in targets) == []


def test_architecture_build_keeps_no_state_at_module_level() -> None:
    # Two apps in one process share nothing: a build module may not rebind its globals.
    for path in (SRC / PACKAGE / "build").glob("*.py"):
        tree = ast.parse(path.read_text())
        assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global)], path.name


def test_architecture_no_private_state_access_from_outside_the_state_package() -> None:
    for path in (SRC / PACKAGE).rglob("*.py"):
        if "state" in path.relative_to(SRC / PACKAGE).parts[:1]:
            continue
        assert "._pr" not in path.read_text(), f"{path} reaches into a State's private tracking"
