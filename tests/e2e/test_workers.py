"""Several uvicorn workers sharing one Redis, as a deployment runs them: a client's state follows it to
whichever worker it lands on, and updates reach its tabs wherever they are connected."""

from __future__ import annotations

import io
import os
import signal
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp
import anyio
import pytest

from pyreact_asgi._codec import decode
from tests.e2e.client import Client, connect, new_token
from tests.servers import LiveServer, RedisServer, redis_server, uvicorn_workers

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

APP = "tests.e2e.workers_app:host"
# Bounded: the kernel hands each new connection to either worker, so a few tries find the other one.
TRIES = 60


def _env(redis: RedisServer | None, build_dir: Path, prefix: str, **extra: str) -> dict[str, str]:
    env = {"PYREACT_TEST_BUILD_DIR": str(build_dir), "PYREACT_TEST_PREFIX": prefix, **extra}
    env["PYREACT_REDIS_URL"] = "" if redis is None else redis.url
    return env


async def _pids(server: LiveServer) -> set[int]:
    """Waits until both workers answer, and returns their pids."""
    seen: set[int] = set()
    with anyio.fail_after(30):
        while len(seen) < 2:
            # A new connection each time, so the kernel may pick either worker.
            async with aiohttp.ClientSession() as session, session.get(f"{server.url}/pid") as response:
                seen.add(int(await response.text()))
    return seen


@pytest.fixture(scope="module")
def redis_for_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis-workers")) as server:
        yield server


@pytest.fixture(scope="module")
def workers(
    redis_for_workers: RedisServer, shared_build_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("workers") / "uvicorn.log"
    env = _env(redis_for_workers, shared_build_dir, "workers", PYREACT_TEST_LOCK_EXPIRY="1")
    with uvicorn_workers(APP, env, log) as (server, _):
        yield server


def _pid(client: Client, reply: dict[str, Any]) -> int:
    known = client.states[0]["tally"]["pid"]
    return int(reply.get("delta", {}).get("tally", {}).get("pid", known))


def _has_count(count: int, update: dict[str, Any]) -> bool:
    return bool(update.get("delta", {}).get("tally", {}).get("count") == count)


@asynccontextmanager
async def _tab(
    server: LiveServer, token: str, *, not_on: int | None = None, on: int | None = None
) -> AsyncIterator[tuple[Client, int, str]]:
    """Connects a tab of ``token``, again and again until it lands on a worker other than ``not_on`` (or on
    ``on``); yields it, its worker's pid and its client key."""
    for _ in range(TRIES):
        async with connect(server, token) as client:
            reply = await client.call("tally.whoami")
            pid = _pid(client, reply)
            key = reply.get("delta", {}).get("tally", {}).get("key") or client.states[0]["tally"]["key"]
            if (not_on is None or pid != not_on) and (on is None or pid == on):
                yield client, pid, key
                return
    pytest.fail(f"no connection landed on the wanted worker in {TRIES} tries")


async def test_workers_reconnect_on_the_other_worker_keeps_the_state(workers: LiveServer) -> None:
    await _pids(workers)
    token = new_token()
    async with _tab(workers, token) as (tab, first, _):
        for _ in range(3):
            await tab.call("tally.increment")
    async with _tab(workers, token, not_on=first) as (tab, second, _):
        assert second != first
        assert tab.states[0]["tally"]["count"] == 3
        assert (await tab.call("tally.increment"))["delta"]["tally"]["count"] == 4


async def test_workers_background_task_reaches_a_tab_of_the_client_on_the_other_worker(workers: LiveServer) -> None:
    token = new_token()
    async with _tab(workers, token) as (starter, first, _), _tab(workers, token, not_on=first) as (watcher, _, _):
        await starter.call("tally.later", "hello")
        with anyio.fail_after(10):
            pushed = await watcher.push_where(lambda u: "note" in u.get("delta", {}).get("tally", {}))
        assert pushed["delta"]["tally"]["note"] == f"hello from {first}"


async def test_workers_upload_handled_by_the_other_worker_changes_the_tabs_state(workers: LiveServer) -> None:
    token = new_token()
    async with _tab(workers, token) as (tab, pid, _):
        for _ in range(TRIES):
            form = aiohttp.FormData()
            form.add_field("files", io.BytesIO(b"data"), filename="a.txt", content_type="text/plain")
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    f"{workers.url}/ui/_upload?handler=tally.receive", data=form, headers={"X-Pyreact-Token": token}
                ) as response,
            ):
                update = decode(await response.read())
            assert response.status == 200, update
            if update.get("delta", {}).get("tally", {}).get("upload_pid", pid) != pid:
                break
        else:
            pytest.fail(f"no upload landed on the other worker in {TRIES} tries")
        # The tab's worker loads what the other worker saved.
        assert (await tab.call("tally.increment"))["delta"]["tally"]["count"] == 1
        async with connect(workers, token) as again:
            assert again.states[0]["tally"]["uploaded"] == "a.txt"


