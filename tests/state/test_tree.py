from __future__ import annotations

from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import StateError
from pyreact_asgi.state import Changes, State, StateTree, detached, initial_state, tracker


class Cart(pr.State):
    items: list[int] = []  # noqa: RUF012 - each client gets a copy
    _visits: int = 0

    @pr.computed
    def total(self) -> int:
        return sum(self.items)


class Summary(pr.State):
    label: str = "cart"

    @pr.computed
    def line(self, cart: Cart) -> str:
        return f"{self.label}: {cart.total}"


@pytest.mark.asyncio
async def test_tree_get_loads_a_state_and_what_its_computed_vars_read() -> None:
    tree = StateTree()
    summary = await tree.get(Summary)
    assert Cart in tree
    assert [type(state) for state in tree.states] == [Summary, Cart]
    assert summary.line == "cart: 0"


@pytest.mark.asyncio
async def test_tree_get_uses_the_loader_once_per_state() -> None:
    loaded: list[type[State]] = []

    async def loader(cls: type[State]) -> State:
        loaded.append(cls)
        return cls()

    tree = StateTree(loader)
    assert await tree.get(Cart) is await tree.get(Cart)
    assert loaded == [Cart]


def test_tree_require_with_a_loader_refuses_an_unloaded_state() -> None:
    async def loader(cls: type[State]) -> State:  # pragma: no cover - require never waits for it
        return cls()

    with pytest.raises(StateError, match=r'State "cart" is used before it was loaded'):
        StateTree(loader).require(Cart)


@pytest.mark.asyncio
async def test_tree_commit_reports_changed_vars_and_the_computed_vars_that_read_them() -> None:
    tree = StateTree()
    cart = await tree.get(Cart)
    summary = await tree.get(Summary)
    cart.items.append(5)
    cart._visits += 1
    changes = await tree.commit()
    assert changes == {Cart: {"items": [5], "_visits": 1, "total": 5}, Summary: {"line": "cart: 5"}}
    assert await tree.commit() == {}
    summary.label = "basket"
    assert await tree.commit() == {Summary: {"label": "basket", "line": "basket: 5"}}


@pytest.mark.asyncio
async def test_tree_commit_sends_a_computed_var_only_when_its_value_changed() -> None:
    tree = StateTree()
    cart = await tree.get(Cart)
    cart.items = [2, 3]
    await tree.commit()
    cart.items = [3, 2]
    assert await tree.commit() == {Cart: {"items": [3, 2]}}


@pytest.mark.asyncio
async def test_tree_rollback_restores_every_loaded_state() -> None:
    tree = StateTree()
    cart = await tree.get(Cart)
    summary = await tree.get(Summary)
    cart.items.append(1)
    summary.label = "changed"
    tree.rollback()
    assert (cart.items, summary.label) == ([], "cart")
    assert await tree.commit() == {}


@pytest.mark.asyncio
async def test_tree_full_makes_the_computed_vars_what_the_client_has() -> None:
    tree = StateTree()
    cart = await tree.get(Cart)
    assert tree.full(cart) == {"items": [], "total": 0}
    assert tracker(cart).cache["total"] == (0, b"\x00")


@pytest.mark.asyncio
async def test_tree_commit_is_not_a_baseline_when_a_computed_var_raises() -> None:
    class Fragile(pr.State):
        count: int = 1

        @pr.computed
        def inverse(self) -> float:
            return 1 / self.count

    tree = StateTree()
    fragile = await tree.get(Fragile)
    fragile.count = 0
    with pytest.raises(ZeroDivisionError):
        await tree.commit()
    tree.rollback()
    assert fragile.count == 1
    assert await tree.commit() == {}


def test_tree_initial_state_holds_public_and_computed_vars_by_state_name() -> None:
    assert initial_state([Cart, Summary]) == {
        "cart": {"items": [], "total": 0},
        "summary": {"label": "cart", "line": "cart: 0"},
    }


class _TreeLink:
    """The runtime's side of a background task, reduced to one tree and no lock."""

    def __init__(self, tree: StateTree, state: type[State]) -> None:
        self.inside = False
        self.router: Any = None
        self.tree = tree
        self.state = state
        self.changes: list[Changes] = []

    async def enter(self) -> State:
        self.inside = True
        return await self.tree.get(self.state)

    async def exit(self, exc: BaseException | None) -> None:
        self.inside = False
        if exc is None:
            self.changes.append(await self.tree.commit())
        else:
            self.tree.rollback()


@pytest.mark.asyncio
async def test_tree_detached_copy_changes_the_live_state_only_inside_its_block() -> None:
    tree = StateTree()
    live = await tree.get(Cart)
    live.items.append(1)
    await tree.commit()
    link = _TreeLink(tree, Cart)
    task_self = detached(live, link)
    assert task_self.items == [1]
    assert task_self.items is not live.items  # a copy, read without the lock
    with pytest.raises(StateError, match=r'changed "Cart.items" outside "async with self:"'):
        task_self.items = [9]
    async with task_self:
        task_self.items.append(2)
    assert live.items == [1, 2]
    assert link.changes == [{Cart: {"items": [1, 2], "total": 3}}]
    assert task_self.items == [1, 2]
    assert task_self.items is not live.items

    async def fail_inside() -> None:
        async with task_self:
            task_self.items.append(3)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await fail_inside()
    assert live.items == [1, 2]
