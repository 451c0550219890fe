from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime.dispatch import Dispatcher
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.runtime.messages import ErrorInfo, Update

pytestmark = pytest.mark.asyncio

threads: dict[str, int] = {}
released = threading.Event()


class Job(pr.State):
    value: int = 0
    text: str = ""

    @pr.event
    def sync_set(self, value: int) -> None:
        threads["sync"] = threading.get_ident()
        self.value = value

    @pr.event
    def sync_steps(self) -> Iterator[None]:
        threads["gen"] = threading.get_ident()
        self.value = 1
        yield
        threads["gen-after"] = threading.get_ident()
        self.value = 2

    @pr.event
    async def async_set(self, value: int) -> None:
        threads["async"] = threading.get_ident()
        self.value = value

    @pr.event
    async def slow(self) -> AsyncIterator[None]:
        self.value = 1
        yield
        self.value = 2
        await anyio.sleep_forever()

    @pr.event
    def sync_fail(self) -> None:
        self.value = 98
        raise ValueError("from a thread")

    @pr.event
    def sync_wait(self) -> None:
        self.value = 97
        released.wait(5)

    @pr.event
    async def fail(self) -> None:
        self.value = 99
        raise ValueError("secret detail")

    @pr.event
    async def grow(self, size: int) -> None:
        self.text = "x" * size


def _dispatcher(**config: Any) -> tuple[Dispatcher, Engine, MemoryStateManager]:
    engine = Engine({"job": Job})
    manager = MemoryStateManager(60, max_state_bytes=config.pop("max_state_bytes", None))
    return Dispatcher(pr.Config(**config), lambda: engine, manager), engine, manager


async def _run(dispatcher: Dispatcher, engine: Engine, handler: str, *args: Any, token: str = "t") -> list[Update]:
    updates: list[Update] = []

    async def reply(update: Update) -> None:
        updates.append(update)

    call = engine.resolve({"id": 7, "handler": f"job.{handler}", "args": list(args)})
    await dispatcher.run(token, None, call, reply)
    return updates


async def _value(manager: MemoryStateManager, token: str = "t") -> int:
    async with manager.session(token) as tree:
        return (await tree.get(Job)).value


async def test_dispatch_runs_sync_handlers_in_a_worker_thread() -> None:
    dispatcher, engine, _ = _dispatcher()
    assert await _run(dispatcher, engine, "sync_set", 5) == [Update(id=7, delta={"job": {"value": 5}})]
    assert await _run(dispatcher, engine, "async_set", 6) == [Update(id=7, delta={"job": {"value": 6}})]
    assert threads["sync"] != threading.get_ident()
    assert threads["async"] == threading.get_ident()


async def test_dispatch_runs_each_step_of_a_sync_generator_in_a_worker_thread() -> None:
    dispatcher, engine, _ = _dispatcher()
    updates = await _run(dispatcher, engine, "sync_steps")
    assert [u.delta for u in updates] == [{"job": {"value": 1}}, {"job": {"value": 2}}]
    assert [u.done for u in updates] == [False, True]
    assert threading.get_ident() not in (threads["gen"], threads["gen-after"])


