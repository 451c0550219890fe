from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Address, Headers, QueryParams
from starlette.requests import HTTPConnection

from pyreact_asgi._types import Scope
from pyreact_asgi.routes import RouteTable

__all__ = ["PageInfo", "Router"]

_MAX_PAGE = 2048


class PageInfo(str):
    """The page a tab shows: its path relative to the mount path (a ``str``), with Reflex's fields.

    ``self.router.page == "/post/hello"`` as before, and ``self.router.page.params.get("slug", "")`` as in
    Reflex: ``.path``, ``.raw_path`` (with the query string), ``.query`` and ``.params`` (the route's dynamic
    segments over the query parameters).
    """

    path: str
    raw_path: str
    query: QueryParams
    params: dict[str, str]

    def __new__(cls, path: str, query: str, route_params: Mapping[str, str]) -> PageInfo:
        info = super().__new__(cls, path)
        info.path = path
        info.raw_path = f"{path}?{query}" if query else path
        info.query = QueryParams(query)
        info.params = {**info.query, **route_params}
        return info


class Router:
    """What an event handler knows about the client whose event it runs: ``self.router`` in a handler.

    It describes the websocket connection the event came over, which the browser opened with the cookies
    and headers of the page, so a host's session and auth middleware apply to it as to any request.

    Args:
        scope: The ASGI scope of the websocket connection, as the app received it.
        mount: The app's mount path ("" at the root).
        page: The page the browser shows, relative to the mount path, with its query string
            (``"/reports?year=2026"``).
        routes: The app's page routes: the page's route and the values of its dynamic segments are found in
            them (``router.route == "/post/[slug]"``, ``router.params == {"slug": "hello"}``).
    """

    __slots__ = ("_page", "client_key", "connection", "mount", "params", "route")

    def __init__(
        self,
        scope: Scope,
        *,
        mount: str = "",
        page: str = "/",
        routes: RouteTable | None = None,
        client_key: str | None = None,
    ) -> None:
        self.connection = HTTPConnection(scope)
        #: The key this client's state is kept under: store it (with the user's id, say) to change the
        #: client's state later from outside an event, with ``PyApp.modify_state(client_key)``. Not a token:
        #: it cannot be used to connect as the client. None outside a client's event.
        self.client_key = client_key
        self.mount = mount
        self._page = urlsplit(page if _is_page(page) else "/")
        matched = None if routes is None else routes.match(self._page.path or "/")
        #: The page route the page matched (``"/post/[slug]"``), or None when it matched none.
        self.route: str | None = None if matched is None else matched[0]
        #: Values of the route's dynamic segments: ``{"slug": "hello"}`` for ``/post/[slug]`` at ``/post/hello``.
        self.params: Mapping[str, str] = {} if matched is None else matched[1]

    def __repr__(self) -> str:
        return f"Router(mount={self.mount!r}, page={self.page!r})"

    @property
    def page(self) -> PageInfo:
        """The path of the page the browser shows, relative to the mount path (``"/reports"``): a ``str`` with
        Reflex's ``.path``, ``.raw_path``, ``.query`` and ``.params``."""
        return PageInfo(self._page.path or "/", self._page.query, self.params)

    @property
    def query(self) -> QueryParams:
        """The query parameters of the page the browser shows."""
        return QueryParams(self._page.query)

    @property
    def headers(self) -> Headers:
        """The request headers of the connection (case-insensitive)."""
        return self.connection.headers

    @property
    def cookies(self) -> dict[str, str]:
        """The cookies the browser sent with the connection."""
        return self.connection.cookies

    @property
    def client(self) -> Address | None:
        """The client's address as the server saw it (``host``, ``port``), if the server reports one."""
        return self.connection.client

    @property
    def scope(self) -> Scope:
        """The raw ASGI scope of the connection: host middleware put ``"user"`` and ``"session"`` here."""
        return self.connection.scope

    def get(self, key: str, default: Any = None) -> Any:
        """Returns an entry of the connection's scope, such as ``"user"`` set by the host's auth middleware."""
        return self.connection.scope.get(key, default)


def _is_page(page: object) -> bool:
    return isinstance(page, str) and page.startswith("/") and not page.startswith("//") and len(page) <= _MAX_PAGE
