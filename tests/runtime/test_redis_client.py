"""The Redis state manager's pipelined connection (runtime/_redis_client.py) against a real redis-server."""

from __future__ import annotations

import asyncio
import importlib
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from pyreact_asgi.runtime._redis_client import LeanClient, Script
from pyreact_asgi.runtime.redis_manager import import_redis
from tests.servers import RedisServer

pytestmark = pytest.mark.asyncio

ECHO = Script("return {KEYS[1], ARGV[1], ARGV[2]}")
FAIL = Script("return redis.error_reply('refused ' .. ARGV[1])")


def _client(server: RedisServer) -> LeanClient:
    pool = import_redis().ConnectionPool.from_url(server.url)
    client = LeanClient(pool, timeout=5)
    client.bind(importlib.import_module("redis.exceptions"))
    return client


@pytest_asyncio.fixture
async def client(redis_session: RedisServer) -> AsyncIterator[LeanClient]:
    lean = _client(redis_session)
    yield lean
    await lean.close()


async def test_redis_client_hands_each_command_its_own_reply_among_many_at_once(client: LeanClient) -> None:
    # Commands of many tasks at once share one connection; some give up midway (cancelled): every reply that
    # is read goes to the command it answers, never to the next one.
    seen: list[tuple[int, int]] = []

    async def task(n: int) -> None:
        chance = random.Random(n)
        for i in range(30):
            call = asyncio.ensure_future(client.run(ECHO, [f"k{n}"], [n, i]))
            if chance.random() < 0.2:
                await asyncio.sleep(0)  # lets it be sent: its reply comes, and must be skipped
                call.cancel()
            try:
                reply = await call
            except asyncio.CancelledError:
                continue
            assert reply == [f"k{n}".encode(), str(n).encode(), str(i).encode()]
            seen.append((n, i))

    async with asyncio.timeout(30):
        await asyncio.gather(*(task(n) for n in range(50)))
    assert len(seen) > 50 * 30 / 2


async def test_redis_client_raises_an_error_reply_for_its_command_only(client: LeanClient) -> None:
    errors = importlib.import_module("redis.exceptions")
    results = await asyncio.gather(
        client.run(ECHO, ["a"], [1, 2]), client.run(FAIL, ["b"], ["x"]), client.run(ECHO, ["c"], [3, 4]),
        return_exceptions=True,
    )  # fmt: skip
    assert results[0] == [b"a", b"1", b"2"]
    assert isinstance(results[1], errors.ResponseError)
    assert "refused x" in str(results[1])
    assert results[2] == [b"c", b"3", b"4"]


async def test_redis_client_loads_scripts_again_and_reconnects_after_redis_restarts(tmp_path: Path) -> None:
    errors = importlib.import_module("redis.exceptions")
    server = RedisServer(tmp_path)
    server.start()
    lean = _client(server)
    try:
        assert await lean.run(ECHO, ["a"], [1, 2]) == [b"a", b"1", b"2"]
        server.restart()  # while idle: the command fails on the old connection and is sent again on a new one
        assert await lean.run(ECHO, ["a"], [3, 4]) == [b"a", b"3", b"4"]
        server.stop()
        with pytest.raises((errors.ConnectionError, OSError)):
            await lean.run(ECHO, ["a"], [1, 2])
        server.start()  # an empty script cache: the script is loaded again, on a new connection
        assert await asyncio.gather(*(lean.run(ECHO, ["a"], [n, 2]) for n in range(5))) == [
            [b"a", str(n).encode(), b"2"] for n in range(5)
        ]
    finally:
        await lean.close()
        server.stop()
