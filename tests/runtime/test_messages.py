"""The wire messages: what a client may send is checked field by field, what the server sends is minimal."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from pyreact_asgi._codec import decode, encode
from pyreact_asgi.actions import Redirect, Toast
from pyreact_asgi.runtime.messages import ErrorInfo, EventMessage, Update


def _event(payload: Any) -> EventMessage:
    return msgspec.convert(payload, EventMessage)


def test_event_message_takes_id_handler_and_args() -> None:
    event = _event({"id": 3, "handler": "counter.increment", "args": [10]})
    assert (event.id, event.handler, event.args) == (3, "counter.increment", [10])
    assert _event({"id": 0, "handler": "app.todos.add"}).args == []


@pytest.mark.parametrize(
    ("payload", "where"),
    [
        ({"id": -1, "handler": "a.b"}, r"\$\.id"),
        ({"id": 2**53 + 1, "handler": "a.b"}, r"\$\.id"),
        ({"id": "1", "handler": "a.b"}, r"\$\.id"),
        ({"id": 1, "handler": "increment"}, r"\$\.handler"),  # no state name
        ({"id": 1, "handler": "Counter.increment"}, r"\$\.handler"),  # a state name is lowercase
        ({"id": 1, "handler": "a..b"}, r"\$\.handler"),
        ({"id": 1, "handler": "a.b" + ".c" * 100}, r"\$\.handler"),  # longer than any handler path
        ({"id": 1, "handler": "a.b", "args": {"x": 1}}, r"\$\.args"),
        ({"id": 1, "handler": "a.b", "token": "x"}, r"unknown field `token`"),
        ({"handler": "a.b"}, r"missing required field `id`"),
        ([1, "a.b"], r"Expected `object`"),
    ],
    ids=[
        "negative-id",
        "id-beyond-js-integers",
        "string-id",
        "no-state",
        "capitalised-state",
        "empty-segment",
        "too-long",
        "args-not-a-list",
        "unknown-field",
        "no-id",
        "not-an-object",
    ],
)
def test_event_message_refuses_what_a_client_must_not_send(payload: Any, where: str) -> None:
    with pytest.raises(msgspec.ValidationError, match=where):
        _event(payload)


def test_event_message_is_frozen() -> None:
    event = _event({"id": 1, "handler": "a.b"})
    with pytest.raises(AttributeError):
        event.id = 2  # type: ignore[misc]


def test_update_leaves_defaults_off_the_wire() -> None:
    assert decode(encode(Update())) == {}
    assert decode(encode(Update(id=4))) == {"id": 4}
    assert decode(encode(Update(id=4, done=False))) == {"id": 4, "done": False}


def test_update_carries_delta_error_and_tagged_actions() -> None:
    update = Update(
        id=1,
        delta={"counter": {"count": 2}},
        error=ErrorInfo("invalid_args", "Expected `int`"),
        actions=[Redirect(to="/next"), Toast(message="Saved")],
    )
    wire = decode(encode(update))
    assert wire["delta"] == {"counter": {"count": 2}}
    assert wire["error"] == {"code": "invalid_args", "message": "Expected `int`"}
    assert [action["kind"] for action in wire["actions"]] == ["redirect", "toast"]
    assert wire["actions"][0]["to"] == "/next"
