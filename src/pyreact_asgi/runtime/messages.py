"""Wire protocol; docs/protocol.md describes it for client authors."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from pyreact_asgi.actions import Action

__all__ = ["ErrorInfo", "EventMessage", "Update"]

HandlerPath = Annotated[
    str,
    msgspec.Meta(
        min_length=3, max_length=200, pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*\.[A-Za-z_][A-Za-z0-9_]*$"
    ),
]


class EventMessage(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Client → server, socket.io event ``"event"``: call one handler.

    Attributes:
        id: Chosen by the client, echoed in the reply so it can tell which event finished.
        handler: ``"<state name>.<handler name>"``; a substate's name is its dotted path (``"app.todos.add"``).
        args: Positional arguments, validated against the handler's signature.
    """

    id: Annotated[int, msgspec.Meta(ge=0, le=2**53)]
    handler: HandlerPath
    args: list[Any] = []


class ErrorInfo(msgspec.Struct, frozen=True):
    code: str
    message: str


class Update(msgspec.Struct, frozen=True, omit_defaults=True):
    """Server → client, socket.io event ``"update"``.

    Attributes:
        id: The event this update answers; None for updates no event asked for.
        delta: Only the vars that changed (computed ones included), by state name then var name.
        error: Why the event was rejected or failed; the state is as at the last update.
        actions: What the browser does next (redirect, toast, ...), applied after the delta, in order.
        done: The event is finished; no more updates for this id follow. False for the updates a streaming
            handler sends at each ``yield`` and for those of events it chains.
    """

    id: int | None = None
    delta: dict[str, dict[str, Any]] = {}
    error: ErrorInfo | None = None
    actions: list[Action] = []  # encoded with each action's "kind" tag
    done: bool = True
