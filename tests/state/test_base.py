from __future__ import annotations

import dataclasses
import datetime
import enum
from typing import Annotated, Any, ClassVar, Literal

import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import ConfigError, ProtocolError
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.state import EventHandler
from pyreact_asgi.state.testing import changes, commit, public_values, rollback, take_delta
from pyreact_asgi.state.tree import StateTree
from pyreact_asgi.state.vars import StateVar


class Counter(pr.State, setters=True):
    count: int = 0
    label: str = "clicks"
    ratio: float = 0.5
    tags: list[str] = []  # noqa: RUF012 - a mutable default is what we test: each client gets a copy
    _secret: int = 0
    LIMIT: ClassVar[int] = 100

    @pr.event
    def increment(self, by: int = 1) -> None:
        self.count += by
        self._secret += 1

    @pr.event
    def rename(self, label: str, times: int) -> None:
        self.label = label * times

    @pr.event
    async def reset(self) -> None:
        self.count = 0

    @pr.event
    def fail_after_change(self, value: int) -> None:
        self.count = value
        self._secret = value
        raise RuntimeError("boom")

    @pr.event
    async def fail_async(self) -> None:
        self.label = "changed"
        raise ValueError("async boom")


class TodoList(pr.State):
    items: list[str] = []  # noqa: RUF012


class Named(pr.State, name="todos"):
    done: bool = False


# --- declaration ---------------------------------------------------------------------------------------


def test_state_defaults_are_instance_values() -> None:
    counter = Counter()
    assert (counter.count, counter.label, counter.ratio, counter.tags) == (0, "clicks", 0.5, [])


def _var(value: Any) -> StateVar:
    # A var read on the class is typed as its value (so that pages type-check) but is a StateVar.
    assert isinstance(value, StateVar)
    return value


def test_state_class_attribute_is_a_var_for_pages() -> None:
    var = _var(Counter.count)
    assert var.js == "v.counter.count"
    assert var.states == frozenset({Counter})
    assert not var.backend
    assert _var(Counter._secret).backend


def test_state_instances_are_isolated() -> None:
    first, second = Counter(), Counter()
    first.count = 5
    first.tags.append("mutated in place")
    assert second.count == 0
    assert second.tags == []
    assert Counter().tags == []
    assert Counter.public_defaults()["tags"] == []


def test_state_name_is_snake_case_of_class_name() -> None:
    assert Counter.state_name() == "counter"
    assert TodoList.state_name() == "todo_list"


def test_state_name_can_be_chosen() -> None:
    assert Named.state_name() == "todos"
    assert _var(Named.done).js == "v.todos.done"


def test_state_name_must_be_a_valid_identifier() -> None:
    with pytest.raises(
        ConfigError, match=r"Expected a state name of lowercase letters, digits and _, but got 'Bad-Name'"
    ):

        class Bad(pr.State, name="Bad-Name"):
            pass


def test_state_var_without_default_is_rejected() -> None:
    with pytest.raises(
        ConfigError, match=r'Expected var "count" of NoDefault to have a default value, as in `count: int = 0`'
    ):

        class NoDefault(pr.State):
            count: int


@pytest.mark.parametrize("name", ["_pr_x", "router"])
def test_state_reserved_var_name_is_rejected(name: str) -> None:
    with pytest.raises(ConfigError, match=rf"are reserved, but Reserved declares '{name}'"):
        type("Reserved", (pr.State,), {"__annotations__": {name: int}, name: 0})


def test_state_router_outside_an_event_is_an_error() -> None:
    class Plain(pr.State):
        x: int = 0

    with pytest.raises(RuntimeError, match='Cannot read "router" outside an event handler'):
        _ = Plain().router


def test_state_var_that_is_also_a_handler_is_rejected() -> None:
    def handler(self: pr.State) -> None:
        pass

    with pytest.raises(ConfigError, match=r'"Both.thing" is both an annotated var and an event handler'):

        class Both(pr.State):
            thing: int = pr.event(handler)


def test_state_classvar_is_not_a_var() -> None:
    assert "LIMIT" not in Counter.var_types()
    assert "LIMIT" not in Counter.public_defaults()
    assert Counter.LIMIT == 100


def test_state_var_types_include_backend_vars() -> None:
    assert Counter.var_types() == {
        "count": int,
        "label": str,
        "ratio": float,
        "tags": list[str],
        "_secret": int,
    }


