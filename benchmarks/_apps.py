"""The applications the benchmarks run: uvicorn factories for server processes, and a generated 100-page app."""

from __future__ import annotations

import functools
import os
import types
from pathlib import Path
from typing import Any

import msgspec
import socketio

import pyreact_asgi as pr
from benchmarks._common import BUILD_DIR_ENV
from examples.counter import index
from pyreact_asgi._types import ASGIApp
from pyreact_asgi.build.compiler import PageFn

EVENT_PATH = "/_event"
# The reply of the bare server: the same shape and about the same size as the engine's update.
_ECHO = {"delta": {"counter": {"count": 1}}, "done": True}


def counter_pages() -> dict[str, PageFn]:
    return {"/": index}


def counter_app() -> pr.PyApp:
    """The README's counter (examples/counter.py), served alone, built into ``$PYREACT_BENCH_BUILD_DIR``."""
    config = pr.Config(title="Counter", build_dir=Path(os.environ[BUILD_DIR_ENV]))
    return pr.PyApp(pages=counter_pages(), config=config)


def dashboard_pages() -> dict[str, PageFn | pr.Page]:
    """examples/dashboard.py's pages."""
    from examples import dashboard

    return dict(dashboard.ui.pages)


def dashboard_app() -> pr.PyApp:
    """examples/dashboard.py's app, served alone, built into ``$PYREACT_BENCH_BUILD_DIR``."""
    from examples import dashboard

    config = msgspec.structs.replace(dashboard.ui.config, build_dir=Path(os.environ[BUILD_DIR_ENV]))
    return pr.PyApp(pages=dashboard.ui.pages, config=config)


def bare_socketio_app() -> ASGIApp:
    """The round-trip baseline: python-socketio with its defaults, websocket only, echoing a small dict."""
    sio = socketio.AsyncServer(async_mode="asgi", transports=["websocket"])

    @sio.on("connect")
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        # Like the engine, send a state on connect, so that one client works with both servers.
        await sio.emit("state", {"counter": {"count": 0, "name": ""}}, to=sid)

    @sio.on("event")
    async def event(sid: str, data: dict[str, Any]) -> None:
        await sio.emit("update", {"id": data["id"], **_ECHO}, to=sid)

    return socketio.ASGIApp(sio, socketio_path=EVENT_PATH.strip("/"))


WIDE_SUBSTATES = 20
WIDE_VARS = 50
WIDE_HANDLER = "wide.s07.increment"


def wide_app() -> pr.PyApp:
    """20 substates of one root state, 50 vars each (ints, strings, a list); one page shows a var of each."""
    root = type("Wide", (pr.State,), {"__module__": __name__, "__annotations__": {"title": "str"}, "title": "wide"})
    states = [_wide_substate(i, root) for i in range(WIDE_SUBSTATES)]

    def index() -> pr.Component:
        return pr.vstack(pr.heading(root.title), *(pr.text(state.v0, " ", state.v1) for state in states))

    config = pr.Config(title="Wide", build_dir=Path(os.environ[BUILD_DIR_ENV]))
    return pr.PyApp(pages={"/": index}, config=config)


def _wide_substate(i: int, parent: type[pr.State]) -> type[pr.State]:
    def increment(self: Any, by: int = 1) -> None:
        self.v0 += by

    annotations: dict[str, str] = {}
    namespace: dict[str, Any] = {"__module__": __name__, "__annotations__": annotations}
    for j in range(WIDE_VARS):
        kind = ("int", "str", "list[str]")[j % 3]
        annotations[f"v{j}"] = kind
        namespace[f"v{j}"] = {"int": j, "str": f"value {j}", "list[str]": ["a", "b", "c"]}[kind]
    namespace["increment"] = pr.event(increment)
    cls = types.new_class(
        f"S{i:02d}", (pr.State,), {"parent": parent, "name": f"s{i:02d}"}, lambda ns: ns.update(namespace)
    )
    return cls


LIST_ITEMS = 1000
LIST_HANDLER = "big_list.touch"


