from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import inspect
import typing
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from pyreact_asgi.exceptions import ConfigError, ProtocolError
from pyreact_asgi.uploaded import UploadedFile

if TYPE_CHECKING:
    from pyreact_asgi.state.base import State

__all__ = ["EventHandler", "EventSpec", "Param", "event"]

HandlerFn = Callable[..., Any]

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
        background: Run as a background task (see `event`).
        validate: Called with the arguments once their types are checked; returning False or raising
            ValueError or TypeError refuses them (generated setters take the var's ``validate=``).
    """

    def __init__(
        self,
        fn: HandlerFn,
        *,
        params: Callable[[type[State]], list[Param]] | None = None,
        background: bool = False,
        validate: Callable[..., object] | None = None,
    ) -> None:
        self.fn = fn
        self.validate = validate
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
        values = msgspec.structs.astuple(parsed)
        if self.validate is not None:
            self._check(state, values)
        return values

    def _check(self, state: type[State], values: tuple[Any, ...]) -> None:
        assert self.validate is not None
        where = f"{state.state_name()}.{self.name}"
        try:
            accepted = self.validate(*values)
        except (ValueError, TypeError) as exc:
            raise ProtocolError(f'"{where}" refused the value: {exc}', code="invalid_args") from exc
        if accepted is False:
            raise ProtocolError(
                f'"{where}" refused the value: the app\'s validator did not accept it.', code="invalid_args"
            )

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
