from __future__ import annotations

import importlib
import re
import sys
import tomllib
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from pyreact_asgi.app import PyApp

__all__ = [
    "CliError",
    "Project",
    "UsageError",
    "check_target",
    "find_project",
    "import_target",
    "load_pyapp",
    "one_line",
    "where",
]

# "module:attribute", both dotted; the shape uvicorn's importer accepts.
_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
PYPROJECT = "pyproject.toml"
_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


class CliError(click.ClickException):
    """A failure the user can fix, shown as one line (exit code 1)."""

    exit_code = 1


class UsageError(CliError):
    """The command line or the project's ``[tool.pyreact]`` settings are wrong (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Project:
    """Where the app is: the directory its modules are imported from, and what ``[tool.pyreact]`` names.

    Attributes:
        root: The directory holding ``pyproject.toml`` (the working directory when there is none).
        app: The PyApp, as "module:attribute", or None when the project names none.
        serve: What ``pyreact run`` serves ("module:attribute"): the host app, or the PyApp itself.
        source: Where ``app`` and ``serve`` were read, for error messages.
    """

    root: Path
    app: str | None
    serve: str | None
    source: str


def find_project(start: Path) -> Project:
    """Reads ``[tool.pyreact]`` from the nearest ``pyproject.toml`` that has it, from ``start`` upwards.

    Raises:
        UsageError: That table is not valid TOML or holds something other than "module:attribute" strings.
    """
    for directory in (start, *start.parents):
        path = directory / PYPROJECT
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"Cannot read {path}: {exc}; fix the file or pass APP as module:attribute.") from None
        table = data.get("tool", {}).get("pyreact")
        if table is None:
            continue
        if not isinstance(table, dict):
            raise UsageError(f'Expected [tool.pyreact] in {path} to be a table like app = "myproject.ui:ui".')
        app, serve = table.get("app"), table.get("serve")
        for key, value in (("app", app), ("serve", serve)):
            if value is not None and not (isinstance(value, str) and _TARGET.match(value)):
                raise UsageError(
                    f'Expected {key} in [tool.pyreact] of {path} to be "module:attribute", but got {value!r}.'
                )
        return Project(directory, app, serve or app, f"[tool.pyreact] of {path}")
    return Project(start, None, None, "the command line")


def check_target(target: str) -> tuple[str, str]:
    """Splits "module:attribute".

    Raises:
        UsageError: ``target`` has another shape.
    """
    if not _TARGET.match(target):
        raise UsageError(f'Expected APP as "module:attribute" such as "myproject.ui:ui", but got {target!r}.')
    module, _, attribute = target.partition(":")
    return module, attribute


def where(exc: BaseException) -> str:
    """The user's line that raised ``exc``: its innermost frame outside pyreact_asgi and the import machinery."""
    frames = [
        frame
        for frame in traceback.extract_tb(exc.__traceback__)
        if not frame.filename.startswith((_PACKAGE_DIR, "<frozen")) and "importlib" not in frame.filename
    ]
    return f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""


def one_line(exc: BaseException) -> str:
    """The exception's type and message on one line."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def import_target(target: str, root: Path) -> object:
    """Imports ``module:attribute`` the way uvicorn does, with ``root`` first on ``sys.path``.

    Raises:
        UsageError: ``target`` is not "module:attribute".
        CliError: The module cannot be imported, raises while importing, or lacks the attribute.
    """
    module_name, attribute = check_target(target)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module_name == exc.name or module_name.startswith(f"{exc.name}.")):
            raise CliError(
                f"Cannot import {module_name!r}: no module named {exc.name!r} in {root}; "
                "run pyreact in the project's directory, or fix APP."
            ) from None
        # The app imports a package that is not installed, such as fastapi for a --fastapi project.
        raise CliError(
            f"Importing {module_name!r} failed: {one_line(exc)}{where(exc)}; install the package that provides "
            f"{exc.name!r} in this environment ({sys.executable})."
        ) from exc
    except Exception as exc:
        raise CliError(f"Importing {module_name!r} failed: {one_line(exc)}{where(exc)}") from exc
    value: object = module
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise CliError(
                f"Module {module_name!r} has no attribute {attribute!r}; fix APP or the [tool.pyreact] entry."
            ) from None
    return value


def load_pyapp(target: str | None, project: Project) -> tuple[str, PyApp]:
    """Imports the PyApp named by ``target``, or by the project's ``[tool.pyreact] app`` when None.

    Raises:
        UsageError: No app is named, or the name is not "module:attribute".
        CliError: It cannot be imported or is not a PyApp.
    """
    target = target or project.app
    if target is None:
        raise UsageError(
            f"No APP given and no [tool.pyreact] app in a pyproject.toml above {project.root}; "
            'pass APP as module:attribute (pyreact check myproject.ui:ui) or add app = "myproject.ui:ui".'
        )
    value = import_target(target, project.root)
    if not isinstance(value, PyApp):
        raise CliError(
            f"Expected {target!r} to be a pyreact_asgi.PyApp, but got {type(value).__name__} {_short(value)}; "
            "name the PyApp itself (the object made by pr.PyApp(...))."
        )
    return target, value


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
