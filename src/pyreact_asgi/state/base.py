from __future__ import annotations

import copy
import dataclasses
import datetime
import decimal
import enum
import inspect
import re
import typing
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import msgspec

from pyreact_asgi.exceptions import ConfigError, ProtocolError
from pyreact_asgi.state.computed import ComputedVar
from pyreact_asgi.state.storage import ClientStorage
from pyreact_asgi.state.vars import StateVar
from pyreact_asgi.uploaded import UploadedFile

if TYPE_CHECKING:
    from pyreact_asgi.router import Router
    from pyreact_asgi.state.tree import StateTree

__all__ = ["EventHandler", "EventSpec", "State", "event"]

_STATE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_RESERVED = frozenset({"router"})
# Immutable values need no copy per client, and an assignment of an equal value is no change.
_SCALARS = (int, float, str, bool, bytes, type(None))
# Containers are compared and restored through their msgpack encoding: far cheaper than deepcopy, and it
# sees every change inside nested lists, dicts, sets and msgspec Structs.
_snapshot_encoder = msgspec.msgpack.Encoder()


def _encode(value: Any) -> bytes | None:
    """Returns the msgpack encoding of ``value``, or None for values msgspec cannot encode (opaque objects)."""
    try:
        return _snapshot_encoder.encode(value)
    except (TypeError, msgspec.EncodeError):
        return None


HandlerFn = Callable[..., Any]
S = TypeVar("S", bound="State")

# Types a client can send as JSON (msgspec decodes them from strings or numbers), beside containers of them.
_WIRE_LEAVES = frozenset(
    {int, float, str, bool, bytes, type(None), list, tuple, dict, set, frozenset, datetime.datetime,
     datetime.date, datetime.time, datetime.timedelta, decimal.Decimal, uuid.UUID}
)  # fmt: skip


def _not_sendable(hint: Any) -> Any:
    """Returns the first class in ``hint`` that a client cannot send as JSON, or None.

    msgspec accepts any class in a signature, but decodes one only with a hook we do not have, so a handler
    taking it could never be called: reject it at startup instead.
    """
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return None
    if origin is not None:
        args = typing.get_args(hint)
        for arg in args[:1] if origin is typing.Annotated else args:
            found = _not_sendable(arg)
            if found is not None:
                return found
        return None
    if hint is Any or hint is object or not isinstance(hint, type) or hint in _WIRE_LEAVES:
        return None
    if issubclass(hint, (enum.Enum, msgspec.Struct)) or dataclasses.is_dataclass(hint) or typing.is_typeddict(hint):
        return None
    if issubclass(hint, tuple) and hasattr(hint, "_fields"):  # NamedTuple
        return None
    return hint


def _mentions(hint: Any, cls: type) -> bool:
    return hint is cls or any(_mentions(arg, cls) for arg in typing.get_args(hint))


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    hint: Any
    default: Any = inspect.Parameter.empty

    @property
    def required(self) -> bool:
        return self.default is inspect.Parameter.empty


