from __future__ import annotations

import abc
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import anyio

from pyreact_asgi.state import State
from pyreact_asgi.tree import StateTree

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

    @asynccontextmanager
    async def session(self, token: str, router: Router | None = None) -> AsyncIterator[StateTree]:
        """Holds the token's lock and yields a tree that loads the client's states as they are used.

        On exit the loaded states are stored. If the block raises, uncommitted changes are undone first.
        """
        async with self.lock(token):
            tree = StateTree(partial(self._load_or_create, token), router)
            try:
                yield tree
            except BaseException:
                tree.rollback()
                raise
            finally:
                await self.store(token, tree.states)

    async def _load_or_create(self, token: str, state: type[State]) -> State:
        instance = await self.load(token, state)
        return state() if instance is None else instance


@dataclass(slots=True)
class _Entry:
    states: dict[type[State], State] = field(default_factory=dict)
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    last_seen: float = field(default_factory=time.monotonic)


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

    @asynccontextmanager
    async def lock(self, token: str) -> AsyncIterator[None]:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        entry = self._entries.get(token)
        if entry is None:
            entry = self._entries[token] = _Entry()
        async with entry.lock:
            entry.last_seen = time.monotonic()
            yield

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