def test_state_unresolvable_annotation_is_a_config_error() -> None:
    class Broken(pr.State):
        value: DoesNotExist = None  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(
        ConfigError, match=r"Cannot resolve the var annotations of Broken: name 'DoesNotExist' is not defined"
    ):
        Broken.var_types()


def test_state_works_without_postponed_annotations() -> None:
    # A user module without `from __future__ import annotations` gives real types, not strings.
    source = (
        "import typing\n"
        "import pyreact_asgi as pr\n"
        "class Eager(pr.State, setters=True):\n"
        "    count: int = 0\n"
        "    LIMIT: typing.ClassVar[int] = 3\n"
        "    @pr.event\n"
        "    def add(self, by: int) -> None:\n"
        "        self.count += by\n"
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "<eager>", "exec", dont_inherit=True), namespace)
    eager = namespace["Eager"]
    assert eager.var_types() == {"count": int}
    assert eager.handlers()["add"].parse_args(eager, [2]) == (2,)
    assert eager.handlers()["set_count"].params(eager)[0].hint is int


def test_state_subclass_inherits_vars_and_handlers() -> None:
    class Sub(Counter, name="sub_counter"):
        extra: int = 1

    sub = Sub()
    assert (sub.count, sub.extra) == (0, 1)
    assert {"increment", "set_count", "set_extra"} <= set(Sub.handlers())
    assert Sub.increment.path == "sub_counter.increment"


def test_state_repr_shows_public_vars_only() -> None:
    counter = Counter()
    counter._secret = 42
    assert repr(counter) == "Counter(count=0, label='clicks', ratio=0.5, tags=[])"


# --- assignment and deltas -----------------------------------------------------------------------------


def test_state_assigning_undeclared_attribute_raises() -> None:
    counter = Counter()
    with pytest.raises(
        AttributeError, match=r'Counter has no var "cont"; declare it on the class with a type and a default'
    ):
        counter.cont = 1


def test_state_assigning_a_handler_name_raises() -> None:
    counter = Counter()
    with pytest.raises(AttributeError, match=r'Counter has no var "increment"'):
        counter.increment = 1


def test_state_take_delta_returns_only_changed_vars() -> None:
    counter = Counter()
    counter.count = 3
    counter.ratio = 0.75
    assert take_delta(counter) == {"count": 3, "ratio": 0.75}
    assert take_delta(counter) == {}


def test_state_assigning_an_equal_value_is_not_a_change() -> None:
    counter = Counter()
    counter.count = 0
    counter.label = "clicks"
    assert take_delta(counter) == {}


def test_state_change_and_change_back_is_not_a_change() -> None:
    counter = Counter()
    counter.count = 9
    counter.count = 0
    assert take_delta(counter) == {}


def test_state_equal_value_of_another_type_is_a_change() -> None:
    counter = Counter()
    counter.ratio = 1.0
    take_delta(counter)
    counter.ratio = 1
    assert take_delta(counter) == {"ratio": 1}


def test_state_reassigned_mutable_is_always_a_change() -> None:
    # Lists may be edited in place, so a reassignment of one is sent even when it looks equal.
    counter = Counter()
    counter.tags.append("a")
    counter.tags = counter.tags
    assert take_delta(counter) == {"tags": ["a"]}


def test_state_backend_vars_never_in_delta_or_public_state() -> None:
    counter = Counter()
    counter._secret = 7
    counter.count = 1
    assert take_delta(counter) == {"count": 1}
    assert public_values(counter) == {"count": 1, "label": "clicks", "ratio": 0.5, "tags": []}
    assert "_secret" not in Counter.public_defaults()
    assert counter._secret == 7


def test_state_rollback_restores_assigned_vars() -> None:
    counter = Counter()
    counter.count = 2
    take_delta(counter)
    counter.count = 5
    counter.label = "x"
    counter._secret = 3
    rollback(counter)
    assert (counter.count, counter.label, counter._secret) == (2, "clicks", 0)
    assert take_delta(counter) == {}


# --- generated setters ---------------------------------------------------------------------------------


def test_state_setters_are_generated_for_public_vars_only() -> None:
    handlers = Counter.handlers()
    assert {"set_count", "set_label", "set_ratio", "set_tags"} <= set(handlers)
    assert "set__secret" not in handlers
    assert not hasattr(Counter, "set__secret")


