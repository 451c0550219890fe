"""The tests' one wait-for-a-server loop: it returns once ready, and says why when the server never is."""

from __future__ import annotations

import socket

import pytest

from tests._waiting import port_open, wait_until


def test_wait_until_returns_once_ready() -> None:
    polls = iter([False, False, True])
    wait_until(lambda: next(polls), alive=lambda: True, what="server", timeout=10, interval=0)


def test_wait_until_stops_when_the_server_exits() -> None:
    with pytest.raises(RuntimeError, match=r"^daphne exited before it was ready:\nTraceback: boom$"):
        wait_until(lambda: False, alive=lambda: False, what="daphne", timeout=10, detail=lambda: "Traceback: boom")


def test_wait_until_gives_up_after_the_timeout() -> None:
    with pytest.raises(RuntimeError, match=r"^nginx did not start within 0s$"):
        wait_until(lambda: False, alive=lambda: True, what="nginx", timeout=0)


def test_port_open() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        assert port_open(port)
    assert not port_open(port)
