"""A real chromium driven by Playwright, and tabs that record what a user would see go wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect, sync_playwright

from tests.servers import require_tool

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
