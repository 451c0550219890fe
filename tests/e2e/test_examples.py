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
def test_dashboard_example_at_tools_ui(new_tab: NewTab, example: ModuleType) -> None:
    with serve(example.app) as server:
        base = f"{server.url}/tools/ui"
        tab = new_tab()
        page = tab.page
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}/")
        expect(page).to_have_title("Directory")
        rows = page.locator("#people tbody tr")
        expect(rows).to_have_count(6)

        # Filtering and sorting happen on the server; the table follows.
        page.locator("#filter").fill("comp")
        expect(rows).to_have_count(2)
        expect(page.locator("#summary")).to_have_text("2 of 6 people")
        page.locator("#filter").fill("")
        expect(rows).to_have_count(6)
        page.locator("#sort-salary").click()
        expect(rows.first.locator("td").first).to_have_text("Ada Lovelace")
        page.locator("#sort-salary").click()  # again: descending
        expect(rows.first.locator("td").first).to_have_text("Grace Hopper")

        # A form in a dialog.
        page.locator("#open-add").click()
        page.locator("#new-name").fill("Margaret Hamilton")
        page.locator("#new-team").fill("Orbits")
        page.locator("#new-salary").fill("6300")
        page.locator("#submit-person").click()
        expect(page.get_by_role("status").filter(has_text="Added Margaret Hamilton")).to_be_visible()
        expect(page.get_by_role("dialog")).to_be_hidden()
        expect(rows).to_have_count(7)
        expect(rows.first.locator("td").first).to_have_text("Margaret Hamilton")

        # Navigation in place, back and forward, a dynamic route, and deep links on a fresh load.
        page.evaluate("window.notReloaded = true")
        page.locator("#nav-teams").click()
        expect(page).to_have_title("Teams")
        expect(page.locator("#teams tbody tr").filter(has_text="Orbits")).to_contain_text("2")
        page.go_back()
        expect(rows).to_have_count(7)
        page.go_forward()
        expect(page.locator("#teams")).to_be_visible()
        page.locator("#nav-directory").click()
        page.locator("#to-ada").click()
        expect(page.locator("#profile-name")).to_have_text("Ada Lovelace")
        assert page.evaluate("window.notReloaded") is True
        page.goto(f"{base}/teams")
        expect(page.locator("#teams tbody tr").filter(has_text="Orbits")).to_contain_text("2")  # this tab's state
        page.goto(f"{base}/people/nobody")
        expect(page.locator("#profile-missing")).to_be_visible()

        # Dark mode: the page's colours change, and the choice survives a reload.
        page.goto(f"{base}/")
        background = "getComputedStyle(document.documentElement).getPropertyValue('--pr-bg')"
        light = page.evaluate(background)
        page.locator("#mode").click()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
        assert page.evaluate(background) != light
        page.reload()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")

        assert [url for url in requested if not url.startswith(f"{base}/")] == []
