"""The page `pyreact init` writes works in a real browser: typing and clicks reach the state and come back."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.cli.conftest import PAGE, pyreact
from tests.cli.test_run import running
from tests.e2e.browsing import NewTab, browser, new_tab

__all__ = ["browser", "new_tab"]  # fixtures, imported to be found by pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.mark.parametrize("template", ["standalone", "fastapi"])
def test_generated_page_handles_events(tmp_path: Path, new_tab: NewTab, template: str) -> None:
    assert pyreact("init", f"--{template}", "browsed", cwd=tmp_path).returncode == 0
    path, _ = PAGE[template]
    with running(tmp_path / "browsed", "--no-reload") as (port, _):
        tab = new_tab()
        page = tab.page
        page.goto(f"http://127.0.0.1:{port}{path}")
        expect(page.get_by_text("Hello, stranger!")).to_be_visible()
        page.get_by_placeholder("Your name").fill("  Ada  ")
        expect(page.get_by_text("Hello, Ada!")).to_be_visible()  # the handler stripped the spaces
        page.get_by_role("button", name="Click me").click()
        page.get_by_role("button", name="Click me").click()
        expect(page.get_by_text("Clicked 2 times.")).to_be_visible()
        page.get_by_role("button", name="Reset").click()
        expect(page.get_by_text("Clicked 0 times.")).to_be_visible()
        expect(page.get_by_text("Hello, stranger!")).to_be_visible()
