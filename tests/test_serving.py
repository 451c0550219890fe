"""HTTP serving: the page shell, the bundle's files, and the user's assets, in process."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

import pyreact_asgi as pr
from pyreact_asgi.serving import accepts_gzip


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1, GZIP;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=nonsense", False),
        ("deflate, br", False),
        ("", False),
    ],
)
def test_accepts_gzip(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


def test_app_bundle_before_start_raises_from_the_error_tree() -> None:
    ui = pr.PyApp({"/": lambda: pr.text("hi")})
    with pytest.raises(pr.NotStartedError, match=r'Cannot read "bundle" before the app has started'):
        ui.bundle  # noqa: B018


@pytest.fixture
def assets_client(tmp_path: Path, shared_build_dir: Path) -> TestClient:
    assets = tmp_path / "assets"
    (assets / "img").mkdir(parents=True)
    (assets / "img" / "logo.svg").write_text("<svg/>")
    (assets / ".env").write_text("SECRET=1")
    (assets / "img" / ".hidden").write_text("hidden")
    (assets / ".well-known").mkdir()
    (assets / ".well-known" / "security.txt").write_text("contact")
    ui = pr.PyApp(
        {"/": lambda: pr.text("hi")},
        config=pr.Config(build_dir=shared_build_dir / "serving", assets_dir=assets),
    )
    return TestClient(Starlette(routes=[Mount("/ui", ui)], lifespan=ui.lifespan))


@pytest.mark.parametrize("path", ["/ui/assets/.env", "/ui/assets/img/.hidden", "/ui/assets/.well-known/security.txt"])
def test_user_assets_refuse_hidden_files(assets_client: TestClient, path: str) -> None:
    with assets_client as client:
        response = client.get(path)
        assert (response.status_code, response.text) == (404, "Not Found")
        # A visible file of the same folder is served as before.
        visible = client.get("/ui/assets/img/logo.svg")
        assert (visible.status_code, visible.text, visible.headers["cache-control"]) == (200, "<svg/>", "no-cache")
