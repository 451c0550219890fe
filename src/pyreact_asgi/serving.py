from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from pyreact_asgi._contract import ASSETS_PATH, STATIC_PATH
from pyreact_asgi._types import Message, Receive, Scope, Send
from pyreact_asgi.build.pipeline import Bundle
from pyreact_asgi.discovery.html import not_found_page, render_shell
from pyreact_asgi.page import Page
from pyreact_asgi.routes import RouteTable
from pyreact_asgi.runtime.binding import cookie_headers

__all__ = ["UserAssets", "accepts_gzip", "asset_response", "http_response", "page_response"]

_IMMUTABLE = "public, max-age=31536000, immutable"
_STATIC_PREFIX = STATIC_PATH + "/"


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an ``Accept-Encoding`` header value admits gzip (``q=0`` refuses it)."""
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


def http_response(
    scope: Scope,
    *,
    bundle: Bundle,
    routes: RouteTable,
    pages: Mapping[str, Page],
    not_found: Page | None,
    title: str,
    mount: str,
    path: str,
) -> Response:
    """Answers a GET or HEAD for a page or one of the bundle's files; ``path`` is relative to ``mount``."""
    if scope["method"] not in ("GET", "HEAD"):
        return PlainTextResponse("Method Not Allowed", status_code=405, headers={"Allow": "GET, HEAD"})
    if path.startswith(_STATIC_PREFIX):
        return asset_response(scope, bundle, path[len(_STATIC_PREFIX) :])
    return page_response(
        scope, bundle=bundle, routes=routes, pages=pages, not_found=not_found, title=title, mount=mount, path=path
    )


def page_response(
    scope: Scope,
    *,
    bundle: Bundle,
    routes: RouteTable,
    pages: Mapping[str, Page],
    not_found: Page | None,
    title: str,
    mount: str,
    path: str,
) -> Response:
    """Returns the HTML shell of the page at ``path`` (the app's 404 page, with 404, if none matches).

    Every page gets the same shell: the mount ``<meta>`` tag, the page's title and the bundle's URLs. The
    browser runtime renders the page itself. A browser without a usable client key cookie is given one
    (`pyreact_asgi.runtime.binding`).

    Args:
        scope: The page request.
        bundle: The bundle whose files the shell loads.
        routes: The app's page routes.
        pages: Route → page, for titles and descriptions.
        not_found: The app's 404 page; a plain one when None.
        title: ``Config.title``, for pages without a title of their own.
        mount: The mount path this request came through.
        path: The path after the mount path.
    """
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    matched = routes.match(path)
    status = 200
    if matched is None:
        if not_found is None:
            return Response(not_found_page(title), 404, headers, media_type="text/html")
        shown, status = not_found, 404
    else:
        shown = pages[matched[0]]
    manifest = bundle.manifest
    html = render_shell(
        mount=mount,
        title=shown.title or title,
        entry=manifest.entry,
        runtime=manifest.runtime,
        description=shown.description,
        preload=manifest.preload,
        import_map=manifest.import_map,
    )
    headers.update(cookie_headers(scope, mount))
    return Response(html, status_code=status, headers=headers, media_type="text/html")


def asset_response(scope: Scope, bundle: Bundle, name: str) -> Response:
    """Returns one of the bundle's files from memory: immutable, with an ETag, gzipped when accepted."""
    asset = bundle.assets.get(name)
    if asset is None:
        return PlainTextResponse("Not Found", status_code=404)
    request_headers = Headers(scope=scope)
    headers = {"Cache-Control": _IMMUTABLE, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if request_headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    body = asset.body
    if accepts_gzip(request_headers.get("accept-encoding", "")):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, headers=headers, media_type="text/javascript")


class UserAssets:
    """Serves the files of ``Config.assets_dir`` under ``<mount>/assets/``, revalidated on every use.

    Hidden files and folders (any segment starting with ".") are answered 404: an assets folder is often a
    project folder that also holds ``.env`` or ``.git``.

    Args:
        directory: The folder; it need not exist yet.
    """

    prefix = ASSETS_PATH + "/"

    def __init__(self, directory: str | Path) -> None:
        self._files = StaticFiles(directory=directory, check_dir=False)

    def handles(self, path: str) -> bool:
        """Whether ``path``, relative to the mount path, is under the assets prefix."""
        return path.startswith(self.prefix)

    async def __call__(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        """Serves ``path`` (relative to the mount path, under the assets prefix)."""
        local_path = path[len(ASSETS_PATH) :]
        # scope["path"] is already percent-decoded, so "%2eenv" arrives here as ".env".
        if any(segment.startswith(".") for segment in local_path.split("/")):
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        # StaticFiles refuses paths leaving the folder and answers If-None-Match / If-Modified-Since with 304.
        local = {**scope, "path": local_path, "root_path": "", "raw_path": local_path.encode()}

        async def send_with_cache_control(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                message = {**message, "headers": [*message.get("headers", []), (b"cache-control", b"no-cache")]}
            await send(message)

        try:
            await self._files(local, receive, send_with_cache_control)
        except HTTPException as exc:  # StaticFiles raises its 404 and 405 for the host's handlers to render
            await PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)(scope, receive, send)
