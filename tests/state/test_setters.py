from __future__ import annotations

import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import ConfigError, ProtocolError
from pyreact_asgi.state.testing import take_delta


class Profile(pr.State):
    name: str = pr.field("", setter=True)
    age: int = pr.field(0, setter=True, validate=lambda age: 0 <= age <= 150)
    role: str = "user"


class Form(pr.State, setters=True):
    title: str = ""
    locked: bool = pr.field(False, setter=False)
    _draft: str = ""


def test_setters_are_generated_only_where_opted_in() -> None:
    assert {"set_name", "set_age"} <= set(Profile.handlers())
    assert "set_role" not in Profile.handlers()
    assert "set_title" in Form.handlers()
    assert "set_locked" not in Form.handlers()
    assert "set__draft" not in Form.handlers()


def test_setters_missing_one_says_they_are_opt_in() -> None:
    with pytest.raises(AttributeError, match=r'Profile has no setter "set_role": setters are opt-in'):
        _ = Profile.set_role
    with pytest.raises(AttributeError, match=r"has no attribute 'nothing_here'"):
        _ = Profile.nothing_here


def test_setters_opted_in_setter_sets_the_var() -> None:
    profile = Profile()
    profile.set_name("Ada")  # type: ignore[attr-defined]
    assert take_delta(profile) == {"name": "Ada"}


def test_setters_validator_refuses_with_an_invalid_args_error() -> None:
    handler = Profile.handlers()["set_age"]
    assert handler.parse_args(Profile, [42]) == (42,)
    with pytest.raises(ProtocolError, match=r"\"profile.set_age\" refused the value: the app's validator") as info:
        handler.parse_args(Profile, [-5])
    assert info.value.code == "invalid_args"
    with pytest.raises(ProtocolError, match=r"Expected `int`, got `str`"):
        handler.parse_args(Profile, ["5"])


def test_setters_subclass_follows_its_base() -> None:
    class LongForm(Form, name="long_form"):
        body: str = ""

    assert {"set_title", "set_body"} <= set(LongForm.handlers())


def test_setters_validate_without_a_setter_is_refused() -> None:
    with pytest.raises(ConfigError, match=r'"Bad.count" has validate= but no setter'):

        class Bad(pr.State):
            count: int = pr.field(0, validate=lambda count: count > 0)


def test_setters_backend_var_cannot_have_one() -> None:
    with pytest.raises(ConfigError, match=r'"Hidden._secret" is backend-only'):

        class Hidden(pr.State):
            _secret: str = pr.field("", setter=True)


def test_setters_field_takes_a_stored_default() -> None:
    class Prefs(pr.State):
        theme: str = pr.field(pr.local_storage("light"), setter=True)

    assert "theme" in Prefs.stored_vars()
    assert Prefs().theme == "light"
    assert "set_theme" in Prefs.handlers()
