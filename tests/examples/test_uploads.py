"""examples/uploads.py: files posted to the upload endpoint, as pr.upload sends them."""

from __future__ import annotations

from pathlib import Path

import pytest

import examples.uploads
from examples.uploads import Files, ui
from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient, EventError

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> PyApp:
    monkeypatch.setattr(examples.uploads, "STORE", tmp_path / "kept")
    return ui


async def test_uploads_keeps_the_files(pyreact_client: AppClient, tmp_path: Path) -> None:
    tab = await pyreact_client.open("/")
    reply = await tab.upload(Files.receive, [("a.txt", b"x" * 5000), ("b.bin", b"\0\1\2")])
    assert [a["message"] for a in reply.actions] == ["Uploaded 2 file(s)"]
    assert tab.vars(Files)["total"] == 5003
    assert tab.vars(Files)["listing"].splitlines()[0].startswith("a.txt (5,000 bytes, sha256 ")
    kept = sorted(p.read_bytes() for p in (tmp_path / "kept").iterdir())
    assert kept == [b"\0\1\2", b"x" * 5000]
    await tab.call(Files.clear)
    assert tab.vars(Files) == {"listing": "", "total": 0}


async def test_uploads_refuses_too_many_files(pyreact_client: AppClient, tmp_path: Path) -> None:
    tab = await pyreact_client.open("/")
    with pytest.raises(EventError, match="at most 5 per upload"):
        await tab.upload(Files.receive, {f"{n}.txt": b"x" for n in range(6)})
    assert tab.vars(Files)["total"] == 0
    assert not (tmp_path / "kept").exists()
