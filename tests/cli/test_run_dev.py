"""`pyreact run --dev` on a generated project: a save is rebuilt in the running server, which logs it."""

from __future__ import annotations

import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.cli.conftest import PYREACT, pyreact
from tests.cli.test_run import fetch, wait_accepting
from tests.servers import free_port

pytestmark = pytest.mark.e2e


def _entry(html: str) -> str:
    return html.split('<script type="module" src="', 1)[1].split('"', 1)[0]


def test_run_dev_rebuilds_a_saved_page_in_the_running_server(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    assert pyreact("init", "devsite", cwd=tmp_path).returncode == 0
    project = tmp_path / "devsite"
    port = free_port()
    process = subprocess.Popen(
        [*PYREACT, "run", "--dev", "--port", str(port)], cwd=project, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    stream = process.stderr
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []

    def wait_for(marker: str) -> None:
        deadline = time.monotonic() + 30
        while not any(marker in line for line in seen):
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            assert line is not None, "".join(seen)
            seen.append(line)

    try:
        wait_for("Application startup complete.")
        wait_accepting(port, time.monotonic() + 30)
        status, before = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200
        ui = project / "devsite" / "ui.py"
        ui.write_text(ui.read_text().replace('"Click me"', '"Press me"'))
        wait_for("Reloaded in ")
        _, after = fetch(f"http://127.0.0.1:{port}/")
        assert _entry(after) != _entry(before), "the page now loads the rebuilt app module"
        assert "Started reloader process" not in "".join(seen), "--dev reloads in process, not by restarting"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        stream.close()
    assert process.returncode == 0, "".join(seen)
