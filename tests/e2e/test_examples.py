"""The example apps in examples/, each used in a real browser as its docstring says."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import FilePayload, expect

from tests.e2e.browsing import NewTab
from tests.servers import serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.fixture
def example(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Imports an example with its build and data directories under the test's tmp_path."""
    monkeypatch.chdir(tmp_path)  # the default build dir (.pyreact/) and the examples' data dirs
    monkeypatch.setenv("PYREACT_JOB_STEP", "0.08")  # long_job: 4 s for the whole job
    monkeypatch.setenv("PYREACT_CHAT_TOKEN", "0.15")  # chat: 3 s for a reply, so it is seen growing
    module = importlib.import_module(f"examples.{request.param}")
    return importlib.reload(module)


@pytest.mark.parametrize("example", ["uploads"], indirect=True)
def test_uploads_example(new_tab: NewTab, example: ModuleType, tmp_path: Path) -> None:
    with serve(example.app) as server:
        tab = new_tab()
        tab.page.goto(f"{server.url}/files/")
        picker = tab.page.locator("#upload input[type=file]")
        picker.set_input_files([FilePayload(name="a.txt", mimeType="text/plain", buffer=b"x" * 5000)])
        expect(tab.page.get_by_role("status").filter(has_text="Uploaded 1 file(s)")).to_be_visible()
        expect(tab.page.locator("#total")).to_have_text("Received 5000 bytes in all.")
        expect(tab.page.locator("#kept")).to_contain_text("a.txt (5,000 bytes, sha256 ")
        expect(tab.page.locator("#upload .pr-upload-progress")).to_have_text("100%")
        kept = list((tmp_path / "uploaded-files").iterdir())
        assert [p.read_bytes() for p in kept] == [b"x" * 5000]
        tab.page.locator("#clear").click()
        expect(tab.page.locator("#total")).to_have_text("Received 0 bytes in all.")


@pytest.mark.parametrize("example", ["long_job"], indirect=True)
def test_long_job_example_progress_and_cancel(new_tab: NewTab, example: ModuleType) -> None:
    with serve(example.app) as server:
        tab = new_tab()
        page = tab.page
        page.goto(f"{server.url}/jobs/")
        status = page.locator("#status")
        page.locator("#start").click()
        expect(status).to_contain_text("running")
        expect(page.locator("#progress")).not_to_have_attribute("value", "0")  # the bar moves
        page.locator("#cancel").click()
        expect(page.get_by_role("status").filter(has_text="Job cancelled")).to_be_visible()
        expect(status).to_contain_text("cancelled")
        stopped_at = int(status.inner_text().split("%")[0])
        assert 0 < stopped_at < 100

        page.locator("#start").click()
        expect(status).to_contain_text("running")
        page.reload()  # the job goes on while the tab reconnects, and the tab catches up
        expect(status).to_have_text("100% — done", timeout=20_000)
        expect(page.locator("#progress")).to_have_attribute("value", "100")


@pytest.mark.parametrize("example", ["todos"], indirect=True)
def test_todos_example(new_tab: NewTab, example: ModuleType) -> None:
    with serve(example.app) as server:
        tab = new_tab()
        page = tab.page
        page.goto(f"{server.url}/todos/")
        expect(page.locator("#summary")).to_have_text("All done!")
        for title in ("Write tests", "Ship it"):
            page.locator("#draft").fill(title)
            page.locator("#add").click()
            expect(page.locator("#draft")).to_have_value("")
        tasks = page.locator(".task")
        expect(tasks).to_have_count(2)
        expect(page.locator("#summary")).to_have_text("2 to do, 0 done")
        expect(page.locator("#draft")).to_be_focused()  # pr.set_focus after adding

        tasks.nth(0).get_by_role("button").first.click()  # toggle the first task
        expect(tasks.nth(0).locator("p")).to_have_css("text-decoration-line", "line-through")
        expect(page.locator("#summary")).to_have_text("1 to do, 1 done")
        page.locator("#clear-done").click()
        expect(tasks).to_have_count(1)
        expect(tasks.nth(0).locator("p")).to_have_text("Ship it")
        page.reload()
        expect(tasks).to_have_count(1)
        tasks.nth(0).get_by_role("button", name="Remove").click()
        expect(page.locator("#summary")).to_have_text("All done!")

        page.locator("#add").click()  # nothing typed: a warning toast, no task
        expect(page.get_by_role("status").filter(has_text="Type a task first")).to_be_visible()
        expect(tasks).to_have_count(0)


