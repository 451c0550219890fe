"""The demo counter in a real chromium, mounted in a Litestar app with pyreact_litestar."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.apps import make_ui
from tests.e2e.browsing import NewTab
from tests.e2e.test_browser import use_counter
from tests.integrations.litestar_apps import as_asgi, litestar_host
from tests.servers import nginx_proxy, serve

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


@pytest.mark.parametrize("mount", ["", "/admin", "/a/b/c"], ids=["root", "admin", "nested"])
def test_counter_works_at_every_mount(new_tab: NewTab, shared_build_dir: Path, mount: str) -> None:
    with serve(as_asgi(litestar_host(make_ui(shared_build_dir), mount))) as server:
        tab = use_counter(new_tab, f"{server.url}{mount}/")
        assert tab.page.locator('meta[name="pyreact-mount"]').get_attribute("content") == mount


def test_mount_path_typed_without_slash_loads_the_app(new_tab: NewTab, shared_build_dir: Path) -> None:
    with serve(as_asgi(litestar_host(make_ui(shared_build_dir), "/admin"))) as server:
        tab = use_counter(new_tab, f"{server.url}/admin")
        assert tab.page.url == f"{server.url}/admin/"


def test_counter_works_behind_proxy_with_root_path(new_tab: NewTab, shared_build_dir: Path, tmp_path: Path) -> None:
    # A real nginx strips /proxy and forwards to uvicorn --root-path /proxy, which serves Litestar.
    with (
        serve(as_asgi(litestar_host(make_ui(shared_build_dir), "/admin")), root_path="/proxy") as server,
        nginx_proxy("/proxy", server, tmp_path) as proxy,
    ):
        tab = use_counter(new_tab, f"{proxy.url}/proxy/admin/")
        expect(tab.page.locator('meta[name="pyreact-mount"]')).to_have_attribute("content", "/proxy/admin")
