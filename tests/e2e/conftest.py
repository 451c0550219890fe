from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.apps import make_ui, starlette_host
from tests.servers import LiveServer, serve


@pytest.fixture(scope="session")
def live_server(shared_build_dir: Path) -> Iterator[LiveServer]:
    """The demo counter mounted at ``/ui`` of a Starlette app, under a real uvicorn, for the whole session."""
    ui = make_ui(shared_build_dir, max_event_bytes=10_000)
    with serve(starlette_host(ui, "/ui")) as server:
        yield server