async def test_dispatch_stops_a_handler_past_its_timeout_and_undoes_its_last_step(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dispatcher, engine, manager = _dispatcher(handler_timeout=0.05)
    updates = await _run(dispatcher, engine, "slow")
    assert updates[0] == Update(id=7, delta={"job": {"value": 1}}, done=False)
    assert updates[1].error is not None
    assert updates[1].error.code == "timeout"
    assert 'Expected "job.slow" to finish within 0.05 seconds' in updates[1].error.message
    assert await _value(manager) == 1, "the step sent before the timeout stays; the one after is undone"
    assert "ran past handler_timeout" in caplog.text


async def test_dispatch_reports_a_failing_handler_with_the_configured_message(
    logged_errors: list[Any],
) -> None:
    dispatcher, engine, manager = _dispatcher(handler_error_message="Oops.")
    [update] = await _run(dispatcher, engine, "fail")
    assert update.error is not None
    assert (update.error.code, update.error.message) == ("handler_error", "Oops.")
    assert await _value(manager) == 0
    assert [r.getMessage() for r in logged_errors] == ['Event handler "job.fail" raised']
    logged_errors.clear()
    exposing, engine, _ = _dispatcher(handler_error_message="Oops.", expose_errors=True)
    [update] = await _run(exposing, engine, "fail")
    assert update.error is not None
    assert update.error.message == "Oops. ValueError: secret detail"
    logged_errors.clear()


async def test_dispatch_refuses_a_state_past_max_state_bytes_and_undoes_it() -> None:
    dispatcher, engine, manager = _dispatcher(max_state_bytes=1000)
    assert await _run(dispatcher, engine, "grow", 100) == [Update(id=7, delta={"job": {"text": "x" * 100}})]
    [refused] = await _run(dispatcher, engine, "grow", 2000)
    assert refused.error is not None
    assert refused.error.code == "too_large"
    async with manager.session("t") as tree:
        assert (await tree.get(Job)).text == "x" * 100
    assert 100 < manager.total_bytes < 1000


async def test_dispatch_cancelled_with_its_client_undoes_the_running_step() -> None:
    dispatcher, engine, manager = _dispatcher()
    updates: list[Update] = []

    async def reply(update: Update) -> None:
        updates.append(update)
        if len(updates) == 1:
            scope.cancel()

    call = engine.resolve({"id": 1, "handler": "job.slow", "args": []})
    with anyio.CancelScope() as scope:
        await dispatcher.run("t", None, call, reply)
    assert len(updates) == 1
    assert await _value(manager) == 1


async def test_dispatch_reports_a_sync_handler_that_raises(logged_errors: list[Any]) -> None:
    dispatcher, engine, manager = _dispatcher()
    [update] = await _run(dispatcher, engine, "sync_fail")
    assert update.error is not None
    assert update.error.code == "handler_error"
    assert await _value(manager) == 0
    assert [r.getMessage() for r in logged_errors] == ['Event handler "job.sync_fail" raised']
    assert "from a thread" in str(logged_errors[0].exc_info[1]) if logged_errors[0].exc_info else False
    logged_errors.clear()


async def test_dispatch_holds_the_lock_until_a_timed_out_sync_handler_returns() -> None:
    # A thread cannot be stopped: the timeout is reported once it returns, its change undone then.
    released.clear()
    dispatcher, engine, manager = _dispatcher(handler_timeout=0.05)
    order: list[str] = []

    async def reply(update: Update) -> None:
        assert update.error is not None
        order.append(update.error.code)

    call = engine.resolve({"id": 1, "handler": "job.sync_wait", "args": []})
    async with anyio.create_task_group() as group:
        group.start_soon(dispatcher.run, "t", None, call, reply)
        await anyio.sleep(0.3)  # the time for the timeout to pass, while the thread still runs
        order.append("released")
        released.set()
    assert order == ["released", "timeout"]
    assert await _value(manager) == 0


async def test_dispatch_threads_are_reused_and_end_on_shutdown() -> None:
    dispatcher, engine, _ = _dispatcher()
    for value in range(20):
        await _run(dispatcher, engine, "sync_set", value)
    assert dispatcher._threads._threads == 1, "one event at a time needs one thread"
    wake = dispatcher._threads._wake
    assert wake is not None
    dispatcher.shutdown()
    assert dispatcher._threads._threads == 0
    assert wake.ended.wait(5), "the thread read the end of its pipe and ended, and the pipe is closed"
    # Started again (an app's second lifespan): new threads, on a new pipe.
    assert await _run(dispatcher, engine, "sync_set", 5) == [Update(id=7, delta={"job": {"value": 5}})]
    assert dispatcher._threads._threads == 1
    dispatcher.shutdown()


async def test_dispatch_threads_each_take_one_job_of_many_at_once() -> None:
    # More sync handlers at once than idle threads: each is run once, by a new thread or a busy one when done.
    from pyreact_asgi.runtime import dispatch

    threads_ = dispatch._Threads(3)
    gate = threading.Event()
    jobs = [threads_.run(lambda i=i: gate.wait(5) and i) for i in range(20)]
    gate.set()
    results = []
    for job in jobs:
        if not threads_.wait_briefly(job, None):
            assert job.future is not None
            await job.future
        results.append(job.result)
    assert results == list(range(20))
    assert threads_._threads == 3
    threads_.shutdown()


async def test_dispatch_lets_the_loop_run_while_a_sync_handler_blocks() -> None:
    # The loop waits only briefly for a sync handler; a blocking one hands it back to every other task.
    released.clear()
    dispatcher, engine, manager = _dispatcher()
    updates: list[Update] = []

    async def reply(update: Update) -> None:
        updates.append(update)

    call = engine.resolve({"id": 1, "handler": "job.sync_wait", "args": []})
    async with anyio.create_task_group() as group:
        group.start_soon(dispatcher.run, "t", None, call, reply)
        for _ in range(20):  # tasks on the loop make progress while the handler's thread is blocked
            await anyio.lowlevel.checkpoint()
        assert updates == []
        released.set()
    assert updates == [Update(id=1, delta={"job": {"value": 97}})]
    assert await _value(manager) == 97


async def test_dispatch_waits_again_for_a_slow_sync_handler_only_after_a_while() -> None:
    # A handler that ran past the brief wait is not waited for in its next calls, so a slow or blocking handler
    # cannot hold up the loop event after event; its outcome still arrives, through the loop.
    from pyreact_asgi.runtime import dispatch

    gate = threading.Event()
    threads_ = dispatch._Threads(2)
    job = threads_.run(gate.wait, 5)
    assert not threads_.wait_briefly(job, "slow")
    gate.set()
    assert job.future is not None
    assert await job.future is True
    second = threading.Event()
    skipped = threads_.run(second.wait, 5)
    assert not threads_.wait_briefly(skipped, "slow")
    assert threads_._skip["slow"] == dispatch._SKIP - 1, "not waited for: it was slow lately"
    second.set()
    assert skipped.future is not None
    assert await skipped.future is True
    threads_.brief_wait = 10.0  # long enough for a loaded machine: the fast function below is waited for
    for _ in range(dispatch._SKIP - 1):
        job = threads_.run(lambda: 2)
        if not threads_.wait_briefly(job, "slow"):
            assert job.future is not None
            assert await job.future == 2
    job = threads_.run(lambda: 3)
    assert threads_.wait_briefly(job, "slow"), "a handler fast again is waited for again"
    assert job.outcome() == 3
    assert "slow" not in threads_._skip
    threads_.shutdown()


async def test_dispatch_raises_what_a_quick_sync_handler_raised_and_undoes_it(logged_errors: list[Any]) -> None:
    dispatcher, engine, manager = _dispatcher()
    await _run(dispatcher, engine, "sync_set", 3)
    updates = await _run(dispatcher, engine, "sync_fail")
    assert [u.error.code for u in updates if u.error] == ["handler_error"]
    assert await _value(manager) == 3
    logged_errors.clear()


class Basket(pr.State):
    items: list[str] = []  # noqa: RUF012
    tags: dict[str, list[int]] = {}  # noqa: RUF012

    @pr.event
    def fill_then_fail(self) -> None:
        self.items.append("lost")
        self.tags.setdefault("a", []).append(1)
        raise ValueError("after changing containers in place")

    @pr.event
    def fill(self) -> None:
        self.items.append("kept")
        self.tags.setdefault("a", []).append(2)


async def test_dispatch_undoes_in_place_changes_of_a_sync_handler_that_raised(logged_errors: list[Any]) -> None:
    # The handler runs in a worker thread; its in-place changes (a list, a list inside a dict) are undone on the
    # loop, and the next event's delta is computed against the state as it was before the failed one.
    engine = Engine({"basket": Basket})
    manager = MemoryStateManager(60)
    dispatcher = Dispatcher(pr.Config(), lambda: engine, manager)
    updates: list[Update] = []

    async def reply(update: Update) -> None:
        updates.append(update)

    for handler in ("fill_then_fail", "fill"):
        call = engine.resolve({"id": 1, "handler": f"basket.{handler}", "args": []})
        await dispatcher.run("t", None, call, reply)
    assert [u.error.code for u in updates if u.error] == ["handler_error"]
    assert updates[-1].delta == {"basket": {"items": ["kept"], "tags": {"a": [2]}}}
    logged_errors.clear()
    dispatcher.shutdown()


async def test_dispatch_times_out_overlapping_events_each_at_its_own_deadline() -> None:
    # One timer serves every running event: it is set for the oldest, and set again for the next when it goes
    # off. Events finishing between (the fast ones) must not stop it.
    dispatcher, engine, manager = _dispatcher(handler_timeout=0.2)
    outcomes: dict[str, list[Update]] = {}

    async def run(token: str, handler: str, *args: Any) -> None:
        outcomes[token] = await _run(dispatcher, engine, handler, *args, token=token)

    with anyio.fail_after(10):
        async with anyio.create_task_group() as group:
            for i in range(3):
                group.start_soon(run, f"fast{i}", "async_set", i + 1)
                group.start_soon(run, f"slow{i}", "slow")
                await anyio.sleep(0.05)  # staggered: each slow event has a deadline of its own
    for i in range(3):
        assert outcomes[f"fast{i}"] == [Update(id=7, delta={"job": {"value": i + 1}})]
        error = outcomes[f"slow{i}"][-1].error
        assert error is not None
        assert error.code == "timeout"
        assert await _value(manager, f"slow{i}") == 1
    assert dispatcher._deadlines is not None
    assert not dispatcher._deadlines.running, "every event forgot its deadline"


async def test_dispatch_leaves_a_cancelled_event_cancelled_and_times_out_the_next() -> None:
    # A client that goes away cancels its event: that is no timeout, and its deadline, forgotten, cancels
    # nothing later.
    dispatcher, engine, _ = _dispatcher(handler_timeout=0.2)
    call = engine.resolve({"id": 1, "handler": "job.slow", "args": []})
    updates: list[Update] = []

    async def reply(update: Update) -> None:
        updates.append(update)

    with anyio.fail_after(10):
        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as group:
                group.start_soon(dispatcher.run, "gone", None, call, reply)
                await anyio.sleep(0.05)
                scope.cancel()
        assert [u.error for u in updates] == [None], "cancelled, not timed out"
        later = await _run(dispatcher, engine, "slow", token="later")
    assert later[-1].error is not None
    assert later[-1].error.code == "timeout"


async def test_dispatch_passes_on_a_cancellation_that_comes_with_the_timeout() -> None:
    # The client disconnects as the deadline passes: both cancel the task, and the disconnect wins (the task
    # ends cancelled, as with asyncio.timeout), rather than being answered with "timeout".
    dispatcher, engine, _ = _dispatcher(handler_timeout=0.2)
    call = engine.resolve({"id": 1, "handler": "job.slow", "args": []})
    task: asyncio.Task[ErrorInfo | None] | None = None

    async def reply(update: Update) -> None:
        assert update.error is None, "no reply after the cancellation"
        assert task is not None
        deadlines = dispatcher._deadlines
        assert deadlines is not None
        [deadline] = deadlines.running
        deadline.when = 0.0  # past: the timer, when it runs, cancels the task
        deadlines._expire()
        task.cancel()  # and so does the client

    task = asyncio.create_task(dispatcher.run("t", None, call, reply))
    with anyio.fail_after(10):
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_dispatch_times_out_events_in_a_second_event_loop() -> None:
    # An app may be started again in another loop (tests do): the deadlines follow the loop the event runs in,
    # even while the first loop still has its timer set (for the fast event here).
    dispatcher, engine, _ = _dispatcher(handler_timeout=0.5)

    def in_new_loop() -> list[Update]:
        # Bounded here: a thread cannot be cancelled from this loop.
        return asyncio.run(asyncio.wait_for(_run(dispatcher, engine, "slow", token="b"), 5))

    with anyio.fail_after(10):
        assert await _run(dispatcher, engine, "async_set", 3) == [Update(id=7, delta={"job": {"value": 3}})]
        updates = await anyio.to_thread.run_sync(in_new_loop)
    assert updates[-1].error is not None
    assert updates[-1].error.code == "timeout"
