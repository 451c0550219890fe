from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from urllib.parse import quote

from starlette.requests import HTTPConnection

from pyreact_asgi._types import Scope
from pyreact_asgi.exceptions import ProtocolError

__all__ = ["CLIENT_KEY", "client_key", "cookie_headers", "cookie_name"]

#: Every key `client_key` returns, and nothing else: "c" or "a" and 43 base64url characters.
CLIENT_KEY = re.compile(r"^[ac][A-Za-z0-9_-]{43}$")

# 32 random bytes, base64url without padding: what `cookie_headers` issues and the only value accepted back.
_KEY = re.compile(r"^[A-Za-z0-9_-]{43}$")
# A cookie's Path attribute must not carry ";" or control characters; every other character stays as a browser
# writes it in a request line, so the browser's path match sees the same text.
_PATH_SAFE = "/!$&'()*+,=:@~"


def cookie_name(mount: str) -> str:
    """Returns the name of the client key cookie of the app mounted at ``mount``.

    Unique per mount path, because a cookie scoped to "/" is also sent to "/admin": an app at the root and
    one at "/admin" of the same host would otherwise overwrite each other's key.
    """
    return "pyreact_key_" + hashlib.sha256(mount.encode()).hexdigest()[:16]


def _cookie_key(scope: Scope, mount: str) -> str | None:
    value = HTTPConnection(scope).cookies.get(cookie_name(mount))
    if value is None:
        return None
    if not _KEY.match(value):
        raise ProtocolError(
            f'Expected the "{cookie_name(mount)}" cookie to be the key this app issued (43 URL-safe characters), '
            f"but got {len(value)} characters; reload the page to get a new one."
        )
    return value


def cookie_headers(scope: Scope, mount: str) -> dict[str, str]:
    """Returns the headers that give a browser loading a page its client key cookie, if it has no usable one.

    The key is 256 random bits, HttpOnly (page scripts cannot read it), ``SameSite=Lax``, scoped to the
    mount path, ``Secure`` when the request came over https. It is not signed: it is never trusted, only
    mixed into the state key (`client_key`), so a made-up key addresses a state of its own and nothing else.
    No secret is needed, and a key stays good across restarts and workers.

    Args:
        scope: The page request.
        mount: The app's mount path as the browser sees it (with a trusted forwarded prefix).

    Returns:
        ``Set-Cookie``, or no headers when the request carries a valid key. (Pages are served with
        ``Cache-Control: no-cache`` and no validator, so no cache hands one browser's cookie to another.)
    """
    try:
        if _cookie_key(scope, mount) is not None:
            return {}
    except ProtocolError:
        pass  # a garbled or hostile value is replaced
    cookie = f"{cookie_name(mount)}={secrets.token_urlsafe(32)}; Path={quote(mount or '/', safe=_PATH_SAFE)}"
    cookie += "; HttpOnly; SameSite=Lax"
    # scope["scheme"] is what the server saw, or what a proxy it trusts said (uvicorn --forwarded-allow-ips).
    # A client that lies about it only decides whether its own cookie is Secure.
    if scope.get("scheme") == "https":
        cookie += "; Secure"
    return {"Set-Cookie": cookie}


def client_key(scope: Scope, mount: str, token: str) -> str:
    """Returns the key a client's state is stored and locked under: its token bound to its key cookie.

    A client presenting the key cookie gets ``"c" + HMAC-SHA256(cookie key, token)``; one without it (not
    a browser, or a browser refusing cookies) gets ``"a" + SHA-256(token)``, a separate namespace. So a
    copied token without the victim's cookie addresses a different, empty state. Neither form is a token:
    the stored key cannot be used to address the state it names.

    Args:
        scope: The websocket handshake or upload request.
        mount: The app's mount path as the browser sees it.
        token: The client's token, already checked to be well-formed.

    Raises:
        ProtocolError: The key cookie is present but not a key this app could have issued.
    """
    key = _cookie_key(scope, mount)
    if key is None:
        digest = hashlib.sha256(b"pyreact-asgi no cookie\0" + token.encode()).digest()
        return "a" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    digest = hmac.new(key.encode(), token.encode(), hashlib.sha256).digest()
    return "c" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
