from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import anyio
from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header
from starlette.requests import HTTPConnection
from starlette.responses import PlainTextResponse, Response

from pyreact_asgi._codec import encode
from pyreact_asgi._contract import PAGE_HEADER, TOKEN_HEADER, UPLOAD_HANDLER_PARAM
from pyreact_asgi._types import Receive, Scope, Send
from pyreact_asgi.config import Config
from pyreact_asgi.exceptions import ProtocolError, UploadError
from pyreact_asgi.router import Router
from pyreact_asgi.routes import RouteTable
from pyreact_asgi.runtime.binding import client_key
from pyreact_asgi.runtime.dispatch import Dispatcher
from pyreact_asgi.runtime.engine import Engine
from pyreact_asgi.runtime.messages import ErrorInfo, Update
from pyreact_asgi.runtime.transport import TOKEN, origin_allowed
from pyreact_asgi.state.patches import merge_delta
from pyreact_asgi.uploaded import UploadedFile

__all__ = ["UploadEndpoint", "UploadError", "discard", "receive_files", "safe_filename"]

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()+-]")
_MAX_NAME = 200
# Headers, boundaries and the form's field names around the files, beyond the files' own bytes.
_OVERHEAD_PER_FILE = 16 * 1024
# The most of a refused upload read (and thrown away) so the browser can read the refusal.
_DRAIN_LIMIT = 256 * 1024 * 1024
# What a CORS preflight from an exported frontend (`pyreact export`) is told: the request headers the browser
# runtime sets on an upload, and nothing else. The body is FormData, whose multipart/form-data Content-Type is
# one browsers send cross-origin without asking, so it needs no allowing.
_ALLOWED_HEADERS = f"{TOKEN_HEADER}, {PAGE_HEADER}"
# How long a browser may reuse a preflight's answer, in seconds (Chromium caps it at 2 hours). An origin later
# dropped from Config.allowed_origins gains nothing from a cached answer: the upload itself is still refused.
_PREFLIGHT_MAX_AGE = "3600"


