from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import anyio
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response

from pyreact_asgi._types import Receive, Scope, Send
from pyreact_asgi.build.compiler import PageFn, compile_app
from pyreact_asgi.build.pipeline import Bundle, build_bundle
from pyreact_asgi.config import Config
from pyreact_asgi.discovery.html import not_found_page, render_shell
from pyreact_asgi.discovery.mount import split_path
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.runtime.transport import SocketTransport

__all__ = ["PyApp"]

logger = logging.getLogger(__name__)

_ROUTE = re.compile(r"^/([A-Za-z0-9\-._~]+(/[A-Za-z0-9\-._~]+)*)?$")
_STATIC_PREFIX = "/_static/"
_IMMUTABLE = "public, max-age=31536000, immutable"


def _accepts_gzip(accept_encoding: str) -> bool:
    for coding in accept_encoding.split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            if not q.startswith("q="):
                return True
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
    return False


def _normalise_route(route: str) -> str:
    if not isinstance(route, str):
        raise ConfigError(f"Expected page routes to be strings, but got {route!r}.")
    normal = route.rstrip("/") or "/"
    if not _ROUTE.match(normal):
        raise ConfigError(f'Expected a page route like "/" or "/reports/daily", but got {route!r}.')
    if normal.startswith("/_"):
        raise ConfigError(f'Page routes starting with "/_" are reserved for the framework, but got {route!r}.')
    return normal


class PyApp:
    """An interactive UI as one ASGI application, mountable at any path of any ASGI host.

    Serve it alone (``uvicorn module:ui``) or mount it (``app.mount("/admin", ui)``). The mount path is read
    from every request, so the same app and the same build work at any path.

    Args:
        pages: Route → page function. A page function takes no arguments and returns a component.
        config: Settings; the defaults work.

    Raises:
        ConfigError: A route or page function is not usable.
    """

    def __init__(self, pages: Mapping[str, PageFn], *, config: Config | None = None) -> None:
        if not isinstance(pages, Mapping) or not pages:
            raise ConfigError(f'Expected pages as a non-empty dict like {{"/": index}}, but got {pages!r}.')
        self.pages: dict[str, PageFn] = {}
        for route, fn in pages.items():
            if not callable(fn):
                raise ConfigError(f"Expected a page function for route {route!r}, but got {fn!r}.")
            normal = _normalise_route(route)
            if normal in self.pages:
                raise ConfigError(f"Two pages have the route {normal!r}; routes ignore a trailing slash.")
            self.pages[normal] = fn
        self.config = config if config is not None else Config()
        self._manager = MemoryStateManager(self.config.state_ttl)
        self._start_lock = anyio.Lock()
        self._engine: Engine | None = None
        self._bundle: Bundle | None = None
        self._transport: SocketTransport | None = None

    def __repr__(self) -> str:
        return f"PyApp(pages={sorted(self.pages)!r})"

    @property
    def build_dir(self) -> Path:
        """Where this app's bundle is built: ``Config.build_dir``, else ``.pyreact/app-<id>`` in the working dir."""
        if self.config.build_dir is not None:
            return self.config.build_dir
        identity = "\n".join(f"{route} {fn.__module__}.{fn.__qualname__}" for route, fn in sorted(self.pages.items()))
        return Path.cwd() / ".pyreact" / f"app-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"

    @property
    def started(self) -> bool:
        """Whether the app has built its bundle and can serve clients."""
        return self._transport is not None

    @property
    def bundle(self) -> Bundle:
        """The frontend bundle being served.

        Raises:
            RuntimeError: The app has not started.
        """
        if self._bundle is None:
            raise RuntimeError('Cannot read "bundle" before the app has started.')
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
            compiled = compile_app(self.pages)
            self._bundle = await anyio.to_thread.run_sync(build_bundle, compiled, self.build_dir, self.config.build)
            self._engine = Engine(compiled.states, compiled.page_states)
            self._transport = SocketTransport(self.config, self._get_engine, self._manager)

    async def shutdown(self) -> None:
        """Closes every websocket connection and stops the websocket server's background work."""
        async with self._start_lock:
            transport, self._transport = self._transport, None
            if transport is not None:
                await transport.shutdown()

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
        transport = self._transport
        if transport is None:  # pragma: no cover - only when shut down between the two lines above
            await PlainTextResponse("Service Unavailable", status_code=503)(scope, receive, send)
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
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse("Method Not Allowed", status_code=405, headers={"Allow": "GET, HEAD"})
        bundle = self.bundle
        if path.startswith(_STATIC_PREFIX):
            return self._serve_asset(scope, path[len(_STATIC_PREFIX) :])
        route = path.rstrip("/") or "/"
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if route not in self.pages:
            return Response(not_found_page(self.config.title), 404, headers, media_type="text/html")
        manifest = bundle.manifest
        html = render_shell(mount=mount, title=self.config.title, entry=manifest.entry, runtime=manifest.runtime)
        return Response(html, headers=headers, media_type="text/html")

    def _serve_asset(self, scope: Scope, name: str) -> Response:
        asset = self.bundle.assets.get(name)
        if asset is None:
            return PlainTextResponse("Not Found", status_code=404)
        request_headers = Headers(scope=scope)
        headers = {"Cache-Control": _IMMUTABLE, "ETag": asset.etag, "Vary": "Accept-Encoding"}
        if request_headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        body = asset.body
        if _accepts_gzip(request_headers.get("accept-encoding", "")):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        return Response(body, headers=headers, media_type="text/javascript")

    # --- introspection for tests and tools -----------------------------------------------------------

    def client_count(self) -> int:
        """Returns how many websocket clients are connected to this process."""
        return 0 if self._transport is None else self._transport.connections
