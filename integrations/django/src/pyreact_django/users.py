from __future__ import annotations

import io
from importlib import import_module
from typing import TYPE_CHECKING, Any

from pyreact_asgi import State
from pyreact_django._db import close_old_connections, in_thread

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.contrib.sessions.backends.base import SessionBase
    from django.core.handlers.asgi import ASGIRequest
    from starlette.types import Scope

__all__ = ["session", "user"]

_SCHEMES = {"ws": "http", "wss": "https"}


def user(state: State) -> AbstractBaseUser | AnonymousUser:
    """Returns the Django user of the client whose event the handler is running: ``pyreact_django.user(self)``.

    It is the user of the session the page had when it connected (the websocket carries the page's
    cookies); a login or logout in another tab shows here after the page reloads or reconnects. Read
    related objects with Django's async ORM (``await user.groups.acount()``): handlers run in the event loop.

    Args:
        state: The state whose handler is running (``self``).

    Raises:
        RuntimeError: Called outside an event handler, or the app is not served through `pyreact_django.asgi`.
    """
    return _from_scope(state, "user")


def session(state: State) -> SessionBase:
    """Returns the Django session of the client whose event the handler is running: ``pyreact_django.session(self)``.

    It is loaded when the page connects. Reading keys needs no database; to change it, use the async API
    (``await session.aset("key", value)`` then ``await session.asave()``), since handlers run in the event loop.

    Args:
        state: The state whose handler is running (``self``).

    Raises:
        RuntimeError: Called outside an event handler, or the app is not served through `pyreact_django.asgi`.
    """
    return _from_scope(state, "session")


def _from_scope(state: State, key: str) -> Any:
    value = state.router.get(key)
    if value is None:
        raise RuntimeError(
            f"Expected the Django {key} in the connection's scope, but there is none; serve the app with "
            '"pyreact_django.asgi(ui, prefix=...)".'
        )
    return value


def django_request(scope: Scope) -> ASGIRequest:
    """Returns the Django request for an HTTP or websocket scope, as Django's ASGI handler would build it."""
    from django.core.handlers.asgi import ASGIRequest

    # A websocket scope has no method, and its ws/wss scheme would make absolute URLs ("next=") unusable.
    scheme = scope.get("scheme", "http")
    http_scope = {**scope, "method": scope.get("method", "GET"), "scheme": _SCHEMES.get(scheme, scheme)}
    return ASGIRequest(http_scope, io.BytesIO())


async def authenticate(request: ASGIRequest) -> None:
    """Sets ``request.session`` and ``request.user`` as Django's session and auth middleware would."""
    await in_thread(_load_session_and_user, request)


def _load_session_and_user(request: ASGIRequest) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user

    # SessionMiddleware.process_request, then what AuthenticationMiddleware's lazy user would load. Reading
    # the session key loads the whole session, so handlers can read it without touching the database.
    close_old_connections()  # as on Django's request_started
    store = import_module(settings.SESSION_ENGINE).SessionStore
    request.session = store(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = get_user(request)
