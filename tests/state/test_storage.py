from __future__ import annotations

from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.storage import Cookie, LocalStorage
from pyreact_asgi.state.testing import restore, take_delta


class Settings(pr.State):
    theme: str = pr.local_storage("light")
    tab: int = pr.session_storage(0, key="ui.tab")
    lang: str = pr.cookie("en", max_age=60, path="/", same_site="strict")
    plain: int = 0


def test_storage_vars_have_their_defaults_and_storage() -> None:
    assert Settings().theme == "light"
    assert Settings.public_defaults() == {"theme": "light", "tab": 0, "lang": "en", "plain": 0}
    assert sorted(Settings.stored_vars()) == ["lang", "tab", "theme"]
    assert isinstance(Settings.stored_vars()["theme"], LocalStorage)


def test_storage_vars_are_described_to_the_browser() -> None:
    module = compile_app({"/": lambda: pr.text(Settings.theme)}).module("rt.js")
    assert '"settings.theme":{"key":"settings.theme","kind":"local"}' in module
    assert '"settings.tab":{"key":"ui.tab","kind":"session"}' in module
    assert (
        '"settings.lang":{"key":"settings.lang","kind":"cookie","maxAge":60,"path":"/","sameSite":"strict"}' in module
    )


def test_restore_takes_only_values_of_the_right_type() -> None:
    state = Settings()
    assert restore(state, "tab", 3)
    assert not restore(state, "tab", "three")
    assert state.tab == 3
    assert take_delta(state) == {}  # the browser already has these values: nothing to send back


def test_backend_only_var_cannot_be_kept_in_the_browser() -> None:
    with pytest.raises(ConfigError, match=r'"Secret._token" is kept in the browser, so it cannot be backend-only'):

        class Secret(pr.State):
            _token: str = pr.cookie("")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"key": "a b"}, r"Expected a storage key"),
        ({"max_age": -1}, r"Expected max_age as a number of seconds"),
        ({"path": "admin"}, r'Expected a cookie path such as "/"'),
        ({"same_site": "sometimes"}, r'Expected same_site "lax", "strict" or "none"'),
    ],
)
def test_bad_cookie_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Cookie("x", **kwargs)
