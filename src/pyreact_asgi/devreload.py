"""Development mode's hot reload: a saved page or state module reaches every open tab without a page load.

``pyreact run --dev`` serves the app through `DevServer`, which watches the project's ``.py`` files. On a save
it re-imports the project's modules, compiles and builds the app afresh, and swaps the result into the
running `PyApp` (`PyApp.replace_ui`): the in-memory states move to the new classes, and every tab imports the
new app module and re-renders, keeping its values. A module that does not import or a page that does not
compile is shown in every tab as an overlay naming the file and line, and the running app keeps its code.

Nothing a client sends reaches this module: it acts on file changes only, and it exists only when the
developer asks for it (never in ``pyreact run`` without ``--dev``, never under a plain ``uvicorn``).
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio

from pyreact_asgi._types import ASGIApp, Message, Receive, Scope, Send
from pyreact_asgi.app import PyApp
from pyreact_asgi.build.pipeline import build_bundle, compile_recorded
from pyreact_asgi.exceptions import ConfigError

__all__ = ["DevServer", "Reloader"]

logger = logging.getLogger(__name__)


def _project_file(file: object, root: Path) -> bool:
    if not isinstance(file, str):
        return False
    path = Path(file)
    return path.is_relative_to(root) and "site-packages" not in path.parts and ".venv" not in path.parts


def _error(exc: BaseException, root: Path) -> dict[str, Any]:
    """The file, line and message an overlay shows: the user's own line, not the import machinery's."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return {"file": exc.filename, "line": exc.lineno or 0, "message": f"{type(exc).__name__}: {exc.msg}"}
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _project_file(f.filename, root)]
    frame = frames[-1] if frames else None
    text = " ".join(str(exc).split())
    return {
        "file": frame.filename if frame else "",
        "line": frame.lineno if frame else 0,
        "message": f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
    }


class Reloader:
    """Rebuilds a running app from its source files and swaps the result in.

    Args:
        ui: The running app.
        target: Where its module defines it, ``"module:attribute"``.
        root: The project's directory: modules loaded from files under it are re-imported on a reload.
    """

    def __init__(self, ui: PyApp, target: str, root: Path) -> None:
        self.ui = ui
        self.target = target
        self.root = root.resolve()
        self._lock = anyio.Lock()
        self.last_error: dict[str, Any] | None = None
        #: Milliseconds the last successful reload spent importing, and compiling and building.
        self.timings: tuple[float, float] = (0.0, 0.0)

    def _modules(self) -> list[str]:
        # The library itself stays: re-importing it would make a second State base class, and so on.
        return [
            name
            for name, module in list(sys.modules.items())
            if isinstance(module, ModuleType)
            and name != "__main__"
            and not name.startswith("pyreact_asgi")
            and _project_file(getattr(module, "__file__", None), self.root)
        ]

    def _import(self) -> PyApp:
        saved = {name: sys.modules.pop(name) for name in self._modules()}
        importlib.invalidate_caches()
        module_name, _, attribute = self.target.partition(":")
        try:
            value: Any = importlib.import_module(module_name)
            for part in attribute.split("."):
                value = getattr(value, part)
            if not isinstance(value, PyApp):
                raise ConfigError(f"Expected {self.target!r} to be a PyApp, but got {type(value).__name__}.")
        except BaseException:
            # The running app keeps the code it has: the half-imported new modules go, the old ones come back.
            for name in self._modules():
                sys.modules.pop(name, None)
            sys.modules.update(saved)
            raise
        return value

    async def reload(self) -> bool:
        """Re-imports, compiles, builds and swaps in the app; returns whether it did.

        On failure the running app is left as it was and every tab shows the error.
        """
        async with self._lock:
            started = time.perf_counter()
            try:
                fresh = self._import()
                imported = time.perf_counter()
                fresh._freeze()
                compiled, code = compile_recorded(
                    fresh._ordered_pages(), theme=fresh.config.theme, event_path=fresh.config.event_path
                )
                bundle = await anyio.to_thread.run_sync(
                    lambda: build_bundle(compiled, self.ui.build_dir, "auto", code=code)
                )
            except Exception as exc:
                self.last_error = _error(exc, self.root)
                logger.warning(
                    "Reload failed, the app keeps its code: %s (%s:%s)",
                    self.last_error["message"],
                    self.last_error["file"],
                    self.last_error["line"],
                )
                transport = self.ui._transport
                if transport is not None:
                    transport.reload_failed(self.last_error)
                return False
            self.last_error = None
            self.ui.replace_ui(fresh, compiled, bundle)
            done = time.perf_counter()
            self.timings = ((imported - started) * 1000, (done - imported) * 1000)
            logger.info(
                "Reloaded in %.0f ms: import %.0f ms, compile and build %.0f ms",
                (done - started) * 1000,
                (imported - started) * 1000,
                (done - imported) * 1000,
            )
            return True

    async def watch(self, stop: anyio.Event | None = None) -> None:
        """Reloads on every change to a ``.py`` file under the project's directory, until cancelled."""
        from watchfiles import PythonFilter, awatch  # only in development mode

        async for changes in awatch(self.root, watch_filter=PythonFilter(), stop_event=stop):
            if _relevant(path for _, path in changes):
                await self.reload()


def _relevant(paths: Iterable[str]) -> bool:
    return any(".venv" not in Path(p).parts and "site-packages" not in Path(p).parts for p in paths)


class DevServer:
    """The ASGI app ``pyreact run --dev`` serves: the app (or its host) as is, plus a file watcher that runs
    while the server does, started by the server's lifespan.

    Args:
        app: What is served: the PyApp, or the host it is mounted in.
        reloader: Rebuilds the PyApp on a save.
    """

    def __init__(self, app: ASGIApp, reloader: Reloader) -> None:
        self.app = app
        self.reloader = reloader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        async with anyio.create_task_group() as tasks:

            async def watching_send(message: Message) -> None:
                if message["type"] == "lifespan.startup.complete":
                    if not self.reloader.ui.started:  # a host that does not forward lifespan: start it now
                        await self.reloader.ui.startup()
                    tasks.start_soon(self.reloader.watch)
                elif message["type"] == "lifespan.shutdown.complete":
                    tasks.cancel_scope.cancel()
                await send(message)

            await self.app(scope, receive, watching_send)
            tasks.cancel_scope.cancel()
