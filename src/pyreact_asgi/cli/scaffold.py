from __future__ import annotations

import importlib.util
import keyword
import re
import secrets
import string
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pyreact_asgi._version import __version__
from pyreact_asgi.cli.project import CliError, UsageError

__all__ = ["TEMPLATES", "Template", "package_name", "write_project"]

Template = Literal["standalone", "fastapi", "django"]
TEMPLATES: tuple[Template, ...] = ("standalone", "fastapi", "django")

# Template files end in ".tmpl" so that nothing (pytest, mypy, ruff, an import) mistakes them for the project's
# own code; a "__package__" directory becomes the project's package, "gitignore" its ".gitignore".
_SUFFIX = ".tmpl"
_PACKAGE_DIR = "__package__"
_RENAMED = {"gitignore": ".gitignore"}
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def package_name(directory: Path) -> str:
    """The Python package name a project in ``directory`` gets: its name, lower-cased, ``_`` for the rest."""
    name = re.sub(r"[^a-z0-9]+", "_", directory.name.lower()).strip("_")
    return f"app_{name}" if name[:1].isdigit() else name or "app"


def _check_package(package: str) -> None:
    if not _IDENTIFIER.match(package) or keyword.iskeyword(package):
        raise UsageError(
            f"Expected the package name to be a lower-case Python identifier, but got {package!r}; pass --name my_app."
        )
    # A project package named like an installed module ("json", "django", "test") would shadow it.
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.origin is not None:  # origin None: a namespace package, such as an empty dir
        raise UsageError(
            f"A module named {package!r} is already importable; pass another --name, such as my_{package}."
        )


def _files(root: Traversable, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Traversable]]:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _files(entry, (*prefix, entry.name))
        elif entry.name.endswith(_SUFFIX):
            yield (*prefix, entry.name), entry


def _plan(template: Template, package: str) -> dict[Path, Traversable]:
    templates = resources.files("pyreact_asgi.cli") / "templates"
    plan: dict[Path, Traversable] = {}
    for source in ("common", template):
        for parts, entry in _files(templates / source):
            name = parts[-1].removesuffix(_SUFFIX)
            dirs = [package if part == _PACKAGE_DIR else part for part in parts[:-1]]
            plan[Path(*dirs, _RENAMED.get(name, name))] = entry
    return plan


def write_project(
    directory: Path, template: Template, *, package: str | None = None, force: bool = False
) -> list[Path]:
    """Writes a new project from one of the templates into ``directory`` and returns the files written.

    Args:
        directory: Created if missing; must be empty unless ``force``.
        template: "standalone", "fastapi" or "django".
        package: The Python package name; by default derived from the directory's name.
        force: Write into a non-empty directory, replacing the files the template has.

    Raises:
        UsageError: The package name is not usable.
        CliError: The directory is not empty (without ``force``) or cannot be written.
    """
    directory = directory.resolve()
    package = package_name(directory) if package is None else package
    _check_package(package)
    if directory.exists() and not directory.is_dir():
        raise CliError(f"{directory} is a file; pick a directory for the project.")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise CliError(f"{directory} is not empty; pick a new directory, or pass --force to write into it anyway.")
    values = {
        "package": package,
        "dist": package.replace("_", "-"),
        "title": package.replace("_", " ").title(),
        "version": __version__,
        # A new project's own key, like Django's startproject makes; the settings say to replace it in production.
        "secret_key": f"django-insecure-{secrets.token_urlsafe(40)}",
    }
    written = []
    try:
        for relative, entry in _plan(template, package).items():
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(string.Template(entry.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
            written.append(relative)
    except OSError as exc:
        raise CliError(f"Cannot write the project into {directory}: {exc}.") from None
    return written
