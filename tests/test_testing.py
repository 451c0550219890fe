"""pyreact_asgi.testing: tabs driven in process through the app's own websocket endpoint and HTTP paths."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from starlette.requests import HTTPConnection

import pyreact_asgi as pr
from pyreact_asgi.testing import AppClient, EventError

pytestmark = pytest.mark.asyncio


class Probe(pr.State):
    count: int = 0
    _secret: str = "server only"

    @pr.event
    def add(self, by: int = 1) -> None:
        self.count += by

    @pr.event
    def boom(self) -> None:
        self.count = 99
        raise ValueError("no")

    @pr.event
    async def slow(self) -> None:
        await anyio.sleep_forever()


def index() -> pr.Component:
    return pr.text(Probe.count)


def _app(build_dir: Path, **kwargs: object) -> pr.PyApp:
    return pr.PyApp({"/": index}, config=pr.Config(build_dir=build_dir / "test_testing", handler_timeout=0.5), **kwargs)  # type: ignore[arg-type]


async def test_client_starts_and_stops_the_app(shared_build_dir: Path) -> None:
    ui = _app(shared_build_dir)
    async with AppClient(ui) as client:
        started_inside = ui.started
        tab = await client.open()
        assert ui.client_count() == 1
        await tab.call(Probe.add, 2)
        assert tab.vars(Probe) == {"count": 2}, "backend-only vars never reach the tab"
    assert started_inside
    assert not ui.started
    assert tab.closed


async def test_client_leaves_a_running_app_running(shared_build_dir: Path) -> None:
    ui = _app(shared_build_dir)
    async with ui.lifespan():
        async with AppClient(ui) as client:
            await client.open()
        assert ui.started


async def test_refused_events_raise_and_change_nothing(shared_build_dir: Path, logged_errors: list[object]) -> None:
    async with AppClient(_app(shared_build_dir)) as client:
        tab = await client.open()
        await tab.call(Probe.add)
        with pytest.raises(EventError, match="invalid_args") as info:
            await tab.call(Probe.add, "x")
        assert info.value.handler == "probe.add"
        with pytest.raises(EventError, match="unknown_handler"):
            await tab.call("probe._secret")
        with pytest.raises(EventError) as failed:
            await tab.call(Probe.boom)
        assert tab.vars(Probe)["count"] == 1, "a handler that raised is undone"
        with pytest.raises(EventError, match="timeout"):
            await tab.call(Probe.slow)
        reply = await tab.call(Probe.add)
    assert failed.value.code != ""
    assert reply.delta == {"probe": {"count": 2}}
    logged_errors.clear()  # the handler's exception is logged, as in production


async def test_tabs_of_one_browser_share_state(shared_build_dir: Path) -> None:
    async with AppClient(_app(shared_build_dir)) as client:
        first = await client.open()
        await first.call(Probe.add, 5)
        second = await client.open(token=first.token, cookie=first.cookie)
        assert second.vars(Probe)["count"] == 5
        elsewhere = await client.open(token=first.token)  # another browser: the token alone is not enough
        assert elsewhere.vars(Probe)["count"] == 0


async def test_denied_connection_raises(shared_build_dir: Path) -> None:
    def only_with_header(conn: HTTPConnection) -> bool:
        return conn.headers.get("x-user") == "ada"

    ui = _app(shared_build_dir, auth=only_with_header)
    async with AppClient(ui) as client:
        with pytest.raises(AssertionError, match="answered 403"):
            await client.open()
    async with AppClient(ui, headers={"X-User": "ada"}) as client:
        tab = await client.open()
        assert tab.vars(Probe) == {"count": 0}


async def test_bad_token_is_refused(shared_build_dir: Path) -> None:
    async with AppClient(_app(shared_build_dir)) as client:
        with pytest.raises(ConnectionError, match="refused"):
            await client.open(token="short")
        tab = await client.open()  # the app carries on
        await tab.call(Probe.add)


async def test_closed_tab_cannot_send(shared_build_dir: Path) -> None:
    ui = _app(shared_build_dir)
    async with AppClient(ui) as client:
        tab = await client.open()
        await tab.close()
        with pytest.raises(ConnectionError, match="closed"):
            await tab.send(Probe.add)
        assert ui.client_count() == 0


async def test_client_takes_only_a_pyapp() -> None:
    with pytest.raises(pr.ConfigError, match=r"Expected a pyreact_asgi\.PyApp"):
        AppClient(object())  # type: ignore[arg-type]


class Shelf(pr.State):
    items: list[str] = [f"item {i}" for i in range(30)]  # noqa: RUF012

    @pr.event
    def rename(self, index: int, title: str) -> None:
        self.items[index] = title

    @pr.event
    def add(self, title: str) -> None:
        self.items.append(title)


def shelf_page() -> pr.Component:
    return pr.foreach(Shelf.items, lambda item: pr.text(item))


async def test_tab_applies_patches_of_lists_changed_in_place(shared_build_dir: Path) -> None:
    ui = pr.PyApp({"/": shelf_page}, config=pr.Config(build_dir=shared_build_dir / "test_testing_shelf"))
    async with AppClient(ui) as client:
        tab = await client.open()
        reply = await tab.call(Shelf.rename, 3, "three")
        assert reply.updates[-1]["delta"] == {"shelf": {"~items": [[0, 3, "three"]]}}, "sent as a patch"
        assert reply.delta["shelf"]["items"][3] == "three", "a reply holds values, patches applied"
        await tab.call(Shelf.add, "last")
        expected = [f"item {i}" for i in range(30)]
        expected[3] = "three"
        assert tab.vars(Shelf)["items"] == [*expected, "last"]
        assert tab.resyncs == 0


async def test_tab_asks_for_the_full_state_when_a_patch_does_not_fit(shared_build_dir: Path) -> None:
    ui = pr.PyApp({"/": shelf_page}, config=pr.Config(build_dir=shared_build_dir / "test_testing_shelf"))
    async with AppClient(ui) as client:
        tab = await client.open()
        tab.state["shelf"]["items"] = ["diverged"]  # as if an update had been lost
        await tab.call(Shelf.rename, 20, "twenty")
        await tab.wait_for(lambda t: len(t.vars(Shelf)["items"]) == 30)
        assert tab.resyncs == 1
        assert tab.vars(Shelf)["items"][20] == "twenty"
