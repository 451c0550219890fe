from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pyreact_asgi.components.base import Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import EventSpec

__all__ = ["Page", "PageFn", "page"]

PageFn = Callable[[], Component]


@dataclass(frozen=True, slots=True)
class Page:
    """A page function with its settings; made by `page`.

    Attributes:
        fn: Returns the page's component tree.
        title: The page's ``<title>``, instead of ``Config.title``.
        on_load: Handlers run, in order, each time the page is opened in a tab.
    """

    fn: PageFn
    title: str | None = None
    on_load: tuple[EventSpec, ...] = ()


def page(fn: PageFn, *, title: str | None = None, on_load: EventSpec | Sequence[EventSpec] | None = None) -> Page:
    """Gives a page function a title and handlers to run when it is opened.

    Example: ``pr.PyApp(pages={"/": index, "/reports": pr.page(reports, title="Reports", on_load=Reports.load)})``

    Args:
        fn: The page function.
        title: The page's ``<title>``; defaults to ``Config.title``.
        on_load: A handler, or several, with all their arguments bound; each runs when a tab opens the page
            (after a reload too), and can read ``self.router.page`` and ``self.router.query``.

    Raises:
        ConfigError: An argument is not of the expected kind.
    """
    if not callable(fn):
        raise ConfigError(f"Expected a page function, but got {fn!r}.")
    if title is not None and not isinstance(title, str):
        raise ConfigError(f"Expected the page title to be a string, but got {title!r}.")
    handlers = () if on_load is None else (on_load,) if isinstance(on_load, EventSpec) else tuple(on_load)
    for handler in handlers:
        if not isinstance(handler, EventSpec):
            raise ConfigError(f"Expected on_load handlers such as State.load, but got {handler!r}.")
    return Page(fn, title, handlers)


def as_page(value: PageFn | Page) -> Page:
    return value if isinstance(value, Page) else Page(value)
