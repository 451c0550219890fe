"""Lists and dicts changed in place travel as patches, which chromium applies, or asks for the full state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from pyreact_asgi._codec import decode, encode
from tests.e2e.apps import starlette_host
from tests.e2e.browsing import NewTab
from tests.e2e.patches_app import ITEMS, TABLE, make_patches_ui, random_changes
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve(starlette_host(make_patches_ui(shared_build_dir), "/ui")) as live:
        yield live


def _frames(page: Page) -> list[str]:
    """Records every frame the page's websocket receives."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    return frames


def _expect_board(page: Page, items: list[str], table: dict[str, str]) -> None:
    expect(page.locator("#items > *")).to_have_text(items)
    expect(page.locator("#table > *")).to_have_text([f"{k}={v}" for k, v in table.items()])


def test_list_and_dict_changed_in_place_show_in_the_browser(server: LiveServer, new_tab: NewTab) -> None:
    tab = new_tab()
    frames = _frames(tab.page)
    tab.page.goto(f"{server.url}/ui/")
    items, table = list(ITEMS), dict(TABLE)
    _expect_board(tab.page, items, table)
    changes: list[tuple[str, Callable[[], object]]] = [
        ("set", lambda: items.__setitem__(2, "two")),
        ("append", lambda: items.append("added")),
        ("pop", items.pop),
        ("append", lambda: items.append("added")),
        ("put", lambda: table.__setitem__("k05", "five")),
        ("drop", lambda: table.pop("k07")),
    ]
    for button, change in changes:
        change()
        tab.click(button)
        _expect_board(tab.page, items, table)
    patched = [frame for frame in frames if '"update"' in frame and '"~' in frame]
    assert len(patched) == 6, "each change went as a patch"
    assert all(len(frame) < 200 for frame in patched), patched
    tab.page.reload()
    _expect_board(tab.page, items, table)


def test_random_changes_patched_by_the_browser_match_python(server: LiveServer, new_tab: NewTab) -> None:
    tab = new_tab()
    frames = _frames(tab.page)
    tab.page.goto(f"{server.url}/ui/")
    items, table = list(ITEMS), dict(TABLE)
    for round_ in range(1, 41):
        random_changes(round_, items, table)  # what the server's handler does, on plain containers here
        tab.click("step")
        expect(tab.page.locator("#rounds")).to_have_text(str(round_))
        if round_ % 10 == 0:
            _expect_board(tab.page, items, table)
        if round_ == 20:
            tab.page.reload()
            _expect_board(tab.page, items, table)
    updates = [frame for frame in frames if '"update"' in frame]
    assert sum('"~items"' in frame for frame in updates) > 10, "most rounds went as patches"
    assert sum('"~table"' in frame for frame in updates) > 5, "the dict's too"
    assert any('"items"' in frame for frame in updates), "some went whole (insert, sort)"


def test_malformed_patch_makes_the_browser_ask_for_the_full_state(server: LiveServer, new_tab: NewTab) -> None:
    tab = new_tab()
    sent: list[str] = []
    corrupted: list[str] = []

    def route(ws: WebSocketRoute) -> None:
        upstream = ws.connect_to_server()

        def to_browser(message: str | bytes) -> None:
            if isinstance(message, str) and '"~items"' in message and not corrupted:
                name, update = decode(message[2:].encode())
                update["delta"]["board"]["~items"] = [[0, 10_000, "nowhere"]]  # an index past the list's end
                message = "42" + encode([name, update]).decode()
                corrupted.append(message)
            ws.send(message)

        def to_server(message: str | bytes) -> None:
            sent.append(str(message))
            upstream.send(message)

        upstream.on_message(to_browser)
        ws.on_message(to_server)

    tab.page.route_web_socket("**/_event/**", route)
    tab.page.goto(f"{server.url}/ui/")
    items = list(ITEMS)
    _expect_board(tab.page, items, dict(TABLE))
    items[2] = "two"
    tab.click("set")
    _expect_board(tab.page, items, dict(TABLE))  # from the full state the browser asked for
    assert corrupted
    assert [frame for frame in sent if frame.startswith('42["page"')], "it asked for the full state"
    items.append("added")
    tab.click("append")  # patches apply again afterwards
    _expect_board(tab.page, items, dict(TABLE))
