from __future__ import annotations

import asyncio
import logging
import queue
import threading
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

    async def run(self, token: str, router: Router | None, call: Call, reply: Reply) -> ErrorInfo | None:
        """Runs ``call`` for the client ``token`` and sends each update it makes, its last marked done.

        A failure is sent as one error update (the event's last) and never raised; only cancellation is
        (the client disconnected): the changes since the last update are then undone.

        Returns:
            The error sent, or None if the event succeeded.
        """
        engine = self._engine()
        error: ErrorInfo | None = None
        try:
            # asyncio's timeout rather than anyio's cancel scope: this runs for every event, and anyio's scope
            # costs several times as much to enter and leave.
            async with asyncio.timeout(self._timeout):
                try:
                    session = self.manager.session(token, router)
                    async with session as tree:
                        steps = engine.process(
                            tree, call, run_sync=self._in_thread, check=partial(self.manager.check, token)
                        )
                        async for step in steps:
                            if step.done:
                                # Saved before the client is told the event is done: what it was told is kept.
                                await session.save(last=True)
                            await reply(Update(id=call.id, delta=step.delta, actions=step.actions, done=step.done))
                    return None
                except (LimitError, StateStoreError) as exc:
                    logger.warning('Event handler "%s" refused: %s', _name(call), exc)
                    error = ErrorInfo(exc.code, str(exc))
                except Exception as exc:
                    logger.exception('Event handler "%s" raised', _name(call))
                    error = ErrorInfo("handler_error", self.error_message(exc))
        except TimeoutError:
            logger.warning(
                'Event handler "%s" ran past handler_timeout (%ss); cancelled it.', _name(call), self._timeout
            )
            error = ErrorInfo(
                "timeout",
                f'Expected "{_name(call)}" to finish within {self._timeout:g} seconds, but it was still running; it '
                "was stopped and its changes since its last update undone. Raise Config.handler_timeout, or make "
                "it a background task (@pr.event(background=True)).",
            )
        assert error is not None
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


# How long the event loop waits, without returning to its other work, for a sync handler it handed to a
# worker thread, before it goes on and is called back instead. A hop that the loop waits out costs two thread
# switches; one it is called back for costs a wake-up of the loop through its self-pipe and the switches of
# the GIL between two runnable threads, about twice the CPU. A handler that took longer is not waited for in
# its next _SKIP calls, so a slow or blocking handler costs the loop at most this wait per _SKIP events.
_BRIEF_WAIT = 0.0005
_SKIP = 100


class _Job:
    """One call handed to a worker thread: its outcome, and how the loop learns of it."""

    __slots__ = ("args", "done", "error", "fn", "future", "guard", "loop", "result")

    def __init__(self, loop: asyncio.AbstractEventLoop, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.loop = loop
        self.fn = fn
        self.args = args
        self.result: Any = None
        self.error: BaseException | None = None
        # Held until the call returns: the loop waits on it briefly (`wait_briefly`), releasing the GIL.
        self.done = threading.Lock()
        self.done.acquire()
        # Orders the worker's "finished" against the loop's "call me back instead" (`future`).
        self.guard = threading.Lock()
        self.future: asyncio.Future[Any] | None = None

    def wait_briefly(self, timeout: float) -> bool:
        """Waits up to ``timeout`` for the call to return; if it has not, sets `future`, resolved when it does."""
        if timeout > 0 and self.done.acquire(timeout=timeout):
            return True
        with self.guard:
            if self.done.acquire(blocking=False):
                return True
            self.future = self.loop.create_future()
            return False

    def outcome(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.result

    def finish(self) -> None:
        with self.guard:
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
    """

    def __init__(self, size: int, brief_wait: float = _BRIEF_WAIT) -> None:
        self._size = size
        self.brief_wait = brief_wait
        self._work: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0
        # Functions (handlers, by the object their bound method belongs to) that ran past the brief wait, and
        # how many of their calls are left before it is tried again.
        self._skip: dict[Any, int] = {}

    def run(self, fn: Callable[..., Any], *args: Any) -> _Job:
        """Starts ``fn(*args)`` in a worker thread, an idle one if there is one."""
        job = _Job(asyncio.get_running_loop(), fn, args)
        self._work.put(job)
        with self._lock:
            if self._idle:
                self._idle -= 1  # an idle thread takes it
            elif self._threads < self._size:
                self._threads += 1
                threading.Thread(target=self._serve, name=f"pyreact-handler-{self._threads}", daemon=True).start()
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
        with self._lock:
            for _ in range(self._threads):
                self._work.put(None)
            self._threads = self._idle = 0

    def _serve(self) -> None:
        while (job := self._work.get()) is not None:
            try:
                job.result = job.fn(*job.args)
            except BaseException as exc:
                job.error = exc
            with self._lock:
                self._idle += 1
            job.finish()


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is None:
        future.set_result(result)
    else:
        future.set_exception(exc)


def _name(call: Call) -> str:
    return f"{call.state.state_name()}.{call.handler.name}"