def test_state_setter_sets_the_var() -> None:
    counter = Counter()
    counter.set_count(4)  # type: ignore[attr-defined]
    assert take_delta(counter) == {"count": 4}


def test_state_setter_validates_against_the_var_type() -> None:
    handler = Counter.handlers()["set_count"]
    assert handler.parse_args(Counter, [3]) == (3,)
    with pytest.raises(
        ProtocolError, match=r'Invalid arguments for "counter.set_count": Expected `int`, got `str`'
    ) as info:
        handler.parse_args(Counter, ["3"])
    assert info.value.code == "invalid_args"


def test_state_user_defined_setter_is_kept() -> None:
    class Custom(pr.State):
        value: int = 0

        @pr.event
        def set_value(self, value: int) -> None:
            self.value = value * 2

    custom = Custom()
    custom.set_value(2)
    assert custom.value == 4
    assert Custom.handlers()["set_value"].fn.__qualname__.endswith("Custom.set_value")


# --- event handlers ------------------------------------------------------------------------------------


def test_event_on_class_is_an_event_spec() -> None:
    spec = Counter.increment
    assert isinstance(spec, pr.EventSpec)
    assert spec.path == "counter.increment"
    assert spec.args is None
    assert repr(spec) == "EventSpec('counter.increment', args=None)"


def test_event_binding_args_returns_a_new_spec() -> None:
    spec = Counter.increment(10)
    assert isinstance(spec, pr.EventSpec)
    assert spec.args == (10,)
    assert Counter.increment.args is None


def test_event_binding_keyword_args_places_them_by_position() -> None:
    assert Counter.increment(by=10).args == (10,)
    assert Counter.rename("a", times=3).args == ("a", 3)
    assert Counter.rename(times=3, label="a").args == ("a", 3)


@pytest.mark.parametrize(
    ("bind", "message"),
    [
        (lambda: Counter.increment(step=2), r"\"counter.increment\" has no parameter 'step'; it takes \['by'\]"),
        (lambda: Counter.increment(1, by=2), r"\"counter.increment\" got two values for 'by'"),
        (lambda: Counter.rename(times=2), r"\"counter.rename\" needs a value for 'label'"),
    ],
    ids=["unknown", "twice", "missing-earlier"],
)
def test_event_binding_bad_keyword_args_is_rejected(bind: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        bind()


def test_event_on_instance_is_a_plain_method() -> None:
    counter = Counter()
    counter.increment(3)
    counter.rename("ab", 2)
    assert (counter.count, counter.label, counter._secret) == (3, "abab", 1)


def test_event_handler_params_come_from_the_signature() -> None:
    params = Counter.handlers()["rename"].params(Counter)
    assert [(p.name, p.hint, p.required) for p in params] == [("label", str, True), ("times", int, True)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x"], r"Expected `array` of at least length 2, got 1"),
        (["x", 2, 3], r"Expected `array` of at most length 2, got 3"),
        ([1, 2], r"Expected `str`, got `int` - at `\$\[0\]`"),
        (["x", "2"], r"Expected `int`, got `str` - at `\$\[1\]`"),
        (["x", True], r"Expected `int`, got `bool` - at `\$\[1\]`"),
    ],
    ids=["too-few", "too-many", "wrong-first", "wrong-second", "bool-for-int"],
)
def test_event_parse_args_rejects_wrong_args(args: list[object], message: str) -> None:
    handler = Counter.handlers()["rename"]
    with pytest.raises(ProtocolError, match=r'Invalid arguments for "counter.rename": ' + message) as info:
        handler.parse_args(Counter, args)
    assert info.value.code == "invalid_args"


def test_event_parse_args_fills_defaults() -> None:
    handler = Counter.handlers()["increment"]
    assert handler.parse_args(Counter, []) == (1,)
    assert handler.parse_args(Counter, [5]) == (5,)


def test_event_unannotated_param_accepts_anything() -> None:
    class Loose(pr.State):
        seen: str = ""

        @pr.event
        def take(self, value) -> None:  # type: ignore[no-untyped-def]
            self.seen = repr(value)

    handler = Loose.handlers()["take"]
    assert handler.parse_args(Loose, [{"a": [1, None]}]) == ({"a": [1, None]},)


