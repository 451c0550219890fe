"""Lists, dicts and sets of a state record their own changes: what changed, its patch, and how to undo it."""

from __future__ import annotations

import copy
import pickle
import random
from collections.abc import Callable
from typing import Any

import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi._contract import PATCH_APPEND, PATCH_DEL, PATCH_PREFIX, PATCH_SET, PATCH_TRUNCATE
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.state import StateTree, tracker
from pyreact_asgi.state.containers import TrackedDict, TrackedList
from pyreact_asgi.state.patches import PatchError, apply_delta, apply_patch, merge_delta
from pyreact_asgi.state.testing import commit, rollback, take_delta
from pyreact_asgi.state.tracking import MIN_PATCH_ITEMS

BIG = [f"item {i}" for i in range(40)]


class Spot(msgspec.Struct):
    x: int = 0


class Shelf(pr.State):
    items: list[Any] = list(BIG)  # noqa: RUF012
    small: list[int] = [1, 2, 3]  # noqa: RUF012
    table: dict[str, Any] = {f"k{i}": i for i in range(40)}  # noqa: RUF012
    tags: set[str] = {"a", "b"}  # noqa: RUF012
    nested: dict[str, list[dict[str, int]]] = {"rows": [{"v": 1}, {"v": 2}]}  # noqa: RUF012
    spots: list[Spot] = []  # noqa: RUF012
    count: int = 0

    @pr.computed
    def total(self) -> int:
        return len(self.items) + len(self.nested["rows"])


def _plain(value: Any) -> Any:
    # What a client holds: the value as JSON gives it back.
    return msgspec.json.decode(msgspec.json.encode(value))


LIST_CHANGES: dict[str, Callable[[list[Any]], object]] = {
    "setitem": lambda v: v.__setitem__(3, "x"),
    "setitem-negative": lambda v: v.__setitem__(-1, "x"),
    "setitem-slice": lambda v: v.__setitem__(slice(1, 3), ["a", "b", "c"]),
    "delitem": lambda v: v.__delitem__(5),
    "delitem-last": lambda v: v.__delitem__(-1),
    "delitem-slice": lambda v: v.__delitem__(slice(0, 10, 2)),
    "append": lambda v: v.append("new"),
    "extend": lambda v: v.extend(["n1", "n2"]),
    "iadd": lambda v: v.__iadd__(["n1"]),
    "imul": lambda v: v.__imul__(2),
    "insert": lambda v: v.insert(2, "ins"),
    "insert-end": lambda v: v.insert(100, "ins"),
    "pop": lambda v: v.pop(),
    "pop-middle": lambda v: v.pop(4),
    "remove": lambda v: v.remove("item 7"),
    "clear": lambda v: v.clear(),
    "sort": lambda v: v.sort(reverse=True),
    "reverse": lambda v: v.reverse(),
}
DICT_CHANGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "setitem-new": lambda d: d.__setitem__("new", 1),
    "setitem-existing": lambda d: d.__setitem__("k3", "x"),
    "delitem": lambda d: d.__delitem__("k3"),
    "delitem-last": lambda d: d.__delitem__("k39"),
    "update": lambda d: d.update({"k1": 9, "z": 2}, y=3),
    "ior": lambda d: d.__ior__({"k1": 9}),
    "pop": lambda d: d.pop("k5"),
    "popitem": lambda d: d.popitem(),
    "setdefault": lambda d: d.setdefault("fresh", [1]),
    "clear": lambda d: d.clear(),
}
SET_CHANGES: dict[str, Callable[[set[str]], object]] = {
    "add": lambda s: s.add("c"),
    "discard": lambda s: s.discard("a"),
    "remove": lambda s: s.remove("a"),
    "pop": lambda s: s.pop(),
    "clear": lambda s: s.clear(),
    "update": lambda s: s.update({"x", "y"}),
    "difference_update": lambda s: s.difference_update({"a"}),
    "intersection_update": lambda s: s.intersection_update({"a"}),
    "symmetric_difference_update": lambda s: s.symmetric_difference_update({"a", "z"}),
    "ior": lambda s: s.__ior__({"q"}),
    "iand": lambda s: s.__iand__({"b"}),
    "isub": lambda s: s.__isub__({"b"}),
    "ixor": lambda s: s.__ixor__({"b", "w"}),
}
CHANGES: list[tuple[str, str, Callable[[Any], object]]] = [("items", n, c) for n, c in LIST_CHANGES.items()]
CHANGES += [("table", name, change) for name, change in DICT_CHANGES.items()]
CHANGES += [("tags", name, change) for name, change in SET_CHANGES.items()]


