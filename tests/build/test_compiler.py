from __future__ import annotations

import re

import pytest

import pyreact_asgi as pr
from examples.counter import Counter, index
from pyreact_asgi.build import esbuild
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import CompileError, ConfigError
from pyreact_asgi.state.vars import Var


class Form(pr.State, setters=True):
    text: str = ""
    size: int = 12
    _token: str = "secret"

    @pr.event
    def save(self, draft: bool, note: str = "") -> None:
        pass


class Unsendable(pr.State):
    when: object = object()


def test_compile_demo_page_contains_vars_and_events() -> None:
    jsx = compile_app({"/": index}).pages["/"]
    assert "<h1 " in jsx
    assert "{v.counter.count}" in jsx
    assert 'onClick={(e) => emit("counter.increment", [])}' in jsx
    assert 'onClick={(e) => emit("counter.increment", [10])}' in jsx
    assert 'onChange={(e) => emit("counter.set_name", [e.target.value])}' in jsx
    assert "<Input value={v.counter.name}" in jsx
    assert re.search(r'className=\{"pr-vstack (pr-[0-9a-f]{10})"\}', jsx)
    assert "style=" not in jsx  # static CSS keywords are a class, not inline
    assert '{"Hello, "}{v.counter.name}' in jsx


def test_compile_collects_states_by_name() -> None:
    assert compile_app({"/": index}).states == {"counter": Counter}


def test_compile_module_imports_runtime_relatively_and_starts_with_public_defaults() -> None:
    module = compile_app({"/": index, "/other": lambda: pr.text(Form.text)}).module("runtime.0123.js")
    assert module.startswith('import { React, emit, start, useVars, Input } from "./runtime.0123.js";\n')
    assert 'start({ routes: { "/": Page0, "/other": Page1 }, loads: {  }, titles: {}, state: {' in module
    assert '"counter":{"count":0,"name":""}' in module
    assert '"form":{"text":"","size":12}' in module
    assert "_clicks_ever" not in module
    assert "secret" not in module


def test_compile_module_imports_input_only_when_used() -> None:
    module = compile_app({"/": lambda: pr.text("hi")}).module("runtime.js")
    assert module.startswith('import { React, emit, start, useVars } from "./runtime.js";')


def test_compile_text_is_quoted_as_a_js_string() -> None:
    jsx = compile_app({"/": lambda: pr.text('</p>{alert(1)} "x"', 3, 1.5, None)}).pages["/"]
    assert jsx == '<p className={"pr-text"}>{"</p>{alert(1)} \\"x\\""}{3}{1.5}</p>'


def test_compile_prop_names_become_react_names() -> None:
    jsx = compile_app(
        {"/": lambda: pr.box(class_name="c", aria_label="Close", data_test_id="t", tab_index=0, max_width="1px")}
    ).pages["/"]
    assert re.search(r'className=\{"pr-[0-9a-f]{10} c"\}', jsx)
    assert 'aria-label={"Close"}' in jsx
    assert 'data-test-id={"t"}' in jsx
    assert "tabIndex={0}" in jsx


def test_compile_none_props_are_left_out() -> None:
    jsx = compile_app({"/": lambda: pr.box(title=None)}).pages["/"]
    assert jsx == "<div></div>"


def test_compile_style_keys_that_are_not_identifiers_still_transform() -> None:
    # A user's style dict may hold CSS names ("font-size") or custom properties ("--brand").
    jsx = compile_app({"/": lambda: pr.box(style={"font-size": "1px", "--brand": Form.text})}).pages["/"]
    assert jsx == '<div style={{"font-size": "1px", "--brand": v.form.text}}></div>'
    assert "React.createElement" in esbuild.transform(f"const x = {jsx};", name="/")


def test_compile_nested_values_are_js_literals() -> None:
    jsx = compile_app({"/": lambda: pr.box(data_info={"a": [1, Form.size], "b": None})}).pages["/"]
    assert 'data-info={{"a": [1, v.form.size], "b": null}}' in jsx


def test_compile_var_expression_records_its_states() -> None:
    compiled = compile_app({"/": lambda: pr.text(Var("v.form.size * 2", frozenset({Form})))})
    assert "{v.form.size * 2}" in compiled.pages["/"]
    assert compiled.states == {"form": Form}


def test_compile_handler_with_var_args() -> None:
    jsx = compile_app({"/": lambda: pr.button("Save", on_click=Form.save(True, Form.text))}).pages["/"]
    assert 'onClick={(e) => emit("form.save", [true, v.form.text])}' in jsx


def test_compile_trigger_value_is_passed_to_a_setter() -> None:
    jsx = compile_app({"/": lambda: pr.input(on_input=Form.set_text)}).pages["/"]
    assert 'onInput={(e) => emit("form.set_text", [e.target.value])}' in jsx


# --- errors --------------------------------------------------------------------------------------------


def test_compile_backend_var_names_the_page() -> None:
    with pytest.raises(
        CompileError, match=r'"Form._token" is backend-only .* never reaches the browser \(in page \'/secret\'\)'
    ) as info:
        compile_app({"/": index, "/secret": lambda: pr.text(Form._token)})
    assert info.value.page == "/secret"


