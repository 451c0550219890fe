"""Interactive web UIs in pure Python, compiled to React, mountable at any path of any ASGI app."""

__version__ = "0.1.0"

from pyreact_asgi.actions import Action, call_script, download, redirect, scroll_to, set_focus, set_value, toast
from pyreact_asgi.app import PyApp
from pyreact_asgi.components import (
    Component,
    box,
    button,
    cond,
    foreach,
    heading,
    hstack,
    input,
    link,
    progress,
    react_component,
    text,
    upload,
    vstack,
)
from pyreact_asgi.computed import computed
from pyreact_asgi.config import BuildMode, Config
from pyreact_asgi.exceptions import BuildError, CompileError, ConfigError, MountPathError, ProtocolError, PyReactError
from pyreact_asgi.lifespan import combine_lifespans
from pyreact_asgi.page import Page, asset, page, route_param
from pyreact_asgi.router import Router
from pyreact_asgi.state import EventSpec, State, event
from pyreact_asgi.storage import cookie, local_storage, session_storage
from pyreact_asgi.uploaded import UploadedFile
from pyreact_asgi.vars import Var

__all__ = [
    "Action",
    "BuildError",
    "BuildMode",
    "CompileError",
    "Component",
    "Config",
    "ConfigError",
    "EventSpec",
    "MountPathError",
    "Page",
    "ProtocolError",
    "PyApp",
    "PyReactError",
    "Router",
    "State",
    "UploadedFile",
    "Var",
    "__version__",
    "asset",
    "box",
    "button",
    "call_script",
    "combine_lifespans",
    "computed",
    "cond",
    "cookie",
    "download",
    "event",
    "foreach",
    "heading",
    "hstack",
    "input",
    "link",
    "local_storage",
    "page",
    "progress",
    "react_component",
    "redirect",
    "route_param",
    "scroll_to",
    "session_storage",
    "set_focus",
    "set_value",
    "text",
    "toast",
    "upload",
    "vstack",
]
