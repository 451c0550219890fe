"""Real ASGI servers (uvicorn, hypercorn) in a thread and a real nginx, for end-to-end tests."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

import anyio
import hypercorn.asyncio
import hypercorn.config
import pytest
import uvicorn

from pyreact_asgi._types import ASGIApp
from tests._waiting import port_open, wait_until


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


Server = Literal["uvicorn", "hypercorn"]
SERVERS: tuple[Server, ...] = ("uvicorn", "hypercorn")


@contextmanager
def serve(
    app: ASGIApp,
    *,
    server: Server = "uvicorn",
    root_path: str = "",
    lifespan: Literal["auto", "on", "off"] = "auto",
    port: int = 0,
    timeout: float = 10.0,
) -> Iterator[LiveServer]:
    """Runs ``app`` under a real ASGI server on 127.0.0.1 until the block ends; on an OS-chosen port by default."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    run, started, stop = (_uvicorn if server == "uvicorn" else _hypercorn)(app, sock, root_path, lifespan)
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        wait_until(started, alive=thread.is_alive, what=server, timeout=timeout)
        yield LiveServer("127.0.0.1", port)
    finally:
        stop()
        thread.join(timeout)
        sock.close()


_Control = tuple[Callable[[], None], Callable[[], bool], Callable[[], None]]


def _uvicorn(app: ASGIApp, sock: socket.socket, root_path: str, lifespan: Literal["auto", "on", "off"]) -> _Control:
    server = uvicorn.Server(uvicorn.Config(app, root_path=root_path, lifespan=lifespan, log_level="warning"))

    def stop() -> None:
        server.should_exit = True

    return lambda: server.run(sockets=[sock]), lambda: server.started, stop


def _hypercorn(app: ASGIApp, sock: socket.socket, root_path: str, lifespan: Literal["auto", "on", "off"]) -> _Control:
    # Hypercorn always runs lifespan; "off" is a uvicorn-only mode.
    assert lifespan != "off", "hypercorn cannot run without lifespan"
    config = hypercorn.config.Config()
    # Hypercorn closes the descriptor it is given when it stops; give it its own.
    config.bind = [f"fd://{os.dup(sock.fileno())}"]
    config.root_path = root_path
    config.loglevel = "WARNING"
    config.accesslog = None
    loop = asyncio.new_event_loop()
    shutdown = asyncio.Event()

    def run() -> None:
        # asyncio.Runner, as hypercorn's own CLI: tasks still pending at the end are cancelled, not destroyed.
        with asyncio.Runner(loop_factory=lambda: loop) as runner:
            runner.run(hypercorn.asyncio.serve(app, config, shutdown_trigger=shutdown.wait))  # type: ignore[arg-type]

    def stop() -> None:
        loop.call_soon_threadsafe(shutdown.set)

    return run, lambda: port_open(sock.getsockname()[1]), stop


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# What both nginx configurations start with: one worker, every file under the test's tmp directory.
_NGINX_HTTP = """\
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
"""

_NGINX_CONF = (
    _NGINX_HTTP
    + """\
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    server {{
        listen 127.0.0.1:{port};
        location {prefix}/ {{
            proxy_pass http://127.0.0.1:{upstream}{upstream_path};
            {forwarded}
            proxy_http_version 1.1;
            proxy_set_header Host {host_header};
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
    }}
}}
"""
)


_NGINX_STATIC_CONF = (
    _NGINX_HTTP
    + """\
    types {{ text/html html; text/javascript js; }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri $uri/ /index.html; }}
    }}
}}
"""
)


@contextmanager
def nginx_static(root: Path, tmp: Path, *, port: int | None = None, timeout: float = 10.0) -> Iterator[LiveServer]:
    """Runs a real nginx on 127.0.0.1 serving the files under ``root`` (a static host; unknown paths get
    ``/index.html``), on ``port`` or a free one."""
    require_tool(NGINX, "nginx")
    port = port or free_port()
    conf = tmp / "nginx-static.conf"
    user = "user root root;" if os.geteuid() == 0 else ""
    conf.write_text(_NGINX_STATIC_CONF.format(user=user, tmp=tmp, port=port, root=root))
    with _nginx(conf, port, timeout) as server:
        yield server


@contextmanager
def _nginx(conf: Path, port: int, timeout: float) -> Iterator[LiveServer]:
    """Runs nginx with ``conf`` in the foreground until the block ends, once it listens on ``port``."""
    process = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        wait_until(
            lambda: port_open(port),
            alive=lambda: process.poll() is None,
            what="nginx",
            timeout=timeout,
            # stderr is read only once nginx has exited: reading a live one would block.
            detail=lambda: process.stderr.read().decode() if process.stderr and process.poll() is not None else "",
        )
        yield LiveServer("127.0.0.1", port)
    finally:
        process.terminate()
        process.wait(timeout)
        if process.stderr:
            process.stderr.close()


