"""Style keywords: CSS properties in snake_case, plus the Reflex and Radix spellings users type."""

from __future__ import annotations

from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app


def css(component: pr.Component) -> str:
    return component.css.split("{", 1)[1].rsplit("}", 1)[0]


@pytest.mark.parametrize(
    ("component", "expected"),
    [
        (pr.vstack(spacing="4"), "gap:var(--pr-space-4,16px)"),
        (pr.hstack(spacing="1"), "gap:var(--pr-space-1,4px)"),
        (
            pr.box(gap="9", padding="2", margin_top="0"),
            "gap:var(--pr-space-9,64px);padding:var(--pr-space-2,8px);margin-top:0",
        ),
        (pr.vstack(spacing="1.5rem"), "gap:1.5rem"),
        (pr.vstack(align="center", justify="between"), "align-items:center;justify-content:space-between"),
        (pr.hstack(align="start", justify="end"), "align-items:start;justify-content:end"),
        (pr.flex(align="end", justify="around"), "align-items:end;justify-content:space-around"),
        (pr.text("a", align="center", size="3"), "font-size:16px;text-align:center"),
        (pr.heading("a", size="9"), "font-size:60px"),
        (pr.heading("a", size="2.5rem"), "font-size:2.5rem"),
        (pr.button("a", color_scheme="red"), "--pr-accent:#e5484d"),
        (pr.box(color_scheme="dark"), "color-scheme:dark"),
        (pr.box(webkit_line_clamp=2), "-webkit-line-clamp:2"),
        (pr.box(p="3", mx="auto"), "padding:var(--pr-space-3,12px);margin-inline:auto"),
        (pr.box(padding_x="1em", margin_y="2"), "padding-inline:1em;margin-block:var(--pr-space-2,8px)"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_reflex_and_radix_spellings_become_css(component: pr.Component, expected: str) -> None:
    assert css(component) == expected


def test_spacing_scale_is_responsive_and_follows_the_theme() -> None:
    component = pr.vstack(spacing=["2", "6"])
    assert "gap:var(--pr-space-2,8px)" in component.css
    assert "@media (min-width:30em){" in component.css
    assert "gap:var(--pr-space-6,32px)" in component.css
    theme = pr.Theme(space=("2px", "4px", "6px", "8px", "12px", "16px", "20px", "24px", "32px"))
    assert ":root{--pr-space-1:2px;--pr-space-2:4px" in compile_app({"/": lambda: component}, theme=theme).css
    assert "--pr-space" not in pr.Theme().css()


def test_theme_spacing_scale_needs_nine_steps() -> None:
    with pytest.raises(pr.ConfigError, match=r"Expected space to have 9 steps, from 1 to 9, but got 2"):
        pr.Theme(space=("1px", "2px"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: pr.box(size="3"),
            r"keyword 'size'; size is a prop of pr.container, .* use font_size, or width and height",
        ),
        (lambda: pr.box(variant="soft"), r"keyword 'variant'; variant is a prop of pr.button"),
        (lambda: pr.button("a", loading=True), r"keyword 'loading'; show a pr.spinner\(\)"),
        (lambda: pr.text("a", weight="bold"), r"of <p>, but got the keyword 'weight'; use font_weight"),
        (
            lambda: pr.box(colour="red"),
            r"Expected a CSS property or a prop of <div>, but got the keyword 'colour'; did you mean 'color'",
        ),
        (lambda: pr.box(spacingg="4"), r"keyword 'spacingg'"),
        (lambda: pr.button("a", _hover={"colr": "red"}), r"prop of _hover of <button>, but got the keyword 'colr'"),
        (lambda: pr.button("a", color_scheme="rainbow"), r"Expected color_scheme of <button> to be a Radix colour"),
        (lambda: pr.text("a", size=3), r"Expected size of pr.text to be a step of the type scale"),
        (lambda: pr.text("a", size="12"), r"Expected size of pr.text to be a step of the type scale"),
    ],
    ids=[
        "size",
        "variant",
        "padding-x",
        "weight",
        "typo",
        "unknown",
        "pseudo",
        "color-scheme",
        "size-int",
        "size-digits",
    ],
)
def test_keyword_that_is_not_css_is_a_compile_error_naming_the_spelling(make: Any, message: str) -> None:
    with pytest.raises(pr.ConfigError, match=message):
        make()


def test_keyword_errors_name_the_page_when_compiling() -> None:
    with pytest.raises(pr.CompileError, match=r"keyword 'spacin'; did you mean 'spacing'\. \(in page '/'\)"):
        compile_app({"/": lambda: pr.vstack(spacin="4")})
