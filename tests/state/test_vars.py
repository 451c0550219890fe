from __future__ import annotations

from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import CompileError
from pyreact_asgi.state.vars import StateVar, Var


class Profile(pr.State):
    name: str = ""
    _token: str = ""


def test_var_holds_js_and_states() -> None:
    var = Var("v.profile.name.length", frozenset({Profile}))
    assert var.js == "v.profile.name.length"
    assert var.states == frozenset({Profile})
    assert repr(var) == "Var('v.profile.name.length')"


def test_var_defaults_to_no_states() -> None:
    assert Var("1 + 1").states == frozenset()


@pytest.mark.parametrize("use", [bool, lambda v: not v], ids=["bool", "not"])
def test_var_has_no_truth_value_in_python(use: object) -> None:
    with pytest.raises(
        CompileError, match=r"A Var \(v.profile.name\) has no value in Python, so it cannot be used in `if`"
    ):
        use(Profile.name)  # type: ignore[operator]


def test_var_cannot_be_iterated() -> None:
    with pytest.raises(
        CompileError, match=r"A Var \(v.profile.name\) has no value in Python, so it cannot be iterated"
    ):
        list(Profile.name)


def test_state_var_addresses_the_state_and_var() -> None:
    var: Any = Profile.name  # typed as its value, so that pages type-check
    assert isinstance(var, StateVar)
    assert (var.state, var.name, var.backend) == (Profile, "name", False)
    assert var.js == "v.profile.name"
    assert repr(var) == "StateVar(Profile.name)"


def test_state_var_of_backend_var_is_marked() -> None:
    var: Any = Profile._token
    assert isinstance(var, StateVar)
    assert var.backend
