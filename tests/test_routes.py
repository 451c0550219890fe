from __future__ import annotations

import pytest

from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.routes import RouteTable, normalise_route

TABLE = RouteTable(["/", "/post/new", "/post/[slug]", "/post/[slug]/edit", "/docs/[...path]", "/[user]"])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("/", {})),
        ("/post/new", ("/post/new", {})),  # a literal route wins over a dynamic one
        ("/post/new/", ("/post/new", {})),
        ("/post/hello", ("/post/[slug]", {"slug": "hello"})),
        ("/post/hello/edit", ("/post/[slug]/edit", {"slug": "hello"})),
        ("/docs/a", ("/docs/[...path]", {"path": "a"})),
        ("/docs/a/b/c", ("/docs/[...path]", {"path": "a/b/c"})),
        ("/ada", ("/[user]", {"user": "ada"})),
        ("/docs", ("/[user]", {"user": "docs"})),  # a catch-all needs one segment at least
        ("/post/hello/other", None),
        ("/post//edit", None),
        ("/a/b", None),
    ],
)
def test_route_table_match(path: str, expected: tuple[str, dict[str, str]] | None) -> None:
    assert TABLE.match(path) == expected


def test_route_table_order_is_static_then_most_literal_then_catch_all() -> None:
    assert TABLE.ordered == ["/", "/post/new", "/post/[slug]/edit", "/post/[slug]", "/[user]", "/docs/[...path]"]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ("/docs/[...path]/more", r"A catch-all segment must be the last of the route"),
        ("/[a]/[a]", r"names the parameter 'a' twice"),
        ("/post/[Slug]", r"Expected a page route like"),
        ("/post/[slug", r"Expected a page route like"),
        ("post", r"Expected a page route like"),
        ("/_private", r'Page routes starting with "/_" are reserved'),
    ],
)
def test_bad_routes_are_refused(route: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        normalise_route(route)
