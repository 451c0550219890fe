"""examples/uploads.py: files posted to the upload endpoint, as pr.upload sends them."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient, EventError

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app(example: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> PyApp:
    monkeypatch.setattr(example, "STORE", tmp_path / "kept")
    return example.ui  # type: ignore[no-any-return]


async def test_uploads_keeps_the_files(example: ModuleType, pyreact_client: AppClient, tmp_path: Path) -> None:
    tab = await pyreact_client.open("/")
    reply = await tab.upload(example.Files.receive, [("a.txt", b"x" * 5000), ("b.bin", b"\0\1\2")])
    assert [a["message"] for a in reply.actions] == ["Uploaded 2 file(s)"]
    assert tab.vars(example.Files)["total"] == 5003
    assert tab.vars(example.Files)["listing"].splitlines()[0].startswith("a.txt (5,000 bytes, sha256 ")
    kept = sorted(p.read_bytes() for p in (tmp_path / "kept").iterdir())
    assert kept == [b"\0\1\2", b"x" * 5000]
    await tab.call(example.Files.clear)
    assert tab.vars(example.Files) == {"listing": "", "total": 0}


async def test_uploads_refuses_too_many_files(example: ModuleType, pyreact_client: AppClient, tmp_path: Path) -> None:
    tab = await pyreact_client.open("/")
    with pytest.raises(EventError, match="at most 5 per upload"):
        await tab.upload(example.Files.receive, {f"{n}.txt": b"x" for n in range(6)})
    assert tab.vars(example.Files)["total"] == 0
    assert not (tmp_path / "kept").exists()
