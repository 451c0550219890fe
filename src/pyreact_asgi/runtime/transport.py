from __future__ import annotations

import asyncio
import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import socketio
from engineio import packet as eio_packet
from starlette.status import WS_1003_UNSUPPORTED_DATA

from pyreact_asgi._codec import MalformedFrame, MsgspecPacket, decode, event_frame
from pyreact_asgi._contract import EVENT, ORIGIN_REFUSED, PAGE, RELOAD, RELOAD_ERROR, STATE, UPDATE
from pyreact_asgi._types import Message, Receive, Scope, Send
from pyreact_asgi.config import Config
from pyreact_asgi.exceptions import LimitError, ProtocolError, StateStoreError
from pyreact_asgi.router import Router
from pyreact_asgi.routes import RouteTable
from pyreact_asgi.runtime.background import BackgroundTasks
from pyreact_asgi.runtime.binding import client_key
from pyreact_asgi.runtime.dispatch import Dispatcher
from pyreact_asgi.runtime.engine import Call, Engine
from pyreact_asgi.runtime.manager import StateManager
from pyreact_asgi.runtime.messages import ErrorInfo, Update

__all__ = ["TOKEN", "SocketTransport", "origin_allowed"]

logger = logging.getLogger(__name__)

_MOUNT_KEY = "pyreact.mount"
# Malformed frames a connection may send before it is disconnected; a browser sends none.
_MAX_MALFORMED = 100
# Distinct (Origin, Host) pairs whose refusal is logged; a client sending new ones cannot fill the log.
_MAX_ORIGIN_WARNINGS = 32


Job = Callable[[], Awaitable[None]]


@dataclass(slots=True, eq=False)
class _Connection:
    """One open websocket connection: its client, and the queue of its events a task of its own runs."""

    sid: str
    eio_sid: str
    token: str
    router: Router
    states: frozenset[str]  # the states of the client's page: the only ones it is sent
    # Jobs waiting, and the task running them while there are any: an idle connection has no task.
    jobs: deque[Job] = field(default_factory=deque)
    worker: asyncio.Task[None] | None = None
    warned: bool = False  # a malformed frame was logged for this connection already
    malformed: int = 0
    dropped: bool = False
    reply: Callable[[Update], Awaitable[None]] | None = None  # sends it an update (`_send_update`)


def origin_allowed(origin: str | None, host: str, allowed: frozenset[str]) -> bool:
    """Whether a request from ``origin`` may act for a visitor: the page's own origin or a listed one.

    Browsers always send Origin on a websocket handshake and a cross-site POST; clients without it are not
    browsers, and the check exists to stop other sites' pages from using a visitor's browser.
    """
    if origin is None:
        return True
    if origin.lower() in allowed:
        return True
    # Compare with the Host header only: X-Forwarded-Host is never trusted by default.
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

# python-socketio hands a client *event* with one of these names to the server's own handler of that name
# (base_server.py reserved_events, 5.18), with whatever arguments the client wrote.
_RESERVED_EVENTS = frozenset({"connect", "connect_error", "disconnect", "__disconnect_final"})
# The engine.io text frames a client sends: a socket.io packet in a MESSAGE, or a short control packet (PING,
# PONG, "2probe", CLOSE, UPGRADE, NOOP). engine.io parses every other frame with the json module, outside any
# try: a frame such as "4[[[[..." raises RecursionError there and logs a traceback.
_ENGINE_FRAME = re.compile(r"^(?:4[0-6]|[0-35-6][a-z]{0,8}$)")
# socket.io packet types a client never sends us: CONNECT_ERROR, BINARY_EVENT, BINARY_ACK.
_REFUSED_PACKETS = frozenset({"4", "5", "6"})


def _event_id(payload: Any) -> int | None:
    """The id an event's payload names, if it names one: what an error reply to it carries."""
    value = payload.get("id") if isinstance(payload, dict) else None
    return value if type(value) is int else None


