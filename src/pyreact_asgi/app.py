from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import anyio
from starlette.responses import PlainTextResponse, Response
from starlette.status import WS_1008_POLICY_VIOLATION

from pyreact_asgi._contract import ASSETS_PATH, NOT_FOUND_ROUTE, STATIC_PATH, UPLOAD_PATH
from pyreact_asgi._types import Receive, Scope, Send
from pyreact_asgi.auth import AuthResult, AuthRule, check_auth
from pyreact_asgi.build.compiler import CompiledApp, compile_app
from pyreact_asgi.build.pipeline import Bundle, build_bundle
from pyreact_asgi.config import BuildMode, Config
from pyreact_asgi.discovery.mount import TrustedProxies, forwarded_prefix, split_path
from pyreact_asgi.exceptions import ConfigError, NotStartedError, ProtocolError
from pyreact_asgi.page import Page, PageFn, as_page
from pyreact_asgi.routes import RouteTable, normalise_route
from pyreact_asgi.runtime.binding import CLIENT_KEY
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import MemoryStateManager, StateManager
from pyreact_asgi.runtime.messages import Update
from pyreact_asgi.runtime.redis_manager import RedisStateManager
from pyreact_asgi.runtime.transport import SocketTransport
from pyreact_asgi.runtime.upload import UploadEndpoint
from pyreact_asgi.runtime.workers import worker_count
from pyreact_asgi.serving import UserAssets, http_response
from pyreact_asgi.state import StateTree

__all__ = ["AuthResult", "AuthRule", "PyApp"]

logger = logging.getLogger(__name__)


