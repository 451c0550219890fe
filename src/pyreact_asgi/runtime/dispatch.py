from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import anyio

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

    async def run(self, token: str, router: Router | None, call: Call, reply: Reply) -> None:
        """Runs ``call`` for the client ``token`` and sends each update it makes, its last marked done.

        A failure is sent as one error update (the event's last) and never raised; only cancellation is
        (the client disconnected): the changes since the last update are then undone.
        """
        engine = self._engine()
        error: ErrorInfo | None = None
        with anyio.move_on_after(self._timeout) as scope:
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
                return
            except (LimitError, StateStoreError) as exc:
                logger.warning('Event handler "%s" refused: %s', _name(call), exc)
                error = ErrorInfo(exc.code, str(exc))
            except Exception as exc:
                logger.exception('Event handler "%s" raised', _name(call))
                error = ErrorInfo("handler_error", self.error_message(exc))
        if scope.cancelled_caught:
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

    def error_message(self, exc: BaseException) -> str:
        """Returns what a client is told about a handler that raised: ``Config.handler_error_message``."""
        if self._expose_errors:
            return f"{self._error_message} {type(exc).__name__}: {exc}"
        return self._error_message

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        future = self._threads.run(fn, *args)
        try:
            return await asyncio.shield(future)
        except BaseException:
            # Cancelled (timeout, closed tab): the thread cannot be stopped and still holds the client's states,
            # so the lock is released only once it returns.
            with anyio.CancelScope(shield=True):
                await asyncio.wait({future})
            raise

    def shutdown(self) -> None:
        """Lets the worker threads end once they finish what they run."""
        self._threads.shutdown()


class _Threads:
    """Daemon worker threads that run sync handlers, started as needed up to ``size``.

    Not ``anyio.to_thread``: a hop through it costs about three times as much CPU (75 µs against 25 µs here),
    which doubled the server's cost of a sync handler's event. Not ``concurrent.futures``: its threads are
    joined at interpreter exit, so one sync handler that never returns would keep the process from exiting.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._work: queue.SimpleQueue[
            tuple[asyncio.AbstractEventLoop, asyncio.Future[Any], Callable[..., Any], tuple[Any, ...]] | None
        ] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0

    def run(self, fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        """Runs ``fn(*args)`` in a worker thread; the future is resolved in the calling loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._work.put((loop, future, fn, args))
        with self._lock:
            if self._idle:
                self._idle -= 1  # an idle thread takes it
            elif self._threads < self._size:
                self._threads += 1
                threading.Thread(target=self._serve, name=f"pyreact-handler-{self._threads}", daemon=True).start()
        return future

    def shutdown(self) -> None:
        with self._lock:
            for _ in range(self._threads):
                self._work.put(None)
            self._threads = self._idle = 0

    def _serve(self) -> None:
        while (item := self._work.get()) is not None:
            loop, future, fn, args = item
            try:
                result = fn(*args)
            except BaseException as exc:
                outcome: Callable[[], None] = partial(_settle, future, None, exc)
            else:
                outcome = partial(_settle, future, result, None)
            with self._lock:
                self._idle += 1
            try:
                loop.call_soon_threadsafe(outcome)
            except RuntimeError:  # pragma: no cover - the loop closed while the handler ran
                pass


def _settle(future: asyncio.Future[Any], result: Any, exc: BaseException | None) -> None:
    if future.done():
        return
    if exc is None:
        future.set_result(result)
    else:
        future.set_exception(exc)


def _name(call: Call) -> str:
    return f"{call.state.state_name()}.{call.handler.name}"
