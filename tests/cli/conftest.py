from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The console script `pip install` made, as a user runs it; `python -m pyreact_asgi` where it is not installed.
_SCRIPT = Path(sys.executable).parent / "pyreact"
PYREACT = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "pyreact_asgi"]
TEMPLATES = ("standalone", "fastapi", "django")
# Where each template's page is served, and the mount path its HTML names.
PAGE = {"standalone": ("/", ""), "fastapi": ("/ui/", "/ui"), "django": ("/ui/", "/ui")}


def pyreact(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs the pyreact command in a subprocess, as a user would, and returns what it printed."""
    return subprocess.run([*PYREACT, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module", params=TEMPLATES)
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `pyreact init --<template>`, shared by a module's tests."""
    template: str = request.param
    if template == "django":
        pytest.importorskip("pyreact_django")  # the Django integration, installed with the test extras
    root = tmp_path_factory.mktemp(f"cli-{template}")
    result = pyreact("init", f"--{template}", f"{template}_site", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / f"{template}_site"


@pytest.fixture
def isolated_imports(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Runs an in-process command in ``tmp_path``, forgetting the modules and sys.path entries it added."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]