def require_tool(path: str, package: str) -> None:
    """Skips the test when a Debian tool is missing, or fails it where ``.ci/run`` installed everything."""
    if os.access(path, os.X_OK):
        return
    message = f"{path} is missing: apt-get install {package} (.ci/run does)"
    if os.environ.get("PYREACT_REQUIRE_TOOLS"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def nginx_proxy(
    prefix: str,
    upstream: LiveServer,
    tmp: Path,
    *,
    strip: bool = True,
    send_prefix: bool = False,
    host_header: str = "$http_host",
    timeout: float = 10.0,
) -> Iterator[LiveServer]:
    """Runs a real nginx on 127.0.0.1 that forwards ``<prefix>/...`` to ``upstream``.

    Args:
        strip: Strip the prefix before forwarding (``proxy_pass http://upstream/``, the trailing "/" does it),
            or pass the path through unchanged.
        send_prefix: Send the stripped prefix in ``X-Forwarded-Prefix``.
        host_header: What nginx sends as ``Host``: the browser's (``$http_host``, as docs/deploy.md says),
            or what the usual snippets send (``$host``, which drops the port).
    """
    require_tool(NGINX, "nginx")
    port = free_port()
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    forwarded = f"proxy_set_header X-Forwarded-Prefix {prefix};" if send_prefix else ""
    conf.write_text(
        _NGINX_CONF.format(
            user=user,
            tmp=tmp,
            port=port,
            prefix=prefix,
            upstream=upstream.port,
            upstream_path="/" if strip else "",
            forwarded=forwarded,
            host_header=host_header,
        )
    )
    with _nginx(conf, port, timeout) as server:
        yield server


REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Debian 12 has it in bookworm-backports only; scripts/_env.sh apt_install takes it from there.
VALKEY_SERVER = shutil.which("valkey-server") or "/usr/bin/valkey-server"

Store = Literal["redis", "valkey"]
STORES: tuple[Store, ...] = ("redis", "valkey")
# The server and its command-line client, by store: Valkey speaks Redis's protocol and takes its options.
_STORE_TOOLS: dict[Store, tuple[str, str]] = {
    "redis": (REDIS_SERVER, shutil.which("redis-cli") or "/usr/bin/redis-cli"),
    "valkey": (VALKEY_SERVER, shutil.which("valkey-cli") or "/usr/bin/valkey-cli"),
}


@dataclass(frozen=True)
class TLSFiles:
    """PEM files of a server certificate and the CA that signed it, for a store that speaks only TLS."""

    cert: Path
    key: Path
    ca: Path


class RedisServer:
    """A real redis-server (or valkey-server) on 127.0.0.1 with nothing persisted, in a temporary directory;
    `restart` keeps its port, for tests of what happens while it is gone."""

    def __init__(
        self,
        tmp: Path,
        port: int | None = None,
        timeout: float = 10.0,
        *,
        durable: bool = False,
        kind: Store = "redis",
        tls: TLSFiles | None = None,
        unix: bool = False,
    ) -> None:
        self.tmp = tmp
        # Durable: every write is in the append-only file before Redis acknowledges it, so a kill -9 loses
        # nothing acknowledged (a deployment that must not lose states runs Redis so too).
        self.durable = durable
        self.kind = kind
        self.binary, self.client = _STORE_TOOLS[kind]
        # With TLS files it listens with TLS only: its plain port is closed (0).
        self.tls = tls
        # Also listening on a Unix socket, which `url` then names (the port stays open, to see it is up).
        self.socket = tmp / "redis.sock" if unix else None
        self.port = port or free_port()
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        if self.tls is not None:
            return f"rediss://127.0.0.1:{self.port}/0?ssl_ca_certs={self.tls.ca}"
        if self.socket is not None:
            return f"unix://{self.socket}?db=0"
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None, "already running"
        if self.tls is None:
            listen: tuple[str, ...] = ("--port", str(self.port))
        else:
            listen = (
                *("--port", "0", "--tls-port", str(self.port), "--tls-cert-file", str(self.tls.cert)),
                *("--tls-key-file", str(self.tls.key), "--tls-ca-cert-file", str(self.tls.ca)),
                *("--tls-auth-clients", "no"),  # the server's certificate is what is checked, not the client's
            )
        if self.socket is not None:
            listen = (*listen, "--unixsocket", str(self.socket), "--unixsocketperm", "700")
        self.process = subprocess.Popen(
            # No RDB snapshots, no AOF: a test instance keeps nothing after it stops.
            [
                *(self.binary, *listen, "--bind", "127.0.0.1", "--dir", str(self.tmp)),
                *("--save", "", "--protected-mode", "no", "--loglevel", "warning"),
                *(("--appendonly", "yes", "--appendfsync", "always") if self.durable else ("--appendonly", "no")),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        process = self.process
        wait_until(
            lambda: port_open(self.port),
            alive=lambda: process.poll() is None,
            what=self.kind,
            timeout=self.timeout,
            detail=lambda: process.stderr.read().decode() if process.stderr and process.poll() is not None else "",
        )

    def stop(self) -> None:
        """Kills it (SIGKILL: what a crash does), and waits until it is gone."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait(self.timeout)
            if process.stderr:
                process.stderr.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def cli(self, *args: str) -> str:
        """Runs one command with redis-cli (valkey-cli) and returns its output."""
        tls = () if self.tls is None else ("--tls", "--cacert", str(self.tls.ca))
        done = subprocess.run(
            [self.client, *tls, "-p", str(self.port), *args], capture_output=True, check=True, timeout=self.timeout
        )
        return done.stdout.decode()

    async def poll(self, ready: Callable[[RedisServer], bool], what: str, within: float = 5.0) -> None:
        """Waits until ``ready(self)`` holds, without blocking the event loop: Redis offers no event to await
        for a key's state or expiry, so it is polled (with `cli`) against a deadline of ``within`` seconds."""
        await anyio.to_thread.run_sync(
            partial(wait_until, lambda: ready(self), alive=lambda: True, what=what, timeout=within)
        )


@contextmanager
def redis_server(tmp: Path, *, kind: Store = "redis", tls: TLSFiles | None = None) -> Iterator[RedisServer]:
    """Runs a real redis-server (Debian's package) until the block ends; skips without one (see `require_tool`)."""
    binary = _STORE_TOOLS[kind][0]
    require_tool(binary, "valkey-server (on Debian 12: -t bookworm-backports)" if kind == "valkey" else "redis-server")
    server = RedisServer(tmp, kind=kind, tls=tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def valkey_server(tmp: Path) -> Iterator[RedisServer]:
    """Runs a real valkey-server (Debian's package, in bookworm-backports on Debian 12) until the block ends;
    skips without one (see `require_tool`)."""
    with redis_server(tmp, kind="valkey") as server:
        yield server


@contextmanager
def uvicorn_workers(
    app: str, env: dict[str, str], log: Path, *, workers: int = 2, timeout: float = 30.0
) -> Iterator[tuple[LiveServer, subprocess.Popen[bytes]]]:
    """Runs ``uvicorn <app> --workers N`` as a subprocess on a free port, as a deployment does, with its
    stderr written to ``log``."""
    port = free_port()
    argv = [
        *(sys.executable, "-m", "uvicorn", app, "--workers", str(workers), "--port", str(port)),
        *("--log-level", "warning", "--timeout-graceful-shutdown", "2"),
    ]
    with _supervisor("uvicorn", argv, port, env, log, timeout) as running:
        yield running


@contextmanager
def gunicorn_workers(
    argv: list[str], env: dict[str, str], log: Path, *, timeout: float = 30.0
) -> Iterator[tuple[LiveServer, subprocess.Popen[bytes]]]:
    """Runs gunicorn with ``argv`` (its arguments, without "gunicorn") as a subprocess, on the port of its
    ``-b 127.0.0.1:PORT``, with its stderr written to ``log``."""
    port = int(argv[argv.index("-b") + 1].rpartition(":")[2])
    # Test-only options after the deployment's: less log, and a quick stop of workers with open websockets.
    command = [sys.executable, "-m", "gunicorn", *argv, "--log-level", "warning", "--graceful-timeout", "2"]
    with _supervisor("gunicorn", command, port, env, log, timeout) as running:
        yield running


@contextmanager
def _supervisor(
    what: str, argv: list[str], port: int, env: dict[str, str], log: Path, timeout: float
) -> Iterator[tuple[LiveServer, subprocess.Popen[bytes]]]:
    """Runs a server that supervises worker processes until the block ends; stops it with SIGTERM, as a
    deployment's service manager does."""
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env={**os.environ, **env}, stderr=out)
    try:
        wait_until(lambda: port_open(port), alive=lambda: process.poll() is None, what=what, timeout=timeout)
        yield LiveServer("127.0.0.1", port), process
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:  # pragma: no cover - a worker that hangs on shutdown
            process.kill()
            process.wait(timeout)
