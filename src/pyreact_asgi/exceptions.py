"""Exceptions raised by pyreact_asgi.

PyReactError
 ├── ConfigError (ValueError)        a PyApp, Config, State or page is set up wrongly
 │    └── MountPathError             a mount path cannot be used
 ├── CompileError (ValueError)       a page cannot be compiled to JSX
 ├── BuildError (RuntimeError)       the frontend bundle cannot be built or loaded
 ├── NotStartedError (RuntimeError)  an app was used in a way that needs it started first
 ├── AlreadyStartedError (RuntimeError)  an app was changed in a way it allows only before it starts
 ├── AuthRuleError (TypeError)       the app's auth rule returned something it must not
 ├── ProtocolError (ValueError)      a client sent an event the server rejects
 │    └── UploadError                an upload was refused; nothing of it was kept
 ├── ActionError (ValueError)        a client action (redirect, toast, ...) was given a bad argument
 ├── HandlerError (TypeError)        a handler returned, yielded or passed something of the wrong kind
 ├── StateError (RuntimeError)       a state was used where it cannot be (outside its event or lock)
 ├── VarError (AttributeError)       a var that a State does not have, or that cannot be assigned
 ├── LimitError (RuntimeError)       a client reached a configured limit (state size, clients, time)
 └── StateStoreError (RuntimeError)  the shared state store (Redis) failed or refused a write
"""

from __future__ import annotations

__all__ = [
    "ActionError",
    "AlreadyStartedError",
    "AuthRuleError",
    "BuildError",
    "CompileError",
    "ConfigError",
    "HandlerError",
    "LimitError",
    "MountPathError",
    "NotStartedError",
    "ProtocolError",
    "PyReactError",
    "StateError",
    "StateStoreError",
    "UploadError",
    "VarError",
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


class NotStartedError(PyReactError, RuntimeError):
    """An app was used in a way that needs it started (its bundle built), before it started."""


class AlreadyStartedError(PyReactError, RuntimeError):
    """An app was changed (a page added) in a way it allows only before it starts."""


class AuthRuleError(PyReactError, TypeError):
    """The app's auth rule returned something other than True, False or a Response."""


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


class ActionError(PyReactError, ValueError):
    """A client action (``pr.redirect``, ``pr.toast``, ...) was given an argument it cannot send."""


class HandlerError(PyReactError, TypeError):
    """An event handler returned, yielded or passed something of the wrong kind.

    For example a value that is neither an event nor an action, or a non-State class to ``get_state``.
    """


class StateError(PyReactError, RuntimeError):
    """A state was used where it cannot be: ``router`` outside an event, a background task's change outside
    ``async with self:``, or an event chain that never ends."""


class VarError(PyReactError, AttributeError):
    """A State has no such var, or it cannot be assigned: an undeclared var, a computed var, or a setter the
    var did not opt in to."""


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


class StateStoreError(PyReactError, RuntimeError):
    """The shared state store (Redis) could not be reached, or refused what an event would write.

    The event in flight fails with this error and its changes are not kept.

    Args:
        message: What failed, and what to do.
        code: Stable machine-readable reason, sent to the client: "unavailable" (the store cannot be
            reached), "conflict" (the client's lock expired while the event ran and another event took it:
            its changes were refused rather than overwrite newer state) or "unencodable" (a var holds a
            value msgpack cannot encode).
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, code={self.code!r})"
