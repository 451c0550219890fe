"""The key cookie that binds a client's token, issued through the Litestar and Django integrations."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyreact_asgi as pr
from pyreact_asgi.runtime.binding import cookie_name
from tests.e2e.apps import make_ui
from tests.e2e.client import connect, new_token
from tests.integrations.django_project.harness import Project
from tests.security.bound import key_cookie, load_page
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


async def assert_bound(server: LiveServer, mount: str) -> None:
    """The page issues the key cookie for ``mount``; a token used with it is out of reach without it."""
    browser = await load_page(server, mount)
    assert key_cookie(browser.set_cookie, mount)[cookie_name(mount)]["path"] == (mount or "/")
    assert browser.cookie.startswith(cookie_name(mount) + "=")  # the socket's path is within the cookie's
    token = new_token()
    async with connect(server, token, {"Cookie": browser.cookie}, mount=mount) as client:
        await client.call("counter.increment", 3)
    async with connect(server, token, mount=mount) as attacker:
        assert (await attacker.first_state())["counter"]["count"] == 0
    async with connect(server, token, {"Cookie": browser.cookie}, mount=mount) as again:
        assert (await again.first_state())["counter"]["count"] == 3


@pytest.mark.parametrize("mount", ["", "/a/b/c"], ids=["root", "nested"])
async def test_litestar_mount_issues_and_honours_the_key(shared_build_dir: Path, mount: str) -> None:
    pytest.importorskip("litestar")
    from tests.integrations.litestar_apps import as_asgi, litestar_host

    with serve(as_asgi(litestar_host(make_ui(shared_build_dir), mount))) as server:
        await assert_bound(server, mount)


async def test_django_host_issues_and_honours_the_key(django_project: Project) -> None:
    import pyreact_django
    from tests.integrations.django_project.ui import make_ui as make_django_ui

    ui: pr.PyApp = make_django_ui()
    with serve(pyreact_django.asgi(ui, prefix="/admin-ui")) as server:
        await assert_bound(server, "/admin-ui")
