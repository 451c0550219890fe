from __future__ import annotations

import pytest
from socketio import packet

from pyreact_asgi import _codec
from pyreact_asgi._codec import MalformedFrame, MsgspecPacket
from pyreact_asgi.runtime.messages import ErrorInfo, Update


def test_codec_round_trips_json() -> None:
    value = {"a": [1, 2.5, None, True], "b": "\u00e9"}
    data = _codec.encode(value)
    assert isinstance(data, bytes)
    assert _codec.decode(data) == value
    assert _codec.decode(data.decode()) == value


def test_codec_encodes_structs() -> None:
    # Fields at their default are left out, which the browser runtime relies on ("done" defaults to true).
    assert _codec.encode(Update(id=3, delta={"counter": {"count": 1}})) == b'{"id":3,"delta":{"counter":{"count":1}}}'
    error = Update(id=None, error=ErrorInfo("invalid_args", "bad"))
    assert _codec.encode(error) == b'{"error":{"code":"invalid_args","message":"bad"}}'


@pytest.mark.parametrize(
    ("value", "literal"),
    [("</script>", '"</script>"'), ('a"b', '"a\\"b"'), (None, "null"), (True, "true"), ([1, "x"], '[1,"x"]')],
    ids=["tag", "quote", "none", "bool", "list"],
)
def test_js_literal_is_json(value: object, literal: str) -> None:
    assert _codec.js_literal(value) == literal


def test_js_literal_rejects_python_objects() -> None:
    with pytest.raises(TypeError, match="Encoding objects of type object is unsupported"):
        _codec.js_literal(object())


def test_packet_encodes_structs_with_msgspec() -> None:
    pkt = _codec.MsgspecPacket(packet.EVENT, data=["update", Update(id=1, delta={"s": {"x": 1}})])
    assert pkt.encode() == '2["update",{"id":1,"delta":{"s":{"x":1}}}]'


def test_packet_decodes_with_msgspec() -> None:
    pkt = _codec.MsgspecPacket(encoded_packet='2["event",{"id":1,"handler":"counter.increment","args":[2]}]')
    assert pkt.data == ["event", {"id": 1, "handler": "counter.increment", "args": [2]}]


def test_packet_serializer_does_not_change_socketio_default() -> None:
    # Another socket.io server in the same process must keep the standard json module.
    assert packet.Packet.json is not _codec.MsgspecPacket.json
    with pytest.raises(TypeError, match="not JSON serializable"):
        packet.Packet(packet.EVENT, data=["update", Update(id=1)]).encode()


@pytest.mark.parametrize(
    ("frame", "event_id"),
    [
        ('2["event",{"id":5,"args":[NaN]}]', 5),
        ('2["event",{"id":6,"handler":"a.b","args":[1e400]}]', 6),
        ('2["event",{"handler":"a.b","id":7,"args":[' + "9" * 5000 + "]}]", 7),
        ('2["event",{"id":8,"args":' + "[" * 10_000 + "]" * 10_000 + "}]", 8),
        ('212["event",{"id":9,"x":Infinity}]', 9),
        ('2["event",{"args":[{"id":3}],"id":9', None),  # an id after a nested value is not looked for
        ('2["event",5', None),
        ('0{"token":NaN}', None),
    ],
)
def test_codec_malformed_frame_keeps_the_event_id_it_can_read(frame: str, event_id: int | None) -> None:
    with pytest.raises(MalformedFrame, match=r"^Malformed frame: ") as refused:
        MsgspecPacket(encoded_packet=frame)
    assert refused.value.event_id == event_id
    assert refused.value.code == "malformed"


def test_event_frame_is_what_python_socketio_emits() -> None:
    data = Update(id=7, delta={"counter": {"count": 1, "items": ["a", {"b": None}]}}, error=ErrorInfo("x", "é"))
    expected = MsgspecPacket(packet.EVENT, namespace="/", data=["update", data]).encode()
    assert _codec.event_frame("update", data) == expected
