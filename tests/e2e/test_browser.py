"""The demo counter in a real chromium, mounted at every depth of every host a user would mount it in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, expect

from tests.e2e.apps import HOSTS, make_ui, two_apps_host
from tests.e2e.browsing import NewTab, Tab
from tests.e2e.engine_app import make_engine_ui
from tests.servers import nginx_proxy, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


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
        # Typed without the trailing slash, as users do: the host redirects to "<mount>/".
        tab = use_counter(new_tab, f"{server.url}{mount}")
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


def test_counter_works_behind_proxy_that_passes_the_prefix(
    new_tab: NewTab, shared_build_dir: Path, tmp_path: Path
) -> None:
    # nginx forwards /proxy/... unchanged to a host that mounts the app at /proxy.
    ui = make_ui(shared_build_dir)
    with (
        serve(HOSTS["fastapi"](ui, "/proxy")) as server,
        nginx_proxy("/proxy", server, tmp_path, strip=False) as proxy,
    ):
        tab = use_counter(new_tab, f"{proxy.url}/proxy/")
        assert tab.page.locator('meta[name="pyreact-mount"]').get_attribute("content") == "/proxy"


def test_counter_works_behind_proxy_that_strips_and_sends_the_prefix(
    new_tab: NewTab, shared_build_dir: Path, tmp_path: Path
) -> None:
    # nginx strips /proxy and says so in X-Forwarded-Prefix, which the app honours from 127.0.0.1 only.
    ui = make_ui(shared_build_dir, trusted_proxies=("127.0.0.1",))
    with (
        serve(HOSTS["starlette"](ui, "")) as server,
        nginx_proxy("/proxy", server, tmp_path, send_prefix=True) as proxy,
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


def test_two_apps_in_one_fastapi_host(new_tab: NewTab, tmp_path: Path) -> None:
    with serve(two_apps_host(tmp_path)) as server:
        admin = use_counter(new_tab, f"{server.url}/admin/")
        support = new_tab()
        support.open(f"{server.url}/support/")
        expect(support.page).to_have_title("Support")
        support.expect_count(0)
        support.click("increment")
        support.expect_count(1)
        admin.page.reload()
        admin.expect_count(12)
        # Each app loads its own bundle, from under its own mount.
        scripts = [support.page.locator("script[type=module]"), admin.page.locator("script[type=module]")]
        assert scripts[0].get_attribute("src").startswith("/support/_static/")  # type: ignore[union-attr]
        assert scripts[1].get_attribute("src").startswith("/admin/_static/")  # type: ignore[union-attr]


def test_upload_with_progress(new_tab: NewTab, shared_build_dir: Path, tmp_path: Path) -> None:
    ui = make_ui(shared_build_dir, upload_dir=tmp_path)
    with serve(HOSTS["fastapi"](ui, "/a/b/c")) as server:
        tab = new_tab()
        tab.page.goto(f"{server.url}/a/b/c/flaky")
        files = [
            {"name": "report.csv", "mimeType": "text/csv", "buffer": b"a,b\n" * 250_000},
            {"name": "note.txt", "mimeType": "text/plain", "buffer": b"hello"},
        ]
        tab.page.locator("#upload input[type=file]").set_input_files(files)  # type: ignore[arg-type]
        expect(tab.page.locator("#files")).to_have_text("report.csv (1000000 bytes), note.txt (5 bytes)")
        expect(tab.page.locator("#upload progress")).to_have_attribute("value", "1")
        expect(tab.page.locator("#upload .pr-upload-progress")).to_have_text("100%")
        assert list(tmp_path.iterdir()) == []  # the handler's files are gone once it returned


def test_client_actions_under_a_mount_path(new_tab: NewTab, shared_build_dir: Path, logged_errors: list[Any]) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["starlette"](ui, "/a/b/c")) as server:
        tab = new_tab()
        page = tab.page
        page.goto(f"{server.url}/a/b/c/actions?tab=2")
        # The page's own title and its on_load handler, which reads the page and query from self.router.
        expect(page).to_have_title("Actions")
        expect(page.locator("#opened")).to_have_text("/actions?tab=2 #1")
        page.reload()
        expect(page.locator("#opened")).to_have_text("/actions?tab=2 #2")

        page.locator("#save").click()  # a toast, then focus on the input
        expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
        expect(page.locator("#note")).to_be_focused()

        page.locator("#fill").click()  # as if typed: the server's var follows
        expect(page.locator("#note")).to_have_value("filled by the server")

        page.locator("#measure").click()  # a script whose result comes back to a handler
        expect(page.locator("#width")).to_have_text(str(page.evaluate("window.innerWidth")))

        with page.expect_download() as download_info:
            page.locator("#export").click()
        download = download_info.value
        assert download.suggested_filename == "report.csv"
        assert Path(download.path()).read_text() == "a,b\n1,2\n"

        expect(page.locator("#bottom")).not_to_be_in_viewport()
        page.locator("#to-bottom").click()
        expect(page.locator("#bottom")).to_be_in_viewport()

        # A failing handler: an error toast with the generic text, nothing of the exception, state unchanged.
        page.locator("#fail-action").click()
        alert = page.get_by_role("alert")
        expect(alert.locator("span")).to_have_text("The event failed on the server.")
        assert [r.getMessage() for r in logged_errors] == ['Event handler "actions.fail" raised']
        logged_errors.clear()
        page.reload()
        expect(page.locator("#note")).to_have_value("filled by the server")

        page.locator("#go-home").click()  # relative to the mount path, not the host's root
        expect(page.locator("#count")).to_be_visible()
        assert page.url == f"{server.url}/a/b/c/?from=actions"


def test_client_storage_vars(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["fastapi"](ui, "/admin")) as server:
        url = f"{server.url}/admin/actions"
        first = new_tab()
        first.page.goto(url)
        prefs = first.page.locator("#prefs")
        expect(prefs).to_have_text("light 1 en")
        for button in ("dark", "next-panel", "french"):
            first.page.locator(f"#{button}").click()
        expect(prefs).to_have_text("dark 2 fr")

        # A new tab is a new client with fresh server state: the browser's stored values win when it connects.
        # localStorage and the cookie are shared by the tabs; sessionStorage is per tab.
        second = new_tab()
        second.page.goto(url)
        expect(second.page.locator("#prefs")).to_have_text("dark 1 fr")
        first.page.reload()
        expect(prefs).to_have_text("dark 2 fr")
        # The cookie is a real one, URI-encoded JSON: the browser sends it with the (new) websocket connection.
        first.page.locator("#read-cookie").click()
        expect(first.page.locator("#cookie-seen")).to_have_text("%22fr%22")


def test_reconnect_resynchronises_and_keeps_what_was_typed(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    host = HOSTS["fastapi"](ui, "/admin")
    tab = new_tab()
    with serve(host) as server:
        port = server.port
        tab.open(f"{server.url}/admin/")
        tab.click("increment")
        tab.expect_count(1)
    # The server is gone: the page says so, and what the user types now waits to be sent.
    banner = tab.page.get_by_role("status").filter(has_text="Reconnecting")
    expect(banner).to_be_visible()
    tab.page.locator("#name").press_sequentially("Bo")
    with serve(host, port=port):
        expect(banner).to_be_hidden(timeout=15_000)
        expect(tab.page.locator("#greeting")).to_have_text("Hello, Bo")
        tab.expect_count(1)  # the state kept by the server for this tab, nothing replayed
        tab.click("increment")
        tab.expect_count(2)
        tab.page.reload()
        tab.expect_count(2)
        expect(tab.page.locator("#name")).to_have_value("Bo")


def test_dynamic_routes_deep_linked_under_a_mount(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["fastapi"](ui, "/a/b/c")) as server:
        tab = new_tab()
        tab.page.goto(f"{server.url}/a/b/c/post/hello-world")
        expect(tab.page.locator("#slug")).to_have_text("hello-world")
        expect(tab.page.locator("#post-loaded")).to_have_text("/post/[slug] slug=hello-world")
        tab.page.goto(f"{server.url}/a/b/c/docs/guide/install")
        expect(tab.page.locator("#doc-path")).to_have_text("guide/install")
        expect(tab.page.locator("#post-loaded")).to_have_text("/docs/[...path] path=guide/install")


def test_client_side_navigation_under_a_mount(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["starlette"](ui, "/a/b/c")) as server:
        tab = new_tab()
        page = tab.page
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{server.url}/a/b/c/flaky")
        expect(page).to_have_title("Counter")
        page.evaluate("window.notReloaded = true")

        page.locator("#to-actions").click()  # a link: the page changes in place, the socket stays open
        expect(page.locator("#opened")).to_have_text("/actions?tab=3 #1")  # its on_load saw the new page
        expect(page).to_have_title("Actions")
        assert page.url == f"{server.url}/a/b/c/actions?tab=3"
        page.locator("#dark").click()  # the new page's states came along and work
        expect(page.locator("#prefs")).to_contain_text("dark")

        page.go_back()
        expect(page.locator("#flaky-value")).to_be_visible()
        expect(page).to_have_title("Counter")
        page.go_forward()
        expect(page.locator("#opened")).to_have_text("/actions?tab=3 #2")
        page.locator("#go-home").click()  # a redirect to a page of the app navigates in place too
        expect(page.locator("#count")).to_be_visible()
        assert page.evaluate("window.notReloaded") is True
        # Nothing was asked of the host outside the mount path.
        assert [url for url in requested if not url.startswith(f"{server.url}/a/b/c/")] == []


def test_own_react_component_with_props_and_events(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["fastapi"](ui, "/admin")) as server:
        tab = new_tab()
        tab.page.goto(f"{server.url}/admin/custom")
        bars = tab.page.locator(".bar")
        expect(bars).to_have_count(3)
        expect(bars.nth(0)).to_have_attribute("fill", "#4f46e5")
        bars.nth(1).click()  # the component calls onPick(9): the handler receives it
        expect(tab.page.locator("#picked")).to_have_text("9")
        tab.page.locator("#grow").click()  # a state change re-renders it with new props
        expect(bars).to_have_count(4)


def test_upload_over_the_limit_shows_the_reason(new_tab: NewTab, shared_build_dir: Path, tmp_path: Path) -> None:
    ui = make_ui(shared_build_dir, upload_dir=tmp_path, max_upload_bytes=100_000)
    with serve(HOSTS["fastapi"](ui, "/admin")) as server:
        tab = new_tab()
        tab.page.goto(f"{server.url}/admin/flaky")
        big = FilePayload(name="big.bin", mimeType="application/octet-stream", buffer=b"x" * 400_000)
        tab.page.locator("#upload input[type=file]").set_input_files([big])
        expect(tab.page.locator("#upload [role=alert]")).to_have_text(
            '"big.bin" is larger than the limit of 100000 bytes.'
        )
        expect(tab.page.locator("#files")).to_have_text("")  # the handler never ran
        assert list(tmp_path.iterdir()) == []
        # The refusal is what this test expects to see go wrong.
        assert all("413" in problem for problem in tab.problems), tab.problems
        tab.problems.clear()


def test_custom_404_page_under_a_mount(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["starlette"](ui, "/a/b/c")) as server:
        tab = new_tab()
        response = tab.page.goto(f"{server.url}/a/b/c/no/such/page")
        assert response is not None
        assert response.status == 404
        expect(tab.page.locator("#not-found")).to_have_text("Nothing here")
        expect(tab.page).to_have_title("Not found")
        tab.page.locator("#home-link").click()
        expect(tab.page.locator("#count")).to_be_visible()
        # The 404 this test asked for, as the tab reports it.
        assert all("404" in problem for problem in tab.problems), tab.problems
        tab.problems.clear()


def test_var_expressions_follow_the_state(new_tab: NewTab, shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    with serve(HOSTS["fastapi"](ui, "/admin")) as server:
        tab = new_tab()
        page = tab.page
        page.goto(f"{server.url}/admin/expressions")
        expect(page.locator("#fstring")).to_have_text("0 clicks by ")
        expect(page.locator("#compare")).to_have_text("few")
        expect(page.locator("#arithmetic")).to_have_text("1")
        expect(page.locator("#match")).to_have_text("fizz")
        for _ in range(4):
            page.locator("#plus").click()
        expect(page.locator("#fstring")).to_have_text("4 clicks by ")
        expect(page.locator("#compare")).to_have_text("many")
        expect(page.locator("#arithmetic")).to_have_text("9")
        expect(page.locator("#match")).to_have_text("one")
        expect(page.locator("#rounded")).to_have_text("1.33")
        expect(page.locator("#logic")).to_have_text("ok")
        expect(page.locator("#default")).to_have_text("anonymous")
        page.locator("#name").fill("Ada L")
        expect(page.locator("#fstring")).to_have_text("4 clicks by ADA L")
        expect(page.locator("#slice")).to_have_text(" L")
        expect(page.locator("#default")).to_have_text("Ada L")
        expect(page.locator("#reversed")).to_have_text("L adA")
        expect(page.locator("#logic")).to_have_text("not ok")
