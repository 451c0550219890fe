from __future__ import annotations

from html import escape
from urllib.parse import quote

from pyreact_asgi._contract import BACKEND_META, MOUNT_META, ROOT_ID, STATIC_PATH

__all__ = ["not_found_page", "render_shell", "url_prefix"]


def url_prefix(mount: str) -> str:
    """Returns the mount path percent-encoded for use in URLs."""
    return quote(mount, safe="/:@!$&'()*+,;=-._~")


def render_shell(
    *, mount: str, title: str, entry: str, runtime: str, description: str | None = None, backend: str | None = None
) -> bytes:
    """Returns the HTML page every route serves: the mount ``<meta>`` tag, and the bundle's URLs under it.

    Args:
        mount: The mount path of this request ("" at the root), as discovered from the ASGI scope.
        title: Page title.
        description: The page's ``<meta name="description">``, for search engines and link previews.
        entry: File name of the app module.
        runtime: File name of the runtime module the entry imports (preloaded to save a round trip).
        backend: The backend's URL, for a frontend exported to another origin (`pyreact export`).
    """
    prefix = escape(url_prefix(mount), quote=True)
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="{MOUNT_META}" content="{prefix}">'
        + (f'<meta name="{BACKEND_META}" content="{escape(backend, quote=True)}">' if backend else "")
        + f"<title>{escape(title)}</title>"
        + (f'<meta name="description" content="{escape(description, quote=True)}">' if description else "")
        + '<link rel="icon" href="data:,">'  # keeps browsers from asking the host for /favicon.ico
        f'<link rel="modulepreload" href="{prefix}{STATIC_PATH}/{runtime}">'
        f'<script type="module" src="{prefix}{STATIC_PATH}/{entry}"></script>'
        f'</head><body><div id="{ROOT_ID}"></div>'
        "<noscript>This app needs JavaScript.</noscript></body></html>\n"
    ).encode()


def not_found_page(title: str) -> bytes:
    return f"<!doctype html><html><head><title>{escape(title)}</title></head><body><h1>404: Not Found</h1></body></html>".encode()
