from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from pyreact_asgi.exceptions import ConfigError, ProtocolError
from pyreact_asgi.runtime.messages import EventMessage
from pyreact_asgi.state import EventHandler, EventSpec, State
from pyreact_asgi.tree import StateTree
from pyreact_asgi.vars import Var

__all__ = ["MAX_CHAIN", "Call", "Delta", "Engine", "Step"]

# State name → var name → value: what an update carries.
Delta = dict[str, dict[str, Any]]
# Events one client event may lead to through chaining, so that a handler that returns itself cannot
# keep its client's queue busy forever.
MAX_CHAIN = 1000

_Pending = tuple[type[State], EventHandler, tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Call:
    id: int
    state: type[State]
    handler: EventHandler
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One update an event produces: the vars that changed, and whether the event is finished."""

    delta: Delta
    done: bool


class Engine:
    """Turns client events into handler calls and deltas. Knows nothing of sockets or locks.

    Args:
        states: The State classes the pages use, by state name.
        pages: Route → names of the states that page uses; a client on a page gets only those.

    Raises:
        ConfigError: Two different State classes share a name.
    """

    def __init__(self, states: Mapping[str, type[State]], pages: Mapping[str, Iterable[str]] | None = None) -> None:
        self.states = dict(states)
        self.pages = {route: frozenset(names) for route, names in (pages or {}).items()}
        # Every state a page's state reads through its computed vars, and who reads whom.
        known: dict[str, type[State]] = {}
        todo = list(self.states.values())
        while todo:
            cls = todo.pop()
            other = known.get(cls.state_name())
            if other is None:
                known[cls.state_name()] = cls
                todo.extend(p for var in cls._pr_computed.values() for p in var.param_states())
            elif other is not cls:
                raise ConfigError(
                    f'Two states are named "{cls.state_name()}": {other.__module__}.{other.__qualname__} and '
                    f"{cls.__module__}.{cls.__qualname__}; pass name=... to one of them."
                )
        dependents: dict[type[State], set[type[State]]] = {}
        for cls in known.values():
            for var in cls._pr_computed.values():
                for param in var.param_states():
                    dependents.setdefault(param, set()).add(cls)
        self._dependents = {cls: tuple(deps) for cls, deps in dependents.items()}
        self._handlers = {
            f"{name}.{handler_name}": (cls, handler)
            for name, cls in self.states.items()
            for handler_name, handler in cls.handlers().items()
        }

    def resolve(self, raw: Any) -> Call:
        """Validates one decoded ``"event"`` payload.

        Raises:
            ProtocolError: The payload is malformed, names an unknown handler, or has arguments of the wrong
                shape or type. Nothing has run.
        """
        try:
            message = msgspec.convert(raw, EventMessage)
        except msgspec.ValidationError as exc:
            raise ProtocolError(f"Malformed event: {exc}", code="malformed") from exc
        target = self._handlers.get(message.handler)
        if target is None:
            raise ProtocolError(f'Unknown event handler "{message.handler}".', code="unknown_handler")
        cls, handler = target
        return Call(message.id, cls, handler, handler.parse_args(cls, message.args))

    def page_states(self, page: str | None) -> frozenset[str]:
        """Returns the names of the states a client on ``page`` receives: every page state when it is unknown.

        Args:
            page: The page's route relative to the mount path (a query string is ignored), or None.
        """
        if page is not None:
            route = page.partition("?")[0].rstrip("/") or "/"
            names = self.pages.get(route)
            if names is not None:
                return names
        return frozenset(self.states)

    async def full_state(self, tree: StateTree, names: Iterable[str] | None = None) -> Delta:
        """Returns every public var, computed ones included, of the named states (default: all page states)."""
        full: Delta = {}
        for name in sorted(self.states if names is None else names):
            full[name] = tree.full(await tree.get(self.states[name]))
        return full

    async def apply(self, tree: StateTree, call: Call) -> Delta:
        """Runs an event to its end and returns all it changed, merged: `process` without the steps."""
        merged: Delta = {}
        async for step in self.process(tree, call):
            for name, changed in step.delta.items():
                merged.setdefault(name, {}).update(changed)
        return merged

    async def process(self, tree: StateTree, call: Call) -> AsyncIterator[Step]:
        """Runs an event and the events it chains, yielding a step each time there is something to send.

        - A handler's changes are sent when it returns, and also at every ``yield`` of a generator handler
          (sync or async) that changed something. Each such step is committed: a later failure keeps it.
        - Events a handler returns or yields (``Counter.increment(5)``, ``Other.handler``, or a list)
          run after it, in order, before anything queued earlier: the client sends no round trip.
        - The last step has ``done=True``.

        Raises:
            Exception: A handler or computed var raised, or a handler returned something that is not an
                event. The changes since the last step are undone; later events of the chain do not run.
        """
        pending: list[_Pending] = [(call.state, call.handler, call.args)]
        count = 0
        while pending:
            cls, handler, args = pending.pop(0)
            count += 1
            if count > MAX_CHAIN:
                raise RuntimeError(
                    f'Event handler "{cls.state_name()}.{handler.name}" was chained more than {MAX_CHAIN} events '
                    "into one client event; a handler probably returns an event that leads back to itself."
                )
            state = await tree.get(cls)
            where = f"{cls.state_name()}.{handler.name}"
            chained: list[_Pending] = []
            try:
                result = handler.call(state, args)
                if inspect.isasyncgen(result):
                    async for item in result:
                        chained += _events(where, item)
                        delta = await self._commit(tree)
                        if delta:
                            yield Step(delta, done=False)
                elif inspect.isgenerator(result):
                    for item in result:
                        chained += _events(where, item)
                        delta = await self._commit(tree)
                        if delta:
                            yield Step(delta, done=False)
                else:
                    if inspect.isawaitable(result):
                        result = await result
                    chained += _events(where, result)
                delta = await self._commit(tree)
            except BaseException:
                tree.rollback()
                raise
            pending[0:0] = chained
            yield Step(delta, done=not pending)

    async def _commit(self, tree: StateTree) -> Delta:
        changes = await tree.commit(self._dependents_of)
        delta: Delta = {}
        for cls, changed in changes.items():
            public = {name: value for name, value in changed.items() if not name.startswith("_")}
            if public:
                delta[cls.state_name()] = public
        return delta

    def _dependents_of(self, state: type[State]) -> tuple[type[State], ...]:
        return self._dependents.get(state, ())


def _events(where: str, value: Any) -> list[_Pending]:
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    events: list[_Pending] = []
    for item in items:
        if not isinstance(item, EventSpec):
            raise TypeError(
                f'Event handler "{where}" returned or yielded {item!r}; expected None, an event such as '
                "`Counter.increment(5)` or `Counter.reset`, or a list of events."
            )
        args = () if item.args is None else item.args
        if any(isinstance(arg, Var) for arg in args):
            raise TypeError(
                f'Event handler "{where}" chained "{item.path}" with a Var argument; a Var has a value only '
                "in the browser, so pass the value itself (self.count, not Counter.count)."
            )
        events.append((item.state, item.handler, item.handler.parse_args(item.state, list(args))))
    return events
