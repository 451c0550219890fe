"""The counter driven through a real socket.io client, for every host x mount path x ASGI server."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import aiohttp
import anyio
import pytest
import socketio
from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection

import pyreact_asgi as pr
from tests.e2e.apps import HOSTS, make_ui, two_apps_host
from tests.e2e.client import connect
from tests.servers import SERVERS, LiveServer, Server, free_port, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

ROOT = Path(__file__).parent.parent.parent
MOUNTS = {"root": "", "admin": "/admin", "nested": "/a/b/c"}


async def drive_counter(server: LiveServer, mount: str) -> None:
    """Clicks +1 and +10, types a name, and checks a reconnect with the same token finds them."""
    async with connect(server, mount=mount) as client:
        assert (await client.first_state())["counter"] == {"count": 0, "name": ""}
        assert (await client.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
        assert (await client.call("counter.increment", 10))["delta"] == {"counter": {"count": 11}}
        assert (await client.call("counter.set_name", "Ada"))["delta"] == {"counter": {"name": "Ada"}}
        token = client.token
    async with connect(server, token, mount=mount) as again:
        assert (await again.first_state())["counter"] == {"count": 11, "name": "Ada"}


@pytest.mark.parametrize("server_name", SERVERS)
@pytest.mark.parametrize("mount", MOUNTS.values(), ids=MOUNTS.keys())
@pytest.mark.parametrize("host", sorted(HOSTS))
async def test_counter_over_socketio(shared_build_dir: Path, host: str, mount: str, server_name: Server) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS[host](ui, mount), server=server_name) as server:
        await drive_counter(server, mount)


async def test_host_without_lifespan_starts_on_first_request_and_stops_cleanly(shared_build_dir: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYREACT_TEST_BUILD_DIR": str(shared_build_dir), "PYTHONDEVMODE": "1"}
    command = [sys.executable, "-m", "uvicorn", "tests.e2e.lazy_host:app", "--port", str(port), "--log-level", "info"]
    process = await anyio.open_process(command, env=env, cwd=ROOT)
    assert process.stderr is not None
    output = b""
    try:
        with anyio.fail_after(20):
            while b"Uvicorn running on" not in output:
                output += await process.stderr.receive()
        server = LiveServer("127.0.0.1", port)
        await drive_counter(server, "/admin")
        async with connect(server, mount="/admin") as client:
            await client.call("counter.increment")
            process.send_signal(signal.SIGINT)
            with anyio.fail_after(10):
                await client.disconnected.wait()  # the server closed the websocket on its way out
        with anyio.fail_after(10):
            async for chunk in process.stderr:
                output += chunk
            assert await process.wait() == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = output.decode()
    assert log.count("on its first request, since the host did not forward lifespan") == 1
    # Nothing left running or unfinished: no traceback, no error, no task destroyed while pending.
    for problem in ("Traceback", "ERROR", "Task was destroyed", "never awaited", "Unclosed"):
        assert problem not in log, log
    assert "Finished server process" in log


async def test_two_apps_in_one_host_keep_separate_state(tmp_path: Path) -> None:
    with serve(two_apps_host(tmp_path)) as server:
        async with connect(server, mount="/admin") as admin:
            # The same token at the other mount is another client of another app.
            async with connect(server, admin.token, mount="/support") as support:
                assert "flaky" in await admin.first_state()
                assert "flaky" not in await support.first_state()
                await admin.call("counter.increment", 5)
                assert (await support.call("counter.increment"))["delta"] == {"counter": {"count": 1}}
                assert (await admin.call("counter.increment"))["delta"] == {"counter": {"count": 6}}
                # A handler that exists only in the admin app is unknown to the support app.
                assert (await support.call("flaky.set_then_fail", 1))["error"]["code"] == "unknown_handler"
    assert (tmp_path / "admin").is_dir()
    assert (tmp_path / "support").is_dir()


def _session_host(ui: pr.PyApp) -> FastAPI:
    """A FastAPI host with its own cookie session and login, whose rule lets only logged-in users in."""

    def logged_in(conn: HTTPConnection) -> bool:
        return "user" in conn.session

    ui.auth = logged_in
    app = FastAPI(lifespan=ui.lifespan)
    app.add_middleware(SessionMiddleware, secret_key="test-secret")

    @app.post("/login")
    def login(request: Request) -> dict[str, str]:
        request.session["user"] = "ada"
        return {"user": "ada"}

    app.mount("/admin", ui)
    return app


async def test_host_session_decides_access_and_reaches_handlers(shared_build_dir: Path) -> None:
    with serve(_session_host(make_ui(shared_build_dir))) as server:
        # unsafe=True: aiohttp otherwise drops cookies set by an IP address such as 127.0.0.1.
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(f"{server.url}/admin/") as page:
                assert page.status == 403
            with pytest.raises(socketio.exceptions.ConnectionError):
                async with connect(server, mount="/admin"):
                    pass  # pragma: no cover - refused
            async with http.post(f"{server.url}/login") as login:
                assert login.status == 200
            cookie = "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)
            async with http.get(f"{server.url}/admin/") as page:
                assert page.status == 200
        async with connect(server, headers={"Cookie": cookie}, mount="/admin") as client:
            assert (await client.call("visitor.look"))["delta"]["visitor"]["user"] == "ada"
