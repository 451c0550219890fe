from __future__ import annotations

from typing import Any

import pytest

from pyreact_asgi.discovery.mount import TrustedProxies, forwarded_prefix, split_path


def _scope(path: str, root_path: str = "", raw_path: bytes | None = None) -> dict[str, Any]:
    scope: dict[str, Any] = {"type": "http", "path": path, "root_path": root_path}
    if raw_path is not None:
        scope["raw_path"] = raw_path
    return scope


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # Starlette Mount("/ui"): path stays full, root_path grows by the mount.
        (_scope("/ui/", "/ui", b"/ui/"), ("/ui", "/")),
        (_scope("/ui", "/ui", b"/ui"), ("/ui", "/")),
        (_scope("/ui/_static/app.js", "/ui", b"/ui/_static/app.js"), ("/ui", "/_static/app.js")),
        (_scope("/ui/reports/daily/", "/ui", b"/ui/reports/daily/"), ("/ui", "/reports/daily/")),
        # Nested Mount("/a", routes=[Mount("/b/c", ui)]).
        (_scope("/a/b/c/page", "/a/b/c", b"/a/b/c/page"), ("/a/b/c", "/page")),
        # A root_path with a trailing slash is the same mount.
        (_scope("/ui/x", "/ui/"), ("/ui", "/x")),
        # The mount is a whole segment: "/uix" is not under "/ui".
        (_scope("/uix", "/ui"), ("/ui", "/uix")),
    ],
    ids=[
        "mount-index",
        "mount-no-slash",
        "mount-asset",
        "mount-deep",
        "nested",
        "root-path-trailing-slash",
        "not-a-prefix",
    ],
)
def test_split_path_starlette_mount(scope: dict[str, Any], expected: tuple[str, str]) -> None:
    assert split_path(scope) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # uvicorn --root-path /proxy prefixes both path and raw_path.
        (_scope("/proxy/", "/proxy", b"/proxy/"), ("/proxy", "/")),
        (_scope("/proxy/_static/app.js", "/proxy", b"/proxy/_static/app.js"), ("/proxy", "/_static/app.js")),
        # Servers that follow the older reading of the spec send path relative to root_path.
        (_scope("/", "/proxy", b"/"), ("/proxy", "/")),
        (_scope("/_static/app.js", "/proxy", b"/_static/app.js"), ("/proxy", "/_static/app.js")),
    ],
    ids=["uvicorn-index", "uvicorn-asset", "relative-index", "relative-asset"],
)
def test_split_path_root_path(scope: dict[str, Any], expected: tuple[str, str]) -> None:
    assert split_path(scope) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # Litestar asgi(is_mount=True) at "/ui": path is the remainder plus "/", root_path untouched,
        # only raw_path keeps the prefix.
        (_scope("/_static/app.js/", "", b"/ui/_static/app.js"), ("/ui", "/_static/app.js")),
        (_scope("/", "", b"/ui/"), ("/ui", "/")),
        (_scope("/", "", b"/ui"), ("/ui", "/")),
        (_scope("/reports/", "", b"/ui/reports"), ("/ui", "/reports")),
        (_scope("/reports/", "", b"/ui/reports/"), ("/ui", "/reports/")),
        (_scope("/_event/", "", b"/a/b/_event/"), ("/a/b", "/_event/")),
        # The mount path may end with the same segment as the remainder.
        (_scope("/ui/", "", b"/ui/ui"), ("/ui", "/ui")),
        (_scope("/x/", "", b"/my%20ui/x"), ("/my ui", "/x")),
    ],
    ids=["asset", "index", "index-no-slash", "page", "page-slash", "nested-event", "repeated-segment", "encoded"],
)
def test_split_path_litestar_mount(scope: dict[str, Any], expected: tuple[str, str]) -> None:
    assert split_path(scope) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (_scope("/", "", b"/"), ("", "/")),
        (_scope("/_static/app.js", "", b"/_static/app.js"), ("", "/_static/app.js")),
        (_scope("/reports/daily", "", b"/reports/daily"), ("", "/reports/daily")),
        (_scope("/", "/"), ("", "/")),
        ({"type": "http", "path": "/x"}, ("", "/x")),
        ({"type": "http", "path": ""}, ("", "/")),
        ({"type": "http"}, ("", "/")),
        # A host middleware that rewrote path without touching raw_path is not a mount.
        (_scope("/new", "", b"/old"), ("", "/new")),
        (_scope("/new/", "", b"/old"), ("", "/new/")),
    ],
    ids=[
        "index",
        "asset",
        "page",
        "root-path-slash",
        "no-root-path",
        "empty-path",
        "no-path",
        "rewritten",
        "rewritten-slash",
    ],
)
def test_split_path_root_mount(scope: dict[str, Any], expected: tuple[str, str]) -> None:
    assert split_path(scope) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        # Starlette decodes path and root_path; the mount comes back decoded.
        (_scope("/my ui/x", "/my ui", b"/my%20ui/x"), ("/my ui", "/x")),
        (_scope("/caf\u00e9/", "/caf\u00e9", b"/caf%C3%A9/"), ("/caf\u00e9", "/")),
        # At the root, a percent-encoded raw_path that decodes to path is not a mount.
        (_scope("/a b", "", b"/a%20b"), ("", "/a b")),
        (_scope("/a/b", "", b"/a%2Fb"), ("", "/a/b")),
        (_scope("/caf\u00e9", "", b"/caf%C3%A9"), ("", "/caf\u00e9")),
    ],
    ids=["space-mount", "utf8-mount", "space-root", "encoded-slash-root", "utf8-root"],
)
def test_split_path_percent_encoded(scope: dict[str, Any], expected: tuple[str, str]) -> None:
    assert split_path(scope) == expected


