from __future__ import annotations

import base64
from typing import Any

import pytest

import pyreact_asgi as pr
from examples.counter import Counter
from pyreact_asgi._codec import decode, encode
from pyreact_asgi.actions import collect
from pyreact_asgi.runtime.messages import Update


def _wire(action: pr.Action) -> dict[str, Any]:
    wire: dict[str, Any] = decode(encode(Update(actions=[action])))["actions"][0]
    return wire


def test_actions_on_the_wire_carry_their_kind() -> None:
    assert _wire(pr.redirect("/reports?y=1")) == {"kind": "redirect", "to": "/reports?y=1", "replace": False}
    assert _wire(pr.toast("Saved", level="success")) == {
        "kind": "toast",
        "message": "Saved",
        "level": "success",
        "duration": 4.0,
    }
    assert _wire(pr.set_focus("name")) == {"kind": "focus", "target": "name"}
    assert _wire(pr.set_value("name", "Ada")) == {"kind": "set_value", "target": "name", "value": "Ada"}
    assert _wire(pr.scroll_to("end", smooth=False)) == {"kind": "scroll", "target": "end", "smooth": False}
    assert _wire(pr.call_script("return 1", callback=Counter.increment)) == {
        "kind": "script",
        "code": "return 1",
        "callback": "counter.increment",
    }


def test_download_of_text_or_bytes_is_base64_and_of_url_is_a_path() -> None:
    text = _wire(pr.download(filename="a.csv", data="x,y\n"))
    assert (base64.b64decode(text["data"]), text["media_type"]) == (b"x,y\n", "text/plain;charset=utf-8")
    raw = _wire(pr.download(filename="a.bin", data=b"\x00\x01"))
    assert (base64.b64decode(raw["data"]), raw["media_type"]) == (b"\x00\x01", "application/octet-stream")
    assert _wire(pr.download(filename="r.pdf", url="/files/r.pdf"))["url"] == "/files/r.pdf"


# Each of these leaves the site in a browser, whatever the mount path (at "/" the app adds no prefix).
_ELSEWHERE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "//evil.example/x",
    "/\\evil.example/steal",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "http://\\evil.example",
    "reports",
    "data:text/html,x",
    5,
]


@pytest.mark.parametrize("to", _ELSEWHERE)
def test_redirect_refuses_what_is_not_a_path_or_http_url(to: Any) -> None:
    with pytest.raises(ValueError, match=r"Expected a path"):
        pr.redirect(to)


@pytest.mark.parametrize("url", _ELSEWHERE)
def test_download_url_refuses_what_is_not_a_path_or_http_url(url: Any) -> None:
    with pytest.raises(ValueError, match=r"Expected a path"):
        pr.download(filename="x", url=url)


def test_a_path_may_hold_spaces_in_its_query() -> None:
    assert pr.redirect("/search?q=two words").to == "/search?q=two words"


def test_redirect_to_an_external_http_url_is_allowed() -> None:
    assert pr.redirect("https://example.com/docs").to == "https://example.com/docs"


@pytest.mark.parametrize("target", ["", "1abc", "a b", "x" * 300, None])
def test_element_actions_need_an_element_id(target: Any) -> None:
    with pytest.raises(ValueError, match=r"Expected an element id"):
        pr.set_focus(target)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match=r'Expected toast level "info", "success", "warning" or "error"'):
        pr.toast("x", level="loud")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Expected exactly one of data= or url="):
        pr.download(filename="x")
    with pytest.raises(ValueError, match=r"Expected callback to be an event handler"):
        pr.call_script("return 1", callback="counter.increment")  # type: ignore[arg-type]


def test_collect_finds_actions_in_what_a_handler_returned() -> None:
    toast = pr.toast("x")
    assert collect(toast) == [toast]
    assert collect([toast, None, 3, pr.set_focus("a")]) == [toast, pr.set_focus("a")]
    assert collect(None) == []
