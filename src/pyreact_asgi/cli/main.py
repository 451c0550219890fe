from __future__ import annotations

import copy
import errno
import importlib.util
import shlex
import socket
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import msgspec
import uvicorn

from pyreact_asgi._version import __version__
from pyreact_asgi.app import PyApp
from pyreact_asgi.build.pipeline import Bundle
from pyreact_asgi.cli.export import check_backend, export_static
from pyreact_asgi.cli.pages import PageInfo, compile_pages
from pyreact_asgi.cli.project import (
    CliError,
    Project,
    UsageError,
    check_target,
    find_project,
    import_target,
    load_pyapp,
    one_line,
)
from pyreact_asgi.cli.scaffold import TEMPLATES, Template, write_project
from pyreact_asgi.config import BuildMode
from pyreact_asgi.exceptions import PyReactError

__all__ = ["cli", "main"]

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
# What each template needs installed besides pyreact_asgi, told after `init` (which never installs anything).
_NEEDS: dict[Template, tuple[tuple[str, str], ...]] = {
    "standalone": (),
    "fastapi": (("fastapi", "fastapi"),),
    "django": (("django", "django"), ("pyreact_django", "pyreact-asgi-django")),
}


@dataclass
class _Options:
    traceback: bool = False


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _project() -> Project:
    return find_project(Path.cwd())


def _load(app: str | None) -> tuple[str, PyApp]:
    project = _project()
    target = app or project.app
    if target is not None:
        check_target(target)
        _progress(f"Importing {target}")
    return load_pyapp(target, project)


@click.group(context_settings=_CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="pyreact")
@click.option("--traceback", is_flag=True, help="Show the full traceback of an error, for a bug report.")
@click.pass_obj
def cli(options: _Options, traceback: bool) -> None:
    """Start, run, check and build pyreact_asgi apps."""
    options.traceback = traceback


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--standalone", "template", flag_value="standalone", default=True, help="The UI alone (default).")
@click.option("--fastapi", "template", flag_value="fastapi", help="A FastAPI app with the UI mounted at /ui.")
@click.option("--django", "template", flag_value="django", help="A Django project with the UI served at /ui.")
@click.option("--name", help="The Python package's name; by default made from the directory's name.")
@click.option("--force", is_flag=True, help="Write into a directory that is not empty, replacing files.")
def init(directory: Path, template: Template, name: str | None, force: bool) -> None:
    """Create a project in DIRECTORY (default: here): a page, a state, a test and a README.

    Works offline: it writes files and installs nothing.
    """
    assert template in TEMPLATES, "click allows only the flag values"
    files = write_project(directory, template, package=name, force=force)
    click.echo(f"Created a {template} project in {directory.resolve()}:")
    for path in sorted(files):
        click.echo(f"  {path.as_posix()}")
    missing = [dist for module, dist in _NEEDS[template] if importlib.util.find_spec(module) is None]
    url = "http://127.0.0.1:8000/" + ("" if template == "standalone" else "ui/")
    click.echo("Next:")
    if directory.resolve() != Path.cwd():
        click.echo(f"  cd {shlex.quote(str(directory))}")
    if missing:
        click.echo(f"  pip install {' '.join(missing)}")
    click.echo(f"  pyreact run        # then open {url}")


