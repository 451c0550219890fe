"""examples/dashboard.py: several pages, computed table rows, a form, a route with a parameter and on_load."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient

pytestmark = pytest.mark.asyncio


@pytest.fixture
def example() -> ModuleType:
    """The example as imported now: its classes are the ones its app uses, even if another test reloaded it."""
    return importlib.import_module("examples.dashboard")


@pytest.fixture
def pyreact_app(example: ModuleType) -> PyApp:
    return example.ui  # type: ignore[no-any-return]


async def test_dashboard_filters_and_sorts(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    assert tab.vars(example.Directory)["summary"] == "6 of 6 people"
    await tab.call(example.Directory.set_query, "compilers")
    assert [r["name"] for r in tab.vars(example.Directory)["rows"]] == ["Edsger Dijkstra", "Grace Hopper"]
    await tab.call(example.Directory.sort("salary"))
    await tab.call(example.Directory.sort("salary"))  # again: descending
    assert [r["salary"] for r in tab.vars(example.Directory)["rows"]] == ["6,100", "5,900"]
    assert tab.vars(example.Directory)["summary"] == "2 of 6 people"


async def test_dashboard_form_adds_a_person(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    refused = await tab.call(example.Directory.add, {"name": "Linus", "team": "", "salary": "1"})
    assert refused.actions[0]["level"] == "warning"
    reply = await tab.call(example.Directory.add, {"name": "Linus", "team": "Kernels", "role": "", "salary": "4000"})
    assert [a["message"] for a in reply.actions] == ["Added Linus"]
    assert tab.vars(example.Directory)["summary"] == "7 of 7 people"


async def test_dashboard_profile_page_loads_from_its_route(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/people/ada-lovelace")  # the page's on_load ran before open returned
    assert tab.vars(example.Profile) == {"name": "Ada Lovelace", "team": "Engines", "role": "Analyst", "found": True}
    assert "rows" not in tab.state.get(example.Directory.state_name(), {}), (
        "the profile page is sent its own states only"
    )
    await tab.navigate("/people/nobody")
    assert tab.vars(example.Profile)["found"] is False
    await tab.navigate("/teams")
    assert {"team": "Codes", "people": "2"} in tab.vars(example.Directory)["teams"]
