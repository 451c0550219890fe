from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import pyreact_asgi as pr
from examples.counter import Counter, index
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import CompileError, ConfigError


def test_page_on_load_handlers_are_compiled_per_route() -> None:
    compiled = compile_app({"/": pr.page(index, on_load=[Counter.reset, Counter.increment(2)]), "/plain": index})
    assert compiled.loads == {
        "/": ['(e) => emit("counter.reset", [])', '(e) => emit("counter.increment", [2])'],
        "/plain": [],
    }
    assert 'loads: { "/": [(e) => emit("counter.reset", [])' in compiled.module("rt.js")


def test_page_on_load_handler_missing_arguments_is_a_compile_error() -> None:
    with pytest.raises(CompileError, match=r'"counter.set_name" needs 1 argument\(s\) that on_load does not supply'):
        compile_app({"/": pr.page(index, on_load=Counter.set_name)})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fn": "index"}, r"Expected a page function, but got 'index'"),
        ({"fn": index, "title": 5}, r"Expected the page title to be a string, but got 5"),
        ({"fn": index, "description": 5}, r"Expected the page description to be a string, but got 5"),
        ({"fn": index, "on_load": ["counter.reset"]}, r"Expected on_load handlers such as State.load"),
    ],
)
def test_page_bad_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        pr.page(**kwargs)


def test_page_title_is_served_for_its_route_only(shared_build_dir: Path) -> None:
    ui = pr.PyApp(
        {"/": index, "/reports": pr.page(index, title="Reports <2026>", description='Sales "by" region')},
        config=pr.Config(title="Admin", build_dir=shared_build_dir / "test_page"),
    )
    with TestClient(ui) as client:
        reports = client.get("/reports").text
        assert "<title>Reports &lt;2026&gt;</title>" in reports
        assert '<meta name="description" content="Sales &quot;by&quot; region">' in reports
        home = client.get("/").text
        assert "<title>Admin</title>" in home
        assert 'name="description"' not in home


def test_custom_404_page_is_served_with_404_and_compiled_apart_from_routes(shared_build_dir: Path) -> None:
    ui = pr.PyApp(
        {"/": index},
        config=pr.Config(build_dir=shared_build_dir / "test_page_404"),
        not_found=pr.page(lambda: pr.text("gone"), title="Gone"),
    )
    with TestClient(ui) as client:
        missing = client.get("/nope")
        assert missing.status_code == 404
        assert "<title>Gone</title>" in missing.text
        assert '<meta name="pyreact-mount"' in missing.text  # the app's shell: the browser renders the 404 page
    assert ui.routes.match("/_404") is None


def test_not_found_must_be_a_page() -> None:
    with pytest.raises(ConfigError, match=r"Expected not_found to be a page function, but got 'oops'"):
        pr.PyApp({"/": index}, not_found="oops")  # type: ignore[arg-type]
