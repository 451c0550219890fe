from __future__ import annotations

import asyncio
import functools
import logging
import operator
import secrets
from collections.abc import Iterable
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING, Any

import anyio
import msgspec
from anyio.abc import TaskStatus

from pyreact_asgi.actions import Action
from pyreact_asgi.config import redact_url
from pyreact_asgi.exceptions import LimitError, ProtocolError, StateStoreError
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

# Takes the lock's fence, writes the changed states and refreshes their expiry in one step, so no other
# holder can come between the check and the write (reflex-dev/reflex#6855 checks with GET, then writes with
# a separate SET). KEYS: lock, states hash, wake-up list. ARGV: fence, state ttl (ms), release (0/1), then
# name, record pairs.
_STORE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
if ARGV[3] == '1' then
  redis.call('DEL', KEYS[1])
  redis.call('RPUSH', KEYS[3], 1)
  redis.call('LTRIM', KEYS[3], -4, -1)
  redis.call('PEXPIRE', KEYS[3], 5000)
end
return 1
"""
# Takes the lock if it is free, and then reads the client's states and refreshes their expiry: one round
# trip. KEYS: lock, states hash. ARGV: fence, lock expiry (ms), state ttl (ms). Returns nil if taken.
_ACQUIRE = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return redis.call('HGETALL', KEYS[2])
"""
# Lets go of the lock if it is still ours, and wakes one waiter. KEYS: lock, wake-up list. ARGV: fence.
_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('RPUSH', KEYS[2], 1)
redis.call('LTRIM', KEYS[2], -4, -1)
redis.call('PEXPIRE', KEYS[2], 5000)
return 1
"""
# Extends the lock if it is still ours. KEYS: lock. ARGV: fence, expiry (ms).
_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
"""

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
    """Returns ``redis.asyncio``.

    Raises:
        ImportError: The redis package is not installed; the message gives the fix.
    """
    try:
        import redis.asyncio
    except ImportError as exc:
        raise ImportError(
            "Config.redis_url (or PYREACT_REDIS_URL) needs the redis package: pip install 'pyreact-asgi[redis]'"
        ) from exc
    return redis.asyncio


class _Held:
    """A lock this process holds: its fence, and the client's records as read under it."""

    __slots__ = ("fence", "raw")

    def __init__(self, fence: str) -> None:
        self.fence = fence
        self.raw: dict[str, bytes] | None = None  # state name → record, read when the lock was taken


