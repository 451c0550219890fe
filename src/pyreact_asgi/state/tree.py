from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from pyreact_asgi.exceptions import StateError
from pyreact_asgi.state.tracking import Tracker, encode, plain, tracker

if TYPE_CHECKING:
    from pyreact_asgi.router import Router
    from pyreact_asgi.state.base import State
    from pyreact_asgi.state.computed import ComputedVar

__all__ = ["ROUTER_READ", "Changes", "StateTree", "initial_state", "tree_of"]

S = TypeVar("S", bound="State")
# What a computed var that reads ``self.router`` depends on: no var is named "router", so this key never
# changes within an event, and such a var is computed again per client, when the tab connects or navigates.
ROUTER_READ = "router"
Loader = Callable[[type["State"]], Awaitable["State"]]
# State class → var name → new value, backend-only and computed vars included.
Changes = dict[type["State"], dict[str, Any]]
VarKey = tuple[type["State"], str]


class StateTree:
    """The states of one client that one event works on: only those it touches are loaded.

    It does no I/O itself: states come from ``loader``, which a state manager provides, and are created with
    their defaults when there is none (a state used on its own, or compiled for the first page load).

    Args:
        loader: Returns the client's instance of a State class, existing or new.
        router: What handlers read as ``self.router``.
    """

    def __init__(self, loader: Loader | None = None, router: Router | None = None) -> None:
        self._states: dict[type[State], State] = {}
        # Each loaded state with its tracker, looked up once when it is added rather than on every commit.
        self._records: list[tuple[State, Tracker]] = []
        self._loader = loader
        self.router = router
        # While a computed var runs: every (state, var) it reads, directly or through other computed vars.
        self.reads: set[VarKey] | None = None

    def __contains__(self, state: type[State]) -> bool:
        return state in self._states

    @property
    def states(self) -> list[State]:
        """The states loaded so far, in the order they were loaded."""
        return list(self._states.values())

    def add(self, state: State) -> None:
        """Puts a state instance in this tree; its ``get_state`` and computed vars read from the tree."""
        record = tracker(state)
        record.tree = self
        if type(state) in self._states:
            self._records = [(other, r) for other, r in self._records if type(other) is not type(state)]
        self._states[type(state)] = state
        self._records.append((state, record))

    async def get(self, state: type[S]) -> S:
        """Returns the instance of ``state``, loading it (and the states its computed vars read) if needed."""
        instance = self._states.get(state)
        if instance is None:
            instance = state() if self._loader is None else await self._loader(state)
            self.add(instance)
            for var in tracker(instance).computed.values():
                for other in var.param_states():
                    await self.get(other)
            self._baseline(instance)
        return instance  # type: ignore[return-value]

    def require(self, state: type[S]) -> S:
        """Returns the instance of ``state`` without loading: a computed var cannot wait for I/O."""
        instance = self._states.get(state)
        if instance is None:
            if self._loader is not None:
                raise StateError(f'State "{state.state_name()}" is used before it was loaded.')
            instance = state()
            self.add(instance)
            self._baseline(instance)
        return instance  # type: ignore[return-value]

    def _baseline(self, state: State) -> None:
        # A new state's computed vars start as what the client has: what they are on the vars it was sent.
        record = tracker(state)
        if record.computed and not record.cache:
            self.full(state)

    def run(self, state: State, var: ComputedVar) -> Any:
        """Runs a computed var of ``state``, which is in this tree, on the states it reads from this tree."""
        return var.fn(state, *(self.require(cls) for cls in var.param_states()))

    def compute(self, state: State, name: str) -> Any:
        """Runs a computed var of ``state``, recording the vars it reads as its dependencies."""
        record = tracker(state)
        outer, self.reads = self.reads, set()
        try:
            value = plain(self.run(state, record.computed[name]))
        finally:
            reads, self.reads = self.reads, outer
            if outer is not None:
                outer |= reads
            # Kept when it raised too: it runs again when what it read changes, not on every event.
            record.deps[name] = frozenset(reads)
        return value

    def full(self, state: State, failed: Callable[[str, Exception], None] | None = None) -> dict[str, Any]:
        """Returns every public var of ``state`` with its computed vars, which become what the client has.

        A computed var that reads ``self.router`` and raises is None (it depends on the client: it raises at
        build time, where there is none, and may on a page whose parameters it cannot use).

        Args:
            state: A state in this tree.
            failed: Called with the name and the exception of such a computed var.

        Raises:
            Exception: A computed var that does not read the router raised.
        """
        record = tracker(state)
        public = record.public()
        for name, var in record.computed.items():
            try:
                value = self.compute(state, name)
            except Exception as exc:
                if not self.reads_router(state, name):
                    raise
                if failed is not None:
                    failed(name, exc)
                value = None
            record.cache[name] = (value, encode(value))
            if not var.backend:
                public[name] = value
        return public

    def reads_router(self, state: State, name: str) -> bool:
        """Whether the computed var ``name`` of ``state`` read ``self.router`` the last time it ran."""
        return any(key[1] == ROUTER_READ for key in tracker(state).deps.get(name, ()))

    async def commit(
        self,
        dependents: Callable[[type[State]], Iterable[type[State]]] = lambda _: (),
        patches: Changes | None = None,
    ) -> Changes:
        """Returns what changed since the last commit, computed vars included, and makes it the new baseline.

        Computed vars are recomputed only when a var they read changed (or they never ran), and reported
        only when their value differs from the one the client has. States whose computed vars read a
        changed state are loaded first (``dependents`` names them).

        Args:
            dependents: Returns the states whose computed vars read a state.
            patches: Given, receives the patch ops (`Tracker.patch`) of the changed vars that have one.

        Raises:
            Exception: A computed var raised; nothing is committed, and `rollback` undoes the event.
        """
        changes: Changes = {}
        for state, record in self._records:
            if record.unchanged():
                continue
            changed = record.changes()
            if changed:
                changes[type(state)] = changed
                if patches is not None and record.touched:
                    for name in changed:
                        ops = record.patch(name)
                        if ops is not None:
                            patches.setdefault(type(state), {})[name] = ops
        for cls in list(changes):
            for dependent in dependents(cls):
                await self.get(dependent)
        cache: list[tuple[Tracker, str, Any, bytes | None]] = []
        keys: set[VarKey] | None = None
        for state, record in self._records:
            if not record.computed:
                continue
            if keys is None:
                keys = {(cls, name) for cls, changed in changes.items() for name in changed}
            for name in record.computed:
                deps = record.deps.get(name)
                if deps is not None and deps.isdisjoint(keys):
                    continue
                value = self.compute(state, name)
                encoded = encode(value)
                cached = record.cache.get(name)
                if cached is not None and encoded is not None and cached[1] == encoded:
                    continue
                cache.append((record, name, value, encoded))
                changes.setdefault(type(state), {})[name] = value
        # Only now that every computed var ran without raising does the event's outcome become the baseline.
        for _, record in self._records:
            record.commit()
        for record, name, value, encoded in cache:
            record.cache[name] = (value, encoded)
        return changes

    def rollback(self) -> None:
        """Restores every loaded state to its last commit, containers changed in place included."""
        for _, record in self._records:
            record.rollback()


def tree_of(state: State) -> StateTree:
    """Returns the tree ``state`` is in; a state used on its own (in a test, a script) gets a tree of its own,
    which creates the other states it reads with their defaults."""
    tree = tracker(state).tree
    if tree is None:
        tree = StateTree()
        tree.add(state)
    return tree


def initial_state(states: Iterable[type[State]]) -> dict[str, dict[str, Any]]:
    """Returns the public vars, computed ones included, of a new client of ``states``, by state name.

    A computed var that reads ``self.router`` is None here: it is computed for each client when its tab
    connects, with the client's router.

    Raises:
        Exception: A computed var that does not read the router raised on the default values.
    """
    tree = StateTree()
    return {cls.state_name(): tree.full(tree.require(cls)) for cls in states}
