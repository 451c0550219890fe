"""examples/todos.py: substates, lists changed in place, computed vars, actions."""

from __future__ import annotations

from types import ModuleType

import pytest

from pyreact_asgi.testing import AppClient

pytestmark = pytest.mark.asyncio


async def test_todos_add_toggle_remove(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    assert tab.vars(example.Board) == {"name": "My tasks"}
    for title in ("milk", "eggs", "bread"):
        await tab.call(example.Tasks.set_draft, title)
        reply = await tab.call(example.Tasks.add)
        assert [a["kind"] for a in reply.actions] == ["focus"]
    assert [t["title"] for t in tab.vars(example.Tasks)["items"]] == ["milk", "eggs", "bread"]
    assert tab.vars(example.Tasks)["summary"] == "3 to do, 0 done"
    await tab.call(example.Tasks.toggle, 1)
    reply = await tab.call(example.Tasks.toggle, 0)
    assert reply.delta[example.Tasks.state_name()]["remaining"] == 1
    assert tab.vars(example.Tasks)["summary"] == "1 to do, 2 done"
    await tab.call(example.Tasks.clear_done)
    assert [t["title"] for t in tab.vars(example.Tasks)["items"]] == ["bread"]
    await tab.call(example.Tasks.remove, 0)
    await tab.call(example.Tasks.remove, 5)  # out of range: ignored
    assert tab.vars(example.Tasks)["items"] == []
    assert tab.vars(example.Tasks)["remaining"] == 0


async def test_todos_empty_draft_warns(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    reply = await tab.call(example.Tasks.add)
    assert [a["kind"] for a in reply.actions] == ["toast"]
    assert reply.actions[0]["message"] == "Type a task first"
    assert tab.vars(example.Tasks)["items"] == []
