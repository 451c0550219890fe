from collections.abc import Sequence

from litestar.config.app import AppConfig
from litestar.plugins import InitPluginProtocol
from litestar.types import Guard

import pyreact_asgi as pr
from pyreact_litestar._mount import mount

__all__ = ["PyReactPlugin"]


class PyReactPlugin(InitPluginProtocol):
    """Mounts a PyApp in a Litestar app and starts it with the app: the one line a Litestar host needs.

    ``Litestar(route_handlers=[...], plugins=[PyReactPlugin(ui, path="/admin")])`` serves ``ui`` at
    ``/admin/`` and builds it during Litestar's startup, before the first request; Litestar's shutdown
    closes its websockets. Add one plugin per PyApp to mount several.

    The app's lifespan is appended to the host's ``lifespan`` list, so context managers listed there (a
    database pool) are entered before the UI starts and exited after it stops.

    Args:
        ui: The app to serve.
        path: Where to mount it: ``"/"``, ``"/admin"``, ``"/a/b/c"``. A trailing slash is ignored.
        guards: Litestar guards, run for page requests and websocket connections alike.

    Raises:
        MountPathError: ``path`` cannot be mounted (see `mount`).
    """

    __slots__ = ("handler", "path", "ui")

    def __init__(self, ui: pr.PyApp, *, path: str = "/", guards: Sequence[Guard] | None = None) -> None:
        self.ui = ui
        self.path = path
        self.handler = mount(ui, path, guards=guards)

    def __repr__(self) -> str:
        return f"PyReactPlugin({self.ui!r}, path={self.path!r})"

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Adds the mount route and the app's lifespan to the Litestar app being built.

        Args:
            app_config: The settings the Litestar app is being built from.

        Returns:
            The same settings, with the route and the lifespan added.
        """
        app_config.route_handlers = [*app_config.route_handlers, self.handler]
        app_config.lifespan = [*app_config.lifespan, self.ui.lifespan]
        return app_config
