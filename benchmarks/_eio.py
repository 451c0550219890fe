"""A light engine.io/socket.io client, framed by hand over aiohttp websockets, to hold many connections at once.

python-socketio's client costs several tasks and a few hundred kilobytes per connection; this one costs one
task, so a thousand connections fit in one process.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any

import aiohttp

from pyreact_asgi._codec import decode, encode


def new_token() -> str:
    return secrets.token_urlsafe(18)


def rss(pid: int) -> int:
    """Returns a process's resident set size in bytes (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def session() -> aiohttp.ClientSession:
    """A session without aiohttp's limit of 100 connections at once."""
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))


class LightClient:
    """One socket.io connection: answers pings, and matches each update to the event that asked for it."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, token: str) -> None:
        self.ws = ws
        self.token = token
        self._replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._next_id = 0
        self._reader: asyncio.Task[None] | None = None
        self.state_bytes = 0  # the frame of the full state received on connect
        self.update_bytes = 0  # every update frame received, as the server put it on the websocket

    @classmethod
    async def open(
        cls, http: aiohttp.ClientSession, url: str, token: str | None = None, path: str = "/_event/"
    ) -> LightClient:
        """Connects to the app at ``url`` and waits for its full state."""
        ws = await http.ws_connect(f"{url.replace('http', 'ws', 1)}{path}?EIO=4&transport=websocket")
        client = cls(ws, token or new_token())
        opened = await ws.receive_str()
        if not opened.startswith("0{"):
            raise ConnectionError(f"expected an engine.io OPEN packet, but got {opened[:80]!r}")
        await ws.send_str("40" + encode({"token": client.token}).decode())
        seen: set[str] = set()
        while seen != {"40", "42"}:
            frame = await ws.receive_str()
            if frame.startswith("44"):
                raise ConnectionError(f"connection refused: {frame[2:]}")
            if frame.startswith(("40", '42["state"')):
                seen.add(frame[:2])
                if frame.startswith("42"):
                    client.state_bytes = len(frame.encode())
        client._reader = asyncio.create_task(client._read())
        return client

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = message.data
            if data == "2":  # engine.io ping
                await self.ws.send_str("3")
            elif data.startswith('42["update"'):
                self.update_bytes += len(data.encode())
                _, update = decode(data[2:])
                if update.get("done", True):
                    future = self._replies.pop(update.get("id", -1), None)
                    if future is not None and not future.done():
                        future.set_result(update)
        for future in self._replies.values():
            if not future.done():
                future.set_exception(ConnectionError("the connection closed"))

    @property
    def events(self) -> int:
        """How many events this client sent."""
        return self._next_id

    async def call(self, handler: str, *args: Any) -> dict[str, Any]:
        """Sends an event and returns its last update."""
        self._next_id += 1
        future = self._replies[self._next_id] = asyncio.get_running_loop().create_future()
        await self.ws.send_str(
            "42" + encode(["event", {"id": self._next_id, "handler": handler, "args": list(args)}]).decode()
        )
        reply: dict[str, Any] = await future
        return reply

    async def close(self) -> None:
        await self.ws.close()
        if self._reader is not None:
            await self._reader
