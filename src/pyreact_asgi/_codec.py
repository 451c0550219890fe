from __future__ import annotations

import re
from typing import Any

import msgspec
from socketio.packet import Packet

from pyreact_asgi.exceptions import ProtocolError

# Built once: msgspec encoders and decoders are cheapest when reused.
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def encode(obj: Any) -> bytes:
    return _encoder.encode(obj)


def decode(data: bytes | str) -> Any:
    return _decoder.decode(data)


def event_frame(event: str, data: Any) -> str:
    """Returns the socket.io EVENT packet ``event(data)`` on the default namespace, as engine.io sends it.

    The text python-socketio's ``emit`` makes (``2["update",{...}]``), framed here so that sending one update
    to one connection costs neither its per-recipient task nor its scan of the data for binary attachments
    (the wire protocol has none).
    """
    return "2" + _encoder.encode([event, data]).decode()


class _MsgspecJSON:
    """The ``json`` module interface python-socketio calls, backed by msgspec."""

    @staticmethod
    def dumps(obj: Any, **_: Any) -> str:
        return _encoder.encode(obj).decode()

    @staticmethod
    def loads(data: str | bytes, **_: Any) -> Any:
        return _decoder.decode(data)


# The id of an event in a frame too broken to decode: what a client needs to stop waiting for its reply.
_EVENT_ID = re.compile(r'\[\s*"event"\s*,\s*\{[^{}\[\]]{0,200}?"id"\s*:\s*(\d{1,16})\s*[,}]')


class MalformedFrame(ProtocolError):
    """A socket.io frame that does not decode: invalid JSON, NaN or Infinity, a number out of range, nesting
    too deep, a broken header.

    Args:
        message: What is wrong.
        event_id: The id of the event the frame carries, when one can still be read from it.
    """

    def __init__(self, message: str, event_id: int | None = None) -> None:
        super().__init__(message, code="malformed")
        self.event_id = event_id


class MsgspecPacket(Packet):  # type: ignore[misc]
    """socket.io packet that encodes with msgspec.

    Passed as ``serializer=`` so the change is local to our server: ``json=`` would overwrite the class
    attribute of python-socketio's shared ``Packet`` for every server in the process.
    """

    json = _MsgspecJSON

    def decode(self, encoded_packet: str | bytes) -> int:
        """Decodes a received packet.

        Raises:
            MalformedFrame: The packet does not decode.
        """
        try:
            return int(super().decode(encoded_packet))
        except (ValueError, TypeError, RecursionError) as exc:  # msgspec's errors are ValueErrors
            raise MalformedFrame(f"Malformed frame: {exc}", _event_id(encoded_packet)) from None


def _event_id(encoded: str | bytes) -> int | None:
    if not isinstance(encoded, str):
        return None
    start = encoded.find("[")
    if start < 0 or not encoded[:start].isdigit() or not encoded.startswith("2"):
        return None
    found = _EVENT_ID.match(encoded, start)
    return None if found is None else int(found[1])


def js_literal(value: Any) -> str:
    """Returns a JavaScript literal for a JSON-able value (JSON is valid JavaScript)."""
    return _encoder.encode(value).decode()
