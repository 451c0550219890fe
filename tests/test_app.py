from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

import pyreact_asgi as pr
from examples.counter import Counter, index
from pyreact_asgi._types import ASGIApp, Message, Receive, Scope, Send
from pyreact_asgi.exceptions import CompileError, ConfigError
from tests.asgi import asgi_get


def about() -> pr.Component:
    return pr.text("About ", Counter.name, id="about")


PAGES = {"/": index, "/about": about}


@pytest.fixture
def ui(shared_build_dir: Path) -> pr.PyApp:
    return pr.PyApp(PAGES, config=pr.Config(title="Test app", build_dir=shared_build_dir / "test_app"))


# --- hosts ---------------------------------------------------------------------------------------------


class UvicornRootPath:
    """What ``uvicorn --root-path /proxy`` does behind a proxy that strips ``/proxy``.

    uvicorn prepends the root path to ``path`` and ``raw_path`` (h11_impl.py, 0.54), so the client asks for
    ``/`` and the app sees ``/proxy/`` with ``root_path="/proxy"``.
    """

    def __init__(self, app: ASGIApp, root_path: str) -> None:
        self.app = app
        self.root_path = root_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            scope = {
                **scope,
                "root_path": self.root_path,
                "path": self.root_path + scope["path"],
                "raw_path": self.root_path.encode() + scope["raw_path"],
            }
        await self.app(scope, receive, send)


class LitestarMount:
    """What Litestar 2.25's ``asgi(path, is_mount=True)`` hands the mounted app.

    ``path`` becomes the remainder plus a trailing "/", ``root_path`` is left alone and only ``raw_path``
    keeps the prefix (litestar/_asgi/routing_trie/traversal.py).
    """

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            path: str = scope["path"]
            assert path == self.prefix or path.startswith(self.prefix + "/"), "tests only ask for paths under the mount"
            rest = path[len(self.prefix) :] or "/"
            scope = {**scope, "path": rest if rest.endswith("/") else rest + "/"}
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class Host:
    app: ASGIApp
    mount: str  # what the page's <meta name="pyreact-mount"> must say
    base: str  # the URL prefix under which the test client reaches the UI


@pytest.fixture(
    params=["starlette-mount", "starlette-nested", "uvicorn-root-path", "root", "litestar-scope"],
)
def host_app(request: pytest.FixtureRequest, ui: pr.PyApp) -> Host:
    match request.param:
        case "starlette-mount":
            return Host(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan), "/ui", "/ui")
        case "starlette-nested":
            return Host(
                Starlette(routes=[Mount("/a", routes=[Mount("/b/c", ui)])], lifespan=ui.lifespan), "/a/b/c", "/a/b/c"
            )
        case "uvicorn-root-path":
            return Host(UvicornRootPath(ui, "/proxy"), "/proxy", "")
        case "root":
            return Host(ui, "", "")
        case "litestar-scope":
            return Host(LitestarMount(ui, "/ui"), "/ui", "/ui")
    raise AssertionError(request.param)  # pragma: no cover - every param is handled above


