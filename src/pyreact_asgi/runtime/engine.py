from __future__ import annotations

import inspect
import logging
import types
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from pyreact_asgi._contract import PATCH_PREFIX, split_stored_var_key
from pyreact_asgi.actions import Action
from pyreact_asgi.exceptions import ConfigError, HandlerError, ProtocolError, StateError
from pyreact_asgi.runtime.messages import EventMessage
from pyreact_asgi.state import Changes, ComponentState, EventHandler, EventSpec, State, StateTree, tracker
from pyreact_asgi.state.vars import Var
from pyreact_asgi.uploaded import UploadedFile

__all__ = ["MAX_CHAIN", "Call", "Check", "Delta", "Engine", "Outcome", "RunSync", "Step"]

logger = logging.getLogger(__name__)

# State name → var name → value: what an update carries.
Delta = dict[str, dict[str, Any]]
# Events one client event may lead to through chaining, so that a handler that returns itself cannot
# keep its client's queue busy forever.
MAX_CHAIN = 1000

_Pending = tuple[type[State], EventHandler, tuple[Any, ...]]
# How the caller runs a sync handler (or one step of a sync generator handler): in a worker thread, say.
RunSync = Callable[..., Awaitable[Any]]
# Called before each commit; raises to fail the event (a state grown past its limit), which is then undone.
Check = Callable[[StateTree], None]