async def _checked_receive(receive: Receive) -> Message:
    message = await receive()
    text = message.get("text") if message["type"] == "websocket.receive" else None
    # "42": a socket.io event, by far the most frames, and one the pattern takes.
    if text is not None and text[:2] != "42" and not _ENGINE_FRAME.match(text):
        logger.warning("A client sent a frame that is no engine.io packet (%r); closed its connection.", text[:40])
        return {"type": "websocket.disconnect", "code": WS_1003_UNSUPPORTED_DATA}
    return message


class _Server(socketio.AsyncServer):  # type: ignore[misc]  # python-socketio ships no type hints
    """python-socketio's server, refusing what a client may send but no browser runtime of ours does.

    - Events named like a reserved one: without this, a connected client that emits ``"connect"`` with an
      environ of its own making replaces its router (session, user, cookies, address) with what it wrote, and
      one that emits ``"disconnect"`` leaves its connection open with its events ignored. The client's
      identity is fixed at the handshake; such a client is disconnected.
    - Binary packets: socket.io collects a binary event's attachments in memory, as many as its header
      announces; our protocol has none, so such a client is disconnected.
    - Frames that do not decode (invalid JSON, NaN, numbers out of range, nesting too deep): handed to
      ``on_malformed``, which answers them, instead of each logging a traceback.
    """

    on_malformed: Callable[[str, MalformedFrame], Awaitable[None]] | None = None
    # Takes an event of the default namespace without an ack id, as (engine.io sid, name, argument); returns
    # False to leave it to python-socketio.
    on_event: Callable[[str, str, Any], Awaitable[bool]] | None = None

    async def _handle_eio_message(self, eio_sid: str, data: str | bytes) -> None:
        if not isinstance(data, str) or data[:1] in _REFUSED_PACKETS:
            await self._refuse(eio_sid, "/", "a binary or server-only packet")
            return
        if data[:2] == "2[" and self.on_event is not None:
            # The frame every event of a tab is, 2["event",{...}]: decoded here once with msgspec and handed
            # over, rather than through python-socketio's packet object, its handler lookup and the arguments
            # it spreads. Anything else takes python-socketio's way (and its checks) below.
            try:
                event = decode(data[1:])
            except (ValueError, RecursionError):
                event = None  # a malformed frame: answered below
            if (
                type(event) is list
                and len(event) == 2
                and type(event[0]) is str
                and event[0] not in _RESERVED_EVENTS
                and event[0] not in self.reserved_events
                and await self.on_event(eio_sid, event[0], event[1])
            ):
                return
        try:
            await super()._handle_eio_message(eio_sid, data)
        except MalformedFrame as exc:
            if self.on_malformed is not None:
                await self.on_malformed(eio_sid, exc)

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: Any) -> None:
        if not isinstance(data, list) or not data or not isinstance(data[0], str):
            if self.on_malformed is not None:
                await self.on_malformed(
                    eio_sid, MalformedFrame("Expected an event as [name, data], but got " + repr(data)[:100])
                )
            return
        if data[0] in _RESERVED_EVENTS or data[0] in self.reserved_events:
            await self._refuse(eio_sid, namespace or "/", f"an event named {data[0]!r}, which is reserved")
            return
        if len(data) > 2:
            # python-socketio would pass each as an argument to a handler that takes one, and log the TypeError.
            if self.on_malformed is not None:
                await self.on_malformed(
                    eio_sid,
                    MalformedFrame(
                        f"Expected an event as [name, data], but got {len(data)} items.", _event_id(data[1])
                    ),
                )
            return
        await super()._handle_event(eio_sid, namespace, id, data)

    async def _refuse(self, eio_sid: str, namespace: str, what: str) -> None:
        sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
        if sid is not None:  # logged once: a client already disconnected is ignored, however much it sends
            logger.warning("Client %s sent %s; disconnected it.", sid, what)
            await self.disconnect(sid, namespace)


