from __future__ import annotations

import copy
import functools
import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, Self, TypeVar, overload

import msgspec

from pyreact_asgi.exceptions import ConfigError, HandlerError, StateError, VarError
from pyreact_asgi.state.computed import ComputedVar
from pyreact_asgi.state.events import EventHandler, EventSpec, Param
from pyreact_asgi.state.router_var import RouterVar
from pyreact_asgi.state.storage import ClientStorage
from pyreact_asgi.state.tracking import SCALARS, Tracked, Tracker, tracker
from pyreact_asgi.state.tree import ROUTER_READ, tree_of
from pyreact_asgi.state.vars import StateVar

if TYPE_CHECKING:
    from pyreact_asgi.router import Router

__all__ = ["BackgroundLink", "State", "detached", "field"]

_STATE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_RESERVED = frozenset({"router"})
_SCALAR_TYPES = frozenset(SCALARS)
S = TypeVar("S", bound="State")
T = TypeVar("T")
Validator = Callable[[Any], object]


class BackgroundLink(typing.Protocol):
    """What a background task's ``async with self:`` needs from the runtime, which provides it."""

    inside: bool
    router: Router

    async def enter(self) -> State:
        """Takes the client's lock and returns the client's live instance of the task's state."""
        ...

    async def exit(self, exc: BaseException | None) -> None:
        """Sends the changes (or undoes them if ``exc``) and releases the lock."""
        ...


class _FieldOptions:
    __slots__ = ("default", "setter", "validate")

    def __init__(self, default: Any, setter: bool | None, validate: Validator | None) -> None:
        self.default = default
        self.setter = setter
        self.validate = validate


def field(default: T, *, setter: bool | None = None, validate: Callable[[T], object] | None = None) -> T:
    """Declares a var with options: ``name: str = pr.field("", setter=True)``.

    Setters are opt-in: a client may assign a var directly (``State.set_name(value)``) only when the app
    says so, here or for the whole state with ``class Form(pr.State, setters=True)``, because a generated
    setter lets any client put any value of the var's type there, past the rules the app's handlers keep.

    Args:
        default: The var's default value; `pr.local_storage` and friends work here too.
        setter: Generate the handler ``set_<var>(value)``, which a client may call; None follows the state's
            ``setters=`` (off by default).
        validate: Called with the value a client sends to the setter, after its type was checked. Returning
            False, or raising ValueError or TypeError (whose message the client gets), refuses the value:
            the client gets an error reply and nothing changes.

    Returns:
        The default (typed as it, so that ``name: str = pr.field("")`` type-checks).
    """
    return _FieldOptions(default, setter, validate)  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    default: Any
    backend: bool
    storage: ClientStorage | None = None
    setter: bool = False
    validate: Validator | None = None


class _VarDescriptor:
    __slots__ = ("field",)

    def __init__(self, field: Field) -> None:
        self.field = field

    def __get__(self, instance: State | None, owner: type[State]) -> Any:
        if instance is None:
            return StateVar(owner, self.field.name, backend=self.field.backend)
        name = self.field.name
        record = instance._pr
        value = record.values[name]
        tree = record.tree
        if tree is not None and tree.reads is not None:
            tree.reads.add((type(instance), name))
        # A container may be changed in place through the reference returned here: it is one that records
        # its changes (or, if it cannot, the tracker remembers how it looked).
        if value.__class__ not in _SCALAR_TYPES and not isinstance(value, SCALARS):
            return record.read(name)
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
    return EventHandler(setter, params=lambda state: [Param("value", state.var_types()[name])], validate=field.validate)


def detached(live: S, link: BackgroundLink) -> S:
    """Returns what a background task gets as ``self``: a new instance holding a copy of ``live``'s values.

    It is in no tree, and changes nothing until ``async with self:``, which goes through ``link``.

    Args:
        live: The client's instance of the task's state, read under the client's lock.
        link: The runtime's way back to the client's live state.
    """
    instance = type(live).__new__(type(live))
    object.__setattr__(instance, "_pr", live._pr.copy())
    object.__setattr__(instance, "_pr_link", link)
    return instance


