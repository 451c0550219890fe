"""Generated setters are opt-in: a client may assign a var directly only where the app allows it.

Before, every public var got a ``set_<var>`` any client could call, past the rules the app's own handlers
keep: the dashboard's ``add()`` refused a salary of -5, but ``set_people`` took it. These tests speak to a
real uvicorn over a real websocket: a var without opt-in has no setter, an opted-in setter checks the
var's type and the app's validator, and a refused client changes nothing for itself or anyone else.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

import pyreact_asgi as pr
from tests.e2e.client import connect
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


class Person(msgspec.Struct):
    name: str
    salary: int


def _non_negative(salary: int) -> bool:
    return salary >= 0


def _known_team(team: str) -> None:
    if team not in ("core", "web"):
        raise ValueError(f'Expected team "core" or "web", but got {team!r}.')


class Payroll(pr.State):
    people: list[Person] = []  # noqa: RUF012 - each client gets a copy
    salary: int = pr.field(0, setter=True, validate=_non_negative)
    team: str = pr.field("core", setter=True, validate=_known_team)
    note: str = pr.field("", setter=True)

    @pr.event
    def add(self, name: str) -> None:
        if self.salary >= 0:
            self.people.append(Person(name, self.salary))


def _page() -> pr.Component:
    return pr.vstack(
        pr.foreach(Payroll.people, lambda person: pr.text(person["name"])),
        pr.input(value=Payroll.note, on_change=Payroll.set_note),
        pr.button("Add", on_click=Payroll.add("x")),
        pr.text(Payroll.salary, Payroll.team),
    )


@pytest.fixture(scope="module")
def payroll_server(shared_build_dir: Path) -> Iterator[LiveServer]:
    ui = pr.PyApp({"/": _page}, config=pr.Config(build_dir=shared_build_dir / "payroll"))
    with serve(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as server:
        yield server


async def test_setter_of_a_var_without_opt_in_does_not_exist(payroll_server: LiveServer) -> None:
    async with connect(payroll_server) as attacker, connect(payroll_server) as other:
        reply = await attacker.call("payroll.set_people", [{"name": "Mallory", "salary": -5}])
        assert reply["error"]["code"] == "unknown_handler"
        assert "delta" not in reply
        # The attacker's own state is unchanged, and both clients carry on.
        assert (await attacker.call("payroll.add", "Ada"))["delta"] == {
            "payroll": {"people": [{"name": "Ada", "salary": 0}]}
        }
        assert (await other.call("payroll.set_note", "hi"))["delta"] == {"payroll": {"note": "hi"}}


async def test_opted_in_setter_checks_the_type(payroll_server: LiveServer) -> None:
    async with connect(payroll_server) as client:
        reply = await client.call("payroll.set_salary", "lots")
        assert reply["error"]["code"] == "invalid_args"
        assert "delta" not in reply
        assert (await client.call("payroll.set_salary", 10))["delta"] == {"payroll": {"salary": 10}}


@pytest.mark.parametrize(
    ("handler", "value", "message"),
    [
        ("payroll.set_salary", -5, "the app's validator did not accept it"),
        ("payroll.set_team", "admins", 'Expected team "core" or "web", but got \'admins\'.'),
    ],
    ids=["validator-returns-false", "validator-raises"],
)
async def test_opted_in_setter_refused_by_the_app_changes_nothing(
    payroll_server: LiveServer, handler: str, value: object, message: str
) -> None:
    async with connect(payroll_server) as client, connect(payroll_server) as other:
        reply = await client.call(handler, value)
        assert reply["error"]["code"] == "invalid_args"
        assert message in reply["error"]["message"]
        assert "delta" not in reply
        # Nothing changed: adding a person still records the default salary, and the other client carries on.
        added = await client.call("payroll.add", "Ada")
        assert added["delta"] == {"payroll": {"people": [{"name": "Ada", "salary": 0}]}}
        assert (await other.call("payroll.set_team", "web"))["delta"] == {"payroll": {"team": "web"}}