@pytest.mark.parametrize(
    "signature",
    [
        "def h(self, *values: int) -> None: ...",
        "def h(self, *, value: int) -> None: ...",
        "def h(self, **kw: int) -> None: ...",
    ],
    ids=["var-positional", "keyword-only", "var-keyword"],
)
def test_event_handler_must_take_plain_positional_params(signature: str) -> None:
    namespace: dict[str, object] = {}
    exec(signature, namespace)
    with pytest.raises(ConfigError, match=r'Expected event handler "h" to take plain positional parameters'):
        pr.event(namespace["h"])  # type: ignore[call-overload]


def test_event_decorator_rejects_non_callable() -> None:
    with pytest.raises(ConfigError, match=r"Expected @pr.event on a function, but got 42"):
        pr.event(42)  # type: ignore[call-overload]


def test_event_handler_with_unsupported_type_is_a_config_error() -> None:
    class Odd(pr.State):
        @pr.event
        def take(self, value: list[int] | set[int]) -> None:
            pass

    with pytest.raises(
        ConfigError,
        match=r'Event handler "Odd.take" has an unsupported type: Type unions may not contain more than one array-like',
    ):
        Odd.handlers()["take"].params(Odd)


class Point:
    def __init__(self, x: int) -> None:
        self.x = x


@pytest.mark.parametrize("hint", [Point, list[Point], dict[str, Point], "Point | None"], ids=str)
def test_event_handler_taking_a_plain_class_is_a_config_error(hint: Any) -> None:
    def take(self: pr.State, value: Any) -> None:
        pass

    take.__annotations__["value"] = hint

    class Plain(pr.State):
        take_it = pr.event(take)

    with pytest.raises(ConfigError, match=r"\"Plain.take_it\" takes 'value' of type Point, which a client cannot send"):
        Plain.handlers()["take_it"].params(Plain)


class Color(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Box:
    width: int


def test_event_handler_taking_wire_types_is_accepted() -> None:
    class Wire(pr.State):
        @pr.event
        def take(
            self,
            a: dict[str, list[int]],
            b: tuple[int, ...],
            c: Literal["x", "y"],
            d: Annotated[int, msgspec.Meta(ge=0)],
            e: datetime.date | None,
            f: Color,
            g: Box,
            h: Any,
        ) -> None:
            pass

    assert len(Wire.handlers()["take"].params(Wire)) == 8
    assert Wire.handlers()["take"].parse_args(Wire, [{}, [1], "x", 0, None, "red", {"width": 2}, 3])[5] is Color.RED


def test_event_handler_with_unresolvable_annotation_is_a_config_error() -> None:
    class Unresolved(pr.State):
        @pr.event
        def take(self, value: Missing) -> None:  # type: ignore[name-defined]  # noqa: F821
            pass

    with pytest.raises(ConfigError, match=r'Cannot resolve the annotations of event handler ".*Unresolved.take"'):
        Unresolved.handlers()["take"].parse_args(Unresolved, [1])


def test_event_handler_is_an_event_handler_object() -> None:
    assert isinstance(Counter.handlers()["increment"], EventHandler)
    assert Counter.handlers()["increment"].name == "increment"


# --- handlers run by the engine: sync, async and rollback ----------------------------------------------


@pytest.mark.asyncio
async def test_event_sync_handler_returns_delta() -> None:
    engine = Engine({"counter": Counter})
    client = StateTree()
    call = engine.resolve({"id": 1, "handler": "counter.increment", "args": [2]})
    assert (await engine.apply(client, call)).delta == {"counter": {"count": 2}}
    assert client.require(Counter)._secret == 1


@pytest.mark.asyncio
async def test_event_async_handler_returns_delta() -> None:
    engine = Engine({"counter": Counter})
    client = StateTree()
    await engine.apply(client, engine.resolve({"id": 1, "handler": "counter.increment", "args": [5]}))
    assert (await engine.apply(client, engine.resolve({"id": 2, "handler": "counter.reset"}))).delta == {
        "counter": {"count": 0}
    }


@pytest.mark.asyncio
async def test_event_handler_without_change_returns_empty_delta() -> None:
    engine = Engine({"counter": Counter})
    assert (
        await engine.apply(StateTree(), engine.resolve({"id": 1, "handler": "counter.set_count", "args": [0]}))
    ).delta == {}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"id": 1, "handler": "counter.fail_after_change", "args": [9]}, RuntimeError),
        ({"id": 1, "handler": "counter.fail_async"}, ValueError),
    ],
    ids=["sync", "async"],
)
async def test_event_handler_exception_rolls_back(payload: dict[str, object], error: type[Exception]) -> None:
    engine = Engine({"counter": Counter})
    client = StateTree()
    await engine.apply(client, engine.resolve({"id": 0, "handler": "counter.increment", "args": [3]}))
    with pytest.raises(error, match="boom"):
        await engine.apply(client, engine.resolve(payload))
    state = client.require(Counter)
    assert (state.count, state.label, state._secret) == (3, "clicks", 1)
    assert take_delta(state) == {}


