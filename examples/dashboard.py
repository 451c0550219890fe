"""An admin dashboard: stat tiles, a live chart, charts of 10 000 orders, a server-side table of them with sort,
filter, pages, selection and CSV export, a date picker from npm (packages/daypicker), and markdown notes.

Run:  uvicorn examples.dashboard:app   then open http://127.0.0.1:8000/tools/ui/
"""

from __future__ import annotations

import functools
import os
import random
from collections import Counter
from datetime import date, timedelta
from typing import Any

import anyio
from fastapi import FastAPI
from pyreact_daypicker import date_picker

import pyreact_asgi as pr

ORDERS = 10_000
TICK_SECONDS = float(os.environ.get("PYREACT_DASHBOARD_TICK", "1.0"))
LIVE_TICKS = 600  # a tab's live chart runs ten minutes, then stops: no task outlives its use for long
WINDOW = 40  # points the live chart keeps
CITIES = ("Oslo", "Lima", "Pune", "Kyiv", "Perth", "Accra", "Quito")
STATUSES = ("paid", "paid", "paid", "open", "refunded")
START = date(2026, 1, 1)


@functools.cache
def orders() -> list[dict[str, Any]]:
    """10 000 made-up orders, the same on every start."""
    rng = random.Random(7)
    return [
        {
            "id": i,
            "customer": f"Customer {rng.randrange(1, 2500):04d}",
            "city": rng.choice(CITIES),
            "status": rng.choice(STATUSES),
            "total": round(rng.lognormvariate(4, 0.6), 2),
            "day": (START + timedelta(days=rng.randrange(0, 180))).isoformat(),
            "invoice": f"https://example.com/invoices/{i}",
        }
        for i in range(1, ORDERS + 1)
    ]


@functools.cache
def order_data() -> pr.TableData:
    return pr.TableData(orders(), filter_keys=["customer", "city", "status", "day"])


@functools.cache
def summary() -> dict[str, Any]:
    rows = orders()
    revenue = sum(r["total"] for r in rows if r["status"] != "refunded")
    refunds = sum(r["status"] == "refunded" for r in rows)
    by_month: Counter[str] = Counter()
    for r in rows:
        if r["status"] != "refunded":
            by_month[r["day"][:7]] += r["total"]
    statuses = Counter(r["status"] for r in rows)
    return {
        "revenue": f"€{revenue:,.0f}",
        "orders": f"{len(rows):,}",
        "average": f"€{revenue / (len(rows) - refunds):,.2f}",
        "refund_rate": f"{refunds / len(rows):.1%}",
        "months": [{"month": m, "revenue": round(v)} for m, v in sorted(by_month.items())],
        "statuses": [{"status": s, "orders": n} for s, n in sorted(statuses.items())],
    }


class Orders(pr.DataTable):
    columns = (
        pr.Column(key="id", label="Order", type="number", width="6rem"),
        pr.Column(key="customer", label="Customer"),
        pr.Column(key="city", label="City"),
        pr.Column(key="status", label="Status", type="badge"),
        pr.Column(key="total", label="Total", type="number", format="currency:EUR"),
        pr.Column(key="day", label="Date", type="date"),
        pr.Column(key="invoice", label="Invoice", type="link", sortable=False),
    )
    page_sizes = (25, 50, 100)
    export_filename = "orders.csv"

    def data(self) -> pr.TableData:
        return order_data()

    @pr.event
    async def pick_day(self, day: str | None) -> None:
        """Shows the orders of one day (the date picker), or all of them again."""
        self.filter = day or ""
        self.page = 1
        await self.refresh()


class Traffic(pr.State):
    points: list[dict[str, Any]] = []
    now: int = 0
    running: bool = False

    @pr.event(background=True)
    async def stream(self) -> None:
        """Visitors per second, as a metrics feed would push them: one point a tick, a window of the latest."""
        async with self:
            if self.running:
                return
            self.running = True
        rng = random.Random()
        visitors = 120
        try:
            for tick in range(LIVE_TICKS):
                visitors = max(20, visitors + rng.randint(-15, 15))
                async with self:
                    self.now = visitors
                    self.points = [*self.points[-(WINDOW - 1) :], {"t": f"{tick}s", "visitors": visitors}]
                await anyio.sleep(TICK_SECONDS)
        finally:
            async with self:
                self.running = False


