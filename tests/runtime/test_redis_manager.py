"""The Redis state manager against a real redis-server and a real valkey-server (every test runs against both):
records, the lock and its fence, expiry, pub/sub, failures."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
import msgspec
import pytest
import pytest_asyncio

import pyreact_asgi as pr
from pyreact_asgi.runtime.dispatch import Dispatcher
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.messages import ErrorInfo, Update
from pyreact_asgi.runtime.redis_manager import RedisStateManager
from pyreact_asgi.state.tracking import tracker
from tests.servers import RedisServer

pytestmark = pytest.mark.asyncio

A = "a" + "A" * 43  # client keys as runtime/binding.py derives them
B = "c" + "B" * 43

gate = {"entered": anyio.Event(), "go": anyio.Event()}


class Box(pr.State):
    count: int = 0
    label: str = "box"
    items: list[int] = []  # noqa: RUF012 - a var's default, copied per instance
    _secret: str = "kept on the server"

    @pr.event
    async def bump(self) -> None:
        self.count += 1

    @pr.event
    async def slow_bump(self) -> None:
        self.count = 100
        gate["entered"].set()
        await gate["go"].wait()


class Other(pr.State):
    value: float = 1.5


def _manager(server: RedisServer, prefix: str, **options: Any) -> RedisStateManager:
    options.setdefault("max_state_bytes", 100_000)
    return RedisStateManager(server.url, 60, prefix=prefix, **options)


@pytest_asyncio.fixture
async def workers(store_session: RedisServer, redis_prefix: str) -> AsyncIterator[list[RedisStateManager]]:
    """Two managers on one Redis, as two worker processes would have."""
    managers = [_manager(store_session, redis_prefix), _manager(store_session, redis_prefix)]
    for manager in managers:
        await manager.start()
    yield managers
    for manager in managers:
        await manager.close()


async def test_redis_manager_runs_against_the_server_it_is_parametrized_with(
    workers: list[RedisStateManager], store_session: RedisServer
) -> None:
    # Valkey reports a redis_version too (the Redis it is compatible with), and a valkey_version of its own.
    info = await workers[0].redis.info("server")
    assert ("valkey_version" in info) == (store_session.kind == "valkey")


async def _count(manager: RedisStateManager, token: str = A) -> int:
    async with manager.session(token) as tree:
        return (await tree.get(Box)).count


async def test_redis_manager_state_written_on_one_worker_loads_on_another(workers: list[RedisStateManager]) -> None:
    one, two = workers
    async with one.session(A) as tree:
        box = await tree.get(Box)
        box.count = 5
        box.items.append(3)
        box._secret = "changed"
    async with two.session(A) as tree:
        box = await tree.get(Box)
        assert (box.count, box.items, box._secret) == (5, [3], "changed")
        assert tracker(box).changes() == {}  # loaded as the baseline, not as a change


async def test_redis_manager_keeps_clients_apart_and_writes_nothing_for_untouched_defaults(
    workers: list[RedisStateManager], store_session: RedisServer, redis_prefix: str
) -> None:
    one, _ = workers

    def keys() -> list[str]:
        found = sorted(store_session.cli("--raw", "KEYS", f"{redis_prefix}:*").split())
        # The lock (kept as a lease after a session) and its wake-up list are short-lived: each expires.
        for key in found:
            if key.endswith((":lock", ":wake")):
                assert 0 < int(store_session.cli("PTTL", key)) <= 10_000
        return [k for k in found if not k.endswith((":lock", ":wake"))]

    async with one.session(A) as tree:
        await tree.get(Box)  # read, never changed: no record
    assert keys() == []
    async with one.session(B) as tree:
        (await tree.get(Box)).count = 1
    assert await _count(one, A) == 0
    assert keys() == [f"{redis_prefix}:s:{{{B}}}"]  # one hash per client that changed something


async def test_redis_manager_refuses_a_key_that_no_client_has(workers: list[RedisStateManager]) -> None:
    with pytest.raises(pr.ProtocolError, match="Expected a client key"):
        async with workers[0].session("x" * 10_000):
            pass  # pragma: no cover - refused before


async def test_redis_manager_orders_events_of_a_client_across_workers(workers: list[RedisStateManager]) -> None:
    one, two = workers
    seen: list[int] = []
    started = anyio.Event()

    async def other_worker() -> None:
        started.set()
        async with two.session(A) as tree:
            box = await tree.get(Box)
            seen.append(box.count)  # what the first worker saved, since it waited for the lock
            box.count += 1

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            async with one.session(A) as tree:
                box = await tree.get(Box)
                box.count = 1
                tg.start_soon(other_worker)
                await started.wait()
                box.count = 2
    assert seen == [2]
    assert await _count(one) == 3


async def _event(manager: RedisStateManager, by: int = 1, token: str = A) -> None:
    # As the dispatcher runs an event: its last store comes before the client is told the event is done.
    session = manager.session(token)
    async with session as tree:
        (await tree.get(Box)).count += by
        await session.save(last=True)


def _evalsha_calls(server: RedisServer) -> int:
    for line in server.cli("INFO", "commandstats").splitlines():
        if line.startswith("cmdstat_evalsha:"):
            return int(line.split("calls=", 1)[1].split(",", 1)[0])
    return 0


async def test_redis_manager_keeps_a_clients_lock_between_its_events_and_lets_go_when_another_worker_wants_it(
    store_session: RedisServer, redis_prefix: str
) -> None:
    # lock_expiry 60 s: the renewer's first round comes long after this test, so every call counted is an event's.
    one, two = (_manager(store_session, redis_prefix, lock_expiry=60, lease=30) for _ in range(2))
    for manager in (one, two):
        await manager.start()
    lock = f"{redis_prefix}:s:{{{A}}}:lock"
    one.connect(A)  # a tab of the client is connected to one: its events come there
    try:
        await _event(one)
        fence = store_session.cli("GET", lock)
        before = _evalsha_calls(store_session)
        for _ in range(10):
            await _event(one)
        assert _evalsha_calls(store_session) - before == 10  # one round trip per event: the store
        assert store_session.cli("GET", lock) == fence  # kept as a lease all along
        # The other worker marks the lock wanted and waits; one's next store lets go of it and wakes it (one is
        # busy here; an idle lease is let go of after `lease` seconds, 30 here, so this would fail by deadline).
        with anyio.fail_after(5):
            async with anyio.create_task_group() as tg:
                tg.start_soon(_event, two, 100)
                # No event crosses from a waiter to this test: poll Redis against a deadline.
                want = f"{redis_prefix}:s:{{{A}}}:want"
                await store_session.poll(lambda r: r.cli("EXISTS", want).strip() == "1", "the other worker's mark")
                await _event(one)
        with anyio.fail_after(5):
            async with two.session(A) as tree:
                assert (await tree.get(Box)).count == 112  # one's 12, then two's 100, each seen by the next
    finally:
        for manager in (one, two):
            await manager.close()
    assert int(store_session.cli("EXISTS", lock)) == 0  # close let go of every lease


async def test_redis_manager_lets_go_of_an_idle_lease_for_another_worker(
    store_session: RedisServer, redis_prefix: str
) -> None:
    one, two = (_manager(store_session, redis_prefix, lease=0.05) for _ in range(2))
    for manager in (one, two):
        await manager.start()
    one.connect(A)
    try:
        await _event(one, 5)
        with anyio.fail_after(5):  # one lets go of its idle lease within a few times 0.05 s
            await _event(two, 1)
            assert await _count(one) == 6  # and one takes it back, reading what two wrote
    finally:
        for manager in (one, two):
            await manager.close()


async def test_redis_manager_renews_the_lock_of_a_session_that_outlives_its_expiry(
    store_session: RedisServer, redis_prefix: str
) -> None:
    # A handler that runs for several times lock_expiry keeps its lock while its worker lives: its store is
    # not refused as a stale one. (Nothing else touches the lock meanwhile: what is awaited is time itself.)
    manager = _manager(store_session, redis_prefix, lock_expiry=0.3)
    await manager.start()
    try:
        session = manager.session(A)
        async with session as tree:
            (await tree.get(Box)).count += 7
            await anyio.sleep(1.2)  # four times the lock's expiry
            assert int(store_session.cli("PTTL", f"{redis_prefix}:s:{{{A}}}:lock")) > 0
            await session.save(last=True)
        assert await _count(manager) == 7
    finally:
        await manager.close()


async def test_redis_manager_without_leases_lets_go_after_every_event(
    store_session: RedisServer, redis_prefix: str
) -> None:
    manager = _manager(store_session, redis_prefix, lease=0, lock_expiry=60)  # renews nothing meanwhile
    await manager.start()
    manager.connect(A)
    try:
        before = _evalsha_calls(store_session)
        for _ in range(3):
            await _event(manager)
            assert int(store_session.cli("EXISTS", f"{redis_prefix}:s:{{{A}}}:lock")) == 0
        assert _evalsha_calls(store_session) - before == 6  # take the lock and read; write and let go
        assert await _count(manager) == 3
    finally:
        await manager.close()


async def test_redis_manager_lets_go_of_a_lease_when_the_clients_last_tab_here_disconnects(
    store_session: RedisServer, redis_prefix: str
) -> None:
    one, two = (_manager(store_session, redis_prefix, lease=30) for _ in range(2))
    for manager in (one, two):
        await manager.start()
    one.connect(A)
    try:
        await _event(one, 2)
        one.disconnect(A)  # let go of at once, not after 30 s
        with anyio.fail_after(5):
            assert await _count(two) == 2
    finally:
        for manager in (one, two):
            await manager.close()


async def test_redis_manager_rereads_a_lease_that_lapsed_while_its_worker_stalled(
    store_session: RedisServer, redis_prefix: str
) -> None:
    # A stalled worker (never started: it renews nothing and lets go of no idle lease) keeps a lease past its
    # lock's expiry; another worker takes the lock and writes. The stalled one's next event must not trust
    # what it read before: it takes the lock again and reads the other's write.
    stalled = _manager(store_session, redis_prefix, lock_expiry=0.2)
    other = _manager(store_session, redis_prefix, lock_expiry=0.2)
    await other.start()
    stalled.connect(A)
    try:
        await _event(stalled, 1)
        with anyio.fail_after(5):
            await _event(other, 10)  # waits until the stalled worker's lock expired
            await _event(stalled, 100)
        assert await _count(other) == 111
    finally:
        await other.close()
        await stalled.close()


async def test_redis_manager_lock_of_a_crashed_worker_expires(store_session: RedisServer, redis_prefix: str) -> None:
    manager = _manager(store_session, redis_prefix, lock_expiry=0.2)
    await manager.start()
    try:
        # A worker killed while holding the lock: its key stays until it expires, and nothing renews it.
        store_session.cli("SET", f"{redis_prefix}:s:{{{A}}}:lock", "dead worker", "PX", "200")
        with anyio.fail_after(5):
            assert await _count(manager) == 0
    finally:
        await manager.close()


async def test_redis_manager_refuses_the_store_of_a_holder_whose_lock_was_taken(
    store_session: RedisServer, redis_prefix: str
) -> None:
    # The first worker stalls (it never renews: not started), its lock expires, a second worker takes it and
    # saves; the first one's late save must not overwrite that.
    stalled = _manager(store_session, redis_prefix, lock_expiry=0.2)
    other = _manager(store_session, redis_prefix, lock_expiry=0.2)
    await other.start()
    try:
        session = stalled.session(A)
        tree = await session.__aenter__()
        (await tree.get(Box)).count = 1
        with anyio.fail_after(5):
            async with other.session(A) as tree2:  # waits until the stalled worker's lock expired
                (await tree2.get(Box)).count = 7
        with pytest.raises(pr.StateStoreError, match="another event took it") as refused:
            await session.__aexit__(None, None, None)
        assert refused.value.code == "conflict"
        assert await _count(other) == 7
    finally:
        await other.close()
        await stalled.close()


async def test_dispatch_ends_an_event_whose_lock_was_taken_with_an_error_update(
    store_session: RedisServer, redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    gate["entered"], gate["go"] = anyio.Event(), anyio.Event()
    engine = Engine({"box": Box})
    stalled = _manager(store_session, redis_prefix, lock_expiry=0.2)  # never renews its locks
    other = _manager(store_session, redis_prefix, lock_expiry=0.2)
    await other.start()
    dispatcher = Dispatcher(pr.Config(), lambda: engine, stalled)
    updates: list[Update] = []

    async def reply(update: Update) -> None:
        updates.append(update)

    try:
        async with anyio.create_task_group() as tg:
            call = engine.resolve({"id": 1, "handler": "box.slow_bump", "args": []})
            tg.start_soon(dispatcher.run, A, None, call, reply)
            with anyio.fail_after(5):
                await gate["entered"].wait()
                async with other.session(A) as tree:  # the slow handler's lock expired: this one takes it
                    (await tree.get(Box)).count = 7
            gate["go"].set()
        assert updates[-1].error is not None
        assert updates[-1].error.code == "conflict"
        assert updates[-1].id == 1
        assert await _count(other) == 7
        assert "refused" in caplog.text
    finally:
        dispatcher.shutdown()
        await other.close()
        await stalled.close()


async def test_redis_manager_loads_an_old_record_with_defaults_for_what_no_longer_fits(
    workers: list[RedisStateManager], store_session: RedisServer, redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    old = msgspec.msgpack.encode({"count": "not an int any more", "label": "kept", "gone": 1, "items": [1, 2]})
    await workers[0].redis.hset(f"{redis_prefix}:s:{{{A}}}", "box", old)
    caplog.set_level(logging.WARNING, "pyreact_asgi")
    async with workers[0].session(A) as tree:
        box = await tree.get(Box)
        assert (box.count, box.label, box.items) == (0, "kept", [1, 2])
    async with workers[0].session(A) as tree:
        await tree.get(Box)
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("pyreact_asgi")]
    assert len(warnings) == 2  # once for the retyped var, once for the removed one; not again on reload
    assert any('"count" that no longer fits' in w for w in warnings)
    assert any("'gone'" in w for w in warnings)


@pytest.mark.parametrize(
    "record",
    [
        b"\xc1garbage",
        b"\x93\x01\x02\x03",  # msgpack, but a list, not a map of vars
        b"\xdf\xff\xff\xff\xff",  # a map announcing 4 billion entries: a msgpack bomb
        b"\xdd\xff\xff\xff\xff",  # the same as an array
        b"\x91" * 100_000,  # nested 100 000 deep
        b"\x81\xa5count" + b"\x91" * 50_000 + b"\x01",
    ],
    ids=["garbage", "not-a-map", "map-bomb", "array-bomb", "deep", "deep-value"],
)
async def test_redis_manager_loads_a_corrupt_record_as_defaults(
    workers: list[RedisStateManager],
    store_session: RedisServer,
    redis_prefix: str,
    record: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await workers[0].redis.hset(f"{redis_prefix}:s:{{{A}}}", "box", record)
    caplog.set_level(logging.WARNING, "pyreact_asgi")
    async with workers[0].session(A) as tree:
        box = await tree.get(Box)
        assert (box.count, box.label) == (0, "box")
        box.count = 4  # and the client carries on, writing a good record over it
    assert await _count(workers[0]) == 4
    assert len([r for r in caplog.records if r.name.startswith("pyreact_asgi")]) == 1


async def test_redis_manager_refuses_a_var_msgpack_cannot_encode_naming_it(workers: list[RedisStateManager]) -> None:
    class Holder(pr.State):
        _conn: Any = None

    async with workers[0].session(A) as tree:
        holder = await tree.get(Holder)
        holder._conn = object()
        with pytest.raises(pr.StateStoreError, match=r'var "Holder._conn"') as refused:
            workers[0].check(A, tree)
        assert refused.value.code == "unencodable"
        tree.rollback()


async def test_redis_manager_refuses_a_state_past_max_state_bytes(workers: list[RedisStateManager]) -> None:
    async with workers[0].session(A) as tree:
        (await tree.get(Box)).label = "x" * 60_000
        workers[0].check(A, tree)
    async with workers[1].session(A) as tree:
        (await tree.get(Other)).value = 2.5
        (await tree.get(Box)).items = list(range(20_000))  # with the stored label: past 100 000 bytes
        with pytest.raises(pr.LimitError, match="within 100000 bytes") as refused:
            workers[1].check(A, tree)
        assert refused.value.code == "too_large"
        tree.rollback()
    assert await _count(workers[0]) == 0


async def test_redis_manager_records_expire_after_state_ttl_and_are_refreshed_on_use(
    store_session: RedisServer, redis_prefix: str
) -> None:
    manager = RedisStateManager(store_session.url, 30, prefix=redis_prefix)
    await manager.start()
    try:
        key = f"{redis_prefix}:s:{{{A}}}"
        async with manager.session(A) as tree:
            (await tree.get(Box)).count = 1
        assert 0 < int(store_session.cli("PTTL", key)) <= 30_000
        store_session.cli("PEXPIRE", key, "5000")
        assert await _count(manager) == 1
        assert int(store_session.cli("PTTL", key)) > 5000  # reading refreshed it
    finally:
        await manager.close()


async def test_redis_manager_updates_reach_listeners_on_every_worker(workers: list[RedisStateManager]) -> None:
    received: list[tuple[str, Update]] = []
    done = anyio.Event()

    async def local(token: str, update: Update) -> None:
        received.append((token, update))
        done.set()

    async def nowhere(token: str, update: Update) -> None:  # pragma: no cover - published, not sent here
        raise AssertionError("broadcast must go through Redis")

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            await tg.start(workers[1].listen, local)  # subscribed: what is published from now on arrives
            update = Update(delta={"box": {"count": 3}}, error=ErrorInfo("x", "y"), actions=[pr.toast("hi")])
            await workers[0].broadcast(A, update, nowhere)
            await done.wait()
            tg.cancel_scope.cancel()
    assert received == [(A, update)]


async def test_redis_manager_names_the_url_without_password_when_redis_is_down() -> None:
    manager = RedisStateManager("redis://:hunter2@127.0.0.1:1/0", 60)
    with pytest.raises(pr.StateStoreError, match=r"Expected Redis at 'redis://\*\*\*@127.0.0.1:1/0'") as refused:
        await manager.start()
    assert "hunter2" not in str(refused.value)
    await manager.close()


async def test_redis_manager_fails_events_while_redis_is_gone_and_resumes_when_it_returns(
    tmp_path: Any, store_session: RedisServer, redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = RedisServer(tmp_path, kind=store_session.kind)  # one of its own, of the same kind, to stop
    server.start()
    manager = _manager(server, redis_prefix)
    await manager.start()
    try:
        async with manager.session(A) as tree:
            (await tree.get(Box)).count = 1
        server.stop()
        for _ in range(2):
            with pytest.raises(pr.StateStoreError, match="state store to answer") as refused:
                await _count(manager)
            assert refused.value.code == "unavailable"
            assert str(server.port) not in str(refused.value)  # the client is not told internal addresses
        assert caplog.text.count("does not answer") == 1  # logged once per outage
        server.start()  # an empty Redis (nothing persisted): service resumes, with defaults
        with anyio.fail_after(5):
            async with manager.session(A) as tree:
                (await tree.get(Box)).count = 2
            assert await _count(manager) == 2
    finally:
        await manager.close()
        server.stop()


async def test_redis_manager_refreshes_the_expiry_of_connected_clients(
    store_session: RedisServer, redis_prefix: str
) -> None:
    manager = RedisStateManager(store_session.url, 30, prefix=redis_prefix, sweep_interval=0.05)
    await manager.start()
    key = f"{redis_prefix}:s:{{{A}}}"
    try:
        async with manager.session(A) as tree:
            (await tree.get(Box)).count = 1
        manager.connect(A)
        store_session.cli("PEXPIRE", key, "2000")
        async with anyio.create_task_group() as tg:
            tg.start_soon(manager.run_sweeper)
            await store_session.poll(lambda r: int(r.cli("PTTL", key)) > 2000, "the expiry refresh")
            tg.cancel_scope.cancel()
        manager.disconnect(A)
    finally:
        await manager.close()
