from __future__ import annotations

from dataclasses import dataclass

from pyreact_asgi.app import PyApp
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.cli.project import one_line, where
from pyreact_asgi.exceptions import CompileError
from pyreact_asgi.page import NOT_FOUND_ROUTE, Page

__all__ = ["PageInfo", "compile_pages"]


@dataclass(frozen=True, slots=True)
class PageInfo:
    """A page as ``pyreact routes`` lists it.

    Attributes:
        route: Its route ("/", "/post/[slug]"); "(404)" for the app's not-found page.
        title: Its ``<title>``.
        states: Qualified names of the State classes it reads or sends events to.
    """

    route: str
    title: str
    states: tuple[str, ...]


def compile_pages(app: PyApp) -> tuple[list[PageInfo], list[str]]:
    """Compiles each page of ``app`` on its own, so that an error names its page.

    Returns:
        The pages in the order routes are matched, and one line per page that does not compile.
    """
    pages: list[tuple[str, str, Page]] = [(route, route, app.pages[route]) for route in app.routes.ordered]
    if app.not_found is not None:
        pages.append(("(404)", NOT_FOUND_ROUTE, app.not_found))
    infos, errors = [], []
    for label, route, page in pages:
        try:
            compiled = compile_app({route: page}, theme=app.config.theme)
        except CompileError as exc:
            message = str(exc.args[0]).removesuffix(f" (in page {exc.page!r})")
            errors.append(f"Page {label!r} does not compile: {message}{where(exc)}")
            continue
        except Exception as exc:  # the user's page function may raise anything; name the page and the line
            errors.append(f"Page {label!r} does not compile: {one_line(exc)}{where(exc)}")
            continue
        states = sorted(
            f"{cls.__module__}.{cls.__qualname__}"
            for name, cls in compiled.states.items()
            if name in compiled.page_states.get(route, ())
        )
        infos.append(PageInfo(label, page.title or app.config.title, tuple(states)))
    return infos, errors
