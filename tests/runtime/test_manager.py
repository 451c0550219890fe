from __future__ import annotations

import anyio
import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime.manager import MemoryStateManager

pytestmark = pytest.mark.asyncio


class Cart(pr.State):
    items: int = 0


class Wishlist(pr.State):
    wanted: list[str] = []  # noqa: RUF012


async def test_manager_keeps_state_per_token() -> None:
    manager = MemoryStateManager(ttl=60)
    async with manager.session("token-a") as tree:
        (await tree.get(Cart)).items = 3
    async with manager.session("token-a") as tree:
        assert (await tree.get(Cart)).items == 3
    async with manager.session("token-b") as tree:
        assert (await tree.get(Cart)).items == 0
    assert len(manager) == 2


async def test_manager_loads_only_the_states_a_session_uses() -> None:
    manager = MemoryStateManager(ttl=60)
    async with manager.session("token") as tree:
        await tree.get(Cart)
    assert await manager.load("token", Cart) is not None
    assert await manager.load("token", Wishlist) is None
    async with manager.session("token") as tree:
        assert [type(s) for s in tree.states] == []
        await tree.get(Wishlist)
        assert [type(s) for s in tree.states] == [Wishlist]


async def test_manager_session_that_raises_undoes_uncommitted_changes() -> None:
    manager = MemoryStateManager(ttl=60)

    async def interrupted() -> None:
        async with manager.session("token") as tree:
            wishlist = await tree.get(Wishlist)
            wishlist.wanted.append("bike")
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        await interrupted()
    async with manager.session("token") as tree:
        assert (await tree.get(Wishlist)).wanted == []


async def test_manager_drops_state_after_ttl() -> None:
    manager = MemoryStateManager(ttl=1e-9)  # every entry is older than this by the next call
    async with manager.session("old") as tree:
        (await tree.get(Cart)).items = 1
    assert manager.sweep() == 1
    assert len(manager) == 0
    assert await manager.load("old", Cart) is None


async def test_manager_does_not_drop_a_state_in_use() -> None:
    manager = MemoryStateManager(ttl=1e-9)
    async with manager.session("busy") as busy:
        cart = await busy.get(Cart)
        async with manager.session("other"):
            pass
        assert manager.sweep() == 1
        assert len(manager) == 1
    assert await manager.load("busy", Cart) is cart


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
