"""Patches go server → browser only: a client that sends one, in any shape, changes nothing it could not
change with plain events, and the others carry on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pyreact_asgi._codec import encode
from tests.e2e.apps import starlette_host
from tests.e2e.client import connect
from tests.e2e.patches_app import ITEMS, TABLE, make_patches_ui
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve(starlette_host(make_patches_ui(shared_build_dir), "/ui")) as live:
        yield live


async def test_client_cannot_send_patches_to_the_server(server: LiveServer) -> None:
    async with connect(server, page="/") as bystander, connect(server, page="/") as hostile:
        patch: dict[str, Any] = {"board": {"~items": [[0, 0, "owned"]], "items": ["owned"]}}
        # An "update" (the server → browser event) sent to the server: refused as an unknown event.
        await hostile.sio.emit("update", {"id": 101, "delta": patch})
        assert (await hostile.reply(101))["error"]["code"] == "malformed"
        # A patch in an event's fields, or as a handler's name: refused before anything runs.
        for event_id, payload in enumerate(
            [
                {"id": 102, "handler": "board.append", "args": ["x"], "delta": patch},
                {"id": 103, "handler": "board.~items", "args": [[0, 0, "owned"]]},
            ],
            start=102,
        ):
            await hostile.send(payload)
            assert (await hostile.reply(event_id))["error"]["code"] == "malformed"
        # Patch-shaped arguments are data: a dict key named like a patch is a key of the dict, nothing more.
        shaped = encode([[0, 0, "owned"]]).decode()
        reply = await hostile.call("board.put", "~items", shaped)
        assert reply["delta"] == {"board": {"~table": [[0, "~items", shaped]]}}
        assert (await hostile.call("board.pop"))["delta"] == {"board": {"~items": [[3, 39]]}}
        assert (await bystander.call("board.set_item", 0, "mine"))["delta"] == {"board": {"~items": [[0, 0, "mine"]]}}
    async with connect(server, hostile.token, page="/") as again:
        state = (await again.first_state())["board"]
        assert state["items"] == ITEMS[:-1]
        assert state["table"] == {**TABLE, "~items": shaped}