def test_split_path_does_not_change_the_scope() -> None:
    scope = _scope("/_static/app.js/", "", b"/ui/_static/app.js")
    before = dict(scope)
    split_path(scope)
    assert scope == before


# --- X-Forwarded-Prefix -----------------------------------------------------------------------------


def _forwarded(prefix: bytes | None, client: str = "10.0.0.5", *more: bytes) -> dict[str, Any]:
    headers = [] if prefix is None else [(b"x-forwarded-prefix", prefix)]
    headers += [(b"x-forwarded-prefix", value) for value in more]
    return {"type": "http", "path": "/", "root_path": "", "headers": headers, "client": (client, 4321)}


@pytest.mark.parametrize(
    ("trusted", "client", "expected"),
    [
        ((), "10.0.0.5", ""),  # not opted in: the header is anyone's to forge
        (("10.0.0.5",), "10.0.0.5", "/proxy"),
        (("10.0.0.0/8",), "10.0.0.5", "/proxy"),
        (("10.0.0.0/8",), "192.168.1.9", ""),  # opted in, but not from the proxy
        (("*",), "192.168.1.9", "/proxy"),
        (("10.0.0.5",), "not-an-address", ""),
    ],
)
def test_forwarded_prefix_only_from_trusted_proxy(trusted: tuple[str, ...], client: str, expected: str) -> None:
    assert forwarded_prefix(_forwarded(b"/proxy/", client), TrustedProxies(trusted)) == expected


@pytest.mark.parametrize(
    "value",
    [b"proxy", b"/", b"//evil.example", b"/a/../b", b"/a b", b"/a\tb", b"/\xff", b"/" + b"a" * 2000],
)
def test_forwarded_prefix_malformed_is_ignored(value: bytes) -> None:
    assert forwarded_prefix(_forwarded(value), TrustedProxies(["*"])) == ""


def test_forwarded_prefix_sent_twice_is_ignored() -> None:
    assert forwarded_prefix(_forwarded(b"/a", "10.0.0.5", b"/b"), TrustedProxies(["*"])) == ""


def test_forwarded_prefix_without_header_or_client() -> None:
    assert forwarded_prefix(_forwarded(None), TrustedProxies(["*"])) == ""
    scope = _forwarded(b"/proxy")
    del scope["client"]
    assert forwarded_prefix(scope, TrustedProxies(["10.0.0.5"])) == ""


def test_trusted_proxies_reject_nonsense() -> None:
    with pytest.raises(ValueError, match=r"does not appear to be an IPv4 or IPv6 network"):
        TrustedProxies(["proxy.example"])
