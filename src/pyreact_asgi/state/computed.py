from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pyreact_asgi.exceptions import ConfigError, VarError
from pyreact_asgi.state.tracking import Tracked
from pyreact_asgi.state.tree import tree_of
from pyreact_asgi.state.vars import StateVar

if TYPE_CHECKING:
    from pyreact_asgi.state.base import State

__all__ = ["ComputedVar", "computed", "var"]


class ComputedVar:
    """A var derived from other vars, declared with ``@pr.computed``.

    On the class (``Todo.remaining``) it is a `StateVar` a page can show like any var. On an instance it is
    the value, computed from the current vars. The engine recomputes it only after a var it read changed,
    and sends it only when its value changed.

    Args:
        fn: A sync method. Its return annotation is the var's type. Parameters after ``self`` are other
            states it reads, annotated with their State class (``def total(self, cart: Cart) -> int``).
    """

    def __init__(self, fn: Callable[..., Any]) -> None:
        if not callable(fn):
            raise ConfigError(f"Expected @pr.computed on a function, but got {fn!r}.")
        if inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn) or inspect.isgeneratorfunction(fn):
            raise ConfigError(
                f'Expected computed var "{fn.__qualname__}" to be a plain function; it runs whenever a var it '
                "reads changes, so it cannot await. Read other states through parameters annotated with them."
            )
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__
        self._resolved: tuple[Any, tuple[type[State], ...]] | None = None
        for param in list(inspect.signature(fn).parameters.values())[1:]:
            if param.kind not in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD) or (
                param.default is not param.empty
            ):
                raise ConfigError(
                    f'Expected the parameters of computed var "{fn.__qualname__}" to be states it reads, as in '
                    f"`def total(self, cart: Cart) -> int`, but {param.name!r} is not a plain parameter."
                )

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @typing.overload
    def __get__(self, instance: None, owner: type[State]) -> StateVar: ...
    @typing.overload
    def __get__(self, instance: State, owner: type[State]) -> Any: ...
    def __get__(self, instance: State | None, owner: type[State]) -> Any:
        if instance is None:
            return StateVar(owner, self.name, backend=self.name.startswith("_"))
        return tree_of(instance).run(instance, self)

    def __set__(self, instance: State, value: Any) -> None:
        raise VarError(
            f'"{type(instance).__name__}.{self.name}" is a computed var; assign the vars it is computed from.'
        )

    @property
    def backend(self) -> bool:
        """Whether the var is backend-only (its name starts with an underscore)."""
        return self.name.startswith("_")

    def return_type(self) -> Any:
        """Returns the type the function is annotated to return (``Any`` when it is not annotated)."""
        return self._resolve()[0]

    def param_states(self) -> tuple[type[State], ...]:
        """Returns the other states the function reads, in parameter order.

        Raises:
            ConfigError: A parameter is not annotated with a State class.
        """
        return self._resolve()[1]

    def _resolve(self) -> tuple[Any, tuple[type[State], ...]]:
        if self._resolved is None:
            try:
                hints = typing.get_type_hints(self.fn)
            except Exception as exc:
                raise ConfigError(
                    f'Cannot resolve the annotations of computed var "{self.fn.__qualname__}": {exc}'
                ) from exc
            states: list[Any] = []
            for param in list(inspect.signature(self.fn).parameters.values())[1:]:
                hint = hints.get(param.name)
                # Tracked is State's base, which this module cannot import: State imports it.
                if not (isinstance(hint, type) and issubclass(hint, Tracked)):
                    raise ConfigError(
                        f'Expected parameter {param.name!r} of computed var "{self.fn.__qualname__}" to be '
                        f"annotated with a State class, but got {hint!r}."
                    )
                states.append(hint)
            self._resolved = (hints.get("return", Any), tuple(states))
        return self._resolved

    def __repr__(self) -> str:
        return f"ComputedVar({self.fn.__qualname__})"


def computed(fn: Callable[..., Any]) -> Any:
    """Declares a computed var: a State method whose value is derived from other vars.

    ::

        class Todo(pr.State):
            items: list[Item] = []

            @pr.computed
            def remaining(self) -> int:
                return sum(not item.done for item in self.items)

    The vars it reads are tracked each time it runs, so it is recomputed only when one of them changed,
    and sent to the browser only when its value changed. To read another state, take it as a parameter
    annotated with its class: ``def total(self, cart: Cart) -> int``. A name starting with an underscore
    makes it backend-only.

    Returns:
        A `ComputedVar` (typed as ``Any`` so that ``Todo.remaining`` type-checks in pages).

    Raises:
        ConfigError: ``fn`` is not a plain function, or takes parameters that are not states.
    """
    return ComputedVar(fn)


def var(fn: Callable[..., Any]) -> Any:
    """Declares a computed var: Reflex's name (``@rx.var``) for `computed`, so that ported code runs as written.

    Raises:
        ConfigError: ``fn`` is not a plain function, or takes parameters that are not states.
    """
    return ComputedVar(fn)
