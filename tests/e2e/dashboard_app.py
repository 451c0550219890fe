"""An app with every chart kind, streamed markdown and hostile markdown, for tests/e2e/test_dashboard.py."""

from __future__ import annotations

from pathlib import Path

import pyreact_asgi as pr

REPLY = [
    "# Answer\n\nHere is ",
    "some **bold** text and a list:\n\n- one\n- two\n\n",
    "```python\ndef f(x):\n    return x * 2\n",
    "```\n\nDone.",
]
HOSTILE = """<script>window.__pwned = 1</script>

[click](javascript:window.__pwned=2) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)

<img src="x" onerror="window.__pwned=3">

![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+) [ok](https://example.com/a) [rel](/docs)
"""


# What the hand-written parser this replaced got wrong: intraword underscores, spaced asterisks, mixed lists.
TRICKY = """Call my_var_name with 2 * 3 * 4.

- a bullet
- another

1. then numbered
2. items
"""


class Live(pr.State):
    points: list[dict[str, float]] = [{"t": 0, "a": 1, "b": 2}, {"t": 1, "a": 3, "b": 1}]  # noqa: RUF012
    reply: str = ""
    hostile: str = HOSTILE

    @pr.event
    def add(self) -> None:
        t = len(self.points)
        self.points = [*self.points, {"t": t, "a": (t * 7) % 5 + 1, "b": (t * 3) % 4 + 1}]

    @pr.event(background=True)
    async def stream(self) -> None:
        for chunk in REPLY:
            async with self:  # each block's change reaches the browser as a delta of its own
                self.reply += chunk


def charts_page() -> pr.Component:
    return pr.vstack(
        pr.button("Add", id="add", on_click=Live.add),
        pr.color_mode_toggle(),
        pr.line_chart(Live.points, x="t", y=["a", "b"], id="line", format="compact"),
        pr.area_chart(Live.points, x="t", y="a", id="area", stacked=True),
        pr.bar_chart(Live.points, x="t", y=pr.Series(key="a", label="A", color="#ef4444"), id="bar"),
        pr.pie_chart(Live.points, label="t", value="a", id="pie"),
        pr.pie_chart(Live.points, label="t", value="b", donut=True, id="donut"),
        pr.scatter_chart(Live.points, x="a", y="b", id="scatter"),
        width="100%",
    )


def markdown_page() -> pr.Component:
    return pr.vstack(
        pr.button("Ask", id="ask", on_click=Live.stream),
        pr.markdown(Live.reply, id="reply"),
        pr.markdown(Live.hostile, id="hostile"),
        pr.code_block("SELECT 1 FROM t WHERE a = 'x'", language="sql", id="sql"),
        pr.markdown(TRICKY, id="tricky"),
    )


class Admin(pr.State):
    deleted: int = 0

    @pr.event
    def delete(self) -> None:
        self.deleted += 1


def shell_page() -> pr.Component:
    return pr.page_shell(
        pr.grid(
            pr.card(pr.stat("Revenue", "€12,340", delta="+12%", trend="up"), title="Sales", id="sales"),
            pr.card(pr.stat("Refunds", "7", delta="-2", trend="down"), footer="Last 7 days", id="refunds"),
            pr.card(pr.skeleton(lines=3), title="Loading", id="loading"),
            columns=3,
        ),
        pr.drawer(
            pr.text("Filters go here", id="drawer-body"),
            trigger=pr.button("Filters", id="open-drawer"),
            title="Filters",
            side="right",
        ),
        pr.alert_dialog(
            "The order is deleted for good.",
            title="Delete order?",
            trigger=pr.button("Delete", id="open-alert", variant="danger"),
            confirm=pr.button("Delete", id="confirm", variant="danger", on_click=Admin.delete),
        ),
        pr.text("Deleted: ", Admin.deleted, id="deleted"),
        brand="Acme admin",
        nav=[pr.nav_link("Overview", href="/shell", icon_name="menu", active=True), pr.nav_link("Charts", href="/")],
        header=[pr.spacer(), pr.color_mode_toggle()],
    )


def plain_page() -> pr.Component:
    return pr.vstack(pr.heading("Plain", id="plain"), pr.text(Live.reply))


class Booking(pr.State):
    day: str = "2026-03-10"

    @pr.event
    def pick(self, day: str | None) -> None:
        self.day = day or ""


def date_page() -> pr.Component:
    from pyreact_daypicker import date_picker

    return pr.vstack(
        date_picker(selected=Booking.day, on_select=Booking.pick, min="2026-03-02", id="picker"),
        pr.text("Picked: ", Booking.day, id="picked"),
    )


def make_dashboard(build_dir: Path, *, with_packages: bool = False) -> pr.PyApp:
    extra = {"/date": date_page} if with_packages else {}
    return pr.PyApp(
        pages={"/": charts_page, "/md": markdown_page, "/plain": plain_page, "/shell": shell_page, **extra},
        config=pr.Config(build_dir=build_dir / "dashboard", title="Dashboard"),
    )
