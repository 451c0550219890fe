from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import math
import operator
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

import anyio
import msgspec
from anyio.abc import TaskStatus

from pyreact_asgi.actions import Action
from pyreact_asgi.config import redact_url
from pyreact_asgi.exceptions import LimitError, ProtocolError, StateStoreError
from pyreact_asgi.runtime._redis_client import LeanClient, Script
from pyreact_asgi.runtime.binding import CLIENT_KEY
from pyreact_asgi.runtime.manager import Deliver, Fence, Session, StateManager
from pyreact_asgi.runtime.messages import ErrorInfo, Update
from pyreact_asgi.state import State
from pyreact_asgi.state.tracking import tracker
from pyreact_asgi.state.tree import StateTree

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from pyreact_asgi.router import Router

__all__ = ["RedisStateManager", "import_redis"]

logger = logging.getLogger(__name__)

# Takes the client's lock, or finds it still held with this fence (a lease that lapsed locally), then reads
# the client's states and refreshes their expiry: one round trip. A waiter that finds the lock taken marks it
# wanted, which makes the holder let go at its next store instead of keeping a lease. The first waiter's mark
# is its fence, a reservation: a free lock so marked is left to that waiter, so that a busy tab cannot take it
# back first. Later waiters note that they wait too; when the reserved waiter takes the lock, the mark stays
# (as "*", wanted but reserved for nobody), so that this holder lets go for them in turn.
# KEYS: lock, states hash, wanted marker, more waiters. ARGV: fence, lock expiry (ms), state ttl (ms), marks'
# expiry (ms). Returns false if the lock is not to be had yet.
_ACQUIRE = Script("""
local holder = redis.call('GET', KEYS[1])
local wanted = redis.call('GET', KEYS[3])
if holder ~= ARGV[1] and (holder or (wanted and wanted ~= '*' and wanted ~= ARGV[1])) then
  if not wanted then redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[4])
  elseif wanted == ARGV[1] then redis.call('PEXPIRE', KEYS[3], ARGV[4])
  else redis.call('SET', KEYS[4], 1, 'PX', ARGV[4]) end
  return false
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if wanted == ARGV[1] or wanted == '*' then
  if redis.call('DEL', KEYS[4]) == 1 then redis.call('SET', KEYS[3], '*', 'PX', ARGV[4])
  else redis.call('DEL', KEYS[3]) end
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return redis.call('HGETALL', KEYS[2])
""")
# Checks the lock's fence, writes the changed states and refreshes their expiry in one step, so no other
# holder can come between the check and the write (reflex-dev/reflex#6855 checks with GET, then writes with
# a separate SET). Then, by ARGV[3]: "0" keeps the lock; "1" lets go of it and wakes a waiter; "2" keeps it as
# a lease (extending it) unless another worker marked it wanted, then lets go of it.
# KEYS: lock, states hash, wake-up list, wanted marker. ARGV: fence, state ttl (ms), mode, lock expiry (ms),
# then name, record pairs. Returns 0 if the lock is not ours, 2 if kept as a lease, 1 otherwise.
_STORE = Script("""
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 5, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local mode = ARGV[3]
if mode == '2' then
  if redis.call('EXISTS', KEYS[4]) == 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
    return 2
  end
  mode = '1'
end
if mode == '1' then
  redis.call('DEL', KEYS[1])
  redis.call('RPUSH', KEYS[3], 1)
  redis.call('LTRIM', KEYS[3], -4, -1)
  redis.call('PEXPIRE', KEYS[3], 5000)
end
return 1
""")
# Withdraws a waiter's reservation (leaving the lock wanted if more wait), and lets go of the lock if it is
# still ours, waking one waiter. KEYS: lock, wake-up list, wanted marker, more waiters. ARGV: fence.
_RELEASE = Script("""
if redis.call('GET', KEYS[3]) == ARGV[1] then
  if redis.call('DEL', KEYS[4]) == 1 then redis.call('SET', KEYS[3], '*', 'PX', 2000)
  else redis.call('DEL', KEYS[3]) end
end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[2], 1)
redis.call('LTRIM', KEYS[2], -4, -1)
redis.call('PEXPIRE', KEYS[2], 5000)
return 1
""")
# Extends the lock if it is still ours. KEYS: lock. ARGV: fence, expiry (ms).
_RENEW = Script("""
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
""")
# _STORE's modes.
_KEEP, _LET_GO, _LEASE = "0", "1", "2"

