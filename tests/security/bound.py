"""Clients for the token binding tests: a browser-like one that loaded the page, and attackers that did not."""

from __future__ import annotations

import io
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
import anyio
from yarl import URL

from pyreact_asgi._codec import decode, encode
from pyreact_asgi.runtime.binding import cookie_name
from tests.e2e.client import new_token
from tests.servers import LiveServer


@dataclass(frozen=True)
class Visit:
    """What a browser keeps after loading a page: the Set-Cookie it was sent and the Cookie header it sends back."""

    set_cookie: str | None
    cookie: str  # the Cookie header a browser sends to <mount>/_event and <mount>/_upload; "" when it has none


async def load_page(server: LiveServer, mount: str, *, cookie: str = "") -> Visit:
    """Loads ``<mount>/`` as a browser would, sending ``cookie``, and keeps what a cookie jar keeps."""
    # unsafe=True: aiohttp keeps no cookies of an IP address host otherwise.
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        headers = {"Cookie": cookie} if cookie else {}
        async with session.get(f"{server.url}{mount}/", headers=headers) as response:
            assert response.status == 200
            set_cookie = response.headers.get("Set-Cookie")
    # The jar applies the cookie's Path, as a browser does: what it returns is what the socket would carry.
    sent = jar.filter_cookies(URL(f"{server.url}{mount}/_event/"))
    return Visit(set_cookie, "; ".join(f"{name}={morsel.value}" for name, morsel in sent.items()) or cookie)


def key_cookie(set_cookie: str | None, mount: str) -> SimpleCookie:
    assert set_cookie is not None, "the page was served without a key cookie"
    parsed = SimpleCookie(set_cookie)
    assert list(parsed) == [cookie_name(mount)]
    return parsed


async def handshake(server: LiveServer, mount: str, cookie: str, token: str | None = None) -> tuple[str, Any]:
    """Opens a socket.io connection by hand with a raw ``Cookie`` header; returns the CONNECT reply: kind and data.

    By hand, because python-socketio's client reparses a Cookie header and drops what is not a valid cookie.
    """
    # DummyCookieJar: aiohttp then sends the Cookie header exactly as given.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        url = f"ws://{server.host}:{server.port}{mount}/_event/?EIO=4&transport=websocket"
        async with session.ws_connect(url, headers={"Cookie": cookie}) as ws:
            with anyio.fail_after(5):
                assert (await ws.receive_str()).startswith("0{")
                await ws.send_str("40" + encode({"token": token or new_token()}).decode())
                while True:
                    frame = await ws.receive_str()
                    if frame.startswith("40"):
                        return "connected", decode(frame[2:].encode())
                    if frame.startswith("44"):
                        return "refused", decode(frame[2:].encode())


async def upload(
    server: LiveServer, mount: str, token: str, cookie: str, content: bytes, handler: str = "files.receive"
) -> tuple[int, dict[str, Any]]:
    """Posts one file to ``<mount>/_upload`` as the page's runtime does, with a raw ``Cookie`` header."""
    form = aiohttp.FormData()
    form.add_field("files", io.BytesIO(content), filename="note.txt", content_type="text/plain")
    headers = {"X-Pyreact-Token": token, **({"Cookie": cookie} if cookie else {})}
    async with (
        aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session,
        session.post(f"{server.url}{mount}/_upload?handler={handler}", data=form, headers=headers) as response,
    ):
        return response.status, decode(await response.read())