class _NoSetter:
    # Stands where a generated setter would be, to say why there is none: a class attribute raising
    # AttributeError reads as missing (hasattr is False), and costs nothing elsewhere, unlike a metaclass
    # __getattr__, which would slow down every attribute read on every State class.
    __slots__ = ("message",)

    def __init__(self, owner: type, var: str) -> None:
        self.message = (
            f'{owner.__name__} has no setter "set_{var}": setters are opt-in, so that a client cannot assign a var '
            f"past the rules of the app's handlers. Declare `{var}: ... = pr.field(..., setter=True)`, or pass "
            "setters=True to the class."
        )

    def __get__(self, instance: object, owner: type) -> NoReturn:
        raise VarError(self.message)


class _RouterAttr:
    # ``self.router`` in a handler or computed var is the client's Router; ``State.router`` in a page is what
    # the browser knows of its page, as Vars (Reflex's ``rx.State.router.page.params``).
    @overload
    def __get__(self, instance: None, owner: type) -> RouterVar: ...
    @overload
    def __get__(self, instance: State, owner: type) -> Router: ...
    def __get__(self, instance: State | None, owner: type) -> RouterVar | Router:
        if instance is None:
            return RouterVar()
        tree = instance._pr.tree
        router = None if tree is None else tree.router
        if tree is not None and tree.reads is not None:
            tree.reads.add((type(instance), ROUTER_READ))
        if router is None and instance._pr_link is not None:
            router = instance._pr_link.router
        if router is None:
            raise StateError(
                'Cannot read "router" outside an event handler or a client: a computed var that reads it is '
                "computed for each client, when its tab connects and navigates."
            )
        return router


class _SetVar:
    # ``self.setvar("name", value)`` on the server sets any declared var, type-checked; ``Form.setvar("name")``
    # in a page is the var's generated setter, so a client can set only what the app opted in to.
    @overload
    def __get__(self, instance: None, owner: type[State]) -> Callable[..., EventSpec]: ...
    @overload
    def __get__(self, instance: State, owner: type[State]) -> Callable[[str, Any], None]: ...
    def __get__(self, instance: State | None, owner: type[State]) -> Callable[..., Any]:
        if instance is None:
            return functools.partial(_setvar_spec, owner)
        return functools.partial(_setvar, instance)


def _setvar_spec(owner: type[State], name: str, *args: Any) -> EventSpec:
    field = owner._pr_fields.get(name) if isinstance(name, str) else None
    if field is None:
        raise VarError(f"{owner.__name__} has no var {name!r} to set; setvar takes the name of a declared var.")
    if field.backend:
        raise VarError(
            f'"{owner.__name__}.{name}" is backend-only (its name starts with "_"), so a client cannot set it.'
        )
    spec = getattr(owner, f"set_{name}")  # raises the opt-in message when the var has no setter
    assert isinstance(spec, EventSpec)
    if len(args) > 1:
        raise HandlerError(f'Expected setvar("{name}") or setvar("{name}", value), but got {len(args)} values.')
    return spec(*args) if args else spec


def _setvar(instance: State, name: str, value: Any) -> None:
    cls = type(instance)
    if not isinstance(name, str) or name not in cls._pr_fields:
        kind = "a computed var" if name in cls._pr_computed else "not a var"
        raise VarError(f"Expected the name of a var of {cls.__name__} to set, but {name!r} is {kind}.")
    hint = cls.var_types()[name]
    try:
        value = msgspec.convert(value, hint) if hint is not Any else value
    except msgspec.ValidationError as exc:
        raise HandlerError(
            f'Expected a value of type {hint!r} for "{cls.__name__}.{name}", but got {value!r}: {exc}'
        ) from None
    setattr(instance, name, value)


if TYPE_CHECKING:

    class _StateType(type):
        # Tells type checkers about the generated ``set_<var>`` handlers: ``Counter.set_name`` is an EventSpec.
        def __getattr__(cls, name: str) -> EventSpec: ...

else:
    _StateType = type


