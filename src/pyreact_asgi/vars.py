from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any, NoReturn

from pyreact_asgi.exceptions import CompileError

if TYPE_CHECKING:
    from pyreact_asgi.state import State

__all__ = ["OPS", "StateVar", "Var", "expand_markers"]

# The runtime object compiled expressions call for Python semantics (frontend/src/ops.js).
OPS = "ops"
# f"{var}" calls Var.__format__, which must return a str: a marker that the compiler expands again.
_MARKER = re.compile(r"\x00pyreact-var:(\d+)\x00")
_formatted: dict[int, Var] = {}
_next_marker = itertools.count()


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

    def __getitem__(self, key: int | str | slice | Var) -> Var:
        """An item of a list var (negative indices count from the end), a field of a dict or Struct var
        (``item["title"]``), or a slice of a list or string var (``name[:3]``, ``name[-2:]``)."""
        if isinstance(key, slice):
            if key.step is not None:
                raise CompileError(f"A Var ({self.js}) can be sliced without a step only, but got {key!r}.")
            start = "0" if key.start is None else _operand(key.start, self)
            stop = "undefined" if key.stop is None else _operand(key.stop, self)
            return Var(f"({self.js})?.slice({start}, {stop})", self.states | _states(key.start, key.stop))
        if isinstance(key, Var):
            return Var(f"{OPS}.at({self.js}, {key.js})", self.states | key.states)
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            raise CompileError(f"A Var ({self.js}) can be indexed with an int, a str or a Var, but got {key!r}.")
        if isinstance(key, int) and key < 0:
            return Var(f"{OPS}.at({self.js}, {key})", self.states)
        return Var(f"({self.js})?.[{_js_key(key)}]", self.states)

    # --- operators: each builds the JavaScript of the same operation, with Python's semantics -----------

    def _binary(self, other: Any, template: str, *, reverse: bool = False) -> Var:
        a, b = (_operand(other, self), self.js) if reverse else (self.js, _operand(other, self))
        return Var(template.format(a=a, b=b), self.states | _states(other))

    def __add__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".add({a}, {b})")

    def __radd__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".add({a}, {b})", reverse=True)

    def __sub__(self, other: Any) -> Var:
        return self._binary(other, "({a} - {b})")

    def __rsub__(self, other: Any) -> Var:
        return self._binary(other, "({a} - {b})", reverse=True)

    def __mul__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".mul({a}, {b})")

    def __rmul__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".mul({a}, {b})", reverse=True)

    def __truediv__(self, other: Any) -> Var:
        return self._binary(other, "({a} / {b})")

    def __rtruediv__(self, other: Any) -> Var:
        return self._binary(other, "({a} / {b})", reverse=True)

    def __floordiv__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".floordiv({a}, {b})")

    def __rfloordiv__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".floordiv({a}, {b})", reverse=True)

    def __mod__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".mod({a}, {b})")

    def __rmod__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".mod({a}, {b})", reverse=True)

    def __pow__(self, other: Any) -> Var:
        return self._binary(other, "({a} ** {b})")

    def __rpow__(self, other: Any) -> Var:
        return self._binary(other, "({a} ** {b})", reverse=True)

    def __neg__(self) -> Var:
        return Var(f"(-{self.js})", self.states)

    def __eq__(self, other: object) -> Var:  # type: ignore[override]
        return self._binary(other, OPS + ".eq({a}, {b})")

    def __ne__(self, other: object) -> Var:  # type: ignore[override]
        return self._binary(other, OPS + ".ne({a}, {b})")

    def __lt__(self, other: Any) -> Var:
        return self._binary(other, "({a} < {b})")

    def __le__(self, other: Any) -> Var:
        return self._binary(other, "({a} <= {b})")

    def __gt__(self, other: Any) -> Var:
        return self._binary(other, "({a} > {b})")

    def __ge__(self, other: Any) -> Var:
        return self._binary(other, "({a} >= {b})")

    # Python's `and`, `or` and `not` cannot be overloaded: `&`, `|` and `~` stand for them, with Python's
    # truth (an empty list is false).
    def __and__(self, other: Any) -> Var:
        return self._binary(other, f"({OPS}.truthy({{a}}) && {OPS}.truthy({{b}}))")

    def __rand__(self, other: Any) -> Var:
        return self._binary(other, f"({OPS}.truthy({{a}}) && {OPS}.truthy({{b}}))", reverse=True)

    def __or__(self, other: Any) -> Var:
        return self._binary(other, f"({OPS}.truthy({{a}}) || {OPS}.truthy({{b}}))")

    def __ror__(self, other: Any) -> Var:
        return self._binary(other, f"({OPS}.truthy({{a}}) || {OPS}.truthy({{b}}))", reverse=True)

    def __invert__(self) -> Var:
        return Var(f"(!{OPS}.truthy({self.js}))", self.states)

    __hash__ = None  # type: ignore[assignment]  # == builds an expression, so Vars cannot be dict keys

    def __len__(self) -> NoReturn:
        raise CompileError(f"len() of a Var ({self.js}) must be an int in Python; use .length() instead.")

    def __format__(self, spec: str) -> str:
        if spec:
            raise CompileError(f"A Var ({self.js}) in an f-string takes no format spec ({spec!r}); use its methods.")
        marker = next(_next_marker)
        _formatted[marker] = self
        return f"\x00pyreact-var:{marker}\x00"

    def __str__(self) -> str:
        return self.__format__("")

    # --- methods -------------------------------------------------------------------------------------

    def length(self) -> Var:
        """The length of a list or string var, or the number of keys of a dict var."""
        return Var(f"{OPS}.len({self.js})", self.states)

    def contains(self, item: Any) -> Var:
        """Whether a string var contains a substring, a list var an item, or a dict var a key (Python's ``in``)."""
        return self._binary(item, OPS + ".contains({a}, {b})")

    def upper(self) -> Var:
        """The string in upper case."""
        return Var(f'String({self.js} ?? "").toUpperCase()', self.states)

    def lower(self) -> Var:
        """The string in lower case."""
        return Var(f'String({self.js} ?? "").toLowerCase()', self.states)

    def strip(self) -> Var:
        """The string without leading and trailing whitespace."""
        return Var(f'String({self.js} ?? "").trim()', self.states)

    def startswith(self, prefix: Any) -> Var:
        """Whether the string starts with ``prefix``."""
        return self._binary(prefix, 'String({a} ?? "").startsWith({b})')

    def endswith(self, suffix: Any) -> Var:
        """Whether the string ends with ``suffix``."""
        return self._binary(suffix, 'String({a} ?? "").endsWith({b})')

    def split(self, separator: Any = " ") -> Var:
        """The string split at ``separator`` (a space by default), as a list."""
        return self._binary(separator, 'String({a} ?? "").split({b})')

    def join(self, items: Any) -> Var:
        """``items`` (a list var or list) joined with this string between them, as ``", ".join(...)``."""
        return self._binary(items, "({b} ?? []).join({a})")

    def replace(self, old: Any, new: Any) -> Var:
        """The string with every ``old`` replaced by ``new``."""
        return Var(
            f'String({self.js} ?? "").replaceAll({_operand(old, self)}, {_operand(new, self)})',
            self.states | _states(old, new),
        )

    def to_string(self) -> Var:
        """The value as Python's ``str()`` shows it (``True``, ``None``, ``1.5``)."""
        return Var(f"{OPS}.str({self.js})", self.states)

    def format_number(self, decimals: int | None = None, *, grouping: bool = True) -> Var:
        """The number formatted in the browser's locale: ``1234.5`` → ``"1,234.50"`` with ``decimals=2``."""
        if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
            raise CompileError(f"Expected decimals as a count of digits, but got {decimals!r}.")
        places = "undefined" if decimals is None else str(decimals)
        return Var(f"{OPS}.formatNumber({self.js}, {places}, {str(bool(grouping)).lower()})", self.states)

    def format_date(self, style: str = "medium") -> Var:
        """An ISO date or datetime string formatted in the browser's locale and time zone."""
        if style not in ("short", "medium", "long", "full"):
            raise CompileError(f'Expected date style "short", "medium", "long" or "full", but got {style!r}.')
        return Var(f'{OPS}.formatDate({self.js}, "{style}")', self.states)

    def __repr__(self) -> str:
        return f"Var({self.js!r})"


