"""Raw ASGI calls for in-process tests."""

from __future__ import annotations

from typing import Any

from pyreact_asgi._types import ASGIApp, Message


async def asgi_get(app: ASGIApp, path: str, root_path: str = "", *, raw_path: bool = True) -> tuple[int, bytes]:
    """Sends one GET straight to an ASGI app, with a path no client library would normalise."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "root_path": root_path,
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
    }
    if raw_path:  # optional in the ASGI spec
        scope["raw_path"] = path.encode("utf-8", "surrogateescape")
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status: int = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body
