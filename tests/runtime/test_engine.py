from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.exceptions import ConfigError, ProtocolError
from pyreact_asgi.runtime.engine import MAX_CHAIN, Engine, Step
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.state.tracking import tracker
from pyreact_asgi.state.tree import StateTree

pytestmark = pytest.mark.asyncio


class Counter(pr.State):
    count: int = 0

    @pr.event
    def increment(self, by: int = 1) -> None:
        self.count += by

    @pr.event
    def twice(self) -> list[Any]:
        return [Counter.increment(1), Counter.increment(10)]

    @pr.event
    def then_log(self) -> Any:
        self.count += 100
        return Log.write("counted")


class Log(pr.State):
    lines: list[str] = []  # noqa: RUF012

    @pr.event
    def write(self, line: str) -> None:
        self.lines.append(line)

    @pr.event
    def nested(self) -> list[Any]:
        self.lines.append("nested")
        return [Log.outer, Log.write("last")]

    @pr.event
    def outer(self) -> Any:
        self.lines.append("outer")
        return Log.write("inner")


class Chat(pr.State):
    reply: str = ""
    history: list[str] = []  # noqa: RUF012

    @pr.computed
    def words(self) -> int:
        return len(self.reply.split())

    @pr.event
    async def stream(self, tokens: list[str]) -> AsyncIterator[None]:
        self.reply = ""
        for token in tokens:
            self.reply += token
            yield

    @pr.event
    def stream_sync(self) -> Iterator[Any]:
        self.reply = "a"
        yield
        yield  # nothing changed: no step
        self.reply = "a b"
        yield Counter.increment(5)
        self.history.append(self.reply)

    @pr.event
    async def stream_then_fail(self) -> AsyncIterator[None]:
        self.reply = "sent"
        yield
        self.reply = "never sent"
        self.history.append("never")
        raise RuntimeError("model went away")

    @pr.event
    async def update_other(self) -> None:
        counter = await self.get_state(Counter)
        counter.count += 7
        self.history.append("told counter")


class Bad(pr.State):
    value: int = 0

    @pr.event
    def returns_number(self) -> int:
        self.value = 1
        return 5

    @pr.event
    def chains_a_var(self) -> Any:
        return Counter.increment(Counter.count)

    @pr.event
    def chains_bad_args(self) -> Any:
        return Counter.increment("five")

    @pr.event
    def forever(self) -> Any:
        self.value += 1
        return Bad.forever

    @pr.event
    def fails_in_chain(self) -> list[Any]:
        self.value = 1
        return [Counter.increment(2), Bad.boom, Counter.increment(3)]

    @pr.event
    def boom(self) -> None:
        self.value = 99
        raise ValueError("boom")


class Job(pr.State):
    progress: int = 0

    @pr.event
    async def run(self) -> AsyncIterator[Any]:
        self.progress = 50
        yield pr.toast("half way")
        yield pr.toast("no change, still sent")
        self.progress = 100
        yield [pr.toast("done"), Counter.increment(2)]


ENGINE = Engine({"counter": Counter, "log": Log, "chat": Chat, "bad": Bad, "job": Job})


async def steps(tree: StateTree, handler: str, *args: Any) -> list[Step]:
    call = ENGINE.resolve({"id": 1, "handler": handler, "args": list(args)})
    return [step async for step in ENGINE.process(tree, call)]


# --- streaming -----------------------------------------------------------------------------------------


async def test_streaming_async_handler_sends_a_delta_at_every_yield() -> None:
    result = await steps(StateTree(), "chat.stream", ["Hello", ", ", "world"])
    assert result == [
        Step({"chat": {"reply": "Hello", "words": 1}}, done=False),
        Step({"chat": {"reply": "Hello, "}}, done=False),
        Step({"chat": {"reply": "Hello, world", "words": 2}}, done=False),
        Step({}, done=True),
    ]


async def test_streaming_deltas_are_produced_while_the_handler_runs() -> None:
    tree = StateTree()
    call = ENGINE.resolve({"id": 1, "handler": "chat.stream", "args": [["a", "b"]]})
    stream = ENGINE.process(tree, call)
    first = await anext(stream)
    assert first.delta == {"chat": {"reply": "a", "words": 1}}
    assert tree.require(Chat).reply == "a", "the handler is paused at its first yield"
    assert [step.done async for step in stream] == [False, True]