@pytest.mark.parametrize(
    ("payload", "code", "message"),
    [
        ("not a dict", "malformed", r"Malformed event: Expected `object`, got `str`"),
        ({"handler": "counter.increment"}, "malformed", r"Object missing required field `id`"),
        ({"id": 1, "handler": "counter.increment", "extra": 1}, "malformed", r"unknown field `extra`"),
        ({"id": 1, "handler": "counter.nope"}, "unknown_handler", r'Unknown event handler "counter.nope"'),
        ({"id": 1, "handler": "counter._secret"}, "unknown_handler", r'Unknown event handler "counter._secret"'),
        ({"id": 1, "handler": "counter"}, "malformed", r"Expected `str` matching regex"),
        ({"id": 1, "handler": "counter.set__secret", "args": [1]}, "unknown_handler", r"Unknown event handler"),
        ({"id": 1, "handler": "counter.increment", "args": ["1"]}, "invalid_args", r"Expected `int`, got `str`"),
    ],
    ids=["not-object", "no-id", "extra-field", "unknown", "backend-var", "no-dot", "backend-setter", "wrong-type"],
)
def test_event_resolve_rejects_bad_payloads(payload: object, code: str, message: str) -> None:
    engine = Engine({"counter": Counter})
    with pytest.raises(ProtocolError, match=message) as info:
        engine.resolve(payload)
    assert info.value.code == code


@pytest.mark.asyncio
async def test_event_full_state_has_public_vars_of_every_state() -> None:
    engine = Engine({"counter": Counter, "todos": Named})
    client = StateTree()
    assert await engine.full_state(client) == {
        "counter": {"count": 0, "label": "clicks", "ratio": 0.5, "tags": []},
        "todos": {"done": False},
    }


# --- containers changed in place -----------------------------------------------------------------------


class Spot(msgspec.Struct):
    x: int
    y: int = 0


class Board(pr.State):
    items: list[str] = []  # noqa: RUF012
    data: dict[str, list[int]] = {}  # noqa: RUF012
    tags: set[str] = set()  # noqa: RUF012
    point: Spot = Spot(0)
    points: list[Spot] = []  # noqa: RUF012
    other: int = 0
    _log: list[str] = []  # noqa: RUF012


@pytest.mark.parametrize(
    ("mutate", "delta"),
    [
        (lambda b: b.items.append("a"), {"items": ["a"]}),
        (lambda b: b.items.extend(["a", "b"]), {"items": ["a", "b"]}),
        (lambda b: b.data.__setitem__("k", [1]), {"data": {"k": [1]}}),
        (lambda b: b.tags.add("t"), {"tags": {"t"}}),
        (lambda b: setattr(b.point, "x", 5), {"point": Spot(5)}),
    ],
    ids=["append", "extend", "dict-set", "set-add", "struct-attr"],
)
def test_state_in_place_change_is_a_change(mutate: Any, delta: dict[str, Any]) -> None:
    board = Board()
    mutate(board)
    assert take_delta(board) == delta


def test_state_nested_in_place_change_is_a_change() -> None:
    board = Board()
    board.data = {"k": [1]}
    board.points = [Spot(1)]
    take_delta(board)
    board.data["k"].append(2)
    board.points[0].y = 7
    assert take_delta(board) == {"data": {"k": [1, 2]}, "points": [Spot(1, 7)]}


