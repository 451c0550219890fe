"""The shape of the package: no import cycles, and no process-global mutable state in the build."""

from __future__ import annotations

import ast
from pathlib import Path

import pyreact_asgi

PACKAGE = Path(pyreact_asgi.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(tree: ast.Module) -> set[str]:
    """What a module imports when it is imported: not under ``if TYPE_CHECKING:``, not inside functions."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        imported = _top_level_imports(ast.parse(path.read_text()))
        graph[name] = {target for target in imported if target in modules and target != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for node in sorted(graph):
        found = visit(node, [])
        if found:
            return found
    return None


def test_no_module_imports_the_package_root() -> None:
    # The root imports app.py and, through it, nearly everything: importing it back makes a circle.
    graph = _graph()
    importers = sorted(name for name, targets in graph.items() if "pyreact_asgi" in targets)
    assert importers == []


def test_no_import_cycles_outside_the_package_root() -> None:
    graph = _graph()
    graph.pop("pyreact_asgi")  # the facade imports everything, and nothing imports it
    assert _cycle(graph) is None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_build_keeps_no_state_at_module_level() -> None:
    # Two apps in one process share nothing: a build module may not rebind its globals.
    for path in (PACKAGE / "build").glob("*.py"):
        tree = ast.parse(path.read_text())
        assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global)], path.name
