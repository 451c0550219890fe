"""A bounded soak: 1,000 connected clients for 60 s with events, then 20 waves of 200 clients that come and go,
against the server in a process of its own; its memory must come back once they are gone and swept.

Run with ``python -m pytest -m soak -s tests/soak`` (about 3 minutes); the default run leaves it out.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator

import pytest

from benchmarks._common import ServerProcess, uvicorn_process
from benchmarks._eio import LightClient, rss, session
from tests.soak.app import PING_INTERVAL, STATE_TTL

pytestmark = [pytest.mark.asyncio, pytest.mark.soak]

CLIENTS = 1000
DURATION = 60.0
EVENT_EVERY = 2.0  # seconds between two events of one client: 500 events/s in all
WAVES = 20
WAVE_CLIENTS = 200
BATCH = 100


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with uvicorn_process("tests.soak.app:soak_app", build_dir=tmp_path_factory.mktemp("soak")) as process:
        yield process


def _mib(value: int) -> str:
    return f"{value / 2**20:.1f} MiB"


async def _open(url: str, count: int) -> tuple[object, list[LightClient]]:
    http = session()
    clients: list[LightClient] = []
    for start in range(0, count, BATCH):
        clients += await asyncio.gather(*(LightClient.open(http, url) for _ in range(min(BATCH, count - start))))
    return http, clients


async def _close(http: object, clients: list[LightClient]) -> None:
    await asyncio.gather(*(client.close() for client in clients))
    await http.close()  # type: ignore[attr-defined]


async def _swept() -> None:
    # The states of clients that left are dropped state_ttl after, by a sweep twice a second; engine.io lets go
    # of their sockets when their last ping task wakes, ping_interval after. Time has to pass: nothing in the
    # server process tells another process when.
    await asyncio.sleep(max(STATE_TTL, PING_INTERVAL) + 2.0)


async def _wave(url: str, count: int) -> int:
    """Clients that come, send one event each and go; returns how many events failed."""
    http, clients = await _open(url, count)
    try:
        replies = await asyncio.gather(*(client.call("counter.increment", 1) for client in clients))
    finally:
        await _close(http, clients)
    return sum("error" in reply for reply in replies)


async def _busy(client: LightClient, until: float) -> int:
    """Sends an event every EVENT_EVERY seconds until ``until``; returns the count the server reached."""
    await asyncio.sleep(random.uniform(0, EVENT_EVERY))
    count = 0
    while time.monotonic() < until:
        reply = await client.call("counter.increment", 1)
        assert "error" not in reply, reply
        count = reply["delta"]["counter"]["count"]
        await asyncio.sleep(EVENT_EVERY)
    return count


async def test_soak_memory_returns_after_clients_leave(server: ServerProcess) -> None:
    figures: list[tuple[str, int]] = [("started", rss(server.pid))]
    # One wave first: CPython's allocator keeps the memory of freed objects for reuse rather than give it back
    # to the system, so the level to come back to is the one after a first crowd came and went. What this test
    # catches is memory that keeps growing with each crowd: state, sockets or tasks never freed.
    assert await _wave(server.url, CLIENTS) == 0
    await _swept()
    before = rss(server.pid)
    figures.append(("after a warm-up wave of 1,000 clients, swept", before))

    http, clients = await _open(server.url, CLIENTS)
    try:
        figures.append((f"{CLIENTS:,} connected", rss(server.pid)))
        until = time.monotonic() + DURATION
        busy = asyncio.gather(*(_busy(client, until) for client in clients))
        for second in range(15, int(DURATION), 15):
            await asyncio.sleep(15)
            figures.append((f"{CLIENTS:,} connected, {second} s of events", rss(server.pid)))
        counts = await busy
        figures.append((f"{CLIENTS:,} connected, end of {DURATION:.0f} s of events", rss(server.pid)))
    finally:
        await _close(http, clients)

    for wave in range(1, WAVES + 1):
        assert await _wave(server.url, WAVE_CLIENTS) == 0
        if wave % 5 == 0:
            figures.append((f"after {wave} waves of {WAVE_CLIENTS} clients coming and going", rss(server.pid)))
    await _swept()
    after = rss(server.pid)
    figures.append(("all gone, swept", after))

    print(f"\nSoak: {sum(counts):,} events from {CLIENTS:,} clients over {DURATION:.0f} s; server RSS:")
    for label, value in figures:
        print(f"  {label:<60} {_mib(value)}")
    assert min(counts) >= DURATION / EVENT_EVERY / 2, "every client kept being served"
    assert after <= before * 1.10, f"server RSS {_mib(after)} after the clients left, {_mib(before)} before"