async def test_streaming_sync_generator_handler_and_its_chained_event() -> None:
    tree = StateTree()
    result = await steps(tree, "chat.stream_sync")
    assert result == [
        Step({"chat": {"reply": "a", "words": 1}}, done=False),
        Step({"chat": {"reply": "a b", "words": 2}}, done=False),
        Step({"chat": {"history": ["a b"]}}, done=False),
        Step({"counter": {"count": 5}}, done=True),
    ]


async def test_streaming_failure_keeps_what_was_sent_and_undoes_the_rest() -> None:
    tree = StateTree()
    call = ENGINE.resolve({"id": 1, "handler": "chat.stream_then_fail", "args": []})
    sent: list[Step] = []

    async def run() -> None:
        async for step in ENGINE.process(tree, call):
            sent.append(step)

    with pytest.raises(RuntimeError, match="model went away"):
        await run()
    assert sent == [Step({"chat": {"reply": "sent", "words": 1}}, done=False)]
    chat = tree.require(Chat)
    assert (chat.reply, chat.history) == ("sent", [])
    assert await tree.commit() == {}


# --- chaining ------------------------------------------------------------------------------------------


async def test_chained_events_run_in_order_each_with_its_delta() -> None:
    result = await steps(StateTree(), "counter.twice")
    assert result == [
        Step({}, done=False),
        Step({"counter": {"count": 1}}, done=False),
        Step({"counter": {"count": 11}}, done=True),
    ]


async def test_chained_event_of_another_state() -> None:
    tree = StateTree()
    assert (await ENGINE.apply(tree, ENGINE.resolve({"id": 1, "handler": "counter.then_log", "args": []}))).delta == {
        "counter": {"count": 100},
        "log": {"lines": ["counted"]},
    }


async def test_chained_events_run_depth_first() -> None:
    tree = StateTree()
    await steps(tree, "log.nested")
    assert tree.require(Log).lines == ["nested", "outer", "inner", "last"]


async def test_handler_changes_another_state_through_get_state() -> None:
    tree = StateTree()
    assert (await ENGINE.apply(tree, ENGINE.resolve({"id": 1, "handler": "chat.update_other", "args": []}))).delta == {
        "chat": {"history": ["told counter"]},
        "counter": {"count": 7},
    }


async def test_get_state_rejects_what_is_not_a_state() -> None:
    with pytest.raises(TypeError, match=r"Expected a State class, as in `await self.get_state\(Cart\)`, but got 'x'"):
        await Counter().get_state("x")  # type: ignore[arg-type]


# --- failures ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handler", "error", "message"),
    [
        ("bad.returns_number", TypeError, r'"bad.returns_number" returned or yielded 5; expected None, an event'),
        ("bad.chains_a_var", TypeError, r'chained "counter.increment" with a Var argument'),
        ("bad.chains_bad_args", ProtocolError, r'Invalid arguments for "counter.increment"'),
    ],
    ids=["not-an-event", "var-argument", "bad-arguments"],
)
async def test_handler_returning_a_bad_event_fails_and_changes_nothing(
    handler: str, error: type[Exception], message: str
) -> None:
    tree = StateTree()
    with pytest.raises(error, match=message):
        await steps(tree, handler)
    assert (tree.require(Bad).value, tree.require(Counter).count) == (0, 0)


async def test_endless_chain_is_stopped() -> None:
    tree = StateTree()
    with pytest.raises(RuntimeError, match=rf"chained more than {MAX_CHAIN} events into one client event"):
        await steps(tree, "bad.forever")
    assert tree.require(Bad).value == MAX_CHAIN, "the events before the limit were committed"


async def test_failure_in_a_chain_keeps_earlier_events_and_stops_the_rest() -> None:
    tree = StateTree()
    with pytest.raises(ValueError, match="boom"):
        await steps(tree, "bad.fails_in_chain")
    assert (tree.require(Bad).value, tree.require(Counter).count) == (1, 2)


# --- pages ---------------------------------------------------------------------------------------------


async def test_page_states_are_the_states_of_the_route() -> None:
    engine = Engine({"counter": Counter, "log": Log}, pages={"/": ["counter"], "/log": ["log"]})
    assert engine.page_states("/log?x=1") == frozenset({"log"})
    assert engine.page_states("/log/") == frozenset({"log"})
    assert engine.page_states(None) == frozenset({"counter", "log"})
    assert engine.page_states("/unknown") == frozenset({"counter", "log"})
    assert await engine.full_state(StateTree(), engine.page_states("/")) == {"counter": {"count": 0}}


