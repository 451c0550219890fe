"""Every event a server-side table takes, sent hostile over a real socket to a real uvicorn: refused, and nobody
else notices."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.e2e.apps import starlette_host
from tests.e2e.client import Client, connect
from tests.e2e.table_app import FORMULA, ROWS, make_table_app
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

MOUNT = "/a/b/c"


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve(starlette_host(make_table_app(shared_build_dir), MOUNT)) as live:
        yield live


def _orders(update: dict[str, Any]) -> dict[str, Any]:
    orders: dict[str, Any] = update.get("delta", {}).get("orders", {})
    return orders


async def _loaded(client: Client) -> dict[str, Any]:
    update = await client.call("orders.load")
    assert "error" not in update
    return _orders(update)


async def test_table_pages_sorts_and_filters_on_the_server(server: LiveServer) -> None:
    async with connect(server, mount=MOUNT, page="/") as client:
        first = await _loaded(client)
        assert first["total"] == ROWS
        assert [row["id"] for row in first["rows"]] == list(range(1, 26))
        page = _orders(await client.call("orders.go_to_page", 4000))
        assert page["page"] == 4000
        assert [row["id"] for row in page["rows"]] == list(range(99_976, 100_001))
        past = await client.call("orders.go_to_page", 4001)
        assert "error" not in past
        assert _orders(past) == {}, "past the end: the last page stays shown"
        by_total = _orders(await client.call("orders.sort_by", "total"))
        assert by_total["page"] == 1
        totals = [row["total"] for row in by_total["rows"]]
        assert totals == sorted(totals)
        descending = _orders(await client.call("orders.sort_by", "total"))
        assert descending["descending"] is True
        assert descending["rows"][0]["total"] >= totals[-1]
        filtered = _orders(await client.call("orders.set_filter", "customer 00001"))
        assert filtered["total"] == 10  # Customer 000010 to 000019
        assert all("00001" in row["customer"] for row in filtered["rows"])
        size = _orders(await client.call("orders.set_page_size", 50))
        assert size["page_size"] == 50


@pytest.mark.parametrize(
    ("handler", "args"),
    [
        pytest.param("orders.sort_by", ["no_such_column"], id="unknown-column"),
        pytest.param("orders.sort_by", ["site"], id="unsortable-column"),
        pytest.param("orders.sort_by", [{"$gt": ""}], id="column-object"),
        pytest.param("orders.go_to_page", [-1], id="negative-page"),
        pytest.param("orders.go_to_page", [0], id="page-zero"),
        pytest.param("orders.go_to_page", [10**18], id="huge-page"),
        pytest.param("orders.go_to_page", ["2"], id="page-string"),
        pytest.param("orders.set_page_size", [1_000_000], id="page-size-not-offered"),
        pytest.param("orders.set_page_size", [0], id="page-size-zero"),
        pytest.param("orders.set_filter", ["x" * 201], id="filter-too-long"),
        pytest.param("orders.toggle_row", ["k" * 201], id="selection-key-too-long"),
        pytest.param("orders.toggle_row", [[1, 2]], id="selection-key-list"),
        pytest.param("orders.select_page", ["yes"], id="select-page-string"),
    ],
)
async def test_hostile_table_events_are_refused_and_change_nothing(
    server: LiveServer, handler: str, args: list[Any]
) -> None:
    async with connect(server, mount=MOUNT, page="/") as attacker, connect(server, mount=MOUNT, page="/") as other:
        await _loaded(attacker)
        await _loaded(other)
        refused = await attacker.call(handler, *args)
        assert refused["error"]["code"] == "invalid_args"
        assert "delta" not in refused
        # The attacker's table is as it was, and the other client carries on.
        assert _orders(await attacker.call("orders.go_to_page", 2))["page"] == 2
        assert _orders(await other.call("orders.go_to_page", 3))["rows"][0]["id"] == 51


async def test_a_megabyte_filter_is_refused_and_other_clients_carry_on(server: LiveServer) -> None:
    async with connect(server, mount=MOUNT, page="/") as attacker, connect(server, mount=MOUNT, page="/") as other:
        await _loaded(other)
        await attacker.send({"id": 1, "handler": "orders.set_filter", "args": ["x" * 1_000_000]})
        with anyio.fail_after(5):
            # Past Config.max_event_bytes: the transport drops the connection instead of parsing the message.
            await attacker.disconnected.wait()
        page = _orders(await other.call("orders.go_to_page", 2))
        assert page["page"] == 2
        assert page["rows"][0]["id"] == 26


async def test_selection_is_bounded_by_configuration(server: LiveServer) -> None:
    async with connect(server, mount=MOUNT, page="/") as client:
        await _loaded(client)
        for key in ("1", "2", "3"):
            await client.call("orders.toggle_row", key)
        over = await client.call("orders.toggle_row", "4")
        assert "delta" not in over or "selected" not in _orders(over)
        assert over["actions"][0]["message"] == "At most 3 rows can be selected."
        unselect = _orders(await client.call("orders.toggle_row", "2"))
        assert unselect["selected"] == ["1", "3"]


async def test_csv_export_escapes_formulas_and_is_bounded(server: LiveServer) -> None:
    async with connect(server, mount=MOUNT, page="/") as client:
        await _loaded(client)
        update = await client.call("orders.export_csv")
        download, warning = update["actions"]
        assert download["filename"] == "orders.csv"
        body = base64.b64decode(download["data"])
        assert len(body) <= 300_000
        assert warning["message"].startswith("The export was cut short")
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["Order", "Customer", "City", "Status", "Total", "Date", "Link"]
        assert rows[7][1] == "'" + FORMULA
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
        # Filtered: only the matching rows, whole.
        await client.call("orders.set_filter", "customer 00002")
        filtered = base64.b64decode((await client.call("orders.export_csv"))["actions"][0]["data"]).decode()
        lines = list(csv.reader(io.StringIO(filtered)))
        assert len(lines) == 1 + 10
