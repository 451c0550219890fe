"""The one definition of every name the server and the browser runtime share, held to it."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi import _contract
from pyreact_asgi._codec import decode, js_literal
from pyreact_asgi._contract import (
    RUNTIME_COMPONENTS,
    RUNTIME_HELPERS,
    ClientContract,
    client_contract,
    reserved_name,
    split_stored_var_key,
    stored_var_key,
)
from pyreact_asgi.actions import Action
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.build.pipeline import STATIC_DIR, runtime_files
from pyreact_asgi.exceptions import CompileError, ConfigError

FRONTEND = Path(__file__).parent.parent / "frontend" / "src"


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, msgspec.Struct):
        return set().union(*(_strings(getattr(value, f)) for f in value.__struct_fields__))
    return set()


def _shared_strings() -> set[str]:
    """Every string constant of the contract and every value the runtime is handed, but identifiers."""
    constants = {
        value for name, value in vars(_contract).items() if name.isupper() and isinstance(value, str) and value
    }
    identifiers = RUNTIME_HELPERS | RUNTIME_COMPONENTS | _contract.VAR_SCOPE
    every = (constants | _strings(client_contract()) | set(_contract.STORAGE_KINDS)) - identifiers
    # A one-character separator (".") is everywhere in JavaScript; runtime.js reads it from the contract too.
    return {value for value in every if len(value) > 1}


def _js_sources() -> dict[str, str]:
    if not FRONTEND.is_dir():
        pytest.skip("installed without the frontend sources")
    return {path.relative_to(FRONTEND).as_posix(): path.read_text() for path in sorted(FRONTEND.rglob("*.js"))}


def _spellings(text: str, value: str) -> list[str]:
    quoted = re.escape(value)
    # A quoted literal ("page", 'page', `page`), or, for a path or a name with "-", anywhere (template strings).
    pattern = rf"([\"'`]){quoted}\1"
    if re.search(r"[/\-]", value):
        pattern += rf"|{quoted}(?![\w-])"
    return [m.group(0) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]


def test_runtime_sources_spell_no_shared_name() -> None:
    shared = _shared_strings()
    # The check covers what the issue found copied by hand.
    assert {"/_event", "/_upload", "/_404", "pyreact-mount", "X-Pyreact-Token", "event", "cookie"} <= shared
    found = {
        f"{name}: {spelling}"
        for name, text in _js_sources().items()
        for value in shared
        for spelling in _spellings(text, value)
    }
    assert not found, f"spell these through start()'s contract (pyreact_asgi/_contract.py): {sorted(found)}"


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("socket.emit('event', x)", "event"),
        ("path: `${mount}/_event`,", "/_event"),
        ("document.querySelector('meta[name=\"pyreact-mount\"]')", "pyreact-mount"),
        ('xhr.setRequestHeader("x-pyreact-token", t)', "X-Pyreact-Token"),
    ],
)
def test_the_spelling_check_finds_a_copied_name(source: str, value: str) -> None:
    assert _spellings(source, value)


def test_the_spelling_check_ignores_names_inside_other_words() -> None:
    assert _spellings('const events = "eventual"; x.event', "event") == []


def test_runtime_exports_every_name_the_compiled_module_imports() -> None:
    exported: set[str] = set()
    for entry in ("runtime", "overlays", "ops"):
        bundle = (STATIC_DIR / runtime_files().entries[entry]).read_text()
        match = re.search(r"export\s*\{([^}]*)\}\s*;?\s*$", bundle)
        assert match, f"the bundled {entry} module ends with its export list"
        exported |= {part.split(" as ")[-1].strip() for part in match.group(1).split(",")}
    assert RUNTIME_COMPONENTS | RUNTIME_HELPERS <= exported


def test_runtime_runs_every_action_kind_and_no_other() -> None:
    source = _js_sources()["runtime.js"]
    table = re.search(r"const ACTIONS = \{(.*?)\n\};", source, flags=re.DOTALL)
    assert table
    handled = set(re.findall(r"^  ([a-z_]+):", table.group(1), flags=re.MULTILINE))
    tags = {cls.__struct_config__.tag for cls in Action.__subclasses__()}
    assert handled == tags


def test_compiled_module_hands_the_runtime_its_contract() -> None:
    module = compile_app({"/": lambda: pr.text("hi")}, event_path="/_ws").module("rt.js")
    handed = re.search(r"contract: (\{.*\}) \}\);$", module.strip())
    assert handed
    contract = msgspec.convert(decode(handed.group(1)), ClientContract)
    assert contract == client_contract("/_ws")
    assert contract.event_path == "/_ws"


def test_app_hands_the_runtime_its_event_path(tmp_path: Path) -> None:
    ui = pr.PyApp({"/": lambda: pr.text("hi")}, config=pr.Config(event_path="/_ws", build_dir=tmp_path))
    bundle = ui.build()
    entry = bundle.assets[bundle.manifest.entry].body.decode()
    assert re.search(r'"eventPath":\s*"/_ws"', entry)


@pytest.mark.parametrize("key", ["app.theme", "app.prefs.theme", "a.b.c.d"])
def test_stored_var_key_splits_at_its_last_separator(key: str) -> None:
    state, var = split_stored_var_key(key)
    assert "." not in var
    assert stored_var_key(state, var) == key


def test_substate_stored_var_key_names_the_substate() -> None:
    class Top(pr.State):
        pass

    class Prefs(pr.State, parent=Top, name="prefs"):
        theme: str = pr.local_storage("light")

    module = compile_app({"/": lambda: pr.text(Prefs.theme)}).module("rt.js")
    assert js_literal("top.prefs.theme") + ':{"key":"top.prefs.theme","kind":"local"}' in module
    assert split_stored_var_key("top.prefs.theme") == (Prefs.state_name(), "theme")


@pytest.mark.parametrize("name", sorted(RUNTIME_COMPONENTS | {"React", "Page0", "Page12"}))
def test_react_component_refuses_a_name_the_compiled_module_takes(tmp_path: Path, name: str) -> None:
    jsx = tmp_path / "c.jsx"
    jsx.write_text(f"function {name}(props) {{ return null; }}")
    with pytest.raises(ConfigError, match=rf"not used by pyreact_asgi, but got {name!r}.*rename your component"):
        pr.react_component(name, path=jsx)


def test_reserved_names_are_the_compilers_own() -> None:
    assert all(reserved_name(name) for name in RUNTIME_COMPONENTS | RUNTIME_HELPERS)
    assert not reserved_name("Sparkline")
    assert not reserved_name("Pages")


class Count(pr.State):
    n: int = 0


def _imports(module: str) -> list[str]:
    first = module.splitlines()[0]
    match = re.match(r"import \{ (.*) \} from", first)
    assert match
    return match.group(1).split(", ")


def test_compiler_imports_what_the_page_used_not_what_its_text_says() -> None:
    # Text that reads like runtime code is a string in the page, not a use of the runtime.
    page = pr.text("<Dialog > ops.add mountPath() routeParams mountRef(", id="t")
    module = compile_app({"/": lambda: page}).module("rt.js")
    assert _imports(module) == ["React", "emit", "start", "useVars"]
    assert "useParams()" not in module


def test_compiler_imports_what_the_page_used() -> None:
    def index() -> pr.Component:
        return pr.vstack(
            pr.dialog(pr.text(f"{Count.n} items"), title="T"),
            pr.image(src=pr.asset("logo.png"), alt="logo"),
            pr.text(pr.route_param("slug")),
        )

    compiled = compile_app({"/post/[slug]": index, "/other": lambda: pr.text("x")})
    module = compiled.module("rt.js", modules={"overlays": "ov.js", "ops": "ops.js"})
    assert _imports(module) == ["React", "emit", "start", "useParams", "mountPath", "useVars"]
    # Overlays and Var operations come from modules of their own, which pages without them never load.
    assert module.splitlines()[1:3] == ['import { Dialog } from "./ov.js";', 'import { ops } from "./ops.js";']
    with pytest.raises(CompileError, match=r"No file was given for the runtime's 'overlays' module"):
        compiled.module("rt.js")
    # Only the page that reads its route's parameters asks for them.
    assert module.count("useParams();") == 1


def test_stored_var_key_without_separator_has_no_state() -> None:
    assert split_stored_var_key("theme") == ("", "theme")
