from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pyreact_asgi._contract import STATIC_PATH
from pyreact_asgi.app import PyApp
from pyreact_asgi.build.pipeline import Bundle
from pyreact_asgi.cli.project import CliError, UsageError
from pyreact_asgi.discovery.html import render_shell

__all__ = ["Export", "check_backend", "export_static"]


@dataclass(frozen=True, slots=True)
class Export:
    """What `export_static` wrote.

    Attributes:
        files: Every file, relative to the output directory.
        dynamic: Routes with dynamic segments, which the static host must answer with ``index.html``.
    """

    files: list[Path]
    dynamic: list[str]


def check_backend(url: str) -> str:
    """Returns the backend's URL without a trailing slash.

    Raises:
        UsageError: It is not an absolute http(s) URL, or carries credentials, a query or a fragment.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UsageError(f"Expected --backend as the app's URL such as https://api.example.com/ui, but got {url!r}.")
    if parts.username or parts.password:
        raise UsageError(f"Expected --backend without a user or password, but got {url!r}.")
    return url.rstrip("/")


def _check_base(base: str) -> str:
    if not base.startswith("/") or any(c in base for c in "?#\"'<>\\ "):
        raise UsageError(f'Expected --base-path to be a URL path starting with "/", such as "/app", but got {base!r}.')
    return base.rstrip("/")


def export_static(ui: PyApp, out: Path, *, backend: str, base_path: str = "/", bundle: Bundle | None = None) -> Export:
    """Writes the app's frontend as static files for any static host, talking to the backend at ``backend``.

    Every page without a dynamic segment gets ``<route>/index.html``; ``404.html`` is the app's 404 page (and
    the page a host serves for a path it has no file for, which then routes in the browser).

    Args:
        ui: The app; its bundle is built (or found current) in its build directory first.
        out: The output directory; created, and its earlier export files replaced.
        backend: The backend's URL with the app's mount path (``https://api.example.com/ui``).
        base_path: The path the static host serves the export under.
        bundle: The app's bundle, if built already.

    Raises:
        UsageError: ``backend`` or ``base_path`` is not usable.
        CliError: The output directory cannot be written.
    """
    backend, base = check_backend(backend), _check_base(base_path)
    bundle = bundle or ui.build("auto")
    manifest = bundle.manifest
    written: list[Path] = []
    dynamic: list[str] = []
    try:
        static = out / STATIC_PATH.strip("/")
        if static.is_dir():
            shutil.rmtree(static)  # a previous export's bundle files, named by their hashes
        static.mkdir(parents=True)
        for name, asset in bundle.assets.items():
            for file, body in ((name, asset.body), (f"{name}.gz", asset.gzipped)):
                (static / file).write_bytes(body)
                written.append(Path(STATIC_PATH.strip("/")) / file)
        pages = ui.pages
        for route in ui.routes.ordered:
            if "[" in route:
                dynamic.append(route)
                continue
            page = pages[route]
            relative = Path(route.strip("/")) / "index.html" if route != "/" else Path("index.html")
            title = page.title or ui.config.title
            html = render_shell(
                mount=base,
                title=title,
                entry=manifest.entry,
                runtime=manifest.runtime,
                description=page.description,
                backend=backend,
            )
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            (out / relative).write_bytes(html)
            written.append(relative)
        not_found = ui.not_found
        html = render_shell(
            mount=base,
            title=(not_found.title if not_found else None) or ui.config.title,
            entry=manifest.entry,
            runtime=manifest.runtime,
            backend=backend,
        )
        (out / "404.html").write_bytes(html)
        written.append(Path("404.html"))
    except OSError as exc:
        raise CliError(f"Cannot write the export into {out}: {exc}.") from None
    return Export(written, dynamic)