def list_app() -> pr.PyApp:
    """A state with a list of 1,000 strings (and a counter), whose event changes one item in place."""

    def touch(self: Any, by: int = 1) -> None:
        self.n += by
        self.items[self.n % LIST_ITEMS] = f"event {self.n}"

    namespace = {
        "__module__": __name__,
        "__annotations__": {"n": "int", "items": "list[str]"},
        "n": 0,
        "items": [f"item {i}" for i in range(LIST_ITEMS)],
        "touch": pr.event(touch),
    }
    state: Any = types.new_class("BigList", (pr.State,), {}, lambda ns: ns.update(namespace))

    def index() -> pr.Component:
        return pr.vstack(pr.heading(state.n), pr.foreach(state.items, lambda item: pr.text(item)))

    config = pr.Config(title="List", build_dir=Path(os.environ[BUILD_DIR_ENV]))
    return pr.PyApp(pages={"/": index}, config=config)


def generated_pages(count: int = 100) -> dict[str, PageFn]:
    """Returns ``count`` pages, each with its own State (3 vars, 2 handlers, a generated setter) and 14 components.

    Every call makes new State classes, so nothing cached on a class by an earlier build is reused.
    """
    pages: dict[str, PageFn] = {}
    for i in range(count):
        pages["/" if i == 0 else f"/page-{i}"] = _page(i, _state(i))
    return pages


def _state(i: int) -> type[pr.State]:
    def increment(self: Any, by: int = 1) -> None:
        self.count += by

    def reset(self: Any) -> None:
        self.count = 0
        self.label = ""

    namespace = {
        "__module__": __name__,
        "__annotations__": {"count": "int", "label": "str", "tags": "list[str]"},
        "count": 0,
        "label": pr.field("", setter=True),
        "tags": ["alpha", "beta"],
        "increment": pr.event(increment),
        "reset": pr.event(reset),
    }
    return type(f"Page{i}State", (pr.State,), namespace)


def _page(i: int, state: Any) -> PageFn:
    def page() -> pr.Component:
        return pr.vstack(
            pr.heading(f"Page {i}", id="title"),
            pr.text("Count: ", state.count, id="count"),
            pr.hstack(
                pr.button("+1", on_click=state.increment),
                pr.button("+5", on_click=state.increment(5)),
                pr.button("Reset", on_click=state.reset, background="#6b7280"),
            ),
            pr.input(value=state.label, on_change=state.set_label, placeholder="Label"),
            pr.text("Hello, ", state.label),
            pr.box(*(pr.text(f"Row {j} of page {i}") for j in range(5)), padding="1rem"),
            max_width="40rem",
        )

    page.__qualname__ = f"page_{i}"
    return page


def kit_pages(count: int = 100) -> dict[str, PageFn]:
    """Returns ``count`` pages that together use the whole component set, each with its own State.

    Every call makes new State classes, so nothing cached on a class by an earlier build is reused.
    """
    return {"/" if i == 0 else f"/kit-{i}": _kit_page(i, _kit_state(i)) for i in range(count)}


def _kit_state(i: int) -> type[pr.State]:
    def save(self: Any, form: dict[str, str]) -> None:
        self.saved = form

    def pick(self: Any, value: str) -> None:
        self.choice = value

    namespace = {
        "__module__": __name__,
        "__annotations__": {
            "rows": "list[dict[str, str]]", "saved": "dict[str, str]", "choice": "str", "level": "int", "on": "bool"
        },
        "rows": [{"name": "Ada", "role": "Analyst"}, {"name": "Grace", "role": "Admiral"}],
        "saved": {},
        "choice": "",
        "level": 40,
        "on": False,
        "save": pr.event(save),
        "pick": pr.event(pick),
    }  # fmt: skip
    return type(f"Kit{i}State", (pr.State,), namespace)