def _check_port(host: str, port: int) -> None:
    # uvicorn reports a busy port as a logged error and a traceback-free exit only after startup work;
    # trying the bind first gives the one-line answer before anything else runs.
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(
            f"Cannot resolve --host {host!r} ({exc.strerror}); pass an address such as 127.0.0.1."
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = port + 1 if port < 65535 else port - 1
                raise CliError(
                    f"Port {port} on {host} is in use; stop the server using it, or pass another --port such as {other}."
                ) from None
            raise CliError(f"Cannot listen on {host}:{port} ({exc.strerror}); pass another --host or --port.") from None


def _compile(app: PyApp) -> list[PageInfo]:
    count = len(app.pages) + (app.not_found is not None)
    _progress(f"Compiling {count} page{'s' * (count != 1)}")
    infos, errors = compile_pages(app)
    if errors:
        for line in errors[:-1]:
            click.echo(f"Error: {line}", err=True)
        raise CliError(errors[-1])
    return infos


def _build(app: PyApp, mode: BuildMode | None) -> tuple[Bundle, float]:
    _compile(app)
    _progress(f"Building into {app.build_dir}")
    started = time.perf_counter()
    try:
        bundle = app.build(mode)
    except PyReactError as exc:
        raise CliError(one_line(exc)) from exc
    seconds = time.perf_counter() - started
    _progress(f"Built in {seconds:.2f} s" if bundle.built else "The build is current: nothing to do")
    return bundle, seconds


def _size(count: int) -> str:
    return f"{count / 1024:.1f} kB"


@cli.command()
@click.argument("app", required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option(
    "--reload/--no-reload",
    default=True,
    show_default=True,
    help="Restart when a .py file of the project changes; turn it off in production.",
)
@click.option(
    "--dev",
    is_flag=True,
    help="Development mode: on a save, rebuild in the running server and update every open tab in place, "
    "keeping its state (instead of --reload's restart). Never in production.",
)
def run(app: str | None, host: str, port: int, reload: bool, dev: bool) -> None:
    """Serve APP with uvicorn, building the UI first.

    APP is "module:attribute"; by default [tool.pyreact] serve, else app, of pyproject.toml. It may be a
    PyApp or the host app it is mounted in (FastAPI, Starlette, Django's asgi.py).
    """
    project = _project()
    target = app or project.serve
    if target is None:
        raise UsageError(
            f"No APP given and no [tool.pyreact] app in a pyproject.toml above {project.root}; "
            "pass APP as module:attribute (pyreact run myproject.main:app) or run pyreact init."
        )
    check_target(target)
    _progress(f"Importing {target}")
    served = import_target(target, project.root)
    if not callable(served):
        raise CliError(
            f"Expected {target!r} to be an ASGI app (a PyApp, FastAPI, Starlette...), but got {type(served).__name__}; "
            "fix APP or [tool.pyreact] serve."
        )
    _check_port(host, port)
    if isinstance(served, PyApp):
        ui: PyApp | None = served
    elif app is None and project.app is not None:
        ui = load_pyapp(project.app, project)[1]
    else:
        ui = None
    if ui is not None:
        # Built here, so a broken page is one line now rather than a traceback from the server's startup;
        # the server then finds the build current. Config.build decides, as it does at startup.
        _build(ui, None)
    if dev:
        if ui is None or (project.app is None and not isinstance(served, PyApp)):
            raise UsageError("--dev needs the PyApp: pass APP as the PyApp, or name it in [tool.pyreact] app.")
        if importlib.util.find_spec("watchfiles") is None:
            raise CliError("--dev watches files with watchfiles: pip install watchfiles (or pyreact-asgi[dev]).")
        from pyreact_asgi.devreload import DevServer, Reloader  # only in development mode

        ui_target = target if isinstance(served, PyApp) else project.app
        assert ui_target is not None, "checked above"
        _progress("Development mode: saving a .py file of the project updates the open tabs in place")
        uvicorn.run(
            DevServer(served, Reloader(ui, ui_target, project.root)),
            host=host,
            port=port,
            log_config=_log_config(),
        )
    elif reload:
        uvicorn.run(
            target,
            host=host,
            port=port,
            reload=True,
            reload_dirs=[str(project.root)],
            app_dir=str(project.root),
            log_config=_log_config(),
        )
    else:
        uvicorn.run(served, host=host, port=port, log_config=_log_config())


def _log_config() -> dict[str, Any]:
    # The server's log shows uvicorn's lines only; the app's own (a build at startup, what it built and how long
    # it took) go to the same handler and format. The command is the application here, so it configures logging.
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["pyreact_asgi"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


@cli.command()
@click.argument("app", required=False)
@click.option("--force", is_flag=True, help="Rebuild even when the build is current.")
def build(app: str | None, force: bool) -> None:
    """Build APP's bundle ahead of time, for servers started with Config(build="never")."""
    name, ui = _load(app)
    bundle, seconds = _build(ui, "always" if force else "auto")  # even with build="never": building is the point
    state = f"built in {seconds:.2f} s" if bundle.built else "current, not rebuilt"
    click.echo(f"{name}: {state}, in {ui.build_dir}")
    width = max(len(file) for file in bundle.assets)
    for file, asset in sorted(bundle.assets.items()):
        click.echo(f"  {file:<{width}}  {_size(len(asset.body)):>9}  gzip {_size(len(asset.gzipped)):>9}")


@cli.command()
@click.argument("app", required=False)
@click.option("--backend", required=True, help="The backend's URL, mount path included: https://api.example.com/ui")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("export"),
    show_default=True,
    help="Where the files go.",
)
@click.option("--base-path", default="/", show_default=True, help="The path the static host serves the export under.")
def export(app: str | None, backend: str, out: Path, base_path: str) -> None:
    """Write APP's frontend as static files (HTML and JS) for any static host or CDN.

    The pages talk to the backend at --backend, another origin, which must list the static site's origin in
    Config.allowed_origins. Their tokens are not bound to a cookie (docs/security.md).
    """
    check_backend(backend)
    name, ui = _load(app)
    bundle, _ = _build(ui, "auto")
    result = export_static(ui, out, backend=backend, base_path=base_path, bundle=bundle)
    click.echo(f"{name}: exported {len(result.files)} files to {out.resolve()}")
    for file in result.files:
        click.echo(f"  {file.as_posix()}")
    if result.dynamic:
        click.echo(
            f"Routes with dynamic segments ({', '.join(result.dynamic)}) have no file: have the host answer "
            "paths it has no file for with index.html (nginx: try_files $uri $uri/ /index.html)."
        )
    origins = ", ".join(ui.config.allowed_origins) or "none"
    click.echo(f"The backend must allow the static site's origin: Config(allowed_origins=[...]) (now: {origins}).")


@cli.command()
@click.argument("app", required=False)
def routes(app: str | None) -> None:
    """List APP's pages: route, title and the states each uses."""
    _, ui = _load(app)
    infos = _compile(ui)
    rows = [("ROUTE", "TITLE", "STATES")] + [(i.route, i.title, ", ".join(i.states) or "-") for i in infos]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    for route, title, states in rows:
        click.echo(f"{route:<{widths[0]}}  {title:<{widths[1]}}  {states}")


@cli.command()
@click.argument("app", required=False)
def check(app: str | None) -> None:
    """Run every startup check of APP without serving it: import, compile every page, build.

    The build goes to a temporary directory, leaving the app's own build as it was. Exits 0 when all pass.
    """
    name, ui = _load(app)
    _progress(f"ok   import {name}")
    infos = _compile(ui)
    _progress(f"ok   compile {len(infos)} page{'s' * (len(infos) != 1)}")
    with tempfile.TemporaryDirectory(prefix="pyreact-check-") as tmp:
        config = msgspec.structs.replace(ui.config, build_dir=Path(tmp))
        copy = PyApp(ui.pages, config=config, auth=ui.auth, not_found=ui.not_found)
        try:
            copy.build("always")
        except PyReactError as exc:
            raise CliError(f"The build fails: {one_line(exc)}") from exc
    _progress("ok   build (in a temporary directory)")
    if ui.config.build == "never":
        try:
            ui.build("never")
        except PyReactError as exc:
            raise CliError(f'{one_line(exc)} Run "pyreact build" before starting the servers.') from exc
        _progress(f"ok   build='never' finds its build in {ui.build_dir}")
    if ui.config.assets_dir is not None and not Path(ui.config.assets_dir).is_dir():
        raise CliError(
            f"Config.assets_dir {str(ui.config.assets_dir)!r} is not a directory; create it or fix the path."
        )
    click.echo(f"All checks passed: {name}")


def main(args: Sequence[str] | None = None) -> int:
    """Runs the ``pyreact`` command and returns its exit code: 0, 1 for a failure, 2 for a usage error.

    A mistake the user can fix is reported on one line, with the fix, and never with a traceback
    (``pyreact --traceback ...`` shows it).
    """
    options = _Options()
    try:
        cli.main(
            args=list(sys.argv[1:] if args is None else args), prog_name="pyreact", standalone_mode=False, obj=options
        )
    except click.exceptions.NoArgsIsHelpError as exc:  # a bare "pyreact": click's help, as usual
        exc.show()
        return exc.exit_code
    except click.UsageError as exc:  # the command line itself is wrong
        where = f"{exc.ctx.command_path} --help" if exc.ctx is not None else "pyreact --help"
        click.echo(f"Error: {exc.format_message()} (see {where})", err=True)
        return 2
    except click.ClickException as exc:
        if options.traceback and exc.__cause__ is not None:
            raise
        click.echo(f"Error: {exc.format_message()}", err=True)
        return exc.exit_code
    except PyReactError as exc:
        if options.traceback:
            raise
        click.echo(f"Error: {one_line(exc)}", err=True)
        return 1
    except (click.Abort, KeyboardInterrupt):
        click.echo("Aborted.", err=True)
        return 130
    return 0
