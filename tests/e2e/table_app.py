"""An app with a 100 000-row server-side table, for tests/e2e/test_table*.py."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyreact_asgi as pr

ROWS = 100_000
STATUSES = ("paid", "open", "refunded")
CITIES = ("Oslo", "Lima", "Pune", "Kyiv", "Perth")
# A customer name a spreadsheet would run as a formula if exported unescaped.
FORMULA = '=HYPERLINK("http://evil.example","click")'


def make_row(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "customer": FORMULA if i == 7 else f"Customer {i:06d}",
        "city": CITIES[i % len(CITIES)],
        "status": STATUSES[i % len(STATUSES)],
        "total": round((i * 7919) % 100_000 / 100, 2),
        "day": (date(2026, 1, 1) + timedelta(days=i % 365)).isoformat(),
        "site": "javascript:alert(1)" if i == 3 else f"https://example.com/orders/{i}",
    }


@functools.cache
def orders() -> pr.TableData:
    return pr.TableData((make_row(i) for i in range(1, ROWS + 1)), filter_keys=["customer", "city", "status"])


class Orders(pr.DataTable):
    columns = (
        pr.Column(key="id", label="Order", type="number"),
        pr.Column(key="customer", label="Customer"),
        pr.Column(key="city", label="City"),
        pr.Column(key="status", label="Status", type="badge"),
        pr.Column(key="total", label="Total", type="number", format="currency:EUR"),
        pr.Column(key="day", label="Date", type="date"),
        pr.Column(key="site", label="Link", type="link", sortable=False),
    )
    page_sizes = (25, 50, 100)
    max_selected = 3
    max_export_bytes = 300_000
    export_filename = "orders.csv"

    def data(self) -> pr.TableData:
        return orders()


def table_page() -> pr.Component:
    return pr.vstack(
        pr.data_table(Orders, selectable=True, id="orders", caption="Orders"),
        pr.text("Selected: ", Orders.selected.join(","), id="selected"),  # type: ignore[attr-defined]
        pr.text(Orders.selected_count, " selected", id="selected-count"),
        width="100%",
    )


def make_table_app(build_dir: Path) -> pr.PyApp:
    return pr.PyApp(pages={"/": table_page}, config=pr.Config(build_dir=build_dir / "table", title="Orders"))
