"""Charts, streamed and hostile markdown, and lazy loading, in a real browser at a deep mount path."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.apps import starlette_host
from tests.e2e.browsing import NewTab
from tests.e2e.dashboard_app import make_dashboard
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MOUNT = "/a/b/c"
KINDS = ("line", "area", "bar", "pie", "donut", "scatter")


@pytest.fixture(scope="module")
def server(shared_build_dir: Path) -> Iterator[LiveServer]:
    # The component package of this repository (packages/daypicker), when the test setup installed it.
    with_packages = importlib.util.find_spec("pyreact_daypicker") is not None
    with serve(starlette_host(make_dashboard(shared_build_dir, with_packages=with_packages), MOUNT)) as live:
        yield live


def _scripts(page: Page) -> list[str]:
    return [url for url in page.evaluate("performance.getEntriesByType('resource').map(e => e.name)") if ".js" in url]


def test_every_chart_kind_updates_in_place_when_its_var_changes(new_tab: NewTab, server: LiveServer) -> None:
    page = new_tab().page
    page.goto(f"{server.url}{MOUNT}/")
    for kind in KINDS:
        expect(page.locator(f"#{kind}")).to_have_attribute("data-kind", kind)
        expect(page.locator(f"#{kind} canvas")).to_be_visible()
    # Line, area and bar charts: one point per row and series; pies one slice per row; scatter one per row.
    counts = {"line": 2, "area": 1, "bar": 1, "pie": 1, "donut": 1, "scatter": 1}
    expect(page.locator("#line")).to_have_attribute("data-points", "4")
    instances = {kind: page.locator(f"#{kind}").get_attribute("data-chart") for kind in KINDS}
    assert all(instance not in (None, "0") for instance in instances.values())
    for clicks in (1, 2):
        page.locator("#add").click()
        for kind in KINDS:
            expect(page.locator(f"#{kind}")).to_have_attribute("data-points", str(counts[kind] * (2 + clicks)))
    # The same Chart.js instances drew the new points: nothing was torn down and drawn from scratch.
    assert {kind: page.locator(f"#{kind}").get_attribute("data-chart") for kind in KINDS} == instances


def test_charts_follow_dark_mode(new_tab: NewTab, server: LiveServer) -> None:
    page = new_tab().page
    page.emulate_media(color_scheme="light")
    page.goto(f"{server.url}{MOUNT}/")
    light = page.locator("#line").get_attribute("data-fg")
    page.get_by_role("button", name="Switch to dark mode").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#line")).not_to_have_attribute("data-fg", light or "")
    dark = page.locator("#line").get_attribute("data-fg")
    assert dark == page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--pr-fg').trim()")


def test_markdown_renders_as_it_streams_in_with_highlighted_code(new_tab: NewTab, server: LiveServer) -> None:
    page = new_tab().page
    page.goto(f"{server.url}{MOUNT}/md")
    page.locator("#ask").click()
    reply = page.locator("#reply")
    expect(reply.locator("h1")).to_have_text("Answer")
    expect(reply.locator("strong")).to_have_text("bold")
    expect(reply.locator("li")).to_have_text(["one", "two"])
    expect(reply.locator("pre code.language-python .hljs-keyword").first).to_have_text("def")
    expect(reply.locator("p").last).to_have_text("Done.")
    expect(page.locator("#sql .hljs-keyword").first).to_have_text("SELECT")
    tricky = page.locator("#tricky")
    expect(tricky.locator("p").first).to_have_text("Call my_var_name with 2 * 3 * 4.")
    assert tricky.locator("em, strong").count() == 0
    expect(tricky.locator("ul > li")).to_have_text(["a bullet", "another"])
    expect(tricky.locator("ol > li")).to_have_text(["then numbered", "items"])


def test_hostile_markdown_is_inert(new_tab: NewTab, server: LiveServer) -> None:
    page = new_tab().page
    page.goto(f"{server.url}{MOUNT}/md")
    hostile = page.locator("#hostile")
    expect(hostile.get_by_role("link", name="ok")).to_have_attribute("href", "https://example.com/a")
    expect(hostile.get_by_role("link", name="ok")).to_have_attribute("rel", "noopener noreferrer nofollow")
    expect(hostile.get_by_role("link", name="rel")).to_have_attribute("href", "/docs")
    # Raw HTML is shown as text; no element of it exists.
    expect(hostile).to_contain_text("<script>window.__pwned = 1</script>")
    expect(hostile).to_contain_text('<img src="x" onerror="window.__pwned=3">')
    assert hostile.locator("script, img[onerror], iframe").count() == 0
    # javascript: and data: URLs never become links or images.
    assert hostile.locator("a").count() == 2
    assert hostile.locator("img").count() == 0
    expect(hostile).to_contain_text("[click](javascript:window.__pwned=2)")
    assert page.evaluate("window.__pwned") is None


def test_a_page_without_charts_downloads_no_chart_or_markdown_code(new_tab: NewTab, server: LiveServer) -> None:
    tab = new_tab()
    page = tab.page
    page.goto(f"{server.url}{MOUNT}/plain")
    expect(page.locator("#plain")).to_have_text("Plain")
    page.wait_for_load_state("networkidle")
    plain = _scripts(page)
    assert plain, "the page loaded its modules"
    assert not [url for url in plain if re.search(r"/(charts|markdown)\.\w+\.js$", url)]
    # Navigating to the chart page in the same tab loads the chart module, then, and only it.
    page.goto(f"{server.url}{MOUNT}/")
    expect(page.locator("#line canvas")).to_be_visible()
    loaded = _scripts(page)
    assert [url for url in loaded if re.search(r"/charts\.\w+\.js$", url)]
    assert not [url for url in loaded if re.search(r"/markdown\.\w+\.js$", url)]
    assert all(url.startswith(f"{server.url}{MOUNT}/_static/") for url in loaded)


def test_a_component_package_from_npm_shares_the_apps_react(new_tab: NewTab, server: LiveServer) -> None:
    pytest.importorskip("pyreact_daypicker")
    page = new_tab().page
    page.goto(f"{server.url}{MOUNT}/date")
    expect(page.locator("#picked")).to_have_text("Picked: 2026-03-10")
    picker = page.locator("#picker")
    expect(picker.get_by_role("grid")).to_be_visible()
    expect(picker.get_by_role("button", name=re.compile(r"March 1st, 2026"))).to_be_disabled()  # before min
    picker.get_by_role("button", name=re.compile(r"March 20th, 2026")).click()
    expect(page.locator("#picked")).to_have_text("Picked: 2026-03-20")
    expect(picker).to_have_attribute("data-selected", "2026-03-20")
    loaded = _scripts(page)
    # The package's module, and React through the import map's facade: one React, or its hooks would throw.
    assert [url for url in loaded if re.search(r"/pkg-daypicker\.\w+\.js$", url)]
    assert [url for url in loaded if re.search(r"/react\.\w+\.js$", url)]
    assert all(url.startswith(f"{server.url}{MOUNT}/_static/") for url in loaded)


def test_shell_cards_stats_drawer_and_alert_dialog(new_tab: NewTab, server: LiveServer) -> None:
    page = new_tab().page
    page.goto(f"{server.url}{MOUNT}/shell")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Charts")).to_have_attribute("href", f"{MOUNT}/")
    expect(page.locator("#sales .pr-stat-value")).to_have_text("€12,340")
    expect(page.locator("#sales .pr-stat-delta")).to_have_attribute("data-trend", "up")
    expect(page.locator("#refunds .pr-card-footer")).to_have_text("Last 7 days")
    expect(page.locator("#loading [role=status] .pr-skeleton")).to_have_count(3)
    # The drawer is a modal dialog at the right edge of the window.
    page.locator("#open-drawer").click()
    drawer = page.get_by_role("dialog", name="Filters")
    expect(drawer).to_be_visible()
    box = drawer.bounding_box()
    assert box is not None
    assert abs(box["x"] + box["width"] - page.viewport_size["width"]) < 2  # type: ignore[index]
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    # The alert dialog: Cancel closes it and does nothing; the confirm button runs its event and closes it.
    page.locator("#open-alert").click()
    alert = page.get_by_role("alertdialog", name="Delete order?")
    alert.get_by_role("button", name="Cancel").click()
    expect(alert).to_be_hidden()
    expect(page.locator("#deleted")).to_have_text("Deleted: 0")
    page.locator("#open-alert").click()
    page.locator("#confirm").click()
    expect(page.locator("#deleted")).to_have_text("Deleted: 1")
    expect(page.get_by_role("alertdialog")).to_be_hidden()
