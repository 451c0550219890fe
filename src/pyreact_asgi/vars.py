from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from pyreact_asgi.exceptions import CompileError

if TYPE_CHECKING:
    from pyreact_asgi.state import State

__all__ = ["StateVar", "Var"]


class Var:
    """A value that lives in the browser, written as a JavaScript expression.

    Vars are what a page function puts where a value will change at run time: ``pr.heading(Counter.count)``.
    They cannot be inspected in Python, because their value exists only in each client.

    Args:
        js: The JavaScript expression.
        states: The state classes the expression reads.
    """

    __slots__ = ("js", "states")

    def __init__(self, js: str, states: frozenset[type[State]] = frozenset()) -> None:
        self.js = js
        self.states = states

    def __bool__(self) -> NoReturn:
        raise CompileError(
            f"A Var ({self.js}) has no value in Python, so it cannot be used in `if`, `and`, `or` or `not`; "
            "its value exists only in the browser."
        )

    def __iter__(self) -> NoReturn:
        raise CompileError(f"A Var ({self.js}) has no value in Python, so it cannot be iterated.")

    def __getitem__(self, key: int | str | Var) -> Var:
        """An item of a list var or a field of a dict or Struct var: ``item["title"]``, ``Todos.tasks[0]``."""
        if isinstance(key, Var):
            return Var(f"({self.js})?.[{key.js}]", self.states | key.states)
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            raise CompileError(f"A Var ({self.js}) can be indexed with an int, a str or a Var, but got {key!r}.")
        return Var(f"({self.js})?.[{_js_key(key)}]", self.states)

    def __repr__(self) -> str:
        return f"Var({self.js!r})"


def _js_key(key: int | str) -> str:
    from pyreact_asgi._codec import js_literal

    return js_literal(key)


class StateVar(Var):
    """A var of a State class, as seen from a page: ``Counter.count``.

    Args:
        state: The State class that declares the var.
        name: The var's name.
        backend: Whether the var is backend-only (its name starts with an underscore).
    """

    __slots__ = ("backend", "name", "state")

    def __init__(self, state: type[State], name: str, *, backend: bool = False) -> None:
        path = state.state_name()
        # A substate's name is a dotted path, which is a key of the client's store, not a JS identifier.
        key = f'["{path}"]' if "." in path else f".{path}"
        super().__init__(f"v{key}.{name}", frozenset({state}))
        self.state = state
        self.name = name
        self.backend = backend

    def __repr__(self) -> str:
        return f"StateVar({self.state.__name__}.{self.name})"
