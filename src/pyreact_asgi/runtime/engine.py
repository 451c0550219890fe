from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from pyreact_asgi.actions import Action, collect
from pyreact_asgi.exceptions import ProtocolError
from pyreact_asgi.runtime.messages import EventMessage
from pyreact_asgi.state import EventHandler, State
from pyreact_asgi.uploaded import UploadedFile

if TYPE_CHECKING:
    from pyreact_asgi.router import Router

__all__ = ["Call", "Engine", "Outcome"]

ClientStates = dict[str, State]


@dataclass(frozen=True, slots=True)
class Call:
    id: int
    state: type[State]
    handler: EventHandler
    args: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one handler call produced: the changed vars, and what the browser should do next."""

    delta: dict[str, dict[str, Any]]
    actions: list[Action]


class Engine:
    """Turns client events into handler calls and deltas. Knows nothing of sockets or locks.

    Args:
        states: The app's State classes by state name.
    """

    def __init__(self, states: Mapping[str, type[State]]) -> None:
        self.states = dict(states)
        self._handlers = {
            f"{name}.{handler_name}": (cls, handler)
            for name, cls in self.states.items()
            for handler_name, handler in cls.handlers().items()
        }

    def resolve(self, raw: Any) -> Call:
        """Validates one decoded ``"event"`` payload.

        Raises:
            ProtocolError: The payload is malformed, names an unknown handler, or has arguments of the wrong
                shape or type. Nothing has run.
        """
        try:
            message = msgspec.convert(raw, EventMessage)
        except msgspec.ValidationError as exc:
            raise ProtocolError(f"Malformed event: {exc}", code="malformed") from exc
        target = self._handlers.get(message.handler)
        if target is None:
            raise ProtocolError(f'Unknown event handler "{message.handler}".', code="unknown_handler")
        cls, handler = target
        return Call(message.id, cls, handler, handler.parse_args(cls, message.args))

    def resolve_upload(self, handler_path: str, files: list[UploadedFile]) -> Call:
        """Finds the upload handler an upload names and binds the files to it.

        Raises:
            ProtocolError: No such handler, or it does not take uploaded files.
        """
        target = self._handlers.get(handler_path)
        if target is None:
            raise ProtocolError(f'Unknown event handler "{handler_path}".', code="unknown_handler")
        cls, handler = target
        if not handler.takes_files(cls):
            raise ProtocolError(
                f'"{handler_path}" does not take uploaded files; an upload handler takes one parameter annotated '
                "list[pr.UploadedFile].",
                code="invalid_args",
            )
        return Call(0, cls, handler, (files,))

    def restore(self, client: ClientStates, stored: Any) -> None:
        """Applies the values the browser keeps for its stored vars (``{"<state>.<var>": value}``).

        Entries that name no stored var, or whose value does not fit the var's type, are ignored: the browser's
        storage is the user's to edit.
        """
        if not isinstance(stored, dict):
            return
        for path, raw in stored.items():
            state_name, _, var = str(path).partition(".")
            cls = self.states.get(state_name)
            if cls is not None and var in cls.stored_vars():
                self._get(client, state_name)._pr_restore(var, raw)

    def full_state(self, client: ClientStates) -> dict[str, dict[str, Any]]:
        """Returns every public var of every state, for a client that (re)connects."""
        return {name: self._get(client, name)._pr_public() for name in self.states}

    async def apply(self, client: ClientStates, call: Call, router: Router | None = None) -> Outcome:
        """Runs the handler; returns the delta and the actions it returned. If it raises, its assignments are undone.

        Args:
            client: The client's states, by state name.
            call: The resolved event.
            router: What the handler reads as ``self.router``: the connection the event came over.
        """
        name = call.state.state_name()
        state = self._get(client, name)
        object.__setattr__(state, "_pr_router", router)
        try:
            result = call.handler.call(state, call.args)
            if inspect.isawaitable(result):
                result = await result
        except BaseException:
            state._pr_rollback()
            raise
        delta = state._pr_take_delta()
        return Outcome({name: delta} if delta else {}, collect(result))

    def _get(self, client: ClientStates, name: str) -> State:
        state = client.get(name)
        if state is None:
            state = client[name] = self.states[name]()
        return state