@pytest.mark.parametrize(("var", "change"), [(v, c) for v, _, c in CHANGES], ids=[f"{v}-{n}" for v, n, _ in CHANGES])
def test_containers_every_change_is_found_and_undone(var: str, change: Callable[[Any], object]) -> None:
    shelf = Shelf()
    before = copy.deepcopy(getattr(shelf, var))
    expected = copy.deepcopy(before)
    change(expected)  # the same change on a plain container: what the state must hold after it
    change(getattr(shelf, var))
    assert getattr(shelf, var) == expected
    assert list(tracker(shelf).changes()) == [var]
    rollback(shelf)
    assert getattr(shelf, var) == before
    if not isinstance(before, set):  # a set has no order to restore: its iteration order follows the hash seed
        assert list(getattr(shelf, var)) == list(before), "the order is restored too"
    assert take_delta(shelf) == {}


@pytest.mark.parametrize(("var", "change"), [(v, c) for v, _, c in CHANGES], ids=[f"{v}-{n}" for v, n, _ in CHANGES])
def test_containers_patch_gives_the_value(var: str, change: Callable[[Any], object]) -> None:
    shelf = Shelf()
    client = _plain(getattr(shelf, var))
    change(getattr(shelf, var))
    ops = tracker(shelf).patch(var)
    now = _plain(getattr(shelf, var))
    if ops is not None:
        assert apply_patch(client, _plain(ops)) == now
    assert var != "tags" or ops is None, "a set is always sent whole"


def test_containers_reading_is_no_change_and_costs_no_snapshot() -> None:
    shelf = Shelf()
    commit(shelf)
    assert shelf.items[0] == "item 0"
    assert shelf.nested["rows"][1]["v"] == 2
    assert sum(1 for _ in shelf.table.items()) == 40
    record = tracker(shelf)
    assert record.unchanged()
    assert record.snapshots == {}
    assert isinstance(shelf.items, TrackedList)
    assert isinstance(shelf.nested["rows"][0], TrackedDict)
    assert take_delta(shelf) == {}


def test_containers_nested_change_marks_the_var_and_is_undone() -> None:
    shelf = Shelf()
    commit(shelf)
    shelf.nested["rows"][0]["v"] = 10
    shelf.nested["rows"].append({"v": 3})
    record = tracker(shelf)
    assert list(record.changes()) == ["nested"]
    assert record.patch("nested") is None, "nested changes are sent whole"
    rollback(shelf)
    assert shelf.nested == {"rows": [{"v": 1}, {"v": 2}]}
    assert take_delta(shelf) == {}


def test_containers_container_put_in_is_tracked_from_the_next_read() -> None:
    shelf = Shelf()
    row: dict[str, int] = {"v": 5}
    shelf.nested["rows"].append(row)
    row["v"] = 6  # the handler still holds it: the change is part of the value sent
    assert take_delta(shelf)["nested"] == {"rows": [{"v": 1}, {"v": 2}, {"v": 6}]}
    shelf.nested["rows"][2]["v"] = 7  # adopted at this read: a tracked copy
    assert isinstance(shelf.nested["rows"][2], TrackedDict)
    assert take_delta(shelf)["nested"]["rows"][2] == {"v": 7}


def test_containers_augmented_assignment_is_a_change_in_place() -> None:
    shelf = Shelf()
    commit(shelf)
    items = shelf.items
    shelf.items += ["x", "y"]
    assert shelf.items is items
    assert tracker(shelf).patch("items") == [[PATCH_APPEND, "x", "y"]]
    rollback(shelf)
    assert shelf.items == BIG


