"""The build pipeline as a user meets it: restarts, changed pages, concurrent starts, killed builds, broken JSX."""

from __future__ import annotations

import errno
import gzip
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

import httpx2
import msgspec
import pytest

import pyreact_asgi as pr
from pyreact_asgi.build import manifest as manifest_module
from pyreact_asgi.build.compiler import CompiledApp, PageFn, compile_app
from pyreact_asgi.build.manifest import MANIFEST_NAME, Manifest, read_manifest, write_atomic
from pyreact_asgi.build.pipeline import Bundle, build_bundle

LOCK_NAME = ".build.lock"
BUILT_MESSAGE = "Built the frontend of "
# Generous: a subprocess imports the package and esbuild before it reaches the part under test.
PROCESS_TIMEOUT = 60.0


# --- helpers ---------------------------------------------------------------------------------------


def _pages(message: str) -> dict[str, PageFn]:
    """Fresh page functions each call, as a restarted process would have."""
    return {"/": lambda: pr.vstack(pr.heading("Build test"), pr.text(message))}


def _compiled(message: str) -> CompiledApp:
    return compile_app(_pages(message))


def _broken_pages() -> dict[str, PageFn]:
    # A raw JavaScript Var is passed through verbatim, so a typo in it reaches esbuild as a syntax error.
    return {"/": lambda: pr.text("fine"), "/reports": lambda: pr.box(pr.Var("1 +"))}


def _bundle_names(manifest: Manifest) -> set[str]:
    return {MANIFEST_NAME, *manifest.files, *(f"{name}.gz" for name in manifest.files)}


def _listing(build_dir: Path) -> set[str]:
    return {path.name for path in build_dir.iterdir()}


def _mtimes(build_dir: Path) -> dict[str, tuple[int, int]]:
    # And the inode: a rewrite within the clock granularity keeps the mtime, but write_atomic gives a new inode.
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in build_dir.iterdir() if p.name != LOCK_NAME}


def _assert_complete(build_dir: Path, bundle: Bundle) -> None:
    """The manifest on disk is the bundle's, and names whole files whose content is what the bundle serves."""
    assert read_manifest(build_dir) == bundle.manifest
    assert set(bundle.assets) == set(bundle.manifest.files)
    for name, asset in bundle.assets.items():
        assert (build_dir / name).read_bytes() == asset.body
        assert (build_dir / f"{name}.gz").read_bytes() == asset.gzipped
        assert gzip.decompress(asset.gzipped) == asset.body
    entry = bundle.assets[bundle.manifest.entry].body
    assert f"./{bundle.manifest.runtime}".encode() in entry


def _assert_only_bundle(build_dir: Path, manifest: Manifest) -> None:
    """The directory holds this bundle and nothing else but the lock (which filelock may remove on release)."""
    assert _listing(build_dir) - {LOCK_NAME} == _bundle_names(manifest)


def _wait_for_files(paths: list[Path], procs: list[subprocess.Popen[str]], timeout: float = PROCESS_TIMEOUT) -> None:
    """Polls until every path exists; fails early, with its stderr, if a process exits first."""
    deadline = time.monotonic() + timeout
    while not all(path.exists() for path in paths):
        for proc in procs:
            if proc.poll() is not None:
                _, stderr = proc.communicate()
                pytest.fail(f"a build process exited early with code {proc.returncode}:\n{stderr}")
        if time.monotonic() > deadline:
            pytest.fail(f"the build processes did not reach the expected point within {timeout}s")
        time.sleep(0.01)


