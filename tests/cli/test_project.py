"""`pyreact init` for each template, then the other commands and the generated tests, all in subprocesses."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.cli.conftest import pyreact


def test_init_writes_a_project_with_a_page_a_state_a_test_and_a_readme(project: Path) -> None:
    package = project.name
    for name in ("pyproject.toml", "README.md", ".gitignore", f"{package}/ui.py", f"{package}/__init__.py"):
        assert (project / name).is_file(), name
    assert list((project / "tests").glob("test_*.py"))
    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["pyreact"]
    assert settings["app"] == f"{package}.ui:ui"
    ui = (project / package / "ui.py").read_text()
    assert "@pr.event" in ui
    # Generated setters are becoming opt-in: the template must work without them.
    assert ".set_" not in ui


def test_check_passes(project: Path) -> None:
    result = pyreact("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"All checks passed: {project.name}.ui:ui" in result.stdout
    assert "ok   build" in result.stderr
    # The check builds in a temporary directory, not in the app's own build directory.
    assert not (project / ".pyreact").exists()


def test_build_then_build_again_finds_it_current(project: Path) -> None:
    first = pyreact("build", cwd=project)
    assert first.returncode == 0, first.stderr
    assert f"{project.name}.ui:ui: built in " in first.stdout
    lines = first.stdout.splitlines()[1:]
    assert len(lines) == 2
    assert all(" kB  gzip " in line for line in lines)
    assert {line.split()[0].split(".")[0] for line in lines} == {"app", "runtime"}
    again = pyreact("build", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "current, not rebuilt" in again.stdout


def test_routes_lists_the_page_its_title_and_state(project: Path) -> None:
    result = pyreact("routes", cwd=project)
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.splitlines()
    assert header.split() == ["ROUTE", "TITLE", "STATES"]
    title = project.name.replace("_", " ").title()
    assert row.split(None, 1) == ["/", f"{title}  {project.name}.ui.Greeter"]


def test_generated_tests_pass(project: Path) -> None:
    # The UI's own tests (tests/test_ui.py, with pyreact_asgi.testing) in every template, and the host's.
    expected = {"standalone_site": 2, "fastapi_site": 4, "django_site": 4}[project.name]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{expected} passed" in result.stdout