_encoder = msgspec.msgpack.Encoder()
_update_encoder = msgspec.msgpack.Encoder()


class _Relayed(msgspec.Struct, frozen=True, array_like=True):
    # An update on its way to another worker. Update.actions is typed as the Action base, which encodes each
    # action with its "kind" tag but decodes none: here they are decoded as the union of every action.
    token: str
    delta: dict[str, dict[str, Any]]
    error: ErrorInfo | None
    actions: list[Any]


def _relay_decoder() -> msgspec.msgpack.Decoder[_Relayed]:
    kinds: Any = functools.reduce(operator.or_, Action.__subclasses__())
    relayed = msgspec.defstruct(
        "Relayed",
        [
            ("token", str),
            ("delta", dict[str, dict[str, Any]]),
            ("error", ErrorInfo | None),
            ("actions", list[kinds]),
        ],
        array_like=True,
        frozen=True,
    )
    return msgspec.msgpack.Decoder(relayed)


# Most time a waiter for a lock sleeps without looking again: a release wakes it at once (BLPOP on the
# token's wake-up list), so this only bounds the wait for a lock that expired instead of being released.
_MAX_WAIT = 1.0


def import_redis() -> ModuleType:
    """Returns ``redis.asyncio``, having checked that hiredis (the reply parser of `LeanClient`) is there too.

    Raises:
        ImportError: The redis or the hiredis package is not installed; the message gives the fix.
    """
    try:
        import hiredis  # noqa: F401
        import redis.asyncio
    except ImportError as exc:
        missing = (exc.name or "redis").split(".")[0]
        raise ImportError(
            f"Config.redis_url (or PYREACT_REDIS_URL) needs the redis and hiredis packages, but {missing} is "
            "missing: pip install 'pyreact-asgi[redis]'"
        ) from exc
    return redis.asyncio


def _stop_if_cancelled() -> None:
    """Raises CancelledError in a task that was asked to stop, even if the request was lost on the way.

    redis-py can turn a cancellation that arrives in the middle of a command into a connection error (or
    retry the command): a long-running upkeep loop that catches those errors would then carry on for ever,
    and `RedisStateManager.close`, which cancels it and waits, would never return.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class _Held:
    """A lock this process holds: its fence, the client's records as read under it, and whether it is in use."""

    __slots__ = ("busy", "fence", "raw", "states", "until", "used")

    def __init__(self, fence: str, raw: dict[str, bytes], until: float) -> None:
        self.fence = fence
        self.raw = raw  # state name → record, as read when the lock was taken and written since
        # The instances sessions under this lock used. One that ended with the lock kept as a lease had every
        # change committed and stored (else it lets go), so the next session may use them as they are.
        self.states: dict[type[State], State] = {}
        self.until = until  # monotonic time until which the lock surely stays ours without being extended
        self.busy = True  # a session of this process holds it; otherwise it is a lease, kept between sessions
        self.used = 0.0  # monotonic time its last session ended


