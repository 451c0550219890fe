"""Development mode's hot reload: from saving a page's source to the new UI on screen, in a real chromium.

Subject: ``examples/counter.py`` copied into a project directory and served by ``DevServer`` (what
``pyreact run --dev`` serves) under uvicorn; a tab shows it. Each run changes the greeting's text in the file and
times from the write to the moment a MutationObserver in the page sees the new text (both clocks are the
machine's wall clock). The server's share is split into Python's import of the changed modules and our
compile and build.
Baseline: what a user without hot reload waits for after the server has the new code: loading the page again
(``page.reload()`` until the greeting shows), which also loses the tab's state in the browser.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from benchmarks._common import REPO, Report, Row, StealMeter, finish, median

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WATCH = """
window.__changed = null;
new MutationObserver(() => {
  const text = document.getElementById("greeting")?.textContent ?? "";
  if (text.startsWith(window.__want)) window.__changed = Date.now();
}).observe(document.body, { subtree: true, childList: true, characterData: true });
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_reload", description=__doc__)
    parser.add_argument("--runs", type=int, default=9, help="saves to time; the median is reported")
    args = parser.parse_args(argv)
    from pyreact_asgi.devreload import DevServer, Reloader

    steal = StealMeter()
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        root = Path(tmp)
        source = root / "bench_counter.py"
        shutil.copy(REPO / "examples" / "counter.py", source)
        sys.path.insert(0, str(root))
        import bench_counter  # type: ignore[import-not-found]

        ui = bench_counter.ui
        reloader = Reloader(ui, "bench_counter:ui", root)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(DevServer(ui, reloader), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        screen, imports, builds, loads = [], [], [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#greeting").wait_for()
            page.locator("#increment").click()
            page.evaluate(WATCH)
            text = source.read_text()
            for run in range(args.runs + 1):  # the first one warms up (esbuild's library, chromium's caches)
                word = f"Hello{run}, "
                page.evaluate(f"window.__want = {word!r}; window.__changed = null")
                saved = time.time() * 1000
                source.write_text(text.replace('"Hello, "', repr(word).replace("'", '"')))
                page.wait_for_function("window.__changed !== null", timeout=30_000)
                if run == 0:
                    continue
                screen.append(page.evaluate("window.__changed") - saved)
                imports.append(reloader.timings[0])
                builds.append(reloader.timings[1])
                started = time.perf_counter()
                page.reload()
                page.locator("#greeting").filter(has_text=word).wait_for()
                loads.append((time.perf_counter() - started) * 1000)
                page.evaluate(WATCH)
            browser.close()
        server.should_exit = True
        thread.join(10)

    report = Report(
        name="bench_reload",
        subject="save to new UI on screen (pyreact run --dev)",
        baseline="page.reload() of the rebuilt page, until it shows",
    )
    row = Row("save to screen, examples/counter.py", "ms", median(screen), median(loads))
    row.target, row.passed = "< 300 ms", row.subject < 300
    report.add(row)
    report.notes += [
        f"Medians of {args.runs} saves after one warm-up. Server side: Python's import of the changed module "
        f"{median(imports):.1f} ms, our compile and build {median(builds):.1f} ms; the rest is the file watcher "
        "noticing the save (watchfiles debounces changes for 50 ms), the socket message, the browser's import "
        "of the new module and React's render.",
        f"CPU steal during the run: {steal.share():.0%}.",
    ]
    report.extra["samples"] = {"screen_ms": screen, "import_ms": imports, "build_ms": builds, "reload_ms": loads}
    return finish(report)


if __name__ == "__main__":
    raise SystemExit(main())
