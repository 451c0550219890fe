"""docs/from-reflex.md: every block compiles, every pyreact_asgi block runs and builds, and the recipes that
say "only the names differ" are the Reflex code with ``rx`` renamed."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyreact_asgi as pr
from tests.reflex.doc import RECIPES, blocks, load

# The recipes whose pyreact_asgi version is the Reflex one renamed, and nothing else.
RENAMED_ONLY = ("counter", "form", "streaming", "dynamic-route")


def _renamed(reflex: str) -> str:
    return (
        reflex.replace("import reflex as rx", "import pyreact_asgi as pr")
        .replace("rx.", "pr.")
        .replace("app = pr.App()", "ui = pr.PyApp()")
        .replace("app.add_page(", "ui.add_page(")
    )


def test_from_reflex_doc_has_every_recipe_both_ways() -> None:
    found = blocks()
    for recipe in RECIPES:
        assert ("reflex", recipe) in found
        assert ("pyreact_asgi", recipe) in found
    assert ("pyreact_asgi", "state-api") in found


@pytest.mark.parametrize("key", sorted(blocks()), ids=lambda key: f"{key[0]}-{key[1]}")
def test_from_reflex_doc_block_compiles(key: tuple[str, str]) -> None:
    compile(blocks()[key], f"from-reflex.md:{key[1]}", "exec")


@pytest.mark.parametrize("recipe", RENAMED_ONLY)
def test_from_reflex_doc_recipe_is_the_reflex_code_renamed(recipe: str) -> None:
    found = blocks()
    assert _renamed(found["reflex", recipe]) == found["pyreact_asgi", recipe]


@pytest.mark.parametrize("recipe", sorted({key[1] for key in blocks() if key[0] == "pyreact_asgi"}))
def test_from_reflex_doc_pyreact_block_runs_and_builds(
    recipe: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # the default build directory is under the working directory
    module = load(recipe, monkeypatch)
    ui = module.ui
    assert isinstance(ui, pr.PyApp)
    bundle = ui.build()
    assert ui.build_dir.is_relative_to(tmp_path)
    assert bundle.built
    assert ui.pages