@dataclass(frozen=True, slots=True)
class Call:
    id: int
    state: type[State]
    handler: EventHandler
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Step:
    """One update an event produces: the vars that changed, what the browser should do, and whether it is the last.

    Actions a handler returns or yields go in the step of the changes made up to that point.
    """

    delta: Delta
    done: bool
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a whole event produced: the changed vars merged, and what the browser should do next, in order."""

    delta: Delta
    actions: list[Action]


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
        # What a client that names no page of the app gets: the states the pages use, but no use of a
        # component state, which belongs to its own page.
        shared = frozenset().union(*self.pages.values()) if self.pages else frozenset(self.states)
        self._unknown_page = frozenset(
            name for name in shared if not issubclass(self.states.get(name, State), ComponentState)
        )
        # Every state a page's state reads through its computed vars, and who reads whom.
        known: dict[str, type[State]] = {}
        todo = list(self.states.values())
        while todo:
            cls = todo.pop()
            other = known.get(cls.state_name())
            if other is None:
                known[cls.state_name()] = cls
                todo.extend(p for var in cls.computed_vars().values() for p in var.param_states())
            elif other is not cls:
                raise ConfigError(
                    f'Two states are named "{cls.state_name()}": {other.__module__}.{other.__qualname__} and '
                    f"{cls.__module__}.{cls.__qualname__}; pass name=... to one of them."
                )
        dependents: dict[type[State], set[type[State]]] = {}
        for cls in known.values():
            for var in cls.computed_vars().values():
                for param in var.param_states():
                    dependents.setdefault(param, set()).add(cls)
        self._dependents = {cls: tuple(deps) for cls, deps in dependents.items()}
        self._async: dict[EventHandler, bool] = {}
        self._handlers = {
            f"{name}.{handler_name}": (cls, handler)
            for name, cls in self.states.items()
            for handler_name, handler in cls.handlers().items()
        }

    def resolve(self, raw: Any, page_states: frozenset[str] | None = None) -> Call:
        """Validates one decoded ``"event"`` payload.

        Args:
            raw: The payload.
            page_states: The states of the client's page (`page_states`): a `ComponentState` use is reachable
                only from the page that has it. None skips the check.

        Raises:
            ProtocolError: The payload is malformed, names an unknown handler, or has arguments of the wrong
                shape or type. Nothing has run.
        """
        try:
            message = msgspec.convert(raw, EventMessage)
        except msgspec.ValidationError as exc:
            raise ProtocolError(f"Malformed event: {exc}", code="malformed") from exc
        target = self._handlers.get(message.handler)
        if target is not None and page_states is not None and target[0].state_name() not in page_states:
            # A use of a component state belongs to its page: another page's client gets it as unknown.
            target = None if issubclass(target[0], ComponentState) else target
        if target is None:
            raise ProtocolError(f'Unknown event handler "{message.handler}".', code="unknown_handler")
        cls, handler = target
        return Call(message.id, cls, handler, handler.parse_args(cls, message.args))

    def resolve_upload(self, handler_path: str, files: list[UploadedFile]) -> Call:
        """Finds the upload handler an upload names and binds the files to it.

        Raises:
            ProtocolError: No such handler, or it does not take uploaded files.
        """
        target = self._handlers.get(handler_path)
        if target is None:
            raise ProtocolError(f'Unknown event handler "{handler_path}".', code="unknown_handler")
        cls, handler = target
        if not handler.takes_files(cls):
            raise ProtocolError(
                f'"{handler_path}" does not take uploaded files; an upload handler takes one parameter annotated '
                "list[pr.UploadedFile].",
                code="invalid_args",
            )
        return Call(0, cls, handler, (files,))

    async def restore(self, tree: StateTree, stored: Any) -> None:
        """Applies the values the browser keeps for its stored vars (``{"<state>.<var>": value}``).

        Entries that name no stored var, or whose value does not fit the var's type, are ignored: the browser's
        storage is the user's to edit.
        """
        if not isinstance(stored, dict):
            return
        for path, raw in stored.items():
            # A substate's name has dots too: the var is what follows the last one.
            state_name, var = split_stored_var_key(str(path))
            cls = self.states.get(state_name)
            if cls is not None and var in cls.stored_vars():
                tracker(await tree.get(cls)).restore(var, raw)

    def page_states(self, page: str | None) -> frozenset[str]:
        """Returns the names of the states a client on ``page`` receives: when it is unknown, every state the pages
        use but the uses of component states.

        Args:
            page: The page's route relative to the mount path (a query string is ignored), or None.
        """
        if page is not None:
            route = page.partition("?")[0].rstrip("/") or "/"
            names = self.pages.get(route)
            if names is not None:
                return names
        return self._unknown_page

    async def full_state(self, tree: StateTree, names: Iterable[str] | None = None) -> Delta:
        """Returns every public var, computed ones included, of the named states (default: all page states)."""
        full: Delta = {}
        for name in sorted(self.states if names is None else names):
            cls = self.states[name]

            def failed(var: str, exc: Exception, cls: type[State] = cls) -> None:
                # A computed var over the router raised on this client's page (a slug it cannot parse): the
                # client gets None for it, and other vars and clients carry on.
                logger.warning(
                    'Computed var "%s.%s" raised on the page %r and is None for this client: %s: %s',
                    cls.state_name(),
                    var,
                    tree.router.page if tree.router is not None else None,
                    type(exc).__name__,
                    exc,
                )

            full[name] = tree.full(await tree.get(cls), failed)
        return full

    async def apply(
        self, tree: StateTree, call: Call, *, run_sync: RunSync | None = None, check: Check | None = None
    ) -> Outcome:
        """Runs an event to its end and returns all it changed, merged, and its actions: `process` in one go."""
        merged: Delta = {}
        actions: list[Action] = []
        async for step in self.process(tree, call, run_sync=run_sync, check=check):
            for name, changed in step.delta.items():
                merged.setdefault(name, {}).update(changed)
            actions += step.actions
        return Outcome(_unpatched(tree, merged), actions)

    async def process(
        self, tree: StateTree, call: Call, *, run_sync: RunSync | None = None, check: Check | None = None
    ) -> AsyncIterator[Step]:
        """Runs an event and the events it chains, yielding a step each time there is something to send.

        Args:
            tree: The client's states.
            call: The event, from `resolve`.
            run_sync: Runs a sync handler, and each step of a sync generator handler, as
                ``await run_sync(fn, *args)``; called inline when None.
            check: Called with the tree before each commit; what it raises fails the event like a handler's
                exception.

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
                raise StateError(
                    f'Event handler "{cls.state_name()}.{handler.name}" was chained more than {MAX_CHAIN} events '
                    "into one client event; a handler probably returns an event that leads back to itself."
                )
            state = await tree.get(cls)
            chained: list[_Pending] = []
            actions: list[Action] = []
            try:
                if run_sync is not None and not self._is_async(handler):
                    result = await run_sync(handler.call, state, args)
                else:
                    result = handler.call(state, args)
                if result is None:
                    pass  # most handlers: no abstract-class checks needed
                elif isinstance(result, (types.AsyncGeneratorType, types.GeneratorType)):
                    async for item in _items(result, run_sync):
                        events, yielded = _split(cls, handler, item)
                        chained += events
                        delta = await self.commit(tree, check)
                        if delta or yielded:
                            yield Step(delta, done=False, actions=actions + yielded)
                            actions = []
                        else:
                            actions += yielded
                else:
                    if isinstance(result, Awaitable):
                        result = await result
                    if result is not None:
                        chained, actions = _split(cls, handler, result)
                delta = await self.commit(tree, check)
            except BaseException:
                tree.rollback()
                raise
            if chained:
                pending[0:0] = chained
            yield Step(delta, done=not pending, actions=actions)

    async def commit(self, tree: StateTree, check: Check | None = None) -> Delta:
        """Returns the public changes (computed vars included) made in ``tree`` since its last commit, and commits.

        Events commit through `process`; code that changes a client's states outside an event (a background
        task holding ``manager.session(token)``) calls this to get the delta to send.

        Raises:
            Exception: ``check`` or a computed var raised; nothing is committed.
        """
        if check is not None:
            check(tree)
        patches: Changes = {}
        changes = await tree.commit(self._dependents_of, patches)
        delta: Delta = {}
        for cls, changed in changes.items():
            patched = patches.get(cls)
            if patched is None:
                public = {name: value for name, value in changed.items() if not name.startswith("_")}
            else:
                # A list or dict changed in place goes as the ops that change it (docs/protocol.md, "Patches").
                public = {
                    name if name not in patched else PATCH_PREFIX + name: patched.get(name, value)
                    for name, value in changed.items()
                    if not name.startswith("_")
                }
            if public:
                delta[cls.state_name()] = public
        return delta

    def _dependents_of(self, state: type[State]) -> tuple[type[State], ...]:
        return self._dependents.get(state, ())

    def _is_async(self, handler: EventHandler) -> bool:
        # Asked for every event: inspect's checks cost more than a lookup.
        found = self._async.get(handler)
        if found is None:
            found = self._async[handler] = _is_async(handler)
        return found


