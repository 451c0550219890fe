from __future__ import annotations

import abc
import time
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio

from pyreact_asgi.state import State
from pyreact_asgi.state.tree import StateTree

if TYPE_CHECKING:
    from pyreact_asgi.router import Router

__all__ = ["MemoryStateManager", "StateManager"]


class StateManager(abc.ABC):
    """Where each client's states live, one record per (client token, state), and the token's lock.

    An event holds its token's lock from start to end, loads only the states it touches, and stores only
    those. A manager for several processes (Redis) implements the three methods below: `lock` with an
    expiring lock, `load`/`store` of one state each, encoded with msgspec.
    """

    @abc.abstractmethod
    def lock(self, token: str) -> AbstractAsyncContextManager[None]:
        """Returns a context manager that holds the token's lock: one event or task of a client at a time."""

    @abc.abstractmethod
    async def load(self, token: str, state: type[State]) -> State | None:
        """Returns the client's stored instance of ``state``, or None if it has none yet. Called under the lock."""

    @abc.abstractmethod
    async def store(self, token: str, states: Iterable[State]) -> None:
        """Saves the client's instances of these states, which are committed. Called under the lock."""

    def session(self, token: str, router: Router | None = None) -> AbstractAsyncContextManager[StateTree]:
        """Returns a context manager that holds the token's lock and yields a tree loading states as they are used.

        On exit the loaded states are stored. If the block raises, uncommitted changes are undone first.
        """
        return _Session(self, token, router)

    async def _load_or_create(self, token: str, state: type[State]) -> State:
        instance = await self.load(token, state)
        return state() if instance is None else instance


class _Session:
    # A class rather than an @asynccontextmanager: this runs for every event, and generator-based
    # context managers nested two deep cost more than the rest of the engine's bookkeeping.
    __slots__ = ("_lock", "_manager", "_router", "_token", "_tree")

    def __init__(self, manager: StateManager, token: str, router: Router | None) -> None:
        self._manager = manager
        self._token = token
        self._router = router
        self._lock = manager.lock(token)
        self._tree: StateTree | None = None

    async def __aenter__(self) -> StateTree:
        await self._lock.__aenter__()
        self._tree = StateTree(partial(self._manager._load_or_create, self._token), self._router)
        return self._tree

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        tree = self._tree
        assert tree is not None
        try:
            if exc is not None:
                tree.rollback()
            await self._manager.store(self._token, tree.states)
        finally:
            await self._lock.__aexit__(exc_type, exc, tb)


@dataclass(slots=True)
class _Entry:
    states: dict[type[State], State] = field(default_factory=dict)
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    last_seen: float = field(default_factory=time.monotonic)


class _EntryLock:
    __slots__ = ("_entry",)

    def __init__(self, entry: _Entry) -> None:
        self._entry = entry

    async def __aenter__(self) -> None:
        await self._entry.lock.acquire()
        self._entry.last_seen = time.monotonic()

    async def __aexit__(self, *exc_info: object) -> None:
        self._entry.lock.release()


class MemoryStateManager(StateManager):
    """Keeps each client's states in this process, with one lock per client token.

    Args:
        ttl: Seconds after its last use that a client's state is dropped.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[str, _Entry] = {}
        self._next_sweep = time.monotonic() + min(ttl, 60.0)

    def __len__(self) -> int:
        return len(self._entries)

    def lock(self, token: str) -> AbstractAsyncContextManager[None]:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        entry = self._entries.get(token)
        if entry is None:
            entry = self._entries[token] = _Entry()
        return _EntryLock(entry)

    async def load(self, token: str, state: type[State]) -> State | None:
        entry = self._entries.get(token)
        return None if entry is None else entry.states.get(state)

    async def store(self, token: str, states: Iterable[State]) -> None:
        # The live instances are kept, so storing only records states created during the session.
        entry = self._entries.get(token)
        if entry is not None:
            for state in states:
                entry.states[type(state)] = state

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + min(self.ttl, 60.0)
        expired = [t for t, e in self._entries.items() if now - e.last_seen > self.ttl and not e.lock.locked()]
        for token in expired:
            del self._entries[token]
