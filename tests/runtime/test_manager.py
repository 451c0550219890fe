from __future__ import annotations

import anyio
import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime.manager import MemoryStateManager

pytestmark = pytest.mark.asyncio


class Cart(pr.State):
    items: int = 0


async def test_manager_keeps_state_per_token() -> None:
    manager = MemoryStateManager(ttl=60)
    async with manager.session("token-a") as states:
        states["cart"] = Cart()
        states["cart"].items = 3
    async with manager.session("token-a") as states:
        assert states["cart"].items == 3  # type: ignore[attr-defined]
    async with manager.session("token-b") as states:
        assert states == {}
    assert len(manager) == 2


async def test_manager_drops_state_after_ttl() -> None:
    manager = MemoryStateManager(ttl=1e-9)  # every entry is older than this by the next call
    async with manager.session("old") as states:
        states["cart"] = Cart()
    async with manager.session("new"):
        pass
    assert len(manager) == 1
    async with manager.session("old") as states:
        assert states == {}


async def test_manager_does_not_drop_a_state_in_use() -> None:
    manager = MemoryStateManager(ttl=1e-9)
    async with manager.session("busy") as busy:
        busy["cart"] = Cart()
        async with manager.session("other"):
            pass
        assert len(manager) == 2
    assert busy["cart"].items == 0  # type: ignore[attr-defined]


async def test_manager_orders_sessions_of_one_token() -> None:
    manager = MemoryStateManager(ttl=60)
    log: list[str] = []
    first_inside = anyio.Event()

    async def first() -> None:
        async with manager.session("shared"):
            log.append("first in")
            first_inside.set()
            await anyio.lowlevel.checkpoint()
            log.append("first out")

    async def second() -> None:
        await first_inside.wait()
        async with manager.session("shared"):
            log.append("second in")

    async with anyio.create_task_group() as tg:
        tg.start_soon(first)
        tg.start_soon(second)
    assert log == ["first in", "first out", "second in"]
