from __future__ import annotations

from typing import Any

import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import tracker
from pyreact_asgi.state.computed import ComputedVar
from pyreact_asgi.state.tree import StateTree, initial_state
from pyreact_asgi.state.vars import StateVar


class Item(msgspec.Struct):
    text: str
    done: bool = False


class Todo(pr.State):
    items: list[Item] = []  # noqa: RUF012
    filter: str = "all"

    @pr.computed
    def remaining(self) -> int:
        """Items not done yet."""
        Todo._calls += 1
        return sum(not item.done for item in self.items)

    @pr.computed
    def summary(self) -> str:
        return f"{self.remaining} left"

    @pr.computed
    def _hidden(self) -> int:
        return len(self.items) * 2

    _calls = 0  # class attribute, not a var: how often `remaining` ran


class Prices(pr.State):
    unit: int = 3


class Cart(pr.State):
    count: int = 0

    @pr.computed
    def total(self, prices: Prices) -> int:
        return self.count * prices.unit


async def commit(tree: StateTree, dependents: dict[type[pr.State], tuple[type[pr.State], ...]] | None = None) -> Any:
    deps = dependents or {}
    changes = await tree.commit(lambda cls: deps.get(cls, ()))
    return {cls.__name__: values for cls, values in changes.items()}


def test_computed_on_the_class_is_a_var_for_pages() -> None:
    var = Todo.remaining
    assert isinstance(var, StateVar)
    assert var.js == "v.todo.remaining"
    assert not var.backend
    assert Todo._hidden.backend


def test_computed_type_comes_from_the_return_annotation() -> None:
    computed = Todo.computed_vars()
    assert isinstance(computed["remaining"], ComputedVar)
    assert computed["remaining"].return_type() is int
    assert computed["summary"].return_type() is str
    assert computed["remaining"].__doc__ == "Items not done yet."


def test_computed_is_not_a_var_and_has_no_setter() -> None:
    assert "remaining" not in Todo.var_types()
    assert "set_remaining" not in Todo.handlers()


def test_computed_on_an_instance_is_its_value() -> None:
    todo = Todo()
    todo.items.append(Item("a"))
    todo.items.append(Item("b", done=True))
    assert (todo.remaining, todo.summary, todo._hidden) == (1, "1 left", 4)


def test_computed_cannot_be_assigned() -> None:
    with pytest.raises(
        AttributeError, match=r'"Todo.remaining" is a computed var; assign the vars it is computed from'
    ):
        Todo().remaining = 3


def test_computed_reads_another_state_through_a_parameter() -> None:
    cart = Cart()
    cart.count = 2
    assert cart.total == 6
    assert Cart.computed_vars()["total"].param_states() == (Prices,)


def test_computed_full_state_includes_public_computed_only() -> None:
    tree = StateTree()
    assert tree.full(tree.require(Todo)) == {"items": [], "filter": "all", "remaining": 0, "summary": "0 left"}


def test_computed_initial_state_is_computed_from_defaults() -> None:
    assert initial_state([Cart]) == {"cart": {"count": 0, "total": 0}}


def test_computed_is_in_the_compiled_initial_state() -> None:
    compiled = compile_app({"/": lambda: pr.text(Cart.total)})
    assert compiled.initial == {"cart": {"count": 0, "total": 0}}
    assert '"total":0' in compiled.module("runtime.js")


def test_computed_that_raises_on_defaults_is_a_config_error() -> None:
    class Broken(pr.State):
        count: int = 0

        @pr.computed
        def ratio(self) -> float:
            return 1 / self.count

    with pytest.raises(ConfigError, match=r"A computed var of Broken raised on the default values: ZeroDivisionError"):
        compile_app({"/": lambda: pr.text(Broken.ratio)})


@pytest.mark.parametrize(
    "source",
    [
        "async def f(self) -> int: return 1",
        "def f(self):\n    yield 1",
    ],
    ids=["async", "generator"],
)
def test_computed_must_be_a_plain_function(source: str) -> None:
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    with pytest.raises(ConfigError, match=r'Expected computed var "f" to be a plain function'):
        pr.computed(namespace["f"])


def test_computed_parameter_must_be_a_state() -> None:
    class Bad(pr.State):
        @pr.computed
        def total(self, count: int) -> int:
            return count

    with pytest.raises(
        ConfigError, match=r"Expected parameter 'count' of computed var \".*Bad.total\" to be annotated with a State"
    ):
        Bad.computed_vars()["total"].param_states()


def test_computed_parameter_with_default_is_rejected() -> None:
    def total(self: Any, prices: Prices = None) -> int:  # type: ignore[assignment]
        return 0

    with pytest.raises(ConfigError, match=r"'prices' is not a plain parameter"):
        pr.computed(total)


