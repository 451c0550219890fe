"""Interactive web UIs in pure Python, compiled to React, mountable at any path of any ASGI app."""

__version__ = "0.1.0"

from pyreact_asgi.app import PyApp
from pyreact_asgi.components import Component, box, button, heading, hstack, input, text, vstack
from pyreact_asgi.computed import computed
from pyreact_asgi.config import BuildMode, Config
from pyreact_asgi.exceptions import BuildError, CompileError, ConfigError, MountPathError, ProtocolError, PyReactError
from pyreact_asgi.lifespan import combine_lifespans
from pyreact_asgi.router import Router
from pyreact_asgi.state import EventSpec, State, event
from pyreact_asgi.vars import Var

__all__ = [
    "BuildError",
    "BuildMode",
    "CompileError",
    "Component",
    "Config",
    "ConfigError",
    "EventSpec",
    "MountPathError",
    "ProtocolError",
    "PyApp",
    "PyReactError",
    "Router",
    "State",
    "Var",
    "__version__",
    "box",
    "button",
    "combine_lifespans",
    "computed",
    "event",
    "heading",
    "hstack",
    "input",
    "text",
    "vstack",
]