class SocketTransport:
    """Adapts python-socketio to the engine: one event at a time per connection, in order, off the socket.

    Each connection's events go into a bounded queue that a task of that connection runs, one at a time and in
    order, so a long handler never holds up the socket itself: pings are answered, other events of the
    connection are received (and refused once ``Config.max_pending_events`` wait), and a closed tab cancels
    its running handler. A per-token lock in the state manager orders events of tabs that share a token.

    Args:
        config: The app's settings.
        engine: Returns the engine; called once the app has started.
        manager: Where each client's state lives.
        routes: The app's page routes, to find a page's route and path parameters.
    """

    def __init__(
        self, config: Config, engine: Callable[[], Engine], manager: StateManager, routes: RouteTable | None = None
    ) -> None:
        self._engine = engine
        self._routes = routes
        self._manager = manager
        self.allowed_origins = frozenset(o.lower() for o in config.allowed_origins)
        self._max_pending = config.max_pending_events
        self._max_outgoing = config.max_outgoing_bytes
        self._connections: dict[str, _Connection] = {}
        self._by_eio_sid: dict[str, _Connection] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._origins_warned: set[tuple[str, str]] = set()
        self.dispatcher = Dispatcher(config, engine, manager)
        self.background = BackgroundTasks(manager, engine, self.deliver)
        self.sio = _Server(
            async_mode="asgi",
            serializer=MsgspecPacket,
            # Each connection's receive loop only queues its events (see _Connection), so it stays free to
            # answer pings; python-socketio's own per-event tasks would lose the order of events.
            async_handlers=False,
            transports=["websocket"],
            # The Origin is checked in _on_connect instead, which can tell the tab why it was refused: a
            # handshake refused here is a bare 403 the browser retries in silence. Either way no handler
            # runs and no state is reached for a refused origin.
            cors_allowed_origins="*",
            max_http_buffer_size=config.max_event_bytes,
            ping_interval=config.ping_interval,
            ping_timeout=config.ping_timeout,
            logger=False,
            engineio_logger=False,
        )
        self.sio.on_malformed = self._on_malformed
        self.sio.on_event = self._on_event_frame
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on(EVENT, self._on_event)
        self.sio.on(PAGE, self._on_page)
        self.sio.on("*", self._on_unknown)

    @property
    def connections(self) -> int:
        return len(self._connections)

    async def handle(self, scope: Scope, receive: Receive, send: Send, mount: str, path: str) -> None:
        """Serves one request for the socket endpoint; ``path`` is relative to ``mount``, the app's mount path."""
        # engine.io matches and parses the full scope["path"] and ignores root_path, so it gets a copy
        # relative to our mount. The host's scope is never mutated.
        local = dict(scope)
        local["path"] = path
        local["raw_path"] = path.encode()
        local["root_path"] = ""
        local[_MOUNT_KEY] = mount
        await self.sio.handle_request(local, partial(_checked_receive, receive), send)

    def start(self) -> None:
        """Starts the timer that drops expired client states; called from the app's startup, in its loop."""
        if self._sweeper is None:
            self._sweeper = asyncio.create_task(self._manager.run_sweeper(), name="pyreact state sweeper")
        if self._listener is None:
            # Updates for this worker's tabs that other workers publish (a shared manager only).
            self._listener = asyncio.create_task(self._manager.listen(self._deliver_here), name="pyreact listener")

    async def shutdown(self) -> None:
        """Disconnects the clients still connected (they reconnect to whichever server runs next) and stops
        the socket server's background tasks and the sweeper."""
        await self.background.shutdown()
        for sid in list(self._connections):
            await self.sio.disconnect(sid)
        tasks = [*self._tasks, *(t for t in (self._sweeper, self._listener) if t is not None)]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._sweeper = self._listener = None
        self.dispatcher.shutdown()
        await self.sio.shutdown()

    def _refuse_origin(self, environ: dict[str, Any]) -> None:
        origin: str | None = environ.get("HTTP_ORIGIN")
        host: str = environ.get("HTTP_HOST", "")
        if origin_allowed(origin, host, self.allowed_origins):
            return
        pair = (str(origin)[:200], host[:200])
        if pair not in self._origins_warned and len(self._origins_warned) < _MAX_ORIGIN_WARNINGS:
            self._origins_warned.add(pair)
            logger.warning(
                "Refused a websocket from Origin %r: it is not the Host the request arrived with (%r), nor in "
                "Config.allowed_origins. Behind a proxy, forward the browser's Host header (nginx: "
                "proxy_set_header Host $http_host;), or list the origin in Config.allowed_origins.",
                *pair,
            )
        raise socketio.exceptions.ConnectionRefusedError(
            "The server refused this page's connection: its origin is not allowed (the server's log says why).",
            {"code": ORIGIN_REFUSED},
        )

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- connection lifecycle ------------------------------------------------------------------------

    async def _on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        self._refuse_origin(environ)
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not TOKEN.match(token):
            raise socketio.exceptions.ConnectionRefusedError("Expected auth {token: <16-64 URL-safe characters>}.")
        scope = environ["asgi.scope"]
        try:
            token = client_key(scope, scope[_MOUNT_KEY], token)
        except ProtocolError as exc:
            raise socketio.exceptions.ConnectionRefusedError(str(exc)) from None
        page = auth.get("page")
        router = Router(
            scope,
            mount=scope[_MOUNT_KEY],
            page=page if isinstance(page, str) else "/",
            routes=self._routes,
            client_key=token,
        )
        engine = self._engine()
        # A client that names no usable page (not a browser) receives every state the pages use.
        named = isinstance(page, str) and urlsplit(page).path == router.page
        states = engine.page_states((router.route or router.page) if named else None)
        try:
            self._manager.connect(token)
        except LimitError as exc:
            logger.warning("Refused a connection: %s", exc)
            raise socketio.exceptions.ConnectionRefusedError(str(exc)) from None
        conn = _Connection(sid, self.sio.manager.eio_sid_from_sid(sid, "/"), token, router, states)
        conn.reply = partial(self._send_update, conn)
        self._connections[sid] = self._by_eio_sid[conn.eio_sid] = conn
        # The state is sent by the connection's task, first of its jobs: waiting here for the token's lock (held
        # by another tab's long handler) would hold up this connection's socket, pings included.
        self._enqueue(conn, partial(self._greet, conn, auth.get("storage")))

    async def _on_disconnect(self, sid: str, *_: Any) -> None:
        conn = self._connections.pop(sid, None)
        if conn is None:
            return
        self._by_eio_sid.pop(conn.eio_sid, None)
        conn.dropped = True
        self._manager.disconnect(conn.token)
        # The tab is gone: its running handler is cancelled (and undone since its last update); background
        # tasks run on.
        if conn.worker is not None:
            conn.worker.cancel()

    async def _work(self, conn: _Connection) -> None:
        try:
            while conn.jobs:
                job = conn.jobs.popleft()
                try:
                    await job()
                except Exception:  # pragma: no cover - jobs report their own failures; this keeps the queue going
                    logger.exception("A job of connection %s failed", conn.sid)
        finally:
            conn.worker = None

    # --- client messages -----------------------------------------------------------------------------

    async def _on_event_frame(self, eio_sid: str, name: str, data: Any) -> bool:
        conn = self._by_eio_sid.get(eio_sid)
        # As python-socketio would: events of a client not (or no longer) connected are ignored.
        if conn is None or not self.sio.manager.is_connected(conn.sid, "/"):
            return False
        if name == EVENT:
            await self._event(conn, data)
        elif name == PAGE:
            await self._on_page(conn.sid, data)
        else:
            return False  # an unknown name: python-socketio hands it to `_on_unknown`
        return True

    async def _on_event(self, sid: str, data: Any = None) -> None:
        conn = self._connections.get(sid)
        if conn is None:  # pragma: no cover - socketio only delivers events of connected sids
            return
        await self._event(conn, data)

    async def _event(self, conn: _Connection, data: Any) -> None:
        event_id = _event_id(data)
        try:
            call = self._engine().resolve(data, conn.states)
        except ProtocolError as exc:
            await self._send_update(conn, Update(id=event_id, error=ErrorInfo(exc.code, str(exc))))
            return
        if call.handler.background:
            job: Job = partial(self._start_background, conn, call)
        else:
            job = partial(self._run, conn, call)
        if not self._enqueue(conn, job):
            error = ErrorInfo(
                "overloaded",
                f"Expected at most {self._max_pending} events waiting per connection, but this one has more; "
                "wait for the replies before sending more.",
            )
            await self._send_update(conn, Update(id=call.id, error=error))

    async def _on_page(self, sid: str, page: Any = None) -> None:
        conn = self._connections.get(sid)
        if conn is None or not isinstance(page, str):
            return
        if not self._enqueue(conn, partial(self._navigate, conn, page)):
            logger.warning("Client %s navigated with %d events waiting; disconnected it.", sid, self._max_pending)
            self._drop(conn)

    async def _on_unknown(self, name: str, sid: str, data: Any = None, *_: Any) -> None:
        conn = self._connections.get(sid)
        if conn is None:
            return
        event_id = _event_id(data)
        self._warn_once(conn, 'Client %s sent an event named %r; only "%s" and "%s" exist.', sid, name, EVENT, PAGE)
        message = f'Expected an event named "{EVENT}" or "{PAGE}", but got {name!r}.'
        await self._send_update(conn, Update(id=event_id, error=ErrorInfo("malformed", message)))

    async def _on_malformed(self, eio_sid: str, error: MalformedFrame) -> None:
        conn = self._by_eio_sid.get(eio_sid)
        if conn is None:
            return
        conn.malformed += 1
        if conn.malformed > _MAX_MALFORMED:
            logger.warning("Client %s sent more than %d malformed frames; disconnected it.", conn.sid, _MAX_MALFORMED)
            self._drop(conn)
            return
        self._warn_once(conn, "Client %s sent a malformed frame (further ones are not logged): %s", conn.sid, error)
        await self._send_update(conn, Update(id=error.event_id, error=ErrorInfo("malformed", str(error))))

    def _warn_once(self, conn: _Connection, message: str, *args: Any) -> None:
        # Once per connection and without a traceback, so a client cannot fill the log.
        if not conn.warned:
            conn.warned = True
            logger.warning(message, *args)

    def _enqueue(self, conn: _Connection, job: Job) -> bool:
        if len(conn.jobs) >= self._max_pending:
            return False
        conn.jobs.append(job)
        if conn.worker is None:
            conn.worker = self._spawn(self._work(conn), name=f"pyreact connection {conn.sid}")
        return True

    # --- jobs, run by the connection's task ------------------------------------------------------------

    async def _greet(self, conn: _Connection, storage: Any) -> None:
        # A reconnecting client gets the whole state of its page for its token, so it resynchronises.
        engine = self._engine()
        try:
            async with self._manager.session(conn.token, conn.router) as tree:
                await engine.restore(tree, storage)
                full = await engine.full_state(tree, conn.states)
        except StateStoreError as exc:
            # The tab shows it is offline and reconnects until the store answers again.
            logger.warning("Could not send client %s its state (%s); disconnected it.", conn.sid, exc)
            self._drop(conn)
            return
        except Exception:
            logger.exception("Could not send client %s its state; disconnected it.", conn.sid)
            self._drop(conn)
            return
        await self._emit(conn, STATE, full)

    async def _run(self, conn: _Connection, call: Call) -> None:
        assert conn.reply is not None
        error = await self.dispatcher.run(conn.token, conn.router, call, conn.reply)
        if error is not None and error.code == "conflict":
            # Its store was refused (another worker took the lock), but the tab may show its changes (a
            # generator's updates, optimistic values): it gets the state as stored, so it does not diverge.
            await self._send_full(conn)

    async def _start_background(self, conn: _Connection, call: Call) -> None:
        # Acknowledged at once: the task's changes come later, in updates of their own.
        try:
            await self.background.start(conn.token, conn.router, call)
        except StateStoreError as exc:
            await self._send_update(conn, Update(id=call.id, error=ErrorInfo(exc.code, str(exc))))
            return
        await self._send_update(conn, Update(id=call.id))

    async def _navigate(self, conn: _Connection, page: str) -> None:
        # The tab navigated to another of the app's pages without reloading: handlers now read that page,
        # and the tab is sent the states it uses (in full, as on connect).
        router = Router(
            conn.router.scope, mount=conn.router.mount, page=page, routes=self._routes, client_key=conn.token
        )
        conn.states = self._engine().page_states(router.route or router.page)
        conn.router = router
        await self._send_full(conn)

    async def _send_full(self, conn: _Connection) -> None:
        # The states of the tab's page in full, as stored.
        engine = self._engine()
        try:
            async with self._manager.session(conn.token, conn.router) as tree:
                full = await engine.full_state(tree, conn.states)
        except StateStoreError as exc:
            # As on connect: the tab shows it is offline, and reconnects until the store answers again.
            logger.warning("Could not send client %s its state (%s); disconnected it.", conn.sid, exc)
            self._drop(conn)
            return
        await self._emit(conn, STATE, full)

    # --- development mode (devreload.py) --------------------------------------------------------------

    def reloaded(self, routes: RouteTable, entry: str) -> None:
        """Tells every connected tab that the app was rebuilt: it imports ``entry`` (its path under the
        mount) and re-renders, then gets its page's state in full from the new engine, keeping its values."""
        self._routes = routes
        for conn in self._connections.values():
            self._enqueue(conn, partial(self._reload, conn, entry))

    def reload_failed(self, error: dict[str, Any]) -> None:
        """Shows every connected tab why the rebuild failed (``{"file", "line", "message"}``)."""
        for conn in self._connections.values():
            self._enqueue(conn, partial(self._emit, conn, RELOAD_ERROR, error))

    async def _reload(self, conn: _Connection, entry: str) -> None:
        await self._emit(conn, RELOAD, {"entry": entry})
        page = conn.router.page
        await self._navigate(conn, f"{page}?{page.query}" if page.query else str(page))

    # --- sending -------------------------------------------------------------------------------------

    async def deliver(self, token: str, update: Update) -> None:
        """Sends an update no event asked for to every connected tab of ``token``, each its page's share, on
        whichever worker it is connected (through the state manager's `broadcast`)."""
        await self._manager.broadcast(token, update, self._deliver_here)

    async def _deliver_here(self, token: str, update: Update) -> None:
        for conn in list(self._connections.values()):
            if conn.token == token:
                await self._send_update(conn, Update(delta=update.delta, actions=update.actions, error=update.error))

    async def _send_update(self, conn: _Connection, update: Update) -> None:
        delta = update.delta
        if not delta.keys() <= conn.states:  # else, as usual, every state it changed is on the page
            delta = {name: vars for name, vars in delta.items() if name in conn.states}
            update = Update(id=update.id, delta=delta, error=update.error, actions=update.actions, done=update.done)
        if delta or update.actions or update.error or (update.done and update.id is not None):
            await self._emit(conn, UPDATE, update)

    async def _emit(self, conn: _Connection, event: str, data: Any) -> None:
        if conn.dropped:
            return
        socket = self.sio.eio.sockets.get(conn.eio_sid)
        if socket is None:
            return
        if socket.queue._queue and self._backlog(socket) > self._max_outgoing:
            logger.warning(
                "Client %s reads slower than its updates come (over %d bytes wait to be sent); disconnected it.",
                conn.sid,
                self._max_outgoing,
            )
            self._drop(conn)
            return
        # Straight to the connection's engine.io socket: the sid is this process's own, so python-socketio's
        # emit (a room lookup and a task per recipient, awaited) would only add to every update's cost.
        await socket.send(eio_packet.Packet(eio_packet.MESSAGE, data=event_frame(event, data)))

    @staticmethod
    def _backlog(socket: Any) -> int:
        # engine.io's queue of packets to write is an unbounded asyncio.Queue, whose items live in its deque
        # _queue: the one place to see how much waits. Each packet's data is the encoded socket.io packet.
        return sum(len(p.data) for p in socket.queue._queue if p is not None and isinstance(p.data, (str, bytes)))

    def _drop(self, conn: _Connection) -> None:
        """Disconnects a client now, throwing away what still waits to be sent to it (it resynchronises on
        reconnect)."""
        if conn.dropped:
            return
        conn.dropped = True
        socket = self.sio.eio.sockets.get(conn.eio_sid)
        if socket is not None:
            while not socket.queue.empty():
                socket.queue.get_nowait()
                socket.queue.task_done()
        # In a task of its own: it cancels the connection's task, which may be the one calling.
        self._spawn(self.sio.disconnect(conn.sid), name=f"pyreact drop {conn.sid}")
