from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import STORES, RedisServer, redis_server, valkey_server


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def logged_errors() -> Iterator[list[logging.LogRecord]]:
    """Fails the test if anything under ``pyreact_asgi`` logged an ERROR that the test did not expect.

    A test that provokes an error on purpose asserts on the returned list and clears it.
    """
    collector = _ErrorCollector()
    logger = logging.getLogger("pyreact_asgi")
    logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        logger.removeHandler(collector)
    if collector.records:
        messages = "\n".join(f"{r.name}: {r.getMessage()}" for r in collector.records)
        pytest.fail(f"pyreact_asgi logged errors:\n{messages}")


@pytest.fixture(scope="session")
def shared_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build directory for the session, so apps with the same pages build once."""
    return tmp_path_factory.mktemp("build")


@pytest.fixture(scope="session")
def redis_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real redis-server for the session; tests keep apart by a key prefix of their own."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="session")
def valkey_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One real valkey-server for the session, as `redis_session`."""
    with valkey_server(tmp_path_factory.mktemp("valkey")) as server:
        yield server


@pytest.fixture(params=STORES)
def store_session(request: pytest.FixtureRequest) -> RedisServer:
    """The session's redis-server, then its valkey-server: a test that takes it runs against both."""
    server: RedisServer = request.getfixturevalue(f"{request.param}_session")
    return server


@pytest.fixture
def redis_prefix(request: pytest.FixtureRequest) -> str:
    """A key prefix no other test uses."""
    return "t" + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
