from __future__ import annotations

import gzip
import hashlib
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import filelock
import msgspec

from pyreact_asgi._codec import encode
from pyreact_asgi._version import __version__
from pyreact_asgi.build.compiler import CompiledApp, compile_app
from pyreact_asgi.build.esbuild import transform
from pyreact_asgi.build.fingerprint import app_inputs, current_states, record_code, snapshot
from pyreact_asgi.build.manifest import MANIFEST_NAME, CodeRecord, Manifest, read_manifest, write_atomic
from pyreact_asgi.config import BuildMode
from pyreact_asgi.exceptions import BuildError
from pyreact_asgi.page import Page
from pyreact_asgi.state.base import State
from pyreact_asgi.theme import Theme

__all__ = ["RUNTIME_PATH", "Asset", "Bundle", "Current", "build_bundle", "compile_recorded", "load_current"]

logger = logging.getLogger(__name__)

RUNTIME_PATH = Path(__file__).parent.parent / "_static" / "runtime.js"
# Bump when the layout of the build output changes, so old builds count as stale.
_FORMAT = "1"


@dataclass(frozen=True, slots=True)
class Asset:
    """A built file, held in memory: served without touching the disk again."""

    body: bytes
    gzipped: bytes
    etag: str


@dataclass(frozen=True, slots=True)
class Bundle:
    manifest: Manifest
    assets: dict[str, Asset]
    built: bool


@dataclass(frozen=True, slots=True)
class Current:
    """A build found current without compiling: the bundle and the states its pages use."""

    bundle: Bundle
    states: dict[str, type[State]]
    page_states: dict[str, frozenset[str]]


def _inputs(pages: Mapping[str, Page], theme: Theme | None, event_path: str) -> bytes | None:
    described = app_inputs(pages, theme, event_path)
    return None if described is None else _FORMAT.encode() + b"\0" + __version__.encode() + b"\0" + described


def load_current(build_dir: Path, pages: Mapping[str, Page], *, theme: Theme | None, event_path: str) -> Current | None:
    """Returns the build in ``build_dir`` if the code it came from is the code on disk, without compiling.

    A few milliseconds, where compiling 100 pages takes tens: build/fingerprint.py says why it is never
    wrong about code, and what it cannot see. None means "compile and check as before", never an error.
    """
    started = time.perf_counter()
    inputs = _inputs(pages, theme, event_path)
    manifest = read_manifest(build_dir)
    if inputs is None or manifest is None:
        return None
    found = current_states(manifest.code, inputs)
    if found is None:
        return None
    try:
        bundle = _load(build_dir, manifest, built=False)
    except OSError:  # removed since read_manifest looked: compile and build as usual
        return None
    logger.info(
        "The frontend in %s is current (%s; its code checked in %.0f ms): not compiling the pages",
        build_dir,
        manifest.entry,
        (time.perf_counter() - started) * 1000,
    )
    return Current(bundle, *found)


def compile_recorded(
    pages: Mapping[str, Page], *, theme: Theme | None, event_path: str
) -> tuple[CompiledApp, CodeRecord | None]:
    """Compiles the pages and records the code they came from, for `build_bundle` to keep in the manifest."""
    inputs = _inputs(pages, theme, event_path)
    before = None if inputs is None else snapshot(inputs, [str(RUNTIME_PATH)])
    compiled = compile_app(pages, theme=theme, event_path=event_path)
    if inputs is None or before is None:
        return compiled, None
    return compiled, record_code(inputs, before, compiled.states, compiled.page_states, [str(RUNTIME_PATH)])


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _load(build_dir: Path, manifest: Manifest, *, built: bool) -> Bundle:
    assets = {}
    for name in manifest.files:
        body = (build_dir / name).read_bytes()
        assets[name] = Asset(body, (build_dir / f"{name}.gz").read_bytes(), f'"{name.split(".")[1]}"')
    return Bundle(manifest, assets, built)


def _fresh(build_dir: Path, source_hash: str, mode: BuildMode) -> Manifest | None:
    manifest = read_manifest(build_dir)
    if manifest is not None and (mode == "never" or (mode == "auto" and manifest.source_hash == source_hash)):
        return manifest
    return None


