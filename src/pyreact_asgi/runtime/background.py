from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from pyreact_asgi.actions import collect
from pyreact_asgi.router import Router
from pyreact_asgi.runtime.engine import Call, Engine
from pyreact_asgi.runtime.manager import Session, StateManager
from pyreact_asgi.runtime.messages import Update
from pyreact_asgi.state import State, StateTree, detached

__all__ = ["BackgroundTasks"]

logger = logging.getLogger(__name__)

Deliver = Callable[[str, Update], Awaitable[None]]


class _Link:
    """A background task's way to its client's state: ``async with self:`` in the task goes through here."""

    def __init__(self, tasks: BackgroundTasks, token: str, router: Router, state: type[State]) -> None:
        self.inside = False
        self._tasks = tasks
        self._token = token
        self.router = router
        self._state = state
        self._session: Session | None = None
        self._tree: StateTree | None = None

    async def enter(self) -> State:
        session = self._tasks.manager.session(self._token, self.router)
        tree = await session.__aenter__()
        try:
            live = await tree.get(self._state)
        except BaseException as exc:
            await session.__aexit__(type(exc), exc, exc.__traceback__)
            raise
        self._session, self._tree, self.inside = session, tree, True
        return live

    async def exit(self, exc: BaseException | None) -> None:
        session, tree = self._session, self._tree
        assert session is not None
        assert tree is not None
        self._session = self._tree = None
        try:
            if exc is None:
                try:
                    delta = await self._tasks.engine().commit(tree, partial(self._tasks.manager.check, self._token))
                except BaseException as failed:
                    exc = failed  # undone on the way out, as an event past its limits is
                    raise
                if delta:
                    await session.save()  # kept before any tab is shown it
                    # Sent under the lock, so it cannot overtake the update of a later event.
                    await self._tasks.deliver(self._token, Update(delta=delta))
        finally:
            self.inside = False
            await session.__aexit__(None if exc is None else type(exc), exc, None)


class BackgroundTasks:
    """Runs the handlers marked ``@pr.event(background=True)``, each in its own asyncio task.

    A task outlives the connection that started it; it is cancelled only when the app shuts down.

    Args:
        manager: Where the clients' states live.
        engine: Returns the engine.
        deliver: Sends an update to every connected tab of a client token.
    """

    def __init__(self, manager: StateManager, engine: Callable[[], Engine], deliver: Deliver) -> None:
        self.manager = manager
        self.engine = engine
        self.deliver = deliver
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    async def start(self, token: str, router: Router, call: Call) -> None:
        """Starts ``call`` as a background task of ``token``'s client, with the values its state has now."""
        # A detached instance, holding a copy of the client's values, for the task to read before its first
        # `async with self:`.
        async with self.manager.session(token, router) as tree:
            proxy = detached(await tree.get(call.state), _Link(self, token, router, call.state))
        task = asyncio.create_task(self._run(token, call, proxy), name=f"pyreact background {call.handler.name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, token: str, call: Call, proxy: State) -> None:
        name = f"{call.state.state_name()}.{call.handler.name}"
        try:
            result: Any = await call.handler.call(proxy, call.args)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception('Background task "%s" raised', name)
            return
        actions = collect(result)
        if actions:
            await self.deliver(token, Update(actions=actions))
        elif result is not None:
            logger.error('Background task "%s" returned %r; it can return client actions only.', name, result)

    async def shutdown(self) -> None:
        """Cancels the tasks still running and waits for them to end."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
