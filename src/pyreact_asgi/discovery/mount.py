from __future__ import annotations

from urllib.parse import unquote

from pyreact_asgi._types import Scope

__all__ = ["split_path"]


def split_path(scope: Scope) -> tuple[str, str]:
    """Returns ``(mount path, path inside the app)`` for a request, under every mount convention in use.

    - Starlette ``Mount`` and ``uvicorn --root-path``: ``path`` is the full path and ``root_path`` its prefix.
    - ASGI servers that follow the older reading of the spec: ``path`` is already relative to ``root_path``.
    - Litestar ``asgi(is_mount=True)``: ``path`` is rewritten to the remainder (plus a trailing ``/``),
      ``root_path`` is left alone and only ``raw_path`` keeps the prefix.

    The mount path has no trailing slash ("" at the root); the app path always starts with "/".
    """
    path: str = scope.get("path") or "/"
    root: str = (scope.get("root_path") or "").rstrip("/")
    if root:
        if path == root or path.startswith(root + "/"):
            return root, path[len(root) :] or "/"
        return root, path
    raw = scope.get("raw_path")
    if raw:
        full = unquote(raw.decode("latin-1"))
        if full != path:
            # Litestar appends "/" to the remainder even for file paths; compare without it.
            rest = path[:-1] if path.endswith("/") and not full.endswith("/") else path
            if rest and full.endswith(rest):
                return full[: len(full) - len(rest)].rstrip("/"), rest or "/"
            if not rest or rest == "/":
                return full.rstrip("/"), "/"
    return "", path
