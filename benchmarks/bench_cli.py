"""From nothing to a served page: ``pyreact init`` then ``pyreact run``, until the first page arrives.

Subject: in an empty directory, ``pyreact init --<template>`` then ``pyreact run --no-reload``, timed from the
start of ``init`` to the end of the first GET of the page (the run builds the bundle cold, as a new user's does).
Baseline: the same project, freshly initialised too, served with ``uvicorn <module>:<app>`` (which builds at
startup alike): what the command adds on top of the server a user would otherwise start by hand.
"""

from __future__ import annotations

import argparse
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchmarks._common import Report, Row, StealMeter, finish, free_port, median

PYREACT = [sys.executable, "-m", "pyreact_asgi"]
# The page of each template, and what `uvicorn` serves for the baseline.
TEMPLATES = {"standalone": ("/", "bench_site.ui:ui"), "fastapi": ("/ui/", "bench_site.main:app")}
READY = ("Application startup complete.", "Uvicorn running on")


def _serve_first_page(command: list[str], cwd: Path, path: str, port: int) -> None:
    """Starts a server, waits for uvicorn to say it is ready, fetches ``path`` once, and stops the server."""
    process = subprocess.Popen(command, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    stream = process.stderr
    threading.Thread(target=lambda: [*map(lines.put, stream), lines.put(None)], daemon=True).start()
    seen = ""
    try:
        while not all(marker in seen for marker in READY):
            line = lines.get(timeout=60)
            if line is None:
                raise RuntimeError(f"{command[0]} exited before serving: {seen}")
            seen += line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            if response.status != 200 or b'name="pyreact-mount"' not in response.read():
                raise RuntimeError(f"unexpected page from {command}")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        stream.close()


def subject(template: str, root: Path) -> float:
    path, _ = TEMPLATES[template]
    port = free_port()
    started = time.perf_counter()
    subprocess.run(
        [*PYREACT, "init", f"--{template}", "--name", "bench_site", str(root)], check=True, capture_output=True
    )
    _serve_first_page([*PYREACT, "run", "--no-reload", "--port", str(port)], root, path, port)
    return time.perf_counter() - started


def baseline(template: str, root: Path) -> float:
    path, app = TEMPLATES[template]
    subprocess.run(
        [*PYREACT, "init", f"--{template}", "--name", "bench_site", str(root)], check=True, capture_output=True
    )
    port = free_port()
    started = time.perf_counter()
    _serve_first_page([sys.executable, "-m", "uvicorn", app, "--port", str(port)], root, path, port)
    return time.perf_counter() - started


def init_only(template: str, root: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [*PYREACT, "init", f"--{template}", "--name", "bench_site", str(root)], check=True, capture_output=True
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cli", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="samples per figure (default 5)")
    args = parser.parse_args(argv)
    steal = StealMeter()
    report = Report(
        name="bench_cli",
        subject="pyreact init + run",
        baseline="uvicorn module:app on the same, freshly made project",
    )
    for template in TEMPLATES:
        samples: dict[str, list[float]] = {"subject": [], "baseline": [], "init": []}
        for run in range(args.runs):
            # ABBA: alternate which goes first, so that load from elsewhere falls on both alike.
            order = [("subject", subject), ("baseline", baseline)]
            for name, measure in order if run % 2 == 0 else order[::-1]:
                with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
                    samples[name].append(measure(template, Path(tmp) / "project"))
            with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
                samples["init"].append(init_only(template, Path(tmp) / "project"))
        row = report.add(
            Row(
                f"init to first page served, {template}",
                "s",
                median(samples["subject"]),
                median(samples["init"]) + median(samples["baseline"]),
                "< 5 s",
            )
        )
        row.passed = row.subject < 5
        report.add(Row(f"· pyreact init alone, {template}", "ms", median(samples["init"]) * 1000))
        report.add(Row(f"· uvicorn start to first page, {template}", "s", median(samples["baseline"])))
    report.notes.append(
        f"Medians of {args.runs} runs. The baseline column is `pyreact init` plus `uvicorn module:app` to its first "
        "page, so the ratio is what `pyreact run` adds (it imports and builds before uvicorn starts, and the "
        f"server then finds the build current). CPU steal during the run: {steal.share():.0%}."
    )
    return finish(report)


if __name__ == "__main__":
    sys.exit(main())
