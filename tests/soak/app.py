"""The app the soak test runs in a server process of its own (``uvicorn --factory tests.soak.app:soak_app``)."""

from __future__ import annotations

import os
from pathlib import Path

import pyreact_asgi as pr
from benchmarks._common import BUILD_DIR_ENV
from examples.counter import index

STATE_TTL = 2.0
# engine.io keeps a closed connection's socket until its pending ping wakes up, ping_interval seconds at most;
# shorter than the default 25 s, so the test need not wait that long to see the memory come back.
PING_INTERVAL = 5


def soak_app() -> pr.PyApp:
    """The README's counter, with states kept only ``STATE_TTL`` seconds after their client left, swept twice
    a second: the soak test waits for the sweep."""
    config = pr.Config(
        title="Counter",
        build_dir=Path(os.environ[BUILD_DIR_ENV]),
        state_ttl=STATE_TTL,
        sweep_interval=0.5,
        ping_interval=PING_INTERVAL,
        ping_timeout=PING_INTERVAL,
    )
    return pr.PyApp(pages={"/": index}, config=config)