def build_bundle(
    compiled: CompiledApp,
    build_dir: Path,
    mode: BuildMode,
    *,
    lock_timeout: float = 120.0,
    code: CodeRecord | None = None,
) -> Bundle:
    """Returns the app's bundle, building it only when the manifest's hash differs from the sources'.

    Blocking: run it in a worker thread. Several processes may call it at once on the same directory: one
    builds under a file lock, the others wait and load its result. Files are written to temporary names and
    renamed, and the manifest last, so a build killed at any point leaves the previous build intact.

    Args:
        compiled: The compiled pages.
        build_dir: Directory of the build output; created if missing.
        mode: See `Config.build`.
        lock_timeout: Seconds to wait for another process's build.
        code: The code the pages were compiled from (`compile_recorded`), kept in the manifest so that the
            next start finds the build current without compiling (`load_current`).

    Raises:
        BuildError: The runtime is missing, esbuild failed, the directory is not writable, or mode is
            "never" and there is no build.
    """
    try:
        runtime = RUNTIME_PATH.read_bytes()
    except OSError as exc:
        raise BuildError(
            f"The browser runtime is missing ({RUNTIME_PATH}); reinstall pyreact-asgi, or run `pip install -e .` "
            "with npm available when working from a source checkout."
        ) from exc
    runtime_name = f"runtime.{_digest(runtime)[:16]}.js"
    source = compiled.module(runtime_name)
    source_hash = _digest(_FORMAT.encode(), __version__.encode(), source.encode())

    manifest = _fresh(build_dir, source_hash, mode)
    if manifest is not None:
        if mode == "auto" and code is not None and manifest.code != code:
            manifest = _record(build_dir, manifest, code)
        return _load(build_dir, manifest, built=False)
    if mode == "never":
        raise BuildError(f'build="never" but there is no complete build in {build_dir}; build it once first.')

    try:
        build_dir.mkdir(parents=True, exist_ok=True)
        with filelock.FileLock(build_dir / ".build.lock", timeout=lock_timeout):
            # Another process may have finished the same build while we waited for the lock.
            manifest = _fresh(build_dir, source_hash, "auto") if mode == "auto" else None
            if manifest is not None:
                return _load(build_dir, manifest, built=False)
            return _build(build_dir, compiled, source, source_hash, runtime, runtime_name, code)
    except filelock.Timeout as exc:
        raise BuildError(
            f"Timed out after {lock_timeout}s waiting for another process's build in {build_dir}."
        ) from exc
    except OSError as exc:
        raise BuildError(
            f"Cannot write the build to {build_dir} ({exc}); set Config(build_dir=...) to a writable directory."
        ) from exc


def _transform(compiled: CompiledApp, source: str) -> bytes:
    try:
        return transform(source, name="app module").encode()
    except BuildError:
        # esbuild-py reports no position: transform each page alone so the error names the page at fault.
        for route, page in compiled.pages.items():
            transform(f"function Page() {{\n  return {page};\n}}\n", name=f"page {route}")
        raise


def _record(build_dir: Path, manifest: Manifest, code: CodeRecord) -> Manifest:
    # The output is current, but the manifest knows older code (or none): keep the code it now comes from, so
    # the next start skips the compile. Same files, so a reader sees either manifest and both are right.
    updated = msgspec.structs.replace(manifest, code=code)
    try:
        write_atomic(build_dir / MANIFEST_NAME, encode(updated))
    except OSError:  # a read-only build directory: the next start compiles, as it did
        return manifest
    return updated


def _build(
    build_dir: Path,
    compiled: CompiledApp,
    source: str,
    source_hash: str,
    runtime: bytes,
    runtime_name: str,
    code: CodeRecord | None,
) -> Bundle:
    started = time.perf_counter()
    app = _transform(compiled, source)
    entry = f"app.{_digest(app)[:16]}.js"
    assets = {}
    for name, body in ((runtime_name, runtime), (entry, app)):
        gzipped = gzip.compress(body, compresslevel=9, mtime=0)
        write_atomic(build_dir / name, body)
        write_atomic(build_dir / f"{name}.gz", gzipped)
        assets[name] = Asset(body, gzipped, f'"{name.split(".")[1]}"')
    manifest = Manifest(source_hash=source_hash, entry=entry, runtime=runtime_name, code=code)
    write_atomic(build_dir / MANIFEST_NAME, encode(manifest))
    _remove_stale(build_dir, manifest)
    logger.info(
        "Built the frontend of %d page%s in %.0f ms: %s (%.1f kB) and %s (%.1f kB) in %s",
        len(compiled.pages),
        "s" * (len(compiled.pages) != 1),
        (time.perf_counter() - started) * 1000,
        entry,
        len(app) / 1024,
        runtime_name,
        len(runtime) / 1024,
        build_dir,
    )
    return Bundle(manifest, assets, built=True)


def _remove_stale(build_dir: Path, manifest: Manifest) -> None:
    # Running processes serve their bundle from memory, so older files on disk are no longer needed.
    keep = {*manifest.files, *(f"{name}.gz" for name in manifest.files)}
    for path in build_dir.glob("*.js*"):
        if path.name not in keep and path.name.startswith(("app.", "runtime.")):
            path.unlink(missing_ok=True)
    # Temporary files of a build that was killed mid-write; we hold the lock, so no other writer is live.
    for path in build_dir.glob(".*.tmp"):
        path.unlink(missing_ok=True)
