"""A client that never reads cannot make the server hold its updates: past max_outgoing_bytes waiting to be
sent, it is disconnected and what waited for it is thrown away."""

from __future__ import annotations

import base64
import logging
import os
import re
import socket
from pathlib import Path

import anyio
import pytest

from pyreact_asgi._codec import encode
from tests.e2e.client import connect, new_token
from tests.security.apps import serve_board, wait_until

pytestmark = [pytest.mark.asyncio, pytest.mark.e2e]

UPDATE_BYTES = 200_000
TOGGLES = 400  # 80 MB of updates, were they all kept


def _rss() -> int:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match is not None
    return int(match[1]) * 1024


def _masked(text: str) -> bytes:
    # A client's websocket text frame, masked as RFC 6455 requires.
    payload = text.encode()
    mask = os.urandom(4)
    size = len(payload)
    header = bytes([0x81]) + (
        bytes([0x80 | size])
        if size < 126
        else bytes([0x80 | 126]) + size.to_bytes(2, "big")
        if size < 65536
        else bytes([0x80 | 127]) + size.to_bytes(8, "big")
    )
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class _NonReader:
    """A websocket client over a plain socket with a tiny receive buffer, which stops reading once connected."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        assert self.buffer.startswith(b"HTTP/1.1 101"), self.buffer
        self.buffer = self.buffer.split(b"\r\n\r\n", 1)[1]

    def read_until(self, marker: bytes) -> None:
        while marker not in self.buffer:
            self.buffer += self.sock.recv(4096)

    def send(self, text: str) -> None:
        self.sock.sendall(_masked(text))


async def test_slow_reader_memory_is_bounded(shared_build_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    with serve_board(shared_build_dir / "board", max_outgoing_bytes=1_000_000) as (ui, server):
        async with connect(server, mount="") as bystander:
            with anyio.fail_after(30):
                reader = await anyio.to_thread.run_sync(_NonReader, server.port)
                await anyio.to_thread.run_sync(reader.read_until, b"0{")
                await anyio.to_thread.run_sync(reader.send, "40" + encode({"token": new_token()}).decode())
                await anyio.to_thread.run_sync(reader.read_until, b'42["state"')
                assert ui.client_count() == 2
                before = _rss()

                def flood() -> None:
                    for event_id in range(1, TOGGLES + 1):
                        event = {"id": event_id, "handler": "board.toggle", "args": [UPDATE_BYTES]}
                        try:
                            reader.send("42" + encode(["event", event]).decode())
                        except OSError:
                            return  # the server closed the connection: fine too

                await anyio.to_thread.run_sync(flood)
                await wait_until(lambda: ui.client_count() == 1, "the client that does not read was disconnected")
                grown = _rss() - before
                # Everyone else carries on.
                assert (await bystander.call("board.increment"))["delta"] == {"board": {"count": 1}}
                reader.sock.close()
    assert grown < TOGGLES * UPDATE_BYTES / 4, f"{grown} bytes held for a client that does not read"
    assert [r.levelno for r in caplog.records if "reads slower" in r.getMessage()] == [logging.WARNING]
