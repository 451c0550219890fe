"""Setting up pyreact_litestar: the mount paths it refuses, and what importing the core pulls in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import pyreact_asgi as pr
from pyreact_litestar import PyReactPlugin, mount
from tests.e2e.apps import make_ui


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("admin", r'Expected mount path to start with "/", but got \'admin\'\.'),
        ("", r'Expected mount path to start with "/", but got \'\'\.'),
        ("/a//b", r"Expected a mount path like \"/\" or \"/admin/reports\" .*but got '/a//b'\."),
        ("/items/{item_id:int}", r"but got '/items/\{item_id:int\}'\."),
        ("/a b", r"but got '/a b'\."),
    ],
)
def test_mount_rejects_unusable_paths(shared_build_dir: Path, path: str, message: str) -> None:
    ui = make_ui(shared_build_dir)
    with pytest.raises(pr.MountPathError, match=message) as info:
        PyReactPlugin(ui, path=path)
    assert info.value.path == path
    with pytest.raises(pr.MountPathError, match=message):
        mount(ui, path)


def test_mount_path_error_is_a_value_error(shared_build_dir: Path) -> None:
    with pytest.raises(ValueError, match="Expected mount path"):
        mount(make_ui(shared_build_dir), "admin")


def test_importing_the_core_does_not_import_litestar() -> None:
    # A fresh interpreter: this one has imported litestar already.
    code = "import sys, pyreact_asgi; print(sorted(m for m in sys.modules if m.split('.')[0] == 'litestar'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"


def test_plugin_repr_names_app_and_path(shared_build_dir: Path) -> None:
    ui = make_ui(shared_build_dir)
    assert repr(PyReactPlugin(ui, path="/admin")) == f"PyReactPlugin({ui!r}, path='/admin')"
