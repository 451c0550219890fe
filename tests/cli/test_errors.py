"""Every mistake a user can make is one line that says how to fix it, with exit code 2 (usage) or 1 (failure)."""

from __future__ import annotations

import socket
import textwrap
from pathlib import Path

import pytest

from pyreact_asgi.cli import main
from tests.cli.conftest import pyreact

PAGES = """\
import pyreact_asgi as pr


def index():
    return pr.text("fine")


def broken():
    return pr.vstack(undefined_name)


def not_a_component():
    return 42


ui = pr.PyApp(pages={"/": index, "/broken": broken, "/number": not_a_component})
good = pr.PyApp(pages={"/": index})
number = 3
"""


def write(root: Path, name: str, source: str) -> None:
    (root / name).write_text(textwrap.dedent(source))


def error_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("Error: ")]


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        pytest.param(["check"], 2, "No APP given and no [tool.pyreact] app", id="no-app"),
        pytest.param(["routes", "pages"], 2, 'Expected APP as "module:attribute"', id="not-module-attr"),
        pytest.param(["build", "nosuch:ui"], 1, "Cannot import 'nosuch': no module named 'nosuch'", id="no-module"),
        pytest.param(["check", "pages:missing"], 1, "Module 'pages' has no attribute 'missing'", id="no-attribute"),
        pytest.param(
            ["check", "pages:number"],
            1,
            "Expected 'pages:number' to be a pyreact_asgi.PyApp, but got int",
            id="not-pyapp",
        ),
        pytest.param(["run", "pages:number"], 1, "Expected 'pages:number' to be an ASGI app", id="not-asgi"),
        pytest.param(
            ["check", "raising:ui"],
            1,
            "Importing 'raising' failed: ConfigError: Expected a page function",
            id="import-raises",
        ),
        pytest.param(
            ["check", "needs:ui"],
            1,
            "Importing 'needs' failed: ModuleNotFoundError: No module named 'nosuchdep'",
            id="missing-dependency",
        ),
        pytest.param(["run", "--bogus"], 2, "No such option '--bogus'", id="bad-option"),
        pytest.param(["run", "--port", "70000", "pages:good"], 2, "Invalid value for '--port'", id="bad-port"),
        pytest.param(
            ["init", "--name", "class", "new"], 2, "Expected the package name to be a lower-case", id="keyword-name"
        ),
        pytest.param(
            ["init", "--name", "socket", "new"], 2, "A module named 'socket' is already importable", id="shadowing-name"
        ),
        pytest.param(["nosuch"], 2, "No such command 'nosuch'", id="no-command"),
    ],
)
def test_user_mistake_is_one_line(
    isolated_imports: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, expected: str
) -> None:
    write(isolated_imports, "pages.py", PAGES)
    write(isolated_imports, "raising.py", "import pyreact_asgi as pr\nui = pr.PyApp(pages={'/': 5})\n")
    write(isolated_imports, "needs.py", "import nosuchdep\n")
    assert main(args) == code
    (line,) = error_lines(capsys)
    assert expected in line


