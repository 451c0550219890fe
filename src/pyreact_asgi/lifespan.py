from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from pyreact_asgi.app import PyApp

__all__ = ["Lifespan", "combine_lifespans"]

Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]


def combine_lifespans(*parts: PyApp | Lifespan) -> Lifespan:
    """Combines the host's lifespan with one or more PyApps into one lifespan for the host.

    Entered in the order given and exited in reverse, so a host lifespan listed first (a database pool)
    is up before the PyApps start and still up while they stop. State dicts that parts yield are merged.

    Example: ``app = FastAPI(lifespan=pr.combine_lifespans(host_lifespan, admin_ui, support_ui))``

    Args:
        parts: PyApps, and lifespan functions called with the host app (the ``lifespan=`` of Starlette).
    """

    def lifespan(app: Any) -> AbstractAsyncContextManager[Mapping[str, Any] | None]:
        return _combined(app, parts)

    return lifespan


@asynccontextmanager
async def _combined(app: Any, parts: tuple[PyApp | Lifespan, ...]) -> AsyncIterator[Mapping[str, Any] | None]:
    async with AsyncExitStack() as stack:
        state: dict[str, Any] = {}
        for part in parts:
            context = part.lifespan(app) if isinstance(part, PyApp) else part(app)
            value = await stack.enter_async_context(context)
            if isinstance(value, Mapping):
                state.update(value)
        yield state or None
