"""pyreact_litestar: a PyApp mounted in a real Litestar app, in process and under uvicorn and hypercorn."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers import BaseRouteHandler
from litestar.testing import AsyncTestClient

from pyreact_litestar import PyReactPlugin, mount
from tests.asgi import asgi_get
from tests.e2e.apps import make_ui
from tests.e2e.client import connect
from tests.e2e.test_hosts import drive_counter
from tests.integrations.litestar_apps import as_asgi, health, litestar_host
from tests.servers import SERVERS, Server, serve

pytestmark = pytest.mark.asyncio

MOUNTS = {"root": "", "admin": "/admin", "nested": "/a/b/c"}
LITESTAR_404 = {"status_code": 404, "detail": "Not Found"}


def meta_mount(html: str) -> str:
    match = re.search(r'<meta name="pyreact-mount" content="([^"]*)">', html)
    assert match is not None, html
    return match.group(1)


def script_src(html: str) -> str:
    match = re.search(r'<script type="module" src="([^"]+)">', html)
    assert match is not None, html
    return match.group(1)


# --- real servers ------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("server_name", SERVERS)
@pytest.mark.parametrize("mount_path", MOUNTS.values(), ids=MOUNTS.keys())
async def test_counter_over_socketio(shared_build_dir: Path, mount_path: str, server_name: Server) -> None:
    ui = make_ui(shared_build_dir)
    with serve(as_asgi(litestar_host(ui, mount_path)), server=server_name) as server:
        await drive_counter(server, mount_path)


@pytest.mark.e2e
async def test_two_apps_in_one_host_keep_their_own_state(shared_build_dir: Path) -> None:
    admin, support = make_ui(shared_build_dir), make_ui(shared_build_dir)
    host = Litestar(plugins=[PyReactPlugin(admin, path="/admin"), PyReactPlugin(support, path="/support")])
    with serve(as_asgi(host)) as server:
        assert admin.started
        assert support.started
        await drive_counter(server, "/admin")
        await drive_counter(server, "/support")
        async with connect(server, mount="/admin") as client:
            await client.call("counter.increment", 5)
            # The same token in the other app is another session: the apps share nothing.
            async with connect(server, client.token, mount="/support") as other:
                assert (await other.first_state())["counter"]["count"] == 0


@pytest.mark.e2e
@pytest.mark.parametrize("server_name", SERVERS)
async def test_behind_proxy_with_root_path(shared_build_dir: Path, server_name: Server) -> None:
    # What a proxy that strips /proxy forwards to `uvicorn --root-path /proxy` (or hypercorn's root_path).
    ui = make_ui(shared_build_dir)
    with serve(as_asgi(litestar_host(ui, "/admin")), server=server_name, root_path="/proxy") as server:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{server.url}/admin/") as page:
                assert page.status == 200
                html = await page.text()
            assert meta_mount(html) == "/proxy/admin"
            assert script_src(html).startswith("/proxy/admin/_static/")
            async with session.get(f"{server.url}/admin", allow_redirects=False) as bare:
                assert bare.status == 307
                assert bare.headers["location"] == "/proxy/admin/"
        await drive_counter(server, "/admin")


@pytest.mark.e2e
@pytest.mark.parametrize("url", ["/admin", "/administrator/_event/?EIO=4&transport=websocket"])
async def test_websockets_outside_the_mount_are_refused(shared_build_dir: Path, url: str) -> None:
    ui = make_ui(shared_build_dir)
    with serve(as_asgi(litestar_host(ui, "/admin"))) as server:
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError, match="403"):
                await session.ws_connect(f"{server.url}{url}")


async def refuse_anonymous(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if connection.headers.get("x-user") != "ada":
        raise NotAuthorizedException()


@pytest.mark.e2e
async def test_guards_protect_pages_and_websocket(shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    host = Litestar(plugins=[PyReactPlugin(ui, path="/admin", guards=[refuse_anonymous])])
    with serve(as_asgi(host)) as server:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{server.url}/admin/") as anonymous:
                assert anonymous.status == 401
            async with session.get(f"{server.url}/admin/", headers={"x-user": "ada"}) as ada:
                assert ada.status == 200
        with pytest.raises(socketio.exceptions.ConnectionError, match="Connection error"):
            async with connect(server, mount="/admin"):
                pass  # pragma: no cover - the guard refuses the connection
        async with connect(server, mount="/admin", headers={"x-user": "ada"}) as client:
            assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}


# --- in process ---------------------------------------------------------------------------------------


async def test_plugin_starts_the_app_at_startup_and_stops_it_at_shutdown(shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    async with AsyncTestClient(litestar_host(ui, "/admin")):
        assert ui.started  # before any request
    assert not ui.started


async def test_plugin_starts_the_app_after_the_hosts_own_lifespan(shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    seen: list[tuple[str, bool]] = []

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        seen.append(("database up, ui started", ui.started))
        yield
        seen.append(("database down, ui started", ui.started))

    host = Litestar(lifespan=[database], plugins=[PyReactPlugin(ui, path="/admin")])
    async with AsyncTestClient(host):
        assert ui.started
    assert seen == [("database up, ui started", False), ("database down, ui started", False)]


async def test_mount_with_lifespan_wired_by_hand(shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    host = Litestar(route_handlers=[health, mount(ui, "/admin")], lifespan=[ui.lifespan])
    async with AsyncTestClient(host) as client:
        assert ui.started
        page = await client.get("/admin/")
        assert page.status_code == 200
        assert meta_mount(page.text) == "/admin"
    assert not ui.started


@pytest.mark.parametrize("mount_path", MOUNTS.values(), ids=MOUNTS.keys())
async def test_pages_and_assets_are_served_under_the_mount(shared_build_dir: Path, mount_path: str) -> None:
    ui = make_ui(shared_build_dir)
    async with AsyncTestClient(litestar_host(ui, mount_path)) as client:
        for url in (f"{mount_path}/", f"{mount_path}/flaky", f"{mount_path}/flaky/?year=2026"):
            page = await client.get(url)
            assert page.status_code == 200, url
            assert meta_mount(page.text) == mount_path
        # Litestar hands mounted apps "/_static/app.js/"; the asset must still be found.
        asset = await client.get(script_src(page.text))
        assert asset.status_code == 200
        assert asset.headers["content-type"].startswith("text/javascript")
        missing = await client.get(f"{mount_path}/no-such-page")
        assert missing.status_code == 404
        assert "<title>Not found</title>" in missing.text  # the app's own 404 page, inside the mount


@pytest.mark.parametrize("mount_path", MOUNTS.values(), ids=MOUNTS.keys())
async def test_host_routes_work_beside_the_mount(shared_build_dir: Path, mount_path: str) -> None:
    ui = make_ui(shared_build_dir)
    async with AsyncTestClient(litestar_host(ui, mount_path)) as client:
        response = await client.get("/health")
        assert response.status_code == 200
        assert response.text == "ok"


@pytest.mark.parametrize("url", ["/nope", "/administrator", "/adminx/page", "/a/b/cd"])
async def test_paths_outside_the_mount_get_litestars_404(shared_build_dir: Path, url: str) -> None:
    ui = make_ui(shared_build_dir)
    host = Litestar(plugins=[PyReactPlugin(ui, path="/admin"), PyReactPlugin(make_ui(shared_build_dir), path="/a/b/c")])
    async with AsyncTestClient(host) as client:
        response = await client.get(url)
        assert response.status_code == 404
        assert response.json() == LITESTAR_404


@pytest.mark.parametrize("mount_path", ["/admin", "/a/b/c"])
async def test_mount_path_without_slash_redirects_like_starlette(shared_build_dir: Path, mount_path: str) -> None:
    ui = make_ui(shared_build_dir)
    async with AsyncTestClient(litestar_host(ui, mount_path)) as client:
        response = await client.get(f"{mount_path}?year=2026", follow_redirects=False)
        assert response.status_code == 307
        assert response.headers["location"] == f"{mount_path}/?year=2026"
        followed = await client.get(mount_path)
        assert meta_mount(followed.text) == mount_path


async def test_mount_path_trailing_slash_is_ignored(shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    async with AsyncTestClient(Litestar(plugins=[PyReactPlugin(ui, path="/admin/")])) as client:
        assert meta_mount((await client.get("/admin/")).text) == "/admin"


async def test_servers_without_raw_path_still_reach_the_app(shared_build_dir: Path) -> None:
    # raw_path is optional in the ASGI spec; without it only Litestar's rewritten remainder is left.
    ui = make_ui(shared_build_dir)
    host = litestar_host(ui, "/admin")

    async def get(path: str) -> tuple[int, str]:
        status, body = await asgi_get(host, path, raw_path=False)  # type: ignore[arg-type]
        return status, body.decode()

    async with host.lifespan():
        status, html = await get("/admin/flaky")
        assert status == 200
        assert meta_mount(html) == "/admin"
        status, _ = await get("/administrator")
        assert status == 404