def test_import_error_names_the_users_line(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(isolated_imports, "raising.py", "import pyreact_asgi as pr\n\nui = pr.PyApp(pages={'/': 5})\n")
    assert main(["check", "raising:ui"]) == 1
    (line,) = error_lines(capsys)
    assert line.endswith(f"({isolated_imports / 'raising.py'}:3)")


@pytest.mark.parametrize("command", ["check", "build", "routes"])
def test_each_page_that_does_not_compile_is_one_line_naming_it(
    isolated_imports: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    write(isolated_imports, "pages.py", PAGES)
    assert main([command, "pages:ui"]) == 1
    broken, number = error_lines(capsys)
    assert broken == (
        "Error: Page '/broken' does not compile: NameError: name 'undefined_name' is not defined "
        f"({isolated_imports / 'pages.py'}:9)"
    )
    assert number.startswith("Error: Page '/number' does not compile: Expected the page function to return a component")
    assert not (isolated_imports / ".pyreact").exists(), "nothing is built when a page does not compile"


def test_port_in_use(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(isolated_imports, "pages.py", PAGES)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["run", "--no-reload", "--port", str(port), "pages:good"]) == 1
    (line,) = error_lines(capsys)
    assert (
        line
        == f"Error: Port {port} on 127.0.0.1 is in use; stop the server using it, or pass another --port such as {port + 1}."
    )


def test_bad_tool_pyreact_settings(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated_imports / "pyproject.toml").write_text('[tool.pyreact]\napp = "ui"\n')
    assert main(["routes"]) == 2
    (line,) = error_lines(capsys)
    assert line.startswith("Error: Expected app in [tool.pyreact] of ")
    assert line.endswith("""to be "module:attribute", but got 'ui'.""")


def test_settings_are_found_from_a_subdirectory(
    isolated_imports: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(isolated_imports, "pages.py", PAGES)
    (isolated_imports / "pyproject.toml").write_text('[tool.pyreact]\napp = "pages:good"\n')
    (isolated_imports / "sub").mkdir()
    monkeypatch.chdir(isolated_imports / "sub")
    assert main(["routes"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split() == ["/", "pyreact", "app", "-"]


def test_init_refuses_a_non_empty_directory_unless_forced(
    isolated_imports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = isolated_imports / "webapp"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert main(["init", "webapp"]) == 1
    (line,) = error_lines(capsys)
    assert line == f"Error: {target} is not empty; pick a new directory, or pass --force to write into it anyway."
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"], "a refused init writes nothing"
    assert main(["init", "--force", "webapp"]) == 0
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / "webapp" / "ui.py").is_file()


def test_traceback_flag_shows_the_cause(isolated_imports: Path) -> None:
    write(isolated_imports, "raising.py", "import pyreact_asgi as pr\nui = pr.PyApp(pages={'/': 5})\n")
    with pytest.raises(Exception, match="Expected a page function"):
        main(["--traceback", "check", "raising:ui"])


def test_the_console_script_prints_no_traceback(tmp_path: Path) -> None:
    result = pyreact("check", "nosuch:ui", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Importing nosuch:ui",
        f"Error: Cannot import 'nosuch': no module named 'nosuch' in {tmp_path}; run pyreact in the project's directory, or fix APP.",
    ]


def test_a_failing_build_is_one_line(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Each page compiles alone; together they name two states alike, which only the whole build finds.
    for name, var in (("carts_a", "n"), ("carts_b", "m")):
        write(
            isolated_imports, f"{name}.py", f"import pyreact_asgi as pr\n\nclass Cart(pr.State):\n    {var}: int = 0\n"
        )
    write(
        isolated_imports,
        "carts.py",
        """\
        import pyreact_asgi as pr
        import carts_a, carts_b

        ui = pr.PyApp(pages={"/": lambda: pr.text(carts_a.Cart.n), "/b": lambda: pr.text(carts_b.Cart.m)})
        """,
    )
    assert main(["check", "carts:ui"]) == 1
    (line,) = error_lines(capsys)
    assert line == (
        'Error: The build fails: ConfigError: Two states are named "cart": carts_a.Cart and carts_b.Cart; '
        'pass name="..." to one of them.'
    )
    assert main(["build", "carts:ui"]) == 1
    (line,) = error_lines(capsys)
    assert line.startswith('Error: ConfigError: Two states are named "cart"')


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        pytest.param("[tool.pyreact\n", "Cannot read ", id="not-toml"),
        pytest.param("[tool]\npyreact = 3\n", "Expected [tool.pyreact] in ", id="not-a-table"),
        pytest.param('[tool.pyreact]\nserve = ["a:b"]\n', "Expected serve in [tool.pyreact] of ", id="serve-not-str"),
    ],
)
def test_unusable_pyproject(
    isolated_imports: Path, capsys: pytest.CaptureFixture[str], pyproject: str, expected: str
) -> None:
    (isolated_imports / "pyproject.toml").write_text(pyproject)
    assert main(["run"]) == 2
    (line,) = error_lines(capsys)
    assert line.startswith(f"Error: {expected}")


def test_run_without_an_app(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated_imports / "pyproject.toml").write_text('[project]\nname = "other"\n')  # no [tool.pyreact]: looked past
    assert main(["run"]) == 2
    (line,) = error_lines(capsys)
    assert line.startswith("Error: No APP given and no [tool.pyreact] app in a pyproject.toml above ")


def test_unknown_host(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(isolated_imports, "pages.py", PAGES)
    assert main(["run", "--host", "no-such-host.invalid", "pages:good"]) == 2
    (line,) = error_lines(capsys)
    assert line.startswith("Error: Cannot resolve --host 'no-such-host.invalid'")


def test_a_host_that_is_not_ours(isolated_imports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(isolated_imports, "pages.py", PAGES)
    assert main(["run", "--host", "192.0.2.1", "--port", "8123", "pages:good"]) == 1  # TEST-NET-1: never local
    (line,) = error_lines(capsys)
    assert line.startswith("Error: Cannot listen on 192.0.2.1:8123 (")


def test_bare_command_shows_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "Commands:" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--help"], ["run", "-h"], ["--version"]])
def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Usage: pyreact" in out or "pyreact, version " in out
