"""Choosing the state manager, host pushes with PyApp.modify_state, and telling how many workers run."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import aiohttp
import anyio
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route

import pyreact_asgi as pr
from pyreact_asgi.config import redact_url
from pyreact_asgi.runtime.manager import MemoryStateManager
from pyreact_asgi.runtime.redis_manager import RedisStateManager, import_redis
from pyreact_asgi.runtime.workers import worker_count
from tests.e2e.client import connect
from tests.servers import LiveServer, RedisServer, serve

pytestmark = pytest.mark.asyncio


class Inbox(pr.State):
    count: int = 0
    key: str = ""
    text: str = ""

    @pr.event
    async def remember(self) -> None:
        self.key = self.router.client_key or ""

    @pr.event
    def bump(self) -> None:
        self.count += 1


def page() -> pr.Component:
    return pr.text(Inbox.count, Inbox.key, Inbox.text)


def _app(build_dir: Path, **config: object) -> pr.PyApp:
    return pr.PyApp({"/": page}, config=pr.Config(build_dir=build_dir, **config))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:secret@host:6379/0", "redis://***@host:6379/0"),
        ("rediss://user:secret@host/1", "rediss://***@host/1"),
        ("redis://host:6379/0", "redis://host:6379/0"),
        (
            "rediss://host:6380/0?password=hunter2&ssl_keyfile_password=x&ssl_ca_certs=/ca.pem",
            "rediss://host:6380/0?password=***&ssl_keyfile_password=***&ssl_ca_certs=/ca.pem",
        ),
    ],
    ids=["password", "user-and-password", "none", "query-password"],
)
async def test_redact_url_hides_the_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown


async def test_config_refuses_a_redis_url_of_another_scheme_without_showing_its_password() -> None:
    with pytest.raises(pr.ConfigError, match=r"but got 'http://\*\*\*@host'") as refused:
        pr.Config(redis_url="http://me:secret@host")
    assert "secret" not in str(refused.value)
    with pytest.raises(pr.ConfigError, match="Expected redis_prefix"):
        pr.Config(redis_prefix="has space")
    with pytest.raises(pr.ConfigError, match="Expected lock_expiry to be positive"):
        pr.Config(lock_expiry=0)


async def test_app_keeps_states_in_memory_by_default_and_in_redis_when_configured(
    shared_build_dir: Path, redis_session: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PYREACT_REDIS_URL", raising=False)
    assert isinstance(_app(shared_build_dir).state_manager, MemoryStateManager)
    assert isinstance(_app(shared_build_dir, redis_url=redis_session.url).state_manager, RedisStateManager)
    # The environment variable: the same code runs with one process and with many.
    monkeypatch.setenv("PYREACT_REDIS_URL", redis_session.url)
    assert isinstance(_app(shared_build_dir).state_manager, RedisStateManager)
    monkeypatch.setenv("PYREACT_REDIS_URL", "localhost:6379")
    with pytest.raises(pr.ConfigError, match="Expected redis_url like"):
        _app(shared_build_dir)


@pytest.mark.parametrize("missing", ["redis.asyncio", "hiredis"])
async def test_app_without_the_redis_packages_says_how_to_install_them(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(ImportError, match=rf"{missing.split('.')[0]} is missing: pip install 'pyreact-asgi\[redis\]'"):
        import_redis()


async def test_app_startup_with_redis_down_names_the_url_without_its_password(shared_build_dir: Path) -> None:
    ui = _app(shared_build_dir, redis_url="redis://:hunter2@127.0.0.1:1/0")
    with pytest.raises(pr.StateStoreError, match=r"redis://\*\*\*@127.0.0.1:1/0") as refused:
        await ui.startup()
    assert "hunter2" not in str(refused.value)


async def test_modify_state_needs_a_started_app_and_a_client_key(shared_build_dir: Path) -> None:
    ui = _app(shared_build_dir)
    with pytest.raises(pr.NotStartedError, match="modify_state"):
        async with ui.modify_state("a" + "x" * 43):
            pass  # pragma: no cover - refused
    async with ui.lifespan():
        for key in ["", "token-of-a-tab-1234", "a" + "x" * 42, "b" + "x" * 43, "a" + "x" * 10_000]:
            with pytest.raises(pr.ProtocolError, match="Expected a client key"):
                async with ui.modify_state(key):
                    pass  # pragma: no cover - refused


@pytest.fixture(params=["memory", "redis", "valkey"])
def manager_config(request: pytest.FixtureRequest, redis_prefix: str) -> dict[str, object]:
    if request.param == "memory":
        return {}
    server: RedisServer = request.getfixturevalue(f"{request.param}_session")
    return {"redis_url": server.url, "redis_prefix": redis_prefix}


def _host(ui: pr.PyApp) -> Starlette:
    # A webhook of the host, which changes a client's state with the key it stored; in the server's loop, as
    # host code runs.
    async def push(request: Request) -> Response:
        what = request.path_params["what"]
        try:
            async with ui.modify_state(request.path_params["key"]) as tree:
                inbox = await tree.get(Inbox)
                inbox.count += 1
                if what == "fail":
                    raise RuntimeError("webhook failed")
                if what == "big":
                    inbox.text = "x" * 20_000
        except (RuntimeError, pr.LimitError) as exc:
            return PlainTextResponse(type(exc).__name__, status_code=500)
        return PlainTextResponse("ok")

    return Starlette(
        routes=[Route("/push/{key}/{what}", push, methods=["POST"]), Mount("/ui", ui)], lifespan=ui.lifespan
    )


async def _post(server: LiveServer, path: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.post(f"{server.url}{path}") as response:
        return response.status, await response.text()


async def test_modify_state_changes_a_clients_state_and_updates_its_open_tab(
    shared_build_dir: Path, manager_config: dict[str, object]
) -> None:
    ui = _app(shared_build_dir, max_state_bytes=10_000, **manager_config)
    with serve(_host(ui)) as server:
        async with connect(server) as tab:
            key = (await tab.call("inbox.remember"))["delta"]["inbox"]["key"]
            assert await _post(server, f"/push/{key}/count") == (200, "ok")
            with anyio.fail_after(5):
                pushed = await tab.push_at(0)
            assert pushed["delta"] == {"inbox": {"count": 1}}
            # A block that raises changes nothing and sends nothing; nor does one past max_state_bytes.
            assert await _post(server, f"/push/{key}/fail") == (500, "RuntimeError")
            assert await _post(server, f"/push/{key}/big") == (500, "LimitError")
            assert await _post(server, f"/push/{key}/count") == (200, "ok")
            with anyio.fail_after(5):
                pushed = await tab.push_at(1)
            assert pushed["delta"] == {"inbox": {"count": 2}}
            assert len([u for u in tab.received if "id" not in u]) == 2
            # A key no client has is refused by the route's modify_state, and the tab carries on.
            assert (await _post(server, "/push/not-a-key/count"))[0] == 500
            assert (await tab.call("inbox.remember")).get("error") is None


async def test_modify_state_on_another_worker_is_not_starved_by_a_tab_firing_events_nonstop(
    shared_build_dir: Path, store_session: RedisServer, redis_prefix: str
) -> None:
    # Two workers on one Redis (or Valkey): the tab's, which keeps the client's lock between its events as a
    # lease, and another one (in this test's loop) whose modify_state must get the lock while the tab keeps
    # clicking.
    config = {"redis_url": store_session.url, "redis_prefix": redis_prefix}
    tab_worker, other_worker = _app(shared_build_dir, **config), _app(shared_build_dir, **config)
    with serve(_host(tab_worker)) as server:
        async with connect(server) as tab, other_worker.lifespan():
            key = (await tab.call("inbox.remember"))["delta"]["inbox"]["key"]
            clicking = anyio.Event()
            counts: list[int] = []

            async def click() -> None:
                while True:
                    reply = await tab.call("inbox.bump")
                    assert reply.get("error") is None
                    counts.append(reply["delta"]["inbox"]["count"])
                    clicking.set()

            with anyio.fail_after(10):
                async with anyio.create_task_group() as tg:
                    tg.start_soon(click)
                    await clicking.wait()
                    async with other_worker.modify_state(key) as tree:
                        inbox = await tree.get(Inbox)
                        inbox.text = f"pushed after {inbox.count} clicks"
                    pushed = await tab.push_where(lambda update: "text" in update["delta"].get("inbox", {}))
                    tg.cancel_scope.cancel()
            seen = int(pushed["delta"]["inbox"]["text"].split()[2])
            assert seen in counts  # the push saw the state of an acknowledged click, none lost
            reply = await tab.call("inbox.bump")
            assert reply["delta"]["inbox"]["count"] > max(counts)


@pytest.mark.parametrize(
    ("environ", "parent", "expected"),
    [
        ({}, [], 1),
        ({"WEB_CONCURRENCY": "4"}, [], 4),
        ({"WEB_CONCURRENCY": "many"}, [], 1),
        ({}, ["/venv/bin/python", "/venv/bin/uvicorn", "app:ui", "--workers", "3"], 3),
        ({}, ["python", "-m", "uvicorn", "app:ui", "--workers=2"], 2),
        ({}, ["/venv/bin/python", "/venv/bin/gunicorn", "-w", "5", "-k", "uvicorn.workers.UvicornWorker"], 5),
        ({}, ["gunicorn", "-w4", "app:ui"], 4),
        ({}, ["/venv/bin/python", "/venv/bin/uvicorn", "app:ui", "--reload"], 1),
        ({}, ["/usr/bin/python", "-m", "pytest", "-w", "4"], 1),  # not a server: its options mean nothing
    ],
    ids=[
        "none",
        "web-concurrency",
        "web-concurrency-junk",
        "uvicorn",
        "uvicorn-equals",
        "gunicorn",
        "gunicorn-short",
        "uvicorn-one",
        "not-a-server",
    ],
)
async def test_worker_count_reads_the_servers_signals(
    environ: dict[str, str], parent: list[str], expected: int
) -> None:
    assert worker_count(environ, parent) == expected


async def test_app_warns_at_startup_when_workers_keep_states_in_memory(
    shared_build_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("PYREACT_REDIS_URL", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    caplog.set_level(logging.WARNING, "pyreact_asgi")
    async with _app(shared_build_dir).lifespan():
        pass
    assert "one of 2 worker processes" in caplog.text
    caplog.clear()
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    async with _app(shared_build_dir).lifespan():
        pass
    assert "worker processes" not in caplog.text
