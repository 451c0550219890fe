"""examples/dashboard.py: several pages, computed table rows, a form, a route with a parameter and on_load."""

from __future__ import annotations

import pytest

from examples.dashboard import Directory, Profile, ui
from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app() -> PyApp:
    return ui


async def test_dashboard_filters_and_sorts(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    assert tab.vars(Directory)["summary"] == "6 of 6 people"
    await tab.call(Directory.set_query, "compilers")
    assert [r["name"] for r in tab.vars(Directory)["rows"]] == ["Edsger Dijkstra", "Grace Hopper"]
    await tab.call(Directory.sort("salary"))
    await tab.call(Directory.sort("salary"))  # again: descending
    assert [r["salary"] for r in tab.vars(Directory)["rows"]] == ["6,100", "5,900"]
    assert tab.vars(Directory)["summary"] == "2 of 6 people"


async def test_dashboard_form_adds_a_person(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    refused = await tab.call(Directory.add, {"name": "Linus", "team": "", "salary": "1"})
    assert refused.actions[0]["level"] == "warning"
    reply = await tab.call(Directory.add, {"name": "Linus", "team": "Kernels", "role": "", "salary": "4000"})
    assert [a["message"] for a in reply.actions] == ["Added Linus"]
    assert tab.vars(Directory)["summary"] == "7 of 7 people"


async def test_dashboard_profile_page_loads_from_its_route(pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/people/ada-lovelace")  # the page's on_load ran before open returned
    assert tab.vars(Profile) == {"name": "Ada Lovelace", "team": "Engines", "role": "Analyst", "found": True}
    assert "rows" not in tab.state.get(Directory.state_name(), {}), "the profile page is sent its own states only"
    await tab.navigate("/people/nobody")
    assert tab.vars(Profile)["found"] is False
    await tab.navigate("/teams")
    assert {"team": "Codes", "people": "2"} in tab.vars(Directory)["teams"]
