"""The app the soak test runs in a server process of its own (``uvicorn --factory tests.soak.app:soak_app``)."""

from __future__ import annotations

import os
from pathlib import Path

import pyreact_asgi as pr
from benchmarks._common import BUILD_DIR_ENV
from examples.counter import index

STATE_TTL = 2.0


def soak_app() -> pr.PyApp:
    """The README's counter, with states kept only ``STATE_TTL`` seconds after their client left, swept twice
    a second: the soak test waits for the sweep."""
    config = pr.Config(
        title="Counter", build_dir=Path(os.environ[BUILD_DIR_ENV]), state_ttl=STATE_TTL, sweep_interval=0.5
    )
    return pr.PyApp(pages={"/": index}, config=config)
