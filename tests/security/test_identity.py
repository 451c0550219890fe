"""A client's identity is fixed at the handshake: reserved socket.io event names sent by a client are refused.

python-socketio hands a client *event* named "connect" or "disconnect" to the server's own handler of that
name. These tests send those events over a real websocket to a real uvicorn and check the refusal, that the
attacker gained nothing, and that other clients carry on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import anyio
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

import pyreact_asgi as pr
from pyreact_asgi._codec import encode
from tests.e2e.client import RawClient, new_token
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


class Vault(pr.State):
    secret: str = ""
    seen_user: str = ""

    @pr.event
    def reveal(self) -> None:
        user = (self.router.get("session") or {}).get("user", "")
        self.seen_user = user
        self.secret = "the admin's secret" if user == "admin" else ""


def _vault_page() -> pr.Component:
    return pr.vstack(pr.text(Vault.secret), pr.text(Vault.seen_user))


def _signed_in(conn: HTTPConnection) -> bool:
    return bool(conn.session.get("user"))


async def _login(request: Request) -> PlainTextResponse:
    request.session["user"] = "guest"
    return PlainTextResponse("logged in as guest")


@pytest.fixture(scope="module")
def vault_server(shared_build_dir: Path) -> Iterator[LiveServer]:
    ui = pr.PyApp({"/": _vault_page}, config=pr.Config(build_dir=shared_build_dir / "vault"), auth=_signed_in)
    host = Starlette(
        routes=[Route("/login", _login), Mount("/ui", ui)],
        middleware=[Middleware(SessionMiddleware, secret_key="test-secret")],
        lifespan=ui.lifespan,
    )
    with serve(host) as server:
        yield server


@asynccontextmanager
async def _guest(server: LiveServer) -> AsyncIterator[RawClient]:
    # unsafe=True: aiohttp keeps no cookies of an IP address host otherwise.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(f"{server.url}/login") as response:
            assert response.status == 200
        url = f"ws://{server.host}:{server.port}/ui/_event/?EIO=4&transport=websocket"
        async with session.ws_connect(url, headers={"Origin": server.url}) as ws:
            guest = RawClient(ws)
            with anyio.fail_after(5):
                assert (await guest.receive()).startswith("0{")
                await ws.send_str("40" + encode({"token": new_token()}).decode())
                frames = [await guest.receive(), await guest.receive()]
                assert sorted(f[:3] for f in frames) == ["40{", "42["]
                yield guest


def _forged_scope(server: LiveServer) -> dict[str, Any]:
    return {
        "type": "websocket",
        "path": "/_event/",
        "root_path": "",
        "headers": [],
        "query_string": b"",
        "session": {"user": "admin"},
        "user": "admin",
        "client": ["10.0.0.1", 1],
        "server": ["127.0.0.1", server.port],
        "pyreact.mount": "/ui",
    }


async def test_identity_spoof_by_client_connect_event_is_refused(vault_server: LiveServer) -> None:
    async with _guest(vault_server) as bystander, _guest(vault_server) as attacker:
        with anyio.fail_after(5):
            assert (await attacker.call(1, "vault.reveal"))["delta"] == {"vault": {"seen_user": "guest"}}
            await attacker.emit("connect", {"asgi.scope": _forged_scope(vault_server)}, {"token": new_token()})
            assert await attacker.closed_by_server(), "a client that sends a reserved event name is disconnected"
            # The attacker's forged identity reached no handler; the other client carries on as itself.
            reply = await bystander.call(2, "vault.reveal")
    assert reply["delta"] == {"vault": {"seen_user": "guest"}}


async def test_identity_spoof_does_not_leak_to_the_same_token(vault_server: LiveServer) -> None:
    # Even had the forged event gone through, a later call on the same connection must act as the real user.
    async with _guest(vault_server) as attacker:
        with anyio.fail_after(5):
            await attacker.emit("connect", {"asgi.scope": _forged_scope(vault_server)}, {"token": new_token()})
            await attacker.emit("event", {"id": 7, "handler": "vault.reveal", "args": []})
            frames: list[str] = []
            try:
                while True:
                    frame = await attacker.receive()
                    frames.append(frame)
                    if frame == "41":
                        break
            except ConnectionError:
                pass
    assert not [f for f in frames if "secret" in f and "admin" in f]


async def test_client_disconnect_event_is_refused(vault_server: LiveServer) -> None:
    # A client event named "disconnect" used to leave the connection open with its events silently ignored.
    async with _guest(vault_server) as bystander, _guest(vault_server) as attacker:
        with anyio.fail_after(5):
            await attacker.emit("disconnect", "client namespace disconnect")
            assert await attacker.closed_by_server()
            reply = await bystander.call(1, "vault.reveal")
    assert reply["delta"] == {"vault": {"seen_user": "guest"}}