def safe_filename(raw: str) -> str:
    """Returns the base name of ``raw`` with only harmless characters, never empty."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")[:_MAX_NAME]
    return name or "upload"


class _Receiver:
    """Writes each file part of a multipart body to its own temporary file, counting bytes as they come."""

    def __init__(self, directory: Path, max_bytes: int, max_files: int) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files: list[UploadedFile] = []
        self.error: UploadError | None = None
        self._headers: dict[bytes, bytes] = {}
        self._header_name = b""
        self._header_value = b""
        self._out: IO[bytes] | None = None
        self._path: Path | None = None
        self._size = 0
        self._filename = ""
        self._content_type = ""

    @property
    def writing(self) -> bool:
        return self._out is not None

    # python-multipart callbacks -----------------------------------------------------------------------

    def on_part_begin(self) -> None:
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        filename = options.get(b"filename")
        if filename is None:
            return  # a plain form field: ignored
        if len(self.files) >= self.max_files:
            self._fail(413, f"Too many files: at most {self.max_files} per upload.")
            return
        self._filename = safe_filename(filename.decode("utf-8", "replace"))
        self._content_type = self._headers.get(b"content-type", b"application/octet-stream").decode("latin-1")
        fd, name = tempfile.mkstemp(prefix="pyreact-upload-", dir=self.directory)
        self._out = os.fdopen(fd, "wb")
        self._path = Path(name)
        self._size = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._out is None:
            return
        self._size += end - start
        if self._size > self.max_bytes:
            self._fail(413, f'"{self._filename}" is larger than the limit of {self.max_bytes} bytes.')
            return
        self._out.write(data[start:end])

    def on_part_end(self) -> None:
        if self._out is None or self._path is None:
            return
        self._out.close()
        self.files.append(UploadedFile(self._filename, self._content_type, self._size, self._path))
        self._out = None
        self._path = None

    # --------------------------------------------------------------------------------------------------

    def _fail(self, status: int, message: str) -> None:
        if self.error is None:
            self.error = UploadError(status, message)
        self._close_current()

    def _close_current(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
            self._path = None

    def discard(self) -> None:
        """Deletes every file received so far, the one being written included."""
        self._close_current()
        for file in self.files:
            file.path.unlink(missing_ok=True)
        self.files = []


async def receive_files(
    scope: Scope, receive: Receive, *, directory: Path, max_bytes: int, max_files: int
) -> list[UploadedFile]:
    """Streams the files of a ``multipart/form-data`` request body to disk, one temporary file each.

    The body is never held in memory whole: each chunk is written as it arrives, and the request is cut off
    as soon as a limit is passed.

    Args:
        scope: The HTTP request's scope.
        receive: The request's ASGI receive channel.
        directory: Where the temporary files go.
        max_bytes: Largest size of one file.
        max_files: Most files in one request.

    Returns:
        The files, in the order the browser sent them. The caller deletes them when done.

    Raises:
        UploadError: The request is not a multipart upload, breaks a limit, or was cut off. Every file it
            had written is already deleted.
    """
    content_type, options = _content_type(scope)
    if content_type != b"multipart/form-data" or b"boundary" not in options:
        raise UploadError(400, "Expected a multipart/form-data request with files.")
    length = _content_length(scope)
    if length is not None and length > max_files * (max_bytes + _OVERHEAD_PER_FILE):
        too_large = UploadError(413, f"The upload is larger than the limit of {max_files} files of {max_bytes} bytes.")
        if length > _DRAIN_LIMIT:
            raise too_large
        await _drain(receive)
        raise too_large
    # Disk work runs in a worker thread, one hop per received chunk, so a slow disk never stalls the loop.
    await anyio.to_thread.run_sync(lambda: directory.mkdir(parents=True, exist_ok=True))
    receiver = _Receiver(directory, max_bytes, max_files)
    callbacks = {name: getattr(receiver, name) for name in dir(receiver) if name.startswith("on_")}
    parser = MultipartParser(options[b"boundary"], callbacks)  # type: ignore[arg-type]
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise UploadError(400, "The upload was cut off before it finished.")
            await anyio.to_thread.run_sync(parser.write, message.get("body", b""))
            if receiver.error is not None:
                if message.get("more_body", False):
                    await _drain(receive)
                raise receiver.error
            if not message.get("more_body", False):
                break
        await anyio.to_thread.run_sync(parser.finalize)
        if receiver.writing:
            raise UploadError(400, "The upload ended in the middle of a file.")
    except MultipartParseError as exc:
        receiver.discard()
        raise UploadError(400, f"Malformed multipart body: {exc}") from None
    except BaseException:
        receiver.discard()  # also when cancelled: the files must go whatever happened
        raise
    if not receiver.files:
        raise UploadError(400, "Expected at least one file in the upload.")
    return receiver.files


async def _drain(receive: Receive) -> None:
    # Reads the rest of a refused upload without keeping it: a browser still sending when the server answers
    # and closes sees a network error, not the 413 that says what was wrong. Past _DRAIN_LIMIT bytes the
    # connection is cut instead.
    drained = 0
    while drained <= _DRAIN_LIMIT:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return
        drained += len(message.get("body", b""))


def discard(files: list[UploadedFile]) -> None:
    """Deletes uploaded files that are still where they were received."""
    for file in files:
        with contextlib.suppress(OSError):
            file.path.unlink(missing_ok=True)


def _content_type(scope: Scope) -> tuple[bytes, dict[bytes, bytes]]:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-type":
            kind, options = parse_options_header(value)
            return kind.lower(), options
    return b"", {}


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class UploadEndpoint:
    """``POST <mount>/_upload?handler=<state>.<handler>``: receives files and runs their handler like an event.

    The client's token comes in ``X-Pyreact-Token``, its page in ``X-Pyreact-Page``; docs/protocol.md
    describes the exchange. A page of another origin listed in ``allowed_origins`` (an exported frontend) may
    upload too: its CORS preflight (``OPTIONS``) is answered, and every reply to it, refusals included, names
    its origin in ``Access-Control-Allow-Origin`` so the browser lets the page read it. No other origin is
    ever named, and credentials are never allowed (an export's tokens are unbound, see docs/security.md).

    The handler runs through the same `Dispatcher` as websocket events, so errors, undo, timeout, limits and
    logging are the same; the answer is one update with all the event changed.

    Args:
        config: The app's settings.
        engine: Returns the engine; called once the app has started.
        dispatcher: Runs handlers.
        routes: The app's page routes, for the handler's ``self.router``.
        allowed_origins: Origins besides the page's own allowed to upload.
    """

    def __init__(
        self,
        config: Config,
        engine: Callable[[], Engine],
        dispatcher: Dispatcher,
        routes: RouteTable,
        allowed_origins: frozenset[str],
    ) -> None:
        self._engine = engine
        self._dispatcher = dispatcher
        self._routes = routes
        self._allowed_origins = allowed_origins
        self._directory = config.upload_dir or Path(tempfile.gettempdir()) / "pyreact-uploads"
        self._max_bytes = config.max_upload_bytes
        self._max_files = config.max_upload_files

    async def __call__(self, scope: Scope, receive: Receive, send: Send, mount: str) -> None:
        cross_origin = self._cross_origin(scope)
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            response = _preflight(cross_origin)
        else:
            response = await self._respond(scope, receive, mount)
            if cross_origin is not None:
                response.headers["Access-Control-Allow-Origin"] = cross_origin
        # Whether a reply may be read, and what it says, depend on the request's Origin: no cache may reuse it
        # for another.
        response.headers["Vary"] = "Origin"
        await response(scope, receive, send)

    def _cross_origin(self, scope: Scope) -> str | None:
        # The request's Origin if it is one of Config.allowed_origins (compared as origin_allowed does), else
        # None. The page's own origin needs no CORS; any other is never named in a reply.
        origin = HTTPConnection(scope).headers.get("origin")
        if origin is None or origin.lower() not in self._allowed_origins:
            return None
        return origin.lower()

    async def _respond(self, scope: Scope, receive: Receive, mount: str) -> Response:
        if scope["type"] != "http" or scope["method"] != "POST":
            return PlainTextResponse("Method Not Allowed", status_code=405, headers={"Allow": "POST, OPTIONS"})
        request = HTTPConnection(scope)
        headers = request.headers
        if not origin_allowed(headers.get("origin"), headers.get("host", ""), self._allowed_origins):
            return _reply(
                403, Update(error=ErrorInfo("forbidden", "Uploads are accepted only from this app's own pages."))
            )
        token = headers.get(TOKEN_HEADER, "")
        if not TOKEN.match(token):
            return _reply(400, Update(error=ErrorInfo("malformed", f"Expected the {TOKEN_HEADER} header of a client.")))
        handler = request.query_params.get(UPLOAD_HANDLER_PARAM, "")
        engine = self._engine()
        try:
            # Resolved before the body is read, so a bad handler costs no disk.
            engine.resolve_upload(handler, [])
            token = client_key(scope, mount, token)
            files = await receive_files(
                scope, receive, directory=self._directory, max_bytes=self._max_bytes, max_files=self._max_files
            )
        except UploadError as exc:
            return _reply(exc.status, Update(error=ErrorInfo(exc.code, exc.message)), close=True)
        except ProtocolError as exc:
            return _reply(400, Update(error=ErrorInfo(exc.code, str(exc))))
        updates: list[Update] = []

        async def collect(update: Update) -> None:
            updates.append(update)

        try:
            call = engine.resolve_upload(handler, files)
            router = Router(
                scope, mount=mount, page=headers.get(PAGE_HEADER, "/"), routes=self._routes, client_key=token
            )
            await self._dispatcher.run(token, router, call, collect)
        finally:
            discard(files)
        merged: dict[str, dict[str, Any]] = {}
        actions = []
        for update in updates:
            if update.error is not None:
                return _reply(_STATUS.get(update.error.code, 500), Update(error=update.error))
            merge_delta(merged, update.delta)
            actions += update.actions
        return _reply(200, Update(delta=merged, actions=actions))


def _preflight(origin: str | None) -> Response:
    # A browser asks before a cross-origin upload, since the upload sets headers of its own. Only an origin of
    # Config.allowed_origins is answered; any other (a foreign site, "null", a listed host on another port or
    # scheme, a request without Origin) gets a refusal without CORS headers, so its browser sends nothing.
    if origin is None:
        return PlainTextResponse(
            "Uploads are accepted only from this app's own pages and the origins in Config.allowed_origins.",
            status_code=403,
            headers={"Cache-Control": "no-store"},
        )
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": _ALLOWED_HEADERS,
            "Access-Control-Max-Age": _PREFLIGHT_MAX_AGE,
        },
    )


# The HTTP status of an upload whose handler failed, by error code.
_STATUS = {"handler_error": 500, "too_large": 413, "timeout": 504, "too_many_clients": 503}


def _reply(status: int, update: Update, *, close: bool = False) -> Response:
    # A refused upload may leave most of its body unread: closing the connection spares reading it.
    headers = {"Cache-Control": "no-store", **({"Connection": "close"} if close else {})}
    return Response(encode(update), status_code=status, headers=headers, media_type="application/json")
