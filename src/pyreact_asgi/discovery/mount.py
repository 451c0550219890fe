from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import unquote

from pyreact_asgi._types import Scope

__all__ = ["TrustedProxies", "forwarded_prefix", "split_path"]

# Printable ASCII only, starting with "/", no empty or dot segments: anything else is not a prefix a proxy sets.
_PREFIX = re.compile(r"^(/(?!\.\.?(/|$))[\x21-\x2e\x30-\x7e]+)+/?$")
_MAX_PREFIX = 1024


class TrustedProxies:
    """The proxies whose ``X-Forwarded-Prefix`` header is honoured, as addresses or networks, or ``"*"``.

    Args:
        entries: ``"127.0.0.1"``, ``"10.0.0.0/8"``, ``"::1"``, or ``"*"`` for any client (only when
            nothing but the proxy can reach the server).

    Raises:
        ValueError: An entry is not an address or network.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        entries = list(entries)
        self.any = "*" in entries
        self.networks = [ipaddress.ip_network(e, strict=False) for e in entries if e != "*"]

    def __bool__(self) -> bool:
        return self.any or bool(self.networks)

    def __contains__(self, host: object) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(host)  # type: ignore[arg-type]
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def forwarded_prefix(scope: Scope, trusted: TrustedProxies) -> str:
    """Returns the ``X-Forwarded-Prefix`` a trusted proxy sent, without a trailing slash, or "".

    A proxy that strips a prefix before forwarding sends it in this header. It is honoured only from a
    trusted proxy's address; a malformed value is ignored. The value still has to be escaped wherever it
    is written (the HTML shell does).
    """
    if not trusted:
        return ""
    client = scope.get("client")
    if not client or client[0] not in trusted:
        return ""
    values = [v for k, v in scope.get("headers", ()) if k.lower() == b"x-forwarded-prefix"]
    if len(values) != 1:
        return ""
    value: str = values[0].decode("latin-1").strip()
    if len(value) > _MAX_PREFIX or not _PREFIX.match(value):
        return ""
    return value.rstrip("/")


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
