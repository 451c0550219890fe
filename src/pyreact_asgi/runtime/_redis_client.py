from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from typing import Any

__all__ = ["LeanClient"]


class LeanClient:
    """Runs Lua scripts on connections of its own, one command at a time on each, taken from a free list.

    The hot path of the Redis state manager (one script per event) through redis-py's ``Redis`` client costs
    several times the command itself: the pool's checkout and release (a lock, a timeout, a health check), the
    retry wrapper, the observability hooks, the ``Script`` wrapper. Here a command is one ``pack_command``, one
    write and one ``read_response`` on a redis-py ``Connection`` (with its parser: hiredis when installed).

    Each command has a deadline of ``timeout`` seconds (redis-py's own per-read and per-write timeouts are
    turned off: they cost a task per write). A connection that fails is dropped, and a command that failed on a connection that had served before (Redis
    restarted since) is sent once more on a new one; a script Redis no longer knows (its cache is emptied by a
    restart) is loaded and run again.

    Args:
        pool: The redis-py pool whose settings (address, credentials, TLS) the connections are made with.
        most: Most connections open at once; more commands at once wait for one.
        timeout: Most seconds a command may take, once it has a connection.
    """

    def __init__(self, pool: Any, most: int, timeout: float) -> None:
        self._pool = pool
        self._most = most
        self._timeout = timeout
        self._free: list[Any] = []
        self._all: set[Any] = set()
        self._waiters: deque[asyncio.Future[Any]] = deque()
        self._errors: tuple[type[BaseException], ...] = ()
        self._missing: type[BaseException] = Exception

    def bind(self, errors: tuple[type[BaseException], ...], missing: type[BaseException]) -> None:
        """Sets the exceptions of a lost connection, and redis-py's ``NoScriptError``."""
        self._errors, self._missing = errors, missing

    async def run(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        """Runs ``script`` with ``keys`` and ``args`` (EVALSHA) and returns its reply.

        Raises:
            redis.RedisError: Redis refused it, or cannot be reached.
            OSError: Redis cannot be reached.
        """
        command = script.pack(keys, args)
        conn = await self._take()
        try:
            used = conn.is_connected
            try:
                async with asyncio.timeout(self._timeout):
                    return await self._call(conn, command, script)
            except self._errors:
                if not used:
                    raise
            # The connection had served before and failed now: Redis restarted (or dropped it) since. Once more,
            # on a new one; a failure then is Redis being gone.
            await conn.disconnect(nowait=True)
            async with asyncio.timeout(self._timeout):
                return await self._call(conn, command, script)
        except TimeoutError:
            await conn.disconnect(nowait=True)  # a reply may still come: never read it as another's
            raise
        finally:
            self._give(conn)

    async def _call(self, conn: Any, command: bytes, script: Script) -> Any:
        await conn.send_packed_command(command, check_health=False)
        try:
            return await conn.read_response()
        except self._missing:
            await conn.send_packed_command(conn.pack_command("SCRIPT", "LOAD", script.source), check_health=False)
            await conn.read_response()
            await conn.send_packed_command(command, check_health=False)
            return await conn.read_response()

    async def _take(self) -> Any:
        if self._free:
            return self._free.pop()
        if len(self._all) < self._most:
            conn = self._pool.make_connection()
            conn.socket_timeout = None  # `run` has a deadline of its own
            self._all.add(conn)
            return conn
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._give(waiter.result())  # handed over as it was cancelled: pass it on
            raise

    def _give(self, conn: Any) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        self._free.append(conn)

    async def close(self) -> None:
        """Closes every connection; a command still running on one fails."""
        conns, self._all, self._free = self._all, set(), []
        for conn in conns:
            await conn.disconnect()


class Script:
    """A Lua script and its SHA1, by which Redis runs it once it has been loaded."""

    __slots__ = ("_head", "sha", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()
        self._head = b"$7\r\nEVALSHA\r\n$40\r\n" + self.sha.encode() + b"\r\n"

    def pack(self, keys: list[str], args: list[Any]) -> bytes:
        """Returns the EVALSHA command that runs the script, in the Redis protocol (RESP).

        By hand, for the arguments these scripts take (str, bytes, int): redis-py's general ``pack_command``,
        with an encoder call per argument, cost a quarter of an event's Redis client time.
        """
        parts = [b"*%d\r\n" % (3 + len(keys) + len(args)), self._head]
        for item in (len(keys), *keys, *args):
            data = item if isinstance(item, bytes) else str(item).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(parts)
