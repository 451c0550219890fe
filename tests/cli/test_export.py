"""`pyreact export`: its files, and its refusals of a backend URL or base path it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyreact_asgi._contract import BACKEND_META
from pyreact_asgi.cli import main


@pytest.fixture
def app_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "exported_ui.py").write_text(
        "import pyreact_asgi as pr\n"
        "def index():\n    return pr.text('hi')\n"
        "def post():\n    return pr.text('post')\n"
        "ui = pr.PyApp({'/': index, '/docs/intro': index, '/post/[slug]': post},"
        " config=pr.Config(build_dir=__import__('pathlib').Path(__file__).parent / 'build'))\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "exported_ui:ui"


def test_export_writes_pages_and_bundle(app_module: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", app_module, "--backend", "https://api.example.com/ui/", "--out", "site"])
    out = capsys.readouterr().out
    assert code == 0, out
    site = tmp_path / "site"
    html = (site / "index.html").read_text()
    assert f'<meta name="{BACKEND_META}" content="https://api.example.com/ui">' in html
    assert '<meta name="pyreact-mount" content="">' in html
    assert (site / "docs" / "intro" / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert len(list((site / "_static").glob("*.js"))) == 2
    assert "/post/[slug]" in out, "the dynamic route is named, with what the host must do"
    assert "allowed_origins" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--backend", "api.example.com"], "Expected --backend as the app's URL", id="no-scheme"),
        pytest.param(["--backend", "javascript:alert(1)"], "Expected --backend as the app's URL", id="javascript"),
        pytest.param(["--backend", "https://a.example/?x=1"], "Expected --backend as the app's URL", id="query"),
        pytest.param(["--backend", "https://u:p@a.example/"], "without a user or password", id="credentials"),
        pytest.param(
            ["--backend", "https://a.example", "--base-path", 'x"><script>'], "Expected --base-path", id="base-path"
        ),
    ],
)
def test_export_refuses_bad_urls(
    app_module: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(["export", app_module, "--out", "site", *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "site" / "index.html").exists()
