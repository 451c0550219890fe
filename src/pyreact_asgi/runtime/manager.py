from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio

from pyreact_asgi.state import State

__all__ = ["MemoryStateManager"]


@dataclass(slots=True)
class _Entry:
    states: dict[str, State] = field(default_factory=dict)
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    last_seen: float = field(default_factory=time.monotonic)


class MemoryStateManager:
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
    async def session(self, token: str) -> AsyncIterator[dict[str, State]]:
        """Holds the token's lock and yields its states (state name → instance) to read and modify."""
        now = time.monotonic()
        if now >= self._next_sweep:
            self._sweep(now)
        entry = self._entries.get(token)
        if entry is None:
            entry = self._entries[token] = _Entry()
        async with entry.lock:
            entry.last_seen = time.monotonic()
            yield entry.states

    def _sweep(self, now: float) -> None:
        self._next_sweep = now + min(self.ttl, 60.0)
        expired = [t for t, e in self._entries.items() if now - e.last_seen > self.ttl and not e.lock.locked()]
        for token in expired:
            del self._entries[token]
