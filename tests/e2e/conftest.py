from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.apps import make_ui, starlette_host
from tests.e2e.browsing import browser, new_tab
from tests.servers import LiveServer, serve

__all__ = ["browser", "new_tab"]  # fixtures for the real-browser tests

UPLOAD_LIMIT = 2_000_000


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the live server writes uploads while their handler runs."""
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def live_server(shared_build_dir: Path, upload_dir: Path) -> Iterator[LiveServer]:
    """The demo counter mounted at ``/ui`` of a Starlette app, under a real uvicorn, for the whole session."""
    ui = make_ui(
        shared_build_dir,
        max_event_bytes=10_000,
        max_upload_bytes=UPLOAD_LIMIT,
        max_upload_files=3,
        upload_dir=upload_dir,
    )
    with serve(starlette_host(ui, "/ui")) as server:
        yield server
