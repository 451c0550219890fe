from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import ConfigError


class Kit(pr.State):
    name: str = ""
    on: bool = False
    rows: list[dict[str, str]] = []  # noqa: RUF012
    color: str = "red"

    @pr.event
    def save(self, form: dict[str, str]) -> None:
        pass

    @pr.event
    def flip(self, value: bool) -> None:
        pass

    @pr.event
    def level(self, value: float) -> None:
        pass

    @pr.event
    def key(self, key: str) -> None:
        pass

    @pr.event
    def mounted(self) -> None:
        pass


def jsx(fn: Callable[[], Component]) -> str:
    return compile_app({"/": fn}).pages["/"]


@pytest.mark.parametrize(
    ("component", "tag", "base_class"),
    [
        (lambda: pr.flex("a"), "div", "pr-flex"),
        (lambda: pr.grid("a"), "div", "pr-grid"),
        (lambda: pr.center("a"), "div", "pr-center"),
        (lambda: pr.spacer(), "div", "pr-spacer"),
        (lambda: pr.divider(), "hr", "pr-divider"),
        (lambda: pr.link("a", href="/x"), "Link", "pr-link"),
        (lambda: pr.code("x"), "code", "pr-code"),
        (lambda: pr.code("x", block=True), "pre", "pr-code-block"),
        (lambda: pr.form(), "Form", "pr-form"),
        (lambda: pr.textarea(), "Textarea", "pr-input pr-textarea"),
        (lambda: pr.select(["a"]), "select", "pr-input pr-select"),
        (lambda: pr.radio_group(["a"]), "div", "pr-radio-group"),
        (lambda: pr.checkbox("a"), "label", "pr-checkbox"),
        (lambda: pr.switch("a"), "label", "pr-switch"),
        (lambda: pr.slider(), "Input", "pr-slider"),
        (lambda: pr.number_input(), "Input", "pr-input"),
        (lambda: pr.date_input(), "Input", "pr-input"),
        (lambda: pr.badge("x"), "span", "pr-badge pr-badge-accent"),
        (lambda: pr.avatar(name="Ada Lovelace"), "span", "pr-avatar"),
        (lambda: pr.image(src="/a.png", alt="A"), "img", "pr-image"),
        (lambda: pr.icon("check"), "svg", "pr-icon"),
        (lambda: pr.spinner(), "span", "pr-spinner"),
        (lambda: pr.callout("x", status="error"), "div", "pr-callout pr-callout-error"),
        (lambda: pr.table([{"a": 1}], columns=["a"]), "table", "pr-table"),
        (lambda: pr.dialog("x", title="T"), "Dialog", "pr-dialog"),
        (lambda: pr.popover(pr.button("b"), "x"), "Popover", "pr-popover"),
        (lambda: pr.tooltip(pr.button("b"), content="tip"), "Tooltip", "pr-tooltip"),
        (lambda: pr.dropdown_menu(pr.button("b"), pr.menu_item("x")), "DropdownMenu", "pr-menu"),
        (lambda: pr.tabs(("A", "a")), "Tabs", "pr-tabs"),
        (lambda: pr.accordion({"A": "a"}), "Accordion", "pr-accordion"),
        (lambda: pr.color_mode_toggle(), "ColorModeToggle", "pr-button pr-button-ghost pr-color-mode"),
    ],
)
def test_component_tag_and_class(component: Callable[[], Component], tag: str, base_class: str) -> None:
    built = component()
    assert built.tag == tag
    assert built.props["class_name"].startswith(base_class)
    assert "React.createElement" not in jsx(component)  # compiles


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pr.grid(columns=0), r"Expected columns of pr.grid to be a positive int"),
        (lambda: pr.container(size="huge"), r'Expected size of pr.container to be "sm", "md", "lg" or "xl"'),
        (lambda: pr.divider(vertical="yes"), r"Expected vertical of pr.divider to be a bool"),  # type: ignore[arg-type]
        (lambda: pr.link("x", href=3), r'Expected link href to be a path such as "/reports" or a URL, but got 3'),
        (lambda: pr.stat("a", 1, trend="sideways"), r'Expected trend of pr.stat to be "up", "down", "flat"'),  # type: ignore[arg-type]
        (lambda: pr.skeleton(lines=0), r"Expected lines of pr.skeleton to be an int from 1 to 50"),
        (lambda: pr.drawer("x", side="top"), r'Expected side of pr.drawer to be "left" or "right"'),  # type: ignore[arg-type]
        (lambda: pr.alert_dialog("x", title="t", confirm="OK"), r"Expected confirm of pr.alert_dialog"),  # type: ignore[arg-type]
        (lambda: pr.markdown(3), r"Expected pr.markdown source to be text or a Var, but got 3"),  # type: ignore[arg-type]
        (lambda: pr.code_block(b"x"), r"Expected pr.code_block code to be text or a Var"),  # type: ignore[arg-type]
        (lambda: pr.line_chart("rows", x="d", y="v"), r"Expected data of pr.line_chart to be a list var"),  # type: ignore[arg-type]
        (lambda: pr.bar_chart(Kit.rows, x="d", y=[]), r"Expected at least one series for pr.bar_chart"),
        (lambda: pr.area_chart(Kit.rows, x="d", y="v", height=5), r"Expected height of pr.area_chart to be pixels"),
        (lambda: pr.line_chart(Kit.rows, x="d", y="v", format="money"), r"Expected format of pr.line_chart to be"),
        (lambda: pr.scatter_chart(Kit.rows, x="d", y=[3]), r"Expected a row key or pr.Series"),  # type: ignore[list-item]
        (lambda: pr.form(reset_on_submit="no"), r"Expected reset_on_submit of pr.form to be a bool"),  # type: ignore[arg-type]
        (lambda: pr.button("x", variant="big"), r"Expected variant of pr.button to be one of solid, outline"),
        (lambda: pr.input(debounce=-1), r"Expected debounce of pr.input to be milliseconds as an int >= 0"),
        (lambda: pr.textarea(debounce="1s"), r"Expected debounce of pr.textarea to be milliseconds"),
        (lambda: pr.slider(min=5, max=5), r"Expected min < max for pr.slider"),
        (lambda: pr.slider(step="1"), r"Expected step of pr.slider to be a number"),  # type: ignore[arg-type]
        (lambda: pr.checkbox("x", checked="yes"), r"Expected checked of pr.checkbox to be a bool or Var"),
        (lambda: pr.switch(3.5), r"Expected label of pr.switch to be text, a Var or a component"),
        (lambda: pr.select([]), r"Expected options of pr.select to be a non-empty list"),
        (lambda: pr.radio_group([("a",)]), r"Expected each option of pr.radio_group to be a string or a"),  # type: ignore[list-item]
        (lambda: pr.badge("x", color="pink"), r"Expected color of pr.badge to be one of accent, gray"),
        (lambda: pr.avatar(), r"Expected pr.avatar\(name=...\) or pr.avatar\(src=...\)"),
        (lambda: pr.image(src="/a.png", alt=None), r"Expected alt of pr.image to be a string or Var"),
        (lambda: pr.icon("rocket"), r"Expected an icon name \(alert, check, "),
        (lambda: pr.callout("x", status="fatal"), r"Expected status of pr.callout to be one of info, success"),
        (lambda: pr.table("rows", columns=["a"]), r"Expected rows of pr.table to be a Var or a list of dicts"),
        (lambda: pr.table(Kit.rows, columns="a"), r"Expected columns of pr.table to be a non-empty list"),
        (lambda: pr.dialog("x", trigger="Open"), r"Expected trigger of pr.dialog to be a component"),  # type: ignore[arg-type]
        (lambda: pr.dialog("x", open="yes"), r"Expected open of pr.dialog to be a bool or Var"),
        (lambda: pr.popover("More"), r"Expected trigger of pr.popover to be a component"),  # type: ignore[arg-type]
        (lambda: pr.tooltip(pr.button("b"), content=3), r"Expected content of pr.tooltip to be text or a Var"),
        (lambda: pr.dropdown_menu(pr.button("b"), "x"), r"Expected each item of pr.dropdown_menu to be a component"),  # type: ignore[arg-type]
        (lambda: pr.tabs(), r"Expected pr.tabs to get at least one \(label, content\) pair"),
        (lambda: pr.tabs("A"), r"Expected each item of pr.tabs to be a \(label, content\) pair"),
        (lambda: pr.tabs(("A", "a"), default=1), r"Expected default of pr.tabs to be an index from 0 to 0"),
        (lambda: pr.accordion(("A", "a"), default_open=[2]), r"Expected default_open of pr.accordion"),
        (lambda: pr.Theme(accent="red;}"), r'Expected CSS value of "accent" for pr.Theme without any of'),
        (lambda: pr.Theme(color_mode="blue"), r'Expected color_mode to be "system", "light" or "dark"'),  # type: ignore[arg-type]
        (lambda: pr.Config(theme={"accent": "red"}), r"Expected theme to be a pr.Theme"),  # type: ignore[arg-type]
    ],
)
def test_component_argument_errors(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        call()


def test_form_submit_passes_the_fields() -> None:
    assert 'onSubmit={(e) => emit("kit.save", [e])}' in jsx(lambda: pr.form(on_submit=Kit.save))


def test_checkbox_and_switch_pass_a_bool() -> None:
    out = jsx(lambda: pr.switch("On", checked=Kit.on, on_change=Kit.flip))
    assert 'role={"switch"}' in out
    assert 'onChange={(e) => emit("kit.flip", [e.target.checked])}' in out
    assert "value={v.kit.on}" in out


def test_slider_and_number_input_pass_a_number() -> None:
    for component in (pr.slider, pr.number_input):
        out = jsx(lambda c=component: c(on_change=Kit.level))  # type: ignore[misc]
        assert 'onChange={(e) => emit("kit.level", [e.target.valueAsNumber])}' in out


def test_key_down_passes_the_key_and_flushes_only_on_enter() -> None:
    out = jsx(lambda: pr.input(on_key_down=Kit.key))
    assert 'onKeyDown={(e) => emit("kit.key", [e.key], e.key === "Enter")}' in out


def test_on_mount_is_a_ref_callback() -> None:
    compiled = compile_app({"/": lambda: pr.box(on_mount=Kit.mounted)})
    assert compiled.pages["/"] == '<div ref={mountRef((e) => emit("kit.mounted", []))}></div>'
    assert "mountRef" in compiled.module("rt.js").splitlines()[0]


def test_text_inputs_debounce_by_default() -> None:
    assert pr.input().props["debounce"] == 300
    assert pr.textarea(debounce=0).props["debounce"] == 0
    assert pr.date_input().props["debounce"] == 0


def test_radio_group_binds_checked_to_a_var() -> None:
    out = jsx(lambda: pr.radio_group(["a", "b"], value=Kit.name, name="letter"))
    assert 'checked={((v.kit.name) === "a")}' in out
    assert out.count('name={"letter"}') == 2


def test_table_of_a_var_renders_rows_in_the_browser() -> None:
    out = jsx(lambda: pr.table(Kit.rows, columns=[("name", "Name")]))
    assert '<th scope={"col"}>{"Name"}</th>' in out
    assert "(v.kit.rows ?? []).map((item0, index0) => " in out
    assert '<td>{(item0)?.["name"]}</td>' in out


def test_markdown_of_a_var_compiles_to_the_lazy_markdown_component() -> None:
    out = jsx(lambda: pr.markdown(Kit.name, id="notes"))
    assert out == '<Pkg_markdown_Markdown source={v.kit.name} id={"notes"}></Pkg_markdown_Markdown>'


def test_chart_props_are_camel_cased_and_unset_ones_left_out() -> None:
    out = jsx(lambda: pr.line_chart(Kit.rows, x="day", y=pr.Series(key="v", label="Visits"), x_label="Day"))
    assert out == (
        '<Pkg_charts_Chart kind={"line"} data={v.kit.rows} x={"day"} series={[{"key": "v", "label": "Visits"}]} '
        'height={300} xLabel={"Day"}></Pkg_charts_Chart>'
    )


def test_avatar_initials() -> None:
    assert pr.avatar(name="Ada Lovelace").children == ("AL",)


class TestStaticStyles:
    def test_same_style_gives_the_same_class(self) -> None:
        a, b = pr.box(color="red", padding=4), pr.text("x", color="red", padding=4)
        assert a.props["class_name"] == b.props["class_name"].split()[-1]
        assert re.fullmatch(r"pr-[0-9a-f]{10}", a.props["class_name"])

    def test_different_style_gives_another_class(self) -> None:
        assert pr.box(color="red").props["class_name"] != pr.box(color="blue").props["class_name"]

    def test_numbers_are_pixels_except_unitless_properties(self) -> None:
        css = pr.box(padding=4, margin=0, opacity=0.5, z_index=2).css
        assert "padding:4px;margin:0;opacity:0.5;z-index:2" in css

    def test_pseudo_states_and_breakpoints_are_in_the_css(self) -> None:
        box = pr.box(width=["100%", None, "50%"], _hover={"background": "#000"}, gap={"base": 1, "lg": 8})
        cls = box.props["class_name"]
        assert box.css == (
            f".{cls}{{width:100%;gap:1px}}.{cls}:hover{{background:#000}}"
            f"@media (min-width:48em){{.{cls}{{width:50%}}}}@media (min-width:62em){{.{cls}{{gap:8px}}}}"
        )

    def test_var_styles_stay_inline(self) -> None:
        box = pr.box(color=Kit.color, padding=2)
        assert box.props["style"]["color"].js == "v.kit.color"
        assert "padding:2px" in box.css

    def test_the_app_style_sheet_collects_each_class_once_with_the_theme(self) -> None:
        compiled = compile_app(
            {"/": lambda: pr.vstack(pr.box(color="red"), pr.box(color="red"))},
            theme=pr.Theme(accent="#0ea5e9"),
        )
        assert compiled.css.startswith(":root{--pr-accent:#0ea5e9}")
        assert compiled.css.count("color:red") == 1
        assert "css: " in compiled.module("rt.js")

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"_hovered": {"color": "red"}}, r"Expected a pseudo-state keyword for <div> \(_active,"),
            ({"_hover": "red"}, r"Expected _hover of <div> to be a dict of CSS properties"),
            ({"_hover": {"color": Kit.color}}, r'"color" of _hover of <div> is a Var; pseudo-state and responsive'),
            ({"width": ["1px"] * 6}, r'Expected at most 5 responsive values \(base, sm, md, lg, xl\) for "width"'),
            ({"width": {"phone": "1px"}}, r'Expected breakpoints base, sm, md, lg, xl for "width" of <div>'),
            ({"color": "red;}body{x:y"}, r'Expected CSS value of "color" for <div> without any of'),
            ({"color": True}, r'Expected CSS value of "color" for <div> to be a string or number'),
        ],
    )
    def test_bad_styles_are_rejected(self, kwargs: dict[str, Any], message: str) -> None:
        with pytest.raises(ConfigError, match=message):
            pr.box(**kwargs)


def test_style_keywords_override_a_built_in_components_own_rules() -> None:
    compiled = compile_app({"/": lambda: pr.grid(pr.card("a", padding=24), pr.card("b", padding=8), pr.card("c"))})
    sheet = compiled.css
    card_rule = sheet.index(".pr-card{")
    # The card's own rules come once, before the static classes of the style keywords, so those win.
    assert sheet.count(".pr-card{") == 1
    assert all(sheet.index(rule) > card_rule for rule in ("padding:24px", "padding:8px"))
