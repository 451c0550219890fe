from __future__ import annotations

import asyncio
import functools
import hashlib
from collections import deque
from collections.abc import Callable
from typing import Any

__all__ = ["LeanClient", "Script"]


class LeanClient:
    """Runs Lua scripts on one connection of its own, pipelined: the commands of every task go out together.

    The hot path of the Redis state manager (one script per event) through redis-py's ``Redis`` client costs
    several times the command itself: the pool's checkout and release (a lock, a timeout, a health check), the
    retry wrapper, the observability hooks, the ``Script`` wrapper. Here a command is a future in a queue. A
    command made while none is in flight is written to the socket at once (one event's store waits for nothing
    else); the commands made while others are in flight are written together, once the event loop has run its
    other ready tasks. The replies are parsed as they arrive (hiredis's parser, on the connection's transport,
    which this client takes over once redis-py has connected it: TLS, credentials and database are redis-py's)
    and each is handed to its command, in order (Redis answers the commands of a connection in the order
    sent), with no task in between. Redis runs one command at a time anyway, so one connection loses nothing;
    many events at once cost one write and one read of the socket together.

    Each command has a deadline of ``timeout`` seconds, watched by one timer for the whole connection rather
    than one per command (the replies come in order, so only the oldest command's deadline matters): a
    command past it means Redis is stuck, and the connection is dropped, failing the commands in flight with
    ``TimeoutError``. A lost connection fails the commands in flight; a command that failed so on a connection
    that had answered before (Redis restarted since) is sent once more on a new one; a script Redis no longer
    knows (a restart empties its cache) is loaded and run again.

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
        # The commands in flight, oldest first: each one's reply, and the loop time by which it must come.
        self._pending: deque[tuple[asyncio.Future[Any], float]] = deque()
        self._out: list[bytes] = []
        self._watch: asyncio.TimerHandle | None = None  # fires at the oldest command's deadline, or earlier
        self._transport: asyncio.WriteTransport | None = None
        self._closing: set[asyncio.Future[Any]] = set()  # disconnects of lost connections, awaited by `close`
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._lost_error: type[BaseException] = OSError
        self._response: type[BaseException] = Exception
        self._missing: type[BaseException] = Exception
        self._parser: Callable[[], Any] | None = None

    def bind(self, redis: Any, hiredis: Any) -> None:
        """Takes the exceptions it raises from ``redis`` (the ``redis.exceptions`` module), and its reply
        parser from ``hiredis``."""
        self._errors = (redis.RedisError, OSError)
        self._lost_error = redis.ConnectionError
        self._response = redis.ResponseError
        self._missing = redis.NoScriptError
        response, missing = redis.ResponseError, redis.NoScriptError

        def error(message: str) -> BaseException:  # an error reply, for its command only
            exc: BaseException = missing(message) if message.startswith("NOSCRIPT") else response(message)
            return exc

        self._parser = functools.partial(hiredis.Reader, replyError=error)

    async def run(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        """Runs ``script`` with ``keys`` and ``args`` (EVALSHA) and returns its reply.

        Raises:
            redis.RedisError: Redis refused it, or cannot be reached.
            OSError: Redis cannot be reached.
            TimeoutError: No reply within the deadline.
        """
        command = script.pack(keys, args)
        conn = self._conn
        if conn is None:
            async with asyncio.timeout(self._timeout):
                conn = await self._connection()
        answered = self._answered
        try:
            return await self._call(conn, command, script)
        except TimeoutError:
            raise  # Redis is stuck (or too slow): no second try, which would only double the wait
        except self._errors:
            if not answered:
                raise
        # The connection had answered before and failed now: Redis restarted (or dropped it) since. Once more,
        # on a new one; a failure then is Redis being gone.
        async with asyncio.timeout(self._timeout):
            conn = await self._connection()
        return await self._call(conn, command, script)

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
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[Any] = loop.create_future()
        deadline = loop.time() + self._timeout
        self._pending.append((reply, deadline))
        if self._watch is None:
            self._watch = loop.call_at(deadline, self._check_deadline, conn)
        if not self._out:
            loop.call_soon(self._flush, conn)
        self._out.append(command)
        return reply

    def _flush(self, conn: Any) -> None:
        if conn is not self._conn:
            return  # lost since: its commands failed, and what is queued now is a newer connection's to flush
        out, self._out = self._out, []
        if out:
            self._write(conn, out)

    def _write(self, conn: Any, out: list[bytes]) -> None:
        # Straight to the transport, which sends at once what the socket takes and buffers the rest: redis-py's
        # send_packed_command would need a task of its own per write (a coroutine), only to await the
        # transport's flow control. Not waiting for it is safe here: every command has a deadline, so what is
        # buffered is bounded by what can be sent within it, and a transport that fails is closed, which
        # `_Replies` sees.
        assert self._transport is not None
        self._transport.writelines(out)

    def _check_deadline(self, conn: Any) -> None:
        self._watch = None
        if conn is not self._conn or not self._pending:
            return
        loop = asyncio.get_running_loop()
        deadline = self._pending[0][1]
        if loop.time() < deadline:
            self._watch = loop.call_at(deadline, self._check_deadline, conn)
            return
        self._lost(conn, TimeoutError(f"Redis did not answer within {self._timeout:g} seconds."))

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
        assert self._parser is not None, "bind() comes first"
        conn = self._pool.make_connection()
        await conn.connect()  # the handshake (TLS, AUTH, SELECT) is redis-py's
        # redis-py keeps no public handle on the transport: its stream writer's is the one.
        transport = conn._writer.transport
        self._conn, self._answered, self._transport = conn, False, transport
        transport.set_protocol(_Replies(self, conn, transport.get_protocol(), self._parser()))
        return conn

    def _reply(self, conn: Any, reply: Any) -> None:
        if conn is not self._conn:
            return
        self._answered = True
        if not self._pending:  # a reply no command waits for: out of step, start over
            self._lost(conn, self._lost_error("Redis sent a reply no command waits for."))
            return
        future = self._pending.popleft()[0]
        if future.done():
            return  # its caller gave up (cancelled)
        if isinstance(reply, BaseException):
            future.set_exception(reply)
        else:
            future.set_result(reply)

    def _lost(self, conn: Any, exc: BaseException, *, close: bool = True) -> None:
        if conn is not self._conn:
            return
        self._conn = self._transport = None
        pending, self._pending = self._pending, deque()
        self._out = []
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        error = (
            exc if isinstance(exc, self._errors) else self._lost_error(f"The connection to Redis was lost ({exc!r}).")
        )
        for future, _ in pending:
            if not future.done():
                future.set_exception(error)
        if not close:
            return
        closing = asyncio.ensure_future(conn.disconnect())  # waits for TLS to close too; `close` awaits it
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)
        closing.add_done_callback(_retrieve)

    async def close(self) -> None:
        """Closes the connection; commands in flight fail."""
        if self._connecting is not None:
            await asyncio.gather(self._connecting, return_exceptions=True)
        conn = self._conn
        if conn is not None:
            self._lost(conn, self._lost_error("The Redis state manager was closed."), close=False)
            await conn.disconnect()  # waits for the socket (and TLS) to close
        await asyncio.gather(*self._closing, return_exceptions=True)


class _Replies(asyncio.Protocol):
    """The protocol of a LeanClient's connection: parses replies as bytes arrive and hands each to its command.

    What the transport reports beyond data (its end, flow control) goes on to redis-py's own protocol as well,
    so that the connection's ``disconnect`` sees it closed.
    """

    def __init__(self, client: LeanClient, conn: Any, redis_protocol: Any, parser: Any) -> None:
        self._client = client
        self._conn = conn
        self._redis_protocol = redis_protocol
        self._parser = parser

    def data_received(self, data: bytes) -> None:
        client, conn, parser = self._client, self._conn, self._parser
        parser.feed(data)
        while True:
            try:
                reply = parser.gets()
            except Exception as exc:  # not the Redis protocol: nothing more on this connection can be trusted
                client._lost(conn, client._lost_error(f"Redis sent what is not a reply ({exc})."))
                return
            if reply is False:  # the rest of a reply is still to come
                return
            client._reply(conn, reply)

    def eof_received(self) -> bool | None:
        return None  # the transport closes; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        client = self._client
        client._lost(self._conn, exc or client._lost_error("Redis closed the connection."))
        self._redis_protocol.connection_lost(exc)

    def pause_writing(self) -> None:
        self._redis_protocol.pause_writing()

    def resume_writing(self) -> None:
        self._redis_protocol.resume_writing()


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
