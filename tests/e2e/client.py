"""A python-socketio client for end-to-end tests: records every state and update the server sends."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import anyio
import socketio

from pyreact_asgi._codec import decode, encode
from pyreact_asgi._contract import DEFAULT_EVENT_PATH, EVENT, STATE, UPDATE
from tests.servers import LiveServer


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Client:
    """A python-socketio client that records every state and update it receives."""

    def __init__(self, sio: socketio.AsyncClient, token: str) -> None:
        self.sio = sio
        self.token = token
        self.states: list[dict[str, Any]] = []
        self.updates: dict[int, dict[str, Any]] = {}  # the final update of each event
        self.received: list[dict[str, Any]] = []  # every update, in order
        self._received_more = anyio.Event()
        self._state_seen = anyio.Event()
        self.disconnected = anyio.Event()
        self._waiters: dict[int, anyio.Event] = {}
        self._next_id = 1
        sio.on(STATE, self._on_state)
        sio.on(UPDATE, self._on_update)
        sio.on("disconnect", self._on_disconnect)

    async def _on_state(self, data: dict[str, Any]) -> None:
        self.states.append(data)
        self._state_seen.set()

    async def _on_update(self, data: dict[str, Any]) -> None:
        self.received.append(data)
        self._received_more.set()
        self._received_more = anyio.Event()
        # An update without "done" is done; a streaming handler's updates before its last have done=False.
        if data.get("done", True) and "id" in data:
            self.updates[data["id"]] = data
            self._waiters.setdefault(data["id"], anyio.Event()).set()

    async def update_at(self, index: int) -> dict[str, Any]:
        """Waits until the connection has received ``index + 1`` updates, final or not, and returns that one."""
        while len(self.received) <= index:
            await self._received_more.wait()
        return self.received[index]

    async def push_where(self, wanted: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """Waits for an update that no event asked for (no "id") and that ``wanted`` accepts; returns it."""
        while True:
            for update in self.received:
                if "id" not in update and wanted(update):
                    return update
            await self._received_more.wait()

    async def push_at(self, index: int) -> dict[str, Any]:
        """Waits for the ``index + 1``-th update that no event of this connection asked for (no "id")."""
        while True:
            pushed = [u for u in self.received if "id" not in u]
            if len(pushed) > index:
                return pushed[index]
            await self._received_more.wait()

    async def _on_disconnect(self, *_: Any) -> None:
        self.disconnected.set()

    async def first_state(self) -> dict[str, Any]:
        await self._state_seen.wait()
        return self.states[0]

    async def send(self, payload: Any) -> None:
        await self.sio.emit(EVENT, payload)

    async def reply(self, event_id: int) -> dict[str, Any]:
        await self._waiters.setdefault(event_id, anyio.Event()).wait()
        return self.updates[event_id]

    async def call(self, handler: str, *args: Any) -> dict[str, Any]:
        event_id = self._next_id
        self._next_id += 1
        await self.send({"id": event_id, "handler": handler, "args": list(args)})
        return await self.reply(event_id)


@asynccontextmanager
async def connect(
    server: LiveServer,
    token: str | None = None,
    headers: dict[str, str] | None = None,
    *,
    mount: str = "/ui",
    page: str | None = None,
    storage: Any = None,
    event_path: str = DEFAULT_EVENT_PATH,
) -> AsyncIterator[Client]:
    """Connects to the app mounted at ``mount`` of ``server`` and waits for the first full state.

    ``event_path`` is the app's ``Config.event_path``.
    """
    async with aiohttp.ClientSession() as session:
        sio = socketio.AsyncClient(http_session=session, reconnection=False)
        client = Client(sio, token or new_token())
        with anyio.fail_after(5):
            await sio.connect(
                server.url,
                socketio_path=f"{mount}{event_path}",
                transports=["websocket"],
                auth={
                    "token": client.token,
                    **({} if page is None else {"page": page}),
                    **({} if storage is None else {"storage": storage}),
                },
                headers=headers or {},
            )
            try:
                await client.first_state()
                yield client
            finally:
                await sio.disconnect()


class RawClient:
    """Engine.io v4 / socket.io v5 by hand over a websocket, so a test can send what no library would."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[str] = []
        self.updates: dict[int | None, dict[str, Any]] = {}  # the last update of each event, as they come

    async def receive(self) -> str:
        while True:
            message = await self.ws.receive()
            if message.type != aiohttp.WSMsgType.TEXT:
                raise ConnectionError(f"websocket closed: {message.type!r}")
            self.frames.append(message.data)
            if message.data == "2":  # engine.io ping
                await self.ws.send_str("3")
                continue
            return str(message.data)

    async def send_frame(self, frame: str) -> None:
        await self.ws.send_str(frame)

    async def emit(self, *args: Any) -> None:
        await self.ws.send_str("42" + encode(list(args)).decode())

    async def update(self, event_id: int | None) -> dict[str, Any]:
        """Waits for the last update of ``event_id`` (None: an update with no id) and returns it."""
        while event_id not in self.updates:
            frame = await self.receive()
            if frame.startswith("42"):
                name, data = decode(frame[2:].encode())
                if name == "update" and data.get("done", True):
                    self.updates[data.get("id")] = data
        return self.updates.pop(event_id)

    async def call(self, event_id: int, handler: str, *args: Any) -> dict[str, Any]:
        await self.emit("event", {"id": event_id, "handler": handler, "args": list(args)})
        return await self.update(event_id)

    async def closed_by_server(self) -> bool:
        """Waits until the server ends the socket.io session (a DISCONNECT packet or a closed websocket)."""
        try:
            while await self.receive() != "41":
                pass
        except ConnectionError:
            pass
        return True