def _write_script(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / name
    script.write_text(body)
    return script


# --- 1. a restart with the same pages does not rebuild ------------------------------------------------


def test_build_bundle_same_pages_again_is_a_no_op(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyreact_asgi")
    build_dir = tmp_path / "build"

    first = build_bundle(_compiled("hello"), build_dir, "auto")
    before = _mtimes(build_dir)
    second = build_bundle(_compiled("hello"), build_dir, "auto")

    assert first.built is True
    assert second.built is False
    assert second.manifest == first.manifest
    assert second.assets == first.assets
    assert _mtimes(build_dir) == before
    assert sum(r.getMessage().startswith(BUILT_MESSAGE) for r in caplog.records) == 1
    _assert_complete(build_dir, second)
    _assert_only_bundle(build_dir, second.manifest)


@pytest.mark.asyncio
@pytest.mark.parametrize(("mode", "rebuilt"), [("auto", False), ("always", True)])
async def test_pyapp_restart_rebuilds_only_when_asked(tmp_path: Path, mode: pr.BuildMode, rebuilt: bool) -> None:
    config = pr.Config(build_dir=tmp_path / "build", build=mode)
    first = pr.PyApp(_pages("hello"), config=config)
    second = pr.PyApp(_pages("hello"), config=config)

    async with first.lifespan():
        assert first.bundle.built is True
    async with second.lifespan():
        assert second.bundle.built is rebuilt
        assert second.bundle.manifest == first.bundle.manifest
        assert second.bundle.assets == first.bundle.assets
    _assert_complete(tmp_path / "build", second.bundle)


# --- 2. a changed page rebuilds ------------------------------------------------------------------------


def test_build_bundle_changed_page_rebuilds_and_removes_stale_files(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    old = build_bundle(_compiled("hello"), build_dir, "auto")

    new = build_bundle(_compiled("goodbye"), build_dir, "auto")

    assert new.built is True
    assert new.manifest.source_hash != old.manifest.source_hash
    assert new.manifest.entry != old.manifest.entry
    assert b"goodbye" in new.assets[new.manifest.entry].body
    assert new.manifest.runtime == old.manifest.runtime  # the runtime did not change, so neither did its name
    assert not (build_dir / old.manifest.entry).exists()
    assert not (build_dir / f"{old.manifest.entry}.gz").exists()
    _assert_complete(build_dir, new)
    _assert_only_bundle(build_dir, new.manifest)


def test_build_bundle_always_rebuilds_a_fresh_bundle(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="pyreact_asgi")
    build_dir = tmp_path / "build"
    first = build_bundle(_compiled("hello"), build_dir, "auto")

    again = build_bundle(_compiled("hello"), build_dir, "always")

    assert again.built is True
    assert again.manifest == first.manifest  # the same sources give the same, content-hashed, bundle
    assert sum(r.getMessage().startswith(BUILT_MESSAGE) for r in caplog.records) == 2
    _assert_complete(build_dir, again)
    _assert_only_bundle(build_dir, again.manifest)


def test_build_bundle_never_without_a_bundle_raises(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"

    with pytest.raises(pr.BuildError, match=r'build="never" but there is no complete build in .*build; build it once'):
        build_bundle(_compiled("hello"), build_dir, "never")

    assert not build_dir.exists()


def test_build_bundle_never_serves_the_last_bundle_although_pages_changed(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    old = build_bundle(_compiled("hello"), build_dir, "auto")
    before = _mtimes(build_dir)

    served = build_bundle(_compiled("goodbye"), build_dir, "never")

    assert served.built is False
    assert served.manifest == old.manifest
    assert served.assets == old.assets
    assert _mtimes(build_dir) == before


@pytest.mark.asyncio
async def test_pyapp_never_without_a_bundle_fails_startup(tmp_path: Path) -> None:
    ui = pr.PyApp(_pages("hello"), config=pr.Config(build_dir=tmp_path / "build", build="never"))

    with pytest.raises(pr.BuildError, match=r'build="never" but there is no complete build'):
        await ui.startup()

    assert not ui.started
    with pytest.raises(RuntimeError, match=r'Cannot read "bundle" before the app has started'):
        _ = ui.bundle


@pytest.mark.asyncio
async def test_pyapp_never_serves_the_existing_bundle(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    old = build_bundle(_compiled("hello"), build_dir, "auto")
    ui = pr.PyApp(_pages("goodbye"), config=pr.Config(build_dir=build_dir, build="never"))

    async with ui.lifespan():
        transport = httpx2.ASGITransport(app=ui)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as client:
            page = await client.get("/")
            entry = await client.get(f"/_static/{old.manifest.entry}", headers={"Accept-Encoding": "identity"})

    assert ui.bundle.built is False
    assert ui.bundle.manifest == old.manifest
    assert page.status_code == 200
    assert old.manifest.entry in page.text
    assert entry.status_code == 200
    assert entry.content == old.assets[old.manifest.entry].body
    assert b"hello" in entry.content


# --- 3. processes starting together build once ------------------------------------------------------------

_CONCURRENT_SCRIPT = """\
import sys
import time
from pathlib import Path

import msgspec

import pyreact_asgi as pr
from pyreact_asgi.build import esbuild
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.build.pipeline import build_bundle

build_dir, ready, go = (Path(arg) for arg in sys.argv[1:4])
compiled = compile_app({"/": lambda: pr.text("built by one of many")})
esbuild.transform("<p />", name="warm-up")  # load esbuild now, so all processes reach build_bundle together
ready.touch()
deadline = time.monotonic() + 120  # longer than the test waits for the others
while not go.exists():
    if time.monotonic() > deadline:
        sys.exit("the go file never appeared")
    time.sleep(0.001)
bundle = build_bundle(compiled, build_dir, "auto", lock_timeout=30)
print(msgspec.json.encode({"built": bundle.built, "manifest": bundle.manifest}).decode())
"""


class _BuildReport(msgspec.Struct):
    built: bool
    manifest: Manifest


def test_build_bundle_processes_starting_together_build_once(tmp_path: Path) -> None:
    script = _write_script(tmp_path, "concurrent_build.py", _CONCURRENT_SCRIPT)
    build_dir, go = tmp_path / "build", tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(4)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(build_dir), str(flag), str(go)],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for flag in ready
    ]
    outputs = []
    try:
        _wait_for_files(ready, procs)
        go.touch()
        for proc in procs:
            stdout, stderr = proc.communicate(timeout=PROCESS_TIMEOUT)
            assert proc.returncode == 0, stderr
            outputs.append(msgspec.json.decode(stdout.splitlines()[-1], type=_BuildReport))
    finally:
        for proc in procs:
            if proc.poll() is None:  # pragma: no cover - only when the test already failed
                proc.kill()
                proc.communicate()

    assert [out.built for out in outputs].count(True) == 1
    manifests = [out.manifest for out in outputs]
    assert all(manifest == manifests[0] for manifest in manifests)
    assert read_manifest(build_dir) == manifests[0]
    _assert_only_bundle(build_dir, manifests[0])
    served = build_bundle(compile_app({"/": lambda: pr.text("built by one of many")}), build_dir, "auto")
    assert served.built is False
    _assert_complete(build_dir, served)


# --- 4. a killed build never leaves a half-written bundle ------------------------------------------------

_KILLED_SCRIPT = """\
import os
import sys
import threading
from pathlib import Path

import pyreact_asgi as pr
from pyreact_asgi.build.compiler import compile_app
from pyreact_asgi.build.pipeline import build_bundle

build_dir, hung, freeze_before, message = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
real_replace = os.replace


def replace(src, dst):
    if Path(dst).name.startswith(freeze_before):
        # Freeze as a kill mid-write would: a half-written temporary file, and no rename.
        os.truncate(src, os.path.getsize(src) // 2)
        hung.write_text(str(src))
        threading.Event().wait()
    real_replace(src, dst)


os.replace = replace
build_bundle(compile_app({"/": lambda: pr.vstack(pr.heading("Build test"), pr.text(message))}), build_dir, "auto")
sys.exit("the build finished although it should have been killed")
"""

# Where the killed process stops: writing the entry module (the runtime is done), or writing the manifest
# (every JavaScript file is done).
_FREEZE_POINTS = pytest.mark.parametrize("freeze_before", ["app.", MANIFEST_NAME], ids=["entry", "manifest"])


def _kill_a_build(tmp_path: Path, build_dir: Path, message: str, freeze_before: str) -> None:
    """Runs a build of a page showing `message` in another process and SIGKILLs it at `freeze_before`."""
    script = _write_script(tmp_path, "killed_build.py", _KILLED_SCRIPT)
    hung = tmp_path / "hung"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(build_dir), str(hung), freeze_before, message],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_files([hung], [proc])
    finally:
        proc.kill()
        proc.communicate(timeout=PROCESS_TIMEOUT)
    assert proc.returncode == -signal.SIGKILL
    assert Path(hung.read_text()).exists(), "the killed build should have left its temporary file behind"


@_FREEZE_POINTS
def test_build_bundle_after_a_killed_rebuild_serves_the_previous_bundle(tmp_path: Path, freeze_before: str) -> None:
    build_dir = tmp_path / "build"
    previous = build_bundle(_compiled("hello"), build_dir, "auto")

    _kill_a_build(tmp_path, build_dir, "goodbye", freeze_before)

    assert read_manifest(build_dir) == previous.manifest
    served = build_bundle(_compiled("hello"), build_dir, "auto", lock_timeout=10)
    assert served.built is False
    assert served.manifest == previous.manifest
    assert served.assets == previous.assets
    _assert_complete(build_dir, served)
    assert build_bundle(_compiled("goodbye"), build_dir, "never", lock_timeout=10).manifest == previous.manifest

    # The killed process held the lock; the kernel released it, so the change builds now, cleanly.
    rebuilt = build_bundle(_compiled("goodbye"), build_dir, "auto", lock_timeout=10)
    assert rebuilt.built is True
    assert b"goodbye" in rebuilt.assets[rebuilt.manifest.entry].body
    _assert_complete(build_dir, rebuilt)
    assert not (build_dir / previous.manifest.entry).exists()


@_FREEZE_POINTS
def test_build_bundle_after_a_killed_first_build_builds_cleanly(tmp_path: Path, freeze_before: str) -> None:
    build_dir = tmp_path / "build"

    _kill_a_build(tmp_path, build_dir, "hello", freeze_before)

    assert read_manifest(build_dir) is None
    with pytest.raises(pr.BuildError, match=r'build="never" but there is no complete build'):
        build_bundle(_compiled("hello"), build_dir, "never")
    built = build_bundle(_compiled("hello"), build_dir, "auto", lock_timeout=10)
    assert built.built is True
    _assert_complete(build_dir, built)
    assert _listing(build_dir) - {LOCK_NAME} == _bundle_names(built.manifest), "the killed build's temp files are gone"
    assert build_bundle(_compiled("hello"), build_dir, "auto").built is False


class _HalfWriter:
    """A file whose write stores half the data and then fails, as on a full disk or an interrupt."""

    def __init__(self, file: IO[bytes], exc: BaseException) -> None:
        self._file = file
        self._exc = exc

    def __enter__(self) -> _HalfWriter:
        return self

    def __exit__(self, *exc_info: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._file.close()

    def write(self, data: bytes) -> int:
        self._file.write(data[: len(data) // 2])
        self._file.flush()
        raise self._exc


class _OsWithFailingWrites:
    def __init__(self, exc: BaseException) -> None:
        self._exc = exc

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def fdopen(self, fd: int, mode: str) -> _HalfWriter:
        return _HalfWriter(os.fdopen(fd, mode), self._exc)


@pytest.mark.parametrize(
    "exc", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()], ids=["disk-full", "interrupt"]
)
def test_write_atomic_failed_write_keeps_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    target = tmp_path / MANIFEST_NAME
    target.write_bytes(b'{"old": "content"}')
    monkeypatch.setattr(manifest_module, "os", _OsWithFailingWrites(exc))

    with pytest.raises(type(exc)):
        write_atomic(target, b'{"new": "content, much longer than the old one"}')

    assert target.read_bytes() == b'{"old": "content"}'
    assert _listing(tmp_path) == {MANIFEST_NAME}  # the half-written temporary file was removed


def test_write_atomic_replaces_the_content_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "app.0123456789abcdef.js"
    target.write_bytes(b"old")

    write_atomic(target, b"new")

    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o644
    assert _listing(tmp_path) == {target.name}


def _truncate(build_dir: Path, manifest: Manifest) -> None:
    data = (build_dir / MANIFEST_NAME).read_bytes()
    (build_dir / MANIFEST_NAME).write_bytes(data[: len(data) // 2])


_CORRUPTIONS: dict[str, Callable[[Path, Manifest], object]] = {
    "missing": lambda d, m: (d / MANIFEST_NAME).unlink(),
    "truncated": _truncate,
    "not-json": lambda d, m: (d / MANIFEST_NAME).write_bytes(b"\x00\xffgarbage"),
    "wrong-shape": lambda d, m: (d / MANIFEST_NAME).write_text('{"entry": 1}'),
    "entry-missing": lambda d, m: (d / m.entry).unlink(),
    "runtime-gzip-missing": lambda d, m: (d / f"{m.runtime}.gz").unlink(),
}


@pytest.mark.parametrize("corrupt", list(_CORRUPTIONS.values()), ids=list(_CORRUPTIONS))
def test_read_manifest_unusable_build_is_no_build(tmp_path: Path, corrupt: Callable[[Path, Manifest], object]) -> None:
    build_dir = tmp_path / "build"
    good = build_bundle(_compiled("hello"), build_dir, "auto")
    corrupt(build_dir, good.manifest)

    assert read_manifest(build_dir) is None
    with pytest.raises(pr.BuildError, match=r'build="never" but there is no complete build'):
        build_bundle(_compiled("hello"), build_dir, "never")
    rebuilt = build_bundle(_compiled("hello"), build_dir, "auto")
    assert rebuilt.built is True
    assert rebuilt.manifest == good.manifest
    _assert_complete(build_dir, rebuilt)
    _assert_only_bundle(build_dir, rebuilt.manifest)


# --- 5. a JSX syntax error names the page -----------------------------------------------------------------


def test_build_bundle_syntax_error_names_the_page_and_writes_nothing(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"

    with pytest.raises(
        pr.BuildError, match=r"esbuild returned no output for 'page /reports' \(likely a syntax error\)"
    ):
        build_bundle(compile_app(_broken_pages()), build_dir, "auto")

    assert read_manifest(build_dir) is None
    assert _listing(build_dir) <= {LOCK_NAME}


def test_build_bundle_syntax_error_keeps_the_previous_bundle(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    previous = build_bundle(_compiled("hello"), build_dir, "auto")
    before = _mtimes(build_dir)

    with pytest.raises(pr.BuildError, match=r"'page /reports'.*set build=\"never\" to keep serving the last bundle"):
        build_bundle(compile_app(_broken_pages()), build_dir, "auto")

    assert _mtimes(build_dir) == before
    served = build_bundle(compile_app(_broken_pages()), build_dir, "never")
    assert served.manifest == previous.manifest
    _assert_complete(build_dir, served)


@pytest.mark.asyncio
async def test_pyapp_startup_syntax_error_names_the_page(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    ui = pr.PyApp(_broken_pages(), config=pr.Config(build_dir=build_dir))

    with pytest.raises(pr.BuildError, match=r"'page /reports' \(likely a syntax error\)"):
        await ui.startup()

    assert not ui.started
    assert read_manifest(build_dir) is None
    assert _listing(build_dir) <= {LOCK_NAME}
