from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from pyreact_asgi.config import Config
from pyreact_asgi.exceptions import LimitError, StateStoreError
from pyreact_asgi.router import Router
from pyreact_asgi.runtime.engine import Call, Engine
from pyreact_asgi.runtime.manager import StateManager
from pyreact_asgi.runtime.messages import ErrorInfo, Update

__all__ = ["Dispatcher", "Reply"]

logger = logging.getLogger(__name__)

Reply = Callable[[Update], Awaitable[None]]

# Worker threads one app lends to sync handlers at once; more wait for a free one. Each app has its own, so
# one app's blocking handlers cannot take every thread of another app in the process.
_THREADS = 40


class Dispatcher:
    """Runs one client event under its token's lock: the one way a handler is called, for websocket events
    and uploads alike.

    - The handler runs with ``Config.handler_timeout``: past it, it is cancelled, its changes since its last
      update are undone, and the client gets error "timeout".
    - A sync handler (and each step of a sync generator handler) runs in a worker thread, so it stalls no
      other client; docs/state.md gives the thread-safety contract.
    - A change that would make the client's state larger than ``Config.max_state_bytes`` fails the event
      with error "too_large", undone.
    - A handler that raises is logged with its traceback, undone, and the client gets
      ``Config.handler_error_message`` (with the exception when ``Config.expose_errors``).

    Args:
        config: The app's settings.
        engine: Returns the engine; called once the app has started.
        manager: Where each client's state lives.
    """

    def __init__(self, config: Config, engine: Callable[[], Engine], manager: StateManager) -> None:
        self.manager = manager
        self._engine = engine
        self._timeout = config.handler_timeout
        self._error_message = config.handler_error_message
        self._expose_errors = config.expose_errors
        self._threads = _Threads(_THREADS)
        # The deadlines of the events running in the app's event loop (a test may run it in more than one).
        self._deadlines: _Deadlines | None = None

    async def run(self, token: str, router: Router | None, call: Call, reply: Reply) -> ErrorInfo | None:
        """Runs ``call`` for the client ``token`` and sends each update it makes, its last marked done.

        A failure is sent as one error update (the event's last) and never raised; only cancellation is
        (the client disconnected): the changes since the last update are then undone.

        Returns:
            The error sent, or None if the event succeeded.
        """
        engine = self._engine()
        error: ErrorInfo | None = None
        deadlines = self._deadlines
        if deadlines is None or deadlines.loop is not asyncio.get_running_loop():
            deadlines = self._deadlines = _Deadlines(asyncio.get_running_loop(), self._timeout)
        deadline = deadlines.enter()
        timed_out = False
        try:
            try:
                session = self.manager.session(token, router)
                async with session as tree:
                    check = partial(self.manager.check, token)
                    only, steps = await engine.begin(tree, call, run_sync=self._in_thread, check=check)
                    if only is not None:
                        # Saved before the client is told the event is done: what it was told is kept.
                        await session.save(last=True)
                        await reply(Update(id=call.id, delta=only.delta, done=True))
                    else:
                        assert steps is not None
                        async for step in steps:
                            if step.done:
                                await session.save(last=True)  # as above
                            await reply(Update(id=call.id, delta=step.delta, actions=step.actions, done=step.done))
                return None
            except (LimitError, StateStoreError) as exc:
                logger.warning('Event handler "%s" refused: %s', _name(call), exc)
                error = ErrorInfo(exc.code, str(exc))
            except Exception as exc:
                logger.exception('Event handler "%s" raised', _name(call))
                error = ErrorInfo("handler_error", self.error_message(exc))
        except asyncio.CancelledError:
            timed_out = deadline.leave()
            if not timed_out:
                raise
            logger.warning(
                'Event handler "%s" ran past handler_timeout (%ss); cancelled it.', _name(call), self._timeout
            )
            error = ErrorInfo(
                "timeout",
                f'Expected "{_name(call)}" to finish within {self._timeout:g} seconds, but it was still running; it '
                "was stopped and its changes since its last update undone. Raise Config.handler_timeout, or make "
                "it a background task (@pr.event(background=True)).",
            )
        finally:
            if not timed_out:
                deadline.leave()
        await reply(Update(id=call.id, error=error))
        return error

    def error_message(self, exc: BaseException) -> str:
        """Returns what a client is told about a handler that raised: ``Config.handler_error_message``."""
        if self._expose_errors:
            return f"{self._error_message} {type(exc).__name__}: {exc}"
        return self._error_message

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        job = self._threads.run(fn, *args)
        if self._threads.wait_briefly(job, getattr(fn, "__self__", fn)):
            return job.outcome()
        future = job.future
        assert future is not None
        try:
            return await asyncio.shield(future)
        except BaseException:
            # Cancelled (timeout, closed tab): the thread cannot be stopped and still holds the client's states,
            # so the lock is released only once it returns, whatever further cancellations come.
            while not future.done():
                try:
                    await asyncio.shield(future)
                except asyncio.CancelledError:
                    pass  # the first cancellation is raised below
            raise

    def shutdown(self) -> None:
        """Lets the worker threads end once they finish what they run."""
        self._threads.shutdown()


