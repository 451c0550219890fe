"""The demo counter in a real chromium, mounted at every depth of every host a user would mount it in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect, sync_playwright

from tests.e2e.apps import HOSTS, make_ui
from tests.e2e.engine_app import make_engine_ui
from tests.servers import nginx_proxy, require_tool, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread while it is
# open, and pytest-asyncio cannot start its own loop in the modules that run after this one.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_tool(CHROMIUM, "chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A browser tab that records what a user would see go wrong: console errors and failed requests."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def open(self, url: str) -> None:
        self.page.goto(url)
        expect(self.page.locator("#count")).to_be_visible()

    def click(self, button: str) -> None:
        self.page.locator(f"#{button}").click()

    def expect_count(self, count: int) -> None:
        expect(self.page.locator("#count")).to_have_text(str(count))


NewTab = Callable[[], Tab]


@pytest.fixture
def new_tab(browser: Browser) -> Iterator[NewTab]:
    """Opens tabs in one browser window (one context): each tab has its own sessionStorage, as in a real browser.

    Fails the test if any tab saw a console error, a page error or a failed request.
    """
    context = browser.new_context()
    opened: list[Tab] = []

    def open_tab() -> Tab:
        opened.append(Tab(context.new_page()))
        return opened[-1]

    yield open_tab
    problems = [problem for tab in opened for problem in tab.problems]
    context.close()
    assert not problems


def use_counter(new_tab: NewTab, url: str) -> Tab:
    """What a user does with the counter, and what they must see. Returns the first tab."""
    first = new_tab()
    first.open(url)
    first.expect_count(0)
    first.click("increment")
    first.expect_count(1)
    first.click("increment-10")
    first.expect_count(11)

    # Typing into the input updates the text bound to the same var, letter by letter.
    first.page.locator("#name").press_sequentially("Ada")
    expect(first.page.locator("#greeting")).to_have_text("Hello, Ada")
    expect(first.page.locator("#name")).to_have_value("Ada")

    # A second tab has its own state.
    second = new_tab()
    second.open(url)
    second.expect_count(0)
    second.click("increment")
    second.expect_count(1)
    first.expect_count(11)

    # Reloading a tab keeps its state.
    first.page.reload()
    first.expect_count(11)
    expect(first.page.locator("#name")).to_have_value("Ada")
    first.click("increment")
    first.expect_count(12)
    second.expect_count(1)
    return first


@pytest.mark.parametrize("mount", ["", "/admin", "/a/b/c"], ids=["root", "admin", "nested"])
@pytest.mark.parametrize("host", sorted(HOSTS))
def test_counter_works_at_every_mount(new_tab: NewTab, shared_build_dir: Path, host: str, mount: str) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS[host](ui, mount)) as server:
        tab = use_counter(new_tab, f"{server.url}{mount}/")
        assert tab.page.locator('meta[name="pyreact-mount"]').get_attribute("content") == mount


def test_counter_works_served_alone(new_tab: NewTab, shared_build_dir: Path) -> None:
    with serve(make_ui(shared_build_dir)) as server:
        use_counter(new_tab, f"{server.url}/")


def test_counter_works_behind_proxy_with_root_path(new_tab: NewTab, shared_build_dir: Path, tmp_path: Path) -> None:
    # `uvicorn --root-path /proxy` behind a real nginx that strips /proxy before forwarding.
    with (
        serve(make_ui(shared_build_dir), root_path="/proxy") as server,
        nginx_proxy("/proxy", server, tmp_path) as proxy,
    ):
        tab = use_counter(new_tab, f"{proxy.url}/proxy/")
        assert tab.page.locator('meta[name="pyreact-mount"]').get_attribute("content") == "/proxy"


def test_served_alone_without_lifespan_starts_on_first_request(new_tab: NewTab, shared_build_dir: Path) -> None:
    # Hosts that never forward lifespan to a mounted app: the first request builds and starts it.
    with serve(make_ui(shared_build_dir), lifespan="off") as server:
        use_counter(new_tab, f"{server.url}/")


def test_deep_link_to_second_page_works(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["starlette"](ui, "/a/b/c")) as server:
        tab = new_tab()
        tab.page.goto(f"{server.url}/a/b/c/flaky?year=2026")
        expect(tab.page.locator("#flaky-value")).to_have_text("0")
        # The browser tells the server which page it shows; handlers read it as self.router.page.
        tab.page.locator("#look").click()
        expect(tab.page.locator("#visitor-page")).to_have_text("/flaky")


def test_streamed_reply_grows_in_the_page(new_tab: NewTab, shared_build_dir: Path) -> None:
    # A handler that yields after every word, as one that streams an LLM's tokens: each word shows up while
    # the handler still runs. Each word after the first waits for a click in a second tab, so the test
    # sees every step without sleeping.
    with serve(HOSTS["starlette"](make_engine_ui(shared_build_dir), "/admin")) as server:
        url = f"{server.url}/admin/"
        asker, releaser = new_tab(), new_tab()
        for tab in (asker, releaser):
            tab.page.goto(url)
            expect(tab.page.locator("#remaining")).to_have_text("0")
        asker.click("ask")
        reply, words = asker.page.locator("#reply"), asker.page.locator("#words")
        expect(reply).to_have_text("streamed")
        expect(words).to_have_text("1")
        for expected in ["streamed words", "streamed words reach", "streamed words reach the"]:
            releaser.click("next-word")
            expect(reply).to_have_text(expected)
            expect(words).to_have_text(str(len(expected.split())))
        expect(asker.page.locator("#activity")).to_have_text("")
        releaser.click("next-word")
        expect(reply).to_have_text("streamed words reach the page")
        # The event the handler yielded last ran on the server once the reply was complete.
        expect(asker.page.locator("#activity")).to_have_text("answered 'streamed words reach the page'")
        # The computed var counts tasks added in place; the other tab has its own state.
        asker.click("add")
        expect(asker.page.locator("#remaining")).to_have_text("1")
        expect(releaser.page.locator("#remaining")).to_have_text("0")
