"""Component packages: declared in Python, imported by the compiled module only when rendered, built into the app."""

from __future__ import annotations

from pathlib import Path

import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.build.pipeline import build_bundle
from pyreact_asgi.discovery.html import render_shell


class Pick(pr.State):
    day: str = ""

    @pr.event
    def choose(self, day: str) -> None:
        self.day = day


MODULE = 'import { jsx } from "react/jsx-runtime";\nexport function Picker(props) { return jsx("div", {}); }\n'


@pytest.fixture
def package(tmp_path: Path) -> pr.ComponentPackage:
    module = tmp_path / "picker.js"
    module.write_text(MODULE)
    return pr.component_package("picker", module=module)


def test_package_component_compiles_to_a_lazily_imported_component(package: pr.ComponentPackage) -> None:
    picker = package.component("Picker", props={"day": str}, events=["on_pick"])
    compiled = compile_app({"/": lambda: pr.box(picker(day=Pick.day, on_pick=Pick.choose)), "/b": lambda: pr.text("b")})
    assert compiled.pages["/"] == (
        '<div><Pkg_picker_Picker day={v.pick.day} onPick={(e) => emit("pick.choose", [e])}></Pkg_picker_Picker></div>'
    )
    module = compiled.module("runtime.X.js", {"picker": "pkg-picker.abc.js"})
    assert 'const Pkg_picker_Picker = lazyComponent(() => import("./pkg-picker.abc.js"), "Picker");' in module
    assert "lazyComponent" in module.splitlines()[0]
    # A page that does not render it never calls the import.
    assert module.count('import("./pkg-picker.abc.js")') == 1


def test_build_copies_the_package_module_under_a_content_hash_and_writes_the_import_map(
    package: pr.ComponentPackage, tmp_path: Path
) -> None:
    picker = package.component("Picker")
    bundle = build_bundle(compile_app({"/": lambda: picker()}), tmp_path / "build", "auto")
    names = [name for name in bundle.manifest.modules if name.startswith("pkg-picker.")]
    assert len(names) == 1
    assert bundle.assets[names[0]].body == MODULE.encode()
    assert f'import("./{names[0]}")' in bundle.assets[bundle.manifest.entry].body.decode()
    imports = bundle.manifest.import_map
    assert set(imports) == {"react", "react-dom", "react-dom/client", "react/jsx-runtime"}
    assert all(name in bundle.assets for name in imports.values())
    html = render_shell(
        mount="/a b", title="t", entry="app.js", runtime="runtime.js", import_map=imports, preload=("chunk.X.js",)
    ).decode()
    assert f'<script type="importmap">{{"imports":{{"react":"/a%20b/_static/{imports["react"]}"' in html
    assert '<link rel="modulepreload" href="/a%20b/_static/chunk.X.js">' in html
    assert html.index("importmap") < html.index('<script type="module"')


def test_a_changed_package_module_rebuilds_the_app(package: pr.ComponentPackage, tmp_path: Path) -> None:
    picker = package.component("Picker")
    first = build_bundle(compile_app({"/": lambda: picker()}), tmp_path / "build", "auto")
    assert isinstance(package.module, Path)
    package.module.write_text(MODULE + "// v2\n")
    second = build_bundle(compile_app({"/": lambda: picker()}), tmp_path / "build", "auto")
    assert second.built
    assert first.manifest.source_hash != second.manifest.source_hash


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: pr.component_package("Bad Name", module=p), r"Expected a package name of lowercase letters"),
        (lambda p: pr.component_package("ok", module=p.parent / "missing.js"), r"Expected the built module of"),
        (lambda p: pr.component_package("ok", module=p).component("lower"), r"Expected a CapWords export name"),
        (lambda p: pr.component_package("ok", module=p).component("A", events=["click"]), r"Expected event names"),
        (lambda p: pr.component_package("ok", module=p).component("A")(nope=1), r"A has no prop 'nope'"),
        (lambda p: pr.component_package("ok", module=p).component("A", props={"n": int})(n="x"), r"Prop 'n' of A"),
        (lambda p: pr.component_package("ok", module=p).component("A", events=["on_x"])(on_x=1), r"Expected an event"),
    ],
)
def test_component_package_errors(tmp_path: Path, call: object, message: str) -> None:
    module = tmp_path / "m.js"
    module.write_text(MODULE)
    with pytest.raises(pr.ConfigError, match=message):
        call(module)  # type: ignore[operator]


def test_two_different_packages_of_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text(MODULE)
    (tmp_path / "b.js").write_text(MODULE)
    first = pr.component_package("same", module=tmp_path / "a.js").component("Picker")
    second = pr.component_package("same", module=tmp_path / "b.js").component("Other")
    with pytest.raises(pr.CompileError, match=r"Two component packages are named 'same'"):
        compile_app({"/": lambda: pr.box(first(), second())})


def test_a_build_holds_only_the_modules_its_pages_can_load(tmp_path: Path) -> None:
    plain = build_bundle(compile_app({"/": lambda: pr.text("hi")}), tmp_path / "plain", "auto")
    assert plain.manifest.modules == ()
    assert plain.manifest.import_map == {}, "no component package: no import map"
    with_chart = build_bundle(
        compile_app({"/": lambda: pr.dialog(pr.line_chart([{"x": 1, "y": 2}], x="x", y="y"), title="t")}),
        tmp_path / "chart",
        "auto",
    )
    kinds = {name.split(".")[0] for name in with_chart.manifest.modules}
    assert {"charts", "overlays"} <= kinds
    assert not kinds & {"markdown", "table", "ops", "react"}
