"""`pyreact run` serves the generated project with a real uvicorn, and stops cleanly on Ctrl+C."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.cli.conftest import PAGE, PYREACT, pyreact
from tests.servers import free_port

pytestmark = pytest.mark.e2e

# uvicorn logs both once it accepts connections, in either order: without --reload the app starts before the
# socket is bound; with it the reloader binds first and the app starts in a child process.
STARTED = ("Application startup complete.", "Uvicorn running on")


@contextmanager
def running(project: Path, *args: str) -> Iterator[tuple[int, list[str]]]:
    """Starts `pyreact run` on a free port, waits for uvicorn's startup lines, and stops it with SIGINT.

    Yields the port and the lines printed so far; once stopped, the list holds every line, and the process
    has exited with code 0.
    """
    port = free_port()
    process = subprocess.Popen(
        [*PYREACT, "run", "--port", str(port), *args],
        cwd=project,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    stream = process.stderr
    assert stream is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)  # end of output: the process exited

    # A thread reads the output so that the test waits on each line against a deadline, never a sleep.
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while not all(line in "".join(seen) for line in STARTED):
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"pyreact run did not start within 30 s: {''.join(seen)}") from None
            assert line is not None, f"pyreact run exited: {''.join(seen)}"
            seen.append(line)
        wait_accepting(port, deadline)
        yield port, seen
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl+C sends
        try:
            process.wait(timeout=15)
        finally:
            if process.poll() is None:  # pragma: no cover - only when the server hangs
                process.kill()
            reader.join(timeout=5)
            stream.close()
    while (line := lines.get(timeout=5)) is not None:
        seen.append(line)
    assert process.returncode == 0, "".join(seen)


def wait_accepting(port: int, deadline: float) -> None:
    """Polls until the port accepts a connection, against the deadline.

    With --reload, the reloader binds the socket and its child starts listening on it only after the app's
    startup, with nothing logged in between; no line marks the moment, so this is the one wait that polls.
    """
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing accepts connections on port {port}") from None
            time.sleep(0.02)


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_run_serves_the_project_without_reload(project: Path) -> None:
    path, mount = PAGE[project.name.removesuffix("_site")]
    with running(project, "--no-reload") as (port, output):
        status, html = fetch(f"http://127.0.0.1:{port}{path}")
    assert status == 200
    assert f'<meta name="pyreact-mount" content="{mount}">' in html
    log = "".join(output)
    assert "Traceback" not in log
    assert "Finished server process" in log, "the server shut down cleanly"
    # The command built the UI; the server, started after it, finds that build current from the code and says so.
    assert "is current" in log
    assert "not compiling the pages" in log


def test_run_reloads_by_default(tmp_path: Path) -> None:
    assert pyreact("init", "--fastapi", "reloading", cwd=tmp_path).returncode == 0
    project = tmp_path / "reloading"
    with running(project) as (port, output):
        status, html = fetch(f"http://127.0.0.1:{port}/ui/")
        assert status == 200
        assert '<meta name="pyreact-mount" content="/ui">' in html
    log = "".join(output)
    assert "Started reloader process" in log
    assert "Stopping reloader process" in log
    assert "Traceback" not in log