def test_containers_small_or_large_changes_are_sent_whole() -> None:
    shelf = Shelf()
    shelf.small.append(4)
    assert len(shelf.small) < MIN_PATCH_ITEMS
    assert tracker(shelf).patch("small") is None
    for i in range(15):
        shelf.items[i] = i
    assert tracker(shelf).patch("items") is None, "15 of 40 items changed: more than a quarter"
    commit(shelf)
    shelf.items[0] = "a"
    shelf.items.pop()
    shelf.items.append("b")
    assert tracker(shelf).patch("items") == [[PATCH_SET, 0, "a"], [PATCH_TRUNCATE, 39], [PATCH_APPEND, "b"]]


def test_containers_reassigned_var_is_sent_whole_and_restored() -> None:
    shelf = Shelf()
    old = shelf.items
    old.append("a")
    shelf.items = ["fresh"]
    old.append("b")  # the old value still belongs to the last commit: undone too
    assert tracker(shelf).patch("items") is None
    assert take_delta(shelf)["items"] == ["fresh"]
    shelf.items.append("c")
    rollback(shelf)
    assert shelf.items == ["fresh"]


def test_containers_rollback_after_reassign_restores_old_contents() -> None:
    shelf = Shelf()
    old = shelf.items
    old[0] = "changed"
    shelf.items = []
    old.append("more")
    rollback(shelf)
    assert shelf.items == BIG
    assert shelf.items is old


def test_containers_many_changes_keep_one_copy_and_undo_exactly() -> None:
    shelf = Shelf()
    rng = random.Random(7)
    for i in range(5000):
        shelf.items[rng.randrange(40)] = i
    record = tracker(shelf)
    (entry,) = record.undo.values()
    assert entry[1] is None, "past a few steps, one copy of the content replaces the undo steps"
    assert record.touched["items"] is None, "more ops than items: sent whole"
    rollback(shelf)
    assert shelf.items == BIG


def test_containers_struct_values_are_compared_by_encoding() -> None:
    shelf = Shelf()
    shelf.spots = [Spot(1)]
    commit(shelf)
    shelf.spots[0].x = 5  # a Struct cannot tell: the list is snapshot at this read and compared at the commit
    assert take_delta(shelf) == {"spots": [Spot(5)]}
    shelf.spots[0].x = 6
    rollback(shelf)
    assert shelf.spots == [Spot(5)]


def test_containers_struct_put_in_a_tracked_list_is_compared_from_then_on() -> None:
    shelf = Shelf()
    shelf.items.append(Spot(1))
    commit(shelf)
    spot = shelf.items[-1]  # the list now holds what cannot tell it changed: compared by its encoding
    spot.x = 2
    assert shelf.items[-1] == Spot(2)
    assert take_delta(shelf) == {"items": [*BIG, Spot(2)]}
    shelf.items[-1].x = 3
    shelf.items[0] = "changed"
    rollback(shelf)
    # Restored from its encoding with the var's annotation, list[Any]: the Struct's fields as a dict.
    assert shelf.items == [*BIG, {"x": 2}]


def test_containers_copies_are_plain() -> None:
    shelf = Shelf()
    items = shelf.items
    assert type(copy.deepcopy(items)) is list
    assert type(copy.copy(items)) is list
    assert type(pickle.loads(pickle.dumps(items))) is list
    assert type(tracker(shelf).copy().values["nested"]["rows"][0]) is dict
    assert msgspec.json.decode(msgspec.json.encode(shelf.nested)) == {"rows": [{"v": 1}, {"v": 2}]}


def test_containers_failed_change_records_nothing() -> None:
    shelf = Shelf()
    commit(shelf)
    with pytest.raises(IndexError):
        shelf.items[99] = "x"
    with pytest.raises(KeyError):
        del shelf.table["missing"]
    with pytest.raises(TypeError):
        shelf.items["a"] = "x"  # type: ignore[call-overload]
    with pytest.raises(TypeError):
        shelf.items.pop("a")  # type: ignore[arg-type]
    assert shelf.table.pop("missing", None) is None
    shelf.small.clear()
    with pytest.raises(IndexError):
        shelf.small.pop()
    record = tracker(shelf)
    assert set(record.changes()) == {"small"}


