from __future__ import annotations

import pytest

import pyreact_asgi as pr
from examples.counter import index
from pyreact_asgi.build import esbuild
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import BuildError


def test_transform_turns_jsx_into_create_element() -> None:
    js = esbuild.transform('const x = <div className={"a"}>{"hi"}</div>;', name="x.jsx")
    assert 'React.createElement("div", { className: "a" }, "hi")' in js
    assert "<div" not in js


def test_transform_keeps_module_syntax() -> None:
    js = esbuild.transform('import { React } from "./runtime.js";\nexport const y = <p></p>;', name="m.jsx")
    assert 'from "./runtime.js"' in js
    assert "export const y" in js


def test_transform_compiled_app_module() -> None:
    js = esbuild.transform(compile_app({"/": index}).module("runtime.abc.js"), name="app module")
    assert 'import { React, emit, start, useVars, Input } from "./runtime.abc.js";' in js
    assert "React.createElement(Input, { value: v.counter.name" in js
    assert 'emit("counter.increment", [10])' in js


@pytest.mark.parametrize("source", ["", "   \n\t"], ids=["empty", "blank"])
def test_transform_of_empty_source_is_empty(source: str) -> None:
    assert esbuild.transform(source, name="empty.jsx") == ""


@pytest.mark.parametrize(
    "source",
    ["const x = <div>;", "function (", 'const y = <p className={"a"></p>;'],
    ids=["unclosed-tag", "bad-function", "unclosed-brace"],
)
def test_transform_syntax_error_raises_build_error_naming_the_source(source: str) -> None:
    with pytest.raises(
        BuildError, match=r"esbuild returned no output for 'page /reports' \(likely a syntax error\); fix the source"
    ):
        esbuild.transform(source, name="page /reports")


def test_build_error_is_a_runtime_error() -> None:
    with pytest.raises(RuntimeError, match="app module"):
        esbuild.transform("<<<", name="app module")
    assert issubclass(BuildError, pr.PyReactError)
