# No `from __future__ import annotations`: Litestar evaluates handler annotations at runtime, so every name
# used in one must be importable here, never only under TYPE_CHECKING.
import re
from collections.abc import Sequence
from urllib.parse import unquote

from litestar.enums import ScopeType
from litestar.exceptions import NotFoundException
from litestar.handlers import ASGIRouteHandler, asgi
from litestar.response.redirect import ASGIRedirectResponse
from litestar.types import Guard, Receive, Scope, Send

import pyreact_asgi as pr

__all__ = ["mount"]

_MOUNT_PATH = re.compile(r"^(/[A-Za-z0-9\-._~]+)*$")


def _normalise_mount_path(path: str) -> str:
    # "/admin/" -> "/admin", "/" -> "": the prefix as Starlette's root_path would carry it.
    if not isinstance(path, str) or not path.startswith("/"):
        raise pr.MountPathError(f'Expected mount path to start with "/", but got {path!r}.', path=str(path))
    normal = path if path == "/" else path.removesuffix("/")
    normal = "" if normal == "/" else normal
    if not _MOUNT_PATH.match(normal):
        raise pr.MountPathError(
            f'Expected a mount path like "/" or "/admin/reports" (letters, digits and -._~ between slashes), '
            f"but got {path!r}.",
            path=path,
        )
    return normal


def _request_path(scope: Scope) -> str | None:
    """The request's path below the server's ``root_path``, as the client sent it; None if the server hides it."""
    raw = scope.get("raw_path")
    if not raw:
        return None
    # Litestar's TestClient leaves the query string in raw_path (httpx's URL.raw_path); servers do not.
    full = unquote(raw.partition(b"?")[0].decode("latin-1"))
    # uvicorn puts root_path in raw_path as well as in path, hypercorn in neither; Litestar routes without it.
    root = (scope.get("root_path") or "").rstrip("/")
    if root and (full == root or full.startswith(root + "/")):
        full = full[len(root) :] or "/"
    return full


def mount(ui: pr.PyApp, path: str, *, guards: Sequence[Guard] | None = None) -> ASGIRouteHandler:
    """Returns a Litestar route handler that serves ``ui`` under ``path``, for its pages and its websocket.

    Use it when you wire the lifespan yourself; `PyReactPlugin` does both::

        app = Litestar(route_handlers=[mount(ui, "/admin")], lifespan=[ui.lifespan])

    Requests reach ``ui`` as they would under Starlette's ``Mount``: ``root_path`` is the server's root path
    plus ``path`` and ``path`` the full path, in a copy of the scope (the host's scope is never changed). A
    request for ``path`` without its trailing slash is redirected (307) to ``path + "/"``, as Starlette does,
    so that the page's relative URLs resolve under the mount. Paths that Litestar routes here but that lie
    outside ``path`` (``/administrator`` for ``/admin``) get Litestar's own 404.

    Args:
        ui: The app to serve.
        path: Where to mount it: ``"/"``, ``"/admin"``, ``"/a/b/c"``. A trailing slash is ignored.
        guards: Litestar guards, run for page requests and websocket connections alike.

    Returns:
        An ``asgi(path, is_mount=True)`` handler named ``"pyreact:<path>"``, to list in ``route_handlers``.

    Raises:
        MountPathError: ``path`` does not start with "/", or has a segment that is empty or holds a character
            other than letters, digits and ``-._~`` (Litestar path parameters cannot be mounted).
    """
    prefix = _normalise_mount_path(path)

    async def serve_pyreact_app(scope: Scope, receive: Receive, send: Send) -> None:
        full = _request_path(scope)
        if full is None:
            # Without raw_path only Litestar's remainder is left, with a "/" appended that page routes ignore;
            # after a false prefix match (/admin taking /administrator) it lacks the leading "/".
            if prefix and not scope["path"].startswith("/"):
                raise NotFoundException()
            rest = "/" + scope["path"].strip("/")
        elif full.startswith(prefix + "/"):
            rest = full[len(prefix) :]
        elif full == prefix and scope["type"] == ScopeType.HTTP:
            query = scope.get("query_string", b"").decode("latin-1")
            location = f"{scope.get('root_path', '').rstrip('/')}{prefix}/" + (f"?{query}" if query else "")
            await ASGIRedirectResponse(location, status_code=307)(scope, receive, send)
            return
        else:
            # Litestar matches mount paths as unanchored prefixes (/admin takes /administrator), and takes
            # websockets to the bare mount path, which Starlette refuses.
            raise NotFoundException()
        root = scope.get("root_path", "").rstrip("/") + prefix
        # Litestar types receive/send with TypedDict unions, PyApp with plain mappings: the same ASGI callables.
        await ui({**scope, "root_path": root, "path": root + rest}, receive, send)  # type: ignore[arg-type]

    return asgi(
        prefix or "/",
        is_mount=True,
        # The handler already hands the app a copy of its own, so Litestar needs to make none.
        copy_scope=False,
        guards=guards,
        name=f"pyreact:{prefix or '/'}",
    )(serve_pyreact_app)