def test_compile_backend_var_in_a_prop_names_the_page() -> None:
    with pytest.raises(CompileError, match=r"backend-only .*\(in page '/'\)"):
        compile_app({"/": lambda: pr.input(value=Form._token)})


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (lambda: Form.save("yes"), r'Invalid arguments for "form.save": Expected `bool`, got `str` - at `\$\[0\]`'),
        (lambda: Form.save(), r'Expected 1 to 2 arguments for "form.save", but got 0'),
        (lambda: Form.save(True, "", 3), r'Expected 1 to 2 arguments for "form.save", but got 3'),
        (lambda: Counter.increment("ten"), r'Invalid arguments for "counter.increment": Expected `int`, got `str`'),
        (
            lambda: Form.save,
            r'"form.save" needs 1 argument\(s\) that on_click does not supply; bind them as Form.save\(...\)',
        ),
        (lambda: Form.set_size, r'"form.set_size" needs 1 argument\(s\) that on_click does not supply'),
    ],
    ids=["wrong-type", "too-few", "too-many", "demo-wrong-type", "unbound", "unbound-setter"],
)
def test_compile_wrong_event_args_are_caught(spec: object, message: str) -> None:
    with pytest.raises(CompileError, match=message + r".*\(in page '/'\)"):
        compile_app({"/": lambda: pr.button("Go", on_click=spec())})  # type: ignore[operator]


def test_compile_state_name_collision_is_a_config_error() -> None:
    class Counter(pr.State):  # same name as the demo's Counter
        count: int = 0

    local = Counter
    with pytest.raises(
        ConfigError,
        match=r'Two states are named "counter": examples.counter.Counter and .*<locals>.Counter; pass name="..." to one of them',
    ):
        compile_app({"/": index, "/b": lambda: pr.text(local.count)})


def test_compile_chosen_name_avoids_collision() -> None:
    class Counter(pr.State, name="other_counter"):
        count: int = 0

    local = Counter
    assert set(compile_app({"/": index, "/b": lambda: pr.text(local.count)}).states) == {"counter", "other_counter"}


def test_compile_var_in_python_condition_names_the_page() -> None:
    def page() -> Component:
        return pr.text("big") if Form.size else pr.text("small")

    with pytest.raises(CompileError, match=r"A Var \(v.form.size\) has no value in Python.*\(in page '/'\)"):
        compile_app({"/": page})


def test_compile_config_error_in_page_names_the_page() -> None:
    with pytest.raises(CompileError, match=r"Expected heading level from 1 to 6, but got 9.*\(in page '/h'\)"):
        compile_app({"/h": lambda: pr.heading("x", level=9)})


def test_compile_page_must_return_a_component() -> None:
    with pytest.raises(
        CompileError, match=r"Expected the page function to return a component, but got 'hello' \(in page '/'\)"
    ):
        compile_app({"/": lambda: "hello"})  # type: ignore[dict-item,return-value]


@pytest.mark.parametrize("tag", ["my-widget", "Widget", "script>"], ids=["dash", "unknown-capital", "bracket"])
def test_compile_unknown_tag_is_rejected(tag: str) -> None:
    with pytest.raises(CompileError, match=rf"Unknown component tag '{tag}' \(in page '/'\)"):
        compile_app({"/": lambda: pr.box(Component(tag, {}))})


@pytest.mark.parametrize("child", [True, object(), [pr.text("x")]], ids=["bool", "object", "list"])
def test_compile_bad_child_is_rejected(child: object) -> None:
    with pytest.raises(CompileError, match=r"Expected a component, Var, text or number as a child, but got"):
        compile_app({"/": lambda: pr.box(child)})  # type: ignore[arg-type]


def test_compile_unsendable_prop_is_rejected() -> None:
    with pytest.raises(CompileError, match=r"<object object at .*> cannot be sent to the browser \(in page '/'\)"):
        compile_app({"/": lambda: pr.box(title=object())})


def test_compile_event_spec_outside_a_trigger_is_rejected() -> None:
    with pytest.raises(CompileError, match=r"An event handler \(form.save\) can only be given to an on_\* trigger"):
        compile_app({"/": lambda: pr.box(title=Form.save)})


def test_compile_unsendable_state_default_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r'The default of "Unsendable.when" cannot be sent to the browser'):
        compile_app({"/": lambda: pr.text(Unsendable.when)})  # type: ignore[arg-type]


def test_compile_exception_from_page_is_not_hidden() -> None:
    def page() -> Component:
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        compile_app({"/": page})


class Inbox(pr.State):
    count: int = 0

    @pr.event
    def receive(self, files: list[pr.UploadedFile]) -> None:
        self.count = len(files)


def test_compile_upload_handler_only_on_upload() -> None:
    module = compile_app({"/": lambda: pr.upload(on_upload=Inbox.receive, multiple=True)}).module("rt.js")
    assert 'onUpload={(files, progress) => upload("inbox.receive", files, progress)}' in module
    assert module.startswith('import { React, emit, start, upload, useVars, Upload } from "./rt.js";')
    with pytest.raises(CompileError, match=r'"inbox.receive" receives uploaded files; attach it to on_upload'):
        compile_app({"/": lambda: pr.button("x", on_click=Inbox.receive)})
    with pytest.raises(CompileError, match=r'on_upload needs an upload handler.*"counter.increment" is not one'):
        compile_app({"/": lambda: pr.upload(on_upload=Counter.increment)})
    with pytest.raises(ConfigError, match=r"Expected pr.upload\(on_upload=State.handler\)"):
        pr.upload(multiple=True)


def test_compile_handler_taking_files_in_another_shape_is_rejected() -> None:
    class Odd(pr.State):
        @pr.event
        def receive(self, file: pr.UploadedFile, note: str) -> None:
            pass

    with pytest.raises(ConfigError, match=r"takes uploaded files in \'file\'; an upload handler takes exactly one"):
        compile_app({"/": lambda: pr.button("x", on_click=Odd.receive(None, "n"))})