class EventHandler:
    """A method of a State that the browser can call. Created by ``@pr.event``.

    On the class (``Counter.increment``) it is a reference a page can attach to a trigger; called with
    arguments (``Counter.increment(5)``) it becomes an `EventSpec` with those arguments bound. On an instance
    it is a plain bound method.

    Args:
        fn: The handler function; sync or async, its parameters annotated with the types it accepts.
        params: The parameters, when they are not read from ``fn``'s signature (generated setters).
    """

    def __init__(
        self,
        fn: HandlerFn,
        *,
        params: Callable[[type[State]], list[Param]] | None = None,
        background: bool = False,
    ) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.background = background
        self._params_fn = params
        self._resolved: dict[type[State], tuple[list[Param], type[msgspec.Struct], bool]] = {}
        signature = inspect.signature(fn)
        for param in list(signature.parameters.values())[1:]:
            if param.kind not in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
                raise ConfigError(
                    f'Expected event handler "{fn.__qualname__}" to take plain positional parameters, '
                    f"but {param.name!r} is {param.kind.description}."
                )

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @typing.overload
    def __get__(self, instance: None, owner: type[State]) -> EventSpec: ...
    @typing.overload
    def __get__(self, instance: State, owner: type[State]) -> Callable[..., Any]: ...
    def __get__(self, instance: State | None, owner: type[State]) -> EventSpec | Callable[..., Any]:
        if instance is None:
            return EventSpec(owner, self)
        return self.fn.__get__(instance, owner)  # type: ignore[no-any-return]

    def params(self, state: type[State]) -> list[Param]:
        """Returns the parameters a client passes, resolving string annotations."""
        return self._resolve(state)[0]

    def takes_files(self, state: type[State]) -> bool:
        """Whether this is an upload handler: its one parameter is ``list[pr.UploadedFile]``."""
        return self._resolve(state)[2]

    def parse_args(self, state: type[State], args: list[Any]) -> tuple[Any, ...]:
        """Validates the arguments a client sent against the handler's signature.

        Raises:
            ProtocolError: The arguments do not fit; the message names the offending position.
        """
        struct = self._resolve(state)[1]
        if self._resolve(state)[2]:
            raise ProtocolError(
                f'"{state.state_name()}.{self.name}" receives uploaded files; it runs when files are uploaded '
                "to <mount>/_upload, not from an event.",
                code="invalid_args",
            )
        try:
            parsed = msgspec.convert(args, struct)
        except msgspec.ValidationError as exc:
            raise ProtocolError(
                f'Invalid arguments for "{state.state_name()}.{self.name}": {exc}', code="invalid_args"
            ) from exc
        return msgspec.structs.astuple(parsed)

    def call(self, instance: State, args: tuple[Any, ...]) -> Any | Awaitable[Any]:
        return self.fn(instance, *args)

    def _resolve(self, state: type[State]) -> tuple[list[Param], type[msgspec.Struct], bool]:
        resolved = self._resolved.get(state)
        if resolved is None:
            params = self._params_fn(state) if self._params_fn else self._signature_params()
            fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [
                (p.name, p.hint) if p.required else (p.name, p.hint, p.default) for p in params
            ]
            try:
                # array_like: the client sends positional arguments; forbid_unknown_fields rejects extras.
                struct = msgspec.defstruct(
                    f"{state.__name__}_{self.name}_args", fields, array_like=True, forbid_unknown_fields=True
                )
                msgspec.json.Decoder(struct)  # raises TypeError now for types msgspec cannot validate
            except TypeError as exc:
                raise ConfigError(
                    f'Event handler "{state.__name__}.{self.name}" has an unsupported type: {exc}'
                ) from exc
            takes_files = [p.hint for p in params] == [list[UploadedFile]]
            for param in params:
                if not takes_files and _mentions(param.hint, UploadedFile):
                    raise ConfigError(
                        f'Event handler "{state.__name__}.{self.name}" takes uploaded files in {param.name!r}; an '
                        "upload handler takes exactly one parameter, annotated list[pr.UploadedFile]."
                    )
                bad = None if takes_files else _not_sendable(param.hint)
                if bad is not None:
                    raise ConfigError(
                        f'Event handler "{state.__name__}.{self.name}" takes {param.name!r} of type '
                        f"{bad.__qualname__}, which a client cannot send; use JSON types, Enums, dataclasses "
                        "or msgspec Structs."
                    )
            resolved = self._resolved[state] = (params, struct, takes_files)
        return resolved

    def _signature_params(self) -> list[Param]:
        try:
            hints = typing.get_type_hints(self.fn)
        except Exception as exc:
            raise ConfigError(
                f'Cannot resolve the annotations of event handler "{self.fn.__qualname__}": {exc}'
            ) from exc
        params = list(inspect.signature(self.fn).parameters.values())[1:]
        return [Param(p.name, hints.get(p.name, Any), p.default) for p in params]


