from __future__ import annotations

import anyio
import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime import manager as manager_module
from pyreact_asgi.runtime.manager import MemoryStateManager, state_size
from pyreact_asgi.state import tracker

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


class Notes(pr.State):
    text: str = ""


async def _store(manager: MemoryStateManager, token: str, text: str = "") -> None:
    async with manager.session(token) as tree:
        notes = await tree.get(Notes)
        notes.text = text
        manager.check(token, tree)
        await tree.commit()


async def test_manager_drops_the_longest_idle_client_past_max_clients() -> None:
    manager = MemoryStateManager(ttl=60, max_clients=3)
    for token in ("a", "b", "c"):
        await _store(manager, token)
    async with manager.session("a"):  # "a" used again: "b" is now the longest idle
        pass
    await _store(manager, "d")
    assert (len(manager), await manager.load("b", Notes)) == (3, None)
    assert await manager.load("a", Notes) is not None


async def test_manager_never_drops_a_connected_client() -> None:
    manager = MemoryStateManager(ttl=1e-9, max_clients=2)
    manager.connect("kept")
    await _store(manager, "kept", "mine")
    for token in ("x", "y", "z"):
        await _store(manager, token)
    assert manager.sweep() == 1  # "z"; "kept" stays however long it is idle
    assert (await manager.load("kept", Notes)) is not None
    manager.disconnect("kept")
    assert manager.sweep() == 1
    assert len(manager) == 0


async def test_manager_refuses_a_new_client_when_every_one_is_connected() -> None:
    manager = MemoryStateManager(ttl=60, max_clients=2)
    manager.connect("a")
    manager.connect("b")
    with pytest.raises(pr.LimitError, match=r"Expected at most 2 clients") as refused:
        manager.connect("c")
    assert refused.value.code == "too_many_clients"
    assert len(manager) == 2


async def test_manager_refuses_a_state_past_max_state_bytes() -> None:
    manager = MemoryStateManager(ttl=60, max_state_bytes=1000)
    await _store(manager, "t", "x" * 500)
    with pytest.raises(pr.LimitError, match=r"within 1000 bytes, but the event would make it 1\d\d\d") as refused:
        await _store(manager, "t", "x" * 1000)
    assert refused.value.code == "too_large"
    assert (await manager.load("t", Notes)).text == "x" * 500  # type: ignore[union-attr]


async def test_manager_counts_every_state_of_a_client_toward_max_state_bytes() -> None:
    manager = MemoryStateManager(ttl=60, max_state_bytes=1000)
    await _store(manager, "t", "x" * 600)
    async with manager.session("t") as tree:
        (await tree.get(Wishlist)).wanted = ["y" * 600]  # Notes is not loaded, and still counts
        with pytest.raises(pr.LimitError):
            manager.check("t", tree)


async def test_manager_drops_the_longest_idle_past_max_total_state_bytes() -> None:
    manager = MemoryStateManager(ttl=60, max_total_state_bytes=2500)
    for token in ("a", "b", "c"):
        await _store(manager, token, "x" * 1000)
    assert len(manager) == 2
    assert await manager.load("a", Notes) is None
    assert manager.total_bytes <= 2500


async def test_manager_sweeper_runs_until_cancelled() -> None:
    manager = MemoryStateManager(ttl=1e-9, sweep_interval=0.01)
    await _store(manager, "gone")
    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(manager.run_sweeper)
            while len(manager):  # noqa: ASYNC110 - the sweep has no event to await
                await anyio.sleep(0.01)
            group.cancel_scope.cancel()


class Log(pr.State):
    lines: list[str] = [f"line {i:04d}" for i in range(300)]  # noqa: RUF012 - about 3 KB: past the estimate's floor
    count: int = 0


async def _grow(manager: MemoryStateManager, line: str, at: int | None = None) -> None:
    async with manager.session("t") as tree:
        log = await tree.get(Log)
        log.count += 1
        if at is None:
            log.lines.append(line)
        else:
            log.lines[at] = line
        manager.check("t", tree)
        await tree.commit()


async def test_manager_bounds_in_place_changes_without_encoding_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    measured: list[type[pr.State]] = []

    def counted(state: pr.State) -> int:
        measured.append(type(state))
        return state_size(state)

    monkeypatch.setattr(manager_module, "state_size", counted)
    manager = MemoryStateManager(ttl=60, max_state_bytes=100_000)
    manager.connect("t")
    await _grow(manager, "first")
    for i in range(40):
        await _grow(manager, f"line {i + 1000:04d}", at=i)  # the same size: only the upper bound grows
    assert len(measured) <= 3, "encoded when first loaded, then bounded by the patch ops"
    state = await manager.load("t", Log)
    assert state is not None
    exact = state_size(state)
    assert exact <= manager.total_bytes <= exact * 1.25, "an upper bound, within a quarter"


async def test_manager_refuses_in_place_growth_past_max_state_bytes() -> None:
    manager = MemoryStateManager(ttl=60, max_state_bytes=4000)
    manager.connect("t")
    await _grow(manager, "start")
    size = manager.total_bytes
    added = 0
    refused: pr.LimitError | None = None
    while refused is None:
        try:
            await _grow(manager, "x" * 40)  # appended in place: a patch op each event
        except pr.LimitError as exc:
            refused = exc
        else:
            added += 1
    assert refused.code == "too_large"
    assert "within 4000 bytes" in str(refused)
    state = await manager.load("t", Log)
    assert state is not None
    kept = tracker(state).values
    assert len(kept["lines"]) == 301 + added, "the refused append was undone"
    # The limit held against the exact size: refused only when the append would truly have crossed it.
    assert size + 42 * added <= 4000 < size + 42 * (added + 1) + 64
