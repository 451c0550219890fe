from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from pathlib import Path

import anyio
from starlette.responses import PlainTextResponse, Response
from starlette.status import WS_1008_POLICY_VIOLATION

from pyreact_asgi._contract import ASSETS_PATH, NOT_FOUND_ROUTE, STATIC_PATH, UPLOAD_PATH
from pyreact_asgi._types import Receive, Scope, Send
from pyreact_asgi.auth import AuthResult, AuthRule, check_auth
from pyreact_asgi.build.compiler import CompiledApp
from pyreact_asgi.build.manifest import CodeRecord
from pyreact_asgi.build.pipeline import Bundle, build_bundle, compile_recorded, load_current
from pyreact_asgi.config import BuildMode, Config
from pyreact_asgi.discovery.mount import TrustedProxies, forwarded_prefix, split_path
from pyreact_asgi.exceptions import AlreadyStartedError, ConfigError, NotStartedError, ProtocolError
from pyreact_asgi.page import Page, PageFn, as_page, decorated_page, default_route, page
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
from pyreact_asgi.state import EventSpec, State, StateTree, registered_states

__all__ = ["AuthResult", "AuthRule", "PyApp"]

logger = logging.getLogger(__name__)


class PyApp:
    """An interactive UI as one ASGI application, mountable at any path of any ASGI host.

    Serve it alone (``uvicorn module:ui``) or mount it (``app.mount("/admin", ui)``). The mount path is read
    from every request, so the same app and the same build work at any path.

    Pages are given here, or added before the app starts with `add_page` (``ui = pr.PyApp()`` then
    ``ui.add_page(index, route="/")``), or decorated with ``@pr.page(route=...)`` in the module that creates
    the app, which adds them when it starts.

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
        states: States that take events from clients though no page uses them (an audit log a
            ``call_script`` callback writes to); events a handler chains reach any state without this
            (docs/state.md, "Which states take events").

    Raises:
        ConfigError: A route or page function is not usable.
    """

    def __init__(
        self,
        pages: Mapping[str, PageFn | Page] | None = None,
        *,
        config: Config | None = None,
        auth: AuthRule | None = None,
        not_found: PageFn | Page | None = None,
        states: Sequence[type[State]] = (),
    ) -> None:
        if pages is not None and not isinstance(pages, Mapping):
            raise ConfigError(f'Expected pages as a dict like {{"/": index}}, but got {pages!r}.')
        self.config = config if config is not None else Config()
        self._assets: UserAssets | None = None
        if self.config.assets_dir is not None:
            self._assets = UserAssets(self.config.assets_dir)
        self._pages: dict[str, Page] = {}
        self._routes: RouteTable | None = None
        # The module that creates the app, whose @pr.page functions it adds at startup (Reflex's habit).
        self._module: str | None = sys._getframe(1).f_globals.get("__name__")
        self._frozen = False
        for route, fn in (pages or {}).items():
            if not callable(fn) and not isinstance(fn, Page):
                raise ConfigError(f"Expected a page function for route {route!r}, but got {fn!r}.")
            self._add(route, as_page(fn))
        if not_found is not None and not callable(not_found) and not isinstance(not_found, Page):
            raise ConfigError(f"Expected not_found to be a page function, but got {not_found!r}.")
        self.not_found = None if not_found is None else as_page(not_found)
        if auth is not None and not callable(auth):
            raise ConfigError(f"Expected auth to be a function of the request, but got {auth!r}.")
        self.auth = auth
        for state in states:
            if not (isinstance(state, type) and issubclass(state, State)) or state.template():
                raise ConfigError(f"Expected states= to list State classes, but got {state!r}.")
        self._states = tuple(states)
        self._trusted = TrustedProxies(self.config.trusted_proxies)
        self._manager = _state_manager(self.config)
        self._start_lock = anyio.Lock()
        self._engine: Engine | None = None
        self._bundle: Bundle | None = None
        self._transport: SocketTransport | None = None
        self._uploads: UploadEndpoint | None = None

    def __repr__(self) -> str:
        return f"PyApp(pages={sorted(self._pages)!r})"

    # --- pages ---------------------------------------------------------------------------------------

    @property
    def pages(self) -> dict[str, Page]:
        """The app's pages by route: those given, added, and decorated in the module that created the app."""
        self._collect()
        return self._pages

    @property
    def routes(self) -> RouteTable:
        """The app's page routes, in the order they are tried."""
        self._collect()
        if self._routes is None:
            self._routes = RouteTable(self._pages)
        return self._routes

    def add_page(
        self,
        component: PageFn | Page,
        route: str | None = None,
        *,
        title: str | None = None,
        on_load: EventSpec | Sequence[EventSpec] | None = None,
        description: str | None = None,
    ) -> None:
        """Adds a page before the app starts, as Reflex's ``app.add_page`` does.

        Example: ``ui = pr.PyApp()`` then ``ui.add_page(index, route="/", title="Home")``.

        Args:
            component: A page function (decorated with ``@pr.page`` or not) or a `pr.page(...)`.
            route: The page's route; defaults to the one ``@pr.page`` gave, else to the function's name
                ("/" for ``index``, ``/about-us`` for ``about_us``).
            title: The page's ``<title>``, instead of the one ``@pr.page`` gave or ``Config.title``.
            on_load: Handlers run each time a tab opens the page, instead of those ``@pr.page`` gave.
            description: The page's ``<meta name="description">``.

        Raises:
            AlreadyStartedError: The app has started: its pages are compiled into the bundle it serves.
            ConfigError: The route is not a route, is taken by another page, or an argument is of the wrong kind.
        """
        if self._frozen:
            raise AlreadyStartedError(
                f"Cannot add the page {route or getattr(component, '__name__', component)!r} once the app has started, "
                "since its pages are compiled into the bundle it serves; add pages before the host starts the app."
            )
        base = as_page(component) if isinstance(component, Page) or callable(component) else None
        if base is None:
            raise ConfigError(f"Expected a page function, but got {component!r}.")
        settings = page(
            base.fn,
            route=route or base.route or default_route(base.fn),
            title=title if title is not None else base.title,
            on_load=on_load if on_load is not None else base.on_load,
            description=description if description is not None else base.description,
        )
        assert settings.route is not None
        self._add(settings.route, settings)

    def _add(self, route: str, settings: Page) -> None:
        normal = normalise_route(route)
        if normal in self._pages:
            raise ConfigError(f"Two pages have the route {normal!r}; routes ignore a trailing slash.")
        if self._assets is not None and (normal == ASSETS_PATH or self._assets.handles(normal)):
            raise ConfigError(f"Page routes under {ASSETS_PATH} clash with Config.assets_dir: {[normal]}.")
        self._pages[normal] = settings
        self._routes = None

    def _collect(self) -> None:
        # Until the app starts, the @pr.page functions of its module join the pages given or added.
        if self._frozen:
            return
        module = sys.modules.get(self._module or "")
        if module is None:
            return
        added = {id(p.fn) for p in self._pages.values()}
        for value in list(vars(module).values()):
            settings = decorated_page(value)
            if settings is not None and settings.route is not None and id(settings.fn) not in added:
                self._add(settings.route, settings)
                added.add(id(settings.fn))

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
            self._freeze()
            pages, theme, path = self._ordered_pages(), self.config.theme, self.config.event_path
            # A restart whose code has not changed finds its build current without compiling the pages.
            current = None
            if self.config.build == "auto":
                current = await anyio.to_thread.run_sync(
                    partial(load_current, self.build_dir, pages, theme=theme, event_path=path)
                )
            if current is None:
                compiled, code = compile_recorded(pages, theme=theme, event_path=path)
                self._bundle = await anyio.to_thread.run_sync(self._build, compiled, self.config.build, code)
                states, page_states = compiled.states, compiled.page_states
            else:
                self._bundle, states, page_states = current.bundle, current.states, current.page_states
            self._engine = Engine(registered_states(states, self._states), page_states)
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
        self._check_pages()
        compiled, code = compile_recorded(
            self._ordered_pages(), theme=self.config.theme, event_path=self.config.event_path
        )
        return self._build(compiled, mode or self.config.build, code)

    def _check_pages(self) -> None:
        if not self.pages:
            raise ConfigError(
                'Expected the app to have pages, but it has none; pass pages={"/": index}, call '
                'ui.add_page(index, route="/"), or decorate a page function with @pr.page(route="/") in the module '
                "that creates the app."
            )

    def _freeze(self) -> None:
        self._check_pages()
        self._collect()
        self._frozen = True

    def _build(self, compiled: CompiledApp, mode: BuildMode, code: CodeRecord | None = None) -> Bundle:
        return build_bundle(compiled, self.build_dir, mode, code=code)

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

    # --- development mode ----------------------------------------------------------------------------

    def replace_ui(self, source: PyApp, compiled: CompiledApp, bundle: Bundle) -> None:
        """Swaps in the pages of a reloaded copy of this app, running, keeping every client's state.

        Development mode only (`pyreact_asgi.devreload`, ``pyreact run --dev``): the new pages and bundle are
        served from now on, every client's states move to the new State classes (vars whose name and type
        still exist keep their values), and every open tab re-renders the new UI without a page load.

        Args:
            source: The app as its module defines it now, freshly imported.
            compiled: Its compiled pages.
            bundle: Its built bundle.

        Raises:
            NotStartedError: This app is not running.
        """
        if self._transport is None:
            raise NotStartedError('Cannot call "replace_ui" before the app has started.')
        self._pages, self._routes, self.not_found = dict(source.pages), None, source.not_found
        self._engine = Engine(registered_states(compiled.states, source._states), compiled.page_states)
        self._bundle = bundle
        if isinstance(self._manager, MemoryStateManager):
            self._manager.migrate(self._engine.states)
        self._transport.reloaded(self.routes, f"{STATIC_PATH}/{bundle.manifest.entry}")

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