async def test_workers_modify_state_from_a_host_route_updates_an_open_tab(workers: LiveServer) -> None:
    token = new_token()
    async with _tab(workers, token) as (tab, pid, key):
        pushers: set[int] = set()
        for count in range(1, TRIES):
            async with aiohttp.ClientSession() as session, session.post(f"{workers.url}/push/{key}?count={count}") as r:
                assert r.status == 200
                pusher = int(await r.text())
            pushers.add(pusher)
            with anyio.fail_after(10):
                pushed = await tab.push_where(partial(_has_count, count))
            assert pushed["delta"]["tally"]["note"] == f"pushed {count} by {pusher}"
            if pusher != pid:
                break  # a push made on the other worker reached the tab
        assert pushers - {pid}, "no push landed on the other worker"


async def test_workers_tab_of_a_killed_worker_reconnects_with_every_acknowledged_change(
    redis_for_workers: RedisServer, shared_build_dir: Path, tmp_path: Path
) -> None:
    env = _env(redis_for_workers, shared_build_dir, "killed", PYREACT_TEST_LOCK_EXPIRY="1")
    with uvicorn_workers(APP, env, tmp_path / "uvicorn.log") as (server, _):
        pids = await _pids(server)
        token = new_token()
        async with _tab(server, token) as (tab, victim, key):
            for _ in range(2):
                await tab.call("tally.increment")  # acknowledged
            await tab.send({"id": 99, "handler": "tally.stuck", "args": []})
            # The stuck handler holds the client's lock in Redis once it runs.
            # No event crosses from the worker process to wait on: poll Redis against a deadline.
            lock = f"killed:s:{{{key}}}:lock"
            await redis_for_workers.poll(
                lambda r: r.cli("EXISTS", lock).strip() == "1", "the stuck handler's lock", within=10
            )
            os.kill(victim, signal.SIGKILL)
            with anyio.fail_after(10):
                await tab.disconnected.wait()
        survivor = (pids - {victim}).pop()
        async with _tab(server, token, on=survivor) as (tab, _, _):
            assert tab.states[0]["tally"]["count"] == 2  # the killed event's change was never saved
            with anyio.fail_after(10):  # waits for the dead worker's lock to expire (1 s)
                assert (await tab.call("tally.increment"))["delta"]["tally"]["count"] == 3


async def test_workers_resume_after_redis_restarts_under_load_losing_nothing_acknowledged(
    shared_build_dir: Path, tmp_path: Path
) -> None:
    redis = RedisServer(tmp_path / "redis", durable=True)
    (tmp_path / "redis").mkdir()
    redis.start()
    try:
        env = _env(redis, shared_build_dir, "restart", PYREACT_TEST_LOCK_EXPIRY="1")
        with uvicorn_workers(APP, env, tmp_path / "uvicorn.log") as (server, _):
            await _pids(server)
            tokens = [new_token() for _ in range(4)]
            acknowledged = dict.fromkeys(tokens, 0)
            warmed: list[str] = []
            all_warm, restarted = anyio.Event(), anyio.Event()

            async def load(token: str) -> None:
                # Clicks until well after Redis came back; an event that failed while it was gone is not
                # acknowledged (its reply is an error), every other one is.
                async with connect(server, token) as tab:
                    after = 0
                    while after < 5:
                        reply = await tab.call("tally.increment")
                        if reply.get("error") is None:
                            acknowledged[token] += 1
                            after += restarted.is_set()
                            if acknowledged[token] == 3:
                                warmed.append(token)
                                if len(warmed) == len(tokens):
                                    all_warm.set()
                        else:
                            assert reply["error"]["code"] == "unavailable"

            with anyio.fail_after(40):
                async with anyio.create_task_group() as tg:
                    for token in tokens:
                        tg.start_soon(load, token)
                    await all_warm.wait()  # every client is mid-stream of events
                    redis.restart()
                    restarted.set()
            for token in tokens:
                async with connect(server, token) as tab:
                    assert tab.states[0]["tally"]["count"] >= acknowledged[token]
    finally:
        redis.stop()


async def test_workers_with_the_memory_manager_warn_at_startup(shared_build_dir: Path, tmp_path: Path) -> None:
    log = tmp_path / "uvicorn.log"
    with uvicorn_workers(APP, _env(None, shared_build_dir, "memory"), log) as (server, _):
        await _pids(server)
    text = log.read_text()
    assert text.count("keeps client states in this process's memory") == 2, text
    assert "Set Config.redis_url (or PYREACT_REDIS_URL)" in text