def _is_async(handler: EventHandler) -> bool:
    fn = handler.fn
    return inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)


_END = object()


def _unpatched(tree: StateTree, delta: Delta) -> Delta:
    # Patches of several steps do not merge: a patched var gets its value now, from the tree.
    if not any(key.startswith(PATCH_PREFIX) for changed in delta.values() for key in changed):
        return delta
    states = {state.state_name(): tracker(state).values for state in tree.states}
    return {
        name: {
            key.removeprefix(PATCH_PREFIX): states[name][key.removeprefix(PATCH_PREFIX)]
            if key.startswith(PATCH_PREFIX)
            else value
            for key, value in changed.items()
        }
        for name, changed in delta.items()
    }


async def _items(gen: Any, run_sync: RunSync | None) -> AsyncIterator[Any]:
    # A sync generator handler runs between its yields as a sync handler does: through run_sync if given.
    if isinstance(gen, types.AsyncGeneratorType):
        async for item in gen:
            yield item
    elif run_sync is None:
        for item in gen:
            yield item
    else:
        while (item := await run_sync(next, gen, _END)) is not _END:
            yield item


def _split(state: type[State], handler: EventHandler, value: Any) -> tuple[list[_Pending], list[Action]]:
    """Returns the events to chain and the actions to send in what a handler returned or yielded."""
    if value is None:
        return [], []
    where = f"{state.state_name()}.{handler.name}"
    items = value if isinstance(value, (list, tuple)) else [value]
    events: list[_Pending] = []
    actions: list[Action] = []
    for item in items:
        if isinstance(item, Action):
            actions.append(item)
            continue
        if not isinstance(item, EventSpec):
            raise HandlerError(
                f'Event handler "{where}" returned or yielded {item!r}; expected None, an event such as '
                "`Counter.increment(5)` or `Counter.reset`, an action such as `pr.toast(...)`, or a list of them."
            )
        if item.handler.background:
            raise HandlerError(
                f'Event handler "{where}" chained "{item.path}", a background task; start background tasks '
                "from the browser (a trigger), which runs them outside the client's queue of events."
            )
        args = () if item.args is None else item.args
        if any(isinstance(arg, Var) for arg in args):
            raise HandlerError(
                f'Event handler "{where}" chained "{item.path}" with a Var argument; a Var has a value only '
                "in the browser, so pass the value itself (self.count, not Counter.count)."
            )
        events.append((item.state, item.handler, item.handler.parse_args(item.state, list(args))))
    return events, actions
