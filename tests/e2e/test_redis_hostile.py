"""What a hostile client can make of Redis, over real sockets against a real uvicorn and redis-server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
import redis

import pyreact_asgi as pr
from examples.counter import index
from tests.e2e.client import connect, new_token
from tests.servers import LiveServer, RedisServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

PREFIX = "hostile"


@pytest.fixture(scope="module")
def server(redis_session: RedisServer, shared_build_dir: Path) -> Iterator[LiveServer]:
    config = pr.Config(
        build_dir=shared_build_dir, redis_url=redis_session.url, redis_prefix=PREFIX, max_state_bytes=2_000
    )
    with serve(pr.PyApp({"/": index}, config=config)) as live:
        yield live


def _keys(redis: RedisServer) -> list[str]:
    return redis.cli("--raw", "KEYS", f"{PREFIX}:*").split()


async def test_redis_clients_get_bounded_keys_whatever_tokens_they_send(
    server: LiveServer, redis_session: RedisServer
) -> None:
    before = set(_keys(redis_session))
    # Tokens of every allowed length and alphabet, each changing its state.
    tokens = [new_token(), "a" * 16, "Z" * 64, "-_" * 32, *(new_token() for _ in range(6))]
    for token in tokens:
        async with connect(server, token, mount="") as client:
            for _ in range(3):
                assert (await client.call("counter.increment")).get("error") is None
    added = set(_keys(redis_session)) - before
    records = [k for k in added if not k.endswith((":wake", ":lock"))]
    assert len(records) == len(tokens)  # one record per client, however many events
    for key in added:  # a lock (kept a moment as a lease) and its wake-up list expire by themselves
        if key.endswith((":lock", ":wake")):
            assert 0 < int(redis_session.cli("PTTL", key)) <= 10_000
    assert {len(k) for k in added} <= {len(f"{PREFIX}:s:{{{'a' * 44}}}"), len(f"{PREFIX}:s:{{{'a' * 44}}}:wake")}
    for key in records:
        assert 0 < int(redis_session.cli("PTTL", key)) <= 3_600_000


async def test_redis_client_cannot_store_more_than_max_state_bytes(
    server: LiveServer, redis_session: RedisServer
) -> None:
    async with connect(server, mount="") as hostile, connect(server, mount="") as bystander:
        reply = await hostile.call("counter.set_name", "x" * 5_000)
        assert reply["error"]["code"] == "too_large"
        assert (await hostile.call("counter.set_name", "y" * 100))["delta"] == {"counter": {"name": "y" * 100}}
        assert (await bystander.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
    for key in _keys(redis_session):
        if not key.endswith((":wake", ":lock")):
            assert int(redis_session.cli("HSTRLEN", key, "counter")) <= 2_000


async def test_redis_corrupt_record_loads_as_defaults_and_the_client_carries_on(
    server: LiveServer, redis_session: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "pyreact_asgi")
    token = new_token()
    async with connect(server, token, mount="") as client:
        await client.call("counter.increment")
    records = [k for k in _keys(redis_session) if not k.endswith((":wake", ":lock"))]
    bad = msgspec.msgpack.encode({"count": "many", "name": 7, "_clicks_ever": [1] * 3})
    with redis.Redis.from_url(redis_session.url) as direct:
        for record in records:  # every client's record, this one's among them, written by hand
            direct.hset(record, "counter", bad)
    async with connect(server, token, mount="") as client:
        assert client.states[0]["counter"]["count"] == 0
        assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
    assert "no longer fits its type" in caplog.text


async def test_redis_lost_fails_the_event_in_flight_without_internals_and_service_resumes(
    shared_build_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "pyreact_asgi")
    redis_server = RedisServer(tmp_path, durable=True)
    redis_server.start()
    try:
        config = pr.Config(build_dir=shared_build_dir, redis_url=redis_server.url, redis_prefix=PREFIX)
        with serve(pr.PyApp({"/": index}, config=config)) as live:
            async with connect(live, mount="") as tab:
                assert (await tab.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
                redis_server.stop()
                for _ in range(2):
                    error = (await tab.call("counter.increment"))["error"]
                    assert error["code"] == "unavailable"
                    assert str(redis_server.port) not in error["message"]
                redis_server.start()
                # Nothing acknowledged was lost (a durable Redis), and the next event runs.
                assert (await tab.call("counter.increment"))["delta"] == {"counter": {"count": 2}}
    finally:
        redis_server.stop()
    assert caplog.text.count("does not answer") == 1
