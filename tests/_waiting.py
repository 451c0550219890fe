"""Waiting for a server to come up: the one poll-against-a-deadline loop of the tests and the benchmarks.

It imports nothing beyond the standard library, so the benchmarks use it too.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


def wait_until(
    ready: Callable[[], bool],
    *,
    alive: Callable[[], bool],
    what: str,
    timeout: float,
    detail: Callable[[], str] = lambda: "",
    interval: float = 0.01,
) -> None:
    """Polls ``ready`` until it returns True; a server that is starting offers no event to wait on.

    Args:
        ready: Whether the server is up (``server.started``, or `port_open`).
        alive: Whether the server's thread or process still runs: if it stops first, waiting is pointless.
        what: The server's name, for the error.
        timeout: Seconds before giving up.
        detail: Returns what to add to the error (a log, stderr).
        interval: Seconds between polls.

    Raises:
        RuntimeError: The server stopped, or was not up within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while not ready():
        if not alive():
            raise RuntimeError(f"{what} exited before it was ready{_suffix(detail())}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout}s{_suffix(detail())}")
        time.sleep(interval)


def _suffix(detail: str) -> str:
    return f":\n{detail}" if detail else ""
