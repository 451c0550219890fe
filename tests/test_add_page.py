from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

import pyreact_asgi as pr
from tests.reflex import decorated


def home() -> pr.Component:
    return pr.text("home")


def about_us() -> pr.Component:
    return pr.text("about")


def test_add_page_routes_a_function_by_its_name_and_keeps_its_settings() -> None:
    ui = pr.PyApp()
    ui.add_page(home, route="/")
    ui.add_page(about_us, title="About", on_load=decorated.Blog.load)
    assert sorted(ui.pages) == ["/", "/about-us"]
    assert ui.pages["/about-us"].title == "About"
    assert [spec.path for spec in ui.pages["/about-us"].on_load] == ["blog.load"]
    assert ui.routes.match("/about-us") == ("/about-us", {})


def test_add_page_index_is_the_root() -> None:
    ui = pr.PyApp()
    ui.add_page(home)
    ui.add_page(decorated.index, route=None)
    assert sorted(ui.pages) == ["/", "/home"]
    ui = pr.PyApp()

    def index() -> pr.Component:
        return pr.text("index")

    ui.add_page(index)
    assert list(ui.pages) == ["/"]


def test_add_page_refuses_a_taken_route_and_a_non_page() -> None:
    ui = pr.PyApp(pages={"/": home})
    with pytest.raises(pr.ConfigError, match=r"Two pages have the route '/'"):
        ui.add_page(about_us, route="/")
    with pytest.raises(pr.ConfigError, match=r"Expected a page function, but got 'about'"):
        ui.add_page("about")  # type: ignore[arg-type]
    with pytest.raises(pr.ConfigError, match=r"Expected a page route like"):
        ui.add_page(about_us, route="about")


def test_page_decorator_keeps_the_function_a_page_function() -> None:
    assert decorated.about_us().tag == "p"
    settings = pr.page(decorated.about_us)
    assert settings.fn is decorated.about_us
    # The wrapper spelling still works, and a decorated function used as a page keeps its settings.
    ui = pr.PyApp(pages={"/a": decorated.about_us, "/b": pr.page(home, title="B")})
    assert ui.pages["/a"].title == "About us"
    assert ui.pages["/b"].title == "B"


def test_page_decorator_pages_of_the_module_that_creates_the_app_are_added() -> None:
    ui = decorated.make_app()
    assert sorted(ui.pages) == ["/", "/about-us"]
    assert ui.pages["/"].title == "Home"
    assert [spec.path for spec in ui.pages["/about-us"].on_load] == ["blog.load"]


def test_page_decorator_pages_of_other_modules_are_not_added_unless_asked() -> None:
    ui = pr.PyApp(pages={"/": home})
    assert list(ui.pages) == ["/"]
    ui.add_page(decorated.about_us)
    assert sorted(ui.pages) == ["/", "/about-us"]
    ui.add_page(decorated.about_us, route="/again", title="Again")
    assert ui.pages["/again"].title == "Again"


def test_page_decorator_refuses_bad_settings() -> None:
    with pytest.raises(pr.ConfigError, match=r"Expected the page title to be a string, but got 5"):
        pr.page(route="/x", title=5)(home)  # type: ignore[call-overload]
    with pytest.raises(pr.ConfigError, match=r'Expected the page route to be a string such as "/reports", but got 5'):
        pr.page(route=5)(home)  # type: ignore[call-overload]


def test_app_without_pages_fails_to_start_with_the_fix(tmp_path: Path) -> None:
    ui = pr.PyApp(config=pr.Config(build_dir=tmp_path))
    with pytest.raises(pr.ConfigError, match=r"Expected the app to have pages, but it has none; pass pages="):
        ui.build()


def test_add_page_after_startup_is_an_error(shared_build_dir: Path) -> None:
    ui = pr.PyApp(config=pr.Config(build_dir=shared_build_dir / "test_add_page"))
    ui.add_page(home, route="/")
    with TestClient(ui) as client:
        assert client.get("/").status_code == 200
        with pytest.raises(pr.AlreadyStartedError, match=r"Cannot add the page '/late' once the app has started"):
            ui.add_page(about_us, route="/late")
        assert list(ui.pages) == ["/"]
        assert client.get("/late").status_code == 404


def test_two_apps_in_one_module_share_no_pages() -> None:
    first, second = decorated.make_app(), decorated.make_app()
    first.add_page(home, route="/home")
    assert "/home" not in second.pages
