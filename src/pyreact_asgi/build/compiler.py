from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from pyreact_asgi._codec import js_literal
from pyreact_asgi._contract import (
    DEFAULT_EVENT_PATH,
    MOUNT_PATH,
    OPS,
    ROUTE_PARAMS,
    RUNTIME_COMPONENTS,
    VAR_SCOPE,
    ClientContract,
    client_contract,
    stored_var_key,
)
from pyreact_asgi.components.base import Component
from pyreact_asgi.components.control import FOREACH, IF
from pyreact_asgi.components.custom import CustomElement, ReactComponent
from pyreact_asgi.exceptions import CompileError, ConfigError, ProtocolError, PyReactError
from pyreact_asgi.page import Page, PageFn, as_page
from pyreact_asgi.state import ComponentInstances, EventSpec, State
from pyreact_asgi.state.tree import initial_state
from pyreact_asgi.state.vars import MARKER_PREFIX, StateVar, Var, expand_markers
from pyreact_asgi.theme import Theme

__all__ = ["CompiledApp", "PageFn", "compile_app"]


# What a trigger hands to a handler that takes a value and was given no explicit arguments.
TRIGGER_VALUES = {
    "on_change": "e.target.value",
    "on_input": "e.target.value",
    "on_blur": "e.target.value",
    "on_focus": "e.target.value",
    "on_key_down": "e.key",
    "on_key_up": "e.key",
}
# Runtime components that call these triggers with the value itself rather than a DOM event.
_VALUE_CALLBACKS = {"Form": {"on_submit"}, "Tabs": {"on_change"}, "Accordion": {"on_change"}}
# Inputs whose value is not their text.
_TYPED_VALUES = {"checkbox": "e.target.checked", "range": "e.target.valueAsNumber", "number": "e.target.valueAsNumber"}
_HTML_TAG = re.compile(r"^[a-z][a-z0-9]*$")
_SPECIAL_PROPS = {"class_name": "className", "html_for": "htmlFor"}
# JSON string literals (what js_literal makes) and the identifiers of the JavaScript between them.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_IDENTIFIER = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _prop_name(name: str) -> str:
    if name in _SPECIAL_PROPS:
        return _SPECIAL_PROPS[name]
    if name.startswith(("aria_", "data_")):
        return name.replace("_", "-")
    return _camel(name)


@dataclass(frozen=True)
class CompiledApp:
    """The pages of an app compiled to JSX, and the states they use.

    Attributes:
        pages: JSX source of one function component per route.
        states: Every State class a page reads or sends events to, by state name.
        loads: Per route, JavaScript functions that send the page's on_load events.
        titles: Per route, the page's title, set when the browser navigates to it.
        custom: The user's React components the pages use: name → JSX source.
        page_states: Route → names of the states that page reads or sends events to.
        initial: What a new client starts with: the public vars of every state, computed ones included.
        css: The style sheet of the static style classes and the theme, injected once by the runtime.
        color_mode: The colour mode before the user picks one ("system", "light" or "dark").
        uses: Per route, the names of the runtime the page's JSX uses, recorded while compiling it.
        contract: The names and paths the browser runtime is handed at start.
    """

    pages: dict[str, str]
    states: dict[str, type[State]]
    loads: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    page_states: dict[str, frozenset[str]] = field(default_factory=dict)
    initial: dict[str, dict[str, Any]] = field(default_factory=dict)
    css: str = ""
    color_mode: str = "system"
    uses: dict[str, frozenset[str]] = field(default_factory=dict)
    contract: ClientContract = field(default_factory=client_contract)

    def module(self, runtime_file: str) -> str:
        """Returns the app's JSX module, importing the runtime by the relative URL ``./<runtime_file>``."""
        idents = {route: f"Page{i}" for i, route in enumerate(self.pages)}
        used = set().union(*self.uses.values()) if self.uses else set()
        # Only what the pages use, in a fixed order, so the same pages always give the same module.
        if ROUTE_PARAMS in used:  # a page's parameters come from the runtime's hook
            used.add("useParams")
        helpers = [name for name in ("upload", "mountRef", "useParams", MOUNT_PATH, OPS) if name in used]
        components = sorted(used & RUNTIME_COMPONENTS)
        imports = ", ".join(["React", "emit", "start", *helpers, "useVars", *components])
        parts = [f'import {{ {imports} }} from "./{runtime_file}";', *self.custom.values()]
        parts += [
            f"function {idents[route]}() {{\n  const v = useVars();\n"
            + (f"  const {ROUTE_PARAMS} = useParams();\n" if ROUTE_PARAMS in self.uses.get(route, ()) else "")
            + f"  return {src};\n}}"
            for route, src in self.pages.items()
        ]
        routes = ", ".join(f"{js_literal(route)}: {ident}" for route, ident in idents.items())
        state = js_literal(self.initial or {name: cls.public_defaults() for name, cls in self.states.items()})
        loads = ", ".join(f"{js_literal(route)}: [{', '.join(fns)}]" for route, fns in self.loads.items() if fns)
        stored = js_literal(
            {
                stored_var_key(name, var): {"key": spec.key or stored_var_key(name, var), **spec.options()}
                for name, cls in self.states.items()
                for var, spec in cls.stored_vars().items()
            }
        )
        titles = js_literal(self.titles)
        parts.append(
            f"start({{ routes: {{ {routes} }}, loads: {{ {loads} }}, titles: {titles}, state: {state}, "
            f"stored: {stored}, css: {js_literal(self.css)}, colorMode: {js_literal(self.color_mode)}, "
            f"contract: {js_literal(self.contract)} }});"
        )
        return "\n".join(parts) + "\n"