def _random_list_op(rng: random.Random, value: list[Any]) -> Callable[[list[Any]], object]:
    n = len(value)
    choice = rng.randrange(9)
    item = rng.choice(["s", 1, 2.5, None, True, [1, 2], {"k": "v"}])
    if choice == 0 and n:
        i = rng.randrange(-n, n)
        return lambda v: v.__setitem__(i, item)
    if choice == 1:
        return lambda v: v.append(item)
    if choice == 2:
        items = [item] * rng.randrange(3)
        return lambda v: v.extend(items)
    if choice == 3 and n:
        return lambda v: v.pop()
    if choice == 4 and n:
        i = rng.randrange(n)
        return lambda v: v.pop(i)
    if choice == 5 and n:
        i = rng.randrange(n)
        return lambda v: v.__delitem__(i)
    if choice == 6:
        i = rng.randrange(n + 1)
        return lambda v: v.insert(i, item)
    if choice == 7 and n and rng.random() < 0.2:
        return lambda v: v.sort(key=repr)
    return lambda v: v.__iadd__([item])


def _random_dict_op(rng: random.Random, value: dict[str, Any]) -> Callable[[dict[str, Any]], object]:
    keys = list(value)
    key = rng.choice(keys) if keys and rng.random() < 0.6 else f"n{rng.randrange(100)}"
    item = rng.choice(["s", 3, None, [1], {"x": 1}])
    choice = rng.randrange(5)
    if choice == 0 and key in value:
        return lambda d: d.__delitem__(key)
    if choice == 1 and key in value:
        return lambda d: d.pop(key)
    if choice == 2:
        return lambda d: d.setdefault(key, item)
    return lambda d: d.__setitem__(key, item)


@pytest.mark.parametrize("seed", range(40))
def test_containers_random_changes_patch_and_undo_like_plain_containers(seed: int) -> None:
    rng = random.Random(seed)
    shelf = Shelf()
    for _ in range(30):  # events
        client = {"items": _plain(shelf.items), "table": _plain(shelf.table)}
        before = copy.deepcopy(client)
        plain_items, plain_table = copy.deepcopy(shelf.items), copy.deepcopy(shelf.table)
        for _ in range(rng.randrange(1, 6)):
            op = _random_list_op(rng, plain_items)
            op(plain_items)
            op(shelf.items)
            dop = _random_dict_op(rng, plain_table)
            dop(plain_table)
            dop(shelf.table)
        assert shelf.items == plain_items
        assert shelf.table == plain_table
        if rng.random() < 0.25:
            rollback(shelf)
            assert _plain(shelf.items) == before["items"]
            assert list(_plain(shelf.table).items()) == list(before["table"].items())
            continue
        record = tracker(shelf)
        delta = {
            (PATCH_PREFIX + name if (ops := record.patch(name)) is not None else name): ops or value
            for name, value in record.changes().items()
        }
        commit(shelf)
        apply_delta({"shelf": client}, {"shelf": _plain(delta)})
        assert client == {"items": _plain(shelf.items), "table": _plain(shelf.table)}


def test_containers_var_assigned_another_vars_container_gets_its_own() -> None:
    shelf = Shelf()
    shelf.small = shelf.items  # the same list in two vars: each var tracks a copy of its own from the next read
    commit(shelf)
    shelf.small.append(-1)
    assert list(tracker(shelf).changes()) == ["small"]
    assert shelf.items == BIG


def test_containers_patch_of_integer_keys_names_the_json_keys() -> None:
    assert apply_patch({"1": "a", "2": "b"}, [[PATCH_SET, 1, "x"], [PATCH_DEL, 2]]) == {"1": "x"}


