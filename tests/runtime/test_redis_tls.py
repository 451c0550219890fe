"""The Redis state manager over TLS (``rediss://``), against a real redis-server and valkey-server listening
with TLS only, with a CA and certificate made by the test (trustme)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
import trustme

import pyreact_asgi as pr
from pyreact_asgi.runtime.messages import Update
from pyreact_asgi.runtime.redis_manager import RedisStateManager
from tests.e2e.client import connect
from tests.servers import STORES, LiveServer, RedisServer, Store, TLSFiles, redis_server, serve

pytestmark = pytest.mark.asyncio

A = "a" + "A" * 43  # a client key as runtime/binding.py derives it


class Tls(pr.State):
    count: int = 0

    @pr.event
    async def increment(self) -> None:
        self.count += 1


def _write_ca(ca: trustme.CA, path: Path) -> Path:
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    tmp = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert.private_key_pem.write_to_path(str(tmp / "server.key"))
    cert.cert_chain_pems[0].write_to_path(str(tmp / "server.pem"))
    return TLSFiles(cert=tmp / "server.pem", key=tmp / "server.key", ca=_write_ca(ca, tmp / "ca.pem"))


@pytest.fixture(scope="module", params=STORES)
def tls_server(
    request: pytest.FixtureRequest, tls_files: TLSFiles, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RedisServer]:
    kind: Store = request.param
    with redis_server(tmp_path_factory.mktemp(f"{kind}-tls"), kind=kind, tls=tls_files) as server:
        yield server


async def test_redis_manager_over_tls_keeps_states_and_relays_updates(
    tls_server: RedisServer, redis_prefix: str
) -> None:
    assert tls_server.url.startswith("rediss://")
    one = RedisStateManager(tls_server.url, 60, prefix=redis_prefix)
    two = RedisStateManager(tls_server.url, 60, prefix=redis_prefix)
    await one.start()
    await two.start()
    try:
        async with one.session(A) as tree:
            (await tree.get(Tls)).count = 5
        async with two.session(A) as tree:
            assert (await tree.get(Tls)).count == 5
        # Pub/sub goes over a TLS connection of its own.
        received: list[Update] = []
        done = anyio.Event()

        async def local(token: str, update: Update) -> None:
            received.append(update)
            done.set()

        with anyio.fail_after(5):
            async with anyio.create_task_group() as tg:
                await tg.start(two.listen, local)
                await one.broadcast(A, Update(delta={"tls": {"count": 6}}), local)
                await done.wait()
                tg.cancel_scope.cancel()
        assert received == [Update(delta={"tls": {"count": 6}})]
        assert tls_server.cli("--raw", "HKEYS", f"{redis_prefix}:s:{{{A}}}").split() == ["tls"]  # redis-cli over TLS
    finally:
        await one.close()
        await two.close()


async def test_app_over_tls_serves_events_over_a_real_socket(
    tls_server: RedisServer, redis_prefix: str, shared_build_dir: Path
) -> None:
    config = pr.Config(build_dir=shared_build_dir, redis_url=tls_server.url, redis_prefix=redis_prefix)
    ui = pr.PyApp({"/": lambda: pr.text(Tls.count)}, config=config)
    with serve(ui) as server:
        await _count_to(server, 2)


async def _count_to(server: LiveServer, count: int) -> None:
    async with connect(server, mount="") as tab:
        for expected in range(1, count + 1):
            assert (await tab.call("tls.increment"))["delta"] == {"tls": {"count": expected}}


async def test_app_startup_refuses_a_redis_whose_certificate_it_does_not_trust(
    tls_server: RedisServer, tmp_path: Path, shared_build_dir: Path
) -> None:
    # A CA of its own that never signed the server's certificate: an impostor on the way to Redis.
    other = _write_ca(trustme.CA(), tmp_path / "other-ca.pem")
    url = f"rediss://:hunter2@127.0.0.1:{tls_server.port}/0?ssl_ca_certs={other}"
    ui = pr.PyApp({"/": lambda: pr.text(Tls.count)}, config=pr.Config(build_dir=shared_build_dir, redis_url=url))
    with pytest.raises(pr.StateStoreError, match=r"Expected Redis at 'rediss://\*\*\*@127\.0\.0\.1:\d+/0") as refused:
        await ui.startup()
    assert "certificate verify failed" in str(refused.value), str(refused.value)
    assert "hunter2" not in str(refused.value)
    await ui.shutdown()


async def test_app_startup_refuses_plain_redis_to_a_server_that_speaks_only_tls(
    tls_server: RedisServer, shared_build_dir: Path
) -> None:
    url = f"redis://127.0.0.1:{tls_server.port}/0"
    ui = pr.PyApp({"/": lambda: pr.text(Tls.count)}, config=pr.Config(build_dir=shared_build_dir, redis_url=url))
    with pytest.raises(pr.StateStoreError, match=r"Expected Redis at 'redis://127\.0\.0\.1:\d+/0' to answer"):
        await ui.startup()
    await ui.shutdown()