# --- actions and stored vars ---------------------------------------------------------------------------


async def test_actions_go_out_with_the_step_they_were_yielded_in() -> None:
    result = await steps(StateTree(), "job.run")
    assert [(s.delta, [a.message for a in s.actions], s.done) for s in result] == [  # type: ignore[attr-defined]
        ({"job": {"progress": 50}}, ["half way"], False),
        ({}, ["no change, still sent"], False),
        ({"job": {"progress": 100}}, ["done"], False),
        ({}, [], False),
        ({"counter": {"count": 2}}, [], True),
    ]


class Prefs(pr.State, parent=Counter):
    theme: str = pr.local_storage("light")


async def test_stored_var_of_a_substate_is_restored() -> None:
    engine = Engine({"counter": Counter, "counter.prefs": Prefs})
    tree = StateTree()
    await engine.restore(tree, {"counter.prefs.theme": "dark", "counter.prefs.nope": 1, "counter.count": 5})
    assert tree.require(Prefs).theme == "dark"
    assert tree.require(Counter).count == 0, "only stored vars are taken from the browser"


async def test_commit_outside_an_event_returns_the_public_delta() -> None:
    # What a background task does: change states under the token's session, then commit and send.
    tree = StateTree()
    chat = await tree.get(Chat)
    chat.reply = "from a task"
    assert await ENGINE.commit(tree) == {"chat": {"reply": "from a task", "words": 3}}
    assert await ENGINE.commit(tree) == {}


# --- computed vars across states, through the state manager --------------------------------------------


class Rates(pr.State):
    unit: int = 2

    @pr.event
    def set_unit_to(self, unit: int) -> None:
        self.unit = unit


class Order(pr.State):
    quantity: int = 1

    @pr.computed
    def price(self, rates: Rates) -> int:
        return self.quantity * rates.unit


async def test_computed_var_of_a_page_state_follows_another_state() -> None:
    engine = Engine({"order": Order, "rates": Rates}, pages={"/": ["order"], "/rates": ["rates"]})
    manager = MemoryStateManager(ttl=60)
    async with manager.session("token") as tree:
        assert await engine.full_state(tree, ["order"]) == {"order": {"quantity": 1, "price": 2}}
    # An event on Rates loads only Rates and the states whose computed vars read it.
    call = engine.resolve({"id": 1, "handler": "rates.set_unit_to", "args": [5]})
    async with manager.session("token") as tree:
        assert (await engine.apply(tree, call)).delta == {"rates": {"unit": 5}, "order": {"price": 5}}
        assert {type(s) for s in tree.states} == {Rates, Order}
    call = engine.resolve({"id": 2, "handler": "rates.set_unit_to", "args": [5]})
    async with manager.session("token") as tree:
        assert (await engine.apply(tree, call)).delta == {}


class RatesTwin(pr.State, name="rates"):
    pass


class ReadsTwin(pr.State):
    @pr.computed
    def value(self, twin: RatesTwin) -> int:
        return 0


async def test_states_of_one_name_are_refused() -> None:
    with pytest.raises(
        ConfigError,
        match=r"Two states are named \"rates\": .*(RatesTwin and .*Rates|Rates and .*RatesTwin); pass name=",
    ):
        Engine({"rates": Rates, "reads_twin": ReadsTwin})


async def test_state_used_before_it_was_loaded_is_an_error() -> None:
    manager = MemoryStateManager(ttl=60)
    async with manager.session("token") as tree:
        with pytest.raises(RuntimeError, match=r'State "rates" is used before it was loaded'):
            tree.require(Rates)


