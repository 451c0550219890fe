"""Config.assets_dir: the user's files under <mount>/assets/, with cache headers, and nothing outside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

import pyreact_asgi as pr
from examples.counter import index
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import ConfigError
from tests.asgi import asgi_get


@pytest.fixture
def assets(tmp_path: Path) -> Path:
    folder = tmp_path / "assets"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "logo.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("not for the browser")
    return folder


@pytest.fixture
def ui(shared_build_dir: Path, assets: Path) -> pr.PyApp:
    return pr.PyApp({"/": index}, config=pr.Config(build_dir=shared_build_dir / "assets", assets_dir=assets))


@pytest.fixture
def client(ui: pr.PyApp) -> Iterator[TestClient]:
    with TestClient(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan)) as client:
        yield client


def test_asset_is_served_under_the_mount_with_cache_headers(client: TestClient) -> None:
    response = client.get("/ui/assets/img/logo.svg")
    assert response.status_code == 200
    assert response.text == "<svg/>"
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-cache"
    again = client.get("/ui/assets/img/logo.svg", headers={"If-None-Match": response.headers["etag"]})
    assert (again.status_code, again.headers["cache-control"]) == (304, "no-cache")


def test_missing_asset_is_404_and_only_get_is_allowed(client: TestClient) -> None:
    assert client.get("/ui/assets/nope.png").status_code == 404
    assert client.post("/ui/assets/img/logo.svg").status_code == 405


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path", ["/ui/assets/../secret.txt", "/ui/assets/img/../../secret.txt", "/ui/assets/%2e%2e/secret.txt"]
)
async def test_asset_paths_cannot_leave_the_folder(ui: pr.PyApp, path: str) -> None:
    async with ui.lifespan():
        status, body = await asgi_get(ui, path, root_path="/ui")
    assert status == 404
    assert b"not for the browser" not in body


def test_page_route_under_assets_clashes(assets: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"Page routes under /assets clash with Config.assets_dir: \['/assets/logo'\]"
    ):
        pr.PyApp({"/": index, "/assets/logo": index}, config=pr.Config(assets_dir=assets))


def test_asset_url_follows_the_mount_path() -> None:
    module = compile_app({"/": lambda: pr.box(title=pr.asset("img/logo.svg"))}).module("rt.js")
    assert 'title={(mountPath() + "/assets/img/logo.svg")}' in module
    assert "mountPath, useVars" in module


@pytest.mark.parametrize("path", ["/logo.png", "../x", "a b.png", "a/../../x"])
def test_asset_url_of_a_bad_path_is_refused(path: str) -> None:
    with pytest.raises(ConfigError, match=r"Expected the path of a file in the assets folder"):
        pr.asset(path)
