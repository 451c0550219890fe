"""A restart finds its build current from the code, without compiling, and every change to what a build comes
from makes it compile (and rebuild) again."""

from __future__ import annotations

import importlib
import logging
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.build import pipeline
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.build.manifest import read_manifest
from pyreact_asgi.build.pipeline import Current, compile_recorded, load_current

STATE = """
import pyreact_asgi as pr


class Tally(pr.State):
    count: int = 0

    @pr.event
    def add(self) -> None:
        self.count += 1
"""
HELPERS = """
import pyreact_asgi as pr


def banner(text):
    return pr.heading(text, id="banner")
"""
PAGES = """
import pyreact_asgi as pr

from {prefix}_helpers import banner
from {prefix}_state import Tally


def index():
    return pr.vstack(banner("Hello"), pr.text(Tally.count), pr.button("+", on_click=Tally.add))


def about():
    from {prefix}_lazy import WORDS  # imported only while the page compiles

    return pr.text(WORDS)
"""
LAZY = 'WORDS = "lazy words"\n'


class Project:
    """A project's modules written to a directory on sys.path, and its app made from them."""

    def __init__(self, root: Path, prefix: str) -> None:
        self.root = root
        self.prefix = prefix
        self.build_dir = root / "build"
        for suffix, source in (("state", STATE), ("helpers", HELPERS), ("pages", PAGES), ("lazy", LAZY)):
            self.write(suffix, source.format(prefix=prefix))

    def write(self, suffix: str, source: str) -> None:
        (self.root / f"{self.prefix}_{suffix}.py").write_text(textwrap.dedent(source), encoding="utf-8")

    def edit(self, suffix: str, old: str, new: str) -> None:
        path = self.root / f"{self.prefix}_{suffix}.py"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def app(self, *, theme: pr.Theme | None = None, title: str = "Test") -> pr.PyApp:
        pages = importlib.import_module(f"{self.prefix}_pages")
        config = pr.Config(build_dir=self.build_dir, title=title, theme=theme or pr.Theme())
        return pr.PyApp({"/": pages.index, "/about": pages.about}, config=config)


@pytest.fixture
def project(tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    prefix = f"fp_{request.node.name.replace('[', '_').replace(']', '').replace('-', '_')}"
    monkeypatch.syspath_prepend(str(tmp_path))
    yield Project(tmp_path, prefix)
    for name in [m for m in sys.modules if m.startswith(prefix)]:
        del sys.modules[name]


def current(app: pr.PyApp) -> Current | None:
    return load_current(app.build_dir, app._ordered_pages(), theme=app.config.theme, event_path=app.config.event_path)


def test_unchanged_code_is_current_without_compiling(project: Project) -> None:
    app = project.app()
    assert current(app) is None, "nothing built yet"
    assert app.build().built
    found = current(app)
    assert found is not None
    assert found.bundle.built is False
    assert found.bundle.manifest.entry == app.build().manifest.entry
    state = importlib.import_module(f"{project.prefix}_state").Tally
    assert found.states == {"tally": state}
    assert found.page_states["/"] == frozenset({"tally"})


@pytest.mark.asyncio
async def test_startup_skips_the_compile_when_current(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    project.app().build()
    app = project.app()
    compiled: list[object] = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        compiled.append(args)
        return compile_recorded(*args, **kwargs)

    monkeypatch.setattr("pyreact_asgi.app.compile_recorded", counting)
    async with app.lifespan():
        assert app.bundle.built is False
    assert compiled == []
    project.edit("pages", '"Hello"', '"Hi"')
    async with project.app().lifespan():
        pass
    assert len(compiled) == 1, "a changed page compiles again"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: p.edit("pages", '"Hello"', '"Hi"'), id="page-module"),
        pytest.param(lambda p: p.edit("state", "count: int = 0", "count: int = 5"), id="state-module"),
        pytest.param(lambda p: p.edit("helpers", 'id="banner"', 'id="top"'), id="imported-helper-module"),
        pytest.param(lambda p: p.edit("lazy", "lazy words", "other words"), id="module-imported-by-a-page"),
        pytest.param(lambda p: (p.root / f"{p.prefix}_helpers.py").unlink(), id="module-removed"),
    ],
)
def test_changed_code_is_not_current(project: Project, change: Callable[[Project], None]) -> None:
    app = project.app()
    app.build()
    assert current(app) is not None
    change(project)
    assert current(app) is None


