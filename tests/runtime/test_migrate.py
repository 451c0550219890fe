"""MemoryStateManager.migrate: a hot reload moves each client's states to the new classes, by name and type."""

from __future__ import annotations

import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.state.tracking import tracker

pytestmark = pytest.mark.asyncio


def _classes() -> tuple[type[pr.State], type[pr.State], type[pr.State]]:
    class Form(pr.State, name="migrate_form"):
        count: int = 0
        label: str = ""
        gone: int = 0

    old = Form

    class Form(pr.State, name="migrate_form"):  # type: ignore[no-redef]  # the reloaded module's class
        count: str = "none"  # its type changed: back to the default
        label: str = ""  # kept
        added: int = 7  # new: its default

    class Other(pr.State, name="migrate_other"):
        value: int = 0

    return old, Form, Other


async def test_migrate_keeps_vars_whose_name_and_type_remain() -> None:
    old, new, other = _classes()
    manager = MemoryStateManager(60)
    async with manager.lock("token"):
        state = old()
        state.count, state.label, state.gone = 5, "kept", 3
        tracker(state).commit()
        await manager.store("token", [state, other()])
    manager.migrate({"migrate_form": new})
    async with manager.lock("token"):
        moved = await manager.load("token", new)
        assert await manager.load("token", old) is None
        assert await manager.load("token", other) is None, "a state no longer in the app is dropped"
    assert moved is not None
    assert tracker(moved).values == {"count": "none", "label": "kept", "added": 7}
    assert tracker(moved).changes() == {}, "the moved values are the baseline, not changes to send"
