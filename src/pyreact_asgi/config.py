from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec

from pyreact_asgi._contract import DEFAULT_EVENT_PATH
from pyreact_asgi.discovery.mount import TrustedProxies
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.theme import Theme

__all__ = ["BuildMode", "Config", "redact_url"]

BuildMode = Literal["auto", "always", "never"]

_EVENT_PATH = re.compile(r"^/[A-Za-z0-9_\-]+$")
_REDIS_URL = re.compile(r"^(redis|rediss|unix)://\S*$")
_REDIS_PREFIX = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")


def redact_url(url: str) -> str:
    """Returns ``url`` with its password (and user) replaced by ``***``, for messages and logs.

    A password can also be a query parameter (redis-py reads ``?password=`` and ``?ssl_keyfile_password=``):
    the value of every parameter whose name ends in "password" is hidden too.
    """
    parts = urlsplit(url)
    if parts.password is not None or parts.username is not None:
        host = parts.hostname or ""
        if parts.port is not None:
            host += f":{parts.port}"
        parts = parts._replace(netloc=f"***@{host}")
    if parts.query:
        query = [
            (name, "***" if name.lower().endswith("password") else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        parts = parts._replace(query=urlencode(query, safe="*/:"))
    return urlunsplit(parts)


class Config(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Settings of one PyApp. Every field has a working default.

    Attributes:
        title: The HTML ``<title>`` of every page.
        build: "auto" rebuilds the bundle when the pages changed, "always" rebuilds at every start,
            "never" serves the last bundle and fails when there is none.
        build_dir: Where the built bundle is written. Defaults to ``.pyreact/<app name>`` in the working
            directory, which must be writable; the installed package itself is never written to. A string
            is accepted and turned into a Path.
        event_path: Path of the websocket endpoint under the mount path.
        allowed_origins: Extra origins (``"https://example.com"``) allowed to open the websocket and to
            upload (their CORS preflight is answered, without credentials); the page's own origin is always
            allowed.
        trusted_proxies: Addresses or networks (``"127.0.0.1"``, ``"10.0.0.0/8"``, or ``"*"`` for any) of
            reverse proxies whose ``X-Forwarded-Prefix`` header is honoured. Empty by default: the header is
            ignored, since any client could send it. A proxy that strips a prefix before forwarding sends it
            there, and the app then writes its URLs under it.
        max_event_bytes: Largest websocket message a client may send.
        max_upload_bytes: Largest file a client may upload, in bytes; a larger one is refused with 413 and
            nothing of it is kept.
        max_upload_files: Most files in one upload.
        upload_dir: Where uploads are written while their handler runs; the system's temporary directory by
            default.
        assets_dir: A folder of files (images, fonts, downloads) served as they are under ``<mount>/assets/``,
            with an ETag and ``Cache-Control: no-cache`` (browsers keep them and revalidate). Page routes under
            ``/assets`` are then refused. None serves no assets.
        state_ttl: Seconds a client's state is kept after its last event or its last connection closed. A
            client with an open connection keeps its state however long it stays idle.
        sweep_interval: Seconds between two sweeps that drop the states past ``state_ttl``; a timer started
            and stopped with the app.
        max_clients: Most client states kept. When a new client comes and the limit is reached, the state
            idle the longest (no open connection) is dropped; if every state has a connection, the new
            client is refused.
        max_state_bytes: Largest size of one client's state, all its states together, measured as msgpack.
            An event or task that would make it larger fails with error "too_large" and is undone.
        max_total_state_bytes: Largest size of all clients' states together: past it, the states idle the
            longest are dropped.
        max_pending_events: Most events one connection may have waiting while an earlier one runs; more are
            refused with error "overloaded". Together with ``max_event_bytes`` it bounds what a connection
            holds.
        max_outgoing_bytes: Most bytes of updates waiting to be sent to one connection; a client that reads
            slower than its updates come is disconnected (it reconnects and is sent its full state).
        handler_timeout: Seconds an event handler may run (a streaming one included) before it is cancelled,
            its changes since its last update undone, and the client told (error "timeout"). A sync
            handler runs in a worker thread, which cannot be interrupted: it is reported when it returns.
        ping_interval: Seconds between websocket pings; whole seconds, since engine.io tells the client
            ``int(ping_interval) * 1000`` milliseconds (0.5 would make the client expect pings constantly).
        ping_timeout: Seconds to wait for a pong before the connection counts as lost.
        handler_error_message: What a client is told when an event handler raises. The traceback is only
            logged on the server.
        expose_errors: Also tell the client the exception's type and message (``ValueError: ...``); for
            development, since messages can reveal internals.
        theme: Accent colour, corner radius, font and initial colour mode of the built-in components.
        redis_url: Keep clients' states in this Redis (or Valkey) instead of this process's memory, so
            several workers or machines serve the same clients (``"redis://localhost:6379/0"``,
            ``"rediss://:password@host:6380/0"``, ``"unix:///run/redis.sock"``). None reads the environment
            variable ``PYREACT_REDIS_URL``; when that is unset too, states stay in memory (one process).
            Needs ``pip install 'pyreact-asgi[redis]'``; see docs/deploy.md.
        redis_prefix: Prefix of every Redis key and channel this app uses; give two apps that share one Redis
            database different prefixes.
        lock_expiry: Seconds a client's lock in Redis lasts unless renewed. The worker holding it renews it
            while the event runs, so it bounds only how long a crashed worker can keep a client waiting. An
            event whose lock expired anyway (its worker stalled past it) and was taken by another has its
            changes refused (error "conflict") rather than overwrite newer state.
    """

    title: str = "pyreact app"
    build: BuildMode = "auto"
    build_dir: Path | None = None
    event_path: str = DEFAULT_EVENT_PATH
    allowed_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    max_event_bytes: int = 1_000_000
    max_upload_bytes: int = 100 * 1024 * 1024
    max_upload_files: int = 20
    upload_dir: Path | None = None
    assets_dir: Path | None = None
    state_ttl: float = 3600.0
    sweep_interval: float = 60.0
    max_clients: int = 10_000
    max_state_bytes: int = 1_000_000
    max_total_state_bytes: int = 512 * 1024 * 1024
    max_pending_events: int = 64
    max_outgoing_bytes: int = 4_000_000
    handler_timeout: float = 300.0
    ping_interval: float = 25.0
    ping_timeout: float = 20.0
    handler_error_message: str = "The event failed on the server."
    expose_errors: bool = False
    theme: Theme = msgspec.field(default_factory=Theme)
    redis_url: str | None = None
    redis_prefix: str = "pyreact"
    lock_expiry: float = 10.0

    def __post_init__(self) -> None:
        for name in ("build_dir", "upload_dir", "assets_dir"):
            value = getattr(self, name)
            if value is not None:
                if not isinstance(value, (str, os.PathLike)):
                    raise ConfigError(f"Expected {name} to be a path, but got {value!r}.")
                # Stored as a Path whatever the caller passed, so code reading it can rely on that.
                msgspec.structs.force_setattr(self, name, Path(value))
        if not isinstance(self.theme, Theme):
            raise ConfigError(f"Expected theme to be a pr.Theme, but got {self.theme!r}.")
        if self.build not in ("auto", "always", "never"):
            raise ConfigError(f'Expected build to be "auto", "always" or "never", but got {self.build!r}.')
        if not _EVENT_PATH.match(self.event_path):
            raise ConfigError(f'Expected event_path like "/_event", but got {self.event_path!r}.')
        if self.ping_interval != int(self.ping_interval):
            raise ConfigError(f"Expected ping_interval in whole seconds, but got {self.ping_interval!r}.")
        if self.redis_url is not None and not _REDIS_URL.match(self.redis_url):
            raise ConfigError(
                'Expected redis_url like "redis://host:6379/0", "rediss://…" or "unix:///path", but got '
                f"{redact_url(self.redis_url)!r}."
            )
        if not _REDIS_PREFIX.match(self.redis_prefix):
            raise ConfigError(
                f'Expected redis_prefix of 1-64 letters, digits or "_.:-", but got {self.redis_prefix!r}.'
            )
        for origin in self.allowed_origins:
            if not re.match(r"^https?://[^/\s]+$", origin):
                raise ConfigError(f'Expected each allowed origin as "scheme://host[:port]", but got {origin!r}.')
        try:
            TrustedProxies(self.trusted_proxies)
        except ValueError as exc:
            raise ConfigError(
                f'Expected trusted_proxies as addresses or networks such as "127.0.0.1" or "10.0.0.0/8", or "*": {exc}'
            ) from None
        for name in (
            "max_upload_bytes",
            "max_upload_files",
            "max_event_bytes",
            "state_ttl",
            "sweep_interval",
            "max_clients",
            "max_state_bytes",
            "max_total_state_bytes",
            "max_pending_events",
            "max_outgoing_bytes",
            "handler_timeout",
            "ping_interval",
            "ping_timeout",
            "lock_expiry",
        ):
            if getattr(self, name) <= 0:
                raise ConfigError(f"Expected {name} to be positive, but got {getattr(self, name)!r}.")