class State(Tracked, metaclass=_StateType):
    """Base class of the server-side state of each client.

    Declare vars as annotated class attributes with defaults, handlers with ``@pr.event`` and derived vars
    with ``@pr.computed``. Each client (browser tab) gets its own instance. Vars whose names start with an
    underscore are backend-only: they never leave the server. Containers (lists, dicts, sets, msgspec Structs,
    nested) may be changed in place.

    A client changes vars only through handlers, unless the app opts in to a generated setter
    ``set_x(value)`` for a var (``x: str = pr.field("", setter=True)``) or for every public var of the state
    (``class Form(pr.State, setters=True)``).

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
    _pr_setters: ClassVar[bool] = False
    # Set only on a background task's instance (`detached`).
    _pr_link: BackgroundLink | None = None

    def __init_subclass__(
        cls,
        *,
        name: str | None = None,
        parent: type[State] | None = None,
        setters: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        # A subclass generates setters as its base does, unless it says otherwise.
        setters = cls._pr_setters if setters is None else setters
        cls._pr_setters = setters
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
                if attr == "_pr" or attr.startswith("_pr_") or attr in _RESERVED:
                    raise ConfigError(
                        f'Var names starting with "_pr" and the name "router" are reserved, but {cls.__name__} '
                        f"declares {attr!r}."
                    )
                computed[attr] = value
                fields.pop(attr, None)
        for attr, annotation in inspect.get_annotations(cls).items():
            if _is_classvar(annotation):
                continue
            if attr == "_pr" or attr.startswith("_pr_") or attr in _RESERVED:
                raise ConfigError(
                    f'Var names starting with "_pr" and the name "router" are reserved, but {cls.__name__} '
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
            options = default if isinstance(default, _FieldOptions) else _FieldOptions(default, None, None)
            default = options.default
            storage = default if isinstance(default, ClientStorage) else None
            if storage is not None:
                if attr.startswith("_"):
                    raise ConfigError(
                        f'"{cls.__name__}.{attr}" is kept in the browser, so it cannot be backend-only; drop the "_".'
                    )
                default = storage.default
            setter = setters if options.setter is None else options.setter
            if setter and attr.startswith("_") and options.setter:
                raise ConfigError(
                    f'"{cls.__name__}.{attr}" is backend-only (its name starts with "_"), so a client cannot set it; '
                    "drop setter=True."
                )
            setter = setter and not attr.startswith("_")
            if options.validate is not None and not setter:
                raise ConfigError(
                    f'"{cls.__name__}.{attr}" has validate= but no setter; validate= checks what a client sends to '
                    "the generated setter, so pass setter=True too (or setters=True on the state)."
                )
            fields[attr] = Field(
                attr,
                default,
                backend=attr.startswith("_"),
                storage=storage,
                setter=setter,
                validate=options.validate,
            )
            computed.pop(attr, None)
            setattr(cls, attr, _VarDescriptor(fields[attr]))
        handlers = dict(cls._pr_handlers)
        handlers.update({attr: value for attr, value in cls.__dict__.items() if isinstance(value, EventHandler)})
        for declared in fields.values():
            setter_name = f"set_{declared.name}"
            if setter_name in handlers or hasattr(cls, setter_name):
                continue
            if declared.setter:
                handlers[setter_name] = _setter(declared)
                setattr(cls, setter_name, handlers[setter_name])
            elif not declared.backend and setter_name not in cls.__dict__:
                setattr(cls, setter_name, _NoSetter(cls, declared.name))
        cls._pr_fields = fields
        cls._pr_computed = computed
        cls._pr_handlers = handlers
        cls._pr_types = None

    def __init__(self) -> None:
        values = {
            name: f.default if isinstance(f.default, SCALARS) else copy.deepcopy(f.default)
            for name, f in self._pr_fields.items()
        }
        object.__setattr__(self, "_pr", Tracker(values, self.var_types, self._pr_computed))

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._pr_fields:
            self._pr_set(name, value)
        elif name in self._pr_computed:
            self._pr_computed[name].__set__(self, value)
        else:
            raise VarError(
                f'{type(self).__name__} has no var "{name}"; declare it on the class with a type and a default.'
            )

    def __repr__(self) -> str:
        public = ", ".join(f"{k}={v!r}" for k, v in self._pr.values.items() if not k.startswith("_"))
        return f"{type(self).__name__}({public})"

    #: In a handler or computed var, the client whose event is running: its page (``.page.params``), query,
    #: headers, cookies, address and scope; a computed var that reads it is computed per client, on connect
    #: and on navigation. In a page, ``pr.State.router.page`` (``.path``, ``.query``, ``.params``) as Vars.
    #: Outside both it raises `StateError`.
    router: ClassVar[_RouterAttr] = _RouterAttr()

    #: ``self.setvar("name", value)`` sets a declared var (backend-only ones too), checking the value's type
    #: (`HandlerError` if it does not fit). ``Form.setvar("name")`` in a page is the var's setter,
    #: ``Form.set_name``: a client may set only vars with ``pr.field(setter=True)`` (`VarError` otherwise).
    setvar: ClassVar[_SetVar] = _SetVar()

    def reset(self, *names: str) -> None:
        """Sets every var (backend-only ones too), or the named ones, back to its default, as Reflex's ``reset``.

        Args:
            names: The vars to reset; none for all.

        Raises:
            VarError: A name is not a var of this state (computed vars follow the vars they read).
        """
        fields = self._pr_fields
        for name in names:
            if name not in fields:
                kind = "a computed var, which follows the vars it reads" if name in self._pr_computed else "not a var"
                raise VarError(f'Cannot reset "{type(self).__name__}.{name}": it is {kind}.')
        for name in names or fields:
            default = fields[name].default
            self._pr_set(name, default if isinstance(default, SCALARS) else copy.deepcopy(default))

    async def __aenter__(self) -> Self:
        link = self._pr_link
        if link is None:
            raise StateError(
                '"async with self" is for background tasks (@pr.event(background=True)); other handlers already '
                "hold the client's lock."
            )
        if link.inside:
            raise StateError('Cannot enter "async with self" again inside "async with self".')
        live = await link.enter()
        # Work on the live state's own tracker, so changes are tracked (and sent) as in an event.
        object.__setattr__(self, "_pr", tracker(live))
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        link = self._pr_link
        assert link is not None
        assert link.inside
        live = self._pr
        try:
            await link.exit(exc)
        finally:
            # Detached again: the task keeps a copy of the values the block left, for reading.
            object.__setattr__(self, "_pr", live.copy())

    async def get_state(self, state: type[S]) -> S:
        """Returns this client's instance of another state, loading it if this event has not yet.

        Changes a handler makes to it are sent and undone like changes to its own state.

        Args:
            state: The State class, e.g. ``cart = await self.get_state(Cart)``.

        Raises:
            HandlerError: ``state`` is not a State class.
        """
        if not (isinstance(state, type) and issubclass(state, State)):
            raise HandlerError(f"Expected a State class, as in `await self.get_state(Cart)`, but got {state!r}.")
        return await tree_of(self).get(state)

    # --- class-level introspection -------------------------------------------------------------------

    @classmethod
    def state_name(cls) -> str:
        """Returns the name this state has on the wire and in the browser: its path for a substate (``"app.todos"``)."""
        return cls._pr_name

    @classmethod
    def template(cls) -> bool:
        """Whether this class is a template for states rather than a state: a `ComponentState` not yet used."""
        return False

    @classmethod
    def parent_state(cls) -> type[State] | None:
        """Returns the state this one is a substate of (``parent=``), or None."""
        return cls._pr_parent

    @classmethod
    def handlers(cls) -> dict[str, EventHandler]:
        """Returns the event handlers by name, generated setters (where opted in) included."""
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

    @classmethod
    def public_defaults(cls) -> dict[str, Any]:
        """Returns the default value of every var a client may see, computed vars left out."""
        return {name: f.default for name, f in cls._pr_fields.items() if not f.backend}

    # --- per-instance change tracking ----------------------------------------------------------------

    def _pr_set(self, name: str, value: Any) -> None:
        link = self._pr_link
        if link is not None and not link.inside:
            raise StateError(
                f'A background task changed "{type(self).__name__}.{name}" outside "async with self:"; changes '
                "need the client's lock, which that block takes."
            )
        self._pr.write(name, value)
