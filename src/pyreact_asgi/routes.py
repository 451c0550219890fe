from __future__ import annotations

import re
from collections.abc import Iterable

from pyreact_asgi.exceptions import ConfigError

__all__ = ["RouteTable", "normalise_route"]

_LITERAL = re.compile(r"^[A-Za-z0-9\-._~]+$")
_PARAM = re.compile(r"^\[(\.\.\.)?([a-z_][a-z0-9_]*)\]$")


def normalise_route(route: str) -> str:
    """Returns a page route without its trailing slash, after checking it.

    A route is "/" or segments of letters, digits and ``-._~``; a segment ``[name]`` matches any one
    segment, and a last segment ``[...name]`` matches the rest of the path (one segment or more).

    Raises:
        ConfigError: The route is not of that form, or starts with the framework's ``/_``.
    """
    if not isinstance(route, str):
        raise ConfigError(f"Expected page routes to be strings, but got {route!r}.")
    normal = route.rstrip("/") or "/"
    hint = 'Expected a page route like "/", "/reports/daily", "/post/[slug]" or "/docs/[...path]"'
    if not normal.startswith("/"):
        raise ConfigError(f"{hint}, but got {route!r}.")
    names: list[str] = []
    segments = normal[1:].split("/") if normal != "/" else []
    for i, segment in enumerate(segments):
        param = _PARAM.match(segment)
        if param is None:
            if not _LITERAL.match(segment):
                raise ConfigError(f"{hint}, but got {route!r}.")
            continue
        if param.group(1) and i != len(segments) - 1:
            raise ConfigError(f"A catch-all segment must be the last of the route, but {route!r} has {segment!r}.")
        if param.group(2) in names:
            raise ConfigError(f"Route {route!r} names the parameter {param.group(2)!r} twice.")
        names.append(param.group(2))
    if normal.startswith("/_"):
        raise ConfigError(f'Page routes starting with "/_" are reserved for the framework, but got {route!r}.')
    return normal


class _Pattern:
    __slots__ = ("catch_all", "route", "segments")

    def __init__(self, route: str) -> None:
        self.route = route
        self.segments = route[1:].split("/")
        self.catch_all = _PARAM.match(self.segments[-1]) is not None and self.segments[-1].startswith("[...")

    def match(self, parts: list[str]) -> dict[str, str] | None:
        fixed = self.segments[:-1] if self.catch_all else self.segments
        if len(parts) < len(fixed) + self.catch_all or (not self.catch_all and len(parts) != len(fixed)):
            return None
        params: dict[str, str] = {}
        for segment, part in zip(fixed, parts, strict=False):
            param = _PARAM.match(segment)
            if param is None:
                if segment != part:
                    return None
            else:
                params[param.group(2)] = part
        if self.catch_all:
            params[self.segments[-1][4:-1]] = "/".join(parts[len(fixed) :])
        return params

    @property
    def rank(self) -> tuple[int, int]:
        # Catch-alls last; among the rest, the route with more literal segments wins.
        literals = sum(1 for s in self.segments if _PARAM.match(s) is None)
        return (self.catch_all, -literals)


class RouteTable:
    """Finds the page route a path belongs to, and the values of its dynamic segments.

    A route without dynamic segments matches only its own path; otherwise routes with more literal segments
    are tried first, catch-alls last.

    Args:
        routes: Normalised page routes.
    """

    def __init__(self, routes: Iterable[str]) -> None:
        routes = list(routes)
        self.static = frozenset(r for r in routes if "[" not in r)
        self._patterns = sorted((_Pattern(r) for r in routes if "[" in r), key=lambda p: p.rank)

    @property
    def ordered(self) -> list[str]:
        """Every route in the order they are tried: static ones first, then dynamic ones by rank."""
        return sorted(self.static) + [p.route for p in self._patterns]

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        """Returns ``(route, params)`` for a path relative to the mount (a trailing slash is ignored), or None."""
        path = path.rstrip("/") or "/"
        if path in self.static:
            return path, {}
        parts = path[1:].split("/")
        if "" in parts:
            return None
        for pattern in self._patterns:
            params = pattern.match(parts)
            if params is not None:
                return pattern.route, params
        return None