class EventSpec:
    """A handler with its state and the arguments bound so far, ready to attach to a trigger.

    ``Counter.increment`` is an EventSpec with no arguments; ``Counter.increment(5)`` binds ``by=5``.
    Arguments may be literals or Vars.
    """

    __slots__ = ("args", "handler", "state")

    def __init__(self, state: type[State], handler: EventHandler, args: tuple[Any, ...] | None = None) -> None:
        self.state = state
        self.handler = handler
        self.args = args

    @property
    def path(self) -> str:
        """The handler's address on the wire: ``"<state name>.<handler name>"``."""
        return f"{self.state.state_name()}.{self.handler.name}"

    def __call__(self, *args: Any, **kwargs: Any) -> EventSpec:
        return EventSpec(self.state, self.handler, self._positional(args, kwargs) if kwargs else args)

    def _positional(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        # The wire carries positional arguments only; keyword arguments are placed here, once, at compile time.
        params = self.handler.params(self.state)
        names = [p.name for p in params]
        for name in kwargs:
            if name not in names:
                raise ConfigError(f'Event handler "{self.path}" has no parameter {name!r}; it takes {names}.')
            if names.index(name) < len(args):
                raise ConfigError(f'Event handler "{self.path}" got two values for {name!r}.')
        bound = list(args)
        remaining = dict(kwargs)
        for param in params[len(args) :]:
            if not remaining:
                break
            if param.name in remaining:
                bound.append(remaining.pop(param.name))
            elif param.required:
                raise ConfigError(f'Event handler "{self.path}" needs a value for {param.name!r}.')
            else:
                bound.append(param.default)
        return tuple(bound)

    def __repr__(self) -> str:
        return f"EventSpec({self.path!r}, args={self.args!r})"


@typing.overload
def event(fn: HandlerFn, *, background: bool = False) -> Any: ...
@typing.overload
def event(fn: None = None, *, background: bool = False) -> Callable[[HandlerFn], Any]: ...
def event(fn: HandlerFn | None = None, *, background: bool = False) -> Any:
    """Marks a State method as an event handler the browser can call: ``@pr.event`` or ``@pr.event(...)``.

    The handler may be sync or async. Its parameters' annotations are the types a client must send;
    anything else is rejected before the handler runs. Blocking work belongs in an async handler
    (``await anyio.to_thread.run_sync(...)``), since sync handlers run on the event loop.

    Args:
        fn: The handler.
        background: Run it as a background task: outside the client's queue of events, so the client's other
            events go on meanwhile, and on after the client disconnects. It must be ``async def``. It reads
            and changes the state only inside ``async with self:``, which takes the client's lock, and its
            changes are sent when that block ends (to every tab of the client that is connected; a tab that
            reconnects later gets them with the full state). Outside the block, ``self`` holds the values
            as the last block left them, and assigning to a var raises.

    Returns:
        An `EventHandler` (typed as ``Any`` so that ``Counter.increment(5)`` type-checks in pages).
    """

    def mark(handler_fn: HandlerFn) -> EventHandler:
        if not callable(handler_fn):
            raise ConfigError(f"Expected @pr.event on a function, but got {handler_fn!r}.")
        if background and not inspect.iscoroutinefunction(handler_fn):
            raise ConfigError(f'Expected background handler "{handler_fn.__qualname__}" to be an `async def` function.')
        return EventHandler(handler_fn, background=background)

    if fn is None:
        return mark
    return mark(fn)


class BackgroundLink(typing.Protocol):
    """What a background task's ``async with self:`` needs from the runtime, which provides it."""

    inside: bool

    async def enter(self) -> State:
        """Takes the client's lock and returns the client's live instance of the task's state."""
        ...

    async def exit(self, exc: BaseException | None) -> None:
        """Sends the changes (or undoes them if ``exc``) and releases the lock."""
        ...


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    default: Any
    backend: bool
    storage: ClientStorage | None = None


class _VarDescriptor:
    __slots__ = ("field",)

    def __init__(self, field: Field) -> None:
        self.field = field

    def __get__(self, instance: State | None, owner: type[State]) -> Any:
        if instance is None:
            return StateVar(owner, self.field.name, backend=self.field.backend)
        name = self.field.name
        value = instance._pr_values[name]
        tree = instance._pr_tree
        if tree is not None and tree.reads is not None:
            tree.reads.add((type(instance), name))
        # A container may be changed in place through the reference returned here: remember how it looked,
        # so that the change is found (and can be undone) when the event ends.
        if not isinstance(value, _SCALARS) and name not in instance._pr_snapshots:
            instance._pr_snapshots[name] = _encode(value)
        return value

    def __set__(self, instance: State, value: Any) -> None:
        instance._pr_set(self.field.name, value)


def _is_classvar(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return re.match(r"^(typing\.)?ClassVar\b", annotation) is not None
    return typing.get_origin(annotation) is ClassVar or annotation is ClassVar


def _setter(field: Field) -> EventHandler:
    name = field.name

    def setter(self: State, value: Any) -> None:
        setattr(self, name, value)

    setter.__name__ = setter.__qualname__ = f"set_{name}"
    return EventHandler(setter, params=lambda state: [Param("value", state.var_types()[name])])


if TYPE_CHECKING:

    class _StateType(type):
        # Tells type checkers about the generated ``set_<var>`` handlers: ``Counter.set_name`` is an EventSpec.
        def __getattr__(cls, name: str) -> EventSpec: ...

else:
    _StateType = type


class State(metaclass=_StateType):
    """Base class of the server-side state of each client.

    Declare vars as annotated class attributes with defaults, handlers with ``@pr.event`` and derived vars
    with ``@pr.computed``. Each client (browser tab) gets its own instance. Vars whose names start with an
    underscore are backend-only: they never leave the server. Every public var ``x`` gets a generated handler
    ``set_x(value)``. Containers (lists, dicts, sets, msgspec Structs, nested) may be changed in place.

    The name on the wire is the class name in snake case (``TodoList`` → ``"todo_list"``); pass
    ``class TodoList(pr.State, name="todos")`` to choose another. Pass ``parent=App`` to make a substate,
    whose wire name is its path (``"app.todos"``). A State subclass of another is plain inheritance: it
    reuses the vars and handlers, and is a separate state.
    """

    _pr_fields: ClassVar[dict[str, Field]] = {}
    _pr_handlers: ClassVar[dict[str, EventHandler]] = {}
    _pr_computed: ClassVar[dict[str, ComputedVar]] = {}
    _pr_name: ClassVar[str] = "state"
    _pr_parent: ClassVar[type[State] | None] = None
    _pr_types: ClassVar[dict[str, Any] | None] = None
    _pr_router: Router | None = None

    _pr_values: dict[str, Any]
    # Since the last commit: var → value before its first assignment, and var → encoding of a container
    # before it was first read or assigned (None when msgspec cannot encode it).
    _pr_dirty: dict[str, Any]
    _pr_snapshots: dict[str, bytes | None]
    # Computed var → (value the client has, its encoding), and the (state, var) pairs it read last time.
    _pr_cache: dict[str, tuple[Any, bytes | None]]
    _pr_deps: dict[str, frozenset[tuple[type[State], str]]]
    _pr_tree: StateTree | None
    _pr_link: BackgroundLink | None = None

    def __init_subclass__(cls, *, name: str | None = None, parent: type[State] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        leaf = name or _CAMEL_BOUNDARY.sub("_", cls.__name__).lower()
        if not _STATE_NAME.match(leaf):
            raise ConfigError(f"Expected a state name of lowercase letters, digits and _, but got {leaf!r}.")
        if parent is not None and not (isinstance(parent, type) and issubclass(parent, State)):
            raise ConfigError(f"Expected parent= to be a State class, but got {parent!r}.")
        cls._pr_parent = parent
        cls._pr_name = leaf if parent is None else f"{parent._pr_name}.{leaf}"
        fields = dict(cls._pr_fields)
        computed = dict(cls._pr_computed)
        for attr, value in cls.__dict__.items():
            if isinstance(value, ComputedVar):
                if attr.startswith("_pr_") or attr in _RESERVED:
                    raise ConfigError(
                        f'Var names starting with "_pr_" and the name "router" are reserved, but {cls.__name__} '
                        f"declares {attr!r}."
                    )
                computed[attr] = value
                fields.pop(attr, None)
        for attr, annotation in inspect.get_annotations(cls).items():
            if _is_classvar(annotation):
                continue
            if attr.startswith("_pr_") or attr in _RESERVED:
                raise ConfigError(
                    f'Var names starting with "_pr_" and the name "router" are reserved, but {cls.__name__} '
                    f"declares {attr!r}."
                )
            if attr not in cls.__dict__:
                raise ConfigError(
                    f'Expected var "{attr}" of {cls.__name__} to have a default value, as in `{attr}: int = 0`.'
                )
            default = cls.__dict__[attr]
            if isinstance(default, EventHandler):
                raise ConfigError(f'"{cls.__name__}.{attr}" is both an annotated var and an event handler.')
            if isinstance(default, ComputedVar):
                raise ConfigError(f'"{cls.__name__}.{attr}" is both an annotated var and a computed var.')
            storage = default if isinstance(default, ClientStorage) else None
            if storage is not None:
                if attr.startswith("_"):
                    raise ConfigError(
                        f'"{cls.__name__}.{attr}" is kept in the browser, so it cannot be backend-only; drop the "_".'
                    )
                default = storage.default
            fields[attr] = Field(attr, default, backend=attr.startswith("_"), storage=storage)
            computed.pop(attr, None)
            setattr(cls, attr, _VarDescriptor(fields[attr]))
        handlers = dict(cls._pr_handlers)
        handlers.update({attr: value for attr, value in cls.__dict__.items() if isinstance(value, EventHandler)})
        for field in fields.values():
            setter_name = f"set_{field.name}"
            if not field.backend and setter_name not in handlers and not hasattr(cls, setter_name):
                handlers[setter_name] = _setter(field)
                setattr(cls, setter_name, handlers[setter_name])
        cls._pr_fields = fields
        cls._pr_computed = computed
        cls._pr_handlers = handlers
        cls._pr_types = None

    def __init__(self) -> None:
        object.__setattr__(
            self,
            "_pr_values",
            {
                name: f.default if isinstance(f.default, _SCALARS) else copy.deepcopy(f.default)
                for name, f in self._pr_fields.items()
            },
        )
        object.__setattr__(self, "_pr_dirty", {})
        object.__setattr__(self, "_pr_snapshots", {})
        object.__setattr__(self, "_pr_cache", {})
        object.__setattr__(self, "_pr_deps", {})
        object.__setattr__(self, "_pr_tree", None)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._pr_fields:
            self._pr_set(name, value)
        elif name in self._pr_computed:
            self._pr_computed[name].__set__(self, value)
        else:
            raise AttributeError(
                f'{type(self).__name__} has no var "{name}"; declare it on the class with a type and a default.'
            )

    def __repr__(self) -> str:
        public = ", ".join(f"{k}={v!r}" for k, v in self._pr_values.items() if not k.startswith("_"))
        return f"{type(self).__name__}({public})"

    @property
    def router(self) -> Router:
        """The client whose event is running: its page, query, headers, cookies, address and scope.

        Raises:
            RuntimeError: Read outside an event handler.
        """
        router = self._pr_router if self._pr_tree is None or self._pr_tree.router is None else self._pr_tree.router
        if router is None:
            raise RuntimeError('Cannot read "router" outside an event handler.')
        return router

    async def __aenter__(self) -> Self:
        link = self._pr_link
        if link is None:
            raise RuntimeError(
                '"async with self" is for background tasks (@pr.event(background=True)); other handlers already '
                "hold the client's lock."
            )
        if link.inside:
            raise RuntimeError('Cannot enter "async with self" again inside "async with self".')
        live = await link.enter()
        # Work on the live state's own values and change records, so changes are tracked as in an event.
        for key, value in vars(live).items():
            object.__setattr__(self, key, value)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        link = self._pr_link
        assert link is not None
        assert link.inside
        values = self._pr_values
        try:
            await link.exit(exc)
        finally:
            # Detached again: the task keeps a copy of the values the block left, for reading.
            object.__setattr__(self, "_pr_values", copy.deepcopy(values))
            object.__setattr__(self, "_pr_dirty", {})
            object.__setattr__(self, "_pr_snapshots", {})
            object.__setattr__(self, "_pr_tree", None)

    async def get_state(self, state: type[S]) -> S:
        """Returns this client's instance of another state, loading it if this event has not yet.

        Changes a handler makes to it are sent and undone like changes to its own state.

        Args:
            state: The State class, e.g. ``cart = await self.get_state(Cart)``.

        Raises:
            TypeError: ``state`` is not a State class.
        """
        if not (isinstance(state, type) and issubclass(state, State)):
            raise TypeError(f"Expected a State class, as in `await self.get_state(Cart)`, but got {state!r}.")
        return await self._pr_own_tree().get(state)

    # --- class-level introspection -------------------------------------------------------------------

    @classmethod
    def state_name(cls) -> str:
        """Returns the name this state has on the wire and in the browser: its path for a substate (``"app.todos"``)."""
        return cls._pr_name

    @classmethod
    def parent_state(cls) -> type[State] | None:
        """Returns the state this one is a substate of (``parent=``), or None."""
        return cls._pr_parent

    @classmethod
    def handlers(cls) -> dict[str, EventHandler]:
        """Returns the event handlers by name, generated setters included."""
        return dict(cls._pr_handlers)

    @classmethod
    def computed_vars(cls) -> dict[str, ComputedVar]:
        """Returns the computed vars by name, backend-only ones included."""
        return dict(cls._pr_computed)

    @classmethod
    def var_types(cls) -> dict[str, Any]:
        """Returns the declared type of every var that is not computed, backend-only ones included.

        Raises:
            ConfigError: An annotation names something that does not exist.
        """
        if cls._pr_types is None:
            hints: dict[str, Any] = {}
            try:
                # Each class's own annotations, in its own module: typing.get_type_hints(cls) would also
                # evaluate State's internal annotations again for every subclass, most of the cost at startup.
                for klass in reversed(cls.__mro__):
                    if klass is not State and issubclass(klass, State):
                        hints.update(inspect.get_annotations(klass, eval_str=True))
            except Exception as exc:
                raise ConfigError(f"Cannot resolve the var annotations of {cls.__name__}: {exc}") from exc
            cls._pr_types = {name: hints.get(name, Any) for name in cls._pr_fields}
        return cls._pr_types

    @classmethod
    def stored_vars(cls) -> dict[str, ClientStorage]:
        """Returns the vars the browser keeps (cookie, localStorage, sessionStorage), by var name."""
        return {name: f.storage for name, f in cls._pr_fields.items() if f.storage is not None}

    def _pr_restore(self, name: str, raw: Any) -> bool:
        """Sets a stored var to the value the browser sent, if it has the var's type; returns whether it did."""
        try:
            value = msgspec.convert(raw, self.var_types()[name])
        except (msgspec.ValidationError, TypeError):
            return False
        self._pr_values[name] = value
        return True

    @classmethod
    def public_defaults(cls) -> dict[str, Any]:
        """Returns the default value of every var a client may see, computed vars left out."""
        return {name: f.default for name, f in cls._pr_fields.items() if not f.backend}

    # --- per-instance change tracking ----------------------------------------------------------------

    def _pr_own_tree(self) -> StateTree:
        # An instance used on its own (in tests, in a script) gets a tree of its own, holding default states.
        if self._pr_tree is None:
            from pyreact_asgi.state.tree import StateTree

            StateTree().add(self)
        assert self._pr_tree is not None
        return self._pr_tree

    def _pr_compute(self, var: ComputedVar) -> Any:
        tree = self._pr_own_tree()
        return var.fn(self, *(tree.require(cls) for cls in var.param_states()))

    def _pr_set(self, name: str, value: Any) -> None:
        link = self._pr_link
        if link is not None and not link.inside:
            raise RuntimeError(
                f'A background task changed "{type(self).__name__}.{name}" outside "async with self:"; changes '
                "need the client's lock, which that block takes."
            )
        if name not in self._pr_dirty:
            old = self._pr_values[name]
            if not isinstance(old, _SCALARS) and name not in self._pr_snapshots:
                self._pr_snapshots[name] = _encode(old)
            self._pr_dirty[name] = old
        self._pr_values[name] = value

    def _pr_public(self) -> dict[str, Any]:
        return {name: value for name, value in self._pr_values.items() if not name.startswith("_")}

    def _pr_changes(self) -> dict[str, Any]:
        """Returns every var (backend-only ones too) whose value differs from the last commit.

        A var counts as changed when it was reassigned to a different value, or when a container read
        since the last commit now encodes differently (an in-place change). Opaque values that msgspec
        cannot encode count only when reassigned.
        """
        values = self._pr_values
        snapshots = self._pr_snapshots
        changed: dict[str, Any] = {}
        for name, old in self._pr_dirty.items():
            new = values[name]
            if isinstance(new, _SCALARS) and isinstance(old, _SCALARS):
                if type(new) is not type(old) or new != old:
                    changed[name] = new
                continue
            before = snapshots[name] if name in snapshots else _encode(old)
            after = _encode(new)
            if before is None or after is None or before != after:
                changed[name] = new
        for name, before in snapshots.items():
            if name in self._pr_dirty or before is None:
                continue
            if _encode(values[name]) != before:
                changed[name] = values[name]
        return changed

    def _pr_commit(self) -> None:
        """Makes the current values the baseline that changes and rollbacks refer to."""
        self._pr_dirty.clear()
        self._pr_snapshots.clear()

    def _pr_take_delta(self) -> dict[str, Any]:
        """Returns the public vars changed since the last commit, and commits."""
        changed = self._pr_changes()
        self._pr_commit()
        return {name: value for name, value in changed.items() if not name.startswith("_")}

    def _pr_rollback(self) -> None:
        """Restores every var to its value at the last commit, containers changed in place included."""
        values = self._pr_values
        types = None
        for name, before in self._pr_snapshots.items():
            if before is None:
                continue
            if types is None:
                types = self.var_types()
            try:
                values[name] = msgspec.msgpack.decode(before, type=types[name])
            except (msgspec.ValidationError, TypeError):
                # The value did not fit its annotation: restore its content as plain msgpack types.
                values[name] = msgspec.msgpack.decode(before)
            self._pr_dirty.pop(name, None)
        values.update(self._pr_dirty)
        self._pr_dirty.clear()
        self._pr_snapshots.clear()
