from __future__ import annotations

import re

import pytest

import pyreact_asgi as pr


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (pr.ConfigError, (pr.PyReactError, ValueError)),
        (pr.MountPathError, (pr.ConfigError, ValueError)),
        (pr.CompileError, (pr.PyReactError, ValueError)),
        (pr.BuildError, (pr.PyReactError, RuntimeError)),
        (pr.ProtocolError, (pr.PyReactError, ValueError)),
        (pr.AuthRuleError, (pr.PyReactError, TypeError)),
        (pr.NotStartedError, (pr.PyReactError, RuntimeError)),
        (pr.ActionError, (pr.PyReactError, ValueError)),
        (pr.HandlerError, (pr.PyReactError, TypeError)),
        (pr.StateError, (pr.PyReactError, RuntimeError)),
        (pr.VarError, (pr.PyReactError, AttributeError)),
        (pr.UploadError, (pr.ProtocolError, ValueError)),
        (pr.LimitError, (pr.PyReactError, RuntimeError)),
    ],
    ids=[
        "config",
        "mount-path",
        "compile",
        "build",
        "protocol",
        "auth-rule",
        "not-started",
        "action",
        "handler",
        "state",
        "var",
        "upload",
        "limit",
    ],
)
def test_exception_catchable_as_builtin(error: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert issubclass(error, bases)


def test_compile_error_names_the_page() -> None:
    error = pr.CompileError("Unknown tag 'x'", page="/reports")
    assert str(error) == "Unknown tag 'x' (in page '/reports')"
    assert error.page == "/reports"
    assert repr(error) == "CompileError(\"Unknown tag 'x' (in page '/reports')\", page='/reports')"


def test_compile_error_without_page() -> None:
    error = pr.CompileError("bad")
    assert (str(error), error.page) == ("bad", None)
    assert repr(error) == "CompileError('bad', page=None)"


def test_protocol_error_carries_code() -> None:
    error = pr.ProtocolError("Unknown event handler", code="unknown_handler")
    assert error.code == "unknown_handler"
    assert repr(error) == "ProtocolError('Unknown event handler', code='unknown_handler')"
    assert pr.ProtocolError("x").code == "malformed"


def test_mount_path_error_carries_path() -> None:
    error = pr.MountPathError('Expected mount path to start with "/"', path="ui")
    assert error.path == "ui"
    assert repr(error) == "MountPathError('Expected mount path to start with \"/\"', path='ui')"


def test_exception_tree_in_the_docstring_names_every_exception() -> None:
    import pyreact_asgi.exceptions as exceptions

    drawn = set(re.findall(r"^[ │├└─]*(\w+)", exceptions.__doc__ or "", re.MULTILINE))
    assert set(exceptions.__all__) <= drawn