def test_containers_patch_that_does_not_fit_is_refused() -> None:
    with pytest.raises(PatchError, match="Expected a patch op"):
        apply_patch([1, 2], [[PATCH_SET, 5, "x"]])
    with pytest.raises(PatchError, match="Expected a patch op"):
        apply_patch({"a": 1}, [[PATCH_DEL, "b"]])
    with pytest.raises(PatchError, match="Expected a patch op"):
        apply_patch([1], [[99, 0]])
    with pytest.raises(PatchError, match="Expected a list or a dict"):
        apply_patch("text", [[PATCH_APPEND, 1]])
    with pytest.raises(PatchError, match="Expected a list of patch ops"):
        apply_patch([1], {"op": 1})


@pytest.mark.asyncio
async def test_containers_engine_sends_a_patch_and_recomputes_what_reads_the_var() -> None:
    engine = Engine({"shelf": Shelf})
    tree = StateTree()
    shelf = await tree.get(Shelf)
    await engine.commit(tree)
    shelf.items.append("one more")
    shelf.items[0] = "first"
    delta = await engine.commit(tree)
    assert delta == {
        "shelf": {PATCH_PREFIX + "items": [[PATCH_APPEND, "one more"], [PATCH_SET, 0, "first"]], "total": 43}
    }
    shelf.nested["rows"].pop()
    assert await engine.commit(tree) == {"shelf": {"nested": {"rows": [{"v": 1}]}, "total": 42}}
    shelf.items[1] = "x"
    tree.rollback()
    assert await engine.commit(tree) == {}
    assert shelf.items[1] == "item 1"


class Stream(pr.State):
    rows: list[str] = [f"row {i}" for i in range(30)]  # noqa: RUF012

    @pr.event
    async def grow(self) -> Any:
        self.rows.append("a")
        yield
        self.rows = [*self.rows, "b"]  # reassigned: whole
        yield
        self.rows[0] = "c"  # read again: a tracked copy now, so a patch after a plain value
        yield
        self.rows.append("d")
        self.rows.append("e")


@pytest.mark.asyncio
async def test_containers_patches_of_several_steps_merge_into_one_update() -> None:
    engine = Engine({"stream": Stream})
    tree = StateTree()
    client = _plain((await tree.get(Stream)).rows)
    await engine.commit(tree)
    merged: dict[str, dict[str, Any]] = {}
    steps = []
    async for step in engine.process(tree, engine.resolve({"id": 1, "handler": "stream.grow"})):
        steps.append(step.delta)
        merge_delta(merged, step.delta)
    assert [list(d["stream"]) for d in steps if d] == [["~rows"], ["rows"], ["~rows"], ["~rows"]]
    store = {"stream": {"rows": client}}
    apply_delta(store, _plain(merged))
    assert store["stream"]["rows"] == ["c", *(f"row {i}" for i in range(1, 30)), "a", "b", "d", "e"]
    only_patches: dict[str, dict[str, Any]] = {}
    merge_delta(only_patches, {"s": {"~v": [[PATCH_APPEND, 1]]}})
    merge_delta(only_patches, {"s": {"~v": [[PATCH_TRUNCATE, 0]]}})
    assert only_patches == {"s": {"~v": [[PATCH_APPEND, 1], [PATCH_TRUNCATE, 0]]}}


@pytest.mark.asyncio
async def test_containers_escaped_reference_changes_reach_the_next_event() -> None:
    # A handler that keeps a var's list outside the state (a module's dict) and changes it between events:
    # the change belongs to the state (it is the var's value), and is sent with the next event's commit.
    escaped: dict[str, list[Any]] = {}
    engine = Engine({"shelf": Shelf})
    tree = StateTree()
    shelf = await tree.get(Shelf)
    escaped["list"] = shelf.items
    await engine.commit(tree)
    escaped["list"].append("from outside")
    assert await engine.commit(tree) == {
        "shelf": {PATCH_PREFIX + "items": [[PATCH_APPEND, "from outside"]], "total": 43}
    }
    shelf.items = []
    await engine.commit(tree)
    escaped["list"].append("ignored")  # no longer the var's value
    assert await engine.commit(tree) == {}
    assert shelf.items == []
