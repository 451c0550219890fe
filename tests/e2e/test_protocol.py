"""The websocket protocol, spoken by a real python-socketio client and by hand, against a real uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import anyio
import pytest
import socketio

from pyreact_asgi._codec import encode
from tests.e2e.client import RawClient, connect, new_token
from tests.servers import LiveServer

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

SOCKET_PATH = "/ui/_event"


async def test_connect_sends_full_public_state(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        state = await client.first_state()
    assert sorted(state) == ["actions", "counter", "files", "flaky", "gate", "post", "prefs", "stats", "visitor"]
    assert state["counter"] == {"count": 0, "name": ""}
    assert state["files"] == {"received": [], "summary": ""}  # its backend-only "_paths" is not there


async def test_delta_contains_only_changed_vars(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
        assert (await client.call("counter.set_name", "Ada"))["delta"] == {"counter": {"name": "Ada"}}
        assert (await client.call("counter.increment", 10))["delta"] == {"counter": {"count": 11}}
        update = await client.call("counter.set_name", "Ada")
    assert update == {"id": 4}, "setting a var to its current value sends no delta"


async def test_async_handler_updates_state(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        await client.call("counter.increment", 5)
        update = await client.call("counter.reset")
    assert update["delta"] == {"counter": {"count": 0}}


async def test_events_are_processed_in_order(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        for event_id in range(1, 51):
            await client.send({"id": event_id, "handler": "counter.increment", "args": [1]})
        last = await client.reply(50)
    assert last["delta"] == {"counter": {"count": 50}}
    assert [client.updates[i]["delta"]["counter"]["count"] for i in range(1, 51)] == list(range(1, 51))


async def test_slow_handler_blocks_only_its_own_client(live_server: LiveServer) -> None:
    async with connect(live_server) as waiting, connect(live_server) as other:
        await waiting.send({"id": 1, "handler": "gate.wait", "args": []})
        await waiting.send({"id": 2, "handler": "counter.increment", "args": []})
        # The other client is served while the first one's handler waits ...
        assert (await other.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
        assert waiting.updates == {}
        # ... and the first one's next event waits for its previous one: one at a time, in order.
        await other.call("gate.open")
        assert (await waiting.reply(2))["delta"] == {"counter": {"count": 1}}
    assert list(waiting.updates) == [1, 2]
    assert waiting.updates[1]["delta"] == {"gate": {"passed": 1}}


async def test_each_token_has_its_own_state_and_keeps_it(live_server: LiveServer) -> None:
    token = new_token()
    async with connect(live_server, token) as first, connect(live_server) as other:
        await first.call("counter.increment", 3)
        assert (await other.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
    # A page reload reconnects with the same token: the state is still there.
    async with connect(live_server, token) as again:
        assert (await again.first_state())["counter"]["count"] == 3


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        pytest.param({"id": 99, "handler": "counter.nope", "args": []}, "unknown_handler", id="unknown-handler"),
        pytest.param({"id": 99, "handler": "nope.increment", "args": []}, "unknown_handler", id="unknown-state"),
        pytest.param({"id": 99, "handler": "counter._clicks_ever", "args": []}, "unknown_handler", id="backend-var"),
        pytest.param({"id": 99, "handler": "counter.increment", "args": ["x"]}, "invalid_args", id="wrong-type"),
        pytest.param({"id": 99, "handler": "counter.increment", "args": [1, 2]}, "invalid_args", id="too-many-args"),
        pytest.param({"id": 99, "handler": "counter.set_name", "args": []}, "invalid_args", id="missing-arg"),
        pytest.param({"id": 99, "handler": "counter.increment", "args": {"by": 1}}, "malformed", id="args-not-list"),
        pytest.param({"id": 99, "args": []}, "malformed", id="no-handler"),
        pytest.param({"id": "1", "handler": "counter.increment"}, "malformed", id="id-not-int"),
        pytest.param({"id": 99, "handler": "counter.increment", "extra": 1}, "malformed", id="unknown-field"),
        pytest.param({"id": 99, "handler": "x" * 5000}, "malformed", id="long-handler"),
        pytest.param([1, 2, 3], "malformed", id="not-an-object"),
        pytest.param("increment", "malformed", id="string"),
    ],
)
async def test_bad_event_gets_error_and_changes_nothing(live_server: LiveServer, payload: Any, code: str) -> None:
    async with connect(live_server) as client:
        await client.call("counter.increment", 2)
        await client.send(payload)
        rejected = await client.reply(99) if isinstance(payload, dict) and payload.get("id") == 99 else None
        after = await client.call("counter.increment")
    if rejected is not None:
        assert rejected["error"]["code"] == code
        assert "delta" not in rejected
    assert after["delta"] == {"counter": {"count": 3}}, "the bad event changed nothing and the connection works"


async def test_bad_event_without_id_still_gets_error(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        errors: list[dict[str, Any]] = []
        got = anyio.Event()

        async def on_update(data: dict[str, Any]) -> None:
            errors.append(data)
            got.set()

        client.sio.on("update", on_update)
        await client.send("garbage")
        await got.wait()
    assert errors[0]["error"]["code"] == "malformed"
    assert errors[0].get("id") is None


async def test_failing_handler_is_undone_and_reported(live_server: LiveServer, logged_errors: list[Any]) -> None:
    async with connect(live_server) as client:
        failed = await client.call("flaky.set_then_fail", 7)
        after = await client.call("counter.increment")
    assert failed["error"]["code"] == "handler_error"
    assert "delta" not in failed
    assert after["delta"] == {"counter": {"count": 1}}
    assert [r.getMessage() for r in logged_errors] == ['Event handler "flaky.set_then_fail" raised']
    logged_errors.clear()
    async with connect(live_server) as client:
        assert (await client.first_state())["flaky"] == {"value": 0}


async def test_handler_reads_the_clients_page_headers_cookies_and_address(live_server: LiveServer) -> None:
    headers = {"User-Agent": "pyreact-test/1", "Cookie": "flavour=mint"}
    async with connect(live_server, headers=headers, page="/flaky?year=2026") as client:
        reply = await client.call("visitor.look")
    assert reply["delta"] == {
        "visitor": {
            "page": "/flaky",
            "year": "2026",
            "agent": "pyreact-test/1",
            "cookie": "mint",
            "address": "127.0.0.1",
            "mount": "/ui",
        }
    }


@pytest.mark.parametrize("page", ["reports", "//evil.example/x", 7, "/" + "a" * 3000])
async def test_handler_sees_root_page_when_client_sent_a_bad_one(live_server: LiveServer, page: Any) -> None:
    async with connect(live_server, page=page) as client:
        reply = await client.call("visitor.look")
    assert reply["delta"]["visitor"]["page"] == "/"


async def test_connect_adopts_the_values_the_browser_keeps(live_server: LiveServer) -> None:
    stored = {
        "prefs.theme": "dark",
        "prefs.panel": "three",  # not an int: ignored, the default stands
        "prefs.nope": 1,  # no such var
        "counter.count": 99,  # a var the browser does not keep: never set this way
        "nonsense": {"x": 1},
    }
    async with connect(live_server, storage=stored) as client:
        state = await client.first_state()
    assert (state["prefs"]["theme"], state["prefs"]["panel"], state["counter"]["count"]) == ("dark", 1, 0)


@pytest.mark.parametrize("storage", [None, "dark", ["prefs.theme"], 5])
async def test_connect_with_malformed_storage_still_works(live_server: LiveServer, storage: Any) -> None:
    async with connect(live_server, storage=storage) as client:
        assert (await client.first_state())["prefs"]["theme"] == "light"


@asynccontextmanager
async def raw_connect(server: LiveServer, origin: str | None = None) -> AsyncIterator[RawClient]:
    url = f"ws://{server.host}:{server.port}{SOCKET_PATH}/?EIO=4&transport=websocket"
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as session, session.ws_connect(url, headers=headers) as ws:
        raw = RawClient(ws)
        with anyio.fail_after(5):
            assert (await raw.receive()).startswith("0{")
            await ws.send_str("40" + encode({"token": new_token()}).decode())
            # The connection sends the full state and the connect acknowledgement, in either order.
            first, second = await raw.receive(), await raw.receive()
            assert sorted(frame[:3] for frame in (first, second)) == ["40{", "42["]
            assert '["state",' in first + second
            yield raw


async def test_backend_vars_never_reach_the_wire(live_server: LiveServer) -> None:
    async with raw_connect(live_server, origin=live_server.url) as raw:
        for event_id in range(1, 4):
            await raw.emit("event", {"id": event_id, "handler": "counter.increment", "args": [1]})
            update = await raw.update(event_id)  # the "update" event that answers this id
    assert update["delta"] == {"counter": {"count": 3}}
    assert not [frame for frame in raw.frames if "clicks_ever" in frame]


async def test_oversized_message_is_refused_and_others_keep_working(live_server: LiveServer) -> None:
    async with connect(live_server) as bystander:
        async with raw_connect(live_server) as raw:
            await raw.emit("event", {"id": 1, "handler": "counter.set_name", "args": ["x" * 20_000]})
            with pytest.raises(ConnectionError, match="CLOSE"):
                await raw.receive()
        assert (await bystander.call("counter.increment"))["delta"] == {"counter": {"count": 1}}


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1"])
async def test_foreign_origin_is_refused(live_server: LiveServer, origin: str) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with connect(live_server, headers={"Origin": origin}):
            pass  # pragma: no cover - the connection is refused


async def test_same_origin_is_accepted(live_server: LiveServer) -> None:
    async with connect(live_server, headers={"Origin": live_server.url}) as client:
        assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}


@pytest.mark.parametrize("auth", [None, {}, {"token": "short"}, {"token": "x" * 65}, {"token": "../../etc/passwd/aa"}])
async def test_connect_without_valid_token_is_refused(live_server: LiveServer, auth: Any) -> None:
    async with aiohttp.ClientSession() as session:
        sio = socketio.AsyncClient(http_session=session, reconnection=False)
        reasons: list[Any] = []
        sio.on("connect_error", reasons.append)
        with anyio.fail_after(5), pytest.raises(socketio.exceptions.ConnectionError):
            await sio.connect(live_server.url, socketio_path=SOCKET_PATH, transports=["websocket"], auth=auth)
    assert reasons == [{"message": "Expected auth {token: <16-64 URL-safe characters>}."}]


async def test_actions_follow_the_delta_in_the_update(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        saved = await client.call("actions.saved")
        redirect = await client.call("actions.go_home")
    assert saved["actions"] == [
        {"kind": "toast", "message": "Saved", "level": "success", "duration": 4.0},
        {"kind": "focus", "target": "note"},
    ]
    assert redirect["actions"] == [{"kind": "redirect", "to": "/?from=actions", "replace": False}]
