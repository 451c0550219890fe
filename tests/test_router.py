"""Router: what a handler knows about its client, from the connection's scope and the page the client names."""

from __future__ import annotations

import pytest

from pyreact_asgi.page import Page
from pyreact_asgi.router import Router
from pyreact_asgi.routes import RouteTable


def _scope(**extra: object) -> dict[str, object]:
    return {
        "type": "websocket",
        "path": "/ui/_event/",
        "headers": [(b"cookie", b"sid=abc; theme=dark"), (b"x-team", b"blue")],
        "client": ("10.0.0.7", 5123),
        **extra,
    }


def _routes() -> RouteTable:
    fn = Page(lambda: None)  # type: ignore[arg-type,return-value]
    return RouteTable({"/": fn, "/reports": fn, "/post/[slug]": fn, "/docs/[...path]": fn})


def test_router_reads_the_connection() -> None:
    router = Router(_scope(user="ada"), mount="/ui", page="/reports?year=2026&q=a%20b")
    assert router.mount == "/ui"
    assert router.page == "/reports"
    assert router.query["year"] == "2026"
    assert router.query["q"] == "a b"
    assert router.headers["X-Team"] == "blue"
    assert router.cookies == {"sid": "abc", "theme": "dark"}
    assert router.client is not None
    assert (router.client.host, router.client.port) == ("10.0.0.7", 5123)
    assert router.get("user") == "ada"
    assert router.get("session", "none") == "none"
    assert router.scope["path"] == "/ui/_event/"
    assert repr(router) == "Router(mount='/ui', page='/reports')"


def test_router_defaults_to_the_root_page() -> None:
    router = Router(_scope())
    assert (router.mount, router.page, router.route, dict(router.params)) == ("", "/", None, {})
    assert list(router.query) == []


@pytest.mark.parametrize(
    ("page", "route", "params"),
    [
        ("/", "/", {}),
        ("/reports", "/reports", {}),
        ("/post/hello?x=1", "/post/[slug]", {"slug": "hello"}),
        ("/docs/a/b/c", "/docs/[...path]", {"path": "a/b/c"}),
        ("/nowhere", None, {}),
    ],
)
def test_router_finds_the_pages_route_and_params(page: str, route: str | None, params: dict[str, str]) -> None:
    router = Router(_scope(), page=page, routes=_routes())
    assert router.route == route
    assert dict(router.params) == params


@pytest.mark.parametrize(
    "page",
    [
        "reports",  # not a path
        "//evil.example/x",  # a network-path reference: another host, not a page of the app
        "https://evil.example/",
        "/" + "a" * 2048,  # longer than any page the app serves
        None,
        42,
    ],
    ids=["relative", "network-path", "absolute-url", "too-long", "none", "number"],
)
def test_router_takes_a_page_a_client_cannot_use_as_the_root(page: object) -> None:
    router = Router(_scope(), page=page, routes=_routes())  # type: ignore[arg-type]
    assert router.page == "/"
    assert router.route == "/"
    assert list(router.query) == []


def test_router_keeps_no_client_address_when_the_server_reports_none() -> None:
    router = Router({"type": "websocket", "headers": []})
    assert router.client is None
    assert router.cookies == {}
