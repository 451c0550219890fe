from __future__ import annotations

import abc
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio
import msgspec
from anyio.abc import TaskStatus

from pyreact_asgi.exceptions import LimitError
from pyreact_asgi.state import State
from pyreact_asgi.state.tracking import tracker
from pyreact_asgi.state.tree import StateTree

if TYPE_CHECKING:
    from pyreact_asgi.router import Router
    from pyreact_asgi.runtime.messages import Update

__all__ = ["Deliver", "Fence", "MemoryStateManager", "Session", "StateManager", "state_size"]

# What a lock hands its holder, and store checks: None for a manager whose lock cannot expire (one process).
Fence = str | None
# Sends an update to every tab of a client token connected to this process.
Deliver = Callable[[str, "Update"], Awaitable[None]]


class StateManager(abc.ABC):
    """Where each client's states live, one record per (client token, state), and the token's lock.

    An event holds its token's lock from start to end, loads only the states it touches, and stores only
    those. A manager for several processes (Redis, `pyreact_asgi.runtime.redis_manager`) implements the three
    methods below with an expiring lock whose fence `store` checks, and overrides `broadcast` and `listen`
    so an update made on one process reaches tabs connected to another.
    """

    #: Whether several processes share this manager's states (and so may each hold a tab of a client).
    shared = False

    @abc.abstractmethod
    def lock(self, token: str) -> AbstractAsyncContextManager[Fence]:
        """Returns a context manager that holds the token's lock: one event or task of a client at a time.

        It yields the lock's fence, which `store` is given: a manager whose lock can expire refuses a store
        whose fence is no longer the lock's.
        """

    @abc.abstractmethod
    async def load(self, token: str, state: type[State]) -> State | None:
        """Returns the client's stored instance of ``state``, or None if it has none yet. Called under the lock."""

    @abc.abstractmethod
    async def store(self, token: str, states: Iterable[State], fence: Fence = None) -> None:
        """Saves the client's instances of these states, which are committed. Called under the lock.

        Raises:
            StateStoreError: The lock of ``fence`` expired and another holder took it (code "conflict"), or
                the store cannot be reached (code "unavailable"); nothing was saved.
        """

    async def start(self) -> None:  # noqa: B027 - nothing to connect to in memory
        """Connects to the store, when there is one; called from the app's startup.

        Raises:
            StateStoreError: The store cannot be reached.
        """

    async def close(self) -> None:  # noqa: B027
        """Lets go of the store's connections; called from the app's shutdown."""

    async def broadcast(self, token: str, update: Update, local: Deliver) -> None:
        """Sends an update no event asked for to every tab of ``token``, on whichever process it is connected.

        Args:
            token: The client.
            update: What to send.
            local: Sends it to the tabs connected to this process.
        """
        await local(token, update)

    async def listen(self, local: Deliver, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Hands ``local`` the updates other processes broadcast, until cancelled; the app runs it for its
        lifespan. ``task_status`` is told once it receives them."""
        task_status.started()
        await anyio.sleep_forever()

    def session(self, token: str, router: Router | None = None) -> Session:
        """Returns a context manager that holds the token's lock and yields a tree loading states as they are used.

        On exit the loaded states are stored. If the block raises, uncommitted changes are undone first.
        """
        return _Session(self, token, router)

    def connect(self, token: str) -> None:  # noqa: B027 - a manager without bounds needs no bookkeeping
        """Records an open connection of ``token``, whose state must then be kept however long it is idle.

        Raises:
            LimitError: No more clients can be kept.
        """

    def disconnect(self, token: str) -> None:  # noqa: B027
        """Records that a connection of ``token`` closed."""

    def check(self, token: str, tree: StateTree) -> None:  # noqa: B027
        """Called before an event's changes in ``tree`` are committed, under the token's lock.

        Raises:
            LimitError: The changes would break a limit (the client's state size); they are undone.
        """

    async def run_sweeper(self) -> None:
        """Drops expired client states from time to time until cancelled; the app runs it for its lifespan."""
        await anyio.sleep_forever()

    async def _load_or_create(self, token: str, state: type[State]) -> State:
        instance = await self.load(token, state)
        return state() if instance is None else instance


class Session(AbstractAsyncContextManager[StateTree]):
    """A client's states under its lock: `StateManager.session`."""

    @abc.abstractmethod
    async def save(self, last: bool = False) -> None:
        """Stores the loaded states now, still holding the lock.

        Called before a client is told an event is done (or sent what a task or push changed), so that what
        it was told is kept even if the store fails on the way out.

        Args:
            last: Nothing changes in the block after this: a manager shared by several processes lets them
                take the lock now (this process's own events still wait for the block to end).

        Raises:
            StateStoreError: The store refused or cannot be reached; the caller fails the event.
        """


class _Session(Session):
    # A class rather than an @asynccontextmanager: this runs for every event, and generator-based
    # context managers nested two deep cost more than the rest of the engine's bookkeeping.
    __slots__ = ("_fence", "_lock", "_manager", "_router", "_token", "_tree")

    def __init__(self, manager: StateManager, token: str, router: Router | None) -> None:
        self._manager = manager
        self._token = token
        self._router = router
        self._lock = manager.lock(token)
        self._tree: StateTree | None = None
        self._fence: Fence = None

    async def __aenter__(self) -> StateTree:
        self._fence = await self._lock.__aenter__()
        self._tree = StateTree(partial(self._manager._load_or_create, self._token), self._router)
        return self._tree

    async def save(self, last: bool = False) -> None:
        assert self._tree is not None
        await self._manager.store(self._token, self._tree.states, self._fence)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        tree = self._tree
        assert tree is not None
        try:
            if exc is not None:
                tree.rollback()
            await self._manager.store(self._token, tree.states, self._fence)
        finally:
            await self._lock.__aexit__(exc_type, exc, tb)


@dataclass(slots=True)
class _Entry:
    states: dict[type[State], State] = field(default_factory=dict)
    # fast_acquire: an uncontended lock is taken without a trip through the event loop, once per event.
    lock: anyio.Lock = field(default_factory=partial(anyio.Lock, fast_acquire=True))
    last_seen: float = field(default_factory=time.monotonic)
    connections: int = 0  # open websocket connections of the token: while any, it is never dropped
    sizes: dict[type[State], int] = field(default_factory=dict)  # each state's size when last measured
    slack: dict[type[State], int] = field(default_factory=dict)  # how much of it may be an over-estimate
    size: int = 0

    def idle(self) -> bool:
        return self.connections == 0 and not self.lock.locked()


class _EntryLock:
    __slots__ = ("_entry",)

    def __init__(self, entry: _Entry) -> None:
        self._entry = entry

    async def __aenter__(self) -> None:
        await self._entry.lock.acquire()
        self._entry.last_seen = time.monotonic()

    async def __aexit__(self, *exc_info: object) -> None:
        self._entry.last_seen = time.monotonic()
        self._entry.lock.release()


# States smaller than this are measured by encoding them: it costs about what bounding their growth would.
_ESTIMATE_FROM = 2048


def state_size(state: State) -> int:
    """Returns the size of a state's vars (backend-only ones included) encoded as msgpack.

    A value msgspec cannot encode (an opaque object in a backend-only var) counts as one byte.
    """
    return len(msgspec.msgpack.encode(tracker(state).values, enc_hook=_opaque))


def _opaque(_: Any) -> None:
    return None


class MemoryStateManager(StateManager):
    """Keeps each client's states in this process, with one lock per client token.

    Memory is bounded by its limits: each client's states together (``max_state_bytes``), the number of
    clients kept (``max_clients``) and their total size (``max_total_state_bytes``); the clients idle the
    longest go first. A client with an open connection is never dropped.

    Args:
        ttl: Seconds after its last use, or its last connection closed, that a client's state is dropped.
        max_clients: Most client tokens kept.
        max_state_bytes: Largest size of one client's states together; None for no limit.
        max_total_state_bytes: Largest size of all clients' states; None for no limit.
        sweep_interval: Seconds between two sweeps by `run_sweeper`.
    """

    def __init__(
        self,
        ttl: float,
        *,
        max_clients: int | None = None,
        max_state_bytes: int | None = None,
        max_total_state_bytes: int | None = None,
        sweep_interval: float = 60.0,
    ) -> None:
        self.ttl = ttl
        self.max_clients = max_clients
        self.max_state_bytes = max_state_bytes
        self.max_total_state_bytes = max_total_state_bytes
        self.sweep_interval = sweep_interval
        # Ordered by last use, oldest first: every lock moves its entry to the end, so eviction reads from the start.
        self._entries: dict[str, _Entry] = {}
        self._total = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def total_bytes(self) -> int:
        """The size of every client's states as last measured."""
        return self._total

    def lock(self, token: str) -> AbstractAsyncContextManager[Fence]:
        return _EntryLock(self._use(token))

    def connect(self, token: str) -> None:
        """Records an open connection of ``token``: its state stays however long the connection is idle.

        Raises:
            LimitError: ``max_clients`` are kept and every one has an open connection.
        """
        self._use(token).connections += 1

    def disconnect(self, token: str) -> None:
        """Records that a connection of ``token`` closed; its state is kept ``ttl`` seconds from now."""
        entry = self._entries.get(token)
        if entry is not None:
            entry.connections = max(0, entry.connections - 1)
            entry.last_seen = time.monotonic()

    def check(self, token: str, tree: StateTree) -> None:
        """Measures the client's states with the changes in ``tree``, before they are committed.

        Raises:
            LimitError: They would be larger than ``max_state_bytes``; the caller undoes the changes.
        """
        entry = self._entries.get(token)
        if entry is None or (self.max_state_bytes is None and self.max_total_state_bytes is None):
            return
        sizes, slack = entry.sizes, entry.slack
        loaded: dict[type[State], int] = {}
        for state in tree.states:
            cls = type(state)
            known = sizes.get(cls)
            # A state none of whose vars can have changed keeps its size. A large one whose lists and dicts
            # changed only by patch ops (and scalars by assignment) grows by at most what they hold
            # (`Tracker.growth`): that upper bound is used until it may be a quarter too large, or would break
            # the limit; then the state is encoded. A small one is encoded as fast as its growth is bounded.
            if known is not None:
                record = tracker(state)
                if record.unchanged():
                    loaded[cls] = known
                    continue
                if known >= _ESTIMATE_FROM:
                    growth = record.growth()
                    if growth is not None and (extra := slack.get(cls, 0) + growth) <= known // 4:
                        loaded[cls] = known + growth
                        slack[cls] = extra
                        continue
            loaded[cls] = state_size(state)
            if cls in slack:
                del slack[cls]
        size = sum(loaded.values()) + sum(n for cls, n in sizes.items() if cls not in loaded)
        if self.max_state_bytes is not None and size > self.max_state_bytes and any(slack.get(c) for c in loaded):
            for state in tree.states:
                if slack.pop(type(state), 0):
                    loaded[type(state)] = state_size(state)
            size = sum(loaded.values()) + sum(n for cls, n in sizes.items() if cls not in loaded)
        if self.max_state_bytes is not None and size > self.max_state_bytes:
            raise LimitError(
                f"Expected the client's state to stay within {self.max_state_bytes} bytes, but the event would "
                f"make it {size}; nothing was changed. Raise Config.max_state_bytes if the app needs more.",
                code="too_large",
            )
        entry.sizes.update(loaded)
        self._total += size - entry.size
        entry.size = size

    async def load(self, token: str, state: type[State]) -> State | None:
        entry = self._entries.get(token)
        return None if entry is None else entry.states.get(state)

    async def store(self, token: str, states: Iterable[State], fence: Fence = None) -> None:
        # The live instances are kept, so storing only records states created during the session.
        entry = self._entries.get(token)
        if entry is not None:
            for state in states:
                entry.states[type(state)] = state
        if self.max_total_state_bytes is not None and self._total > self.max_total_state_bytes:
            self._evict(lambda: self._total > (self.max_total_state_bytes or 0), keep=token)

    def migrate(self, states: Mapping[str, type[State]]) -> None:
        """Moves every client's states to the classes of a reloaded app (development mode's hot reload).

        Each instance becomes one of the new class of its state name; every var that both classes have and
        whose value still has the new var's type keeps its value, the others start at their defaults. States
        whose name no longer exists are dropped. Called while no event runs (the reload holds no lock, but
        it runs between awaits of the event loop, and an event in progress keeps its own instances).
        """
        for entry in self._entries.values():
            moved: dict[type[State], State] = {}
            for old_cls, old in entry.states.items():
                new_cls = states.get(old_cls.state_name())
                if new_cls is None:
                    continue
                if new_cls is old_cls:
                    moved[new_cls] = old
                    continue
                new = new_cls()
                record, values = tracker(new), tracker(old).values
                types = record.types()
                for name, value in values.items():
                    if name in types:
                        record.restore(name, msgspec.to_builtins(value))
                record.commit()
                moved[new_cls] = new
            entry.states = moved
            entry.sizes = {}
            entry.slack = {}

    def sweep(self, now: float | None = None) -> int:
        """Drops the states of clients without a connection that were last used more than ``ttl`` ago.

        Returns:
            How many clients were dropped.
        """
        now = time.monotonic() if now is None else now
        expired = [t for t, e in self._entries.items() if now - e.last_seen > self.ttl and e.idle()]
        for token in expired:
            self._drop(token)
        return len(expired)

    async def run_sweeper(self) -> None:
        """Sweeps every ``sweep_interval`` seconds until cancelled; the app runs it for its lifespan."""
        while True:
            await anyio.sleep(self.sweep_interval)
            self.sweep()

    def _use(self, token: str) -> _Entry:
        entry = self._entries.pop(token, None)
        if entry is None:
            if self.max_clients is not None and len(self._entries) >= self.max_clients:
                self._evict(lambda: len(self._entries) >= (self.max_clients or 0), keep=token)
            entry = _Entry()
        self._entries[token] = entry  # at the end: the most recently used
        return entry

    def _evict(self, over: Callable[[], bool], keep: str) -> None:
        for token in [t for t, e in self._entries.items() if e.idle() and t != keep]:
            if not over():
                return
            self._drop(token)
        if over():
            raise LimitError(
                f"Expected at most {self.max_clients} clients, each with up to {self.max_state_bytes} bytes of "
                "state, but every one kept has an open connection or a running event; try again later, or raise "
                "Config.max_clients.",
                code="too_many_clients",
            )

    def _drop(self, token: str) -> None:
        entry = self._entries.pop(token)
        self._total -= entry.size