class RedisStateManager(StateManager):
    """Keeps each client's states in Redis (or Valkey), shared by every worker and machine that uses it.

    - Each client is one hash, ``<prefix>:s:{<client key>}``, with one field per state: the state's vars
      (backend-only ones too) as msgspec msgpack, decoded against the declared types, never pickle. A field
      that no longer fits (a var added, removed or retyped since it was written, or garbage) loads with
      defaults for what does not fit, logged once per state class. The hash expires ``ttl`` seconds after
      its last use, and is refreshed while a tab of the client is connected.
    - The client's lock is ``<prefix>:s:{<client key>}:lock``, taken with a random fence that expires after
      ``lock_expiry`` and is renewed while held. A waiter marks it wanted (``…:want``, ``…:more``) and sleeps
      on a wake-up list (``…:wake``) a release pushes to. States are written by one Lua script that checks the
      fence first: a holder whose lock expired and was taken by another has its write refused
      (`StateStoreError` "conflict").
    - The worker a tab of the client is connected to keeps the client's lock after an event, as a lease, with
      the records (and state instances) it read and wrote under it, while that tab's events keep coming. A
      steady stream of events then costs one round trip each, one Lua call run before the client is told the
      event is done: write what changed (if anything), refresh the states' expiry and extend the lock. The
      holder lets go at its next store when another worker marked the lock wanted, after ``lease`` seconds
      without an event, when the tab disconnects, and on `close`. An event that finds no lease costs one more
      round trip first: take the lock and read the client's states; sessions that are not events (a tab's
      greeting, background tasks, `PyApp.modify_state`) take the lock and let go of it. This worker's own
      events of the client wait until the previous one's last update is sent, so their updates keep their
      order.
    - Events' scripts go through one connection of the manager's own, pipelined (`runtime/_redis_client.py`);
      waiting for locks, pub/sub and upkeep through redis-py's pool.
    - Updates no event asked for (background tasks, uploads, `PyApp.modify_state`) are published on
      ``<prefix>:u`` and sent by each worker to the tabs connected to it.

    Args:
        url: ``redis://``, ``rediss://`` or ``unix://`` URL of the server.
        ttl: Seconds a client's states are kept after their last use.
        prefix: Prefix of every key and channel.
        lock_expiry: Seconds a lock lasts unless renewed.
        max_state_bytes: Largest size of one client's states together; None for no limit.
        max_clients: Most clients with an open connection to this process; None for no limit.
        sweep_interval: Most seconds between two refreshes of the connected clients' expiry.
        max_connections: Most connections to Redis this process opens for waiting for locks, updates across
            workers and upkeep (more commands at once wait for one); events take one more, which carries
            the commands of all of them, pipelined.
        lease: Most seconds a worker keeps a client's lock while no event of the client comes; 0 lets go of
            it after every event (two round trips per event).

    Raises:
        ImportError: The redis package is not installed.
    """

    shared = True

    def __init__(
        self,
        url: str,
        ttl: float,
        *,
        prefix: str = "pyreact",
        lock_expiry: float = 10.0,
        max_state_bytes: int | None = None,
        max_clients: int | None = None,
        sweep_interval: float = 60.0,
        max_connections: int = 100,
        lease: float = 0.25,
    ) -> None:
        aioredis = import_redis()
        self.url = url
        self.ttl = ttl
        self.prefix = prefix
        self.lock_expiry = lock_expiry
        self.max_state_bytes = max_state_bytes
        self.max_clients = max_clients
        self.sweep_interval = sweep_interval
        self.lease = lease
        self._last = _LEASE if lease > 0 else _LET_GO  # how an event's last store ends
        # A blocking pool: past max_connections commands wait for a free connection (for 10 s at most) rather
        # than fail, so a burst of events costs latency, not errors.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=max_connections, timeout=10, socket_connect_timeout=5, health_check_interval=30
        )
        self.redis: Any = aioredis.Redis(connection_pool=pool)
        # Events go through a connection of their own, pipelined, without the pool's per-command bookkeeping.
        self._client = LeanClient(pool, timeout=10)
        self._errors: tuple[type[BaseException], ...] = (aioredis.RedisError, OSError)
        self._client.bind(importlib.import_module("redis.exceptions"), importlib.import_module("hiredis"))
        self._held: dict[str, _Held] = {}  # the locks this process holds, in use or leased
        self._local: dict[str, tuple[asyncio.Lock, list[int]]] = {}
        self._connected: dict[str, int] = {}
        self._warned: set[tuple[str, str]] = set()
        self._renewer: asyncio.Task[None] | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._chores: set[asyncio.Task[Any]] = set()
        self._down = False  # an outage was logged and nothing has answered since

    def __repr__(self) -> str:
        return f"RedisStateManager({redact_url(self.url)!r}, prefix={self.prefix!r})"

    # --- keys ----------------------------------------------------------------------------------------

    def key(self, token: str) -> str:
        """Returns the Redis key of a client's states.

        Raises:
            ProtocolError: ``token`` is not a client key (`runtime/binding.py`).
        """
        # Only what runtime/binding.py derives becomes part of a key, so every key has a bounded name.
        if not isinstance(token, str) or not CLIENT_KEY.match(token):
            raise ProtocolError(
                f"Expected a client key (a handler's self.router.client_key), but got {str(token)[:80]!r}."
            )
        # The hash tag {…} puts the three keys of a client in one Redis Cluster slot, as its Lua scripts need.
        return f"{self.prefix}:s:{{{token}}}"

    def _release_keys(self, token: str) -> list[str]:
        # _RELEASE's KEYS: the lock, its wake-up list, its wanted marker and its "more waiters" marker.
        key = self.key(token)
        return [key + ":lock", key + ":wake", key + ":want", key + ":more"]

    @property
    def channel(self) -> str:
        """The pub/sub channel updates to tabs on other workers go through."""
        return f"{self.prefix}:u"

    # --- lifecycle -----------------------------------------------------------------------------------

    async def start(self) -> None:
        """Checks that Redis answers and starts renewing the locks this process holds.

        Raises:
            StateStoreError: Redis cannot be reached; the message names the URL without its password.
        """
        try:
            await self.redis.ping()
        except self._errors as exc:
            raise StateStoreError(
                f"Expected Redis at {redact_url(self.url)!r} to answer, but it did not ({exc}); start it, or fix "
                "Config.redis_url / PYREACT_REDIS_URL.",
                code="unavailable",
            ) from None
        if self._renewer is None:
            self._renewer = asyncio.create_task(self._renew_held(), name="pyreact lock renewer")
        if self._keeper is None:
            self._keeper = asyncio.create_task(self._end_idle_leases(), name="pyreact lease keeper")

    async def close(self) -> None:
        """Lets go of the leased locks, stops renewing locks and closes the connections."""
        tasks = [t for t in (self._renewer, self._keeper, *self._chores) if t is not None]
        self._renewer = self._keeper = None
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Another worker may take over this one's clients at once, rather than after the locks expire.
        await self._end_leases(math.inf)
        await self._client.close()
        await self.redis.aclose()
        await self.redis.connection_pool.disconnect()

    # --- the lock ------------------------------------------------------------------------------------

    def lock(self, token: str) -> AbstractAsyncContextManager[Fence]:
        return _Lock(self, token)

    def session(self, token: str, router: Router | None = None) -> Session:
        return _Session(self, token, router)

    async def acquire(self, token: str) -> str:
        """Waits for the client's lock, on any worker, and returns its fence.

        Raises:
            StateStoreError: Redis cannot be reached.
        """
        key = self.key(token)
        await self._enter(token)
        try:
            held = self._held.get(token)
            if held is not None:
                held.busy = True
                if time.monotonic() < held.until:  # leased: surely still ours
                    return held.fence
                # Leased, but not extended for a while (a stalled process), or not let go of (Redis did not
                # answer): taken again below with its fence, which finds it if it is still ours.
                fence = held.fence
            else:
                fence = secrets.token_urlsafe(12)
            expiry = int(self.lock_expiry * 1000)
            wait = min(_MAX_WAIT, self.lock_expiry / 2)
            args = [fence, expiry, int(self.ttl * 1000), int(wait * 2000)]
            keys = [key + ":lock", key, key + ":want", key + ":more"]
            wanted = False
            try:
                while True:
                    sent = time.monotonic()
                    # Shielded: a cancellation (a closed tab) between Redis taking the lock and its reply arriving
                    # would leave the lock held until it expires. It is delivered at the next await instead,
                    # with the lock ours, and the session lets go of it.
                    with anyio.CancelScope(shield=True):
                        raw = await self._client.run(_ACQUIRE, keys, args)
                    self._down = False
                    if raw is not None:
                        break
                    wanted = True
                    await self.redis.blpop([key + ":wake"], timeout=wait)
            except self._errors as exc:
                raise self._unavailable(exc) from None
            except BaseException:
                if wanted:  # withdraw the mark, so that the lock does not wait for this waiter
                    self._chore(self._quietly(self._client.run(_RELEASE, self._release_keys(token), [fence])))
                raise
        except BaseException:
            if held is not None:  # still to be let go of, or taken again with its fence
                held.until = 0.0
            self._let_go(token, lease=held is not None)
            raise
        self._held.pop(token, None)
        records = {raw[i].decode("utf-8", "replace"): raw[i + 1] for i in range(0, len(raw) - 1, 2)}
        self._held[token] = _Held(fence, records, sent + self.lock_expiry / 2)
        return fence

    async def release(self, token: str, fence: str) -> None:
        """Lets go of the client's lock, if it is still the one of ``fence``, and wakes a waiter."""
        try:
            await self._client.run(_RELEASE, self._release_keys(token), [fence])
        except self._errors as exc:
            self._unavailable(exc)  # logged once per outage
            # Let go of later: a durable Redis keeps the lock across a restart, until it expires.
            held = self._held.get(token)
            if held is not None and held.fence == fence:
                held.until = 0.0
                self._let_go(token, lease=True)
                return
        self._let_go(token)

    async def _enter(self, token: str) -> None:
        # Sessions of this process queue here, so only one of them at a time asks Redis for a client's lock.
        local = self._local.get(token)
        if local is None:
            local = self._local[token] = (asyncio.Lock(), [0])
        local[1][0] += 1
        try:
            await local[0].acquire()
        except BaseException:
            self._unref(token)
            raise

    def _let_go(self, token: str, *, lease: bool = False) -> None:
        held = self._held.get(token) if lease else self._held.pop(token, None)
        if held is not None and lease:
            held.busy = False
            held.used = time.monotonic()
        self._local[token][0].release()
        self._unref(token)

    def _unref(self, token: str) -> None:
        _, count = self._local[token]
        count[0] -= 1
        if count[0] == 0:
            del self._local[token]

    async def _quietly(self, job: Awaitable[Any]) -> None:
        try:
            await job
        except self._errors as exc:
            _stop_if_cancelled()
            self._unavailable(exc)  # logged once per outage; the lock expires by itself

    async def _all(self, commands: Iterable[Awaitable[Any]]) -> list[Any]:
        """Runs ``commands`` (`LeanClient.run` calls, which go out together, pipelined) and returns their
        replies in order; raises the first failure once every one has ended."""
        replies = await asyncio.gather(*commands, return_exceptions=True)
        for reply in replies:
            if isinstance(reply, BaseException):
                raise reply
        return replies

    def _chore(self, job: Any) -> None:
        task = asyncio.ensure_future(job)
        self._chores.add(task)
        task.add_done_callback(self._chores.discard)

    async def _every(self, interval: float, job: Callable[[], Awaitable[None]]) -> None:
        """Runs ``job`` every ``interval`` seconds until cancelled; a Redis outage is logged and it tries again."""
        while True:
            _stop_if_cancelled()
            await asyncio.sleep(interval)
            try:
                await job()
            except self._errors as exc:
                _stop_if_cancelled()
                self._unavailable(exc)  # logged once per outage

    async def _renew_held(self) -> None:
        # A handler may run for longer than the lock lasts: while its worker lives, the lock is extended.
        await self._every(self.lock_expiry / 3, self._renew_once)

    async def _renew_once(self) -> None:
        # Not a lock that is only still to be let go of (Redis did not answer).
        held = [(t, h) for t, h in self._held.items() if h.busy or h.until > 0]
        if not held:
            return
        expiry = int(self.lock_expiry * 1000)
        sent = time.monotonic()
        renewed = await self._all(self._client.run(_RENEW, [self.key(t) + ":lock"], [h.fence, expiry]) for t, h in held)
        for (token, entry), ok in zip(held, renewed, strict=True):
            if ok:
                entry.until = max(entry.until, sent + self.lock_expiry / 2)
            elif not entry.busy and self._held.get(token) is entry:
                del self._held[token]  # a lease whose lock expired: taken again by the next event

    async def _end_idle_leases(self) -> None:
        await self._every(
            self.lease / 2 if self.lease > 0 else 1.0, lambda: self._end_leases(time.monotonic() - self.lease)
        )

    async def _end_leases(self, unused_since: float) -> None:
        # Leases no session uses or waits for; held under the local lock while they are let go of, so that a
        # session that comes meanwhile waits and then takes the lock anew.
        tokens = [t for t, h in self._held.items() if not h.busy and t not in self._local and h.used <= unused_since]
        if not tokens:
            return
        for token in tokens:
            await self._enter(token)  # uncontended: returns without yielding
        try:
            await self._all(self._client.run(_RELEASE, self._release_keys(t), [self._held[t].fence]) for t in tokens)
        except self._errors as exc:
            self._unavailable(exc)  # logged once per outage; tried again at the next round
            for token in tokens:
                self._let_go(token, lease=True)
            _stop_if_cancelled()
            return
        except BaseException:
            for token in tokens:
                self._let_go(token)
            raise
        for token in tokens:
            self._let_go(token)

    # --- records -------------------------------------------------------------------------------------

    async def load(self, token: str, state: type[State]) -> State | None:
        held = self._held.get(token)
        assert held is not None, "load is called under the lock"
        record = held.raw.get(state.state_name())
        return None if record is None else self.decode(state, record)

    async def _load_or_create(self, token: str, state: type[State]) -> State:
        held = self._held[token]
        instance = held.states.get(state)
        if instance is None:
            record = held.raw.get(state.state_name())
            instance = held.states[state] = state() if record is None else self.decode(state, record)
        return instance

    def decode(self, cls: type[State], record: bytes) -> State:
        """Returns an instance of ``cls`` with the vars of ``record`` that still fit their declared types.

        What does not fit (a var retyped since the record was written, garbage, a record that is no msgpack
        map) keeps its default, and is logged once per state class.
        """
        state = cls()
        if self.max_state_bytes is not None and len(record) > self.max_state_bytes:
            self._warn_once(cls, "size", "is larger than max_state_bytes")
            return state
        try:
            data = msgspec.msgpack.decode(record)
        except Exception:  # a hand-written record: anything msgspec raises (even RecursionError) means garbage
            data = None
        if not isinstance(data, dict):
            self._warn_once(cls, "garbage", "is not a msgpack map of vars")
            return state
        values = tracker(state).values
        types = cls.var_types()
        for name, value in data.items():
            if name not in values:
                self._warn_once(cls, "removed", f"has a var {str(name)[:80]!r} the class no longer declares")
                continue
            try:
                values[name] = msgspec.convert(value, types[name])
            except Exception:
                self._warn_once(cls, f"type:{name}", f'has a value of var "{name}" that no longer fits its type')
        return state

    def _warn_once(self, cls: type[State], what: str, message: str) -> None:
        if (cls.state_name(), what) not in self._warned:
            self._warned.add((cls.state_name(), what))
            logger.warning(
                'A stored record of state "%s" %s; loaded defaults for what does not fit (logged once).',
                cls.state_name(),
                message,
            )

    def encode(self, state: State) -> bytes:
        """Returns a state's record: its vars, backend-only ones included, as msgpack.

        Raises:
            StateStoreError: A var holds a value msgpack cannot encode (code "unencodable").
        """
        values = tracker(state).values
        try:
            return _encoder.encode(values)
        except (TypeError, msgspec.EncodeError):
            for name, value in values.items():
                try:
                    _encoder.encode(value)
                except (TypeError, msgspec.EncodeError) as exc:
                    raise StateStoreError(
                        f'Expected var "{type(state).__name__}.{name}" to hold a value msgpack can encode, since '
                        f"states are kept in Redis, but got {type(value).__name__!r} ({exc}); keep such objects "
                        "outside the state (in a dict of the app, keyed by the client) or store their data.",
                        code="unencodable",
                    ) from None
            raise  # pragma: no cover - one of the vars failed above

    def check(self, token: str, tree: StateTree) -> None:
        """Measures the client's states with the changes in ``tree``, before they are committed.

        Raises:
            LimitError: They would be larger than ``max_state_bytes``.
            StateStoreError: A var holds a value msgpack cannot encode.
        """
        loaded = {state.state_name(): len(self.encode(state)) for state in tree.states}
        if self.max_state_bytes is None:
            return
        held = self._held.get(token)
        others = {} if held is None else held.raw
        size = sum(loaded.values()) + sum(len(v) for k, v in others.items() if k not in loaded)
        if size > self.max_state_bytes:
            raise LimitError(
                f"Expected the client's state to stay within {self.max_state_bytes} bytes, but the event would "
                f"make it {size}; nothing was changed. Raise Config.max_state_bytes if the app needs more.",
                code="too_large",
            )

    async def store(self, token: str, states: Iterable[State], fence: Fence = None) -> None:
        await self._write(token, states, fence, _KEEP)

    async def _write(self, token: str, states: Iterable[State], fence: Fence, mode: str) -> int | None:
        # Returns _STORE's reply (2: kept as a lease), or None if nothing was to be written and the lock is kept.
        assert fence is not None, "a Redis lock always has a fence"
        key = self.key(token)
        held = self._held.get(token)
        raw = {} if held is None else held.raw
        args: list[Any] = [fence, int(self.ttl * 1000), mode, int(self.lock_expiry * 1000)]
        changed: dict[str, bytes] = {}
        for state in states:
            record = self.encode(state)
            name = state.state_name()
            # Unchanged records are not sent again, and a client that never changed anything has no key.
            if raw.get(name) != record and (name in raw or record != _encoder.encode(tracker(type(state)()).values)):
                args += (name, record)
                changed[name] = record
        if not changed and mode == _KEEP:
            return None
        sent = time.monotonic()
        try:
            written: int = await self._client.run(_STORE, [key + ":lock", key, key + ":wake", key + ":want"], args)
        except self._errors as exc:
            raise self._unavailable(exc) from None
        if not written and changed:
            raise StateStoreError(
                "Expected to still hold the client's lock when saving its state, but it expired while the event "
                "ran and another event took it; this event's changes were not saved, so as not to overwrite "
                "newer ones. Raise Config.lock_expiry if the server stalls for that long.",
                code="conflict",
            )
        if held is not None:
            raw.update(changed)
            if written == 2:
                held.until = sent + self.lock_expiry / 2
        return written

    def _unavailable(self, exc: BaseException) -> StateStoreError:
        # Logged with the detail once per outage; the client is told only that the store did not answer (the
        # detail names internal addresses).
        if not self._down:
            self._down = True
            logger.warning("Redis at %s does not answer (%s); events fail until it is back.", redact_url(self.url), exc)
        return StateStoreError(
            "Expected the server's state store to answer, but it did not; nothing was changed. Try again in a moment.",
            code="unavailable",
        )

    # --- connections and expiry ----------------------------------------------------------------------

    def connect(self, token: str) -> None:
        """Records an open connection of ``token``; its states' expiry is refreshed while it is open.

        Raises:
            LimitError: ``max_clients`` clients are connected to this process.
        """
        if token not in self._connected and self.max_clients is not None and len(self._connected) >= self.max_clients:
            raise LimitError(
                f"Expected at most {self.max_clients} clients connected to this worker, but a new one came; try "
                "again later, or raise Config.max_clients.",
                code="too_many_clients",
            )
        self._connected[token] = self._connected.get(token, 0) + 1

    def disconnect(self, token: str) -> None:
        count = self._connected.pop(token, 0) - 1
        if count > 0:
            self._connected[token] = count
            return
        # Its last tab here is gone, and with it the stream of events a lease is kept for: let go of it now.
        held = self._held.get(token)
        if held is not None and not held.busy:
            del self._held[token]
            self._chore(self._quietly(self._client.run(_RELEASE, self._release_keys(token), [held.fence])))

    async def run_sweeper(self) -> None:
        """Refreshes the expiry of the connected clients' states until cancelled; Redis drops the others."""
        await self._every(min(self.sweep_interval, self.ttl / 2), self._refresh_connected)

    async def _refresh_connected(self) -> None:
        tokens = list(self._connected)
        if tokens:
            async with self.redis.pipeline(transaction=False) as pipe:
                for token in tokens:
                    pipe.pexpire(self.key(token), int(self.ttl * 1000))
                await pipe.execute()

    # --- updates across workers ----------------------------------------------------------------------

    async def broadcast(self, token: str, update: Update, local: Deliver) -> None:
        """Publishes the update; every worker (this one too) sends it to the tabs of ``token`` it has.

        Raises:
            StateStoreError: Redis cannot be reached.
        """
        try:
            relayed = _Relayed(token, update.delta, update.error, list(update.actions))
            await self.redis.publish(self.channel, _update_encoder.encode(relayed))
        except self._errors as exc:
            raise self._unavailable(exc) from None

    async def listen(self, local: Deliver, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Sends the updates published on the channel to this worker's tabs until cancelled; resubscribes
        after Redis comes back."""
        decoder = _relay_decoder()
        backoff = 0.1
        started = False
        while True:
            _stop_if_cancelled()
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                backoff = 0.1
                self._down = False
                if not started:
                    started = True
                    task_status.started()
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    try:
                        relayed = decoder.decode(message["data"])
                    except (msgspec.DecodeError, TypeError):
                        logger.warning("Ignored a message on %s that is no update.", self.channel)
                        continue
                    update = Update(delta=relayed.delta, error=relayed.error, actions=relayed.actions)
                    await local(relayed.token, update)
            except self._errors as exc:
                _stop_if_cancelled()
                self._unavailable(exc)  # logged once per outage; resubscribed when it answers again
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                await pubsub.aclose()


class _Lock:
    __slots__ = ("_fence", "_manager", "_token")

    def __init__(self, manager: RedisStateManager, token: str) -> None:
        self._manager = manager
        self._token = token
        self._fence = ""

    async def __aenter__(self) -> Fence:
        self._fence = await self._manager.acquire(self._token)
        return self._fence

    async def __aexit__(self, *exc_info: object) -> None:
        await self._manager.release(self._token, self._fence)


class _Session(Session):
    # What is left to save, and the release (or the lease's extension), are one script, one round trip.
    __slots__ = ("_fence", "_lease", "_manager", "_router", "_saved", "_token", "_tree")

    def __init__(self, manager: RedisStateManager, token: str, router: Router | None) -> None:
        self._manager = manager
        self._token = token
        self._router = router
        self._tree: StateTree | None = None
        self._fence = ""
        self._saved = False  # the last save is done: the lock was let go of, or kept as a lease
        self._lease = False

    async def __aenter__(self) -> StateTree:
        self._fence = await self._manager.acquire(self._token)
        self._tree = StateTree(partial(self._manager._load_or_create, self._token), self._router)
        return self._tree

    async def save(self, last: bool = False) -> None:
        assert self._tree is not None
        manager = self._manager
        # A lease only for a client with a tab connected to this worker: its next event comes here.
        mode = (manager._last if self._token in manager._connected else _LET_GO) if last else _KEEP
        written = await manager._write(self._token, self._tree.states, self._fence, mode)
        # Other workers may take the lock now, unless it is kept as a lease; this worker's own waiters still
        # wait for the block to end (the local lock), so what it sends next keeps its order with their updates.
        if last:
            self._saved, self._lease = True, written == 2

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        tree = self._tree
        assert tree is not None
        manager = self._manager
        try:
            if exc is not None:
                tree.rollback()
            if self._saved:
                # Nothing is left to write, unless a state changed after the last save (its changes are
                # committed before it): such a change is written only if the lock is still ours (kept as a
                # lease), and refused otherwise, as a change by a holder that lost it is.
                if not all(tracker(state).unchanged() for state in tree.states):
                    await manager._write(self._token, tree.states, self._fence, _KEEP)
            else:
                # Not an event (a tab's greeting, a task, a push): let go, as it is no stream of events to lease for.
                await manager._write(self._token, tree.states, self._fence, _LET_GO)
        except BaseException:
            # The lock is still ours unless it was taken: let go of it (a no-op if taken), then raise.
            await manager.release(self._token, self._fence)
            raise
        else:
            manager._let_go(self._token, lease=self._lease)