class _Deadline:
    __slots__ = ("cancelling", "expired", "left", "owner", "task", "when")

    def __init__(self, owner: _Deadlines, task: asyncio.Task[Any], when: float) -> None:
        self.owner = owner
        self.task = task
        self.when = when
        self.cancelling = task.cancelling()
        self.expired = False
        self.left = False

    def leave(self) -> bool:
        """Forgets this deadline; returns whether it cancelled the event's task, and only it did (then the
        ``CancelledError`` the task is handling is the timeout), as ``asyncio.timeout`` tells."""
        if self.left:
            return False
        self.left = True
        self.owner.running.pop(self, None)
        return self.expired and self.task.uncancel() <= self.cancelling


class _Deadlines:
    """Cancels the events of one event loop that run past ``handler_timeout``, as ``asyncio.timeout`` would, but
    with one timer for them all rather than one made and cancelled per event (3 µs of an event's 50).

    Every event gets the same timeout, so the order events start in is the order their deadlines come in: the
    timer is set for the oldest running event; when it goes off it cancels those past their deadline, and is
    set again for the oldest left.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self.loop = loop
        self._timeout = timeout
        self.running: dict[_Deadline, None] = {}  # oldest first
        self._timer: asyncio.TimerHandle | None = None

    def enter(self) -> _Deadline:
        task = asyncio.current_task(self.loop)
        assert task is not None
        deadline = _Deadline(self, task, self.loop.time() + self._timeout)
        self.running[deadline] = None
        if self._timer is None:
            self._timer = self.loop.call_at(deadline.when, self._expire)
        return deadline

    def _expire(self) -> None:
        self._timer = None
        now = self.loop.time()
        while self.running:
            deadline = next(iter(self.running))
            if deadline.when > now:
                self._timer = self.loop.call_at(deadline.when, self._expire)
                return
            del self.running[deadline]
            deadline.expired = True
            deadline.task.cancel()


# How long the event loop waits, without returning to its other work, for a sync handler it handed to a
# worker thread, before it goes on and is called back instead. A hop that the loop waits out costs two thread
# switches; one it is called back for costs a wake-up of the loop through its self-pipe and the switches of
# the GIL between two runnable threads, about twice the CPU. A handler that took longer is not waited for in
# its next _SKIP calls, so a slow or blocking handler costs the loop at most this wait per _SKIP events.
_BRIEF_WAIT = 0.0005
_SKIP = 100


class _Job:
    """One call handed to a worker thread: its outcome, and how the loop learns of it."""

    __slots__ = ("args", "done", "error", "fn", "future", "loop", "result")

    def __init__(self, loop: asyncio.AbstractEventLoop, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.loop = loop
        self.fn = fn
        self.args = args
        self.result: Any = None
        self.error: BaseException | None = None
        # Held until the call returns: the loop waits on it briefly (`wait_briefly`), releasing the GIL.
        self.done = threading.Lock()
        self.done.acquire()
        self.future: asyncio.Future[Any] | None = None

    def wait_briefly(self, timeout: float) -> bool:
        """Waits up to ``timeout`` for the call to return; if it has not, sets `future`, resolved when it does."""
        if timeout > 0 and self.done.acquire(timeout=timeout):
            return True
        # Set before `done` is looked at again, and the worker looks at it after releasing `done`: either the
        # worker sees it and settles it, or `done` is seen released here (or both: then it is not needed).
        future = self.future = self.loop.create_future()
        if self.done.acquire(blocking=False):
            future.cancel()
            return True
        return False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result

    def finish(self) -> None:
        self.done.release()
        future = self.future
        if future is not None:
            try:
                self.loop.call_soon_threadsafe(_settle, future, self.result, self.error)
            except RuntimeError:  # pragma: no cover - the loop closed while the handler ran
                pass


class _Threads:
    """Daemon worker threads that run sync handlers, started as needed up to ``size``.

    Not ``anyio.to_thread``: a hop through it costs about three times as much CPU (75 µs against 25 µs here),
    which doubled the server's cost of a sync handler's event. Not ``concurrent.futures``: its threads are
    joined at interpreter exit, so one sync handler that never returns would keep the process from exiting.

    An idle thread waits in ``os.read`` on a pipe, and is woken by a byte written to it, rather than by a lock or
    a queue: ``os.write`` lets go of the GIL before it wakes the thread, which then runs at once, where a thread
    woken by a lock's release (with the GIL still held by the loop) wakes only to wait for the GIL and is woken
    again. Measured on one core, that takes a hop from 8 to 3 µs of CPU.
    """

    def __init__(self, size: int, brief_wait: float = _BRIEF_WAIT) -> None:
        self._size = size
        self.brief_wait = brief_wait
        self._jobs: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        # The pipe idle threads wait on, made with the first thread; shutdown closes its writing end.
        self._wake: _Wake | None = None
        # Functions (handlers, by the object their bound method belongs to) that ran past the brief wait, and
        # how many of their calls are left before it is tried again.
        self._skip: dict[Any, int] = {}

    def run(self, fn: Callable[..., Any], *args: Any) -> _Job:
        """Starts ``fn(*args)`` in a worker thread, an idle one if there is one."""
        job = _Job(asyncio.get_running_loop(), fn, args)
        with self._lock:
            self._jobs.append(job)
            if self._idle:
                self._idle -= 1  # an idle thread takes it (or another thread, which then leaves it idle)
                wake = self._wake
            else:
                wake = None
                if self._threads < self._size:  # else a busy thread takes it when it is done
                    if self._wake is None:
                        self._wake = _Wake()
                    self._threads += 1
                    self._wake.thread_started()
                    threading.Thread(
                        target=self._serve, args=(self._wake,), name=f"pyreact-handler-{self._threads}", daemon=True
                    ).start()
        if wake is not None:
            os.write(wake.write, b"\0")
        return job

    def wait_briefly(self, job: _Job, key: Any) -> bool:
        """Whether ``job`` returned within the brief wait; waits only for functions that were not slow lately."""
        skip = self._skip.get(key)
        if skip:
            self._skip[key] = skip - 1
            return job.wait_briefly(0.0)
        if job.wait_briefly(self.brief_wait):
            if skip is not None:
                del self._skip[key]
            return True
        self._skip[key] = _SKIP
        return False

    def shutdown(self) -> None:
        """Lets the threads end once no job waits: each finishes what it runs and what is queued."""
        with self._lock:
            wake, self._wake = self._wake, None
            self._threads = self._idle = 0
        if wake is not None:
            wake.close_writer()  # an idle thread reads the end of the pipe and returns

    def _serve(self, wake: _Wake) -> None:
        try:
            job = self._next(wake)
            while True:
                if job is None:
                    if not os.read(wake.read, 1):
                        return  # shut down
                    # The job woken for, unless a busy thread took it first (then this one is idle again).
                    job = self._next(wake)
                    continue
                try:
                    job.result = job.fn(*job.args)
                except BaseException as exc:
                    job.error = exc
                # The next job is taken, or this thread counted idle, before the loop learns this one is done,
                # so that the loop's next job finds it idle rather than starting another thread.
                done, job = job, self._next(wake)
                done.finish()
        finally:
            wake.thread_ended()

    def _next(self, wake: _Wake) -> _Job | None:
        with self._lock:
            if self._jobs:
                return self._jobs.popleft()
            if self._wake is wake:  # after a shutdown, the thread is not counted: it ends
                self._idle += 1
            return None


class _Wake:
    """The pipe whose bytes wake idle worker threads. Its reading end is closed once the writing end is (by
    `_Threads.shutdown`) and every thread waiting on it has read the end of the pipe and ended."""

    __slots__ = ("_closed", "_lock", "ended", "read", "threads", "write")

    def __init__(self) -> None:
        self.read, self.write = os.pipe()
        self.threads = 0
        self._closed = False
        self._lock = threading.Lock()
        self.ended = threading.Event()  # set once both ends are closed

    def thread_started(self) -> None:
        with self._lock:
            self.threads += 1

    def close_writer(self) -> None:
        with self._lock:
            os.close(self.write)
            self._closed = True
            if self.threads == 0:
                self._close_reader()

    def thread_ended(self) -> None:
        with self._lock:
            self.threads -= 1
            if self.threads == 0 and self._closed:
                self._close_reader()

    def _close_reader(self) -> None:
        os.close(self.read)
        self.ended.set()


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is None:
        future.set_result(result)
    else:
        future.set_exception(exc)


def _name(call: Call) -> str:
    return f"{call.state.state_name()}.{call.handler.name}"
