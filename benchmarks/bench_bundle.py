"""Bytes a browser downloads for the counter page, gzipped, vs. React and ReactDOM alone.

The counter app (examples/counter.py) runs under uvicorn in its own process. The page is fetched over HTTP
with ``Accept-Encoding: gzip``, then every JavaScript module it loads, following the HTML's ``<script>`` and
``modulepreload`` links and the modules' relative imports; the figure is the sum of the response bodies as
sent. The baseline is React + ReactDOM bundled by the same esbuild with the same options as our runtime
(frontend/build.mjs), gzipped at level 9: what any React app ships before its own code.
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from benchmarks._common import REPO, Report, Row, finish, uvicorn_process

SUBJECT = "benchmarks._apps:counter_app"
DASHBOARD = "benchmarks._apps:dashboard_app"
NODE_MODULES = REPO / "frontend" / "node_modules"
ESBUILD = NODE_MODULES / "esbuild" / "bin" / "esbuild"
# React 19 ships its production CommonJS files unminified; these are what react-dom/client needs.
REACT_FILES = (
    "react/cjs/react.production.js",
    "react-dom/cjs/react-dom.production.js",
    "react-dom/cjs/react-dom-client.production.js",
    "scheduler/cjs/scheduler.production.js",
)
_HTML_LINKS = re.compile(r'(?:src|href)="([^"]+\.js)"')
_JS_IMPORTS = re.compile(r"""(?:from|import)\s*\(?\s*["'](\.{1,2}/[^"']+\.js)["']""")
KB = 1000


@dataclass(frozen=True)
class Download:
    url: str
    wire_bytes: int
    body_bytes: int
    encoding: str


def fetch(url: str) -> tuple[Download, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:  # urllib never decompresses by itself
        wire = response.read()
        encoding = response.headers.get("Content-Encoding", "identity")
    body = gzip.decompress(wire) if encoding == "gzip" else wire
    return Download(urlsplit(url).path, len(wire), len(body), encoding), body


def browser_downloads(url: str, ready: str) -> list[Download]:
    """Loads the page in chromium (empty cache) until ``ready`` is visible and the network is idle; returns every
    response of the page's own origin, with the bytes of its body as sent (``encodedBodySize``).

    A browser, not the link-following of `page_downloads`: the dashboard's component packages are imported
    dynamically, only when a component of theirs renders, so only a browser knows what a page loads.
    """
    from playwright.sync_api import sync_playwright

    from tests.e2e.browsing import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        page.locator(ready).wait_for()
        page.wait_for_load_state("networkidle")
        entries = page.evaluate(
            "[performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]"
            ".map(e => ({url: e.name, wire: e.encodedBodySize, body: e.decodedBodySize}))"
        )
        browser.close()
    origin = "/".join(url.split("/")[:3])
    return [
        Download(urlsplit(e["url"]).path, e["wire"], e["body"], "gzip" if e["wire"] < e["body"] else "identity")
        for e in entries
        if e["url"].startswith(origin)
    ]


def page_downloads(url: str) -> list[Download]:
    """Fetches the page and every JS module it loads, each once, as a browser with an empty cache would."""
    page, html = fetch(url)
    downloads = [page]
    queue = [urljoin(url, link) for link in _HTML_LINKS.findall(html.decode())]
    seen = set(queue)
    while queue:
        current = queue.pop(0)
        download, body = fetch(current)
        downloads.append(download)
        for link in _JS_IMPORTS.findall(body.decode()):
            absolute = urljoin(current, link)
            if absolute not in seen:
                seen.add(absolute)
                queue.append(absolute)
    return downloads


REACT_ENTRY = (
    'import * as React from "react";\nimport { createRoot } from "react-dom/client";\nexport { React, createRoot };\n'
)
SOCKETIO_ENTRY = 'export { io } from "socket.io-client";\n'


def esbuild_bundle(entry_source: str) -> bytes | None:
    """Returns the module bundled and minified like our runtime (frontend/build.mjs), or None without esbuild."""
    if not ESBUILD.is_file():
        return None
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        entry = Path(tmp) / "entry.js"
        entry.write_text(entry_source)
        out = Path(tmp) / "out.js"
        options = [
            "--bundle", "--format=esm", "--minify", "--target=es2020", "--legal-comments=none",
            '--define:process.env.NODE_ENV="production"', f"--outfile={out}", "--log-level=warning",
        ]  # fmt: skip
        subprocess.run([str(ESBUILD), str(entry), *options], check=True, env={"NODE_PATH": str(NODE_MODULES)})
        return out.read_bytes()


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_bundle", description=__doc__)
    parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        with uvicorn_process(SUBJECT, build_dir=Path(tmp)) as server:
            downloads = page_downloads(server.url + "/")
    with tempfile.TemporaryDirectory(prefix="pyreact-bench-") as tmp:
        with uvicorn_process(DASHBOARD, build_dir=Path(tmp)) as server:
            dashboard = browser_downloads(server.url + "/", "#orders tbody tr >> nth=24")
    total = sum(d.wire_bytes for d in downloads)
    dashboard_total = sum(d.wire_bytes for d in dashboard)

    raw_react = b"\n".join((NODE_MODULES / name).read_bytes() for name in REACT_FILES)
    bundled_react = esbuild_bundle(REACT_ENTRY)
    with_socketio = esbuild_bundle(REACT_ENTRY + SOCKETIO_ENTRY)
    baseline = gzipped_size(bundled_react) if bundled_react is not None else gzipped_size(raw_react)
    report = Report(
        name="bench_bundle",
        subject="pyreact_asgi",
        baseline=(
            "React + ReactDOM client, bundled and minified by esbuild with frontend/build.mjs's options, gzip -9"
            if bundled_react is not None
            else "React + ReactDOM production files as shipped (esbuild missing), gzip -9"
        ),
    )
    row = report.add(Row("counter page, total downloaded (gzip)", "KB", total / KB, baseline / KB, "≤ 90 KB"))
    row.passed = total <= 90 * KB
    row = report.add(Row("dashboard example, first load (gzip)", "KB", dashboard_total / KB, baseline / KB, "< 250 KB"))
    row.passed = dashboard_total < 250 * KB
    for download in dashboard:
        name = re.sub(r"\.[0-9A-Za-z]{8,16}\.js$", ".<hash>.js", download.url.rsplit("/", 1)[-1]) or "HTML shell"
        report.add(Row(f"· dashboard: {name} ({download.encoding})", "KB", download.wire_bytes / KB))
    for download in downloads:
        name = re.sub(r"\.[0-9A-Za-z]{8,16}\.js$", ".<hash>.js", download.url.rsplit("/", 1)[-1]) or "HTML shell"
        report.add(Row(f"· counter: {name} ({download.encoding})", "KB", download.wire_bytes / KB))
    if with_socketio is not None:
        report.add(
            Row(
                "React + ReactDOM + socket.io-client bundled alike, for reference",
                "KB",
                gzipped_size(with_socketio) / KB,
            )
        )
    report.add(Row("React files as shipped (unminified), gzip -9, for reference", "KB", gzipped_size(raw_react) / KB))
    report.notes.append(
        f"{len(downloads)} responses; KB = 1000 bytes of response body as sent (headers not counted). "
        "The runtime bundles React, ReactDOM, socket.io-client and our client code."
    )
    report.extra["downloads"] = [d.__dict__ for d in downloads]
    report.extra["dashboard_downloads"] = [d.__dict__ for d in dashboard]
    report.extra["react_bundle_gzip_bytes"] = baseline
    report.extra["react_files_gzip_bytes"] = gzipped_size(raw_react)
    return finish(report)


if __name__ == "__main__":
    raise SystemExit(main())
