"""Background tasks against the real engine and memory manager, with updates collected as they are delivered."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.router import Router
from pyreact_asgi.runtime.background import BackgroundTasks
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.runtime.messages import Update

pytestmark = pytest.mark.asyncio

TOKEN = "t" * 20


class Job(pr.State):
    progress: int = 0
    seen_at_start: int = 0
    _log: list[str] = []  # noqa: RUF012

    @pr.event(background=True)
    async def run(self, steps: int) -> pr.Action:
        self_seen = self.progress  # readable before the first block: the values when the task started
        for _ in range(steps):
            await _tickets().acquire()
            async with self:
                self.progress += 1
                self.seen_at_start = self_seen
        return pr.toast("done")

    @pr.event(background=True)
    async def write_outside(self) -> None:
        self.progress = 99

    @pr.event(background=True)
    async def fail_inside(self) -> None:
        async with self:
            self.progress = 42
            raise RuntimeError("boom")

    @pr.event(background=True)
    async def grow(self) -> None:
        async with self:
            self._log.append("x" * 5000)

    @pr.event(background=True)
    async def nested(self) -> None:
        async with self, self:
            pass  # pragma: no cover - the second enter raises

    @pr.event
    def plain(self) -> None:
        self.progress = 7


_semaphores: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def _tickets() -> asyncio.Semaphore:
    # One per event loop: each test runs in a loop of its own.
    return _semaphores.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(0))


class Harness:
    def __init__(self, **limits: Any) -> None:
        self.manager = MemoryStateManager(ttl=60, **limits)
        self.engine = Engine({"job": Job})
        self.updates: list[Update] = []
        self.delivered = asyncio.Condition()
        self.tasks = BackgroundTasks(self.manager, lambda: self.engine, self._deliver)

    async def _deliver(self, token: str, update: Update) -> None:
        assert token == TOKEN
        async with self.delivered:
            self.updates.append(update)
            self.delivered.notify_all()

    async def start(self, handler: str, *args: Any) -> None:
        call = self.engine.resolve({"id": 1, "handler": handler, "args": list(args)})
        await self.tasks.start(TOKEN, Router({"type": "websocket", "headers": []}), call)

    async def wait_for(self, count: int) -> list[Update]:
        async with asyncio.timeout(5), self.delivered:
            await self.delivered.wait_for(lambda: len(self.updates) >= count)
        return self.updates

    async def progress(self) -> int:
        async with self.manager.session(TOKEN) as tree:
            return (await tree.get(Job)).progress


async def test_background_task_commits_and_delivers_each_block_then_its_actions() -> None:
    harness = Harness()
    async with harness.manager.session(TOKEN) as tree:
        (await tree.get(Job)).progress = 5
    await harness.start("job.run", 2)
    # Meanwhile the client's other events run: the task holds the lock only inside its blocks.
    async with harness.manager.session(TOKEN) as tree:
        assert (await tree.get(Job)).progress == 5
    _tickets().release()
    _tickets().release()
    updates = await harness.wait_for(3)
    assert [u.delta for u in updates[:2]] == [
        {"job": {"progress": 6, "seen_at_start": 5}},
        {"job": {"progress": 7}},
    ]
    assert updates[2].actions == [pr.toast("done")]
    assert await harness.progress() == 7


def _logged(records: list[logging.LogRecord]) -> list[str]:
    found = [f"{r.getMessage()}: {r.exc_info[1] if r.exc_info else ''}" for r in records]
    records.clear()
    return found


async def test_background_task_write_outside_the_block_is_refused(logged_errors: list[logging.LogRecord]) -> None:
    harness = Harness()
    await harness.start("job.write_outside")
    await asyncio.gather(*harness.tasks._tasks)
    [message] = _logged(logged_errors)
    assert message.startswith('Background task "job.write_outside" raised: A background task changed "Job.progress"')
    assert await harness.progress() == 0


async def test_background_task_failing_inside_the_block_changes_nothing(
    logged_errors: list[logging.LogRecord],
) -> None:
    harness = Harness()
    await harness.start("job.fail_inside")
    await asyncio.gather(*harness.tasks._tasks)
    assert _logged(logged_errors) == ['Background task "job.fail_inside" raised: boom']
    assert await harness.progress() == 0
    assert harness.updates == []


async def test_background_task_cannot_enter_twice(logged_errors: list[logging.LogRecord]) -> None:
    harness = Harness()
    await harness.start("job.nested")
    await asyncio.gather(*harness.tasks._tasks)
    [message] = _logged(logged_errors)
    assert 'Cannot enter "async with self" again' in message


async def test_shutdown_cancels_running_tasks() -> None:
    harness = Harness()
    await harness.start("job.run", 1)
    assert len(harness.tasks) == 1
    await harness.tasks.shutdown()
    assert len(harness.tasks) == 0


async def test_async_with_self_outside_a_background_task_is_an_error() -> None:
    with pytest.raises(RuntimeError, match=r'"async with self" is for background tasks'):
        async with Job():
            pass  # pragma: no cover - entering raises


async def test_background_handler_must_be_async() -> None:
    with pytest.raises(ConfigError, match=r'Expected background handler ".*sync_job" to be an `async def` function'):

        class Sync(pr.State):
            @pr.event(background=True)
            def sync_job(self) -> None:
                pass


async def test_background_handler_cannot_be_chained() -> None:
    class Chainer(pr.State):
        @pr.event
        def go(self) -> Any:
            return Job.run(1)

    engine = Engine({"chainer": Chainer, "job": Job})
    manager = MemoryStateManager(ttl=60)
    async with manager.session(TOKEN) as tree:
        with pytest.raises(TypeError, match=r'chained "job.run", a background task'):
            await engine.apply(tree, engine.resolve({"id": 1, "handler": "chainer.go"}))


async def test_background_task_past_max_state_bytes_is_undone(logged_errors: list[logging.LogRecord]) -> None:
    harness = Harness(max_state_bytes=1000)
    await harness.start("job.grow")
    await asyncio.gather(*harness.tasks._tasks)
    [message] = _logged(logged_errors)
    assert message.startswith('Background task "job.grow" raised: Expected the client\'s state to stay within 1000')
    async with harness.manager.session(TOKEN) as tree:
        assert (await tree.get(Job))._log == []
    assert harness.updates == []
