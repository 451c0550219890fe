"""A tab whose event's store was refused (another worker took the client's lock) is sent the state as stored,
over a real socket against a real uvicorn and Redis (and Valkey), so it does not go on showing changes that
were never saved."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime.redis_manager import RedisStateManager
from tests.e2e.client import connect
from tests.servers import RedisServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

# Holds the slow handler's last step until the test has taken its lock away. A threading.Event: the handler
# runs in the server's thread, a step of a sync generator in a worker thread of its own.
go = threading.Event()


class Race(pr.State):
    count: int = 0
    key: str = ""

    @pr.event
    def remember(self) -> None:
        self.key = self.router.client_key or ""

    @pr.event
    def slow(self) -> Iterator[None]:
        self.count = 100
        yield  # the tab is sent count 100 now, before the event's store
        go.wait(30)
        self.count = 200

    @pr.event
    def bump(self) -> None:
        self.count += 1


async def test_tab_gets_the_stored_state_after_its_events_store_was_refused(
    store_session: RedisServer, redis_prefix: str, shared_build_dir: Path
) -> None:
    go.clear()
    config = pr.Config(build_dir=shared_build_dir, redis_url=store_session.url, redis_prefix=redis_prefix)
    other = RedisStateManager(store_session.url, 60, prefix=redis_prefix)  # another worker's manager
    await other.start()
    try:
        with serve(pr.PyApp({"/": lambda: pr.text(Race.count)}, config=config)) as server:
            async with connect(server, mount="") as tab:
                key = (await tab.call("race.remember"))["delta"]["race"]["key"]
                await tab.send({"id": 10, "handler": "race.slow", "args": []})
                with anyio.fail_after(5):
                    assert (await tab.update_at(1)) == {"id": 10, "delta": {"race": {"count": 100}}, "done": False}
                # The slow handler's worker stalls past its lock (as if it expired): another worker takes the
                # lock and stores count 7.
                store_session.cli("DEL", f"{redis_prefix}:s:{{{key}}}:lock")
                with anyio.fail_after(5):
                    async with other.session(key) as tree:
                        (await tree.get(Race)).count = 7
                go.set()
                with anyio.fail_after(5):
                    refused = await tab.reply(10)
                assert refused["error"]["code"] == "conflict"
                # The next event's reply comes after what the server sent before it, on the same socket.
                with anyio.fail_after(5):
                    assert (await tab.call("race.bump"))["delta"] == {"race": {"count": 8}}
                assert len(tab.states) == 2
                assert tab.states[-1]["race"]["count"] == 7  # as stored, not the refused 100
    finally:
        go.set()
        await other.close()
