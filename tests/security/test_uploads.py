"""Uploads run their handler through the same path as websocket events: the same limits, timeout, undo and
error messages, over HTTP."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import anyio
import pytest

from pyreact_asgi._codec import decode
from tests.e2e.client import connect, new_token
from tests.security.apps import serve_board
from tests.servers import LiveServer

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

MAX_STATE = 20_000


@pytest.fixture(scope="module")
def board(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve_board(shared_build_dir / "board", max_state_bytes=MAX_STATE, handler_timeout=0.5) as (_, server):
        yield server


async def _upload(server: LiveServer, handler: str, content: bytes, token: str) -> tuple[int, dict[str, Any]]:
    form = aiohttp.FormData()
    form.add_field("files", content, filename="a.txt", content_type="text/plain")
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.url}/_upload?handler={handler}", data=form, headers={"X-Pyreact-Token": token}) as reply,
    ):
        return reply.status, decode(await reply.read())


async def test_upload_past_max_state_bytes_is_refused_and_undone(
    board: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = new_token()
    async with connect(board, mount="") as bystander:
        with anyio.fail_after(10):
            assert await _upload(board, "board.receive", b"kept", token) == (
                200,
                {"delta": {"board": {"blob": "kept"}}},
            )
            status, reply = await _upload(board, "board.receive", b"x" * (MAX_STATE + 1), token)
            assert (await bystander.call("board.increment"))["delta"] == {"board": {"count": 1}}
    assert (status, reply["error"]["code"]) == (413, "too_large")
    assert f"within {MAX_STATE} bytes" in reply["error"]["message"]
    assert [r.levelno for r in caplog.records if "max_state_bytes" in r.getMessage()] == [logging.WARNING]
    async with connect(board, token, mount="") as client:
        assert (await client.first_state())["board"]["blob"] == "kept"


async def test_upload_handler_past_handler_timeout_is_stopped_and_undone(board: LiveServer) -> None:
    token = new_token()
    with anyio.fail_after(10):
        status, reply = await _upload(board, "board.receive_forever", b"x", token)
    assert (status, reply["error"]["code"]) == (504, "timeout")
    assert "delta" not in reply
    async with connect(board, token, mount="") as client:
        assert (await client.first_state())["board"]["count"] == 0
