"""The names and paths the server hands the browser runtime, seen working in a real chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pyreact_asgi._contract import DEFAULT_EVENT_PATH
from tests.e2e.apps import starlette_host
from tests.e2e.browsing import NewTab
from tests.e2e.contract_app import make_contract_ui
from tests.servers import serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_a_custom_event_path_reaches_the_browser(new_tab: NewTab, tmp_path: Path) -> None:
    # The runtime used to connect to "<mount>/_event" whatever Config.event_path said: no event arrived.
    ui = make_contract_ui(tmp_path, event_path="/_ws")
    with serve(starlette_host(ui, "/ui")) as server:
        tab = new_tab()
        sockets: list[str] = []
        tab.page.on("websocket", lambda ws: sockets.append(ws.url))
        tab.open(f"{server.url}/ui/")
        tab.click("increment")
        tab.expect_count(1)
        tab.click("increment")
        tab.expect_count(2)
    assert sockets
    assert all(re.match(rf"^ws://127\.0\.0\.1:{server.port}/ui/_ws/", url) for url in sockets), sockets


def test_a_substates_stored_var_shows_from_the_first_paint(new_tab: NewTab, tmp_path: Path) -> None:
    ui = make_contract_ui(tmp_path)
    with serve(starlette_host(ui, "/ui")) as server:
        tab = new_tab()
        tab.open(f"{server.url}/ui/")
        expect(tab.page.locator("#theme")).to_have_text("light")
        tab.page.locator("#dark").click()
        expect(tab.page.locator("#theme")).to_have_text("dark")
        # The server's change was written under the substate's key ...
        stored = tab.page.evaluate("localStorage.getItem('shell.look.theme')")
        assert stored == '"dark"'

        # ... and is read back under it. With the websocket held open but silent, what the page shows comes
        # only from the browser's storage (the server's full state would correct a misplaced value later).
        tab.page.route_web_socket(re.compile(re.escape(DEFAULT_EVENT_PATH) + "/"), lambda ws: None)
        tab.page.reload()
        expect(tab.page.locator("#count")).to_have_text("0")
        expect(tab.page.locator("#theme")).to_have_text("dark")