def compile_app(
    pages: Mapping[str, PageFn | Page], *, theme: Theme | None = None, event_path: str = DEFAULT_EVENT_PATH
) -> CompiledApp:
    """Calls every page function and compiles the components it returns to JSX.

    Args:
        pages: Route → page function or `pr.page`.
        theme: The app's theme; the default one when None.
        event_path: The app's websocket endpoint (``Config.event_path``), which the browser is told.

    Raises:
        CompileError: A page returned something that cannot run in the browser; the message names the page.
        ConfigError: Two different State classes share a name.
    """
    compiled: dict[str, str] = {}
    loads: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    custom: dict[str, ReactComponent] = {}
    states: dict[str, type[State]] = {}
    page_states: dict[str, frozenset[str]] = {}
    uses: dict[str, frozenset[str]] = {}
    theme = theme or Theme()
    css: set[str] = set()
    json_marker = js_literal(MARKER_PREFIX)[1:-1]
    instances = ComponentInstances()  # each pr.ComponentState.create() makes a state of its own
    for route, entry in pages.items():
        page = _PageCompiler(route)
        settings = as_page(entry)
        try:
            with instances:
                root = settings.fn()
        except PyReactError as exc:
            raise CompileError(str(exc), page=route) from exc
        if not isinstance(root, Component):
            raise CompileError(f"Expected the page function to return a component, but got {root!r}", page=route)
        compiled[route] = page.node(root)
        if any(marker in compiled[route] for marker in (json_marker, MARKER_PREFIX)) or any(
            MARKER_PREFIX in rule for rule in page.css
        ):
            # An f-string with a Var went somewhere the compiler reads as plain text, not as an expression.
            raise CompileError(
                "A Var in an f-string can go only where a Var can; this place takes fixed text", page=route
            )
        css.update(page.css)
        loads[route] = [page.event("on_load", spec) for spec in settings.on_load]
        uses[route] = frozenset(page.uses)
        for name, definition in page.custom.items():
            if custom.setdefault(name, definition) is not definition:
                raise CompileError(f"Two React components are named {name!r}", page=route)
        if settings.title is not None and MARKER_PREFIX in settings.title:
            raise CompileError(
                f"Expected the page title to be fixed text, but got an f-string with a Var: {settings.title!r}",
                page=route,
            )
        if settings.title is not None:
            titles[route] = settings.title
        page_states[route] = frozenset(cls.state_name() for cls in page.states)
        for cls in page.states:
            other = states.setdefault(cls.state_name(), cls)
            if other is not cls:
                raise ConfigError(
                    f'Two states are named "{cls.state_name()}": {other.__module__}.{other.__qualname__} and '
                    f'{cls.__module__}.{cls.__qualname__}; pass name="..." to one of them.'
                )
    initial = {name: _initial(states[name]) for name in sorted(states)}
    sources = {name: definition.source() for name, definition in sorted(custom.items())}
    # Sorted, so the same pages always give the same bundle (and build hash).
    sheet = theme.css() + "".join(sorted(css))
    return CompiledApp(
        compiled,
        states,
        loads=loads,
        titles=titles,
        custom=sources,
        page_states=page_states,
        initial=initial,
        css=sheet,
        color_mode=theme.color_mode,
        uses=uses,
        contract=client_contract(event_path),
    )


