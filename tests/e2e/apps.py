"""Host applications for end-to-end tests: the demo counter mounted every way a user would mount it."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import cast

import anyio
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

import pyreact_asgi as pr
from examples.counter import Counter, index
from pyreact_asgi._types import ASGIApp


class Flaky(pr.State):
    """A state whose handler changes a var and then fails, to show the change is undone."""

    value: int = 0

    @pr.event
    def set_then_fail(self, value: int) -> None:
        self.value = value
        raise RuntimeError("boom")


class Gate(pr.State):
    """A handler that waits until another client opens the gate: shows one slow client blocks no other."""

    passed: int = 0

    @pr.event
    async def wait(self) -> None:
        await _gate().wait()
        self.passed += 1

    @pr.event
    async def open(self) -> None:  # async: it touches the event loop, which sync handlers (in a thread) must not
        _gate().set()


class Visitor(pr.State):
    """Copies what a handler can read about its client into vars a test can see."""

    page: str = ""
    year: str = ""
    agent: str = ""
    cookie: str = ""
    address: str = ""
    mount: str = ""
    user: str = ""

    @pr.event
    def look(self) -> None:
        router = self.router
        self.page = router.page
        self.year = router.query.get("year", "")
        self.agent = router.headers.get("user-agent", "")
        self.cookie = router.cookies.get("flavour", "")
        self.address = router.client.host if router.client else ""
        self.mount = router.mount
        self.user = (router.get("session") or {}).get("user", "")


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class Files(pr.State):
    """Records what an upload handler received: name, size and SHA-256 of each file, and that it was on disk."""

    received: list[str] = []  # noqa: RUF012 - a var's default, copied for each client
    summary: str = ""
    _paths: list[str] = []  # noqa: RUF012

    @pr.event
    async def receive(self, files: list[pr.UploadedFile]) -> None:
        lines = []
        for file in files:
            digest = await anyio.to_thread.run_sync(_sha256, file.path)
            lines.append(f"{file.filename} {file.size} {digest}")
        self.received = lines
        self.summary = ", ".join(f"{f.filename} ({f.size} bytes)" for f in files)
        self._paths = [str(f.path) for f in files]

    @pr.event
    async def receive_then_fail(self, files: list[pr.UploadedFile]) -> None:
        self.summary = "half done"
        raise RuntimeError("upload handler failed")


class Actions(pr.State):
    """Handlers that make the browser do things: redirect, toast, focus, set a value, scroll, run a script."""

    width: int = 0
    note: str = pr.field("", setter=True)
    opened: str = ""
    loads: int = 0

    @pr.event
    def loaded(self) -> None:
        self.loads += 1
        self.opened = f"{self.router.page}?tab={self.router.query.get('tab', '')}"

    @pr.event
    def go_home(self) -> pr.Action:
        return pr.redirect("/?from=actions")

    @pr.event
    def saved(self) -> list[pr.Action]:
        return [pr.toast("Saved", level="success"), pr.set_focus("note")]

    @pr.event
    def fill(self) -> pr.Action:
        return pr.set_value("note", "filled by the server")

    @pr.event
    def measure(self) -> pr.Action:
        return pr.call_script("return window.innerWidth", callback=Actions.got_width)

    @pr.event
    def got_width(self, width: int) -> None:
        self.width = width

    @pr.event
    def export(self) -> pr.Action:
        return pr.download(filename="report.csv", data="a,b\n1,2\n", media_type="text/csv")

    @pr.event
    def to_bottom(self) -> pr.Action:
        return pr.scroll_to("bottom")

    @pr.event
    def fail(self) -> None:
        self.note = "half done"
        raise RuntimeError("secret detail: db password is hunter2")


class Prefs(pr.State):
    """Vars the browser keeps: across tabs (localStorage), per tab (sessionStorage), and in a cookie."""

    theme: str = pr.local_storage("light")
    panel: int = pr.session_storage(1)
    lang: str = pr.cookie("en", max_age=3600)
    cookie_seen: str = ""

    @pr.event
    def dark(self) -> None:
        self.theme = "dark"

    @pr.event
    def next_panel(self) -> None:
        self.panel += 1

    @pr.event
    def french(self) -> None:
        self.lang = "fr"

    @pr.event
    def read_cookie(self) -> None:
        # The cookie is a real one: the browser sends it with every request, the websocket included.
        self.cookie_seen = self.router.cookies.get("prefs.lang", "")


class Post(pr.State):
    """What an on_load handler of a dynamic route reads: the route and the values of its segments."""

    loaded: str = ""

    @pr.event
    def load(self) -> None:
        params = ", ".join(f"{k}={v}" for k, v in sorted(self.router.params.items()))
        self.loaded = f"{self.router.route} {params}"


def post_page() -> pr.Component:
    return pr.vstack(
        pr.heading(pr.route_param("slug"), id="slug"),
        pr.text(pr.route_param("path"), id="doc-path"),
        pr.text(Post.loaded, id="post-loaded"),
    )


Sparkline = pr.react_component(
    "Sparkline",
    path=Path(__file__).parent / "sparkline.jsx",
    props={"points": list[int], "color": str},
    events=["on_pick"],
)


class Stats(pr.State):
    points: list[int] = [3, 9, 4]  # noqa: RUF012
    picked: int = 0

    @pr.event
    def pick(self, value: int) -> None:
        self.picked = value

    @pr.event
    def grow(self) -> None:
        self.points.append(12)


def custom_page() -> pr.Component:
    return pr.vstack(
        Sparkline(points=Stats.points, color="#4f46e5", on_pick=Stats.pick, id="spark"),
        pr.text(Stats.picked, id="picked"),
        pr.button("Grow", on_click=Stats.grow, id="grow"),
    )


def actions_page() -> pr.Component:
    return pr.vstack(
        pr.button("Home", on_click=Actions.go_home, id="go-home"),
        pr.button("Save", on_click=Actions.saved, id="save"),
        pr.button("Fill", on_click=Actions.fill, id="fill"),
        pr.button("Measure", on_click=Actions.measure, id="measure"),
        pr.button("Export", on_click=Actions.export, id="export"),
        pr.button("Bottom", on_click=Actions.to_bottom, id="to-bottom"),
        pr.button("Fail", on_click=Actions.fail, id="fail-action"),
        pr.input(value=Actions.note, on_change=Actions.set_note, id="note"),
        pr.text(Actions.width, id="width"),
        pr.text(Actions.opened, " #", Actions.loads, id="opened"),
        pr.hstack(
            pr.button("Dark", on_click=Prefs.dark, id="dark"),
            pr.button("Next panel", on_click=Prefs.next_panel, id="next-panel"),
            pr.button("French", on_click=Prefs.french, id="french"),
            pr.button("Read cookie", on_click=Prefs.read_cookie, id="read-cookie"),
        ),
        pr.text(Prefs.theme, " ", Prefs.panel, " ", Prefs.lang, id="prefs"),
        pr.text(Prefs.cookie_seen, id="cookie-seen"),
        pr.box(height="3000px"),
        pr.text("The end", id="bottom"),
    )


_gates: dict[int, anyio.Event] = {}


def _gate() -> anyio.Event:
    # One gate per server thread's event loop.
    return _gates.setdefault(threading.get_ident(), anyio.Event())


def flaky_page() -> pr.Component:
    return pr.vstack(
        pr.text(Flaky.value, id="flaky-value"),
        pr.button("Fail", on_click=Flaky.set_then_fail(7), id="fail"),
        pr.text(Gate.passed),
        pr.button("Look", on_click=Visitor.look, id="look"),
        pr.text(Visitor.page, id="visitor-page"),
        pr.link("Actions", href="/actions?tab=3", id="to-actions"),
        pr.upload(on_upload=Files.receive, multiple=True, id="upload"),
        pr.text(Files.summary, id="files"),
    )


def expressions_page() -> pr.Component:
    return pr.vstack(
        pr.button("+1", on_click=Counter.increment, id="plus"),
        pr.text(f"{Counter.count} clicks by {Counter.name.upper()}", id="fstring"),
        pr.text(pr.cond(Counter.count > 2, "many", "few"), id="compare"),
        pr.text(Counter.count * 2 + 1, id="arithmetic"),
        pr.text(pr.match(Counter.count % 3, (0, "fizz"), (1, "one"), default="two"), id="match"),
        pr.text(Counter.name[-2:], id="slice"),
        pr.input(value=Counter.name, on_change=Counter.set_name, id="name"),
        pr.text(cast(pr.Var, Counter.name) | "anonymous", id="default"),
        pr.text(Counter.name[::-1], id="reversed"),
        pr.text(round(Counter.count / 3, 2), id="rounded"),
        pr.text(pr.cond((Counter.count >= 2) & ~cast(pr.Var, Counter.name).contains(" "), "ok", "not ok"), id="logic"),
    )


def not_found_page() -> pr.Component:
    return pr.vstack(pr.heading("Nothing here", id="not-found"), pr.link("Home", href="/", id="home-link"))


def make_ui(build_dir: Path, **config: object) -> pr.PyApp:
    return pr.PyApp(
        pages={
            "/": index,
            "/flaky": flaky_page,
            "/actions": pr.page(actions_page, title="Actions", on_load=Actions.loaded),
            "/post/[slug]": pr.page(post_page, on_load=Post.load),
            "/docs/[...path]": pr.page(post_page, on_load=Post.load),
            "/custom": custom_page,
            "/expressions": expressions_page,
        },
        not_found=pr.page(not_found_page, title="Not found"),
        config=pr.Config(title="Counter", build_dir=build_dir, **config),  # type: ignore[arg-type]
    )


def _home(request: object) -> PlainTextResponse:
    return PlainTextResponse("host home")


def starlette_host(ui: pr.PyApp, mount: str) -> ASGIApp:
    """Mounts ``ui`` at ``mount`` ("" for the root, "/a/b/c" as nested mounts) of a Starlette app."""
    if not mount:
        return Starlette(routes=[Mount("/", ui)], lifespan=ui.lifespan)
    first, *rest = mount.strip("/").split("/")
    inner: Mount = Mount("/" + "/".join(rest), ui) if rest else Mount(f"/{first}", ui)
    route = Mount(f"/{first}", routes=[inner]) if rest else inner
    return Starlette(routes=[Route("/", _home), route], lifespan=ui.lifespan)


def fastapi_host(ui: pr.PyApp, mount: str) -> ASGIApp:
    app = FastAPI(lifespan=ui.lifespan)
    app.mount(mount or "/", ui)
    return app


def two_apps_host(build_dir: Path) -> ASGIApp:
    """One FastAPI host with two separate apps: the counter at /admin and a counter-only app at /support."""
    admin = make_ui(build_dir / "admin")
    support = pr.PyApp({"/": index}, config=pr.Config(title="Support", build_dir=build_dir / "support"))
    app = FastAPI(lifespan=pr.combine_lifespans(admin.lifespan, support.lifespan))
    app.mount("/admin", admin)
    app.mount("/support", support)
    return app


HOSTS: dict[str, Callable[[pr.PyApp, str], ASGIApp]] = {"starlette": starlette_host, "fastapi": fastapi_host}
