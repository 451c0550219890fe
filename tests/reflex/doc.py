"""The code blocks of docs/from-reflex.md, for the tests that compile, run and drive them."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "from-reflex.md"
RECIPES = ("counter", "form", "streaming", "dynamic-route", "fastapi")
_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_LABEL = re.compile(r"^# (reflex|pyreact_asgi): ([a-z-]+)\n")


def blocks() -> dict[tuple[str, str], str]:
    """Returns every Python block of the page by (framework, recipe), without its label line."""
    found: dict[tuple[str, str], str] = {}
    for match in _BLOCK.finditer(DOC.read_text()):
        label = _LABEL.match(match.group(1))
        assert label is not None, f"Every Python block of {DOC.name} starts with a label: {match.group(1)[:60]!r}"
        key = (label.group(1), label.group(2))
        assert key not in found, f"Two blocks are labelled {key}"
        found[key] = match.group(1)[label.end() :]
    return found


def load(recipe: str, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Runs the pyreact_asgi block of ``recipe`` as a module of its own, as `python -m` would import it."""
    name = f"from_reflex_{recipe.replace('-', '_')}"
    module = types.ModuleType(name)
    module.__file__ = str(DOC)
    # In sys.modules while it runs, as an imported module is: PyApp finds its @pr.page functions there.
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(blocks()["pyreact_asgi", recipe], f"{DOC.name}:{recipe}", "exec"), module.__dict__)
    return module