def _kit_page(i: int, state: Any) -> PageFn:
    def page() -> pr.Component:
        return pr.container(
            pr.flex(pr.heading(f"Kit {i}", level=2), pr.spacer(), pr.color_mode_toggle(), pr.avatar(name="Ada L")),
            pr.callout("Every component", title="Kit", status="info"),
            pr.grid(
                pr.form(
                    pr.input(name="email", placeholder="E-mail"),
                    pr.textarea(name="bio"),
                    pr.select(["a", "b"], name="role"),
                    pr.radio_group(["s", "l"], name="size"),
                    pr.checkbox("Yes", name="yes"),
                    pr.switch("On", name="on", checked=state.on),
                    pr.slider(name="level", value=state.level),
                    pr.number_input(name="count"),
                    pr.date_input(name="day"),
                    pr.button("Save", type="submit"),
                    on_submit=state.save,
                ),
                pr.vstack(
                    pr.badge("New"),
                    pr.icon("check", label="ok"),
                    pr.spinner(),
                    pr.progress(state.level),
                    pr.code("x = 1"),
                    pr.markdown("Some **bold** text and a [link](/docs)."),
                    pr.link("Next", href=f"/kit-{i + 1}"),
                    pr.text(f"Picked {state.choice} at level {state.level * 2}"),
                    pr.cond(state.on, pr.text("on"), pr.text("off")),
                    pr.center(pr.divider()),
                ),
                columns=2,
            ),
            pr.tabs(("One", pr.text("1")), ("Two", pr.text("2")), on_change=state.pick),
            pr.accordion(("Q", pr.text("A")), ("Q2", pr.text("A2"))),
            pr.table(state.rows, columns=[("name", "Name"), ("role", "Role")]),
            pr.hstack(
                pr.dialog(pr.text("Hi"), trigger=pr.button("Open"), title="Dialog"),
                pr.dropdown_menu(pr.button("Menu"), pr.menu_item("A", on_click=state.pick("a"))),
                pr.popover(pr.button("More"), pr.text("Body")),
                pr.tooltip(pr.button("Tip"), content="Tooltip"),
                pr.foreach(state.rows, lambda row: pr.badge(row["name"])),
                _hover={"opacity": "0.9"},
                gap=["0.5rem", "1rem"],
            ),
        )

    page.__qualname__ = f"kit_page_{i}"
    return page


def write_module_app(directory: Path, name: str = "pages100", count: int = 100) -> str:
    """Writes a module of ``count`` pages like `generated_pages`, but as source code (module-level functions and
    State classes, as an app's are), so that a restart can find its build current from the code; returns its
    module name, importable with ``directory`` on ``sys.path``."""
    lines = ["from __future__ import annotations", "", "import pyreact_asgi as pr", "", ""]
    for i in range(count):
        lines += [
            f"class Page{i}State(pr.State):",
            "    count: int = 0",
            '    label: str = pr.field("", setter=True)',
            '    tags: list[str] = ["alpha", "beta"]',
            "",
            "    @pr.event",
            "    def increment(self, by: int = 1) -> None:",
            "        self.count += by",
            "",
            "    @pr.event",
            "    def reset(self) -> None:",
            "        self.count = 0",
            '        self.label = ""',
            "",
            "",
            f"def page_{i}() -> pr.Component:",
            f"    state = Page{i}State",
            "    return pr.vstack(",
            f'        pr.heading("Page {i}", id="title"),',
            '        pr.text("Count: ", state.count, id="count"),',
            "        pr.hstack(",
            '            pr.button("+1", on_click=state.increment),',
            '            pr.button("+5", on_click=state.increment(5)),',
            '            pr.button("Reset", on_click=state.reset, background="#6b7280"),',
            "        ),",
            '        pr.input(value=state.label, on_change=state.set_label, placeholder="Label"),',
            '        pr.text("Hello, ", state.label),',
            f'        pr.box(*(pr.text(f"Row {{j}} of page {i}") for j in range(5)), padding="1rem"),',
            '        max_width="40rem",',
            "    )",
            "",
            "",
        ]
    routes = ", ".join(f'"{"/" if i == 0 else f"/page-{i}"}": page_{i}' for i in range(count))
    lines.append(f"PAGES = {{{routes}}}")
    (directory / f"{name}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return name


class BenchOrders(pr.DataTable):
    """100 000 rows in memory, paged on the server (bench_table)."""

    columns = (
        pr.Column(key="id", type="number"),
        pr.Column(key="customer"),
        pr.Column(key="city"),
        pr.Column(key="total", type="number"),
    )
    page_sizes = (25, 100)

    def data(self) -> pr.TableData:
        return _bench_orders()


@functools.cache
def _bench_orders() -> pr.TableData:
    cities = ("Oslo", "Lima", "Pune", "Kyiv", "Perth")
    return pr.TableData(
        {"id": i, "customer": f"Customer {i:06d}", "city": cities[i % 5], "total": (i * 7919) % 100_000 / 100}
        for i in range(1, 100_001)
    )


def table_app() -> pr.PyApp:
    """The counter and a 100 000-row server-side table in one app, built into ``$PYREACT_BENCH_BUILD_DIR``."""
    config = pr.Config(title="Table", build_dir=Path(os.environ[BUILD_DIR_ENV]))
    return pr.PyApp(pages={"/": index, "/table": lambda: pr.data_table(BenchOrders)}, config=config)
