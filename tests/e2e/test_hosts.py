"""The counter driven through a real socket.io client, for every host x mount path x ASGI server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.apps import HOSTS, make_ui
from tests.e2e.client import connect
from tests.servers import SERVERS, LiveServer, Server, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

MOUNTS = {"root": "", "admin": "/admin", "nested": "/a/b/c"}


async def drive_counter(server: LiveServer, mount: str) -> None:
    """Clicks +1 and +10, types a name, and checks a reconnect with the same token finds them."""
    async with connect(server, mount=mount) as client:
        assert (await client.first_state())["counter"] == {"count": 0, "name": ""}
        assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
        assert (await client.call("counter.increment", 10))["delta"] == {"counter": {"count": 11}}
        assert (await client.call("counter.set_name", "Ada"))["delta"] == {"counter": {"name": "Ada"}}
        token = client.token
    async with connect(server, token, mount=mount) as again:
        assert (await again.first_state())["counter"] == {"count": 11, "name": "Ada"}


@pytest.mark.parametrize("server_name", SERVERS)
@pytest.mark.parametrize("mount", MOUNTS.values(), ids=MOUNTS.keys())
@pytest.mark.parametrize("host", sorted(HOSTS))
async def test_counter_over_socketio(shared_build_dir: Path, host: str, mount: str, server_name: Server) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS[host](ui, mount), server=server_name) as server:
        await drive_counter(server, mount)
