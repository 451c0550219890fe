"""Two apps in one process share nothing of the state model: no registry, table or cache at module level."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import types
from typing import Any

import pyreact_asgi as pr
import pyreact_asgi.state
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.state import StateTree
from pyreact_asgi.state.vars import expand_markers


def _app(greeting: str) -> tuple[type[pr.State], dict[str, pr.Component]]:
    # Each call makes a new State class with the same wire name, as two apps of one host may.
    class Greeting(pr.State):
        who: str = greeting

    pages = {"/": lambda: pr.text(f"Hello, {Greeting.who}!")}
    return Greeting, pages  # type: ignore[return-value]


def test_isolation_two_apps_with_same_state_names_keep_their_own_classes() -> None:
    first, first_pages = _app("Ada")
    second, second_pages = _app("Bob")
    compiled_first = compile_app(first_pages)  # type: ignore[arg-type]
    compiled_second = compile_app(second_pages)  # type: ignore[arg-type]
    assert compiled_first.states == {"greeting": first}
    assert compiled_second.states == {"greeting": second}
    assert compiled_first.initial == {"greeting": {"who": "Ada"}}
    assert compiled_second.initial == {"greeting": {"who": "Bob"}}
    # Both f-strings compile to the same expression, each reading its own app's state.
    assert compiled_first.pages["/"] == compiled_second.pages["/"]


def test_isolation_f_string_marker_carries_what_it_stands_for() -> None:
    first, _ = _app("Ada")
    second, _ = _app("Bob")
    text = f"{first.who} and {second.who}"
    expression, states = expand_markers(text)
    assert states == {first, second}
    assert expression == '(ops.str(v.greeting.who) + " and " + ops.str(v.greeting.who))'


def test_isolation_state_instances_of_two_apps_are_independent() -> None:
    first, _ = _app("Ada")
    second, _ = _app("Bob")
    a: Any = StateTree().require(first)
    b: Any = StateTree().require(second)
    a.who = "Eve"
    assert (a.who, b.who) == ("Eve", "Bob")


def test_isolation_state_modules_hold_no_mutable_globals() -> None:
    mutable = (dict, list, set, bytearray, itertools.count)
    found = []
    for info in pkgutil.walk_packages(pyreact_asgi.state.__path__, "pyreact_asgi.state."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, types.ModuleType):
                continue
            if isinstance(value, mutable):
                found.append(f"{info.name}.{name}")
    assert found == []
