"""examples/dashboard.py: the live chart's background task, the server-side table of 10 000 orders, notes."""

from __future__ import annotations

from types import ModuleType

import pytest

from pyreact_asgi.testing import AppClient, Tab

pytestmark = pytest.mark.asyncio


async def test_dashboard_live_chart_gets_points(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")  # the page's on_load starts the live feed, a background task
    await tab.wait_for(lambda t: len(t.vars(example.Traffic)["points"]) >= 1)
    point = tab.vars(example.Traffic)["points"][0]
    assert point["t"] == "0s"
    assert tab.vars(example.Traffic)["now"] == point["visitors"]


async def test_dashboard_table_sorts_filters_and_pages_on_the_server(
    example: ModuleType, pyreact_client: AppClient
) -> None:
    tab = await pyreact_client.open("/orders")
    orders = example.Orders

    def table(t: Tab) -> dict[str, object]:
        return t.vars(orders)

    await tab.call(orders.set_filter("Lima"))
    lima = [o for o in example.orders() if "Lima" in (o["customer"], o["city"], o["status"], o["day"])]
    assert table(tab)["total"] == len(lima) < example.ORDERS
    await tab.call(orders.sort_by("total"))
    await tab.call(orders.sort_by("total"))  # again: descending
    rows = table(tab)["rows"]
    assert isinstance(rows, list)
    assert [row["total"] for row in rows] == sorted((o["total"] for o in lima), reverse=True)[: len(rows)]
    await tab.call(orders.go_to_page(2))
    assert table(tab)["page"] == 2


async def test_dashboard_notes_are_editable(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    await tab.call(example.Notes.set_text, "# Done")
    assert tab.vars(example.Notes)["text"] == "# Done"
