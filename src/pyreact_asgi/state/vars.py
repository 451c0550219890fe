from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NoReturn

from pyreact_asgi._contract import OPS
from pyreact_asgi.exceptions import CompileError
from pyreact_asgi.state.tracking import Tracked

if TYPE_CHECKING:
    from pyreact_asgi.state.base import State

__all__ = ["MARKER_PREFIX", "OPS", "StateVar", "Var", "expand_markers"]

# f"{var}" calls Var.__format__, which must return a str: a marker that the compiler expands again. The
# marker carries all it stands for, the expression and the ids of the state classes it reads, so that no
# table is shared by the apps of a process. Expressions never hold a NUL: literals are JSON-escaped.
MARKER_PREFIX = "\x00pyreact-var:"
_MARKER = re.compile(re.escape(MARKER_PREFIX) + r"([0-9a-f,]*);([^\x00]*)\x00")


class Var:
    """A value that lives in the browser, written as a JavaScript expression.

    Vars are what a page function puts where a value will change at run time: ``pr.heading(Counter.count)``.
    They cannot be inspected in Python, because their value exists only in each client. Operators and
    methods build new Vars with Python's semantics (see docs/vars.md); whatever cannot run in the browser
    raises a `CompileError`.

    Args:
        js: The JavaScript expression.
        states: The state classes the expression reads.
    """

    __slots__ = ("js", "states")

    def __init__(self, js: str, states: frozenset[type[State]] = frozenset()) -> None:
        self.js = js
        self.states = states

    # --- what needs a value in Python: refused, with the way to say it in the browser ------------------

    def __bool__(self) -> NoReturn:
        raise CompileError(
            f"A Var ({self.js}) has no value in Python, so it cannot be used in `if`, `and`, `or`, `not` or a "
            "chained comparison (`a < b < c`); its value exists only in the browser. Use `&`, `|` and `~` "
            "(with comparisons in parentheses) or pr.cond."
        )

    def __iter__(self) -> NoReturn:
        raise CompileError(
            f"A Var ({self.js}) has no value in Python, so it cannot be iterated; use pr.foreach to render its "
            'items, or .join(", "), .contains(x) and .length().'
        )

    def __len__(self) -> NoReturn:
        raise CompileError(f"len() of a Var ({self.js}) must be an int in Python; use .length() instead.")

    def __contains__(self, item: object) -> NoReturn:
        raise CompileError(f"`in` must give a bool in Python, so it cannot test a Var ({self.js}); use .contains().")

    def __hash__(self) -> NoReturn:
        raise CompileError(
            f"unhashable type: 'Var' ({self.js}); == builds an expression, so Vars cannot be dict keys or set members."
        )

    def __int__(self) -> NoReturn:
        raise CompileError(f"int() of a Var ({self.js}) must be an int in Python; use round(var) or var // 1.")

    def __float__(self) -> NoReturn:
        raise CompileError(f"float() of a Var ({self.js}) must be a float in Python; use var * 1.0 or var / 1.")

    def __index__(self) -> NoReturn:
        raise CompileError(f"A Var ({self.js}) cannot index a Python object or size a range; index the Var instead.")

    # --- indexing -------------------------------------------------------------------------------------

    def __getitem__(self, key: int | str | slice | Var) -> Var:
        """An item of a list var (negative indices count from the end), a field of a dict or Struct var
        (``item["title"]``), or a slice of a list or string var (``name[:3]``, ``name[-2:]``, ``name[::-1]``)."""
        if isinstance(key, slice):
            if isinstance(key.step, int) and key.step == 0:
                raise CompileError(f"A Var ({self.js}) cannot be sliced with step 0, as in Python.")
            bounds = [_operand(part, self) if part is not None else "undefined" for part in (key.start, key.stop)]
            step = [] if key.step is None else [_operand(key.step, self)]
            return Var(
                f"{OPS}.slice({', '.join([_js(self), *bounds, *step])})",
                self.states | _states(key.start, key.stop, key.step),
            )
        if isinstance(key, Var):
            return Var(f"{OPS}.at({_js(self)}, {_js(key)})", self.states | key.states)
        if isinstance(key, bool) or not isinstance(key, (int, str)):
            raise CompileError(f"A Var ({self.js}) can be indexed with an int, a str or a Var, but got {key!r}.")
        if isinstance(key, int):
            # Through ops.at: negative indices, and strings indexed by code point.
            return Var(f"{OPS}.at({_js(self)}, {key})", self.states)
        return Var(f"({_js(self)})?.[{_operand(key, self)}]", self.states)

    # --- operators: each builds the JavaScript of the same operation, with Python's semantics -----------

    def _unary(self, template: str) -> Var:
        return Var(template.format(a=_js(self)), self.states)

    def _binary(self, other: Any, template: str, *, reverse: bool = False) -> Var:
        a, b = (_operand(other, self), _js(self)) if reverse else (_js(self), _operand(other, self))
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
        return self._unary("(-({a}))")

    def __pos__(self) -> Var:
        return self._unary("(+({a}))")

    def __abs__(self) -> Var:
        return self._unary("Math.abs({a})")

    def __round__(self, ndigits: int | None = None) -> Var:
        if ndigits is not None and (isinstance(ndigits, bool) or not isinstance(ndigits, int)):
            raise CompileError(f"Expected round() of a Var ({self.js}) to a whole number of digits, got {ndigits!r}.")
        return self._unary(f"{OPS}.round({{a}}{'' if ndigits is None else f', {ndigits}'})")

    def __floor__(self) -> Var:
        return self._unary("Math.floor({a})")

    def __ceil__(self) -> Var:
        return self._unary("Math.ceil({a})")

    def __trunc__(self) -> Var:
        return self._unary("Math.trunc({a})")

    def __eq__(self, other: object) -> Var:  # type: ignore[override]
        return self._binary(other, OPS + ".eq({a}, {b})")

    def __ne__(self, other: object) -> Var:  # type: ignore[override]
        return self._binary(other, OPS + ".ne({a}, {b})")

    def __lt__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".lt({a}, {b})")

    def __le__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".le({a}, {b})")

    def __gt__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".gt({a}, {b})")

    def __ge__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".ge({a}, {b})")

    # Python's `and`, `or` and `not` cannot be overloaded: `&`, `|` and `~` stand for them, with Python's
    # truth (an empty list is false) and results (`a | b` is a if a is true, else b).
    def __and__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".and({a}, {b})")

    def __rand__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".and({a}, {b})", reverse=True)

    def __or__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".or({a}, {b})")

    def __ror__(self, other: Any) -> Var:
        return self._binary(other, OPS + ".or({a}, {b})", reverse=True)

    def __invert__(self) -> Var:
        return self._unary(f"(!{OPS}.truthy({{a}}))")

    # --- text -----------------------------------------------------------------------------------------

    def __format__(self, spec: str) -> str:
        if spec:
            raise CompileError(
                f"A Var ({self.js}) in an f-string takes no format spec ({spec!r}); use .format_number(decimals), "
                "round() or string methods."
            )
        ids = ",".join(sorted(f"{id(state):x}" for state in self.states))
        return f"{MARKER_PREFIX}{ids};{_js(self)}\x00"

    def __str__(self) -> str:
        # str(var) and "a" + str(var) are text with a Var in it, as in an f-string.
        return self.__format__("")

    def __repr__(self) -> str:
        return f"Var({self.js!r})"

    # --- methods -------------------------------------------------------------------------------------

    def length(self) -> Var:
        """The length of a list or string var (in characters, as Python counts), or the number of keys of a dict."""
        return self._unary(f"{OPS}.len({{a}})")

    def contains(self, item: Any) -> Var:
        """Whether a string var contains a substring, a list var an item, or a dict var a key (Python's ``in``)."""
        return self._binary(item, OPS + ".contains({a}, {b})")

    def get(self, key: Any, default: Any = None) -> Var:
        """A field of a dict var, or ``default`` when it has none (Python's ``dict.get``)."""
        return Var(
            f"(({_js(self)})?.[{_operand(key, self)}] ?? {_operand(default, self)})",
            self.states | _states(key, default),
        )

    def keys(self) -> Var:
        """The keys of a dict var, as a list."""
        return self._unary(f"{OPS}.keys({{a}})")

    def values(self) -> Var:
        """The values of a dict var, as a list."""
        return self._unary(f"{OPS}.values({{a}})")

    def items(self) -> Var:
        """The ``[key, value]`` pairs of a dict var, as a list: ``pr.foreach(Scores.by_name.items(), ...)``."""
        return self._unary(f"{OPS}.items({{a}})")

    def upper(self) -> Var:
        """The string in upper case."""
        return self._unary('String({a} ?? "").toUpperCase()')

    def lower(self) -> Var:
        """The string in lower case."""
        return self._unary('String({a} ?? "").toLowerCase()')

    def strip(self) -> Var:
        """The string without leading and trailing whitespace."""
        return self._unary('String({a} ?? "").trim()')

    def startswith(self, prefix: Any) -> Var:
        """Whether the string starts with ``prefix``."""
        return self._binary(prefix, 'String({a} ?? "").startsWith({b})')

    def endswith(self, suffix: Any) -> Var:
        """Whether the string ends with ``suffix``."""
        return self._binary(suffix, 'String({a} ?? "").endsWith({b})')

    def split(self, separator: Any = None) -> Var:
        """The string split at ``separator``, as a list; without one, at runs of whitespace, as in Python.

        Raises:
            CompileError: ``separator`` is the empty string, which Python refuses too.
        """
        if isinstance(separator, str) and not separator:
            raise CompileError(f"A Var ({self.js}) cannot be split at an empty separator, as in Python.")
        return self._binary(separator, OPS + ".split({a}, {b})")

    def join(self, items: Any) -> Var:
        """Joins strings: ``sep.join(items)`` as in Python, or ``items.join(sep)`` on a list var.

        ``", ".join(State.tags)`` cannot work, since Python's ``str.join`` iterates its argument in Python;
        write ``State.tags.join(", ")``.
        """
        return self._binary(items, OPS + ".join({a}, {b})")

    def replace(self, old: Any, new: Any) -> Var:
        """The string with every ``old`` replaced by ``new``."""
        return Var(
            f"{OPS}.replace({_js(self)}, {_operand(old, self)}, {_operand(new, self)})",
            self.states | _states(old, new),
        )

    def to_string(self) -> Var:
        """The value as Python's ``str()`` shows it (``True``, ``None``, ``1.5``, ``['a', 1]``)."""
        return self._unary(f"{OPS}.str({{a}})")

    def format_number(self, decimals: int | None = None, *, grouping: bool = True) -> Var:
        """The number formatted in the browser's locale: ``1234.5`` → ``"1,234.50"`` with ``decimals=2``.

        Args:
            decimals: Digits after the point; as many as the number has when None.
            grouping: Whether to group thousands.

        Raises:
            CompileError: ``decimals`` is not a count of digits.
        """
        if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
            raise CompileError(f"Expected decimals as a count of digits, but got {decimals!r}.")
        places = "undefined" if decimals is None else str(decimals)
        return self._unary(f"{OPS}.formatNumber({{a}}, {places}, {str(bool(grouping)).lower()})")

    def format_date(self, style: str = "medium") -> Var:
        """An ISO date or datetime string formatted in the browser's locale and time zone.

        Args:
            style: ``"short"``, ``"medium"``, ``"long"`` or ``"full"`` (Intl.DateTimeFormat's dateStyle).

        Raises:
            CompileError: ``style`` is not one of those.
        """
        if style not in ("short", "medium", "long", "full"):
            raise CompileError(f'Expected date style "short", "medium", "long" or "full", but got {style!r}.')
        return self._unary(f'{OPS}.formatDate({{a}}, "{style}")')


