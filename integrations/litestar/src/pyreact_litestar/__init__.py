"""Mount pyreact_asgi UIs in Litestar apps: `PyReactPlugin` for one line, `mount` to wire the lifespan yourself."""

__version__ = "0.1.0"

from pyreact_litestar._mount import mount
from pyreact_litestar._plugin import PyReactPlugin

__all__ = ["PyReactPlugin", "__version__", "mount"]