@pytest.fixture
def client(ui: pr.PyApp) -> Iterator[TestClient]:
    with TestClient(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as client:
        yield client


def _meta_mount(html: str) -> str:
    match = re.search(r'<meta name="pyreact-mount" content="([^"]*)">', html)
    assert match is not None, html
    return match.group(1)


def _asset_urls(html: str) -> dict[str, str]:
    script = re.search(r'<script type="module" src="([^"]+)"></script>', html)
    preload = re.search(r'<link rel="modulepreload" href="([^"]+)">', html)
    assert script is not None, html
    assert preload is not None, html
    return {"entry": script.group(1), "runtime": preload.group(1)}


def _asset_path(client: TestClient, name: str) -> str:
    return _asset_urls(client.get("/ui/").text)[name]


# --- the page shell at every mount ---------------------------------------------------------------------


def test_app_page_meta_is_the_mount(host_app: Host) -> None:
    with TestClient(host_app.app) as client:
        response = client.get(host_app.base + "/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert _meta_mount(response.text) == host_app.mount
    assert "<title>Test app</title>" in response.text


def test_app_second_page_has_the_same_mount(host_app: Host) -> None:
    with TestClient(host_app.app) as client:
        response = client.get(host_app.base + "/about")
    assert response.status_code == 200
    assert _meta_mount(response.text) == host_app.mount


def test_app_asset_urls_under_the_mount_serve_javascript(host_app: Host) -> None:
    with TestClient(host_app.app) as client:
        urls = _asset_urls(client.get(host_app.base + "/").text)
        bodies = {}
        for name, url in urls.items():
            assert url.startswith(host_app.mount + "/_static/"), url
            response = client.get(host_app.base + url[len(host_app.mount) :])
            assert response.status_code == 200, url
            assert response.headers["content-type"] == "text/javascript; charset=utf-8"
            bodies[name] = response.text
    # The entry imports the preloaded runtime by a relative URL, so one build works at every mount.
    runtime_file = urls["runtime"].rsplit("/", 1)[1]
    assert f'from "./{runtime_file}"' in bodies["entry"]
    assert "React.createElement" in bodies["entry"]
    assert bodies["runtime"]


def test_app_two_apps_in_one_host_each_know_their_mount(shared_build_dir: Path) -> None:
    admin = pr.PyApp(PAGES, config=pr.Config(build_dir=shared_build_dir / "test_app"))
    support = pr.PyApp({"/": about}, config=pr.Config(build_dir=shared_build_dir / "test_app_about"))
    host = Starlette(
        routes=[Mount("/admin", admin), Mount("/support", support)],
        lifespan=pr.combine_lifespans(admin, support),
    )
    with TestClient(host) as client:
        admin_page, support_page = client.get("/admin/about").text, client.get("/support/").text
        assert client.get("/support/about").status_code == 404
    assert (_meta_mount(admin_page), _meta_mount(support_page)) == ("/admin", "/support")
    admin_entry, support_entry = _asset_urls(admin_page)["entry"], _asset_urls(support_page)["entry"]
    assert admin_entry.startswith("/admin/_static/app.")
    assert support_entry.startswith("/support/_static/app.")
    assert admin_entry.rsplit("/", 1)[1] != support_entry.rsplit("/", 1)[1]  # each serves its own pages


# --- page responses ------------------------------------------------------------------------------------


def test_app_page_is_not_cached(client: TestClient) -> None:
    response = client.get("/ui/")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_app_page_with_trailing_slash(client: TestClient) -> None:
    assert _meta_mount(client.get("/ui/about/").text) == "/ui"


def test_app_head_serves_headers_only(client: TestClient) -> None:
    response = client.head("/ui/")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


def test_app_unknown_page_is_404_html(client: TestClient) -> None:
    response = client.get("/ui/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>Test app</title>" in response.text
    assert "404: Not Found" in response.text


@pytest.mark.parametrize("path", ["/ui/", "/ui/about", "/ui/_static/x.js"], ids=["index", "page", "asset"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_app_other_methods_are_405_with_allow(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_app_websocket_outside_the_event_path_is_closed(client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as info, client.websocket_connect("/ui/"):
        pytest.fail("the websocket must not be accepted")  # pragma: no cover - unreachable on purpose
    assert info.value.code == 1000


def test_app_event_path_refuses_http_polling(client: TestClient) -> None:
    # Websocket transport only: long-polling requests are refused before engine.io sees (and logs) them.
    response = client.get("/ui/_event/", params={"EIO": "4", "transport": "polling"})
    assert response.status_code == 400
    assert response.text == "This endpoint accepts websocket connections only."


# --- static assets -------------------------------------------------------------------------------------


def test_app_asset_has_etag_and_immutable_cache(client: TestClient) -> None:
    response = client.get(_asset_path(client, "entry"))
    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{16}"', response.headers["etag"])
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["vary"] == "Accept-Encoding"


def test_app_asset_with_matching_etag_is_304(client: TestClient) -> None:
    url = _asset_path(client, "runtime")
    etag = client.get(url).headers["etag"]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


def test_app_asset_with_other_etag_is_200(client: TestClient) -> None:
    response = client.get(_asset_path(client, "runtime"), headers={"If-None-Match": '"0000000000000000"'})
    assert response.status_code == 200
    assert response.content


def test_app_asset_is_gzipped_when_accepted(client: TestClient) -> None:
    url = _asset_path(client, "entry")
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # decoded by the client
    assert int(zipped.headers["content-length"]) < int(plain.headers["content-length"])


@pytest.mark.parametrize(
    ("accept", "gzipped"),
    [
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("gzip;q=bogus", False),
        ("identity", False),
        ("", False),
    ],
)
def test_app_asset_gzip_follows_accept_encoding(client: TestClient, accept: str, gzipped: bool) -> None:
    response = client.get(_asset_path(client, "entry"), headers={"Accept-Encoding": accept})
    assert ("content-encoding" in response.headers) is gzipped


def test_app_gzipped_body_is_valid_gzip(client: TestClient) -> None:
    url = _asset_path(client, "entry")
    plain = client.get(url, headers={"Accept-Encoding": "identity"}).content
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert gzip.decompress(raw) == plain


@pytest.mark.parametrize(
    "path",
    [
        "/ui/_static/",
        "/ui/_static/nope.js",
        "/ui/_static/manifest.json",
        "/ui/_static/.build.lock",
        "/ui/_static/%2e%2e/app.py",
        "/ui/_static/..%2f..%2fpyproject.toml",
        "/ui/_static/%00",
        "/ui/_static/app.js%00.js",
        "/ui/_static//etc/passwd",
    ],
    ids=["empty", "unknown", "manifest", "lock", "dot-dot", "encoded-slash", "nul", "nul-inside", "absolute"],
)
def test_app_unknown_or_hostile_asset_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.text == "Not Found"


def test_app_gz_file_on_disk_is_not_an_asset(client: TestClient) -> None:
    assert client.get(_asset_path(client, "entry") + ".gz").status_code == 404


# --- raw ASGI: paths a client library would normalise --------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path",
    ["/ui/_static/../app.py", "/ui/_static/../../pyproject.toml", "/ui/_static/./manifest.json", "/ui/_static/\x00"],
    ids=["dot-dot", "dot-dot-twice", "dot", "nul"],
)
async def test_app_raw_hostile_asset_path_is_404(ui: pr.PyApp, path: str) -> None:
    async with ui.lifespan():
        assert await asgi_get(ui, path, root_path="/ui") == (404, b"Not Found")


@pytest.mark.asyncio
async def test_app_raw_asset_by_name_is_served(ui: pr.PyApp) -> None:
    async with ui.lifespan():
        entry = ui.bundle.manifest.entry
        status, body = await asgi_get(ui, f"/ui/_static/{entry}", root_path="/ui")
    assert status == 200
    assert body == ui.bundle.assets[entry].body


# --- constructor ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ([("/", index)], r'Expected pages as a dict like \{"/": index\}, but got \['),
        ("/", r"Expected pages as a dict like .*, but got '/'"),
        ({"/": "index"}, r"Expected a page function for route '/', but got 'index'"),
        ({"/": None}, r"Expected a page function for route '/', but got None"),
        ({1: index}, r"Expected page routes to be strings, but got 1"),
        ({"about": index}, r'Expected a page route like "/", "/reports/daily", .*, but got \'about\''),
        ({"/a b": index}, r"Expected a page route like .*, but got '/a b'"),
        ({"/a//b": index}, r"but got '/a//b'"),
        ({"/a?b": index}, r"but got '/a\?b'"),
        (
            {"/_reserved": index},
            r'Page routes starting with "/_" are reserved for the framework, but got \'/_reserved\'',
        ),
        ({"/_static/": index}, r'Page routes starting with "/_" are reserved'),
        ({"/_event": index}, r'Page routes starting with "/_" are reserved'),
    ],
    ids=[
        "list",
        "string",
        "string-page",
        "none-page",
        "int-route",
        "no-slash",
        "space",
        "double-slash",
        "query",
        "reserved",
        "static",
        "event",
    ],
)
def test_app_constructor_rejects_bad_pages(pages: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        pr.PyApp(pages)


def test_app_constructor_rejects_routes_that_differ_by_a_trailing_slash() -> None:
    with pytest.raises(ConfigError, match=r"Two pages have the route '/about'; routes ignore a trailing slash"):
        pr.PyApp({"/about": index, "/about/": index})


def test_app_routes_are_normalised(tmp_path: Path) -> None:
    ui = pr.PyApp({"/about/": about, "/": index, "/a/b-c_d.e~f": about}, config=pr.Config(build_dir=tmp_path))
    assert sorted(ui.pages) == ["/", "/a/b-c_d.e~f", "/about"]
    assert repr(ui) == "PyApp(pages=['/', '/a/b-c_d.e~f', '/about'])"


def test_app_default_build_dir_depends_on_the_pages() -> None:
    first, second = pr.PyApp({"/": index}), pr.PyApp({"/": about})
    assert first.build_dir.parent == Path.cwd() / ".pyreact"
    assert re.fullmatch(r"app-[0-9a-f]{12}", first.build_dir.name)
    assert first.build_dir == pr.PyApp({"/": index}).build_dir
    assert first.build_dir != second.build_dir


def test_app_configured_build_dir_is_used(tmp_path: Path) -> None:
    assert pr.PyApp({"/": index}, config=pr.Config(build_dir=tmp_path)).build_dir == tmp_path


def test_app_bundle_before_start_is_an_error(ui: pr.PyApp) -> None:
    assert not ui.started
    assert ui.client_count() == 0
    with pytest.raises(RuntimeError, match=r'Cannot read "bundle" before the app has started'):
        ui.bundle  # noqa: B018


# --- lifecycle -----------------------------------------------------------------------------------------


def _started(ui: pr.PyApp) -> bool:
    return ui.started  # a call, so that type checkers do not narrow ui.started between asserts


def test_app_lifespan_starts_and_stops(ui: pr.PyApp, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyreact_asgi")
    with TestClient(ui) as client:
        assert _started(ui)
        assert client.get("/").status_code == 200
    assert not _started(ui)
    assert not [r for r in caplog.records if "first request" in r.getMessage()]


def test_app_starts_lazily_without_lifespan(ui: pr.PyApp, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyreact_asgi")
    host = Starlette(routes=[Mount("/ui", ui)])  # no lifespan=: mounted apps never see lifespan events
    client = TestClient(host)  # no `with`: no lifespan is sent
    assert not _started(ui)
    first = client.get("/ui/")
    assert first.status_code == 200
    assert _started(ui)
    assert _meta_mount(first.text) == "/ui"
    assert client.get("/ui/about").status_code == 200
    assert client.get(_asset_urls(first.text)["entry"]).status_code == 200
    started = [r for r in caplog.records if r.name == "pyreact_asgi.app"]
    assert len(started) == 1
    assert started[0].levelno == logging.INFO
    assert "Started PyApp(pages=['/', '/about']) on its first request" in started[0].getMessage()
    assert "lifespan=ui.lifespan" in started[0].getMessage()


@pytest.mark.asyncio
async def test_app_concurrent_first_requests_start_once(ui: pr.PyApp, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyreact_asgi")
    results: list[tuple[int, bytes]] = []

    async def fetch(path: str) -> None:
        results.append(await asgi_get(ui, path, root_path="/ui"))

    async with anyio.create_task_group() as tg:
        for path in ["/ui/", "/ui/about", "/ui/nope"]:
            tg.start_soon(fetch, path)
    assert sorted(status for status, _ in results) == [200, 200, 404]
    assert len([r for r in caplog.records if r.name == "pyreact_asgi.app"]) == 1
    await ui.shutdown()


def test_app_lazy_start_failure_is_raised_to_the_host(tmp_path: Path) -> None:
    ui = pr.PyApp({"/": lambda: pr.text(Counter._clicks_ever)}, config=pr.Config(build_dir=tmp_path))
    with pytest.raises(CompileError, match=r"backend-only .*\(in page '/'\)"):
        TestClient(ui).get("/")
    assert not ui.started


def _failing_page() -> pr.Component:
    return pr.text(Counter._clicks_ever)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("pages", "build", "error", "message"),
    [
        (
            {"/": index, "/bad": _failing_page},
            "auto",
            CompileError,
            r'"Counter._clicks_ever" is backend-only .*\(in page \'/bad\'\)',
        ),
        ({"/": index}, "never", pr.BuildError, r'build="never" but there is no complete build in'),
    ],
    ids=["compile-error", "no-build"],
)
async def test_app_lifespan_startup_failure_is_reported(
    tmp_path: Path, pages: dict[str, Any], build: Any, error: type[Exception], message: str
) -> None:
    ui = pr.PyApp(pages, config=pr.Config(build_dir=tmp_path, build=build))
    sent: list[Message] = []
    incoming = iter([{"type": "lifespan.startup"}])

    async def receive() -> Message:
        return next(incoming)

    async def send(message: Message) -> None:
        sent.append(message)

    with pytest.raises(error, match=message):
        await ui({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    assert len(sent) == 1
    assert sent[0]["type"] == "lifespan.startup.failed"
    assert re.search(message, sent[0]["message"])
    assert not ui.started


@pytest.mark.asyncio
async def test_app_lifespan_protocol_completes(ui: pr.PyApp) -> None:
    sent: list[Message] = []
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    started_during: list[bool] = []

    async def receive() -> Message:
        return next(incoming)

    async def send(message: Message) -> None:
        sent.append(message)
        started_during.append(ui.started)

    await ui({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert started_during == [True, False]


@pytest.mark.asyncio
async def test_app_startup_twice_builds_once(ui: pr.PyApp) -> None:
    await ui.startup()
    bundle = ui.bundle
    await ui.startup()
    assert ui.bundle is bundle
    await ui.shutdown()
    await ui.shutdown()
    assert not ui.started


@pytest.mark.asyncio
async def test_app_async_client_with_host_lifespan(ui: pr.PyApp) -> None:
    host = Starlette(routes=[Mount("/ui", ui)])
    async with ui.lifespan(host):
        transport = httpx2.ASGITransport(app=host)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get("/ui/about")
    assert _meta_mount(response.text) == "/ui"


# --- behind a proxy that strips the prefix and says so in X-Forwarded-Prefix -------------------------------


def _proxied_client(shared_build_dir: Path, trusted: tuple[str, ...]) -> TestClient:
    ui = pr.PyApp(PAGES, config=pr.Config(build_dir=shared_build_dir / "test_app", trusted_proxies=trusted))
    return TestClient(Starlette(routes=[Mount("/", ui)], lifespan=ui.lifespan))


def test_app_forwarded_prefix_is_ignored_without_opt_in(shared_build_dir: Path) -> None:
    with _proxied_client(shared_build_dir, ()) as client:
        html = client.get("/", headers={"X-Forwarded-Prefix": "/proxy"}).text
    assert _meta_mount(html) == ""
    assert _asset_urls(html)["entry"].startswith("/_static/")


def test_app_forwarded_prefix_from_trusted_proxy_prefixes_every_url(shared_build_dir: Path) -> None:
    with _proxied_client(shared_build_dir, ("*",)) as client:
        html = client.get("/about", headers={"X-Forwarded-Prefix": "/proxy"}).text
        assert _meta_mount(html) == "/proxy"
        entry = _asset_urls(html)["entry"]
        assert entry.startswith("/proxy/_static/")
        # The proxy strips the prefix again when the browser asks for the asset.
        assert client.get(entry.removeprefix("/proxy")).status_code == 200


def test_app_hostile_forwarded_prefix_is_escaped(shared_build_dir: Path) -> None:
    with _proxied_client(shared_build_dir, ("*",)) as client:
        html = client.get("/", headers={"X-Forwarded-Prefix": '/x"><script>alert(1)</script>'}).text
    assert "<script>alert" not in html
    assert _meta_mount(html) == "/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E"


def test_app_shutdown_disconnects_connected_clients(ui: pr.PyApp) -> None:
    host = Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)
    with (
        TestClient(host) as client,
        client.websocket_connect("/ui/_event/?EIO=4&transport=websocket", headers={"Upgrade": "websocket"}) as ws,
    ):
        assert ws.receive_text().startswith("0{")  # engine.io open
        ws.send_text('40{"token":"' + "t" * 20 + '"}')  # socket.io connect with a token
        # The connect ack, and the state the connection's task sends once it has the token's lock.
        assert sorted(ws.receive_text()[:3] for _ in range(2)) == ["40{", "42["]
        assert ui.client_count() == 1
        assert client.portal is not None
        client.portal.call(ui.shutdown)
        assert ws.receive_text() == "41"  # socket.io disconnect: the browser reconnects to the next server
        assert ui.client_count() == 0


def test_app_build_builds_without_starting_and_a_never_start_serves_it(tmp_path: Path) -> None:
    ahead = pr.PyApp(PAGES, config=pr.Config(build_dir=tmp_path, build="never"))
    # The argument overrides the configured mode, so a deployment step can build for a "never" server.
    bundle = ahead.build("auto")
    assert not ahead.started
    assert bundle.manifest.entry in bundle.assets
    assert ahead.build().manifest == bundle.manifest  # "never" finds the build current

    served = pr.PyApp(PAGES, config=pr.Config(build_dir=tmp_path, build="never"))
    with TestClient(Starlette(routes=[Mount("/ui", served)], lifespan=served.lifespan)) as client:
        page = client.get("/ui/")
        assert page.status_code == 200
        assert client.get(f"/ui/_static/{bundle.manifest.entry}").status_code == 200


def test_app_build_rejects_an_unknown_mode(tmp_path: Path) -> None:
    ui = pr.PyApp(PAGES, config=pr.Config(build_dir=tmp_path))
    with pytest.raises(ConfigError, match=r'Expected mode to be "auto", "always" or "never", but got \'sometimes\''):
        ui.build("sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "handled"),
    [
        ("/", True),
        ("/about", True),
        ("/about/", True),
        ("/_static/app.js", True),
        ("/_event/", True),
        ("/_event", True),
        ("/_upload", True),
        ("/contact", False),
        ("/_events", False),
        ("/__debug__/", False),
        ("/aboutx", False),
    ],
)
def test_app_handles_its_pages_and_framework_paths_only(ui: pr.PyApp, path: str, handled: bool) -> None:
    assert ui.handles(path) is handled