def _initial(cls: type[State]) -> dict[str, Any]:
    cls.var_types()  # resolve annotations now, not on the first event
    for var in cls.computed_vars().values():
        var.param_states()
    try:
        values = initial_state([cls])[cls.state_name()]
    except Exception as exc:
        raise ConfigError(
            f"A computed var of {cls.__name__} raised on the default values: {type(exc).__name__}: {exc}"
        ) from exc
    for name, value in values.items():
        try:
            js_literal(value)
        except (TypeError, msgspec.EncodeError) as exc:
            raise ConfigError(f'The default of "{cls.__name__}.{name}" cannot be sent to the browser: {exc}') from exc
    return values


class _PageCompiler:
    def __init__(self, route: str) -> None:
        self.route = route
        self.states: set[type[State]] = set()
        self.css: set[str] = set()
        self.custom: dict[str, ReactComponent] = {}
        # The runtime's names this page's JSX refers to, recorded as it is written: they become the imports.
        self.uses: set[str] = set()

    def error(self, message: str) -> CompileError:
        return CompileError(message, page=self.route)

    def node(self, component: Component) -> str:
        tag = component.tag
        if tag == FOREACH:
            items, item, index = (component.props[k] for k in ("items", "item", "index"))
            body = self.child(component.children[0])
            return (
                f"<React.Fragment>{{({self.expr(items)} ?? []).map(({item}, {index}) => "
                f"<React.Fragment key={{{index}}}>{body}</React.Fragment>)}}</React.Fragment>"
            )
        if tag == IF:
            then, otherwise = (self.child(c) if c is not None else "" for c in component.children)
            condition = self.expr(component.props["condition"])
            return (
                f"<React.Fragment>{{({condition}) ? <React.Fragment>{then}</React.Fragment> : "
                f"<React.Fragment>{otherwise}</React.Fragment>}}</React.Fragment>"
            )
        if isinstance(component, CustomElement):
            if self.custom.setdefault(tag, component.definition) is not component.definition:
                raise self.error(f"Two React components are named {tag!r}")
        elif tag in RUNTIME_COMPONENTS:
            self.uses.add(tag)
        elif not _HTML_TAG.match(tag):
            raise self.error(f"Unknown component tag {tag!r}")
        if component.css:
            self.css.add(component.css)
        attrs = "".join(
            f" {self.attr(component, name, value)}" for name, value in component.props.items() if value is not None
        )
        children = "".join(self.child(child) for child in component.children)
        return f"<{tag}{attrs}>{children}</{tag}>"

    def child(self, child: Any) -> str:
        if isinstance(child, Component):
            return self.node(child)
        if child is None:
            return ""
        if isinstance(child, bool) or not isinstance(child, (Var, str, int, float)):
            raise self.error(f"Expected a component, Var, text or number as a child, but got {child!r}")
        return f"{{{self.expr(child)}}}"

    def attr(self, component: Component, name: str, value: Any) -> str:
        if name == "on_mount":
            # React has no mount event for elements: a ref callback runs when the element is attached.
            self.uses.add("mountRef")
            return f"ref={{mountRef({self.event(name, value)})}}"
        if name.startswith("on_"):
            return f"{_prop_name(name)}={{{self.event(name, value, _trigger_value(component, name))}}}"
        return f"{_prop_name(name)}={{{self.prop(name, value)}}}"

    def prop(self, name: str, value: Any) -> str:
        if name == "style" and isinstance(value, Mapping):
            # Keys are quoted: a user's dict may hold "font-size" or "--brand", which are not JS identifiers.
            return "{" + ", ".join(f"{js_literal(_camel(str(k)))}: {self.expr(v)}" for k, v in value.items()) + "}"
        return self.expr(value)

    def expr(self, value: Any) -> str:
        if isinstance(value, StateVar) and value.backend:
            raise self.error(
                f'"{value.state.__name__}.{value.name}" is backend-only (its name starts with "_") and never '
                "reaches the browser"
            )
        if isinstance(value, Var):
            self.states.update(value.states)
            return self.var_js(value.js)
        if isinstance(value, str) and MARKER_PREFIX in value:
            js, states = expand_markers(value)  # an f-string with Vars in it
            self.states.update(states)
            return self.var_js(js)
        if isinstance(value, EventSpec):
            raise self.error(f"An event handler ({value.path}) can only be given to an on_* trigger")
        if isinstance(value, Mapping):
            return "{" + ", ".join(f"{js_literal(str(k))}: {self.expr(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(self.expr(v) for v in value) + "]"
        try:
            return js_literal(value)
        except (TypeError, msgspec.EncodeError):
            raise self.error(f"{value!r} cannot be sent to the browser") from None

    def var_js(self, js: str) -> str:
        # A Var is JavaScript text made by vars.py and page.py, which may call the runtime's names in
        # VAR_SCOPE: record those this expression names outside its string literals.
        self.uses.update(VAR_SCOPE.intersection(_IDENTIFIER.findall(_JSON_STRING.sub('""', js))))
        return js

    def event(self, trigger: str, spec: EventSpec, value: str | None = None) -> str:
        self.states.add(spec.state)
        if spec.handler.takes_files(spec.state) != (trigger == "on_upload"):
            if trigger == "on_upload":
                raise self.error(
                    f'on_upload needs an upload handler, whose one parameter is list[pr.UploadedFile]; "{spec.path}" '
                    "is not one"
                )
            raise self.error(f'"{spec.path}" receives uploaded files; attach it to on_upload of pr.upload')
        if trigger == "on_upload":
            self.uses.add("upload")
            return f"(files, progress) => upload({js_literal(spec.path)}, files, progress)"
        params = spec.handler.params(spec.state)
        required = sum(p.required for p in params)
        if spec.args is None:
            args = [value] if value is not None and params else []
        else:
            if not required <= len(spec.args) <= len(params):
                raise self.error(
                    f'Expected {required} to {len(params)} arguments for "{spec.path}", but got {len(spec.args)}'
                )
            if not any(isinstance(a, Var) for a in spec.args):
                try:
                    spec.handler.parse_args(spec.state, list(spec.args))
                except ProtocolError as exc:
                    raise self.error(str(exc)) from None
            args = [self.expr(a) for a in spec.args]
        if len(args) < required:
            raise self.error(
                f'"{spec.path}" needs {required} argument(s) that {trigger} does not supply; bind them as '
                f"{spec.state.__name__}.{spec.handler.name}(...)"
            )
        flush = ', e.key === "Enter"' if trigger in ("on_key_down", "on_key_up") else ""
        return f"(e) => emit({js_literal(spec.path)}, [{', '.join(args)}]{flush})"


def _trigger_value(component: Component, trigger: str) -> str | None:
    if isinstance(component, CustomElement):
        # A component of the user's calls its event prop with the one value the handler receives.
        return "e"
    if trigger in _VALUE_CALLBACKS.get(component.tag, ()):
        return "e"
    typed = _TYPED_VALUES.get(str(component.props.get("type")))
    if typed and trigger in ("on_change", "on_input"):
        return typed
    return TRIGGER_VALUES.get(trigger)
