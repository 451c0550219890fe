from __future__ import annotations

from pyreact_asgi._contract import MOUNT_PATH, ROUTE_PARAMS
from pyreact_asgi.state.vars import Var

__all__ = ["PageVar", "RouterVar"]

# What the browser knows of the page it shows, as JavaScript: the path relative to the mount path, the query
# and the values of the route's dynamic segments. The page re-renders on every navigation, so these stay current.
_PATH = (
    '((p, m) => (p.startsWith(m) ? p.slice(m.length) : p) || "/")'
    f"(decodeURI(window.location.pathname), decodeURI({MOUNT_PATH}()))"
)
_QUERY = "Object.fromEntries(new URLSearchParams(window.location.search))"


class PageVar(Var):
    """The page a tab shows, in a page: ``pr.State.router.page`` is its path relative to the mount path.

    Its attributes are Reflex's: ``.path``, ``.raw_path`` (with the query string), ``.query`` (a dict of the
    query parameters) and ``.params`` (the route's dynamic segments over the query parameters, as in Reflex:
    ``pr.State.router.page.params["slug"]`` on ``/post/[slug]``).
    """

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(_PATH)

    @property
    def path(self) -> Var:
        """The path of the page relative to the mount path (``"/post/hello"``)."""
        return Var(_PATH)

    @property
    def raw_path(self) -> Var:
        """The path with its query string (``"/post/hello?tab=2"``)."""
        return Var(f"({_PATH} + window.location.search)")

    @property
    def query(self) -> Var:
        """The query parameters, a dict of strings (the last value of a repeated name)."""
        return Var(f"({_QUERY})")

    @property
    def params(self) -> Var:
        """The route's dynamic segments and the query parameters, the segments winning a clash."""
        # Object.assign rather than a spread: the compiler finds the runtime names a Var uses as identifiers
        # not preceded by ".", and "...routeParams" would hide this one.
        return Var(f"Object.assign({{}}, {_QUERY}, {ROUTE_PARAMS})")


class RouterVar:
    """``pr.State.router`` in a page: what the browser itself knows of the page, as Vars.

    Only the page's path, query and route parameters: the connection's headers, cookies and address stay on
    the server, where handlers and computed vars read them as ``self.router``.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "RouterVar()"

    @property
    def page(self) -> PageVar:
        """The page the tab shows: its path, with ``.path``, ``.raw_path``, ``.query`` and ``.params``."""
        return PageVar()

    @property
    def params(self) -> Var:
        """The values of the route's dynamic segments (``{"slug": "hello"}``), as ``self.router.params``."""
        return Var(f"Object.assign({{}}, {ROUTE_PARAMS})")

    @property
    def query(self) -> Var:
        """The query parameters of the page, as ``self.router.query``."""
        return PageVar().query