def _js(var: Var) -> str:
    # Every operation reads its Vars through here, so a backend-only var is refused inside an expression
    # just as it is on its own.
    if isinstance(var, StateVar) and var.backend:
        raise CompileError(
            f'"{var.state.__name__}.{var.name}" is backend-only (its name starts with "_") and never reaches the '
            "browser"
        )
    return var.js


def _operand(value: Any, var: Var) -> str:
    from pyreact_asgi._codec import js_literal

    if isinstance(value, Var):
        return _js(value)
    if isinstance(value, str) and _MARKER.search(value):
        return expand_markers(value)[0]
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_operand(item, var) for item in value) + "]"
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        return "{" + ", ".join(f"{js_literal(key)}: {_operand(item, var)}" for key, item in value.items()) + "}"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "(-Infinity)"
    try:
        literal = js_literal(value)
    except (TypeError, ValueError) as exc:
        raise CompileError(
            f"{value!r} has no value in the browser, so it cannot be combined with a Var ({var.js})."
        ) from exc
    # (-2) ** x: JavaScript refuses a unary minus right before **.
    return f"({literal})" if literal.startswith("-") else literal


def _states(*values: Any) -> frozenset[type[State]]:
    found: frozenset[type[State]] = frozenset()
    for value in values:
        if isinstance(value, Var):
            found |= value.states
        elif isinstance(value, str) and _MARKER.search(value):
            found |= expand_markers(value)[1]
        elif isinstance(value, (list, tuple)):
            found |= _states(*value)
        elif isinstance(value, Mapping):
            found |= _states(*value.values())
    return found


