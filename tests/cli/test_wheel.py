"""The wheel carries the pyreact command and its project templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).parent.parent.parent


def test_wheel_has_the_console_script_and_every_template(tmp_path: Path) -> None:
    # --no-isolation: build with this venv's hatchling, offline; the runtime bundle is already current.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("pyreact_asgi-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        assert "pyreact = pyreact_asgi.cli:main" in archive.read(entry_points).decode()
    source = resources.files("pyreact_asgi.cli") / "templates"
    templates = {
        f"pyreact_asgi/cli/templates/{path.relative_to(Path(str(source))).as_posix()}"
        for path in Path(str(source)).rglob("*.tmpl")
    }
    assert len(templates) > 10
    assert templates <= names
