"""Every frame that names an id gets an error reply, whatever is wrong with it; bad frames are logged once,
without a traceback; redirects and downloads never leave the site, even at the root mount."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import anyio
import pytest

from pyreact_asgi._codec import encode
from tests.e2e.client import RawClient, connect, new_token
from tests.security.apps import raw_connect, serve_board
from tests.servers import LiveServer

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

_DEEP = "[" * 10_000 + "]" * 10_000


@pytest.fixture(scope="module")
def board(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve_board(shared_build_dir / "board", max_pending_events=4) as (_, server):
        yield server


# Frames a JSON library would refuse, or a careless one accept: each names its event id first.
_BROKEN = {
    "nan": '42["event",{"id":11,"handler":"board.store","args":[NaN]}]',
    "infinity": '42["event",{"id":12,"handler":"board.store","args":[Infinity]}]',
    "minus-infinity": '42["event",{"id":13,"handler":"board.store","args":[-Infinity]}]',
    "huge-float": '42["event",{"id":14,"handler":"board.store","args":[1e400]}]',
    "huge-int": '42["event",{"id":15,"handler":"board.store","args":[' + "9" * 4400 + "]}]",
    "deep-nesting": '42["event",{"id":16,"handler":"board.store","args":' + _DEEP + "}]",
    "truncated": '42["event",{"id":17,"handler":"board.store","args":["x"',
    "with-ack-id": '4299["event",{"id":18,"args":[NaN]}]',
}


async def _send_broken(board: LiveServer, frame: str, event_id: int | None) -> tuple[Any, Any, Any]:
    """Sends ``frame`` over a raw socket; returns its reply, then the replies to a good event on the same
    connection and to one of a bystander's (the connection still works, and so does everyone else's)."""
    async with connect(board, mount="") as bystander, raw_connect(board) as raw:
        with anyio.fail_after(5):
            await raw.send_frame(frame)
            reply = await raw.update(event_id)
            after = await raw.call(1, "board.store", "fine")
            other = await bystander.call("board.increment")
    return reply, after, other


@pytest.mark.parametrize("frame", list(_BROKEN.values()), ids=list(_BROKEN))
async def test_quiet_failures_get_an_error_reply(board: LiveServer, frame: str) -> None:
    event_id = int(frame.split('"id":')[1].split(",")[0])
    reply, after, other = await _send_broken(board, frame, event_id)
    assert reply["error"]["code"] == "malformed"
    assert "delta" not in reply
    assert after["delta"] == {"board": {"blob": "fine"}}
    assert other["delta"] == {"board": {"count": 1}}


@pytest.mark.parametrize(
    ("frame", "event_id"),
    [
        pytest.param('42{"id":3}', None, id="not-a-list"),
        pytest.param("42[]", None, id="empty-list"),
        pytest.param('42[{"id":3}]', None, id="no-name"),
        pytest.param('42["shout",{"id":21}]', 21, id="unknown-event"),
        pytest.param('42["event",5]', None, id="payload-not-object"),
    ],
)
async def test_quiet_failures_of_shape_get_an_error_reply(board: LiveServer, frame: str, event_id: int | None) -> None:
    async with raw_connect(board) as raw:
        with anyio.fail_after(5):
            await raw.send_frame(frame)
            reply = await raw.update(event_id)
            after = await raw.call(1, "board.store", "fine")
    assert reply["error"]["code"] == "malformed"
    assert after["delta"] == {"board": {"blob": "fine"}}


@pytest.mark.parametrize(
    ("frame", "event_id"),
    [
        pytest.param('42["event",{"id":22,"handler":"board.store","args":["x"]},5]', 22, id="event-extra-item"),
        pytest.param('42["event",5,{"id":23}]', None, id="event-extra-item-no-id"),
        pytest.param('42["page","/",5]', None, id="page-extra-item"),
        pytest.param('42["event"]', None, id="event-no-payload"),
        pytest.param('42["event",{"id":24,"handler":"board.store","args":[NaN]}]', 24, id="event-nan"),
        pytest.param('42["event",{"id":25,"handler":"board.nope","args":[]}]', 25, id="event-unknown-handler"),
    ],
)
async def test_quiet_failures_of_the_event_frame_get_an_error_reply_without_traceback(
    board: LiveServer, frame: str, event_id: int | None, caplog: pytest.LogCaptureFixture
) -> None:
    # The usual frame, 42["event",{...}], is decoded by the transport itself; these are the shapes around it,
    # which python-socketio used to pass on as extra arguments (and log a TypeError with its traceback).
    caplog.set_level(logging.INFO)
    reply, after, other = await _send_broken(board, frame, event_id)
    assert reply["error"]["code"] in ("malformed", "unknown_handler")
    assert after["delta"] == {"board": {"blob": "fine"}}
    assert other["delta"] == {"board": {"count": 1}}
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_quiet_failures_event_with_an_ack_id_is_run_and_acknowledged(board: LiveServer) -> None:
    # An event asking for socket.io's acknowledgement (no runtime of ours does) takes python-socketio's way.
    async with raw_connect(board) as raw:
        with anyio.fail_after(5):
            await raw.send_frame('427["event",{"id":26,"handler":"board.store","args":["acked"]}]')
            reply = await raw.update(26)
    assert reply["delta"] == {"board": {"blob": "acked"}}
    assert "437[]" in raw.frames


async def test_quiet_failures_event_before_the_socket_io_connect_is_ignored(board: LiveServer) -> None:
    url = f"ws://{board.host}:{board.port}/_event/?EIO=4&transport=websocket"
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        raw = RawClient(ws)
        with anyio.fail_after(5):
            assert (await raw.receive()).startswith("0{")
            await raw.send_frame('42["event",{"id":27,"handler":"board.store","args":["early"]}]')
            await raw.send_frame('42["page","/"]')
            await raw.send_frame("40" + encode({"token": new_token()}).decode())
            after = await raw.call(1, "board.store", "fine")
    assert after["delta"] == {"board": {"blob": "fine"}}, "the early ones changed nothing"
    assert not [f for f in raw.frames if '"id":27' in f]
    assert len([f for f in raw.frames if f.startswith('42["state"')]) == 1, "the early page change did nothing"


async def test_quiet_failures_are_logged_once_without_traceback(
    board: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with raw_connect(board) as raw:
        with anyio.fail_after(10):
            for event_id, frame in enumerate(list(_BROKEN.values()) * 5):
                await raw.send_frame(frame.replace('"id":1', f'"id":{1000 + event_id}', 1))
            await raw.call(1, "board.store", "fine")
    bad = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert [r.levelno for r in bad] == [logging.WARNING], "one warning for the connection, not one per frame"
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_quiet_failures_binary_packets_are_refused(board: LiveServer) -> None:
    # socket.io would keep a binary event's attachments in memory, as many as its header announces.
    async with connect(board, mount="") as bystander, raw_connect(board) as raw:
        with anyio.fail_after(5):
            await raw.send_frame(
                '451-["event",{"id":1,"handler":"board.store","args":[{"_placeholder":true,"num":0}]}]'
            )
            assert await raw.closed_by_server()
            assert (await bystander.call("board.increment"))["delta"] == {"board": {"count": 1}}


async def test_quiet_failures_too_many_waiting_events_are_refused(board: LiveServer) -> None:
    # max_pending_events=4: while a handler runs, a fifth waiting event is refused, not queued.
    async with raw_connect(board) as raw:
        with anyio.fail_after(10):
            await raw.emit("event", {"id": 1, "handler": "board.stream", "args": [1, 0.5]})
            for event_id in range(2, 12):
                await raw.emit("event", {"id": event_id, "handler": "board.increment", "args": []})
            replies = [await raw.update(event_id) for event_id in range(1, 12)]
    refused = [r["id"] for r in replies if r.get("error", {}).get("code") == "overloaded"]
    done = [r["id"] for r in replies if "error" not in r]
    assert refused, "some events were refused"
    assert len(done) >= 5  # the running one and the four that waited
    assert refused == sorted(refused)
    last = max(r["delta"]["board"]["count"] for r in replies if "delta" in r and "count" in r["delta"]["board"])
    assert last == len(done) - 1, "each accepted increment ran once, in order"


@pytest.mark.parametrize("to", ["/\\evil.example/steal", "//evil.example", "\\\\evil.example", "javascript:alert(1)"])
@pytest.mark.parametrize("handler", ["board.go_elsewhere", "board.download_elsewhere"])
async def test_quiet_failures_redirect_outside_the_site_is_refused_at_the_root_mount(
    board: LiveServer, to: str, handler: str, logged_errors: list[logging.LogRecord]
) -> None:
    async with connect(board, mount="") as client:
        with anyio.fail_after(5):
            reply = await client.call(handler, to)
    assert reply["error"]["code"] == "handler_error"
    assert "actions" not in reply
    assert [r.getMessage() for r in logged_errors] == [f'Event handler "{handler}" raised']
    logged_errors.clear()


@pytest.mark.parametrize(
    "frame",
    ["4" + _DEEP, "x", "9", "4" + "1" * 5000, "4", "4[]", "41/nope", "0", "b!!!"],
    ids=["deep", "letter", "type-9", "numeric", "empty-message", "list", "other-namespace", "open", "bad-base64"],
)
async def test_quiet_failures_at_the_engine_io_level_leave_no_traceback(
    board: LiveServer, frame: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with connect(board, mount="") as bystander, raw_connect(board) as raw:
        with anyio.fail_after(5):
            await raw.send_frame(frame)
            try:
                reply = await raw.call(1, "board.store", "fine")
            except ConnectionError:
                reply = None  # closing a connection that sent garbage is fine too
            other = await bystander.call("board.increment")
    assert reply is None or reply["delta"] == {"board": {"blob": "fine"}}
    assert other["delta"] == {"board": {"count": 1}}
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_quiet_failures_past_a_hundred_disconnect_the_client(board: LiveServer) -> None:
    async with connect(board, mount="") as bystander, raw_connect(board) as raw:
        with anyio.fail_after(10):
            for _ in range(101):
                await raw.send_frame('42["event",{"id":1,"args":[NaN]}]')
            assert await raw.closed_by_server()
            assert (await bystander.call("board.increment"))["delta"] == {"board": {"count": 1}}
    assert len([f for f in raw.frames if '"malformed"' in f]) == 100
