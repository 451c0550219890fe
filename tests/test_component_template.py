from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_new_component_package_copies_the_template_renamed(tmp_path: Path) -> None:
    dest = tmp_path / "pyreact-mapview"
    script = ROOT / "scripts" / "new_component_package.py"
    subprocess.run([sys.executable, str(script), "mapview", str(dest)], check=True, capture_output=True)
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "frontend/build.mjs",
        "frontend/package.json",
        "frontend/src/index.jsx",
        "hatch_build.py",
        "pyproject.toml",
        "src/pyreact_mapview/__init__.py",
        "src/pyreact_mapview/py.typed",
    ]
    assert 'name = "pyreact-mapview"' in (dest / "pyproject.toml").read_text()
    init = (dest / "src" / "pyreact_mapview" / "__init__.py").read_text()
    assert 'pr.component_package("mapview"' in init
    assert "daypicker" not in "".join(p.read_text() for p in dest.rglob("*") if p.is_file())


def test_new_component_package_refuses_a_bad_name_or_an_existing_folder(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "new_component_package.py"
    bad = subprocess.run([sys.executable, str(script), "Map View", str(tmp_path / "x")], capture_output=True, text=True)
    assert bad.returncode == 2
    assert "Usage" in bad.stderr
    taken = subprocess.run([sys.executable, str(script), "ok", str(tmp_path)], capture_output=True, text=True)
    assert taken.returncode == 1
    assert "exists already" in taken.stderr
