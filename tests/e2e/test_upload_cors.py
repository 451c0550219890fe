"""Uploads from another origin (an exported frontend): the CORS preflight and replies, over a real uvicorn."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDictProxy

from pyreact_asgi._codec import decode
from pyreact_asgi._contract import PAGE_HEADER, TOKEN_HEADER, UPLOAD_FIELD, UPLOAD_HANDLER_PARAM, UPLOAD_PATH
from tests.e2e.apps import make_ui, starlette_host
from tests.e2e.client import connect, new_token
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

ALLOWED = "https://cdn.example.com"
LIMIT = 100_000


@pytest.fixture(scope="module")
def cors_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cors-uploads")


@pytest.fixture(scope="module")
def server(shared_build_dir: Path, cors_dir: Path) -> Iterator[LiveServer]:
    """The demo app at ``/ui`` of a Starlette app, allowing uploads from one other origin."""
    ui = make_ui(shared_build_dir, allowed_origins=(ALLOWED,), max_upload_bytes=LIMIT, upload_dir=cors_dir)
    with serve(starlette_host(ui, "/ui")) as live:
        yield live


def upload_url(server: LiveServer, handler: str = "files.receive") -> str:
    return f"{server.url}/ui{UPLOAD_PATH}?{UPLOAD_HANDLER_PARAM}={handler}"


def leftovers(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def cors_headers(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    """Every Access-Control-* header of a reply, by lowercase name; each must appear once."""
    names = [name.lower() for name in headers if name.lower().startswith("access-control-")]
    assert len(names) == len(set(names)), names
    return {name: headers[name] for name in names}


async def preflight(server: LiveServer, origin: str | None) -> tuple[int, CIMultiDictProxy[str], bytes]:
    # What Chromium sends before the runtime's XHR upload (header names lowercased and sorted, as it does).
    headers = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": ",".join(sorted(h.lower() for h in (PAGE_HEADER, TOKEN_HEADER))),
        **({"Origin": origin} if origin is not None else {}),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.options(upload_url(server), headers=headers) as response,
    ):
        return response.status, response.headers, await response.read()


async def post_file(
    server: LiveServer,
    origin: str | None,
    *,
    handler: str = "files.receive",
    token: str | None = None,
    content: bytes = b"hello",
) -> tuple[int, CIMultiDictProxy[str], dict[str, Any]]:
    form = aiohttp.FormData()
    form.add_field(UPLOAD_FIELD, io.BytesIO(content), filename="a.txt", content_type="text/plain")
    headers = {
        TOKEN_HEADER: token if token is not None else new_token(),
        PAGE_HEADER: "/flaky",
        **({"Origin": origin} if origin is not None else {}),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(upload_url(server, handler), data=form, headers=headers) as response,
    ):
        return response.status, response.headers, decode(await response.read())


async def test_preflight_from_an_allowed_origin_allows_exactly_the_upload(server: LiveServer) -> None:
    status, headers, body = await preflight(server, ALLOWED)
    assert (status, body) == (204, b"")
    allowed = cors_headers(headers)
    assert int(allowed.pop("access-control-max-age")) > 0
    assert allowed == {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": f"{TOKEN_HEADER}, {PAGE_HEADER}",
    }  # and never Access-Control-Allow-Credentials: an export's tokens are unbound, nothing needs cookies
    assert headers["Vary"] == "Origin"


async def test_allowed_origin_is_compared_without_case(server: LiveServer) -> None:
    # Browsers send origins in lowercase; a client that does not still gets the configured spelling named.
    status, headers, _ = await preflight(server, ALLOWED.upper())
    assert (status, headers["Access-Control-Allow-Origin"]) == (204, ALLOWED)


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",  # sandboxed frames, file:// pages, some redirects
        "http://cdn.example.com",  # the allowed host over another scheme
        "https://cdn.example.com:8443",  # ... on another port
        "https://cdn.example.com.evil.example",  # a suffix, to catch prefix matching
        "https://evil.example/https://cdn.example.com",
        "https://cdn.example.com/",
        f"{ALLOWED}, https://evil.example",  # a list, to catch a match on its first item
        "*",
        "https://" + "a" * 8000 + ".example",
        None,  # no Origin: no browser's preflight at all
    ],
)
async def test_preflight_from_any_other_origin_is_refused_without_cors_headers(
    server: LiveServer, origin: str | None
) -> None:
    status, headers, _ = await preflight(server, origin)
    assert status == 403
    assert cors_headers(headers) == {}


async def test_oversized_origin_is_refused_and_others_carry_on(server: LiveServer, cors_dir: Path) -> None:
    # Larger than the server accepts in a request's head: refused before the app sees it, or by the app.
    status, headers, _ = await preflight(server, "https://" + "a" * 200_000 + ".example")
    assert 400 <= status < 500
    assert cors_headers(headers) == {}
    # The refused requests changed nothing for other clients: an upload and a socket client work.
    token = new_token()
    status, headers, reply = await post_file(server, ALLOWED, token=token)
    assert (status, headers["Access-Control-Allow-Origin"]) == (200, ALLOWED)
    assert reply["delta"]["files"]["summary"] == "a.txt (5 bytes)"
    async with connect(server, token) as client:
        assert (await client.first_state())["files"]["summary"] == "a.txt (5 bytes)"
        assert (await client.call("counter.increment"))["delta"]["counter"]["count"] == 1
    assert leftovers(cors_dir) == []


@pytest.mark.parametrize(
    ("handler", "token", "content", "status", "code"),
    [
        ("files.receive", "short", b"x", 400, "malformed"),
        ("files.nope", None, b"x", 400, "unknown_handler"),
        ("files.receive", None, b"x" * (LIMIT + 1), 413, "too_large"),
        ("files.receive_then_fail", None, b"x", 500, "handler_error"),
    ],
)
async def test_error_replies_to_an_allowed_origin_name_it(
    server: LiveServer,
    cors_dir: Path,
    logged_errors: list[Any],
    handler: str,
    token: str | None,
    content: bytes,
    status: int,
    code: str,
) -> None:
    # The browser lets the page read a reply only if it names the page's origin: without it, the tab could
    # only say "the upload could not reach the server" instead of why it was refused.
    got, headers, reply = await post_file(server, ALLOWED, handler=handler, token=token, content=content)
    assert (got, reply["error"]["code"]) == (status, code)
    assert cors_headers(headers) == {"access-control-allow-origin": ALLOWED}
    assert headers["Vary"] == "Origin"
    logged_errors.clear()  # the failing handler logs its traceback, as any failing event does
    assert leftovers(cors_dir) == []


async def test_upload_from_a_foreign_origin_is_refused_and_names_no_origin(server: LiveServer, cors_dir: Path) -> None:
    status, headers, reply = await post_file(server, "https://evil.example")
    assert (status, reply["error"]["code"]) == (403, "forbidden")
    assert cors_headers(headers) == {}
    assert leftovers(cors_dir) == []


async def test_upload_from_the_page_own_origin_needs_no_cors(server: LiveServer) -> None:
    status, headers, reply = await post_file(server, server.url)
    assert (status, reply["delta"]["files"]["summary"]) == (200, "a.txt (5 bytes)")
    assert cors_headers(headers) == {}
