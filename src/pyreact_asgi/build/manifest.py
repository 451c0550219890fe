from __future__ import annotations

import os
import tempfile
from pathlib import Path

import msgspec

__all__ = ["MANIFEST_NAME", "CodeRecord", "Manifest", "read_manifest", "write_atomic"]

MANIFEST_NAME = "manifest.json"


class CodeRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What the manifest keeps of the code a build came from.

    Attributes:
        fingerprint: The hash of the compile's inputs and of every recorded file.
        files: Every source file loaded when the build was made.
        states: The states the pages use: state name → "module:qualname".
        page_states: Route → names of the states that page uses.
    """

    fingerprint: str
    files: list[str]
    states: dict[str, str]
    page_states: dict[str, list[str]]


class Manifest(msgspec.Struct, frozen=True, kw_only=True):
    """What a finished build produced. Written last, so a manifest always names complete files.

    Attributes:
        source_hash: Hash of everything the build depends on; equal hash means nothing to rebuild.
        entry: File name of the app module the HTML loads.
        runtime: File name of the bundled browser runtime the entry imports.
        code: The code the build came from, to find it current at the next start without compiling
            (build/fingerprint.py); None when it cannot be checked that way.
    """

    source_hash: str
    entry: str
    runtime: str
    code: CodeRecord | None = None

    @property
    def files(self) -> tuple[str, str]:
        return (self.entry, self.runtime)


def read_manifest(build_dir: Path) -> Manifest | None:
    """Returns the manifest of the last complete build, or None if there is none or it is unreadable."""
    try:
        manifest = msgspec.json.decode((build_dir / MANIFEST_NAME).read_bytes(), type=Manifest)
    except (OSError, msgspec.DecodeError):
        return None
    if not all((build_dir / name).is_file() and (build_dir / f"{name}.gz").is_file() for name in manifest.files):
        return None
    return manifest


def write_atomic(path: Path, data: bytes) -> None:
    """Writes a file so that readers see either the old content or the whole new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; other users (a proxy serving files) may read builds
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
