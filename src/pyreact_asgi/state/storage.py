from __future__ import annotations

import re
from typing import Any, Literal, TypeVar, cast

from pyreact_asgi._contract import StorageKind
from pyreact_asgi.exceptions import ConfigError

__all__ = ["ClientStorage", "Cookie", "LocalStorage", "SessionStorage", "cookie", "local_storage", "session_storage"]

T = TypeVar("T")

_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")


class ClientStorage:
    """The default of a var that the browser keeps: in a cookie, localStorage or sessionStorage.

    The browser's stored value wins when a tab connects; every change the server makes is written back.
    Values are stored as JSON. Declare one with `cookie`, `local_storage` or `session_storage`:
    ``theme: str = pr.local_storage("light")``.
    """

    kind: StorageKind = "local"

    def __init__(self, default: Any, *, key: str | None = None) -> None:
        if key is not None and (not isinstance(key, str) or not _KEY.match(key)):
            raise ConfigError(f'Expected a storage key of letters, digits, "_", "." or "-", but got {key!r}.')
        self.default = default
        self.key = key

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.default!r}, key={self.key!r})"

    def options(self) -> dict[str, Any]:
        """What the browser needs to know besides the key, for the compiled app."""
        return {"kind": self.kind}


class LocalStorage(ClientStorage):
    """A var kept in localStorage; declared with `local_storage`."""

    kind: StorageKind = "local"


class SessionStorage(ClientStorage):
    """A var kept in sessionStorage; declared with `session_storage`."""

    kind: StorageKind = "session"


class Cookie(ClientStorage):
    """A var kept in a cookie; declared with `cookie`, whose arguments it takes."""

    kind: StorageKind = "cookie"

    def __init__(
        self,
        default: Any,
        *,
        key: str | None = None,
        max_age: int | None = None,
        path: str | None = None,
        same_site: Literal["lax", "strict", "none"] = "lax",
    ) -> None:
        super().__init__(default, key=key)
        if max_age is not None and (not isinstance(max_age, int) or max_age < 0):
            raise ConfigError(f"Expected max_age as a number of seconds, but got {max_age!r}.")
        if path is not None and (not isinstance(path, str) or not path.startswith("/") or ";" in path):
            raise ConfigError(f'Expected a cookie path such as "/", but got {path!r}.')
        if same_site not in ("lax", "strict", "none"):
            raise ConfigError(f'Expected same_site "lax", "strict" or "none", but got {same_site!r}.')
        self.max_age = max_age
        self.path = path
        self.same_site = same_site

    def options(self) -> dict[str, Any]:
        return {"kind": self.kind, "maxAge": self.max_age, "path": self.path, "sameSite": self.same_site}


# Typed as returning the default's type, like dataclasses.field, so `theme: str = pr.local_storage("light")`
# type-checks; State turns the marker into the var's default and remembers where the browser keeps it.


def local_storage(default: T, *, key: str | None = None) -> T:
    """Declares a var the browser keeps in localStorage: shared by the tabs of the origin, kept across restarts.

    Example: ``theme: str = pr.local_storage("light")``

    Args:
        default: The value while the browser has none stored.
        key: The storage key; ``"<state name>.<var name>"`` by default.
    """
    return cast(T, LocalStorage(default, key=key))


def session_storage(default: T, *, key: str | None = None) -> T:
    """Declares a var the browser keeps in sessionStorage: per tab, kept across reloads of that tab.

    Args:
        default: The value while the browser has none stored.
        key: The storage key; ``"<state name>.<var name>"`` by default.
    """
    return cast(T, SessionStorage(default, key=key))


def cookie(
    default: T,
    *,
    key: str | None = None,
    max_age: int | None = None,
    path: str | None = None,
    same_site: Literal["lax", "strict", "none"] = "lax",
) -> T:
    """Declares a var the browser keeps in a cookie, which it also sends with every request to the host.

    Args:
        default: The value while the browser has none stored.
        key: The cookie name; ``"<state name>.<var name>"`` by default.
        max_age: Seconds the cookie lives; None for a session cookie.
        path: The cookie's path; the app's mount path by default.
        same_site: The cookie's SameSite attribute.
    """
    return cast(T, Cookie(default, key=key, max_age=max_age, path=path, same_site=same_site))
