from __future__ import annotations

import asyncio
from typing import Any

import anyio
import pytest

import pyreact_asgi as pr
from pyreact_asgi._types import Message
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.runtime.transport import SocketTransport, _checked_receive, origin_allowed

pytestmark = pytest.mark.asyncio


class Counter(pr.State):
    count: int = 0


@pytest.mark.parametrize(
    ("origin", "host", "allowed", "expected"),
    [
        (None, "app.example", frozenset(), True),
        ("https://app.example", "app.example", frozenset(), True),
        ("https://APP.example", "app.example", frozenset(), True),
        ("https://evil.example", "app.example", frozenset(), False),
        ("null", "app.example", frozenset(), False),
        ("https://other.example", "app.example", frozenset({"https://other.example"}), True),
        ("https://app.example", "", frozenset(), False),
    ],
    ids=["no-origin", "same", "case", "foreign", "null", "listed", "no-host"],
)
async def test_transport_origin_allowed(origin: str | None, host: str, allowed: frozenset[str], expected: bool) -> None:
    assert origin_allowed(origin, host, allowed) is expected


def _receiving(*messages: Message) -> Any:
    queue = list(messages)

    async def receive() -> Message:
        return queue.pop(0)

    return receive


@pytest.mark.parametrize(
    "text", ['42["event",{"id":1}]', "40", "41", "2", "3", "2probe", "3probe", "5", "6", "1", '40{"token":"x"}']
)
async def test_transport_passes_engine_io_frames_a_client_sends(text: str) -> None:
    message = {"type": "websocket.receive", "text": text}
    assert await _checked_receive(_receiving(message)) == message


@pytest.mark.parametrize(
    "text",
    ["", "x", "4", "4[[[[", "4" + "[" * 10_000, "9", "2" + "[" * 100, "4{}", "b" + "A" * 10, "2probe" + "x" * 10],
)
async def test_transport_closes_on_frames_no_client_sends(text: str, caplog: pytest.LogCaptureFixture) -> None:
    message = {"type": "websocket.receive", "text": text}
    assert await _checked_receive(_receiving(message)) == {"type": "websocket.disconnect", "code": 1003}
    assert "no engine.io packet" in caplog.text


async def test_transport_passes_binary_and_other_messages_to_engine_io() -> None:
    binary = {"type": "websocket.receive", "bytes": b"\x00\x01"}
    assert await _checked_receive(_receiving(binary)) == binary
    connect = {"type": "websocket.connect"}
    assert await _checked_receive(_receiving(connect)) == connect


async def test_transport_sweeps_on_a_timer_until_shutdown() -> None:
    manager = MemoryStateManager(1e-9, sweep_interval=0.01)
    engine = Engine({"counter": Counter})
    transport = SocketTransport(pr.Config(), lambda: engine, manager)
    async with manager.session("gone") as tree:
        await tree.get(Counter)
    assert len(manager) == 1
    transport.start()
    transport.start()  # a second start keeps the one timer
    sweeper = transport._sweeper
    assert sweeper is not None
    with anyio.fail_after(5):
        while len(manager):  # noqa: ASYNC110 - the sweep has no event to await
            await asyncio.sleep(0.01)
    await transport.shutdown()
    assert sweeper.cancelled()
    assert transport._sweeper is None


async def test_transport_starts_with_no_connections() -> None:
    engine = Engine({"counter": Counter})
    transport = SocketTransport(pr.Config(), lambda: engine, MemoryStateManager(60))
    assert transport.connections == 0
    await transport.shutdown()
