"""The reload channel of development mode is the server's only: over a real socket, a client that sends its
events is refused, changes nothing and reads nothing, and the other clients carry on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.client import connect
from tests.e2e.test_hot_reload import dev_server, project
from tests.servers import LiveServer

__all__ = ["dev_server", "project"]  # fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio]


@pytest.mark.parametrize("event", ["reload", "reload_error"])
async def test_a_client_cannot_use_the_reload_channel(dev_server: tuple[LiveServer, Path], event: str) -> None:
    server, source = dev_server
    before = source.read_text()
    async with connect(server, mount="") as hostile, connect(server, mount="") as other:
        await hostile.sio.emit(event, {"entry": "/etc/passwd"})
        refused = await hostile.push_at(0)
        assert refused["error"]["code"] == "malformed"
        assert (await other.call("clicks.add"))["delta"] == {"clicks": {"count": 1}}
        assert (await hostile.call("clicks.add"))["delta"] == {"clicks": {"count": 1}}
    assert source.read_text() == before


async def test_dev_mode_is_off_unless_asked_for(live_server: LiveServer) -> None:
    # The project's ordinary server (no DevServer): the same events are unknown there too.
    async with connect(live_server) as client:
        await client.sio.emit("reload", {"entry": "/x.js"})
        assert (await client.push_at(0))["error"]["code"] == "malformed"
