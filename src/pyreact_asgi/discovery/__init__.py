from pyreact_asgi.discovery.html import render_shell
from pyreact_asgi.discovery.mount import split_path

__all__ = ["render_shell", "split_path"]