NOTES = """## Notes for Monday

- Refunds are **up** in *Lima*: check the courier.
- Export the open orders for finance (`Export CSV` on the Orders page).

```python
refund_rate = refunds / orders  # shown in the tile above
```
"""


class Notes(pr.State):
    text: str = pr.field(NOTES, setter=True)


def shell(*content: pr.Component, active: str) -> pr.Component:
    return pr.page_shell(
        *content,
        brand="Acme admin",
        nav=[
            pr.nav_link("Overview", href="/", icon_name="menu", active=active == "/", id="nav-overview"),
            pr.nav_link("Orders", href="/orders", icon_name="search", active=active == "/orders", id="nav-orders"),
        ],
        header=[pr.spacer(), pr.color_mode_toggle(id="mode")],
    )


def overview_page() -> pr.Component:
    facts = summary()
    return shell(
        pr.heading("Overview", level=2),
        pr.grid(
            pr.card(pr.stat("Revenue", facts["revenue"], delta="+8.1% vs. last month", trend="up"), id="tile-revenue"),
            pr.card(pr.stat("Orders", facts["orders"], delta="+312", trend="up"), id="tile-orders"),
            pr.card(pr.stat("Average order", facts["average"], delta="-0.4%", trend="down"), id="tile-average"),
            pr.card(pr.stat("Visitors now", Traffic.now, help="live, every second"), id="tile-visitors"),
            columns=[1, 2, None, 4],
            width="100%",
        ),
        pr.grid(
            pr.card(
                pr.area_chart(
                    Traffic.points,
                    x="t",
                    y=pr.Series(key="visitors", label="Visitors"),
                    height=240,
                    id="live-chart",
                    title="Visitors per second",
                ),
                title="Live traffic",
                grid_column={"base": "auto", "lg": "span 2"},
            ),
            pr.card(
                pr.pie_chart(
                    facts["statuses"], label="status", value="orders", donut=True, height=240, id="status-chart"
                ),
                title="Orders by status",
            ),
            pr.card(
                pr.bar_chart(
                    facts["months"],
                    x="month",
                    y=pr.Series(key="revenue", label="Revenue"),
                    height=240,
                    format="currency:EUR",
                    id="revenue-chart",
                ),
                title="Revenue by month",
                grid_column={"base": "auto", "lg": "span 2"},
            ),
            pr.card(
                pr.tabs(
                    ("Preview", pr.markdown(Notes.text, id="notes")),
                    (
                        "Edit",
                        pr.textarea(
                            value=Notes.text, on_change=Notes.set_text, rows=10, id="notes-editor", width="100%"
                        ),
                    ),
                ),
                title="Notes",
            ),
            columns=[1, None, None, 3],
            width="100%",
        ),
        pr.card(pr.data_table(Orders, height="24rem", caption="Latest orders", id="orders"), title="Orders"),
        active="/",
    )


def orders_page() -> pr.Component:
    return shell(
        pr.hstack(
            pr.heading("Orders", level=2),
            pr.spacer(),
            pr.drawer(
                pr.text("Show the orders of one day:"),
                date_picker(on_select=Orders.pick_day, month="2026-03-01", min=START.isoformat(), id="day-picker"),
                pr.button("All days", on_click=Orders.pick_day(None), variant="outline", id="all-days"),
                trigger=pr.button("Pick a day", variant="outline", id="open-days"),
                title="Filter by day",
            ),
            width="100%",
        ),
        pr.data_table(Orders, selectable=True, height="calc(100vh - 14rem)", caption="Orders", id="orders-full"),
        pr.text(Orders.selected_count, " selected", id="selected-count", color="var(--pr-muted)"),
        active="/orders",
    )


ui = pr.PyApp(
    pages={
        "/": pr.page(overview_page, title="Overview", description="Sales at a glance", on_load=Traffic.stream),
        "/orders": pr.page(orders_page, title="Orders"),
    },
    config=pr.Config(title="Acme admin", theme=pr.Theme(accent="#0f766e")),
)

app = FastAPI(lifespan=ui.lifespan)
app.mount("/tools/ui", ui)
