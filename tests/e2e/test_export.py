"""`pyreact export`: the frontend as static files on a plain nginx, the backend on another port, in chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, expect

import pyreact_asgi as pr
from examples.counter import index
from pyreact_asgi.cli.export import export_static
from tests.e2e.apps import Files
from tests.e2e.browsing import NewTab
from tests.servers import free_port, nginx_static, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def about() -> pr.Component:
    return pr.vstack(pr.heading("About", id="about"), pr.link("Home", href="/", id="home"))


@pytest.mark.parametrize("base_path", ["/", "/site"])
def test_exported_frontend_on_nginx_talks_to_the_backend(new_tab: NewTab, tmp_path: Path, base_path: str) -> None:
    port = free_port()
    ui = pr.PyApp(
        {"/": index, "/about": about},
        config=pr.Config(build_dir=tmp_path / "build", allowed_origins=(f"http://127.0.0.1:{port}",)),
    )
    site = tmp_path / "site"
    with serve(ui) as backend:
        out = site / base_path.strip("/") if base_path != "/" else site
        result = export_static(ui, out, backend=f"{backend.url}/", base_path=base_path)
        assert Path("index.html") in result.files
        assert Path("about/index.html") in result.files
        with nginx_static(site, tmp_path, port=port) as static:
            tab = new_tab()
            page = tab.page
            page.goto(f"{static.url}{base_path.rstrip('/')}/")
            expect(page.locator("#count")).to_have_text("0")
            page.locator("#increment").click()
            page.locator("#increment-10").click()
            expect(page.locator("#count")).to_have_text("11")
            page.locator("#name").fill("Ada")
            expect(page.locator("#greeting")).to_have_text("Hello, Ada")
            # A reload keeps the tab's state: its token (sessionStorage) is unbound, so no cookie is needed.
            page.reload()
            expect(page.locator("#count")).to_have_text("11")
            page.goto(f"{static.url}{base_path.rstrip('/')}/about/")
            expect(page.locator("#about")).to_be_visible()


def test_backend_refuses_an_origin_it_does_not_allow(new_tab: NewTab, tmp_path: Path) -> None:
    ui = pr.PyApp({"/": index}, config=pr.Config(build_dir=tmp_path / "build"))  # allows no other origin
    with serve(ui) as backend:
        export_static(ui, tmp_path / "site", backend=backend.url)
        with nginx_static(tmp_path / "site", tmp_path) as static:
            tab = new_tab()
            page = tab.page
            page.goto(f"{static.url}/")
            expect(page.locator("#count")).to_have_text("0")  # the page renders its initial state ...
            page.locator("#increment").click()
            # ... but its socket is refused, which the tab says (it does not retry), so nothing changes.
            expect(page.get_by_role("alert").filter(has_text="origin is not allowed")).to_be_visible()
            expect(page.locator("#count")).to_have_text("0")
            tab.problems.clear()  # the refused handshakes are the point


def files_page() -> pr.Component:
    return pr.vstack(pr.upload(on_upload=Files.receive, multiple=True, id="upload"), pr.text(Files.summary, id="files"))


def test_exported_frontend_uploads_to_the_backend(new_tab: NewTab, tmp_path: Path) -> None:
    port = free_port()
    uploads = tmp_path / "uploads"
    ui = pr.PyApp(
        {"/": files_page},
        config=pr.Config(
            build_dir=tmp_path / "build",
            allowed_origins=(f"http://127.0.0.1:{port}",),
            upload_dir=uploads,
            max_upload_bytes=100_000,
        ),
    )
    with serve(ui) as backend:
        export_static(ui, tmp_path / "site", backend=backend.url)
        with nginx_static(tmp_path / "site", tmp_path, port=port) as static:
            tab = new_tab()
            page = tab.page
            page.goto(f"{static.url}/")
            # A cross-origin upload: the browser's preflight is answered, then the POST's reply can be read.
            files = [
                FilePayload(name="report.csv", mimeType="text/csv", buffer=b"a,b\n" * 20_000),
                FilePayload(name="note.txt", mimeType="text/plain", buffer=b"hello"),
            ]
            page.locator("#upload input[type=file]").set_input_files(files)
            expect(page.locator("#files")).to_have_text("report.csv (80000 bytes), note.txt (5 bytes)")
            expect(page.locator("#upload .pr-upload-progress")).to_have_text("100%")
            # A refusal is readable too: the tab shows why, not "the upload could not reach the server".
            big = FilePayload(name="big.bin", mimeType="application/octet-stream", buffer=b"x" * 400_000)
            page.locator("#upload input[type=file]").set_input_files([big])
            expect(page.locator("#upload [role=alert]")).to_have_text(
                '"big.bin" is larger than the limit of 100000 bytes.'
            )
            expect(page.locator("#files")).to_have_text("report.csv (80000 bytes), note.txt (5 bytes)")
            assert all("413" in problem for problem in tab.problems), tab.problems  # the refusal, as expected
            tab.problems.clear()
    assert list(uploads.iterdir()) == []
