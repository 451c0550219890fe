from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, Response

from pyreact_asgi._types import Scope
from pyreact_asgi.exceptions import AuthRuleError

__all__ = ["AuthResult", "AuthRule", "check_auth"]

AuthResult = bool | Response
AuthRule = Callable[[HTTPConnection], AuthResult | Awaitable[AuthResult]]


async def check_auth(rule: AuthRule, scope: Scope) -> Response | None:
    """Asks the app's auth rule about one incoming request; returns None to let it in, else the answer to send.

    Raises:
        AuthRuleError: The rule returned something other than True, False or a Response.
    """
    result = rule(HTTPConnection(scope))
    if inspect.isawaitable(result):
        result = await result
    if result is True:
        return None
    if result is False:
        return PlainTextResponse("Forbidden", status_code=403)
    if isinstance(result, Response):
        return result
    raise AuthRuleError(
        f"Expected the auth rule to return True, False or a Response, but got {result!r}; "
        "return True to allow the request."
    )
