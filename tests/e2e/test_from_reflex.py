"""The five Reflex cheat-sheet recipes, ported by renaming rx to pr (docs/from-reflex.md), in a real chromium
with the app mounted three levels deep."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.apps import starlette_host
from tests.e2e.browsing import NewTab
from tests.reflex.doc import load
from tests.servers import serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MOUNT = "/a/b/c"


@pytest.fixture(autouse=True)
def _build_in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The recipes use the default build directory, under the working directory.
    monkeypatch.chdir(tmp_path)


def test_recipe_counter(new_tab: NewTab, monkeypatch: pytest.MonkeyPatch) -> None:
    ui = load("counter", monkeypatch).ui
    with serve(starlette_host(ui, MOUNT)) as server:
        page = new_tab().page
        page.goto(f"{server.url}{MOUNT}/")
        count = page.get_by_role("heading")
        expect(count).to_have_text("0")
        page.get_by_role("button", name="Increment").click()
        expect(count).to_have_text("1")
        page.get_by_role("button", name="Increment").click()
        page.get_by_role("button", name="Decrement").click()
        expect(count).to_have_text("1")
        # spacing="4" is the 4th step of the spacing scale, not an inert "spacing:4" rule.
        gap = count.locator("xpath=..").evaluate("e => getComputedStyle(e).gap")
        assert gap == "16px"


def test_recipe_form(new_tab: NewTab, monkeypatch: pytest.MonkeyPatch) -> None:
    ui = load("form", monkeypatch).ui
    with serve(starlette_host(ui, MOUNT)) as server:
        page = new_tab().page
        page.goto(f"{server.url}{MOUNT}/")
        page.get_by_placeholder("First Name").fill("Ada")
        page.get_by_placeholder("Last Name").fill("Lovelace")
        page.get_by_text("Checked").click()
        page.get_by_role("button", name="Submit").click()
        results = page.locator("p").last
        # to_string() shows the dict as Python's str() would.
        expect(results).to_contain_text("'first_name': 'Ada'")
        expect(results).to_contain_text("'last_name': 'Lovelace'")
        expect(results).to_contain_text("'check': 'on'")
        expect(page.get_by_placeholder("First Name")).to_have_value("")  # reset_on_submit


def test_recipe_streaming(new_tab: NewTab, monkeypatch: pytest.MonkeyPatch) -> None:
    ui = load("streaming", monkeypatch).ui
    with serve(starlette_host(ui, MOUNT)) as server:
        page = new_tab().page
        page.goto(f"{server.url}{MOUNT}/")
        ask = page.get_by_role("button", name="Ask", exact=True)
        answer = page.locator("p")
        ask.click()
        expect(answer).to_have_text(re.compile(r"^Streaming from the server one word at a time\s*$"))
        expect(ask).to_be_enabled()
        page.get_by_role("button", name="Ask in the background").click()
        expect(answer).to_have_text(re.compile(r"^A background task takes the lock only to write\s*$"))


def test_recipe_dynamic_route(new_tab: NewTab, monkeypatch: pytest.MonkeyPatch) -> None:
    ui = load("dynamic-route", monkeypatch).ui
    with serve(starlette_host(ui, MOUNT)) as server:
        page = new_tab().page
        # A deep link: the computed var over self.router is computed for this tab when it connects.
        page.goto(f"{server.url}{MOUNT}/post/hello")
        expect(page.get_by_role("heading")).to_have_text("hello")
        expect(page.locator("p")).to_have_text("Read in the browser: hello")
        expect(page).to_have_title("Post")
        # Navigating recomputes it, and the router Var follows the page.
        page.get_by_role("link", name="Next post").click()
        expect(page).to_have_url(f"{server.url}{MOUNT}/post/next")
        expect(page.get_by_role("heading")).to_have_text("next")
        expect(page.locator("p")).to_have_text("Read in the browser: next")
        page.go_back()
        expect(page.get_by_role("heading")).to_have_text("hello")
        expect(page.locator("p")).to_have_text("Read in the browser: hello")


def test_recipe_fastapi_alongside(new_tab: NewTab, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load("fastapi", monkeypatch)
    with serve(module.app) as server:
        page = new_tab().page
        page.goto(f"{server.url}/admin/tools/inventory/")
        expect(page.locator("p")).to_have_text(["apples", "pears"])  # on_load ran
        assert page.request.get(f"{server.url}/api/items").json() == {"items": ["apples", "pears"]}


def test_state_api_component_state_used_twice(new_tab: NewTab, monkeypatch: pytest.MonkeyPatch) -> None:
    ui = load("state-api", monkeypatch).ui
    with serve(starlette_host(ui, MOUNT)) as server:
        page = new_tab().page
        page.goto(f"{server.url}{MOUNT}/")
        # By position: a locator by name would follow the text as it changes.
        first, second = page.locator("button").nth(1), page.locator("button").nth(2)
        expect(first).to_have_text("0")
        first.click()
        first.click()
        expect(first).to_have_text("2")
        expect(second).to_have_text("0")  # its own state
        second.click()
        expect(second).to_have_text("1")
        expect(first).to_have_text("2")
        # setvar("name") in the page is the opt-in setter; reset() in a handler.
        page.get_by_role("textbox").fill("Ada")
        page.get_by_role("button", name="Birthday").click()
        page.reload()
        expect(page.get_by_role("textbox")).to_have_value("Ada")
