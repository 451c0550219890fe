"""Litestar hosts for the integration tests: the demo counter mounted with `pyreact_litestar`."""

from __future__ import annotations

from typing import cast

from litestar import Litestar, get

import pyreact_asgi as pr
from pyreact_asgi._types import ASGIApp
from pyreact_litestar import PyReactPlugin


@get("/health", sync_to_thread=False)
def health() -> str:
    """A route of the host's own, to show it still works beside the mount."""
    return "ok"


def litestar_host(ui: pr.PyApp, mount: str) -> Litestar:
    """Mounts ``ui`` at ``mount`` ("" for the root) of a Litestar app with the plugin, the way the docs show."""
    return Litestar(route_handlers=[health], plugins=[PyReactPlugin(ui, path=mount or "/")])


def as_asgi(app: Litestar) -> ASGIApp:
    """The same app, typed as the servers in tests/servers.py take it.

    Litestar types scopes and messages as TypedDict unions, pyreact_asgi as plain mappings.
    """
    return cast(ASGIApp, app)
