"""Development mode's hot reload in a real chromium against a real uvicorn: a saved page changes the open tab
in place, keeping its state; a broken save shows an overlay until it is fixed."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pyreact_asgi.devreload import DevServer, Reloader
from tests.e2e.browsing import NewTab
from tests.servers import LiveServer, serve

pytestmark = pytest.mark.e2e

SOURCE = """
import pyreact_asgi as pr


class Clicks(pr.State):
    count: int = 0

    @pr.event
    def add(self) -> None:
        self.count += 1


def index() -> pr.Component:
    return pr.vstack(
        pr.text("Clicked", id="label"),
        pr.heading(Clicks.count, id="count"),
        pr.button("+1", on_click=Clicks.add, id="add"),
    )


ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=BUILD_DIR))
"""


@pytest.fixture
def project(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    """A project directory with one module defining the app, importable as ``hot_<test>``."""
    name = f"hot_{request.node.name.replace('[', '_').replace(']', '').replace('-', '_')}"
    root = tmp_path / "project"
    root.mkdir()
    (root / f"{name}.py").write_text(SOURCE.replace("BUILD_DIR", repr(str(tmp_path / "build"))), encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        yield root, name
    finally:
        sys.path.remove(str(root))
        for module in [m for m in sys.modules if m.startswith(name)]:
            del sys.modules[module]


@pytest.fixture
def dev_server(project: tuple[Path, str]) -> Iterator[tuple[LiveServer, Path]]:
    root, name = project
    ui = importlib.import_module(name).ui
    with serve(DevServer(ui, Reloader(ui, f"{name}:ui", root))) as server:
        yield server, root / f"{name}.py"


@pytest.mark.browser
def test_saved_page_swaps_in_keeping_state_and_errors_show_an_overlay(
    new_tab: NewTab, dev_server: tuple[LiveServer, Path]
) -> None:
    server, source = dev_server
    tab = new_tab()
    page = tab.page
    page.goto(f"{server.url}/")
    expect(page.locator("#count")).to_have_text("0")
    page.locator("#add").click()
    page.locator("#add").click()
    expect(page.locator("#count")).to_have_text("2")
    page.evaluate("window.notReloaded = true")  # gone if the page were loaded again

    source.write_text(source.read_text().replace('"Clicked"', '"Clicks so far"'), encoding="utf-8")
    expect(page.locator("#label")).to_have_text("Clicks so far")
    expect(page.locator("#count")).to_have_text("2")
    assert page.evaluate("window.notReloaded") is True

    good = source.read_text()
    source.write_text(good.replace("def index() -> pr.Component:", "def index() -> pr.Component\n"), encoding="utf-8")
    overlay = page.get_by_role("alertdialog")
    expect(overlay).to_be_visible()
    expect(overlay).to_contain_text(f"{source}:")
    expect(overlay).to_contain_text("SyntaxError")

    source.write_text(good.replace('"Clicks so far"', '"Fixed"'), encoding="utf-8")
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    expect(page.locator("#label")).to_have_text("Fixed")
    page.locator("#add").click()
    expect(page.locator("#count")).to_have_text("3")
    assert page.evaluate("window.notReloaded") is True