@pytest.mark.parametrize("example", ["chat"], indirect=True)
def test_chat_example_streams_the_reply(new_tab: NewTab, example: ModuleType) -> None:
    with serve(example.app) as server:
        tab = new_tab()
        page = tab.page
        page.goto(f"{server.url}/chat/")
        page.locator("#prompt").fill("hello")
        page.locator("#send").click()
        messages = page.locator(".message .text")
        expect(messages.nth(0)).to_have_text("hello")
        reply = messages.nth(1)
        # The reply is seen part-way (the handler still runs: Send is disabled), then whole.
        expect(reply).to_contain_text("You said: hello.")
        expect(page.locator("#send")).to_be_disabled()
        partial = reply.inner_text()
        expect(reply).to_have_text(
            "You said: hello. Here is a reply that arrives one token at a time, as from a language model."
        )
        assert partial != reply.inner_text()
        expect(page.locator("#send")).to_be_enabled()


@pytest.mark.parametrize("example", ["dashboard"], indirect=True)
def test_dashboard_example_at_tools_ui(new_tab: NewTab, example: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("pyreact_daypicker")
    with serve(example.app) as server:
        base = f"{server.url}/tools/ui"
        page = new_tab().page
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}/")
        expect(page).to_have_title("Overview")
        expect(page.locator("#tile-orders .pr-stat-value")).to_have_text("10,000")

        # The live chart grows point by point, drawn by the same chart instance.
        live = page.locator("#live-chart")
        expect(live).to_have_attribute("data-points", "2")
        instance = live.get_attribute("data-chart")
        expect(live).to_have_attribute("data-points", "3")
        assert live.get_attribute("data-chart") == instance
        expect(page.locator("#tile-visitors .pr-stat-value")).not_to_have_text("0")

        # The table pages through 10 000 orders on the server, and exports what the filter shows.
        table = page.locator("#orders")
        expect(table.get_by_role("status")).to_have_text("1\u201325 of 10,000")
        table.get_by_role("button", name="Next page").click()
        expect(table.get_by_role("status")).to_have_text("26\u201350 of 10,000")
        table.get_by_role("columnheader", name="Total").get_by_role("button").click()
        expect(table.get_by_role("columnheader", name="Total")).to_have_attribute("aria-sort", "ascending")
        table.get_by_label("Filter rows").fill("Lima")
        expect(table.get_by_role("status")).to_contain_text("of 1,4")
        with page.expect_download() as info:
            table.get_by_role("button", name="Export CSV").click()
        lines = Path(info.value.path()).read_text().splitlines()
        assert lines[0] == "Order,Customer,City,Status,Total,Date,Invoice"
        assert all(",Lima," in line for line in lines[1:])

        # Notes: markdown, rendered again as it is edited.
        expect(page.locator("#notes h2")).to_have_text("Notes for Monday")
        page.get_by_role("tab", name="Edit").click()
        page.locator("#notes-editor").fill("# Changed\n\n**now**")
        page.get_by_role("tab", name="Preview").click()
        expect(page.locator("#notes h1")).to_have_text("Changed")
        expect(page.locator("#notes strong")).to_have_text("now")
        assert not [url for url in requested if "/pkg-daypicker." in url], "the overview never loads the date picker"

        # The orders page: a date picker from npm in a drawer filters the table to one day.
        page.locator("#nav-orders").click()
        expect(page).to_have_title("Orders")
        full = page.locator("#orders-full")
        page.locator("#open-days").click()
        picker = page.locator("#day-picker")
        picker.get_by_role("button", name="Go to the Previous Month").click()
        picker.get_by_role("button", name="February 3rd, 2026").click()
        expect(full.get_by_label("Filter rows")).to_have_value("2026-02-03")
        expect(full.locator("tbody tr").first).to_contain_text("2/3/2026")
        page.keyboard.press("Escape")
        full.get_by_label("Select row", exact=False).first.click()
        expect(page.locator("#selected-count")).to_have_text("1 selected")

        # Dark mode, kept across a reload.
        page.locator("#mode").click()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        page.reload()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")

        assert [url for url in requested if not url.startswith(f"{base}/")] == []