def test_computed_decorator_rejects_non_callable() -> None:
    with pytest.raises(ConfigError, match=r"Expected @pr.computed on a function, but got 3"):
        pr.computed(3)  # type: ignore[arg-type]


def test_computed_and_var_of_one_name_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r'"Clash.value" is both an annotated var and a computed var'):

        class Clash(pr.State):
            value: int = pr.computed(lambda self: 1)


# --- recomputed only when a var it read changed, sent only when its value changed ----------------------


@pytest.mark.asyncio
async def test_computed_is_sent_when_a_var_it_reads_changes() -> None:
    tree = StateTree()
    todo = tree.require(Todo)
    tree.full(todo)
    todo.items.append(Item("a"))
    assert await commit(tree) == {"Todo": {"items": [Item("a")], "remaining": 1, "summary": "1 left", "_hidden": 2}}


@pytest.mark.asyncio
async def test_computed_is_not_recomputed_when_other_vars_change() -> None:
    tree = StateTree()
    todo = tree.require(Todo)
    tree.full(todo)
    before = Todo._calls
    todo.filter = "done"
    assert await commit(tree) == {"Todo": {"filter": "done"}}
    assert Todo._calls == before


@pytest.mark.asyncio
async def test_computed_is_not_sent_when_its_value_is_unchanged() -> None:
    tree = StateTree()
    todo = tree.require(Todo)
    todo.items.append(Item("a", done=True))
    tree.full(todo)
    before = Todo._calls
    todo.items[0].text = "renamed"  # `remaining` reads items, so it runs again, but its value is still 0
    assert await commit(tree) == {"Todo": {"items": [Item("renamed", done=True)]}}
    assert Todo._calls > before


@pytest.mark.asyncio
async def test_computed_dependencies_are_tracked_again_at_each_run() -> None:
    class Switch(pr.State):
        use_a: bool = True
        a: int = 1
        b: int = 2

        @pr.computed
        def value(self) -> int:
            return self.a if self.use_a else self.b

    tree = StateTree()
    switch = tree.require(Switch)
    tree.full(switch)
    switch.b = 20
    assert await commit(tree) == {"Switch": {"b": 20}}, "b was not read, so value did not run"
    switch.use_a = False
    assert await commit(tree) == {"Switch": {"use_a": False, "value": 20}}
    switch.a = 10
    assert await commit(tree) == {"Switch": {"a": 10}}, "a is no longer read"
    switch.b = 30
    assert await commit(tree) == {"Switch": {"b": 30, "value": 30}}


@pytest.mark.asyncio
async def test_computed_of_another_state_is_sent_when_that_state_changes() -> None:
    tree = StateTree()
    cart = tree.require(Cart)
    tree.full(cart)
    tree.require(Prices).unit = 5
    cart.count = 1
    assert await commit(tree) == {"Prices": {"unit": 5}, "Cart": {"count": 1, "total": 5}}


@pytest.mark.asyncio
async def test_computed_dependent_state_is_loaded_when_a_state_it_reads_changes() -> None:
    tree = StateTree()
    prices = await tree.get(Prices)
    prices.unit = 4
    changes = await commit(tree, {Prices: (Cart,)})
    assert changes["Prices"] == {"unit": 4}
    assert Cart in tree


@pytest.mark.asyncio
async def test_computed_that_raises_leaves_the_event_uncommitted() -> None:
    class Fragile(pr.State):
        count: int = 1

        @pr.computed
        def inverse(self) -> float:
            return 1 / self.count

    tree = StateTree()
    fragile = tree.require(Fragile)
    tree.full(fragile)
    fragile.count = 0
    with pytest.raises(ZeroDivisionError):
        await tree.commit()
    tree.rollback()
    assert fragile.count == 1
    assert await commit(tree) == {}


class Totals(pr.State):
    cart_total: int = 0

    @pr.computed
    def doubled(self, cart: Cart) -> Any:
        return cart.total * 2


def test_computed_reads_a_state_whose_computed_vars_start_on_first_use() -> None:
    # Reading Totals.doubled creates Cart (and Prices) on first use; Cart's own computed var starts then.
    totals = Totals()
    assert totals.doubled == 0
    tree = tracker(totals).tree
    assert tree is not None
    assert tracker(tree.require(Cart)).cache["total"] == (0, b"\x00")


def test_computed_with_unresolvable_annotation_is_a_config_error() -> None:
    class Unresolved(pr.State):
        @pr.computed
        def total(self, other: Missing) -> int:  # type: ignore[name-defined]  # noqa: F821
            return 0

    with pytest.raises(ConfigError, match=r'Cannot resolve the annotations of computed var ".*Unresolved.total"'):
        Unresolved.computed_vars()["total"].param_states()
    assert repr(Unresolved.computed_vars()["total"]).startswith("ComputedVar(")
