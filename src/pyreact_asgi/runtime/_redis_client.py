from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from typing import Any

__all__ = ["LeanClient", "Script"]


class LeanClient:
    """Runs Lua scripts on one connection of its own, pipelined: the commands of every task go out together.

    The hot path of the Redis state manager (one script per event) through redis-py's ``Redis`` client costs
    several times the command itself: the pool's checkout and release (a lock, a timeout, a health check), the
    retry wrapper, the observability hooks, the ``Script`` wrapper. Here a command is a future in a queue: the
    commands made while the event loop runs its other ready tasks are written with one ``send_packed_command``,
    and one task reads the replies (redis-py's ``read_response``, with its parser: hiredis when installed) and
    hands each to its command, in order (Redis answers the commands of a connection in the order sent). Redis
    runs one command at a time anyway, so one connection loses nothing; many events at once cost one write and
    one read of the socket together.

    Each command has a deadline of ``timeout`` seconds. A lost connection fails the commands in flight; a
    command that failed so on a connection that had answered before (Redis restarted since) is sent once more
    on a new one; a script Redis no longer knows (a restart empties its cache) is loaded and run again.

    Args:
        pool: The redis-py pool whose settings (address, credentials, TLS) the connection is made with.
        timeout: Most seconds a command may take.
    """

    def __init__(self, pool: Any, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout
        self._conn: Any = None
        self._connecting: asyncio.Future[Any] | None = None
        self._answered = False  # the current connection answered a command
        self._pending: deque[asyncio.Future[Any]] = deque()
        self._out: list[bytes] = []
        self._reader: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Future[Any]] = set()  # disconnects of lost connections, awaited by `close`
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._lost_error: type[BaseException] = OSError
        self._response: type[BaseException] = Exception
        self._missing: type[BaseException] = Exception

    def bind(self, redis: Any) -> None:
        """Takes the exceptions it raises from ``redis`` (the ``redis.exceptions`` module)."""
        self._errors = (redis.RedisError, OSError)
        self._lost_error = redis.ConnectionError
        self._response = redis.ResponseError
        self._missing = redis.NoScriptError

    async def run(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        """Runs ``script`` with ``keys`` and ``args`` (EVALSHA) and returns its reply.

        Raises:
            redis.RedisError: Redis refused it, or cannot be reached.
            OSError: Redis cannot be reached.
            TimeoutError: No reply within the deadline.
        """
        command = script.pack(keys, args)
        async with asyncio.timeout(self._timeout):
            conn = await self._connection()
            answered = self._answered
            try:
                return await self._call(conn, command, script)
            except self._errors:
                if not answered:
                    raise
            # The connection had answered before and failed now: Redis restarted (or dropped it) since. Once
            # more, on a new one; a failure then is Redis being gone.
            return await self._call(await self._connection(), command, script)

    async def _call(self, conn: Any, command: bytes, script: Script) -> Any:
        try:
            return await self._send(conn, command)
        except self._missing:
            # Both on the same connection, in order: the script is loaded before the command runs again.
            loaded = self._send(conn, b"*3\r\n$6\r\nSCRIPT\r\n$4\r\nLOAD\r\n" + _bulk(script.source.encode()))
            again = self._send(conn, command)
            try:
                await loaded
            except BaseException:
                again.cancel()  # its reply is skipped; or, if it came, its outcome is retrieved here
                if not again.cancelled():
                    again.exception()
                raise
            return await again

    def _send(self, conn: Any, command: bytes) -> asyncio.Future[Any]:
        if conn is not self._conn:  # lost meanwhile; its commands failed
            raise self._lost_error("The connection to Redis was lost.")
        reply: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append(reply)
        if not self._out:
            asyncio.get_running_loop().call_soon(self._flush, conn)
        self._out.append(command)
        return reply

    def _flush(self, conn: Any) -> None:
        if conn is not self._conn:
            return  # lost since: its commands failed, and what is queued now is a newer connection's to flush
        out, self._out = self._out, []
        if out:
            # A write of a few hundred bytes goes to the socket at once; the task only awaits drain.
            task = asyncio.ensure_future(self._write(conn, out))
            task.add_done_callback(_retrieve)

    async def _write(self, conn: Any, out: list[bytes]) -> None:
        if conn is not self._conn:
            return  # lost meanwhile: its commands failed, and send_packed_command would connect it again
        try:
            await conn.send_packed_command(out, check_health=False)
        except BaseException as exc:
            self._lost(conn, exc)

    async def _connection(self) -> Any:
        if self._conn is not None:
            return self._conn
        if self._connecting is None:
            self._connecting = asyncio.ensure_future(self._connect())
            self._connecting.add_done_callback(_retrieve)
        try:
            return await asyncio.shield(self._connecting)
        finally:
            if self._connecting is not None and self._connecting.done():
                self._connecting = None

    async def _connect(self) -> Any:
        conn = self._pool.make_connection()
        conn.socket_timeout = None  # each command has a deadline of its own; the reader waits for replies
        await conn.connect()
        self._conn, self._answered = conn, False
        self._reader = asyncio.ensure_future(self._read(conn))
        return conn

    async def _read(self, conn: Any) -> None:
        pending = self._pending
        while True:
            try:
                reply = await conn.read_response()
            except self._response as exc:
                reply = exc  # an error reply (the script raised, or NOSCRIPT): for its command only
            except BaseException as exc:
                self._lost(conn, exc)
                if not isinstance(exc, Exception):
                    raise
                return
            self._answered = True
            if not pending:  # a reply no command waits for: out of step, start over
                self._lost(conn, self._lost_error("Redis sent a reply no command waits for."))
                return
            future = pending.popleft()
            if future.done():
                continue  # its caller gave up (cancelled, or past its deadline)
            if isinstance(reply, BaseException):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    def _lost(self, conn: Any, exc: BaseException, *, close: bool = True) -> None:
        if conn is not self._conn:
            return
        self._conn = None
        pending, self._pending = self._pending, deque()
        self._out = []
        error = (
            exc if isinstance(exc, self._errors) else self._lost_error(f"The connection to Redis was lost ({exc!r}).")
        )
        for future in pending:
            if not future.done():
                future.set_exception(error)
        if not close:
            return
        if self._reader is not None and self._reader is not asyncio.current_task():
            self._reader.cancel()
        self._reader = None
        closing = asyncio.ensure_future(conn.disconnect())  # waits for TLS to close too; `close` awaits it
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)
        closing.add_done_callback(_retrieve)

    async def close(self) -> None:
        """Closes the connection; commands in flight fail."""
        if self._connecting is not None:
            await asyncio.gather(self._connecting, return_exceptions=True)
        conn, reader = self._conn, self._reader
        if conn is not None:
            self._lost(conn, self._lost_error("The Redis state manager was closed."), close=False)
            # Closed before the reader ends (it ends as the socket closes): a reader cancelled mid-read would
            # close the socket without waiting, which leaves a TLS connection's socket open past the loop.
            await conn.disconnect()
        if reader is not None:
            reader.cancel()
            await asyncio.gather(reader, return_exceptions=True)
        self._reader = None
        await asyncio.gather(*self._closing, return_exceptions=True)


def _retrieve(task: asyncio.Future[Any]) -> None:
    # Its outcome reaches the commands through their own futures.
    if not task.cancelled():
        task.exception()


def _bulk(data: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(data), data)


class Script:
    """A Lua script and its SHA1, by which Redis runs it once it has been loaded."""

    __slots__ = ("_head", "sha", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()
        self._head = b"$7\r\nEVALSHA\r\n" + _bulk(self.sha.encode())

    def pack(self, keys: list[str], args: list[Any]) -> bytes:
        """Returns the EVALSHA command that runs the script, in the Redis protocol (RESP).

        By hand, for the arguments these scripts take (str, bytes, int): redis-py's general ``pack_command``,
        with an encoder call per argument, cost a quarter of an event's Redis client time.
        """
        parts = [b"*%d\r\n" % (3 + len(keys) + len(args)), self._head]
        for item in (len(keys), *keys, *args):
            parts.append(_bulk(item if isinstance(item, bytes) else str(item).encode()))
        return b"".join(parts)
