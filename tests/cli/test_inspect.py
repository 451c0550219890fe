"""`pyreact routes` and `pyreact check` on apps beyond the templates, run in process."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pyreact_asgi.cli import main

APP = """\
from pathlib import Path

import pyreact_asgi as pr


class Cart(pr.State):
    items: int = 0

    @pr.event
    def add(self) -> None:
        self.items += 1


class Search(pr.State):
    query: str = ""

    @pr.event
    def load(self) -> None:
        self.query = self.router.params.get("slug", "")


def home():
    return pr.vstack(pr.text(Cart.items), pr.button("Add", on_click=Cart.add), pr.text(Search.query))


def post():
    return pr.text("post ", pr.route_param("slug"))


def about():
    return pr.text("about us")


def missing():
    return pr.text("nothing here")


PAGES = {
    "/": home,
    "/post/[slug]": pr.page(post, title="A post", on_load=Search.load),
    "/about": about,
}
ui = pr.PyApp(PAGES, config=pr.Config(title="Shop"), not_found=missing)
never = pr.PyApp(PAGES, config=pr.Config(build="never", build_dir=Path("never-build")))
no_assets = pr.PyApp(PAGES, config=pr.Config(assets_dir=Path("no-such-dir")))
"""


@pytest.fixture
def app_dir(isolated_imports: Path) -> Path:
    (isolated_imports / "shop.py").write_text(textwrap.dedent(APP))
    return isolated_imports


def test_routes_in_match_order_with_titles_and_states(app_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "shop:ui"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    title, states = header.index("TITLE"), header.index("STATES")
    rows = [[line[:title].strip(), line[title:states].strip(), line[states:]] for line in [header, *lines]]
    assert rows == [
        ["ROUTE", "TITLE", "STATES"],
        ["/", "Shop", "shop.Cart, shop.Search"],
        ["/about", "Shop", "-"],
        ["/post/[slug]", "A post", "shop.Search"],  # on_load's state counts
        ["(404)", "Shop", "-"],
    ]


def test_check_of_build_never_wants_a_build_first(app_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "shop:never"]) == 1
    err = capsys.readouterr().err
    assert "ok   build (in a temporary directory)" in err
    (line,) = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert line.startswith('Error: BuildError: build="never" but there is no complete build in ')
    assert line.endswith('Run "pyreact build" before starting the servers.')
    # `pyreact build` builds even for build="never": that is what such apps need it for.
    assert main(["build", "shop:never"]) == 0
    assert main(["check", "shop:never"]) == 0
    assert "ok   build='never' finds its build in " in capsys.readouterr().err


def test_check_reports_a_missing_assets_dir(app_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "shop:no_assets"]) == 1
    (line,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Error: ")]
    assert line == "Error: Config.assets_dir 'no-such-dir' is not a directory; create it or fix the path."


def test_run_with_build_never_and_no_build_fails_before_serving(
    app_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--no-reload", "--port", "0", "shop:never"]) == 1
    (line,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Error: ")]
    assert 'build="never" but there is no complete build' in line
