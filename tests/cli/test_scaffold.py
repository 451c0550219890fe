"""The project templates: what `pyreact init` writes, checked without running it."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from pyreact_asgi.cli.project import CliError, UsageError
from pyreact_asgi.cli.scaffold import TEMPLATES, package_name, write_project


@pytest.mark.parametrize(
    ("directory", "package"),
    [("my-site", "my_site"), ("My Site 2", "my_site_2"), ("2048", "app_2048"), ("---", "app"), ("Shop.UI", "shop_ui")],
)
def test_package_name_comes_from_the_directory(directory: str, package: str) -> None:
    assert package_name(Path("/projects") / directory) == package


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_file_is_valid_and_fully_substituted(tmp_path: Path, template: str) -> None:
    files = write_project(tmp_path / "shop-front", template)  # type: ignore[arg-type]
    root = tmp_path / "shop-front"
    assert sorted(files) == sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    for path in files:
        text = (root / path).read_text()
        assert "$" not in text, f"{path} has a placeholder left"
        assert "__package__" not in path.parts
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
        elif path.suffix == ".toml":
            tomllib.loads(text)
    assert (root / "shop_front" / "ui.py").is_file()


def test_django_projects_get_their_own_secret_key(tmp_path: Path) -> None:
    keys = set()
    for name in ("one", "two"):
        write_project(tmp_path / name, "django")
        settings = (tmp_path / name / name / "settings.py").read_text()
        (line,) = [line for line in settings.splitlines() if line.startswith("SECRET_KEY")]
        keys.add(line)
    assert len(keys) == 2


def test_an_empty_existing_directory_is_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert write_project(tmp_path / "empty", "standalone")


def test_a_file_is_not_a_project_directory(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("")
    with pytest.raises(CliError, match="is a file; pick a directory"):
        write_project(tmp_path / "taken", "standalone")


@pytest.mark.parametrize("name", ["Upper", "with-dash", "1st", "import", ""])
def test_package_name_must_be_an_identifier(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError):
        write_project(tmp_path / "x", "standalone", package=name)
