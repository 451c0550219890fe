"""Memory held for clients is bounded: each client's state (max_state_bytes), the number of clients kept
(max_clients, the longest idle dropped first), and a client with an open connection is never dropped."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
import socketio

import pyreact_asgi as pr
from tests.e2e.client import connect, new_token
from tests.security.apps import serve_board
from tests.servers import LiveServer

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

MAX_CLIENTS = 5
MAX_STATE = 20_000


@pytest.fixture(scope="module")
def board(shared_build_dir: Path) -> Iterator[tuple[pr.PyApp, LiveServer]]:
    with serve_board(shared_build_dir / "board", max_clients=MAX_CLIENTS, max_state_bytes=MAX_STATE) as served:
        yield served


async def test_abandoned_tokens_are_bounded(board: tuple[pr.PyApp, LiveServer]) -> None:
    ui, server = board
    async with connect(server, mount="") as keeper:
        with anyio.fail_after(10):
            await keeper.call("board.store", "mine")
            # Fresh tokens each store 15 KB and leave: the longest idle is dropped for each newcomer.
            for _ in range(4 * MAX_CLIENTS):
                async with connect(server, mount="") as passer:
                    assert "error" not in await passer.call("board.store", "x" * 15_000)
                assert ui.stored_clients() <= MAX_CLIENTS
            # The connected client was never dropped, however long it stayed idle.
            async with connect(server, keeper.token, mount="") as second_tab:
                assert (await second_tab.first_state())["board"]["blob"] == "mine"


async def test_abandoned_tokens_state_larger_than_max_state_bytes_is_refused_and_undone(
    board: tuple[pr.PyApp, LiveServer], caplog: pytest.LogCaptureFixture
) -> None:
    _, server = board
    token = new_token()
    async with connect(server, token, mount="") as client, connect(server, mount="") as bystander:
        with anyio.fail_after(10):
            await client.call("board.store", "before")
            refused = await client.call("board.store", "x" * (MAX_STATE + 1))
            after = await client.call("board.increment")
            assert (await bystander.call("board.increment"))["delta"] == {"board": {"count": 1}}
    assert refused["error"]["code"] == "too_large"
    assert f"within {MAX_STATE} bytes" in refused["error"]["message"]
    assert "delta" not in refused
    assert after["delta"] == {"board": {"count": 1}}
    assert [r.levelno for r in caplog.records if "max_state_bytes" in r.getMessage()] == [logging.WARNING]
    async with connect(server, token, mount="") as again:
        assert (await again.first_state())["board"]["blob"] == "before"


async def test_abandoned_tokens_full_server_refuses_new_clients_and_keeps_connected_ones(
    board: tuple[pr.PyApp, LiveServer],
) -> None:
    ui, server = board
    async with anyio.create_task_group() as group:
        connected: list[anyio.Event] = []
        release = anyio.Event()
        ready = anyio.Event()

        async def stay(count: int) -> None:
            async with connect(server, mount="") as client:
                await client.call("board.increment")
                connected.append(anyio.Event())
                if len(connected) == count:
                    ready.set()
                await release.wait()
                # Still served after the newcomer was refused.
                assert (await client.call("board.increment"))["delta"] == {"board": {"count": 2}}

        for _ in range(MAX_CLIENTS):
            group.start_soon(stay, MAX_CLIENTS)
        with anyio.fail_after(10):
            await ready.wait()
            assert ui.stored_clients() == MAX_CLIENTS
            with pytest.raises(socketio.exceptions.ConnectionError, match="One or more namespaces failed"):
                async with connect(server, mount=""):
                    pass  # pragma: no cover - refused
        release.set()
