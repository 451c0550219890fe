from __future__ import annotations

from pathlib import Path

import pytest

import pyreact_asgi as pr
from examples.counter import Counter
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.components.custom import ReactComponent
from pyreact_asgi.exceptions import ConfigError

SOURCE = "function Gauge({ value, onMove }) { return <meter value={value} onClick={() => onMove(value)} />; }\n"


@pytest.fixture
def gauge(tmp_path: Path) -> ReactComponent:
    path = tmp_path / "gauge.jsx"
    path.write_text(SOURCE)
    return pr.react_component("Gauge", path=path, props={"value": int}, events=["on_move"])


def test_custom_component_source_and_events_are_compiled(gauge: ReactComponent) -> None:
    module = compile_app({"/": lambda: gauge(value=Counter.count, on_move=Counter.increment)}).module("rt.js")
    assert SOURCE in module
    assert '<Gauge value={v.counter.count} onMove={(e) => emit("counter.increment", [e])}></Gauge>' in module


def test_custom_component_file_change_changes_the_module(gauge: ReactComponent) -> None:
    before = compile_app({"/": lambda: gauge(value=1)}).module("rt.js")
    gauge.path.write_text(SOURCE.replace("meter", "progress"))
    assert compile_app({"/": lambda: gauge(value=1)}).module("rt.js") != before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": "high"}, r"Prop 'value' of Gauge: Expected `int`, got `str`"),
        ({"size": 3}, r"Gauge has no prop 'size'; it takes \['value'\]"),
        ({"on_drop": Counter.reset}, r"Gauge has no event 'on_drop'"),
        ({"on_move": "counter.reset"}, r"Expected an event handler such as State.handler for 'on_move'"),
    ],
)
def test_custom_component_bad_props(gauge: ReactComponent, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        gauge(**kwargs)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('import x from "y";\n' + SOURCE, r"cannot import or export"),
        ("export " + SOURCE, r"cannot import or export"),
        ("function Other() {}", r"must define the component 'Gauge'"),
    ],
)
def test_custom_component_file_must_be_plain(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "gauge.jsx"
    path.write_text(source)
    gauge = pr.react_component("Gauge", path=path)
    with pytest.raises(ConfigError, match=message):
        compile_app({"/": lambda: gauge()})


@pytest.mark.parametrize(
    ("name", "path", "events", "message"),
    [
        ("gauge", "x.jsx", (), r"Expected a CapWords component name"),
        ("React", "x.jsx", (), r"Expected a CapWords component name"),
        ("Gauge", "missing.jsx", (), r"to exist"),
        ("Gauge", "x.jsx", ("move",), r"Expected event names like 'on_pick'"),
    ],
)
def test_react_component_bad_definition(
    tmp_path: Path, name: str, path: str, events: tuple[str, ...], message: str
) -> None:
    (tmp_path / "x.jsx").write_text(SOURCE)
    with pytest.raises(ConfigError, match=message):
        pr.react_component(name, path=tmp_path / path, events=events)