class RedisStateManager(StateManager):
    """Keeps each client's states in Redis (or Valkey), shared by every worker and machine that uses it.

    - Each client is one hash, ``<prefix>:s:{<client key>}``, with one field per state: the state's vars
      (backend-only ones too) as msgspec msgpack, decoded against the declared types, never pickle. A field
      that no longer fits (a var added, removed or retyped since it was written, or garbage) loads with
      defaults for what does not fit, logged once per state class. The hash expires ``ttl`` seconds after
      its last use, and is refreshed while a tab of the client is connected.
    - The client's lock is ``<prefix>:s:{<client key>}:lock``, ``SET NX`` with a random fence that expires after
      ``lock_expiry`` and is renewed while held. A waiter sleeps on a wake-up list a release pushes to.
      States are written by one Lua script that checks the fence first: a holder whose lock expired and was
      taken by another has its write refused (`StateStoreError` "conflict").
    - Updates no event asked for (background tasks, uploads, `PyApp.modify_state`) are published on
      ``<prefix>:u`` and sent by each worker to the tabs connected to it.

    An event costs two round trips, each one Lua call: take the lock and read the client's states (refreshing
    their expiry); then, before the client is told the event is done, write what changed and let go of the
    lock. Other workers may take it from then on; this worker's own events of the client wait until the
    event's last update is sent, so their updates keep their order.

    Args:
        url: ``redis://``, ``rediss://`` or ``unix://`` URL of the server.
        ttl: Seconds a client's states are kept after their last use.
        prefix: Prefix of every key and channel.
        lock_expiry: Seconds a lock lasts unless renewed.
        max_state_bytes: Largest size of one client's states together; None for no limit.
        max_clients: Most clients with an open connection to this process; None for no limit.
        sweep_interval: Most seconds between two refreshes of the connected clients' expiry.
        max_connections: Most connections to Redis this process opens; more commands at once wait for one.

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
    ) -> None:
        aioredis = import_redis()
        self.url = url
        self.ttl = ttl
        self.prefix = prefix
        self.lock_expiry = lock_expiry
        self.max_state_bytes = max_state_bytes
        self.max_clients = max_clients
        self.sweep_interval = sweep_interval
        # A blocking pool: past max_connections commands wait for a free connection (for 10 s at most) rather
        # than fail, so a burst of events costs latency, not errors.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=max_connections, timeout=10, socket_connect_timeout=5, health_check_interval=30
        )
        self.redis: Any = aioredis.Redis(connection_pool=pool)
        self._store = self.redis.register_script(_STORE)
        self._release = self.redis.register_script(_RELEASE)
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._renew = self.redis.register_script(_RENEW)
        self._errors: tuple[type[BaseException], ...] = (aioredis.RedisError, OSError)
        self._held: dict[str, _Held] = {}
        self._local: dict[str, tuple[asyncio.Lock, list[int]]] = {}
        self._connected: dict[str, int] = {}
        self._warned: set[tuple[str, str]] = set()
        self._renewer: asyncio.Task[None] | None = None
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

    async def close(self) -> None:
        """Stops renewing locks and closes the connections."""
        if self._renewer is not None:
            self._renewer.cancel()
            await asyncio.gather(self._renewer, return_exceptions=True)
            self._renewer = None
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
        local = self._local.get(token)
        if local is None:
            local = self._local[token] = (asyncio.Lock(), [0])
        # Waiters of this process queue here, so only one of them at a time asks Redis.
        local[1][0] += 1
        try:
            await local[0].acquire()
        except BaseException:
            self._unref(token)
            raise
        try:
            fence = secrets.token_urlsafe(12)
            expiry = int(self.lock_expiry * 1000)
            wait = min(_MAX_WAIT, self.lock_expiry / 2)
            try:
                while True:
                    # Shielded: a cancellation (a closed tab) between Redis taking the lock and its reply arriving
                    # would leave the lock held until it expires. It is delivered at the next await instead,
                    # with the lock ours, and the session lets go of it.
                    with anyio.CancelScope(shield=True):
                        raw = await self._acquire(keys=[key + ":lock", key], args=[fence, expiry, int(self.ttl * 1000)])
                    self._down = False
                    if raw is not None:
                        break
                    await self.redis.blpop([key + ":wake"], timeout=wait)
            except self._errors as exc:
                raise self._unavailable(exc) from None
        except BaseException:
            self._let_go(token)
            raise
        held = self._held[token] = _Held(fence)
        held.raw = {raw[i].decode("utf-8", "replace"): raw[i + 1] for i in range(0, len(raw) - 1, 2)}
        return fence

    async def release(self, token: str, fence: str) -> None:
        """Lets go of the client's lock, if it is still the one of ``fence``, and wakes a waiter."""
        key = self.key(token)
        try:
            await self._release(keys=[key + ":lock", key + ":wake"], args=[fence])
        except self._errors as exc:
            self._unavailable(exc)  # logged once per outage; the lock expires by itself
        finally:
            self._let_go(token)

    def _let_go(self, token: str) -> None:
        self._held.pop(token, None)
        self._local[token][0].release()
        self._unref(token)

    def _unref(self, token: str) -> None:
        _, count = self._local[token]
        count[0] -= 1
        if count[0] == 0:
            del self._local[token]

    async def _renew_held(self) -> None:
        # A handler may run for longer than the lock lasts: while its worker lives, the lock is extended.
        interval = self.lock_expiry / 3
        expiry = int(self.lock_expiry * 1000)
        while True:
            await asyncio.sleep(interval)
            held = list(self._held.items())
            if not held:
                continue
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    for token, entry in held:
                        await self._renew(keys=[self.key(token) + ":lock"], args=[entry.fence, expiry], client=pipe)
                    await pipe.execute()
            except self._errors as exc:
                self._unavailable(exc)  # logged once per outage

    # --- records -------------------------------------------------------------------------------------

    async def load(self, token: str, state: type[State]) -> State | None:
        held = self._held.get(token)
        assert held is not None, "load is called under the lock"
        assert held.raw is not None, "read with the lock"
        record = held.raw.get(state.state_name())
        return None if record is None else self.decode(state, record)

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
        others = {} if held is None or held.raw is None else held.raw
        size = sum(loaded.values()) + sum(len(v) for k, v in others.items() if k not in loaded)
        if size > self.max_state_bytes:
            raise LimitError(
                f"Expected the client's state to stay within {self.max_state_bytes} bytes, but the event would "
                f"make it {size}; nothing was changed. Raise Config.max_state_bytes if the app needs more.",
                code="too_large",
            )

    async def store(self, token: str, states: Iterable[State], fence: Fence = None) -> None:
        await self._write(token, states, fence, release=False)

    async def _write(self, token: str, states: Iterable[State], fence: Fence, *, release: bool) -> None:
        assert fence is not None, "a Redis lock always has a fence"
        key = self.key(token)
        held = self._held.get(token)
        raw = {} if held is None or held.raw is None else held.raw
        args: list[Any] = [fence, int(self.ttl * 1000), int(release)]
        changed: dict[str, bytes] = {}
        for state in states:
            record = self.encode(state)
            name = state.state_name()
            # Unchanged records are not sent again, and a client that never changed anything has no key.
            if raw.get(name) != record and (name in raw or record != _encoder.encode(tracker(type(state)()).values)):
                args += (name, record)
                changed[name] = record
        if len(args) == 3 and not release:
            return
        try:
            if len(args) == 3:
                written = await self._release(keys=[key + ":lock", key + ":wake"], args=[fence])
            else:
                written = await self._store(keys=[key + ":lock", key, key + ":wake"], args=args)
        except self._errors as exc:
            raise self._unavailable(exc) from None
        if not written and len(args) > 3:
            raise StateStoreError(
                "Expected to still hold the client's lock when saving its state, but it expired while the event "
                "ran and another event took it; this event's changes were not saved, so as not to overwrite "
                "newer ones. Raise Config.lock_expiry if the server stalls for that long.",
                code="conflict",
            )
        raw.update(changed)

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

    async def run_sweeper(self) -> None:
        """Refreshes the expiry of the connected clients' states until cancelled; Redis drops the others."""
        interval = min(self.sweep_interval, self.ttl / 2)
        while True:
            await asyncio.sleep(interval)
            tokens = list(self._connected)
            if not tokens:
                continue
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    for token in tokens:
                        pipe.pexpire(self.key(token), int(self.ttl * 1000))
                    await pipe.execute()
            except self._errors as exc:
                self._unavailable(exc)  # logged once per outage

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
    # What is left to save and the release are one script, one round trip.
    __slots__ = ("_fence", "_manager", "_released", "_router", "_token", "_tree")

    def __init__(self, manager: RedisStateManager, token: str, router: Router | None) -> None:
        self._manager = manager
        self._token = token
        self._router = router
        self._tree: StateTree | None = None
        self._fence = ""
        self._released = False

    async def __aenter__(self) -> StateTree:
        self._fence = await self._manager.acquire(self._token)
        self._tree = StateTree(partial(self._manager._load_or_create, self._token), self._router)
        return self._tree

    async def save(self, last: bool = False) -> None:
        assert self._tree is not None
        await self._manager._write(self._token, self._tree.states, self._fence, release=last)
        # Other workers may take the lock now; this worker's own waiters still wait for the block to end
        # (the local lock), so what it sends next keeps its order with their updates.
        self._released = last

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        tree = self._tree
        assert tree is not None
        manager = self._manager
        try:
            if exc is not None:
                tree.rollback()
            # After the last save, nothing is left to write; a change made after it is refused (the lock is
            # gone), as a change by a holder that lost its lock is.
            await manager._write(self._token, tree.states, self._fence, release=not self._released)
        except BaseException:
            # The lock is still ours unless it was taken: let go of it (a no-op if taken), then raise.
            await manager.release(self._token, self._fence)
            raise
        else:
            manager._let_go(self._token)
