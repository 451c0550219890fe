from __future__ import annotations

from typing import Any

import msgspec
from socketio.packet import Packet

# Built once: msgspec encoders and decoders are cheapest when reused.
_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


def encode(obj: Any) -> bytes:
    return _encoder.encode(obj)


def decode(data: bytes | str) -> Any:
    return _decoder.decode(data)


class _MsgspecJSON:
    """The ``json`` module interface python-socketio calls, backed by msgspec."""

    @staticmethod
    def dumps(obj: Any, **_: Any) -> str:
        return _encoder.encode(obj).decode()

    @staticmethod
    def loads(data: str | bytes, **_: Any) -> Any:
        return _decoder.decode(data)


class MsgspecPacket(Packet):  # type: ignore[misc]
    """socket.io packet that encodes with msgspec.

    Passed as ``serializer=`` so the change is local to our server: ``json=`` would overwrite the class
    attribute of python-socketio's shared ``Packet`` for every server in the process.
    """

    json = _MsgspecJSON


def js_literal(value: Any) -> str:
    """Returns a JavaScript literal for a JSON-able value (JSON is valid JavaScript)."""
    return _encoder.encode(value).decode()
