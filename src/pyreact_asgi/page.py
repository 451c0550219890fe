from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from pyreact_asgi._contract import ASSETS_PATH, MOUNT_PATH, NOT_FOUND_ROUTE, ROUTE_PARAMS
from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import EventSpec
from pyreact_asgi.state.vars import Var

__all__ = [
    "MOUNT_PATH",
    "NOT_FOUND_ROUTE",
    "ROUTE_PARAMS",
    "Page",
    "PageFn",
    "as_page",
    "asset",
    "decorated_page",
    "default_route",
    "page",
    "route_param",
]

PageFn = Callable[[], Component]
F = TypeVar("F", bound=Callable[..., Any])
# Where @pr.page(...) keeps a function's settings: on the function itself, so that no registry is shared by
# the apps of a process, and the decorated function stays a plain page function.
_SETTINGS = "__pyreact_page__"
_ASSET = re.compile(r"^[A-Za-z0-9_\-.~/]+$")
_PARAM_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Page:
    """A page function with its settings; made by `page`.

    Attributes:
        fn: Returns the page's component tree.
        title: The page's ``<title>``, instead of ``Config.title``.
        on_load: Handlers run, in order, each time the page is opened in a tab.
        description: The page's ``<meta name="description">``.
        route: The route given with ``@pr.page(route=...)``, used when the app is given no other.
    """

    fn: PageFn
    title: str | None = None
    on_load: tuple[EventSpec, ...] = ()
    description: str | None = None
    route: str | None = None


@overload
def page(
    fn: PageFn,
    *,
    route: str | None = None,
    title: str | None = None,
    on_load: EventSpec | Sequence[EventSpec] | None = None,
    description: str | None = None,
) -> Page: ...
@overload
def page(
    fn: None = None,
    *,
    route: str | None = None,
    title: str | None = None,
    on_load: EventSpec | Sequence[EventSpec] | None = None,
    description: str | None = None,
) -> Callable[[F], F]: ...
def page(
    fn: PageFn | None = None,
    *,
    route: str | None = None,
    title: str | None = None,
    on_load: EventSpec | Sequence[EventSpec] | None = None,
    description: str | None = None,
) -> Page | Callable[[F], F]:
    """Gives a page function a route, a title and handlers to run when it is opened.

    Two spellings: as a wrapper, ``pr.PyApp(pages={"/reports": pr.page(reports, title="Reports")})``, or as a
    decorator, as in Reflex::

        @pr.page(route="/reports", title="Reports", on_load=Reports.load)
        def reports() -> pr.Component: ...

    A decorated function stays a plain page function that carries its settings: the app that creates it adds
    it at startup when it is in the same module as the ``pr.PyApp()``, and ``ui.add_page(reports)`` adds it
    from anywhere.

    Args:
        fn: The page function; omitted when used as a decorator.
        route: The page's route (``"/post/[slug]"``); for a decorated function, defaults to its name.
        title: The page's ``<title>``; defaults to ``Config.title``.
        on_load: A handler, or several, with all their arguments bound; each runs when a tab opens the page
            (after a reload too), and can read ``self.router.page`` and ``self.router.query``.
        description: The page's ``<meta name="description">``, for search engines and link previews.

    Returns:
        A `Page`, or when ``fn`` is omitted a decorator that returns the function it decorates.

    Raises:
        ConfigError: An argument is not of the expected kind.
    """
    if fn is None:

        def decorate(function: F) -> F:
            settings = page(function, route=route, title=title, on_load=on_load, description=description)
            if settings.route is None:
                settings = Page(
                    settings.fn, settings.title, settings.on_load, settings.description, default_route(function)
                )
            setattr(function, _SETTINGS, settings)
            return function

        return decorate
    if not callable(fn):
        raise ConfigError(f"Expected a page function, but got {fn!r}.")
    if route is not None and not isinstance(route, str):
        raise ConfigError(f'Expected the page route to be a string such as "/reports", but got {route!r}.')
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"Expected the page title to be a string, but got {title!r}.")
    if description is not None and not isinstance(description, str):
        raise ConfigError(f"Expected the page description to be a string, but got {description!r}.")
    handlers = () if on_load is None else (on_load,) if isinstance(on_load, EventSpec) else tuple(on_load)
    for handler in handlers:
        if not isinstance(handler, EventSpec):
            raise ConfigError(f"Expected on_load handlers such as State.load, but got {handler!r}.")
    return Page(fn, title, handlers, description, route)


def decorated_page(value: object) -> Page | None:
    """Returns the settings ``@pr.page(...)`` gave a function, or None if it was not decorated."""
    settings = getattr(value, _SETTINGS, None) if callable(value) else None
    return settings if isinstance(settings, Page) else None


def as_page(value: PageFn | Page) -> Page:
    """Returns a page function's `Page`: its ``@pr.page`` settings if it has some."""
    if isinstance(value, Page):
        return value
    return decorated_page(value) or Page(value)


def default_route(fn: Callable[..., Any]) -> str:
    """Returns the route Reflex gives a page function of this name: "/" for ``index``, else ``/<name>``."""
    name = getattr(fn, "__name__", "")
    if name == "index":
        return "/"
    return "/" + name.replace("_", "-")


def route_param(name: str) -> Var:
    """The value of a dynamic segment of the page's route, in the browser: ``pr.route_param("slug")``.

    On ``/post/[slug]`` opened at ``/post/hello`` it is ``"hello"``; a catch-all ``[...path]`` gives the
    rest of the path joined with "/". Handlers read the same values as ``self.router.params``.

    Raises:
        ConfigError: ``name`` is not a parameter name.
    """
    if not isinstance(name, str) or not _PARAM_NAME.match(name):
        raise ConfigError(f"Expected a route parameter name such as 'slug', but got {name!r}.")
    return Var(f'({ROUTE_PARAMS}["{name}"] ?? "")')


def asset(path: str) -> Var:
    """The URL of a file in ``Config.assets_dir``, under the mount path: ``pr.image(src=pr.asset("logo.png"))``.

    Raises:
        ConfigError: ``path`` is not a relative path of plain characters (no ``..`` segment).
    """
    if not isinstance(path, str) or not _ASSET.match(path) or path.startswith("/") or ".." in path.split("/"):
        raise ConfigError(f'Expected the path of a file in the assets folder such as "logo.png", but got {path!r}.')
    return Var(f'({MOUNT_PATH}() + "{ASSETS_PATH}/{path}")')
