"""Long handlers never hold up their connection's socket, stop at handler_timeout, stop when their tab closes,
and sync ones run in a worker thread, so they stall no other client."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

from tests.e2e.client import connect, new_token
from tests.security import apps
from tests.security.apps import serve_board
from tests.servers import LiveServer

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


# A connection whose pings go unanswered for ping_interval + ping_timeout (2 s) is closed by the server.
@pytest.fixture(scope="module")
def board(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve_board(shared_build_dir / "board", ping_interval=1, ping_timeout=1) as (_, server):
        yield server


@pytest.fixture(scope="module")
def impatient(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve_board(shared_build_dir / "board", handler_timeout=0.5) as (_, server):
        yield server


async def test_long_handler_keeps_connection_alive(board: LiveServer) -> None:
    # A handler streaming for 2.4 s, longer than unanswered pings may last: every update arrives.
    async with connect(board, mount="") as client:
        with anyio.fail_after(10):
            final = await client.call("board.stream", 12, 0.2)
            after = await client.call("board.increment")
    assert "error" not in final
    ticks = [u["delta"]["board"]["ticks"] for u in client.received if u.get("id") == 1 and "delta" in u]
    assert ticks == list(range(1, 13))
    assert after["delta"] == {"board": {"count": 1}}


async def test_long_handler_past_handler_timeout_is_cancelled_and_undone(
    impatient: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = new_token()
    async with connect(impatient, token, mount="") as client, connect(impatient, mount="") as bystander:
        with anyio.fail_after(10):
            await client.call("board.increment")
            await client.send({"id": 50, "handler": "board.hang", "args": []})
            assert (await bystander.call("board.increment"))["delta"] == {"board": {"count": 1}}
            stopped = await client.reply(50)
            after = await client.call("board.increment")
    assert stopped["error"]["code"] == "timeout"
    assert "handler_timeout" in stopped["error"]["message"]
    assert "delta" not in stopped
    assert after["delta"] == {"board": {"count": 2}}, "the hung handler's change was undone"
    assert [r.levelno for r in caplog.records if "handler_timeout" in r.getMessage()] == [logging.WARNING]
    # The token is usable at once after a reload.
    async with connect(impatient, token, mount="") as again:
        assert (await again.first_state())["board"]["count"] == 2


async def test_long_handler_is_cancelled_when_its_tab_closes(board: LiveServer) -> None:
    token, name = new_token(), new_token()
    async with connect(board, token, mount="") as client:
        with anyio.fail_after(5):
            await client.send({"id": 1, "handler": "board.endless", "args": [name]})
            await client.update_at(0)
    # The endless handler stops: it would otherwise keep a core busy for as long as the server runs.
    assert await anyio.to_thread.run_sync(apps.cancelled[name].wait, 5)
    async with connect(board, token, mount="") as again:
        with anyio.fail_after(5):
            assert "error" not in await again.call("board.increment")


@pytest.mark.parametrize("handler", ["board.block", "board.block_stream"], ids=["sync", "sync-generator"])
async def test_long_handler_that_blocks_stalls_no_one(board: LiveServer, handler: str) -> None:
    # The sync handler blocks its thread until another client opens the gate: on the event loop, the other
    # client's events could never run, and the gate never open.
    apps.gate.clear()
    async with connect(board, mount="") as blocked, connect(board, mount="") as other:
        with anyio.fail_after(10):
            await blocked.send({"id": 1, "handler": handler, "args": []})
            if handler == "board.block_stream":
                assert (await blocked.update_at(0))["delta"] == {"board": {"ticks": 1}}
            assert (await other.call("board.increment"))["delta"] == {"board": {"count": 1}}
            assert blocked.updates == {}
            await other.call("board.open_gate")
            done = await blocked.reply(1)
    assert done["delta"]["board"]["count"] in (100, 200)


async def test_long_handler_of_one_tab_does_not_hold_up_another_tab_connecting(board: LiveServer) -> None:
    # Two tabs of one token (a duplicated tab): the second connects at once, and gets its state when the first
    # tab's handler lets go of the token's lock. python-socketio's client gives up on a connect not
    # acknowledged within a second.
    token = new_token()
    async with connect(board, token, mount="") as first:
        with anyio.fail_after(10):
            await first.send({"id": 1, "handler": "board.stream", "args": [12, 0.2]})
            await first.update_at(0)
            async with connect(board, token, mount="") as second:
                state = await second.first_state()
                assert "error" not in await first.reply(1)
    assert state["board"]["ticks"] == 12, "the state was read once the handler had finished"
