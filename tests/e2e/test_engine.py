"""The state engine over a real uvicorn: computed vars, substates, pages, streaming, chaining and failures."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from pyreact_asgi._codec import encode
from tests.e2e.apps import starlette_host
from tests.e2e.client import Client, connect
from tests.e2e.engine_app import make_engine_ui
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

WORKSPACE = {
    "workspace": {"title": "Work"},
    "workspace.todos": {"tasks": [], "remaining": 0},
    "workspace.activity": {"lines": [], "last": ""},
    "workspace.chat": {"reply": "", "words": 0},
}


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    ui = make_engine_ui(shared_build_dir, handler_error_message="Sorry, that did not work.")
    with serve(starlette_host(ui, "/ui")) as live:
        yield live


async def test_page_receives_its_states_with_computed_vars(server: LiveServer) -> None:
    async with connect(server, page="/") as client:
        assert await client.first_state() == WORKSPACE
    async with connect(server, page="/elsewhere") as client:
        assert await client.first_state() == {"elsewhere": {"hits": 0}}


async def test_client_without_page_receives_every_state(server: LiveServer) -> None:
    async with connect(server) as client:
        assert await client.first_state() == {
            **WORKSPACE,
            "elsewhere": {"hits": 0},
            "worker": {"steps": 0, "running": False},
        }


async def test_page_is_not_sent_changes_of_states_it_does_not_use(server: LiveServer) -> None:
    async with connect(server, page="/elsewhere") as client:
        assert await client.call("workspace.todos.add", "hidden") == {"id": 1}
        assert (await client.call("elsewhere.hit"))["delta"] == {"elsewhere": {"hits": 1}}
    async with connect(server, client.token, page="/") as again:
        assert (await again.first_state())["workspace.todos"]["remaining"] == 1, "the change was made, not sent"


async def test_computed_var_is_sent_only_when_its_value_changes(server: LiveServer) -> None:
    async with connect(server, page="/") as client:
        added = await client.call("workspace.todos.add", "a")
        assert added["delta"] == {"workspace.todos": {"tasks": [{"title": "a", "done": False}], "remaining": 1}}
        toggled = await client.call("workspace.todos.toggle", 0)
        assert toggled["delta"] == {"workspace.todos": {"tasks": [{"title": "a", "done": True}], "remaining": 0}}
        renamed = await client.call("workspace.todos.rename", 0, "b")
    assert renamed["delta"] == {"workspace.todos": {"tasks": [{"title": "b", "done": True}]}}


async def test_only_changed_vars_go_on_the_wire(server: LiveServer) -> None:
    async with connect(server, page="/") as client:
        for i in range(3):
            await client.call("workspace.todos.add", f"task {i}")
        update = await client.call("workspace.todos.toggle", 1)
    frame = encode(["update", update])
    assert b"secret" not in frame
    assert b"added_ever" not in frame
    assert set(update["delta"]) == {"workspace.todos"}
    assert set(update["delta"]["workspace.todos"]) == {"tasks", "remaining"}


async def test_streamed_reply_reaches_the_client_while_the_handler_runs(server: LiveServer) -> None:
    async with connect(server, page="/") as asker, connect(server, page="/") as releaser:
        await asker.send({"id": 1, "handler": "workspace.chat.ask", "args": ["one two three"]})
        first = await asker.update_at(0)
        assert first == {"id": 1, "delta": {"workspace.chat": {"reply": "one", "words": 1}}, "done": False}
        assert 1 not in asker.updates, "the handler is still running"
        await releaser.call("workspace.chat.next_word")
        assert (await asker.update_at(1))["delta"] == {"workspace.chat": {"reply": "one two", "words": 2}}
        await releaser.call("workspace.chat.next_word")
        assert (await asker.update_at(2))["delta"] == {"workspace.chat": {"reply": "one two three", "words": 3}}
        final = await asker.reply(1)
    # The event the handler yielded last runs after it, on the server, and ends the event.
    answered = "answered 'one two three'"
    assert final == {"id": 1, "delta": {"workspace.activity": {"lines": [answered], "last": answered}}}
    assert [u.get("done", True) for u in asker.received] == [False, False, False, True]


async def test_chained_events_run_on_the_server_in_order(server: LiveServer) -> None:
    async with connect(server, page="/") as client:
        for title in ("a", "b", "c"):
            await client.call("workspace.todos.add", title)
        await client.call("workspace.todos.toggle", 0)
        await client.call("workspace.todos.toggle", 2)
        before = len(client.received)
        final = await client.call("workspace.todos.clear_done")
    chain = client.received[before:]
    assert [u.get("done", True) for u in chain] == [False, False, True]
    assert chain[0]["delta"] == {"workspace.todos": {"tasks": [{"title": "b", "done": False}]}}
    assert final["delta"] == {"workspace.activity": {"lines": ["cleared a", "cleared c"], "last": "cleared c"}}


async def test_failing_handler_undoes_in_place_changes_and_sends_configured_error(
    server: LiveServer, logged_errors: list[logging.LogRecord]
) -> None:
    async with connect(server, page="/") as client:
        await client.call("workspace.todos.add", "keep")
        failed = await client.call("workspace.todos.add_then_fail", "lost")
        after = await client.call("workspace.todos.add", "next")
    assert failed == {"id": 2, "error": {"code": "handler_error", "message": "Sorry, that did not work."}}
    assert after["delta"]["workspace.todos"] == {
        "tasks": [{"title": "keep", "done": False}, {"title": "next", "done": False}],
        "remaining": 2,
    }
    assert [r.getMessage() for r in logged_errors] == ['Event handler "workspace.todos.add_then_fail" raised']
    assert logged_errors[0].exc_info is not None
    assert "disk full" in str(logged_errors[0].exc_info[1])
    logged_errors.clear()


async def test_expose_errors_sends_the_exception_without_traceback(
    shared_build_dir: Path, logged_errors: list[logging.LogRecord]
) -> None:
    ui = make_engine_ui(shared_build_dir, expose_errors=True)
    with serve(starlette_host(ui, "/ui")) as live:
        async with connect(live, page="/") as client:
            failed = await client.call("workspace.todos.add_then_fail", "x")
    assert failed["error"]["message"] == "The event failed on the server. RuntimeError: disk full"
    assert "Traceback" not in failed["error"]["message"]
    logged_errors.clear()


async def test_background_task_runs_beside_the_clients_events_and_survives_a_disconnect(server: LiveServer) -> None:
    async with connect(server, page="/worker") as client:
        assert await client.call("worker.run", 3) == {"id": 1}  # acknowledged at once
        assert (await client.push_at(0))["delta"] == {"worker": {"running": True}}
        # The task waits for a ticket without holding the lock: the client's own events go on.
        assert (await client.call("worker.ticket")) == {"id": 2}
        assert (await client.push_at(1))["delta"] == {"worker": {"steps": 1}}
        token = client.token
    # The tab is gone; the task goes on with a ticket from another client.
    async with connect(server, page="/worker") as helper:
        await helper.call("worker.ticket")
    async with connect(server, token, page="/worker") as again:
        # The step is in the state the tab gets on reconnect, or (if the task takes the lock after that) pushed.
        await _steps_reach(again, 2)
        # A second tab of the same client: both receive what the task does from now on.
        async with connect(server, token, page="/worker") as twin:
            await twin.first_state()
            await again.call("worker.ticket")
            for tab in (again, twin):
                await _steps_reach(tab, 3)
                finished = await tab.push_where(lambda update: bool(update.get("actions")))
                assert finished["actions"][0]["message"] == "Worker finished"


async def _steps_reach(tab: Client, steps: int) -> None:
    if (await tab.first_state())["worker"]["steps"] < steps:
        await tab.push_where(lambda update: update.get("delta", {}).get("worker", {}).get("steps") == steps)