def test_changed_settings_are_not_current(project: Project) -> None:
    project.app().build()
    assert current(project.app()) is not None
    assert current(project.app(theme=pr.Theme(accent="#ff0000"))) is None
    assert current(project.app(title="Another title")) is None


def test_library_version_and_runtime_are_inputs(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runtime = tmp_path / "runtime.js"
    runtime.write_bytes(pipeline.RUNTIME_PATH.read_bytes())
    monkeypatch.setattr(pipeline, "RUNTIME_PATH", runtime)
    app = project.app()
    app.build()
    assert current(app) is not None
    monkeypatch.setattr(pipeline, "__version__", "999.0")
    assert current(app) is None
    monkeypatch.undo()
    monkeypatch.setattr(pipeline, "RUNTIME_PATH", runtime)
    assert current(app) is not None
    runtime.write_bytes(runtime.read_bytes() + b"\n// changed")
    assert current(app) is None


def test_rebuild_after_a_change_records_the_new_code(project: Project) -> None:
    project.app().build()
    project.edit("pages", '"Hello"', '"Hi"')
    sys.modules.pop(f"{project.prefix}_pages")  # as a new process would import it
    app = project.app()
    bundle = app.build()
    assert bundle.built
    found = current(app)
    assert found is not None
    assert found.bundle.manifest.entry == bundle.manifest.entry


def test_pages_that_are_not_module_level_functions_always_compile(project: Project) -> None:
    index = importlib.import_module(f"{project.prefix}_pages").index
    greeting = "from a closure"
    app = pr.PyApp({"/": index, "/x": lambda: pr.text(greeting)}, config=pr.Config(build_dir=project.build_dir))
    assert app.build().built
    assert current(app) is None
    manifest = read_manifest(project.build_dir)
    assert manifest is not None
    assert manifest.code is None


def test_state_made_in_a_function_always_compiles(project: Project) -> None:
    def make() -> type[pr.State]:
        class Made(pr.State):
            value: int = 0

        return Made

    made = make()

    def page() -> pr.Component:
        return pr.text(getattr(made, "value"))  # noqa: B009  # the class is only known as a State here

    page.__qualname__ = "fp_made_page"
    setattr(sys.modules[__name__], "fp_made_page", page)  # noqa: B010  # a module-level name for the page
    try:
        app = pr.PyApp({"/": page}, config=pr.Config(build_dir=project.build_dir))
        app.build()
        assert current(app) is None, "the state's class is not found by its name"
    finally:
        delattr(sys.modules[__name__], "fp_made_page")


def test_a_file_saved_during_the_compile_is_not_recorded(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    app = project.app()

    def compile_while_saving(*args: Any, **kwargs: Any) -> Any:
        compiled = compile_app(*args, **kwargs)
        project.edit("helpers", 'id="banner"', 'id="saved-meanwhile"')
        return compiled

    monkeypatch.setattr("pyreact_asgi.build.pipeline.compile_app", compile_while_saving)
    app.build()
    manifest = read_manifest(project.build_dir)
    assert manifest is not None
    assert manifest.code is None


def test_first_build_logs_what_and_how_long(project: Project, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="pyreact_asgi"):
        project.app().build()
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Built the frontend")]
    assert line.startswith("Built the frontend of 2 pages in ")
    assert " ms: app." in line
    assert str(project.build_dir) in line
