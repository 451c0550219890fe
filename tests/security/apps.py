"""A small app for the hostile-client tests: handlers that send big updates, stream, block, never return."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import anyio

import pyreact_asgi as pr
from pyreact_asgi._codec import encode
from tests.e2e.client import RawClient, new_token
from tests.servers import LiveServer, serve

# Set from handlers, read by tests in another thread: threading primitives, not the server loop's.
cancelled: dict[str, threading.Event] = {}
gate = threading.Event()


class Board(pr.State):
    count: int = 0
    rows: list[str] = []  # noqa: RUF012
    blob: str = ""
    ticks: int = 0
    token: str = ""

    @pr.event
    async def increment(self) -> None:
        self.count += 1

    @pr.event
    async def toggle(self, size: int) -> None:
        # Each call sends the whole list: about ``size`` bytes per update.
        self.rows = [] if self.rows else ["x" * 1000] * (size // 1000)

    @pr.event
    async def store(self, text: str) -> None:
        self.blob = text

    @pr.event
    async def stream(self, steps: int, pause: float) -> AsyncIterator[None]:
        # Work that takes a while: a pause between steps, as a handler awaiting a slow service would.
        for step in range(1, steps + 1):
            await anyio.sleep(pause)
            self.ticks = step
            yield

    @pr.event
    async def endless(self, name: str) -> AsyncIterator[None]:
        flag = cancelled.setdefault(name, threading.Event())
        try:
            while True:
                self.ticks += 1
                yield
                await anyio.sleep(0.01)
        finally:
            flag.set()

    @pr.event
    async def hang(self) -> None:
        self.count = -1  # undone when the handler is stopped
        await anyio.sleep_forever()

    @pr.event
    def block(self) -> None:
        # A sync handler doing blocking work: it waits for another client to open the gate.
        self.count = 100 if gate.wait(10) else -100

    @pr.event
    def block_stream(self) -> Iterator[None]:
        self.ticks = 1
        yield
        self.count = 200 if gate.wait(10) else -200

    @pr.event
    def open_gate(self) -> None:
        gate.set()

    @pr.event
    async def receive(self, files: list[pr.UploadedFile]) -> None:
        self.blob = "".join(file.path.read_text() for file in files)

    @pr.event
    async def receive_forever(self, files: list[pr.UploadedFile]) -> None:
        self.count = -5  # undone when the handler is stopped
        await anyio.sleep_forever()

    @pr.event
    async def go_elsewhere(self, to: str) -> pr.Action:
        return pr.redirect(to)

    @pr.event
    async def download_elsewhere(self, url: str) -> pr.Action:
        return pr.download(filename="x", url=url)


def board_page() -> pr.Component:
    return pr.vstack(pr.text(Board.count), pr.text(Board.ticks), pr.text(Board.blob), pr.text(Board.token))


def board_app(build_dir: Path, **config: Any) -> pr.PyApp:
    return pr.PyApp({"/": board_page}, config=pr.Config(build_dir=build_dir, **config))


@contextmanager
def serve_board(build_dir: Path, **config: Any) -> Iterator[tuple[pr.PyApp, LiveServer]]:
    """Serves the board app alone at the root of a real uvicorn: no prefix added to anything."""
    ui = board_app(build_dir, **config)
    with serve(ui) as server:
        yield ui, server


async def wait_until(condition: Any, what: str) -> None:
    """Polls a condition about the server (run in another thread) until it holds; under the caller's deadline.

    The server's bookkeeping (clients connected, states kept) has no event a test in another thread can await.
    """
    while not condition():  # noqa: ASYNC110
        await anyio.sleep(0.01)
    assert condition(), what


@asynccontextmanager
async def raw_connect(server: LiveServer, token: str | None = None) -> AsyncIterator[RawClient]:
    url = f"ws://{server.host}:{server.port}/_event/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as session, session.ws_connect(url, max_msg_size=0) as ws:
        raw = RawClient(ws)
        with anyio.fail_after(5):
            assert (await raw.receive()).startswith("0{")
            await ws.send_str("40" + encode({"token": token or new_token()}).decode())
            frames = [await raw.receive(), await raw.receive()]
            assert sorted(f[:3] for f in frames) == ["40{", "42["], frames
        yield raw
