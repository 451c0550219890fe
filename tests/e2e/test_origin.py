"""A websocket whose Origin is not the Host it arrived with: refused, logged with the fix, shown in the tab."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import socketio
from playwright.sync_api import expect

from tests.e2e.apps import make_ui, starlette_host
from tests.e2e.browsing import NewTab
from tests.e2e.client import connect
from tests.servers import LiveServer, nginx_proxy, serve

pytestmark = [pytest.mark.e2e]


@pytest.mark.asyncio
async def test_origin_refusal_is_logged_once_with_the_fix_and_tells_the_client(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "pyreact_asgi")
    for _ in range(3):
        # python-socketio's client reports a refused namespace without the server's message; the browser
        # test below shows the message arrives.
        with pytest.raises(socketio.exceptions.ConnectionError):
            async with connect(live_server, headers={"Origin": "http://other.example:81"}):
                pass  # pragma: no cover - refused
    warnings = [r.getMessage() for r in caplog.records if "Refused a websocket" in r.getMessage()]
    assert len(warnings) == 1, warnings  # the same Origin and Host again are not logged again
    assert "'http://other.example:81'" in warnings[0]
    assert repr(f"127.0.0.1:{live_server.port}") in warnings[0]
    assert "proxy_set_header Host $http_host;" in warnings[0]
    assert "Config.allowed_origins" in warnings[0]
    async with connect(live_server, headers={"Origin": live_server.url}) as client:  # others carry on
        assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}


@pytest.mark.browser
def test_origin_refused_behind_a_proxy_that_drops_the_port_shows_in_the_tab(
    new_tab: NewTab, shared_build_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The usual snippet, `proxy_set_header Host $host;`, sends the host without its port.
    with (
        serve(starlette_host(make_ui(shared_build_dir), "/ui")) as server,
        nginx_proxy("/ui", server, tmp_path, strip=False, host_header="$host") as proxy,
    ):
        tab = new_tab()
        tab.page.goto(f"{proxy.url}/ui/")
        expect(tab.page.locator(".pr-banner-refused")).to_contain_text("origin is not allowed")
    assert "proxy_set_header Host $http_host;" in caplog.text
    assert f"'http://127.0.0.1:{proxy.port}'" in caplog.text
