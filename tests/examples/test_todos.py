"""examples/todos.py: substates, lists changed in place, computed vars, actions."""

from __future__ import annotations

import pytest

from examples.todos import Board, Tasks, ui
from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app() -> PyApp:
    return ui


async def test_todos_add_toggle_remove(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    assert tab.vars(Board) == {"name": "My tasks"}
    for title in ("milk", "eggs", "bread"):
        await tab.call(Tasks.set_draft, title)
        reply = await tab.call(Tasks.add)
        assert [a["kind"] for a in reply.actions] == ["focus"]
    assert [t["title"] for t in tab.vars(Tasks)["items"]] == ["milk", "eggs", "bread"]
    assert tab.vars(Tasks)["summary"] == "3 to do, 0 done"
    await tab.call(Tasks.toggle, 1)
    reply = await tab.call(Tasks.toggle, 0)
    assert reply.delta[Tasks.state_name()]["remaining"] == 1
    assert tab.vars(Tasks)["summary"] == "1 to do, 2 done"
    await tab.call(Tasks.clear_done)
    assert [t["title"] for t in tab.vars(Tasks)["items"]] == ["bread"]
    await tab.call(Tasks.remove, 0)
    await tab.call(Tasks.remove, 5)  # out of range: ignored
    assert tab.vars(Tasks)["items"] == []
    assert tab.vars(Tasks)["remaining"] == 0


async def test_todos_empty_draft_warns(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    reply = await tab.call(Tasks.add)
    assert [a["kind"] for a in reply.actions] == ["toast"]
    assert reply.actions[0]["message"] == "Type a task first"
    assert tab.vars(Tasks)["items"] == []
