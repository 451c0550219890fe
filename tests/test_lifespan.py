from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

import pyreact_asgi as pr
from examples.counter import index

pytestmark = pytest.mark.asyncio

HOST = object()


def _recorder(
    name: str, log: list[str], state: dict[str, Any] | None = None
) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[dict[str, Any] | None]:
        assert app is HOST
        log.append(f"enter {name}")
        try:
            yield state
        finally:
            log.append(f"exit {name}")

    return lifespan


def _failing(log: list[str]) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        log.append("enter failing")
        if app is HOST:
            raise RuntimeError("database is down")
        yield  # pragma: no cover - unreachable on purpose: the part fails on entry

    return lifespan


async def test_combine_lifespans_enters_in_order_and_exits_in_reverse() -> None:
    log: list[str] = []
    combined = pr.combine_lifespans(_recorder("a", log), _recorder("b", log), _recorder("c", log))
    async with combined(HOST):
        assert log == ["enter a", "enter b", "enter c"]
    assert log == ["enter a", "enter b", "enter c", "exit c", "exit b", "exit a"]


async def test_combine_lifespans_merges_state() -> None:
    log: list[str] = []
    combined = pr.combine_lifespans(
        _recorder("db", log, {"db": "pool", "shared": 1}),
        _recorder("none", log),
        _recorder("cache", log, {"cache": "redis", "shared": 2}),
    )
    async with combined(HOST) as state:
        assert state == {"db": "pool", "cache": "redis", "shared": 2}


async def test_combine_lifespans_without_state_yields_none() -> None:
    combined = pr.combine_lifespans(_recorder("a", []))
    async with combined(HOST) as state:
        assert state is None


async def test_combine_lifespans_failing_part_unwinds_entered_parts() -> None:
    log: list[str] = []
    combined = pr.combine_lifespans(_recorder("a", log), _recorder("b", log), _failing(log), _recorder("c", log))
    with pytest.raises(RuntimeError, match="database is down"):
        async with combined(HOST):
            pytest.fail("the body must not run")  # pragma: no cover - unreachable on purpose
    assert log == ["enter a", "enter b", "enter failing", "exit b", "exit a"]


async def test_combine_lifespans_exits_all_parts_when_the_host_fails() -> None:
    log: list[str] = []
    combined = pr.combine_lifespans(_recorder("a", log), _recorder("b", log))
    with pytest.raises(KeyError, match="request"):
        async with combined(HOST):
            raise KeyError("request")
    assert log == ["enter a", "enter b", "exit b", "exit a"]


async def test_combine_lifespans_starts_and_stops_pyapps(shared_build_dir: Path) -> None:
    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=shared_build_dir / "counter"))
    states: list[bool] = []

    @asynccontextmanager
    async def host(app: Any) -> AsyncIterator[None]:
        states.append(ui.started)  # the host's lifespan, listed first, is up before the PyApp starts
        yield
        states.append(ui.started)  # and still up after it stopped

    async with pr.combine_lifespans(host, ui)(HOST):
        assert ui.started
        assert ui.bundle.manifest.entry.startswith("app.")
    assert states == [False, False]
    assert not ui.started


async def test_combine_lifespans_failing_pyapp_unwinds_the_host(tmp_path: Path) -> None:
    log: list[str] = []
    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=tmp_path, build="never"))
    with pytest.raises(pr.BuildError, match=r'build="never" but there is no complete build'):
        async with pr.combine_lifespans(_recorder("host", log), ui)(HOST):
            pytest.fail("the body must not run")  # pragma: no cover - unreachable on purpose
    assert log == ["enter host", "exit host"]
