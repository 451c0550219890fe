from pyreact_asgi.components.base import Child, Component
from pyreact_asgi.components.control import cond, foreach
from pyreact_asgi.components.core import box, button, heading, hstack, input, link, progress, text, upload, vstack
from pyreact_asgi.components.custom import ReactComponent, react_component

__all__ = [
    "Child",
    "Component",
    "ReactComponent",
    "box",
    "button",
    "cond",
    "foreach",
    "heading",
    "hstack",
    "input",
    "link",
    "progress",
    "react_component",
    "text",
    "upload",
    "vstack",
]
