from __future__ import annotations

import gzip
import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import filelock
import msgspec

from pyreact_asgi._codec import encode
from pyreact_asgi._version import __version__
from pyreact_asgi.build.compiler import CompiledApp
from pyreact_asgi.build.esbuild import transform
from pyreact_asgi.build.manifest import MANIFEST_NAME, Manifest, read_manifest, write_atomic
from pyreact_asgi.config import BuildMode
from pyreact_asgi.exceptions import BuildError, ConfigError

__all__ = ["STATIC_DIR", "Asset", "Bundle", "RuntimeFiles", "build_bundle", "runtime_files"]

logger = logging.getLogger(__name__)

# The runtime bundled at package build time (frontend/build.mjs): content-hashed modules and bundle.json.
STATIC_DIR = Path(__file__).parent.parent / "_static"
# Bump when the layout of the build output changes, so old builds count as stale.
_FORMAT = "2"
# Bare specifiers a component package may import, → the runtime entry that re-exports the app's one copy.
_SHARED = {
    "react": "react",
    "react-dom": "react-dom",
    "react-dom/client": "react-dom-client",
    "react/jsx-runtime": "jsx-runtime",
}


class _BundleIndex(msgspec.Struct, frozen=True):
    entries: dict[str, str]
    imports: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class RuntimeFiles:
    """The runtime bundled with the package: its entries by name, and the file names of all its modules.

    The names carry a hash of their content, so a build is stale exactly when a name changes; the bytes are
    read only when a build runs.
    """

    directory: Path
    entries: dict[str, str]
    imports: dict[str, list[str]]
    preload: tuple[str, ...]

    def closure(self, entries: Iterable[str]) -> set[str]:
        """Returns the files of ``entries`` and every module they import, transitively."""
        files: set[str] = set()
        pending = [self.entries[entry] for entry in entries]
        while pending:
            name = pending.pop()
            if name not in files:
                files.add(name)
                pending.extend(self.imports.get(name, ()))
        return files

    def read(self, names: Iterable[str]) -> dict[str, bytes]:
        """Returns the modules' bytes by file name.

        Raises:
            BuildError: A file is missing.
        """
        try:
            return {name: (self.directory / name).read_bytes() for name in names}
        except OSError as exc:
            raise BuildError(f"The browser runtime is incomplete ({exc}); reinstall pyreact-asgi.") from exc


def runtime_files(static_dir: Path = STATIC_DIR) -> RuntimeFiles:
    """Reads the bundled runtime's index and modules.

    Raises:
        BuildError: The bundle is missing or incomplete.
    """
    try:
        index = msgspec.json.decode((static_dir / "bundle.json").read_bytes(), type=_BundleIndex)
        runtime = index.entries["runtime"]
    except (OSError, KeyError, msgspec.DecodeError) as exc:
        raise BuildError(
            f"The browser runtime is missing or incomplete in {static_dir} ({exc}); reinstall pyreact-asgi, or run "
            "`pip install -e .` with npm available when working from a source checkout."
        ) from exc
    preload: list[str] = []
    pending = list(index.imports[runtime])
    while pending:  # the static imports of the runtime, transitively: what every page loads
        name = pending.pop()
        if name not in preload:
            preload.append(name)
            pending.extend(index.imports.get(name, ()))
    return RuntimeFiles(static_dir, dict(index.entries), dict(index.imports), tuple(sorted(preload)))


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


def build_bundle(compiled: CompiledApp, build_dir: Path, mode: BuildMode, *, lock_timeout: float = 120.0) -> Bundle:
    """Returns the app's bundle, building it only when the manifest's hash differs from the sources'.

    Blocking: run it in a worker thread. Several processes may call it at once on the same directory: one
    builds under a file lock, the others wait and load its result. Files are written to temporary names and
    renamed, and the manifest last, so a build killed at any point leaves the previous build intact.

    Args:
        compiled: The compiled pages.
        build_dir: Directory of the build output; created if missing.
        mode: See `Config.build`.
        lock_timeout: Seconds to wait for another process's build.

    Raises:
        BuildError: The runtime is missing, esbuild failed, the directory is not writable, or mode is
            "never" and there is no build.
    """
    runtime = runtime_files()
    runtime_name = runtime.entries["runtime"]
    # Only the modules the app's pages can load are copied: the counter's build is its app and the runtime.
    entries = {"runtime", *compiled.runtime_modules()}
    packages: dict[str, bytes] = {}
    package_files: dict[str, str] = {}
    for name, package in compiled.component_packages().items():
        if package.builtin is not None:
            if package.builtin not in runtime.entries:
                raise BuildError(f"The runtime has no entry {package.builtin!r}; reinstall pyreact-asgi.")
            package_files[name] = runtime.entries[package.builtin]
            entries.add(package.builtin)
        else:
            entries.update(_SHARED.values())  # its bare "react" imports resolve through the import map
            try:
                body = package.read()
            except ConfigError as exc:
                raise BuildError(str(exc)) from exc
            package_files[name] = f"pkg-{name}.{_digest(body)[:16]}.js"
            packages[package_files[name]] = body
    names = runtime.closure(entries) | set(packages)
    # Module file names carry a hash of their content, so the names stand for the bytes in the source hash.
    source = compiled.module(
        runtime_name, package_files, modules={name: runtime.entries[name] for name in compiled.runtime_modules()}
    )
    source_hash = _digest(_FORMAT.encode(), __version__.encode(), source.encode(), *(n.encode() for n in sorted(names)))

    manifest = _fresh(build_dir, source_hash, mode)
    if manifest is not None:
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
            shared = {spec: runtime.entries[entry] for spec, entry in _SHARED.items()}
            import_map = shared if set(shared.values()) <= names else {}
            modules = {**runtime.read(names - set(packages)), **packages}
            return _build(build_dir, compiled, source, source_hash, runtime_name, modules, runtime.preload, import_map)
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


def _build(
    build_dir: Path,
    compiled: CompiledApp,
    source: str,
    source_hash: str,
    runtime_name: str,
    modules: dict[str, bytes],
    preload: tuple[str, ...],
    import_map: dict[str, str],
) -> Bundle:
    started = time.perf_counter()
    app = _transform(compiled, source)
    entry = f"app.{_digest(app)[:16]}.js"
    assets = {}
    for name, body in sorted({**modules, entry: app}.items()):
        gzipped = gzip.compress(body, compresslevel=9, mtime=0)
        write_atomic(build_dir / name, body)
        write_atomic(build_dir / f"{name}.gz", gzipped)
        assets[name] = Asset(body, gzipped, f'"{name.split(".")[1]}"')
    others = tuple(sorted(name for name in modules if name != runtime_name))
    manifest = Manifest(
        source_hash=source_hash,
        entry=entry,
        runtime=runtime_name,
        modules=others,
        preload=preload,
        import_map=import_map,
    )
    write_atomic(build_dir / MANIFEST_NAME, encode(manifest))
    _remove_stale(build_dir, manifest)
    logger.info("Built the frontend bundle in %s in %.0f ms", build_dir, (time.perf_counter() - started) * 1000)
    return Bundle(manifest, assets, built=True)


def _remove_stale(build_dir: Path, manifest: Manifest) -> None:
    # Running processes serve their bundle from memory, so older files on disk are no longer needed.
    keep = {MANIFEST_NAME, *manifest.files, *(f"{name}.gz" for name in manifest.files)}
    for path in build_dir.glob("*.js*"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
    # Temporary files of a build that was killed mid-write; we hold the lock, so no other writer is live.
    for path in build_dir.glob(".*.tmp"):
        path.unlink(missing_ok=True)
