from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import IO

import anyio
from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header

from pyreact_asgi._types import Receive, Scope
from pyreact_asgi.uploaded import UploadedFile

__all__ = ["UploadError", "discard", "receive_files", "safe_filename"]

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()+-]")
_MAX_NAME = 200
# Headers, boundaries and the form's field names around the files, beyond the files' own bytes.
_OVERHEAD_PER_FILE = 16 * 1024
# The most of a refused upload read (and thrown away) so the browser can read the refusal.
_DRAIN_LIMIT = 256 * 1024 * 1024


class UploadError(Exception):
    """An upload was refused; nothing of it was kept.

    Args:
        status: The HTTP status to answer with.
        message: What was wrong, for the user.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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
