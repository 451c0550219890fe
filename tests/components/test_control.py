from __future__ import annotations

from typing import Any, cast

import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import CompileError, ConfigError


class Shelf(pr.State):
    books: list[dict[str, Any]] = []  # noqa: RUF012
    shelves: list[list[str]] = []  # noqa: RUF012
    empty: bool = True

    @pr.event
    def pick(self, index: int) -> None:
        pass


def _page(fn: Any) -> str:
    return compile_app({"/": fn}).pages["/"]


def test_foreach_maps_items_with_keys_and_binds_the_index_to_events() -> None:
    src = _page(lambda: pr.foreach(Shelf.books, lambda book, i: pr.button(book["title"], on_click=Shelf.pick(i))))
    assert src.startswith("<React.Fragment>{(v.shelf.books ?? []).map((item0, index0) => <React.Fragment key={index0}>")
    assert '{(item0)?.["title"]}' in src
    assert 'emit("shelf.pick", [index0])' in src


def test_nested_foreach_items_have_names_of_their_own() -> None:
    src = _page(
        lambda: pr.foreach(Shelf.shelves, lambda shelf: pr.box(pr.foreach(shelf, lambda title: pr.text(title))))
    )
    assert "(item0 ?? []).map((item1, index1)" in src


def test_cond_of_components_and_of_values() -> None:
    src = _page(lambda: pr.cond(Shelf.empty, pr.text("Nothing"), pr.text("Books")))
    assert src.startswith("<React.Fragment>{(ops.truthy(v.shelf.empty)) ? <React.Fragment><p")
    value = pr.cond(Shelf.empty, "grey", "black")
    assert isinstance(value, pr.Var)
    assert value.js == '(ops.truthy(v.shelf.empty) ? "grey" : "black")'
    assert _page(lambda: pr.cond(Shelf.empty, pr.text("Nothing")))  # without else


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: pr.foreach([1, 2], lambda x: pr.text(x)), ConfigError, r"Expected pr.foreach over a Var"),
        (lambda: pr.foreach(Shelf.books, lambda a, b, c: pr.text(a)), ConfigError, r"takes 3"),
        (lambda: pr.cond(True, pr.text("x")), ConfigError, r"Expected pr.cond on a Var"),
        (
            lambda: cast(Any, cast(pr.Var, Shelf.books))[1.5],
            CompileError,
            r"can be indexed with an int, a str or a Var",
        ),
    ],
)
def test_control_flow_misuse(build: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build()


def test_match_picks_by_equality_with_a_default() -> None:
    value = pr.match(Shelf.empty, (True, "empty"), (False, "full"), default="?")
    assert isinstance(value, pr.Var)
    assert value.js.count("ops.eq(v.shelf.empty") == 2
    src = _page(lambda: pr.match(Shelf.empty, (True, pr.text("empty")), default=pr.text("full")))
    assert "ops.truthy(ops.eq(v.shelf.empty, true))" in src
    with pytest.raises(ConfigError, match=r"Expected pr.match cases as \(value, result\) pairs"):
        pr.match(Shelf.empty, ("x",))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"Expected pr.match on a Var"):
        pr.match("x", ("x", 1))
