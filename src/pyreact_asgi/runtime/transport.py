from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import socketio

from pyreact_asgi._codec import MsgspecPacket
from pyreact_asgi._contract import EVENT, PAGE, STATE, UPDATE
from pyreact_asgi._types import Receive, Scope, Send
from pyreact_asgi.config import Config
from pyreact_asgi.exceptions import ProtocolError
from pyreact_asgi.router import Router
from pyreact_asgi.routes import RouteTable
from pyreact_asgi.runtime.background import BackgroundTasks
from pyreact_asgi.runtime.binding import client_key
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import StateManager
from pyreact_asgi.runtime.messages import ErrorInfo, Update

__all__ = ["TOKEN", "SocketTransport", "origin_allowed"]

logger = logging.getLogger(__name__)

_MOUNT_KEY = "pyreact.mount"


@dataclass(frozen=True, slots=True)
class _Client:
    token: str
    router: Router
    states: frozenset[str]  # the states of the client's page: the only ones it is sent


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


class _Server(socketio.AsyncServer):  # type: ignore[misc]  # python-socketio ships no type hints
    """python-socketio's server, refusing client events that bear the name of a reserved one.

    Without this, a connected client that emits ``"connect"`` with an environ of its own making replaces
    its router (session, user, cookies, address) with what it wrote, and one that emits ``"disconnect"``
    leaves its connection open with its events ignored. The client's identity is fixed at the handshake.
    """

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: list[Any]) -> None:
        if data and isinstance(data[0], str) and (data[0] in _RESERVED_EVENTS or data[0] in self.reserved_events):
            namespace = namespace or "/"
            sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
            logger.warning("Client %s sent an event named %r, which is reserved; disconnected it.", sid, data[0])
            if sid is not None:
                await self.disconnect(sid, namespace)
            return
        await super()._handle_event(eio_sid, namespace, id, data)


class SocketTransport:
    """Adapts python-socketio to the engine: one event at a time per connection, in order.

    python-socketio runs with ``async_handlers=False``, so each connection's events are handled inline in
    that connection's receive loop (in order, without a task per event), while other connections go on.
    A per-token lock in the state manager orders events of tabs that share a token.

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
        self._error_message = config.handler_error_message
        self._expose_errors = config.expose_errors
        self._clients: dict[str, _Client] = {}
        self.background = BackgroundTasks(manager, engine, self.deliver)
        self.sio = _Server(
            async_mode="asgi",
            serializer=MsgspecPacket,
            async_handlers=False,
            transports=["websocket"],
            cors_allowed_origins=self._origin_allowed,
            max_http_buffer_size=config.max_event_bytes,
            ping_interval=config.ping_interval,
            ping_timeout=config.ping_timeout,
            logger=False,
            engineio_logger=False,
        )
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on(EVENT, self._on_event)
        self.sio.on(PAGE, self._on_page)

    @property
    def connections(self) -> int:
        return len(self._clients)

    async def handle(self, scope: Scope, receive: Receive, send: Send, mount: str, path: str) -> None:
        """Serves one request for the socket endpoint; ``path`` is relative to ``mount``, the app's mount path."""
        # engine.io matches and parses the full scope["path"] and ignores root_path, so it gets a copy
        # relative to our mount. The host's scope is never mutated.
        local = dict(scope)
        local["path"] = path
        local["raw_path"] = path.encode()
        local["root_path"] = ""
        local[_MOUNT_KEY] = mount
        await self.sio.handle_request(local, receive, send)

    async def shutdown(self) -> None:
        """Disconnects the clients still connected (they reconnect to whichever server runs next) and stops
        the socket server's background tasks."""
        await self.background.shutdown()
        for sid in list(self._clients):
            await self.sio.disconnect(sid)
        await self.sio.shutdown()

    def _origin_allowed(self, origin: str | None, environ: dict[str, Any]) -> bool:
        return origin_allowed(origin, environ.get("HTTP_HOST", ""), self.allowed_origins)

    async def _on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
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
            scope, mount=scope[_MOUNT_KEY], page=page if isinstance(page, str) else "/", routes=self._routes
        )
        engine = self._engine()
        # A client that names no usable page (not a browser) receives every state the pages use.
        named = isinstance(page, str) and urlsplit(page).path == router.page
        states = engine.page_states((router.route or router.page) if named else None)
        self._clients[sid] = _Client(token, router, states)
        async with self._manager.session(token, router) as tree:
            await engine.restore(tree, auth.get("storage"))
            full = await engine.full_state(tree, states)
        # A reconnecting client gets the whole state of its page for its token, so it resynchronises.
        await self.sio.emit(STATE, full, to=sid)

    async def _on_page(self, sid: str, page: Any = None) -> None:
        # The tab navigated to another of the app's pages without reloading: handlers now read that page,
        # and the tab is sent the states it uses (in full, as on connect).
        client = self._clients.get(sid)
        if client is None or not isinstance(page, str):
            return
        router = Router(client.router.scope, mount=client.router.mount, page=page, routes=self._routes)
        engine = self._engine()
        states = engine.page_states(router.route or router.page)
        self._clients[sid] = _Client(client.token, router, states)
        async with self._manager.session(client.token, router) as tree:
            full = await engine.full_state(tree, states)
        await self.sio.emit(STATE, full, to=sid)

    async def _on_disconnect(self, sid: str, *_: Any) -> None:
        self._clients.pop(sid, None)

    async def _on_event(self, sid: str, data: Any = None) -> None:
        client = self._clients.get(sid)
        if client is None:  # pragma: no cover - socketio only delivers events of connected sids
            return
        engine = self._engine()
        event_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), int) else None
        try:
            call = engine.resolve(data, client.states)
        except ProtocolError as exc:
            await self._reply(sid, Update(id=event_id, error=ErrorInfo(exc.code, str(exc))))
            return
        if call.handler.background:
            # Acknowledged at once: the task's changes come later, in updates of their own.
            await self.background.start(client.token, client.router, call)
            await self._reply(sid, Update(id=call.id))
            return
        async with self._manager.session(client.token, client.router) as tree:
            # Updates are sent under the lock, so two tabs sharing a token see them in the order they were made.
            try:
                async for step in engine.process(tree, call):
                    delta = {name: vars for name, vars in step.delta.items() if name in client.states}
                    if delta or step.actions or step.done:
                        await self._reply(sid, Update(id=call.id, delta=delta, actions=step.actions, done=step.done))
            except Exception as exc:
                logger.exception('Event handler "%s.%s" raised', call.state.state_name(), call.handler.name)
                await self._reply(sid, Update(id=call.id, error=ErrorInfo("handler_error", self.error_message(exc))))

    def error_message(self, exc: Exception) -> str:
        """Returns what a client is told about a handler that raised: ``Config.handler_error_message``."""
        if self._expose_errors:
            return f"{self._error_message} {type(exc).__name__}: {exc}"
        return self._error_message

    async def deliver(self, token: str, update: Update) -> None:
        """Sends an update no event asked for to every connected tab of ``token``, each its page's share."""
        for sid, client in list(self._clients.items()):
            if client.token != token:
                continue
            delta = {name: vars for name, vars in update.delta.items() if name in client.states}
            if delta or update.actions or update.error:
                await self._reply(sid, Update(delta=delta, actions=update.actions, error=update.error))

    async def _reply(self, sid: str, update: Update) -> None:
        await self.sio.emit(UPDATE, update, to=sid)
