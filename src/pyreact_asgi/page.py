from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pyreact_asgi._contract import ASSETS_PATH, MOUNT_PATH, NOT_FOUND_ROUTE, ROUTE_PARAMS
from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import EventSpec
from pyreact_asgi.state.vars import Var

__all__ = ["MOUNT_PATH", "NOT_FOUND_ROUTE", "ROUTE_PARAMS", "Page", "PageFn", "asset", "page", "route_param"]

PageFn = Callable[[], Component]
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
    """

    fn: PageFn
    title: str | None = None
    on_load: tuple[EventSpec, ...] = ()
    description: str | None = None


def page(
    fn: PageFn,
    *,
    title: str | None = None,
    on_load: EventSpec | Sequence[EventSpec] | None = None,
    description: str | None = None,
) -> Page:
    """Gives a page function a title and handlers to run when it is opened.

    Example: ``pr.PyApp(pages={"/": index, "/reports": pr.page(reports, title="Reports", on_load=Reports.load)})``

    Args:
        fn: The page function.
        title: The page's ``<title>``; defaults to ``Config.title``.
        on_load: A handler, or several, with all their arguments bound; each runs when a tab opens the page
            (after a reload too), and can read ``self.router.page`` and ``self.router.query``.
        description: The page's ``<meta name="description">``, for search engines and link previews.

    Raises:
        ConfigError: An argument is not of the expected kind.
    """
    if not callable(fn):
        raise ConfigError(f"Expected a page function, but got {fn!r}.")
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"Expected the page title to be a string, but got {title!r}.")
    if description is not None and not isinstance(description, str):
        raise ConfigError(f"Expected the page description to be a string, but got {description!r}.")
    handlers = () if on_load is None else (on_load,) if isinstance(on_load, EventSpec) else tuple(on_load)
    for handler in handlers:
        if not isinstance(handler, EventSpec):
            raise ConfigError(f"Expected on_load handlers such as State.load, but got {handler!r}.")
    return Page(fn, title, handlers, description)


def as_page(value: PageFn | Page) -> Page:
    return value if isinstance(value, Page) else Page(value)


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
