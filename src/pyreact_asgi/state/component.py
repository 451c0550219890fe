from __future__ import annotations

import types
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, ClassVar

from pyreact_asgi.exceptions import StateError
from pyreact_asgi.state.base import State

if TYPE_CHECKING:
    from pyreact_asgi.components.base import Component

__all__ = ["ComponentInstances", "ComponentState"]

# The instances made while one app compiles its pages, counted per component state: the same pages always
# give the same names (and bundle), and nothing is shared by two apps or two compiles.
_instances: ContextVar[dict[type[ComponentState], int] | None] = ContextVar("pyreact_component_instances", default=None)


class ComponentInstances:
    """Numbers the `ComponentState` instances that page functions called inside it make; the compiler uses one
    per compile, entered around each page function, so that numbers go on across the pages."""

    __slots__ = ("_counts", "_tokens")

    def __init__(self) -> None:
        self._counts: dict[type[ComponentState], int] = {}
        self._tokens: list[Token[dict[type[ComponentState], int] | None]] = []

    def __enter__(self) -> None:
        self._tokens.append(_instances.set(self._counts))

    def __exit__(self, *exc_info: object) -> None:
        _instances.reset(self._tokens.pop())


class ComponentState(State):
    """A component with a state of its own for each place a page uses it, as Reflex's ``rx.ComponentState``.

    ::

        class Counter(pr.ComponentState):
            count: int = 0

            @pr.event
            def increment(self) -> None:
                self.count += 1

            @classmethod
            def get_component(cls, **props: Any) -> pr.Component:
                return pr.button(cls.count, on_click=cls.increment, **props)


        def index() -> pr.Component:
            return pr.hstack(Counter.create(), Counter.create())  # two counters, each with its own count

    Each `create` makes a new State class, a subclass named ``<state>__<n>`` on the wire, numbered in the
    order the page functions create them; ``get_component`` builds the component from it. A client may send
    events only to the instances of the page it shows.
    """

    # True on a class `create` made; the user's subclasses are templates, never states of their own.
    _pr_instance: ClassVar[bool] = False

    def __init_subclass__(cls, *, _instance: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._pr_instance = _instance

    @classmethod
    def template(cls) -> bool:
        """Whether this is a component state as declared (True), rather than one `create` made for a page."""
        return not cls._pr_instance

    @classmethod
    def get_component(cls, *children: Any, **props: Any) -> Component:
        """Returns the component, reading vars and handlers of ``cls`` (this use's own state). Override it.

        Raises:
            NotImplementedError: Not overridden.
        """
        template = cls.__bases__[0] if cls._pr_instance else cls
        raise NotImplementedError(f"{template.__name__} must define the classmethod get_component(cls, **props).")

    @classmethod
    def create(cls, *children: Any, **props: Any) -> Component:
        """Returns the component with a new state of its own: ``Counter.create()`` in a page function.

        Args:
            children: Passed to ``get_component``.
            props: Passed to ``get_component``.

        Raises:
            StateError: Called outside a page function of an app that is compiling, or on an instance.
        """
        counts = _instances.get()
        if counts is None:
            raise StateError(
                f"{cls.__name__}.create() makes a state for one place on a page, so it is called in a page "
                "function while the app compiles its pages (pr.PyApp, or build.compiler.compile_app)."
            )
        if cls._pr_instance:
            raise StateError(f"{cls.__name__} is already a use of a component state; call create() on its base.")
        number = counts.get(cls, 0) + 1
        counts[cls] = number
        name = f"{cls.state_name().replace('.', '_')}__{number}"
        instance: type[ComponentState] = types.new_class(
            f"{cls.__name__}_{number}", (cls,), {"name": name, "_instance": True}
        )
        instance.__module__ = cls.__module__
        return instance.get_component(*children, **props)