def test_state_in_place_change_through_an_alias_is_found() -> None:
    board = Board()
    items = board.items
    take_delta(board)
    items.append("late")  # read before the last commit, changed after it: the container still tells its var
    assert take_delta(board) == {"items": ["late"]}
    board.items = ["new"]
    take_delta(board)
    items.append("stale")  # no longer the var's value: changes nothing, and is no change
    assert take_delta(board) == {}
    assert board.items == ["new"]


def test_state_reading_a_container_is_not_a_change() -> None:
    board = Board()
    assert len(board.items) == 0
    assert board.point.x == 0
    assert take_delta(board) == {}


def test_state_only_changed_vars_are_in_the_delta() -> None:
    board = Board()
    board.items.append("a")
    assert board.data == {}
    assert board.tags == set()
    board._log.append("backend")
    assert take_delta(board) == {"items": ["a"]}


def test_state_change_back_in_place_is_sent_as_it_is() -> None:
    board = Board()
    board.items.append("a")
    board.items.pop()
    # A written container is known changed without comparing it to how it was: it is sent, with its value.
    assert take_delta(board) == {"items": []}


def test_state_rollback_restores_containers_changed_in_place() -> None:
    board = Board()
    board.data = {"k": [1]}
    board.point = Spot(1)
    take_delta(board)
    board.items.append("a")
    board.data["k"].append(2)
    board.tags.add("t")
    board.point.x = 9
    board._log.append("x")
    board.other = 5
    rollback(board)
    assert (board.items, board.data, board.tags, board.point, board._log, board.other) == (
        [],
        {"k": [1]},
        set(),
        Spot(1),
        [],
        0,
    )
    assert isinstance(board.tags, set)
    assert take_delta(board) == {}


def test_state_rollback_restores_a_container_changed_then_reassigned() -> None:
    board = Board()
    board.items.append("a")
    board.items = ["b"]
    rollback(board)
    assert board.items == []


class Opaque:
    def __init__(self) -> None:
        self.calls = 0


class WithOpaque(pr.State):
    _client: Any = None
    count: int = 0


def test_state_opaque_backend_value_counts_only_when_reassigned() -> None:
    state = WithOpaque()
    state._client = Opaque()
    assert changes(state) == {"_client": state._client}
    commit(state)
    state._client.calls += 1
    assert changes(state) == {}
    rollback(state)
    assert state._client.calls == 1, "an opaque value cannot be restored, so it is left as it is"


# --- substates -----------------------------------------------------------------------------------------


class Shop(pr.State):
    title: str = "shop"


class Basket(pr.State, parent=Shop):
    items: list[str] = []  # noqa: RUF012

    @pr.event
    def add(self, item: str) -> None:
        self.items.append(item)


class Line(pr.State, parent=Basket, name="line"):
    qty: int = 1


def test_substate_name_is_its_path() -> None:
    assert Basket.state_name() == "shop.basket"
    assert Line.state_name() == "shop.basket.line"
    assert Basket.parent_state() is Shop
    assert Shop.parent_state() is None
    assert Basket.add.path == "shop.basket.add"


def test_substate_var_reads_the_store_by_path() -> None:
    assert _var(Basket.items).js == 'v["shop.basket"].items'
    assert _var(Shop.title).js == "v.shop.title"


def test_substate_keeps_only_its_own_vars() -> None:
    assert Basket.var_types() == {"items": list[str]}
    assert "title" not in Basket.public_defaults()


def test_substate_parent_must_be_a_state_class() -> None:
    with pytest.raises(ConfigError, match=r"Expected parent= to be a State class, but got 'shop'"):

        class Orphan(pr.State, parent="shop"):
            pass


def test_event_handler_path_may_name_a_substate() -> None:
    engine = Engine({"shop": Shop, "shop.basket": Basket})
    call = engine.resolve({"id": 1, "handler": "shop.basket.add", "args": ["pear"]})
    assert (call.state, call.handler.name, call.args) == (Basket, "add", ("pear",))


def test_state_rollback_of_a_value_that_does_not_fit_its_annotation_restores_its_content() -> None:
    class Loose(pr.State):
        numbers: list[int] = []  # noqa: RUF012

    loose = Loose()
    loose.numbers = ["not", "ints"]  # type: ignore[list-item]
    take_delta(loose)
    loose.numbers.append("more")  # type: ignore[arg-type]
    rollback(loose)
    restored: list[object] = list(loose.numbers)
    assert restored == ["not", "ints"]
