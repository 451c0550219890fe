from __future__ import annotations

from collections.abc import Callable

import pytest

import pyreact_asgi as pr
from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var


class Form(pr.State):
    name: str = pr.field("", setter=True)
    color: str = "red"
    theme: str = "dark"
    css: dict[str, str] = {}  # noqa: RUF012

    @pr.event
    def submit(self) -> None:
        pass


@pytest.mark.parametrize(
    ("fn", "tag", "base_class"),
    [
        (pr.vstack, "div", "pr-vstack"),
        (pr.hstack, "div", "pr-hstack"),
        (pr.box, "div", None),
        (pr.heading, "h1", "pr-heading pr-h1"),
        (pr.text, "p", "pr-text"),
        (pr.button, "button", "pr-button"),
    ],
    ids=["vstack", "hstack", "box", "heading", "text", "button"],
)
def test_component_tag_and_theme_class(fn: Callable[..., Component], tag: str, base_class: str | None) -> None:
    component = fn("hi")
    assert component.tag == tag
    assert component.props.get("class_name") == base_class
    assert component.children == ("hi",)


def test_component_static_css_keywords_become_a_class() -> None:
    component = pr.box(max_width="32rem", background="#fff", id="main")
    class_name = component.props["class_name"]
    assert component.props == {"id": "main", "class_name": class_name}
    assert component.css == f".{class_name}{{max-width:32rem;background:#fff}}"


def test_component_explicit_style_stays_inline_beside_the_class() -> None:
    component = pr.box(color="red", style={"color": "blue", "margin": 0})
    assert component.props["style"] == {"color": "blue", "margin": 0}
    assert "color:red" in component.css


def test_component_style_values_may_be_vars() -> None:
    style = pr.box(color=Form.color).props["style"]
    assert isinstance(style["color"], Var)
    assert style["color"].js == "v.form.color"


def test_component_style_may_be_a_var() -> None:
    style = pr.box(style=Form.css).props["style"]
    assert isinstance(style, Var)
    assert style.js == "v.form.css"


@pytest.mark.parametrize("style", ["color: red", ["color", "red"], 3], ids=["string", "list", "number"])
def test_component_style_must_be_a_dict(style: object) -> None:
    with pytest.raises(ConfigError, match=r'Expected style of <div> to be a dict such as \{"color": "red"\}, but got'):
        pr.box(style=style)


def test_component_style_var_with_var_css_keywords_is_rejected() -> None:
    with pytest.raises(
        ConfigError,
        match=r"Expected style of <div> to be a dict when CSS keywords are also given, but got StateVar\(Form.css\)",
    ):
        pr.box(color=Form.color, style=Form.css)


def test_component_children_keep_vars_and_components() -> None:
    inner = pr.text("x")
    var, child, number, nothing = pr.vstack(Form.name, inner, 3, None).children
    assert isinstance(var, Var)
    assert var.js == "v.form.name"
    assert (child, number, nothing) == (inner, 3, None)


def test_component_common_props_are_attributes() -> None:
    component = pr.box(id="a", title="t", role="note", tab_index=0, hidden=False, lang="en", dir="ltr", key="k")
    assert "style" not in component.props
    assert component.props["tab_index"] == 0


def test_component_aria_and_data_are_attributes() -> None:
    component = pr.box(aria_label="Close", data_test_id="x")
    assert component.props == {"aria_label": "Close", "data_test_id": "x"}


def test_component_props_may_be_vars() -> None:
    component = pr.input(value=Form.name, placeholder="Name")
    assert isinstance(component.props["value"], Var)
    assert component.props["value"].js == "v.form.name"
    assert component.props["placeholder"] == "Name"
    assert "style" not in component.props


def test_component_user_class_joins_theme_class() -> None:
    assert pr.text("x", class_name="lead").props["class_name"] == "pr-text lead"
    assert pr.box(class_name="plain").props["class_name"] == "plain"


def test_component_var_class_joins_theme_class_in_the_browser() -> None:
    class_name = pr.text("x", class_name=Form.theme).props["class_name"]
    assert isinstance(class_name, Var)
    assert class_name.js == '"pr-text " + (v.form.theme)'
    assert class_name.states == frozenset({Form})


def test_component_on_event_takes_an_event_spec() -> None:
    spec = Form.submit
    component = pr.button("Go", on_click=spec)
    assert component.props["on_click"].path == "form.submit"


@pytest.mark.parametrize("handler", [lambda: None, "form.submit", None], ids=["lambda", "string", "none"])
def test_component_on_event_rejects_anything_else(handler: object) -> None:
    with pytest.raises(
        ConfigError, match=r"Expected an event handler such as `State.handler` for 'on_click' of <button>"
    ):
        pr.button("Go", on_click=handler)


@pytest.mark.parametrize(
    "name",
    ["fontSize", "__private", "data-x", "Color", "_on_click"],
    ids=["camel", "underscore", "dash", "upper", "on"],
)
def test_component_keyword_must_be_snake_case(name: str) -> None:
    with pytest.raises(ConfigError, match=rf"Expected a snake_case keyword for <div>, but got '{name}'"):
        pr.box(**{name: "1px"})


def test_button_is_type_button_by_default() -> None:
    assert pr.button("Go").props["type"] == "button"
    assert pr.button("Go", type="submit").props["type"] == "submit"


def test_button_disabled_is_an_attribute() -> None:
    assert pr.button("Go", disabled=True).props["disabled"] is True


def test_heading_level_sets_tag_and_size() -> None:
    heading = pr.heading("Title", level=3)
    assert heading.tag == "h3"
    assert heading.props["class_name"] == "pr-heading pr-h3"


def test_heading_size_can_be_overridden() -> None:
    heading = pr.heading("Title", font_size="5rem")
    assert heading.css.endswith("{font-size:5rem}")


@pytest.mark.parametrize("level", [0, 7, "1", True], ids=["zero", "seven", "string", "bool"])
def test_heading_level_out_of_range_is_rejected(level: object) -> None:
    with pytest.raises(ConfigError, match=r"Expected heading level from 1 to 6, but got"):
        pr.heading("Title", level=level)  # type: ignore[arg-type]


def test_input_is_the_runtime_component_without_children() -> None:
    component = pr.input(value=Form.name, on_change=Form.set_name, read_only=False, max_length=10)
    assert component.tag == "Input"
    assert component.children == ()
    assert component.props["class_name"] == "pr-input"
    assert "style" not in component.props


def test_component_repr_names_tag_props_and_child_count() -> None:
    assert repr(pr.box("a", "b", id="x")) == "Component('div', props=['id'], children=2)"