def expand_markers(text: str) -> tuple[str, frozenset[type[State]]]:
    """Turns a string made by an f-string with Vars in it back into a JavaScript expression.

    Returns:
        The expression (text and the Vars as Python's ``str()`` shows them, joined) and the states it reads.
    """
    from pyreact_asgi._codec import js_literal

    parts: list[str] = []
    ids: set[int] = set()
    last = 0
    for match in _MARKER.finditer(text):
        if match.start() > last:
            parts.append(js_literal(text[last : match.start()]))
        parts.append(f"{OPS}.str({match.group(2)})")
        ids.update(int(key, 16) for key in match.group(1).split(",") if key)
        last = match.end()
    if last < len(text):
        parts.append(js_literal(text[last:]))
    return "(" + " + ".join(parts or ['""']) + ")", _states_by_id(ids, text)


def _states_by_id(ids: set[int], text: str) -> frozenset[type[State]]:
    # The state classes alive in the process are Python's own record (type.__subclasses__), not ours: find
    # the ones a marker names. A marker outlives its classes only if it was forged or kept across apps.
    found: set[type[State]] = set()
    todo: list[type] = [Tracked] if ids else []
    while todo and len(found) < len(ids):
        cls = todo.pop()
        if id(cls) in ids:
            found.add(cls)
        todo.extend(cls.__subclasses__())
    if len(found) < len(ids):
        raise CompileError(f"Expected the Vars in {text!r} to read live State classes, but some no longer exist.")
    return frozenset(found)


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
