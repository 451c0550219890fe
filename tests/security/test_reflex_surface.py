"""What the Reflex-style API opens to clients, attacked over a real socket against a real uvicorn.

``setvar`` from a page is the var's opt-in setter and nothing more; events reach states no page reads but
never their backend-only vars; a use of a `pr.ComponentState` belongs to its own page; a computed var over
``self.router`` fails for the client whose page it cannot use, not for anyone else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

import pyreact_asgi as pr
from pyreact_asgi._contract import PAGE
from tests.e2e.client import Client, connect
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


class Profile(pr.State):
    name: str = pr.field("", setter=True)
    age: int = 0
    _secret: str = "s3cret"

    @pr.event
    def rename(self, name: str) -> None:
        self.setvar("name", name.title())  # server code sets any var, type-checked

    @pr.event
    def save(self) -> Any:
        return Audit.log(f"saved {self.name}")


class Audit(pr.State):
    """No page reads it: handlers chain to it, and clients reach it because the app lists it in states=."""

    entries: list[str] = []  # noqa: RUF012 - each client gets a copy
    _writes: int = 0

    @pr.event
    def log(self, entry: str) -> pr.Action:
        self.entries.append(entry)
        self._writes += 1
        return pr.toast(f"{len(self.entries)} entries, last: {entry}")


class Post(pr.State):
    @pr.computed
    def number(self) -> int:
        return int(self.router.page.params.get("id", "0"))

    @pr.computed
    def _raw(self) -> str:
        return self.router.page.params.get("id", "")


class Counter(pr.ComponentState):
    count: int = 0
    _hidden: int = 7

    @pr.event
    def increment(self) -> None:
        self.count += 1
        self._hidden += 1

    @classmethod
    def get_component(cls, **props: Any) -> pr.Component:
        return pr.button(cls.count, on_click=cls.increment, **props)


def index() -> pr.Component:
    return pr.vstack(
        Counter.create(id="a"),
        Counter.create(id="b"),
        pr.input(value=Profile.name, on_change=Profile.setvar("name")),
        pr.text(Profile.age),
        pr.button("Save", on_click=Profile.save),
    )


def other() -> pr.Component:
    return pr.vstack(Counter.create(id="c"))


def post() -> pr.Component:
    return pr.text(Post.number, pr.State.router.page.params["id"])


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    ui = pr.PyApp(config=pr.Config(build_dir=shared_build_dir / "reflex_surface"), states=[Audit])
    ui.add_page(index)
    ui.add_page(other)
    ui.add_page(post, route="/post/[id]")
    with serve(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as live:
        yield live


def _counters(client: Client) -> list[str]:
    return sorted(name for name in client.states[0] if name.startswith("counter__"))


async def test_setvar_from_a_client_is_only_the_opt_in_setter(server: LiveServer) -> None:
    async with connect(server, page="/") as attacker, connect(server, page="/") as other:
        assert "_secret" not in attacker.states[0]["profile"]
        attempts: list[tuple[str, list[object]]] = [
            ("profile.setvar", ["age", 5]),  # no generic setter on the wire
            ("profile.setvar", ["name", "x"]),
            ("profile.set_age", [5]),  # a var without setter=True
            ("profile.set__secret", ["mine"]),  # backend-only
            ("profile._secret", []),
        ]
        for handler, args in attempts:
            reply = await attacker.call(handler, *args)
            assert reply["error"]["code"] == "unknown_handler", handler
            assert "delta" not in reply
        wrong = await attacker.call("profile.set_name", 5)
        assert wrong["error"]["code"] == "invalid_args"
        assert "delta" not in wrong
        # Nothing changed, for the attacker or anyone: the setter still works, and so does server-side setvar.
        assert (await attacker.call("profile.set_name", "ada"))["delta"] == {"profile": {"name": "ada"}}
        assert (await other.call("profile.rename", "grace hopper"))["delta"] == {"profile": {"name": "Grace Hopper"}}


async def test_event_chained_to_a_state_no_app_lists(shared_build_dir: Path) -> None:
    # Without states=[Audit]: a handler's chained event still reaches it, a client's own event does not.
    ui = pr.PyApp(pages={"/": index}, config=pr.Config(build_dir=shared_build_dir / "reflex_surface_unlisted"))
    with serve(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as live:
        async with connect(live, page="/") as client:
            saved = await client.call("profile.save")
            assert "1 entries, last: saved " in str(saved["actions"])
            assert (await client.call("audit.log", "direct"))["error"]["code"] == "unknown_handler"
            assert (await client.call("profile.set_name", "x"))["delta"] == {"profile": {"name": "x"}}


async def test_event_to_a_state_no_page_reads(server: LiveServer) -> None:
    async with connect(server, page="/") as client, connect(server, page="/") as other:
        assert "audit" not in client.states[0]
        # Chained from a handler, and sent directly: both run; the tab's page shows none of it.
        saved = await client.call("profile.save")
        assert "delta" not in saved
        assert "1 entries, last: saved " in str(saved["actions"])
        direct = await client.call("audit.log", "direct")
        assert "delta" not in direct
        assert "2 entries, last: direct" in str(direct["actions"])
        assert "_writes" not in str(direct)
        bad = await client.call("audit.log", {"entry": 1})
        assert bad["error"]["code"] == "invalid_args"
        assert (await client.call("audit._writes"))["error"]["code"] == "unknown_handler"
        assert (await other.call("profile.set_name", "x"))["delta"] == {"profile": {"name": "x"}}
    # A client that names no page sees the states the pages use, never the backend-only vars.
    async with connect(server) as curious:
        assert "audit" not in curious.states[0]
        assert not [name for name in curious.states[0] if name.startswith("counter")]


async def test_component_state_uses_belong_to_their_page(server: LiveServer) -> None:
    async with connect(server, page="/") as client, connect(server, page="/other") as neighbour:
        first, second = _counters(client)
        (theirs,) = _counters(neighbour)
        assert client.states[0][first] == {"count": 0}
        assert (await client.call(f"{first}.increment"))["delta"] == {first: {"count": 1}}
        assert (await client.call(f"{second}.increment"))["delta"] == {second: {"count": 1}}
        assert (await client.call(f"{first}.increment"))["delta"] == {first: {"count": 2}}
        for handler in [f"{theirs}.increment", "counter.increment", "counter__999.increment", f"{first}.set_count"]:
            reply = await client.call(handler)
            assert reply["error"]["code"] == "unknown_handler", handler
        assert (await neighbour.call(f"{theirs}.increment"))["delta"] == {theirs: {"count": 1}}
    async with connect(server) as pageless:
        assert (await pageless.call(f"{first}.increment"))["error"]["code"] == "unknown_handler"


async def test_computed_var_over_the_router_per_client(server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    async with connect(server, page="/post/7") as seven, connect(server, page="/post/seven") as broken:
        assert seven.states[0]["post"] == {"number": 7}
        # The page's id is no number: that client gets None for the var, with a warning, and nothing else fails.
        assert broken.states[0]["post"] == {"number": None}
        assert any('Computed var "post.number" raised' in r.getMessage() for r in caplog.records)
        assert all(r.levelno < logging.ERROR for r in caplog.records)
        # Navigating recomputes it for the new page; the event after it is answered after the new state.
        await seven.sio.emit(PAGE, "/post/42")
        assert "error" not in await seven.call("profile.set_name", "n")
        assert seven.states[1]["post"] == {"number": 42}
        await broken.sio.emit(PAGE, "/post/3")
        assert "error" not in await broken.call("profile.set_name", "n")
        assert broken.states[1]["post"] == {"number": 3}
