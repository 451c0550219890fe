"""Exceptions raised by pyreact_asgi.

PyReactError
 ├── ConfigError (ValueError)        a PyApp, Config, State or page is set up wrongly
 │    └── MountPathError             a mount path cannot be used
 ├── CompileError (ValueError)       a page cannot be compiled to JSX
 ├── BuildError (RuntimeError)       the frontend bundle cannot be built or loaded
 ├── ProtocolError (ValueError)      a client sent an event the server rejects
 │    └── UploadError                an upload was refused; nothing of it was kept
 └── LimitError (RuntimeError)       a client reached a configured limit (state size, clients, time)
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "CompileError",
    "ConfigError",
    "LimitError",
    "MountPathError",
    "ProtocolError",
    "PyReactError",
    "UploadError",
]


class PyReactError(Exception):
    """Base class of every error raised by pyreact_asgi."""


class ConfigError(PyReactError, ValueError):
    """A PyApp, Config, State class or page is set up wrongly."""


class MountPathError(ConfigError):
    """A mount path cannot be used.

    Args:
        message: What is wrong and how to fix it.
        path: The offending path.
    """

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, path={self.path!r})"


class CompileError(PyReactError, ValueError):
    """A page cannot be compiled to JSX.

    Args:
        message: What is wrong and how to fix it.
        page: The route of the page being compiled, when known.
    """

    def __init__(self, message: str, page: str | None = None) -> None:
        super().__init__(message if page is None else f"{message} (in page {page!r})")
        self.page = page

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, page={self.page!r})"


class BuildError(PyReactError, RuntimeError):
    """The frontend bundle cannot be built or loaded."""


class ProtocolError(PyReactError, ValueError):
    """A client sent an event the server rejects; nothing was changed.

    Args:
        message: Human-readable reason, sent to the client.
        code: Stable machine-readable reason: "malformed", "unknown_handler", "invalid_args" or "handler_error".
    """

    def __init__(self, message: str, code: str = "malformed") -> None:
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, code={self.code!r})"


class UploadError(ProtocolError):
    """An upload was refused; nothing of it was kept.

    Args:
        status: The HTTP status to answer with.
        message: What was wrong, for the user.
        code: "too_large" when a limit was passed, "malformed" otherwise.
    """

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message, code=code or ("too_large" if status == 413 else "malformed"))
        self.status = status
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, status={self.status!r}, code={self.code!r})"


class LimitError(PyReactError, RuntimeError):
    """A client reached one of the limits in `Config`; what it asked for was refused or undone.

    Args:
        message: Which limit, and how to raise it.
        code: Stable machine-readable reason, sent to the client: "too_large" (``max_state_bytes``),
            "too_many_clients" (``max_clients``), "overloaded" (``max_pending_events``) or "timeout"
            (``handler_timeout``).
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, code={self.code!r})"
