"""The state API Reflex users reach for: reset, setvar, State.router, ComponentState, registered states."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.exceptions import HandlerError, StateError, VarError
from pyreact_asgi.router import Router
from pyreact_asgi.routes import RouteTable
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.state import registered_states
from pyreact_asgi.state.testing import take_delta
from pyreact_asgi.state.tree import StateTree


class Item(msgspec.Struct):
    name: str


class Form(pr.State):
    name: str = pr.field("", setter=True)
    age: int = 0
    items: list[Item] = []  # noqa: RUF012 - each client gets a copy
    _attempts: int = 3

    @pr.computed
    def greeting(self) -> str:
        return f"Hi {self.name}"


class Blog(pr.State):
    @pr.computed
    def slug(self) -> str:
        return self.router.page.params.get("slug", "")

    @pr.computed
    def tab(self) -> str:
        return self.router.page.query.get("tab", "none")


# --- reset ---------------------------------------------------------------------------------------------


def test_reset_sets_every_var_back_to_its_default_backend_ones_too() -> None:
    form = Form()
    form.name, form.age, form._attempts = "Ada", 36, 0
    form.items.append(Item("x"))
    take_delta(form)
    form.reset()
    assert (form.name, form.age, form.items, form._attempts) == ("", 0, [], 3)
    assert take_delta(form) == {"name": "", "age": 0, "items": []}
    # The default is copied: changing the state's list does not change the class's default.
    form.items.append(Item("y"))
    assert Form().items == []


def test_reset_of_named_vars_only() -> None:
    form = Form()
    form.name, form.age = "Ada", 36
    form.reset("age")
    assert (form.name, form.age) == ("Ada", 0)


@pytest.mark.parametrize(
    ("name", "message"),
    [("nope", r'Cannot reset "Form.nope": it is not a var'), ("greeting", r"it is a computed var")],
)
def test_reset_refuses_what_is_not_a_var(name: str, message: str) -> None:
    form = Form()
    form.age = 5
    with pytest.raises(VarError, match=message):
        form.reset("age", name)
    assert form.age == 5  # nothing reset


# --- setvar ----------------------------------------------------------------------------------------------


def test_setvar_in_server_code_sets_any_declared_var_checking_its_type() -> None:
    form = Form()
    form.setvar("age", 41)  # no setter: server code may still set it
    form.setvar("_attempts", 1)
    form.setvar("items", [{"name": "a"}])  # converted to the var's type
    assert (form.age, form._attempts, form.items) == (41, 1, [Item("a")])
    with pytest.raises(HandlerError, match=r'Expected a value of type <class \'int\'> for "Form.age", but got \'x\''):
        form.setvar("age", "x")
    with pytest.raises(VarError, match=r"Expected the name of a var of Form to set, but 'greeting' is a computed var"):
        form.setvar("greeting", "x")
    with pytest.raises(VarError, match=r"but 'nope' is not a var"):
        form.setvar("nope", 1)
    assert form.age == 41


def test_setvar_in_a_page_is_the_opt_in_setter() -> None:
    assert Form.setvar("name").path == "form.set_name"
    bound = Form.setvar("name", "Ada")
    assert (bound.path, bound.args) == ("form.set_name", ("Ada",))
    with pytest.raises(VarError, match=r'Form has no setter "set_age": setters are opt-in'):
        Form.setvar("age")
    with pytest.raises(VarError, match=r'"Form._attempts" is backend-only'):
        Form.setvar("_attempts")
    with pytest.raises(VarError, match=r"Form has no var 'nope' to set"):
        Form.setvar("nope")
    compiled = compile_app({"/": lambda: pr.input(value=Form.name, on_change=Form.setvar("name"))})
    assert 'emit("form.set_name", [e.target.value])' in compiled.pages["/"]


# --- State.router ------------------------------------------------------------------------------------------


def test_router_in_a_page_is_vars_of_the_page() -> None:
    def post() -> pr.Component:
        return pr.vstack(
            pr.text(pr.State.router.page.params["slug"]),
            pr.text(pr.State.router.page.params.get("slug", "none")),
            pr.text(pr.State.router.page.path),
            pr.text(pr.State.router.page.query.get("tab", "")),
            pr.text(pr.State.router.page.raw_path),
            pr.text(pr.State.router.params["slug"]),
        )

    compiled = compile_app({"/post/[slug]": post})
    page = compiled.pages["/post/[slug]"]
    assert 'routeParams))?.["slug"]' in page
    assert '?.["slug"] ?? "none")' in page
    assert "window.location.pathname" in page
    assert "new URLSearchParams(window.location.search)" in page
    module = compiled.module("rt.js")
    assert "const routeParams = useParams();" in module
    assert "mountPath" in module.split("\n", 1)[0]  # imported, since the path is relative to the mount
    assert compiled.page_states["/post/[slug]"] == frozenset()


def test_router_page_is_a_path_with_reflex_fields() -> None:
    routes = RouteTable({"/post/[slug]": None})
    router = Router({"type": "websocket", "headers": []}, page="/post/hello?tab=2&slug=q", routes=routes)
    page = router.page
    assert page == "/post/hello"
    assert (page.path, page.raw_path) == ("/post/hello", "/post/hello?tab=2&slug=q")
    assert page.params == {"tab": "2", "slug": "hello"}  # the route's segment wins over the query
    assert page.query["tab"] == "2"
    # Stored in a var, it is a plain string (msgspec cannot encode a str subclass).
    form = Form()
    form.name = page
    assert type(form.name) is str


@pytest.mark.asyncio
async def test_computed_var_over_the_router_is_computed_per_client() -> None:
    compiled = compile_app({"/post/[slug]": lambda: pr.text(Blog.slug, Blog.tab)})
    # Built with no client: the var is None until a tab connects, and the build does not fail.
    assert compiled.initial["blog"] == {"slug": None, "tab": None}
    engine = Engine(compiled.states, compiled.page_states)
    routes = RouteTable({"/post/[slug]": None})
    for page, expected in [
        ("/post/hello?tab=a", {"slug": "hello", "tab": "a"}),
        ("/post/x", {"slug": "x", "tab": "none"}),
    ]:
        router = Router({"type": "websocket", "headers": []}, page=page, routes=routes)
        tree = StateTree(router=router)
        assert await engine.full_state(tree) == {"blog": expected}


def test_router_outside_a_client_says_when_it_is_computed() -> None:
    with pytest.raises(StateError, match=r'Cannot read "router" outside an event handler or a client'):
        _ = Blog().router


def test_computed_var_that_does_not_read_the_router_still_fails_the_build() -> None:
    class Broken(pr.State):
        @pr.computed
        def ratio(self) -> float:
            return 1 / 0

    with pytest.raises(
        pr.ConfigError, match=r"A computed var of Broken raised on the default values: ZeroDivisionError"
    ):
        compile_app({"/": lambda: pr.text(Broken.ratio)})


# --- ComponentState --------------------------------------------------------------------------------------


class Toggle(pr.ComponentState):
    on: bool = False
    _flips: int = 0

    @pr.event
    def flip(self) -> None:
        self.on = not self.on
        self._flips += 1

    @classmethod
    def get_component(cls, *children: Any, **props: Any) -> pr.Component:
        return pr.button(*children, pr.cond(cls.on, "on", "off"), on_click=cls.flip, **props)


def test_component_state_used_twice_on_a_page_has_two_states() -> None:
    def index() -> pr.Component:
        return pr.hstack(Toggle.create("A: ", id="a"), Toggle.create("B: ", id="b"))

    def other() -> pr.Component:
        return Toggle.create(id="c")

    compiled = compile_app({"/": index, "/other": other})
    assert compiled.page_states == {"/": {"toggle__1", "toggle__2"}, "/other": {"toggle__3"}}
    assert compiled.initial["toggle__1"] == {"on": False}  # backend-only vars stay on the server
    assert 'emit("toggle__1.flip", [])' in compiled.pages["/"]
    assert 'emit("toggle__2.flip", [])' in compiled.pages["/"]
    # The same pages compiled again give the same names, so a build made ahead matches the running app.
    assert compile_app({"/": index, "/other": other}).page_states == compiled.page_states
    instance = compiled.states["toggle__1"]
    assert issubclass(instance, Toggle)
    assert not instance.template()
    assert Toggle.template()


def test_component_state_create_outside_a_compile_says_where_it_goes() -> None:
    with pytest.raises(StateError, match=r"Toggle.create\(\) makes a state for one place on a page"):
        Toggle.create()


def test_component_state_without_get_component() -> None:
    class Bare(pr.ComponentState):
        pass

    with pytest.raises(NotImplementedError, match=r"Bare must define the classmethod get_component"):
        compile_app({"/": lambda: Bare.create()})


def test_component_state_use_is_reachable_only_from_its_page() -> None:
    compiled = compile_app({"/": lambda: Toggle.create(), "/other": lambda: pr.text("x")})
    engine = Engine(compiled.states, compiled.page_states)
    event = {"id": 1, "handler": "toggle__1.flip", "args": []}
    assert engine.resolve(event, engine.page_states("/")).state is compiled.states["toggle__1"]
    with pytest.raises(pr.ProtocolError, match=r'Unknown event handler "toggle__1.flip"'):
        engine.resolve(event, engine.page_states("/other"))
    with pytest.raises(pr.ProtocolError, match=r'Unknown event handler "toggle__1.flip"'):
        engine.resolve(event, engine.page_states(None))


# --- registered states ------------------------------------------------------------------------------------


class Audit(pr.State):
    entries: list[str] = []  # noqa: RUF012 - each client gets a copy


def test_registered_states_are_the_pages_and_the_listed_ones() -> None:
    assert registered_states({"form": Form}, [Audit]) == {"form": Form, "audit": Audit}
    assert registered_states({"form": Form}) == {"form": Form}  # nothing found by scanning modules
    with pytest.raises(pr.ConfigError, match=r"Expected states= to list State classes, but got 'x'"):
        registered_states({}, ["x"])  # type: ignore[list-item]
    with pytest.raises(pr.ConfigError, match=r"Expected states= to list State classes, but got <class"):
        registered_states({}, [Toggle])  # a template: only its uses are states
    with pytest.raises(pr.ConfigError, match=r'Two states are named "audit"'):
        registered_states({"audit": Form}, [Audit])


def test_pyapp_refuses_states_that_are_not_states() -> None:
    with pytest.raises(pr.ConfigError, match=r"Expected states= to list State classes, but got <class"):
        pr.PyApp(pages={"/": lambda: pr.text("x")}, states=[Toggle])
