from __future__ import annotations

import inspect
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from pyreact_asgi._codec import js_literal
from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import OPS, Var

__all__ = ["FOREACH", "IF", "cond", "foreach", "match"]

FOREACH = "#foreach"
IF = "#cond"

# How deep the foreach being built is nested: its item and index get names of their own at each depth.
_depth: ContextVar[int] = ContextVar("pyreact_foreach_depth", default=0)


def foreach(items: Any, render: Callable[..., Component]) -> Component:
    """Renders a component for each item of a list var, in the browser.

    ``render`` is called once, at build time, with the item as a Var (and, if it takes two parameters, the
    index as a Var); index it like the value: ``item["title"]`` for a list of dicts or Structs.

    Example: ``pr.foreach(Todos.tasks, lambda task, i: pr.text(task["title"], on_click=Todos.toggle(i)))``

    ``items`` is typed ``Any`` because a State var on its class (``Todos.tasks``) is a Var at run time while
    type checkers see the var's declared type.

    Raises:
        ConfigError: ``items`` is not a Var, or ``render`` does not take one or two parameters.
    """
    if not isinstance(items, Var):
        raise ConfigError(f"Expected pr.foreach over a Var such as State.items, but got {items!r}.")
    if not callable(render):
        raise ConfigError(f"Expected pr.foreach to get a function returning a component, but got {render!r}.")
    try:
        params = inspect.signature(render).parameters.values()
    except (TypeError, ValueError):
        params = None
    if params is None:
        arity = 1
    else:
        positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        # A component function itself (pr.foreach(State.items, pr.text), as in Reflex) takes *children.
        takes_args = any(p.kind is p.VAR_POSITIONAL for p in params)
        arity = 1 if not positional and takes_args else len(positional)
    if arity not in (1, 2):
        raise ConfigError(f"Expected the pr.foreach function to take (item) or (item, index), but it takes {arity}.")
    depth = _depth.get()
    item, index = Var(f"item{depth}", items.states), Var(f"index{depth}")
    token = _depth.set(depth + 1)
    try:
        child = render(item, index) if arity == 2 else render(item)
    finally:
        _depth.reset(token)
    return Component(FOREACH, {"items": items, "item": item.js, "index": index.js}, (child,))


def cond(condition: Any, then: Any, otherwise: Any = None) -> Any:
    """Chooses between two things in the browser, by a Var's truth (Python's: 0, "", None, [] and {} are false).

    With components (or text) it is a component: ``pr.cond(Todos.empty, pr.text("Nothing to do"))``; with
    plain values it is a Var usable as a prop: ``color=pr.cond(Task.late, "red", "inherit")``.

    Raises:
        ConfigError: ``condition`` is not a Var.
    """
    if not isinstance(condition, Var):
        raise ConfigError(f"Expected pr.cond on a Var such as State.flag, but got {condition!r}.")
    truth = Var(f"{OPS}.truthy({condition.js})", condition.states)
    if isinstance(then, Component) or isinstance(otherwise, Component):
        return Component(IF, {"condition": truth}, (then, otherwise))
    states = condition.states
    parts = []
    for value in (then, otherwise):
        if isinstance(value, Var):
            states |= value.states
            parts.append(value.js)
        else:
            parts.append(js_literal(value))
    return Var(f"({truth.js} ? {parts[0]} : {parts[1]})", states)


def match(value: Any, *cases: tuple[Any, Any], default: Any = None) -> Any:
    """Picks the result whose case equals ``value`` (Python's ``==``, lists and dicts compared by content).

    Example: ``pr.match(Job.status, ("done", pr.badge("Done")), ("failed", pr.badge("Failed")), default=pr.spinner())``

    Raises:
        ConfigError: ``value`` is not a Var, or a case is not a ``(value, result)`` pair.
    """
    if not isinstance(value, Var):
        raise ConfigError(f"Expected pr.match on a Var such as State.status, but got {value!r}.")
    result = default
    for case in reversed(cases):
        if not isinstance(case, tuple) or len(case) != 2:
            raise ConfigError(f"Expected pr.match cases as (value, result) pairs, but got {case!r}.")
        result = cond(value == case[0], case[1], result)
    return result
