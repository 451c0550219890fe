"""A patch made on one worker reaches a tab on another through Redis, and works on states loaded from Redis."""

from __future__ import annotations

import anyio
import pytest

import pyreact_asgi as pr
from pyreact_asgi._contract import PATCH_APPEND, PATCH_PREFIX, PATCH_SET
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.messages import Update
from pyreact_asgi.runtime.redis_manager import RedisStateManager
from pyreact_asgi.state.patches import apply_delta
from tests.servers import RedisServer

pytestmark = pytest.mark.asyncio

A = "a" + "P" * 43


class Feed(pr.State):
    lines: list[str] = [f"line {i}" for i in range(30)]  # noqa: RUF012 - a var's default, copied per instance


async def test_patch_of_a_state_loaded_from_redis_is_relayed_to_another_worker(
    redis_session: RedisServer, redis_prefix: str
) -> None:
    workers = [RedisStateManager(redis_session.url, 60, prefix=redis_prefix) for _ in range(2)]
    for worker in workers:
        await worker.start()
    engine = Engine({"feed": Feed})
    try:
        async with workers[0].session(A) as tree:
            (await tree.get(Feed)).lines[0] = "stored"
            await engine.commit(tree)
        received: list[Update] = []
        done = anyio.Event()

        async def local(token: str, update: Update) -> None:
            received.append(update)
            done.set()

        async def nowhere(token: str, update: Update) -> None:  # pragma: no cover - published, not sent here
            raise AssertionError("broadcast must go through Redis")

        with anyio.fail_after(5):
            async with anyio.create_task_group() as tg:
                await tg.start(workers[1].listen, local)
                async with workers[0].session(A) as tree:  # as a background task's `async with self` does
                    feed = await tree.get(Feed)  # decoded from Redis: plain lists, tracked from this read
                    feed.lines[1] = "set"
                    feed.lines.append("new")
                    delta = await engine.commit(tree)
                await workers[0].broadcast(A, Update(delta=delta), nowhere)
                await done.wait()
                tg.cancel_scope.cancel()
        ops = [[PATCH_SET, 1, "set"], [PATCH_APPEND, "new"]]
        assert received == [Update(delta={"feed": {PATCH_PREFIX + "lines": ops}})]
        tab = {"feed": {"lines": ["stored", *(f"line {i}" for i in range(1, 30))]}}
        apply_delta(tab, received[0].delta)
        async with workers[1].session(A) as tree:
            assert tab["feed"]["lines"] == (await tree.get(Feed)).lines
    finally:
        for worker in workers:
            await worker.close()