class _Other(dict[str, Any]):
    """A payload resolve's quick check leaves to `EventMessage` (it checks plain dicts only)."""


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"id": 1, "handler": "counter.increment", "args": [2]}, id="usual"),
        pytest.param({"id": 0, "handler": "counter.increment"}, id="no-args"),
        pytest.param({"handler": "counter.increment", "id": 2**53, "args": []}, id="largest-id"),
        pytest.param({"id": 2**53 + 1, "handler": "counter.increment"}, id="id-too-large"),
        pytest.param({"id": -1, "handler": "counter.increment"}, id="negative-id"),
        pytest.param({"id": True, "handler": "counter.increment"}, id="bool-id"),
        pytest.param({"id": 1.0, "handler": "counter.increment"}, id="float-id"),
        pytest.param({"id": None, "handler": "counter.increment"}, id="null-id"),
        pytest.param({"handler": "counter.increment"}, id="no-id"),
        pytest.param({"id": 1}, id="no-handler"),
        pytest.param({"id": 1, "handler": ["counter.increment"]}, id="handler-a-list"),
        pytest.param({"id": 1, "handler": {"a": 1}}, id="handler-an-object"),
        pytest.param({"id": 1, "handler": "counter.nope"}, id="unknown-handler"),
        pytest.param({"id": 1, "handler": "Counter.increment"}, id="handler-off-pattern"),
        pytest.param({"id": 1, "handler": "counter." + "x" * 300}, id="handler-too-long"),
        pytest.param({"id": 1, "handler": "counter.increment", "args": {"by": 1}}, id="args-an-object"),
        pytest.param({"id": 1, "handler": "counter.increment", "args": None}, id="args-null"),
        pytest.param({"id": 1, "handler": "counter.increment", "args": ["x"]}, id="args-wrong-type"),
        pytest.param({"id": 1, "handler": "counter.increment", "extra": 1}, id="unknown-field"),
        pytest.param({"id": 1, "handler": "log.write", "args": ["a"]}, id="other-state"),
    ],
)
async def test_resolve_checks_the_usual_payload_as_event_message_does(payload: dict[str, Any]) -> None:
    # The quick check of a plain dict must accept and refuse exactly what EventMessage does, with its errors.
    def outcome(raw: dict[str, Any]) -> Any:
        try:
            return ENGINE.resolve(raw)
        except ProtocolError as exc:
            return (exc.code, str(exc))

    assert outcome(payload) == outcome(_Other(payload))


class Odd(pr.State):
    value: int = 0

    @pr.event
    async def returns_a_generator(self) -> Any:
        # Awaited, an async handler's value is events or actions: a generator there is an error, not a stream.
        self.value = 1
        return (x for x in [Counter.increment(1)])

    @pr.event
    async def returns_an_action(self) -> Any:
        self.value = 2
        return pr.toast("saved")

    @pr.event
    def sync_chains(self) -> Any:
        self.value = 3
        return Odd.returns_an_action


BEGIN_ENGINE = Engine({"counter": Counter, "log": Log, "chat": Chat, "bad": Bad, "job": Job, "odd": Odd})


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        pytest.param("counter.increment", [3], id="sync-returns-none"),
        pytest.param("chat.update_other", [], id="async-returns-none"),
        pytest.param("counter.twice", [], id="sync-returns-events"),
        pytest.param("log.nested", [], id="sync-chain-depth-first"),
        pytest.param("chat.stream", [["a", " b"]], id="async-generator"),
        pytest.param("chat.stream_sync", [], id="sync-generator"),
        pytest.param("job.run", [], id="async-generator-actions"),
        pytest.param("odd.returns_an_action", [], id="async-returns-action"),
        pytest.param("odd.sync_chains", [], id="sync-chains-async"),
        pytest.param("odd.returns_a_generator", [], id="async-returns-generator"),
        pytest.param("bad.returns_number", [], id="returns-number"),
        pytest.param("bad.boom", [], id="raises"),
        pytest.param("bad.fails_in_chain", [], id="fails-in-chain"),
        pytest.param("chat.stream_then_fail", [], id="stream-then-fail"),
    ],
)
async def test_begin_runs_an_event_as_process_does(handler: str, args: list[Any]) -> None:
    # Dispatcher.run starts every event with `begin`, which finishes the usual one (its handler returns
    # nothing) without process's async generator: the steps, the error and the states must be the same.
    async def run(use_begin: bool) -> tuple[list[Step], Any, dict[str, Any]]:
        tree = StateTree()
        call = BEGIN_ENGINE.resolve({"id": 1, "handler": handler, "args": args})
        sent: list[Step] = []
        error = None
        try:
            if use_begin:
                only, rest = await BEGIN_ENGINE.begin(tree, call)
                if only is not None:
                    sent.append(only)
                else:
                    assert rest is not None
                    sent += [step async for step in rest]
            else:
                sent += [step async for step in BEGIN_ENGINE.process(tree, call)]
        except Exception as exc:
            error = (type(exc), re.sub(r" at 0x[0-9a-f]+", "", str(exc)))  # a generator's repr has its address
        states = {type(s).__name__: tracker(s).values for s in tree.states}
        return sent, error, states

    assert await run(use_begin=True) == await run(use_begin=False)
