from pyreact_asgi.components.base import Child, Component
from pyreact_asgi.components.control import cond, foreach
from pyreact_asgi.components.core import box, button, heading, hstack, input, link, progress, text, upload, vstack

__all__ = [
    "Child",
    "Component",
    "box",
    "button",
    "cond",
    "foreach",
    "heading",
    "hstack",
    "input",
    "link",
    "progress",
    "text",
    "upload",
    "vstack",
]
