from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pyreact_asgi._types import Message, Receive
from pyreact_asgi.runtime.upload import UploadError, receive_files, safe_filename

BOUNDARY = b"B0undary"


def _listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _scope(content_type: bytes = b"multipart/form-data; boundary=" + BOUNDARY) -> dict[str, object]:
    return {"type": "http", "method": "POST", "headers": [(b"content-type", content_type)]}


def _part(name: str, data: bytes, *, filename: str | None = "f.txt") -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
    return b"--" + BOUNDARY + f"\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"


def _receiver(*chunks: bytes, disconnect: bool = False) -> Receive:
    messages: Iterator[Message] = iter(
        [
            {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1 or disconnect}
            for i, c in enumerate(chunks)
        ]
        + ([{"type": "http.disconnect"}] if disconnect else [])
    )

    async def receive() -> Message:
        return next(messages)

    return receive


async def _receive(tmp_path: Path, *chunks: bytes, disconnect: bool = False, max_bytes: int = 100) -> list[str]:
    files = await receive_files(
        _scope(),
        _receiver(*chunks, disconnect=disconnect),
        directory=tmp_path,
        max_bytes=max_bytes,
        max_files=2,
    )
    return [f"{f.filename}:{f.path.read_bytes().decode()}" for f in files]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("report.csv", "report.csv"), ("../../etc/passwd", "passwd"), ("C:\\Users\\me\\a b.txt", "a b.txt"),
     ("..", "upload"), ("", "upload"), ("<script>.js", "_script_.js"), ("é.txt", "_.txt"), ("a" * 300, "a" * 200)],
)  # fmt: skip
def test_safe_filename(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


@pytest.mark.asyncio
async def test_receive_files_split_across_chunks_and_skips_plain_fields(tmp_path: Path) -> None:
    body = _part("note", b"not a file", filename=None) + _part("files", b"hello world") + b"--" + BOUNDARY + b"--\r\n"
    assert await _receive(tmp_path, body[:7], body[7:50], body[50:]) == ["f.txt:hello world"]


@pytest.mark.asyncio
async def test_receive_files_cut_off_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"The upload was cut off before it finished"):
        await _receive(tmp_path, _part("files", b"partial"), disconnect=True)
    assert _listing(tmp_path) == []


@pytest.mark.asyncio
async def test_receive_files_ending_inside_a_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"The upload ended in the middle of a file"):
        await _receive(tmp_path, _part("files", b"partial")[:-2])
    assert _listing(tmp_path) == []


@pytest.mark.asyncio
async def test_receive_files_malformed_body(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"Malformed multipart body"):
        await _receive(tmp_path, b"this is not multipart at all\r\n\r\n")
    assert _listing(tmp_path) == []


@pytest.mark.asyncio
async def test_receive_files_without_files(tmp_path: Path) -> None:
    with pytest.raises(UploadError, match=r"Expected at least one file in the upload"):
        await _receive(tmp_path, _part("note", b"x", filename=None) + b"--" + BOUNDARY + b"--\r\n")


@pytest.mark.asyncio
async def test_receive_files_declared_length_over_limit_is_refused_before_reading(tmp_path: Path) -> None:
    scope = _scope()
    scope["headers"] = [*scope["headers"], (b"content-length", b"999999999")]  # type: ignore[misc]
    with pytest.raises(UploadError, match=r"larger than the limit of 2 files of 100 bytes") as refused:
        await receive_files(scope, _receiver(b""), directory=tmp_path, max_bytes=100, max_files=2)
    assert refused.value.status == 413
