"""Builds the package's JavaScript (react-day-picker bundled by esbuild) for every wheel and editable install.

The built module is not committed: it is made here from the committed package.json and package-lock.json, so
the author (and CI) need Node.js once; users install the wheel and never do.
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
OUTPUT = ROOT / "src" / "pyreact_daypicker" / "_static" / "daypicker.js"
STAMP = OUTPUT.with_suffix(".stamp")


def sources_digest() -> str:
    digest = hashlib.sha256()
    sources = [FRONTEND / "package.json", FRONTEND / "package-lock.json", FRONTEND / "build.mjs"]
    for path in sorted([*sources, *(FRONTEND / "src").rglob("*")]):
        if path.is_file():
            digest.update(path.relative_to(FRONTEND).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ComponentBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not FRONTEND.is_dir():
            # Building from an sdist that already carries the module.
            if not OUTPUT.is_file():
                raise RuntimeError(f"Expected {OUTPUT} or the frontend/ sources to build it from.")
            return
        digest = sources_digest()
        if OUTPUT.is_file() and STAMP.is_file() and STAMP.read_text() == digest:
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                "Building pyreact-daypicker from source needs npm once, to bundle frontend/; install Node.js 18+ "
                "or install a published wheel."
            )
        installed = FRONTEND / "node_modules" / ".package-lock.json"
        lock = FRONTEND / "package-lock.json"
        if not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime:
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["node", "build.mjs", str(OUTPUT)], cwd=FRONTEND, check=True)
        STAMP.write_text(digest)
