"""Bundles the browser runtime (React, ReactDOM, socket.io-client, our client) and our lazily loaded component
packages (charts, markdown) into the package.

Runs for every wheel build, editable installs included, so a user who installs the wheel never needs Node.js.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).parent
FRONTEND = ROOT / "frontend"
OUTPUT = ROOT / "src" / "pyreact_asgi" / "_static"
# bundle.json names the files of the entries; it is written last by build.mjs.
BUNDLE = OUTPUT / "bundle.json"
STAMP = OUTPUT / "bundle.stamp"


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(
        [
            FRONTEND / "package-lock.json",
            FRONTEND / "build.mjs",
            *(FRONTEND / "src").rglob("*.js"),
            FRONTEND / "package.json",
        ]
    ):
        digest.update(path.relative_to(FRONTEND).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class RuntimeBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not FRONTEND.is_dir():
            # Building from an sdist that already carries the bundle.
            if not BUNDLE.is_file():
                raise RuntimeError(f"Expected {OUTPUT} or the frontend/ sources to build it from.")
            return
        digest = _sources_digest()
        if BUNDLE.is_file() and STAMP.is_file() and STAMP.read_text() == digest:
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "Building pyreact-asgi from source needs npm to bundle frontend/ once; "
                "install Node.js 18+ or install a published wheel."
            )
        installed = FRONTEND / "node_modules" / ".package-lock.json"
        # A lockfile newer than node_modules means new or updated packages: install them as locked.
        if not installed.is_file() or installed.stat().st_mtime < (FRONTEND / "package-lock.json").stat().st_mtime:
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(["node", "build.mjs", str(OUTPUT)], cwd=FRONTEND, check=True)
        STAMP.write_text(digest)
