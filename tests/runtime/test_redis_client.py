"""The Redis state manager's pipelined connection (runtime/_redis_client.py) against a real redis-server."""

from __future__ import annotations

import asyncio
import importlib
import random
import signal
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
    client.bind(importlib.import_module("redis.exceptions"), importlib.import_module("hiredis"))
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


async def test_redis_client_fails_the_commands_of_a_stalled_redis_at_their_deadline_then_carries_on(
    tmp_path: Path,
) -> None:
    # A Redis that stops answering (SIGSTOP: the connection stays open, nothing comes back) must not hold
    # the commands for ever: each fails with TimeoutError once its deadline passes, and once Redis answers
    # again the next command works, on a new connection.
    server = RedisServer(tmp_path)
    server.start()
    assert server.process is not None
    pool = import_redis().ConnectionPool.from_url(server.url)
    lean = LeanClient(pool, timeout=0.3)
    lean.bind(importlib.import_module("redis.exceptions"), importlib.import_module("hiredis"))
    try:
        assert await lean.run(ECHO, ["a"], [1, 2]) == [b"a", b"1", b"2"]
        server.process.send_signal(signal.SIGSTOP)
        try:
            async with asyncio.timeout(10):  # only a guard against a hang: the deadline is 0.3 s
                results = await asyncio.gather(
                    *(lean.run(ECHO, ["a"], [n, 2]) for n in range(3)), return_exceptions=True
                )
        finally:
            server.process.send_signal(signal.SIGCONT)
        assert all(isinstance(r, TimeoutError) for r in results), results
        assert await lean.run(ECHO, ["a"], [5, 6]) == [b"a", b"5", b"6"]
    finally:
        await lean.close()
        server.stop()


async def test_redis_client_drops_a_connection_that_sends_what_is_no_reply() -> None:
    # A peer that answers the handshake and then sends bytes that are not the Redis protocol: the command
    # fails with a connection error naming it, nothing hangs, and the next command connects again.
    errors = importlib.import_module("redis.exceptions")
    hiredis = importlib.import_module("hiredis")
    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        requests = hiredis.Reader()
        while data := await reader.read(65536):
            requests.feed(data)
            while (request := requests.gets()) is not False:
                writer.write(b"?not a reply\r\n" if request[0].upper() == b"EVALSHA" else b"+OK\r\n")
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    pool = import_redis().ConnectionPool.from_url(f"redis://127.0.0.1:{port}/0")
    lean = LeanClient(pool, timeout=5)
    lean.bind(errors, hiredis)
    try:
        async with asyncio.timeout(10):
            for attempt in (1, 2):
                with pytest.raises(errors.ConnectionError, match="not a reply"):
                    await lean.run(ECHO, ["a"], [attempt, 2])
        assert connections == 2
    finally:
        await lean.close()
        server.close()
        await server.wait_closed()


async def test_redis_client_runs_over_a_unix_socket(tmp_path: Path) -> None:
    # A Redis on the same machine is often reached through its Unix socket (unix:// URLs): the client takes
    # over that connection's transport as it does a TCP one's.
    server = RedisServer(tmp_path, unix=True)
    server.start()
    assert server.url.startswith("unix://")
    lean = _client(server)
    try:
        assert await asyncio.gather(*(lean.run(ECHO, ["u"], [n, 1]) for n in range(3))) == [
            [b"u", str(n).encode(), b"1"] for n in range(3)
        ]
        server.restart()  # the socket file is made anew: a new connection, and the script loaded again
        assert await lean.run(ECHO, ["u"], [7, 8]) == [b"u", b"7", b"8"]
    finally:
        await lean.close()
        server.stop()
