from __future__ import annotations

import re
from typing import TYPE_CHECKING

from asgiref.sync import ThreadSensitiveContext
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.status import WS_1008_POLICY_VIOLATION
from starlette.types import ASGIApp, Receive, Scope, Send

from pyreact_asgi import MountPathError, PyApp
from pyreact_django._db import close_old_connections, in_thread
from pyreact_django.access import Access, decide
from pyreact_django.users import authenticate, django_request

if TYPE_CHECKING:
    from django.core.handlers.asgi import ASGIRequest

__all__ = ["DjangoHost", "asgi"]

# Printable ASCII segments, none empty, "." or "..", and nothing a URL would read as a query or fragment.
_PREFIX = re.compile(r"^(/(?!\.\.?(/|$))[!$&'()*+,\-.0-9:;=@A-Z_a-z~]+)*/?$")


def asgi(ui: PyApp, *, prefix: str, access: Access | None = None, django: ASGIApp | None = None) -> DjangoHost:
    """Returns the project's ASGI application: ``prefix`` serves ``ui``, every other path Django.

    Put it in the project's ``asgi.py``, after ``DJANGO_SETTINGS_MODULE`` is set::

        application = pyreact_django.asgi(ui, prefix="/admin-ui", access=pyreact_django.login_required)

    Args:
        ui: The app to serve.
        prefix: Where to serve it (``"/admin-ui"``; a trailing slash is ignored). At ``"/"`` the app gets its
            pages and its paths under ``/_``, and Django everything else.
        access: Who may use the app (see `Access`); None lets everyone in. Handlers read the Django user
            either way.
        django: The ASGI application for everything else; by default ``get_asgi_application()``, which
            also sets Django up. Pass your own to wrap it (Channels' ``ProtocolTypeRouter``, middleware).

    Raises:
        MountPathError: ``prefix`` is not a usable path.
        ImproperlyConfigured: ``django.contrib.auth`` is not installed.
    """
    if django is None:
        from django.core.asgi import get_asgi_application

        django = get_asgi_application()
    return DjangoHost(ui, prefix=prefix, access=access, django=django)


class DjangoHost:
    """An ASGI application that serves a PyApp under a prefix and sends every other request to Django.

    Use `asgi` to make one. For requests to the app it:

    - loads the Django session named by the session cookie and the user it holds, through Django's own
      session engine and ``django.contrib.auth``, and puts them in the scope as ``"session"`` and
      ``"user"``, where handlers read them (`pyreact_django.user`);
    - applies the access rule to page loads, assets, uploads and the websocket connect: anonymous visitors
      are redirected to ``settings.LOGIN_URL`` with ``?next=``, others get 403, and sockets are refused;
    - hands the app a copy of the scope whose ``root_path`` ends with the prefix and whose ``path`` is
      still the full path, as Starlette's ``Mount`` does.

    Django's ASGI handler does not speak lifespan, so lifespan events go to the PyApp, which builds at
    startup. Servers that send none (daphne) start it on its first request instead.

    Args:
        ui: The app to serve.
        prefix: See `asgi`.
        access: See `asgi`.
        django: The ASGI application for every other request.

    Raises:
        MountPathError: ``prefix`` is not a usable path.
        ImproperlyConfigured: ``django.contrib.auth`` is not installed.
    """

    def __init__(self, ui: PyApp, *, prefix: str, access: Access | None = None, django: ASGIApp) -> None:
        from django.apps import apps
        from django.core.exceptions import ImproperlyConfigured
        from django.core.handlers.asgi import ASGIHandler

        if not isinstance(ui, PyApp):
            raise TypeError(f"Expected a pyreact_asgi.PyApp to serve, but got {ui!r}.")
        if not isinstance(prefix, str) or not prefix.startswith("/"):
            raise MountPathError(f'Expected prefix to start with "/", like "/admin-ui", but got {prefix!r}.', prefix)
        if not _PREFIX.match(prefix):
            raise MountPathError(
                f'Expected prefix to be a path like "/admin-ui" or "/a/b", without empty, "." or ".." segments, '
                f"but got {prefix!r}.",
                prefix,
            )
        if access is not None and not callable(access):
            raise TypeError(f"Expected access to be a function of the request, but got {access!r}.")
        if not apps.is_installed("django.contrib.auth"):
            raise ImproperlyConfigured(
                'pyreact_django reads the Django user: add "django.contrib.auth" and "django.contrib.contenttypes" '
                "to INSTALLED_APPS."
            )
        self.ui = ui
        self.prefix = prefix.rstrip("/")
        self.access = access
        self.django = django
        # Django's own handler raises on anything but HTTP; a websocket outside the app is refused instead.
        self._http_only = isinstance(django, ASGIHandler)

    def __repr__(self) -> str:
        return f"DjangoHost({self.ui!r}, prefix={self.prefix or '/'!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            # Django's handler raises on lifespan: the PyApp answers it and builds at startup.
            await self.ui(scope, receive, send)
            return
        root: str = scope.get("root_path", "").rstrip("/")
        path: str = scope["path"]
        # Servers put root_path into path (uvicorn, daphne, hypercorn), or follow the older reading of the
        # spec where path is below it (Starlette's TestClient). Route on the part below, keep the convention.
        full = not root or path == root or path.startswith(root + "/")
        if root and full:
            path = path[len(root) :] or "/"
        if self.prefix and path == self.prefix:
            if scope["type"] == "http":
                query = scope.get("query_string", b"").decode("latin-1")
                location = root + self.prefix + "/" + (f"?{query}" if query else "")
                await RedirectResponse(location, 307)(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1000})
        elif self.prefix and path.startswith(self.prefix + "/"):
            inner = scope["path"] if full else path[len(self.prefix) :]
            await self._serve_ui(scope, receive, send, root + self.prefix, inner)
        elif not self.prefix and self.ui.handles(path):
            await self._serve_ui(scope, receive, send, root, scope["path"])
        elif scope["type"] == "websocket" and self._http_only:
            await send({"type": "websocket.close", "code": 1000})
        else:
            await self.django(scope, receive, send)

    async def _serve_ui(self, scope: Scope, receive: Receive, send: Send, root_path: str, path: str) -> None:
        request = django_request(scope)
        # As Django does per request: sync work in it (sessions, the ORM, plain rules) shares one thread.
        async with ThreadSensitiveContext():
            try:
                await authenticate(request)
                allowed = self.access is None or await decide(self.access, request)
            finally:
                await in_thread(close_old_connections)  # as on Django's request_finished
        if not allowed:
            await self._deny(request, scope, receive, send)
            return
        # A copy: the server's scope is not ours to change.
        ui_scope = {**scope, "root_path": root_path, "path": path, "user": request.user, "session": request.session}
        await self.ui(ui_scope, receive, send)

    async def _deny(self, request: ASGIRequest, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": WS_1008_POLICY_VIOLATION})
        elif request.user.is_authenticated:
            await PlainTextResponse("Forbidden", status_code=403)(scope, receive, send)
        else:
            from django.contrib.auth.views import redirect_to_login

            login = redirect_to_login(request.get_full_path())
            await RedirectResponse(login["Location"], status_code=302)(scope, receive, send)
