"""A custom event path over a real socket.io client, and hostile asset paths, against a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import aiohttp
import anyio
import pytest
import socketio
import yarl

from pyreact_asgi._contract import DEFAULT_EVENT_PATH
from tests.e2e.apps import starlette_host
from tests.e2e.client import connect, new_token
from tests.e2e.contract_app import make_contract_ui
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


@pytest.fixture
def ws_server(tmp_path: Path) -> Iterator[LiveServer]:
    ui = make_contract_ui(tmp_path, event_path="/_ws")
    with serve(starlette_host(ui, "/ui")) as server:
        yield server


async def test_custom_event_path_serves_events(ws_server: LiveServer) -> None:
    async with connect(ws_server, event_path="/_ws") as client:
        assert (await client.first_state())["shell"] == {"count": 0}
        assert (await client.call("shell.increment"))["delta"] == {"shell": {"count": 1}}


async def test_default_event_path_is_not_served_when_another_is_configured(ws_server: LiveServer) -> None:
    async with aiohttp.ClientSession() as session:
        sio = socketio.AsyncClient(http_session=session, reconnection=False)
        with anyio.fail_after(5), pytest.raises(socketio.exceptions.ConnectionError):
            await sio.connect(
                ws_server.url,
                socketio_path=f"/ui{DEFAULT_EVENT_PATH}",
                transports=["websocket"],
                auth={"token": new_token()},
            )
    # The app still serves its own path.
    async with connect(ws_server, event_path="/_ws") as client:
        assert (await client.call("shell.increment"))["delta"] == {"shell": {"count": 1}}


@pytest.fixture
def assets_server(tmp_path: Path) -> Iterator[LiveServer]:
    assets = tmp_path / "assets"
    (assets / "a").mkdir(parents=True)
    (assets / ".git").mkdir()
    (assets / "logo.txt").write_text("logo")
    (assets / "a" / "shown.txt").write_text("shown")
    (assets / ".env").write_text("SECRET=1")
    (assets / ".git" / "config").write_text("[core]")
    (assets / "a" / ".secret").write_text("secret")
    (tmp_path / "outside.txt").write_text("outside")
    ui = make_contract_ui(tmp_path / "build", assets_dir=assets)
    with serve(starlette_host(ui, "/ui")) as server:
        yield server


@pytest.mark.parametrize(
    "path",
    [
        "/ui/assets/.env",
        "/ui/assets/%2eenv",
        "/ui/assets/%2Eenv",
        "/ui/assets/.git/config",
        "/ui/assets/.git/",
        "/ui/assets/a/.secret",
        "/ui/assets/a/%2esecret",
        "/ui/assets/a/./.secret",
        "/ui/assets/a/../.env",
        "/ui/assets/../outside.txt",
        "/ui/assets/%2e%2e/outside.txt",
    ],
)
async def test_hidden_files_and_paths_out_of_assets_are_not_found(assets_server: LiveServer, path: str) -> None:
    async with aiohttp.ClientSession() as session:
        # encoded=True: the path goes on the wire exactly as written, dot segments and escapes included.
        async with session.get(yarl.URL(assets_server.url + path, encoded=True)) as response:
            status, body = response.status, await response.read()
        assert status == 404, (path, status, body)
        assert not any(secret in body for secret in (b"SECRET", b"[core]", b"secret", b"outside"))
        # Others carry on: the visible files are served, and the app answers events.
        for visible, text in (("/ui/assets/logo.txt", b"logo"), ("/ui/assets/a/shown.txt", b"shown")):
            async with session.get(assets_server.url + visible) as response:
                assert (response.status, await response.read()) == (200, text)
    async with connect(assets_server) as client:
        assert (await client.call("shell.increment"))["delta"] == {"shell": {"count": 1}}
