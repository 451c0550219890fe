"""The component set in a real browser: forms, overlays, tabs, accordion, table, dark mode, debouncing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.apps import starlette_host
from tests.e2e.browsing import NewTab
from tests.e2e.components_app import make_kit
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture(scope="module")
def kit_server(shared_build_dir: Path) -> Iterator[LiveServer]:
    with serve(starlette_host(make_kit(shared_build_dir), "/kit")) as server:
        yield server


@pytest.fixture
def page(new_tab: NewTab, kit_server: LiveServer) -> Page:
    tab = new_tab()
    tab.page.goto(f"{kit_server.url}/kit/")
    expect(tab.page.locator("#changes")).to_have_text("Changes: 0")
    return tab.page


def test_form_submit_sends_the_fields_as_a_dict(page: Page) -> None:
    page.locator("#email").fill("ada@example.com")
    page.get_by_label("Subscribe").check()
    page.get_by_label("large").check()
    page.locator("#save").click()
    saved = page.locator("#saved code")
    expect(saved).to_have_text(
        [
            "beta=on",
            "bio=",
            "count=3",
            "email=ada@example.com",
            "role=editor",
            "size=large",
            "start=",
            "subscribe=on",
            "volume=30",
        ]
    )


def test_debounced_input_sends_one_event_for_several_keystrokes(page: Page) -> None:
    page.locator("#search").press_sequentially("hello")
    expect(page.locator("#query")).to_have_text("Query: hello")
    expect(page.locator("#changes")).to_have_text("Changes: 1")
    expect(page.locator("#search")).to_have_value("hello")


def test_pending_debounced_change_is_sent_before_the_next_event(page: Page) -> None:
    page.locator("#search").press_sequentially("ab")
    page.locator("#add-row").click()  # sent at once, before the debounce ends: the change goes first
    expect(page.locator("#people tbody tr")).to_have_count(3)
    expect(page.locator("#query")).to_have_text("Query: ab")
    expect(page.locator("#changes")).to_have_text("Changes: 1")


def test_key_down_passes_the_key(page: Page) -> None:
    page.locator("#search").press("x")
    page.locator("#search").press("Enter")  # Enter also sends the pending text first
    expect(page.locator("#keys span")).to_have_text(["x", "Enter"])
    expect(page.locator("#query")).to_have_text("Query: x")


def test_dialog_opens_traps_focus_and_closes(page: Page) -> None:
    trigger = page.locator("#open-dialog")
    trigger.click()
    dialog = page.get_by_role("dialog", name="Edit")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(page.locator("#note")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#send")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Tab")  # wraps around inside the dialog
    expect(page.locator("#note")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(trigger).to_be_focused()

    trigger.click()
    page.locator("#note").fill("hi")
    page.locator("#send").click()  # a submitted form closes its dialog
    expect(dialog).to_be_hidden()
    expect(page.locator("#saved code")).to_have_text(["note=hi"])


def test_tabs_switch_panels_by_click_and_arrow_keys(page: Page) -> None:
    tabs = page.locator("#tabs")
    expect(page.locator("#overview")).to_be_visible()
    expect(page.locator("#details")).to_be_hidden()
    tabs.get_by_role("tab", name="Details").click()
    expect(page.locator("#details")).to_be_visible()
    expect(page.locator("#overview")).to_be_hidden()
    expect(page.locator("#tab")).to_have_text("Tab: Details")
    page.keyboard.press("ArrowRight")  # wraps to the first tab
    expect(tabs.get_by_role("tab", name="Overview")).to_have_attribute("aria-selected", "true")
    expect(tabs.get_by_role("tab", name="Overview")).to_be_focused()
    expect(page.locator("#tab")).to_have_text("Tab: Overview")


def test_accordion_opens_one_section_at_a_time(page: Page) -> None:
    faq = page.locator("#faq")
    first, second = faq.get_by_role("button", name="What is it?"), faq.get_by_role("button", name="Why?")
    expect(page.locator("#answer1")).to_be_hidden()
    first.click()
    expect(page.locator("#answer1")).to_be_visible()
    expect(first).to_have_attribute("aria-expanded", "true")
    second.click()
    expect(page.locator("#answer2")).to_be_visible()
    expect(page.locator("#answer1")).to_be_hidden()
    second.click()
    expect(page.locator("#answer2")).to_be_hidden()


def test_table_renders_rows_of_a_list_var(page: Page) -> None:
    table = page.locator("#people")
    expect(table.locator("th")).to_have_text(["Name", "Role"])
    expect(table.locator("tbody tr").nth(1).locator("td")).to_have_text(["Grace", "Admiral"])
    page.locator("#add-row").click()
    expect(table.locator("tbody tr").nth(2).locator("td")).to_have_text(["Linus", "Kernel"])


def test_dropdown_menu_with_keyboard_and_click(page: Page) -> None:
    trigger = page.locator("#actions")
    trigger.click()
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    expect(trigger).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#rename")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#delete")).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_hidden()
    expect(page.locator("#menu")).to_have_text("Menu: delete")
    expect(trigger).to_be_focused()
    trigger.click()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()


def test_popover_and_tooltip(page: Page) -> None:
    page.locator("#more").click()
    expect(page.locator("#popover-body")).to_be_visible()
    page.locator("#changes").click()  # a click outside closes it
    expect(page.locator("#popover-body")).to_be_hidden()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_hidden()
    page.locator("#hover").hover()
    expect(tooltip).to_have_text("A tooltip")
    expect(tooltip).to_be_visible()


def test_color_mode_toggle_switches_css_variables_and_persists(page: Page) -> None:
    def background() -> str:
        return str(page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--pr-bg').trim()"))

    assert background() == "#fff"  # the test browser prefers light
    page.locator("#mode").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background() == "#0b1120"
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background() == "#0b1120"
    page.locator("#mode").click()
    assert background() == "#fff"


def test_static_style_classes_apply(page: Page) -> None:
    # The container's CSS keywords became one class in the injected style sheet.
    expect(page.locator("#pyreact-root > div").first).to_have_css("flex-direction", "column")
    expect(page.locator("#pyreact-root > div").first).to_have_css("row-gap", "20px")


def test_screenshot_of_the_kit(page: Page, tmp_path: Path) -> None:
    # Kept for looking at by eye (PYREACT_SCREENSHOTS=dir); the assertion is only that the page renders.
    import os

    target = Path(os.environ.get("PYREACT_SCREENSHOTS", tmp_path))
    page.set_viewport_size({"width": 1100, "height": 1000})
    page.screenshot(path=str(target / "kit-light.png"), full_page=True)
    page.locator("#mode").click()
    page.screenshot(path=str(target / "kit-dark.png"), full_page=True)
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