def _js_key(key: int | str) -> str:
    from pyreact_asgi._codec import js_literal

    return js_literal(key)


def _operand(value: Any, var: Var) -> str:
    if isinstance(value, Var):
        return value.js
    if isinstance(value, str) and _MARKER.search(value):
        return expand_markers(value)[0]
    from pyreact_asgi._codec import js_literal

    try:
        return js_literal(value)
    except (TypeError, ValueError) as exc:
        raise CompileError(
            f"{value!r} has no value in the browser, so it cannot be combined with a Var ({var.js})."
        ) from exc


def _states(*values: Any) -> frozenset[type[State]]:
    found: frozenset[type[State]] = frozenset()
    for value in values:
        if isinstance(value, Var):
            found |= value.states
        elif isinstance(value, str) and _MARKER.search(value):
            found |= expand_markers(value)[1]
    return found


def expand_markers(text: str) -> tuple[str, frozenset[type[State]]]:
    """Turns a string made by an f-string with Vars in it back into a JavaScript expression.

    Returns:
        The expression (text and the Vars as Python's ``str()`` shows them, joined) and the states it reads.
    """
    from pyreact_asgi._codec import js_literal

    parts: list[str] = []
    states: frozenset[type[State]] = frozenset()
    last = 0
    for match in _MARKER.finditer(text):
        if match.start() > last:
            parts.append(js_literal(text[last : match.start()]))
        var = _formatted.get(int(match.group(1)))
        if var is None:  # pragma: no cover - only if a marker is forged
            raise CompileError(f"Unknown Var marker in {text!r}.")
        parts.append(f"{OPS}.str({var.js})")
        states |= var.states
        last = match.end()
    if last < len(text):
        parts.append(js_literal(text[last:]))
    return "(" + " + ".join(parts or ['""']) + ")", states


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
