"""Uploads to <mount>/_upload against a real uvicorn: streamed to disk, limited, handed to the handler, cleaned up."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from pyreact_asgi._codec import decode
from tests.e2e.apps import make_ui, starlette_host
from tests.e2e.client import connect, new_token
from tests.e2e.conftest import UPLOAD_LIMIT
from tests.servers import LiveServer, serve

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]


async def post_files(
    server: LiveServer,
    files: list[tuple[str, bytes | AsyncIterator[bytes]]],
    *,
    token: str | None = None,
    handler: str = "files.receive",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    form = aiohttp.FormData()
    for name, content in files:
        body = io.BytesIO(content) if isinstance(content, bytes) else content
        form.add_field("files", body, filename=name, content_type="application/octet-stream")
    all_headers = {"X-Pyreact-Token": token or new_token(), **(headers or {})}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{server.url}/ui/_upload?handler={handler}", data=form, headers=all_headers) as response,
    ):
        return response.status, decode(await response.read())


def leftovers(upload_dir: Path) -> list[str]:
    return sorted(os.listdir(upload_dir)) if upload_dir.exists() else []


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_upload_reaches_the_handler_and_the_files_are_removed_after(
    live_server: LiveServer, upload_dir: Path
) -> None:
    first, second = os.urandom(300_000), b"hello"
    token = new_token()
    status, reply = await post_files(live_server, [("report.csv", first), ("note.txt", second)], token=token)
    assert status == 200
    assert reply["delta"]["files"]["received"] == [f"report.csv 300000 {sha(first)}", f"note.txt 5 {sha(second)}"]
    assert leftovers(upload_dir) == []
    # The same client's socket sees the new state.
    async with connect(live_server, token) as client:
        assert (await client.first_state())["files"]["summary"] == "report.csv (300000 bytes), note.txt (5 bytes)"


async def test_upload_over_the_size_limit_is_refused_and_leaves_nothing(
    live_server: LiveServer, upload_dir: Path
) -> None:
    token = new_token()
    status, reply = await post_files(
        live_server, [("ok.bin", b"small"), ("big.bin", os.urandom(UPLOAD_LIMIT + 1))], token=token
    )
    assert status == 413
    assert reply["error"] == {
        "code": "too_large",
        "message": f'"big.bin" is larger than the limit of {UPLOAD_LIMIT} bytes.',
    }
    assert leftovers(upload_dir) == []
    async with connect(live_server, token) as client:
        assert (await client.first_state())["files"]["received"] == []


async def test_upload_of_too_many_files_is_refused(live_server: LiveServer, upload_dir: Path) -> None:
    status, reply = await post_files(live_server, [(f"{i}.txt", b"x") for i in range(4)])
    assert (status, reply["error"]["message"]) == (413, "Too many files: at most 3 per upload.")
    assert leftovers(upload_dir) == []


async def test_upload_streamed_without_length_over_the_limit_is_cut_off(
    live_server: LiveServer, upload_dir: Path
) -> None:
    async def endless() -> AsyncIterator[bytes]:
        for _ in range(UPLOAD_LIMIT // 65536 + 10):
            yield b"x" * 65536

    status, reply = await post_files(live_server, [("stream.bin", endless())])
    assert (status, reply["error"]["code"]) == (413, "too_large")
    assert leftovers(upload_dir) == []


async def test_upload_filename_is_reduced_to_a_safe_base_name(live_server: LiveServer) -> None:
    # Written by hand: aiohttp would percent-encode the name, browsers send it as typed.
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="files"; filename="../../etc/pass<wd>"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"x\r\n--XyZ--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=XyZ", "X-Pyreact-Token": new_token()}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{live_server.url}/ui/_upload?handler=files.receive", data=body, headers=headers) as response,
    ):
        assert response.status == 200
        reply = decode(await response.read())
    assert reply["delta"]["files"]["received"][0] == f"pass_wd_ 1 {sha(b'x')}"


@pytest.mark.parametrize(
    ("handler", "headers", "status", "code"),
    [
        ("files.receive", {"X-Pyreact-Token": "short"}, 400, "malformed"),
        ("files.nope", {}, 400, "unknown_handler"),
        ("counter.increment", {}, 400, "invalid_args"),  # not an upload handler
        ("files.receive", {"Origin": "https://evil.example"}, 403, "forbidden"),
    ],
)
async def test_upload_refusals(
    live_server: LiveServer, upload_dir: Path, handler: str, headers: dict[str, str], status: int, code: str
) -> None:
    got_status, reply = await post_files(live_server, [("a.txt", b"x")], handler=handler, headers=headers)
    assert (got_status, reply["error"]["code"]) == (status, code)
    assert leftovers(upload_dir) == []


async def test_upload_that_is_not_multipart_is_refused(live_server: LiveServer) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{live_server.url}/ui/_upload?handler=files.receive",
            data=b"just bytes",
            headers={"X-Pyreact-Token": new_token()},
        ) as response,
    ):
        assert response.status == 400
        assert decode(await response.read())["error"]["message"] == "Expected a multipart/form-data request with files."


async def test_upload_get_is_not_allowed(live_server: LiveServer) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{live_server.url}/ui/_upload") as response:
        assert (response.status, response.headers["Allow"]) == (405, "POST, OPTIONS")


async def test_upload_handler_cannot_be_called_as_an_event(live_server: LiveServer) -> None:
    async with connect(live_server) as client:
        reply = await client.call(
            "files.receive", [{"filename": "x", "content_type": "t", "size": 1, "path": "/etc/passwd"}]
        )
    assert reply["error"]["code"] == "invalid_args"
    assert "receives uploaded files" in reply["error"]["message"]


async def test_failing_upload_handler_changes_nothing_and_removes_the_files(
    live_server: LiveServer, upload_dir: Path, logged_errors: list[Any]
) -> None:
    token = new_token()
    status, reply = await post_files(live_server, [("a.txt", b"x")], token=token, handler="files.receive_then_fail")
    assert (status, reply["error"]["code"]) == (500, "handler_error")
    assert "upload handler failed" not in str(reply)  # no traceback or exception text sent to the browser
    # The same text and log as a failing websocket event: uploads and events run through one path.
    assert reply["error"]["message"] == "The event failed on the server."
    assert [r.getMessage() for r in logged_errors] == ['Event handler "files.receive_then_fail" raised']
    logged_errors.clear()
    assert leftovers(upload_dir) == []
    async with connect(live_server, token) as client:
        assert (await client.first_state())["files"]["summary"] == ""


async def test_large_upload_is_streamed_not_held_in_memory(shared_build_dir: Path, tmp_path: Path) -> None:
    size = 24 * 1024 * 1024
    ui = make_ui(shared_build_dir, max_upload_bytes=size, upload_dir=tmp_path)

    async def chunks() -> AsyncIterator[bytes]:
        block = b"y" * (1024 * 1024)
        for _ in range(size // len(block)):
            yield block

    with serve(starlette_host(ui, "/ui")) as server:
        tracemalloc.start()
        try:
            status, reply = await post_files(server, [("big.bin", chunks())])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert status == 200
    assert reply["delta"]["files"]["summary"] == f"big.bin ({size} bytes)"
    # Client and server together, in this process: far below the 24 MiB the file holds.
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