class PyApp:
    """An interactive UI as one ASGI application, mountable at any path of any ASGI host.

    Serve it alone (``uvicorn module:ui``) or mount it (``app.mount("/admin", ui)``). The mount path is read
    from every request, so the same app and the same build work at any path.

    Args:
        pages: Route → page function, or a `pr.page(...)` of one with a title and on_load handlers. A
            page function takes no arguments and returns a component.
        config: Settings; the defaults work.
        auth: Decides who may use the app. Called with each incoming request (page loads, assets and the
            websocket connect) as a Starlette ``HTTPConnection``, so it can read cookies, headers and what the
            host's middleware put in the scope (``conn.session``, ``conn.user``). It returns (or, if async,
            resolves to) True to allow, False to deny with 403, or a Response to send instead (a 401, a
            redirect to a login page). A denied websocket is refused. None allows everyone.
        not_found: The page shown, with status 404, for paths that match no route (and when the browser
            navigates to one); a plain "404: Not Found" page by default.

    Raises:
        ConfigError: A route or page function is not usable.
    """

    def __init__(
        self,
        pages: Mapping[str, PageFn | Page],
        *,
        config: Config | None = None,
        auth: AuthRule | None = None,
        not_found: PageFn | Page | None = None,
    ) -> None:
        if not isinstance(pages, Mapping) or not pages:
            raise ConfigError(f'Expected pages as a non-empty dict like {{"/": index}}, but got {pages!r}.')
        self.pages: dict[str, Page] = {}
        for route, fn in pages.items():
            if not callable(fn) and not isinstance(fn, Page):
                raise ConfigError(f"Expected a page function for route {route!r}, but got {fn!r}.")
            normal = normalise_route(route)
            if normal in self.pages:
                raise ConfigError(f"Two pages have the route {normal!r}; routes ignore a trailing slash.")
            self.pages[normal] = as_page(fn)
        self.routes = RouteTable(self.pages)
        if not_found is not None and not callable(not_found) and not isinstance(not_found, Page):
            raise ConfigError(f"Expected not_found to be a page function, but got {not_found!r}.")
        self.not_found = None if not_found is None else as_page(not_found)
        self.config = config if config is not None else Config()
        self._assets: UserAssets | None = None
        if self.config.assets_dir is not None:
            self._assets = UserAssets(self.config.assets_dir)
            clash = [route for route in self.pages if route == ASSETS_PATH or self._assets.handles(route)]
            if clash:
                raise ConfigError(f"Page routes under {ASSETS_PATH} clash with Config.assets_dir: {clash}.")
        if auth is not None and not callable(auth):
            raise ConfigError(f"Expected auth to be a function of the request, but got {auth!r}.")
        self.auth = auth
        self._trusted = TrustedProxies(self.config.trusted_proxies)
        self._manager = _state_manager(self.config)
        self._start_lock = anyio.Lock()
        self._engine: Engine | None = None
        self._bundle: Bundle | None = None
        self._transport: SocketTransport | None = None
        self._uploads: UploadEndpoint | None = None

    def __repr__(self) -> str:
        return f"PyApp(pages={sorted(self.pages)!r})"

    @property
    def build_dir(self) -> Path:
        """Where this app's bundle is built: ``Config.build_dir``, else ``.pyreact/app-<id>`` in the working dir."""
        if self.config.build_dir is not None:
            return self.config.build_dir
        identity = "\n".join(
            f"{route} {page.fn.__module__}.{page.fn.__qualname__}" for route, page in sorted(self.pages.items())
        )
        return Path.cwd() / ".pyreact" / f"app-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"

    @property
    def started(self) -> bool:
        """Whether the app has built its bundle and can serve clients."""
        return self._transport is not None

    @property
    def bundle(self) -> Bundle:
        """The frontend bundle being served.

        Raises:
            NotStartedError: The app has not started.
        """
        if self._bundle is None:
            raise NotStartedError('Cannot read "bundle" before the app has started.')
        return self._bundle

    # --- lifecycle -----------------------------------------------------------------------------------

    async def startup(self) -> None:
        """Compiles the pages, builds the bundle if it is stale, and starts the websocket server.

        Safe to call more than once and from concurrent requests: the work happens once.

        Raises:
            CompileError: A page cannot be compiled.
            BuildError: The bundle cannot be built.
        """
        async with self._start_lock:
            if self._transport is not None:
                return
            await self._manager.start()
            self._warn_single_process()
            compiled = compile_app(self._ordered_pages(), theme=self.config.theme, event_path=self.config.event_path)
            self._bundle = await anyio.to_thread.run_sync(self._build, compiled, self.config.build)
            self._engine = Engine(compiled.states, compiled.page_states)
            transport = SocketTransport(self.config, self._get_engine, self._manager, self.routes)
            self._uploads = UploadEndpoint(
                self.config, self._get_engine, transport.dispatcher, self.routes, transport.allowed_origins
            )
            transport.start()
            self._transport = transport

    def build(self, mode: BuildMode | None = None) -> Bundle:
        """Compiles the pages and builds the bundle if it is stale, without starting the app.

        For deployment steps that build ahead of time (``manage.py pyreact_build``), so that the servers
        can start with ``build="never"``. It builds exactly what `startup` would. Blocking: in an event loop,
        run it in a worker thread.

        Args:
            mode: Overrides ``Config.build`` for this call: "auto" builds when stale, "always" rebuilds.

        Returns:
            The bundle, built or found current.

        Raises:
            ConfigError: ``mode`` is not a build mode.
            CompileError: A page cannot be compiled.
            BuildError: The bundle cannot be built.
        """
        if mode is not None and mode not in ("auto", "always", "never"):
            raise ConfigError(f'Expected mode to be "auto", "always" or "never", but got {mode!r}.')
        return self._build(
            compile_app(self._ordered_pages(), theme=self.config.theme, event_path=self.config.event_path),
            mode or self.config.build,
        )

    def _build(self, compiled: CompiledApp, mode: BuildMode) -> Bundle:
        return build_bundle(compiled, self.build_dir, mode)

    async def shutdown(self) -> None:
        """Closes every websocket connection and stops the websocket server's background work."""
        async with self._start_lock:
            transport, self._transport = self._transport, None
            if transport is not None:
                await transport.shutdown()
                await self._manager.close()

    def _warn_single_process(self) -> None:
        workers = worker_count()
        if workers > 1 and not self._manager.shared:
            logger.warning(
                "%r runs in one of %d worker processes, but keeps client states in this process's memory: a tab "
                "that reconnects to another worker, an upload or a background task there, finds no state. Set "
                "Config.redis_url (or PYREACT_REDIS_URL) to share them; see docs/deploy.md.",
                self,
                workers,
            )

    @asynccontextmanager
    async def modify_state(self, client_key: str) -> AsyncIterator[StateTree]:
        """Changes a client's states from outside an event: a webhook route of the host, a job's callback.

        ``client_key`` is the one a handler reads as ``self.router.client_key`` (store it with the user's id,
        say). The block holds the client's lock, as an event does, on whichever worker it runs; on exit the
        changes are saved and sent to every tab of the client, wherever it is connected. If the block raises,
        they are undone::

            async with ui.modify_state(key) as tree:
                counter = await tree.get(Counter)
                counter.count += 1

        Args:
            client_key: The client's key.

        Yields:
            The client's states: ``await tree.get(StateClass)`` returns one, loaded under the lock.

        Raises:
            NotStartedError: The app has not started.
            ProtocolError: ``client_key`` is not a client key.
            LimitError: The changes would make the client's state larger than ``Config.max_state_bytes``.
            StateStoreError: Redis cannot be reached, or the lock was lost ("conflict").
        """
        transport = self._transport
        if transport is None:
            raise NotStartedError('Cannot call "modify_state" before the app has started.')
        engine = self._get_engine()
        session = self._manager.session(_checked_key(client_key))
        async with session as tree:
            yield tree
            delta = await engine.commit(tree, lambda t: self._manager.check(client_key, t))
            if delta:
                await session.save()  # kept before any tab is shown it
                # Under the lock, so it cannot overtake the update of a later event.
                await transport.deliver(client_key, Update(delta=delta))

    def lifespan(self, app: object = None) -> AbstractAsyncContextManager[None]:
        """Returns a context manager that starts the app on entry and stops it on exit.

        Pass it to the host, which calls it with itself: ``FastAPI(lifespan=ui.lifespan)``. To combine it
        with the host's own lifespan, use `pyreact_asgi.combine_lifespans`.

        Args:
            app: The host application; unused, accepted for the Starlette/FastAPI calling convention.
        """
        return self._lifespan()

    @asynccontextmanager
    async def _lifespan(self) -> AsyncIterator[None]:
        await self.startup()
        try:
            yield
        finally:
            await self.shutdown()

    def _get_engine(self) -> Engine:
        assert self._engine is not None, "the transport exists only after startup"
        return self._engine

    # --- ASGI ----------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._serve_lifespan(receive, send)
            return
        if self._transport is None:
            await self._start_lazily()
        mount, path = split_path(scope)
        mount = forwarded_prefix(scope, self._trusted) + mount
        if self.auth is not None:
            denied = await check_auth(self.auth, scope)
            if denied is not None:
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": WS_1008_POLICY_VIOLATION})
                elif scope["type"] == "http":
                    await denied(scope, receive, send)
                return
        transport = self._transport
        if transport is None:  # pragma: no cover - only when shut down between the two lines above
            await PlainTextResponse("Service Unavailable", status_code=503)(scope, receive, send)
            return
        if self._assets is not None and self._assets.handles(path) and scope["type"] == "http":
            await self._assets(scope, receive, send, path)
            return
        if path == UPLOAD_PATH:
            assert self._uploads is not None, "uploads are served only after startup"
            await self._uploads(scope, receive, send, mount)
            return
        event_path = self.config.event_path
        if path == event_path or path.startswith(event_path + "/"):
            if scope["type"] == "http":
                # engine.io would answer long-polling requests, which we never use, with an ERROR log each.
                response = PlainTextResponse("This endpoint accepts websocket connections only.", status_code=400)
                await response(scope, receive, send)
                return
            await transport.handle(scope, receive, send, mount, path)
        elif scope["type"] == "http":
            await self._serve_http(scope, mount, path)(scope, receive, send)
        else:
            await send({"type": "websocket.close", "code": 1000})

    def _ordered_pages(self) -> dict[str, Page]:
        # In the order routes are tried, which the browser follows too; each with its title, for navigation.
        pages = {route: self.pages[route] for route in self.routes.ordered}
        if self.not_found is not None:
            pages[NOT_FOUND_ROUTE] = self.not_found
        return {route: dataclasses.replace(p, title=p.title or self.config.title) for route, p in pages.items()}

    def handles(self, path: str) -> bool:
        """Whether a request for ``path``, relative to the mount path, is for this app.

        True for its pages (with or without a trailing slash) and for the framework's paths under ``/_``
        it serves: the bundle's assets, the websocket endpoint and uploads. A host that shares its path space
        with the app, such as the Django integration mounted at "/", routes only these paths to it.

        Args:
            path: The path after the mount path, starting with "/" (``"/reports"``, ``"/_static/app.js"``).
        """
        event_path = self.config.event_path
        return (
            self.routes.match(path) is not None
            or (self._assets is not None and self._assets.handles(path))
            or path in (UPLOAD_PATH, event_path)
            or path.startswith((STATIC_PATH + "/", event_path + "/"))
        )

    async def _start_lazily(self) -> None:
        # Mounted sub-apps never receive lifespan events (Starlette #649): build on the first request instead.
        first = not self._start_lock.locked()
        await self.startup()
        if first and self._bundle is not None:
            logger.info(
                "Started %r on its first request, since the host did not forward lifespan; pass "
                "lifespan=ui.lifespan to the host to build at startup instead.",
                self,
            )

    async def _serve_lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except BaseException as exc:
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    raise
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _serve_http(self, scope: Scope, mount: str, path: str) -> Response:
        return http_response(
            scope,
            bundle=self.bundle,
            routes=self.routes,
            pages=self.pages,
            not_found=self.not_found,
            title=self.config.title,
            mount=mount,
            path=path,
        )

    # --- introspection for tests and tools -----------------------------------------------------------

    def client_count(self) -> int:
        """Returns how many websocket clients are connected to this process."""
        return 0 if self._transport is None else self._transport.connections

    def stored_clients(self) -> int:
        """Returns how many client tokens have a state kept in this process, connected or not (0 with Redis)."""
        return len(self._manager) if isinstance(self._manager, MemoryStateManager) else 0

    @property
    def state_manager(self) -> StateManager:
        """Where this app keeps its clients' states: in memory, or in Redis (``Config.redis_url``)."""
        return self._manager


def _state_manager(config: Config) -> StateManager:
    url = config.redis_url or os.environ.get("PYREACT_REDIS_URL") or None
    if url is None:
        return MemoryStateManager(
            config.state_ttl,
            max_clients=config.max_clients,
            max_state_bytes=config.max_state_bytes,
            max_total_state_bytes=config.max_total_state_bytes,
            sweep_interval=config.sweep_interval,
        )
    if config.redis_url is None:
        Config(redis_url=url)  # PYREACT_REDIS_URL is checked as the field is: a ConfigError names what is wrong
    return RedisStateManager(
        url,
        config.state_ttl,
        prefix=config.redis_prefix,
        lock_expiry=config.lock_expiry,
        max_state_bytes=config.max_state_bytes,
        max_clients=config.max_clients,
        sweep_interval=config.sweep_interval,
    )


def _checked_key(key: str) -> str:
    if not isinstance(key, str) or not CLIENT_KEY.match(key):
        raise ProtocolError(f"Expected a client key (a handler's self.router.client_key), but got {str(key)[:80]!r}.")
    return key
