"""A real uvicorn server in a thread, for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest
import uvicorn

from pyreact_asgi._types import ASGIApp


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def serve(
    app: ASGIApp, *, root_path: str = "", lifespan: Literal["auto", "on", "off"] = "auto", timeout: float = 10.0
) -> Iterator[LiveServer]:
    """Runs ``app`` under a real uvicorn on 127.0.0.1 with an OS-chosen port until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, root_path=root_path, lifespan=lifespan, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start within {timeout}s")
            time.sleep(0.01)
        yield LiveServer("127.0.0.1", port)
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

_NGINX_CONF = """\
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
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    server {{
        listen 127.0.0.1:{port};
        location {prefix}/ {{
            # The trailing "/" strips the prefix, as a proxy in front of `uvicorn --root-path` does.
            proxy_pass http://127.0.0.1:{upstream}/;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
    }}
}}
"""


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
def nginx_proxy(prefix: str, upstream: LiveServer, tmp: Path, timeout: float = 10.0) -> Iterator[LiveServer]:
    """Runs a real nginx on 127.0.0.1 that forwards ``<prefix>/...`` to ``upstream`` with the prefix stripped."""
    require_tool(NGINX, "nginx")
    port = free_port()
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(_NGINX_CONF.format(user=user, tmp=tmp, port=port, prefix=prefix, upstream=upstream.port))
    process = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {process.stderr.read().decode() if process.stderr else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start within {timeout}s") from None
                time.sleep(0.01)
        yield LiveServer("127.0.0.1", port)
    finally:
        process.terminate()
        process.wait(timeout)
        if process.stderr:
            process.stderr.close()
